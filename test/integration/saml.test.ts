import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import { redisForThisFile } from '../helpers/redis-fixture.js';
import { ADMIN, api, login, startTestServer, tempDataDir } from '../helpers/test-server.js';
import {
  TestSamlIdp,
  beginSamlSignIn,
  makeKeyPair,
  postToAcs,
  readAuthnRequest,
  samlEnv,
  signInWithSaml,
  type TestKeyPair,
} from '../helpers/saml-idp.js';

const redis = redisForThisFile();

/** Groups of a university's directory (isMemberOf) and affiliations, and what they give in Passerelle. */
const GROUP_MAP = JSON.stringify({
  'cn=dri-personnels,ou=groups,dc=ecole,dc=fr': ['sri'],
  'cn=scolarite,ou=groups,dc=ecole,dc=fr': 'studies',
  'cn=passerelle-admins,ou=groups,dc=ecole,dc=fr': ['admin'],
  faculty: ['research', 'member'],
});

const CAMILLE = {
  mail: 'Camille.Martin@ecole.fr',
  displayName: 'Camille Martin',
  eduPersonPrincipalName: 'cmartin@ecole.fr',
  eduPersonAffiliation: ['staff', 'member'],
  isMemberOf: ['cn=dri-personnels,ou=groups,dc=ecole,dc=fr', 'cn=tous-personnels,ou=groups,dc=ecole,dc=fr'],
};

/** Keys made once for the file: openssl takes a moment per key. */
let idpKeys: TestKeyPair;
let strangerKeys: TestKeyPair;
let spKeys: TestKeyPair;
beforeAll(() => {
  idpKeys = makeKeyPair('test-idp');
  strangerKeys = makeKeyPair('someone-else');
  spKeys = makeKeyPair('passerelle-sp');
});

describe.each(['sqlite', 'redis'] as const)('single sign-on through SAML 2.0 (%s store)', (store) => {
  let idp: TestSamlIdp;
  let server: PasserelleServer;
  const cleanups: (() => void)[] = [];

  async function start(extra: Record<string, string> = {}, options: { singleLogout?: boolean } = {}): Promise<void> {
    const dir = tempDataDir();
    cleanups.push(dir.remove);
    idp = await TestSamlIdp.start({ keys: idpKeys, ...options });
    idp.people.set('camille', CAMILLE);
    const storeEnv: Record<string, string> = store === 'redis' ? { REDIS_URL: (await redis.server()).url, REDIS_KEY_PREFIX: redis.freshPrefix() } : {};
    server = await startTestServer({ dataDir: dir.dir, env: { ...storeEnv, ...samlEnv(idp, { SAML_GROUP_MAP: GROUP_MAP, ...extra }) } });
  }

  const me = async (cookie: string) => (await api<Me>(server.url, '/api/auth/me', { cookie })).body;
  const accountOf = (email: string) => server.accounts.people.findUserByEmail(email);

  afterEach(async () => {
    await server?.close();
    await idp?.close();
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  describe('with the group map', () => {
    it('offers the identity provider on the sign-in page by its display name', async () => {
      await start();
      expect((await api(server.url, '/api/auth/methods')).body).toEqual({
        sso: null,
        saml: { displayName: 'Fédération Éducation-Recherche', endSession: true },
        passwordRequiresSso: false,
      });
    });

    it('publishes service provider metadata to register with the federation, asking for signed assertions', async () => {
      await start();
      const response = await fetch(`${server.url}/api/auth/saml/metadata`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/samlmetadata+xml');
      const xml = await response.text();
      expect(xml).toContain('entityID="https://passerelle.ecole.example/saml"');
      expect(xml).toContain(`Location="${server.url}/api/auth/saml/acs"`);
      expect(xml).toContain(`Location="${server.url}/api/auth/saml/logout"`);
      expect(xml).toContain('WantAssertionsSigned="true"');
    });

    it('creates the account on first sign-in, in the department its directory groups map to', async () => {
      await start();
      const signedIn = await signInWithSaml(server.url, idp, 'camille');
      expect(signedIn.status).toBe(303);
      expect(signedIn.location).toBe('/');
      expect(signedIn.sessionCookie).not.toBeNull();
      expect(await me(signedIn.sessionCookie!)).toMatchObject({ email: 'camille.martin@ecole.fr', name: 'Camille Martin', departments: ['sri'], isAdmin: false });
      // No password: password sign-in cannot open the account.
      expect((await api(server.url, '/api/auth/login', { method: 'POST', body: { email: 'camille.martin@ecole.fr', password: '' } })).status).toBe(400);
    });

    it('maps affiliations too, names a person from given name and surname, and follows the groups at each sign-in', async () => {
      await start();
      idp.people.set('dominique', { mail: 'dominique.petit@ecole.fr', givenName: 'Dominique', sn: 'Petit', eduPersonAffiliation: ['faculty', 'member'] });
      const first = await me((await signInWithSaml(server.url, idp, 'dominique')).sessionCookie!);
      expect(first).toMatchObject({ name: 'Dominique Petit', departments: ['research'], isAdmin: false });

      idp.people.set('dominique', { mail: 'dominique.petit@ecole.fr', givenName: 'Dominique', sn: 'Petit', isMemberOf: ['cn=scolarite,ou=groups,dc=ecole,dc=fr', 'cn=passerelle-admins,ou=groups,dc=ecole,dc=fr'] });
      const second = await me((await signInWithSaml(server.url, idp, 'dominique')).sessionCookie!);
      expect(second).toMatchObject({ id: first.id, departments: ['studies'], isAdmin: true });
    });

    it('gives no department for a group it does not know, and still lets the person in', async () => {
      await start();
      idp.people.set('alex', { mail: 'alex@ecole.fr', displayName: 'Alex', eduPersonAffiliation: ['student'] });
      const signedIn = await signInWithSaml(server.url, idp, 'alex');
      expect(await me(signedIn.sessionCookie!)).toMatchObject({ departments: [], isAdmin: false });
    });

    it('lands on the page the person asked for, never on another site', async () => {
      await start();
      for (const [asked, landing] of [
        ['/boards/abc?view=roadmap', '/boards/abc?view=roadmap'],
        ['//evil.example/phish', '/'],
        ['https://evil.example/', '/'],
      ]) {
        const { idpUrl, flowCookie } = await beginSamlSignIn(server.url, asked);
        const request = readAuthnRequest(idpUrl);
        expect((await postToAcs(request.acs, idp.answer(request, 'camille'), flowCookie)).location).toBe(landing);
      }
    });

    it.each([
      ['altered after signing', { alterAfterSigning: 'admin@ecole.fr' }],
      ['signed with a key the metadata does not list', { signingKey: 'stranger' }],
      ['whose assertion is not signed (the response is)', { sign: 'response' }],
      ['with no signature at all', { sign: 'none' }],
      ['for another service provider', { audience: 'https://another-sp.example/shibboleth' }],
      ['that has expired', { validForSeconds: -120 }],
    ] as const)('refuses an answer %s, and creates no account', async (_case, tampering) => {
      await start();
      const signedIn = await signInWithSaml(server.url, idp, 'camille', {
        ...tampering,
        ...('signingKey' in tampering ? { signingKey: strangerKeys } : {}),
      } as Parameters<typeof idp.answer>[2]);
      expect(signedIn.sessionCookie).toBeNull();
      expect(signedIn.location).toBe('/login?sso=failed');
      expect(await accountOf('camille.martin@ecole.fr')).toBeUndefined();
      expect(await accountOf('admin@ecole.fr')).toBeUndefined();
    });

    it('refuses a replayed answer, with the same flow cookie or a new one', async () => {
      await start();
      const { idpUrl, flowCookie } = await beginSamlSignIn(server.url);
      const request = readAuthnRequest(idpUrl);
      const answer = idp.answer(request, 'camille');
      expect((await postToAcs(request.acs, answer, flowCookie)).sessionCookie).not.toBeNull();

      const again = await postToAcs(request.acs, answer, flowCookie);
      expect(again.sessionCookie).toBeNull();
      expect(again.location).toBe('/login?sso=state');
      const fresh = await beginSamlSignIn(server.url);
      const withNewCookie = await postToAcs(request.acs, answer, fresh.flowCookie);
      expect(withNewCookie.sessionCookie).toBeNull();
      expect(withNewCookie.location).toBe('/login?sso=state');
    });

    it('refuses an answer to another browser’s request, and an unsolicited one', async () => {
      await start();
      const victim = await beginSamlSignIn(server.url);
      const attacker = await beginSamlSignIn(server.url);
      const attackerRequest = readAuthnRequest(attacker.idpUrl);
      const forced = await postToAcs(attackerRequest.acs, idp.answer(attackerRequest, 'camille'), victim.flowCookie);
      expect(forced.sessionCookie).toBeNull();
      expect(forced.location).toBe('/login?sso=state');

      const unsolicited = await postToAcs(attackerRequest.acs, idp.answer(attackerRequest, 'camille'), null);
      expect(unsolicited.location).toBe('/login?sso=state');
      const noInResponseTo = await beginSamlSignIn(server.url);
      const request = readAuthnRequest(noInResponseTo.idpUrl);
      const idpInitiated = await postToAcs(request.acs, idp.answer(request, 'camille', { inResponseTo: '_made-up-request' }), noInResponseTo.flowCookie);
      expect(idpInitiated.location).toBe('/login?sso=state');
      expect(await accountOf('camille.martin@ecole.fr')).toBeUndefined();
    });

    it('refuses a person the provider gives no e-mail address for', async () => {
      await start();
      idp.people.set('nomail', { displayName: 'No Mail', eduPersonPrincipalName: 'nomail@ecole.fr', isMemberOf: ['cn=dri-personnels,ou=groups,dc=ecole,dc=fr'] });
      const refused = await signInWithSaml(server.url, idp, 'nomail');
      expect(refused.sessionCookie).toBeNull();
      expect(refused.location).toBe('/login?sso=no_email');
    });

    it('ends the Passerelle session at sign-out and sends the provider a single logout request naming the session', async () => {
      await start();
      const signedIn = await signInWithSaml(server.url, idp, 'camille');
      expect(signedIn.samlSessionCookie).not.toBeNull();
      const logout = await api(server.url, '/api/auth/logout', { method: 'POST', cookie: signedIn.sessionCookie!, headers: { origin: server.url } });
      expect(logout.status).toBe(204);
      expect((await api(server.url, '/api/auth/me', { cookie: signedIn.sessionCookie! })).status).toBe(401);

      const endSession = await fetch(`${server.url}/api/auth/saml/end-session`, { redirect: 'manual', headers: { cookie: signedIn.samlSessionCookie! } });
      expect(endSession.status).toBe(303);
      const target = new URL(endSession.headers.get('location')!);
      expect(`${target.origin}${target.pathname}`).toBe(`${idp.url}/slo`);
      const confirmation = await fetch(target);
      expect(await confirmation.text()).toContain('signed out');
      expect(idp.logoutRequests).toHaveLength(1);
      const issued = idp.sessions.at(-1)!;
      expect(idp.logoutRequests[0]!.xml).toMatch(new RegExp(`<saml:NameID[^>]*>${issued.nameId}</saml:NameID>`));
      expect(idp.logoutRequests[0]!.xml).toMatch(new RegExp(`SessionIndex[^>]*>${issued.sessionIndex}<`));

      // Without the session reference (another browser), there is nothing to end at the provider.
      const elsewhere = await fetch(`${server.url}/api/auth/saml/end-session`, { redirect: 'manual' });
      expect(elsewhere.headers.get('location')).toBe('/login');
      // The provider's answer, by redirect or post, lands on the sign-in page.
      const back = await postToAcs(`${server.url}/api/auth/saml/logout`, 'answer', null);
      expect(back.location).toBe('/login');
    });
  });

  describe('with a provider that has no single logout', () => {
    it('offers no provider sign-out, and its address leads back to the sign-in page', async () => {
      await start({}, { singleLogout: false });
      expect((await api(server.url, '/api/auth/methods')).body).toMatchObject({ saml: { endSession: false } });
      const signedIn = await signInWithSaml(server.url, idp, 'camille');
      const endSession = await fetch(`${server.url}/api/auth/saml/end-session`, { redirect: 'manual', headers: { cookie: signedIn.samlSessionCookie! } });
      expect(endSession.headers.get('location')).toBe('/login');
    });
  });

  describe('when the provider cannot be reached', () => {
    it('sends the person back to the sign-in page saying so', async () => {
      await start();
      await idp.close();
      const refused = await fetch(`${server.url}/api/auth/saml/start`, { redirect: 'manual' });
      expect(refused.status).toBe(303);
      expect(refused.headers.get('location')).toBe('/login?sso=unavailable');
    });
  });

  describe('when a known group is required', () => {
    it('refuses a person in no mapped group and creates no account, but lets in one in a mapped group', async () => {
      await start({ SAML_REQUIRE_GROUP: 'true' });
      idp.people.set('alex', { mail: 'alex@ecole.fr', displayName: 'Alex', eduPersonAffiliation: ['student'], isMemberOf: ['cn=etudiants,ou=groups,dc=ecole,dc=fr'] });
      const refused = await signInWithSaml(server.url, idp, 'alex');
      expect(refused.sessionCookie).toBeNull();
      expect(refused.location).toBe('/login?sso=no_group');
      expect(await accountOf('alex@ecole.fr')).toBeUndefined();
      expect(await me((await signInWithSaml(server.url, idp, 'camille')).sessionCookie!)).toMatchObject({ departments: ['sri'] });
    });
  });

  describe('when single sign-on is required', () => {
    it('refuses password sign-in except to the break-glass administrator, whose account the provider never changes', async () => {
      await start({ AUTH_REQUIRE_SSO: 'true' });
      expect((await api(server.url, '/api/auth/methods')).body).toMatchObject({ passwordRequiresSso: true });
      const admin = await login(server.url);
      const created = await api(server.url, '/api/users', {
        method: 'POST',
        cookie: admin,
        headers: { origin: server.url },
        body: { email: 'claude@ecole.fr', password: 'a long enough password', name: 'Claude', isAdmin: false, departments: ['studies'] },
      });
      expect(created.status).toBe(201);
      const refused = await api<{ error: { code: string } }>(server.url, '/api/auth/login', { method: 'POST', body: { email: 'claude@ecole.fr', password: 'a long enough password' } });
      expect(refused.body.error.code).toBe('sso_required');

      // The administrator signing in through the provider, in no admin group, stays administrator.
      idp.people.set('admin', { mail: ADMIN.email, displayName: 'Admin', isMemberOf: ['cn=scolarite,ou=groups,dc=ecole,dc=fr'] });
      const before = await accountOf(ADMIN.email);
      const signedIn = await signInWithSaml(server.url, idp, 'admin');
      expect(await me(signedIn.sessionCookie!)).toMatchObject({ id: before!.id, isAdmin: true, departments: before!.departments });
    });
  });
});

describe('SAML with Passerelle’s own key pair', () => {
  it('signs its requests, publishes its certificate, and accepts assertions signed for it', async () => {
    const dir = tempDataDir();
    const keysDir = mkdtempSync(join(tmpdir(), 'passerelle-sp-keys-'));
    writeFileSync(join(keysDir, 'sp.key'), spKeys.privateKey);
    writeFileSync(join(keysDir, 'sp.crt'), spKeys.cert);
    const idp = await TestSamlIdp.start({ keys: idpKeys });
    idp.people.set('camille', CAMILLE);
    const server = await startTestServer({
      dataDir: dir.dir,
      env: samlEnv(idp, { SAML_GROUP_MAP: GROUP_MAP, SAML_SP_PRIVATE_KEY_FILE: join(keysDir, 'sp.key'), SAML_SP_CERT_FILE: join(keysDir, 'sp.crt') }),
    });
    try {
      const metadata = await (await fetch(`${server.url}/api/auth/saml/metadata`)).text();
      expect(metadata).toContain('AuthnRequestsSigned="true"');
      expect(metadata.replace(/\s+/g, '')).toContain(spKeys.cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));

      const { idpUrl, flowCookie } = await beginSamlSignIn(server.url);
      expect(new URL(idpUrl).searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
      expect(new URL(idpUrl).searchParams.get('Signature')).toBeTruthy();
      const request = readAuthnRequest(idpUrl);
      const signedIn = await postToAcs(request.acs, idp.answer(request, 'camille'), flowCookie);
      expect(signedIn.sessionCookie).not.toBeNull();

      const endSession = await fetch(`${server.url}/api/auth/saml/end-session`, { redirect: 'manual', headers: { cookie: signedIn.samlSessionCookie! } });
      const target = new URL(endSession.headers.get('location')!);
      expect(target.searchParams.get('Signature')).toBeTruthy();
      expect(inflateRawSync(Buffer.from(target.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8')).toContain('LogoutRequest');
    } finally {
      await server.close();
      await idp.close();
      dir.remove();
      rmSync(keysDir, { recursive: true, force: true });
    }
  });
});
