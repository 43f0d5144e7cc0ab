import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import { PasswordResets } from '../../server/src/auth/password-reset.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { redisForThisFile } from '../helpers/redis-fixture.js';
import { ADMIN, api, login, startTestServer, tempDataDir } from '../helpers/test-server.js';
import {
  TestOidcProvider,
  authorizeAtProvider,
  beginSignIn,
  finishSignIn,
  oidcEnv,
  signInWithProvider,
} from '../helpers/oidc-provider.js';

const redis = redisForThisFile();

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
});

/** Groups of the school's directory and what they give in Passerelle. */
const GROUP_MAP = JSON.stringify({
  'ri-staff': ['sri'],
  'admissions-office': 'admissions',
  'passerelle-admins': ['admin'],
  'research-lab': ['research', 'member'],
});

describe.each(['sqlite', 'redis'] as const)('single sign-on through OpenID Connect (%s store)', (store) => {
  let provider: TestOidcProvider;
  let server: PasserelleServer;
  let removeDir: () => void;

  async function start(extra: Record<string, string> = {}, options: { endSession?: boolean } = {}): Promise<void> {
    const dir = tempDataDir();
    removeDir = dir.remove;
    provider = await TestOidcProvider.start();
    const storeEnv: Record<string, string> = store === 'redis' ? { REDIS_URL: (await redis.server()).url, REDIS_KEY_PREFIX: redis.freshPrefix() } : {};
    server = await startTestServer({ dataDir: dir.dir, env: { ...storeEnv, ...oidcEnv(provider.issuer, { OIDC_GROUP_MAP: GROUP_MAP, ...extra }) } });
    provider.registerClient(server.url, options);
  }

  const me = async (cookie: string) => (await api<Me>(server.url, '/api/auth/me', { cookie })).body;

  afterEach(async () => {
    await server?.close();
    await provider?.close();
    removeDir?.();
  });

  describe('with the group map', () => {
    beforeEach(() => start());

    it('offers the provider on the sign-in page by its display name', async () => {
      const methods = await api(server.url, '/api/auth/methods');
      expect(methods.body).toEqual({ sso: { displayName: 'École SSO', endSession: true }, saml: null, passwordRequiresSso: false });
    });

    it('creates the account on first sign-in, in the departments its groups map to', async () => {
      provider.people.set('camille', { email: 'Camille.Martin@ecole.example', name: 'Camille Martin', groups: ['ri-staff', 'unrelated-group'] });
      const signedIn = await signInWithProvider(server.url, 'camille');
      expect(signedIn.status).toBe(303);
      expect(signedIn.location).toBe('/');
      expect(signedIn.sessionCookie).not.toBeNull();
      const account = await me(signedIn.sessionCookie!);
      expect(account).toMatchObject({ email: 'camille.martin@ecole.example', name: 'Camille Martin', departments: ['sri'], isAdmin: false });
      // The account has no password: password sign-in cannot open it.
      const withPassword = await api(server.url, '/api/auth/login', { method: 'POST', body: { email: 'camille.martin@ecole.example', password: '' } });
      expect(withPassword.status).toBe(400);
    });

    it('sets departments and the administrator flag from the groups again at each sign-in', async () => {
      provider.people.set('camille', { email: 'camille@ecole.example', name: 'Camille', groups: ['ri-staff'] });
      const first = await me((await signInWithProvider(server.url, 'camille')).sessionCookie!);
      expect(first).toMatchObject({ departments: ['sri'], isAdmin: false });

      provider.people.set('camille', { email: 'camille@ecole.example', name: 'Camille', groups: ['admissions-office', 'research-lab', 'passerelle-admins'] });
      const second = await me((await signInWithProvider(server.url, 'camille')).sessionCookie!);
      expect(second.id).toBe(first.id);
      expect(second).toMatchObject({ departments: ['admissions', 'research'], isAdmin: true });

      // Leaving every mapped group takes the departments and the administrator flag away.
      provider.people.set('camille', { email: 'camille@ecole.example', name: 'Camille', groups: ['unrelated-group'] });
      const third = await me((await signInWithProvider(server.url, 'camille')).sessionCookie!);
      expect(third).toMatchObject({ id: first.id, departments: [], isAdmin: false });
    });

    it('recognises a returning person by their identity at the provider, even under a new address', async () => {
      provider.people.set('camille', { email: 'camille@ecole.example', name: 'Camille', groups: ['ri-staff'] });
      const first = await me((await signInWithProvider(server.url, 'camille')).sessionCookie!);
      provider.people.set('camille', { email: 'camille.martin@ecole.example', name: 'Camille', groups: ['ri-staff'] });
      const again = await me((await signInWithProvider(server.url, 'camille')).sessionCookie!);
      expect(again.id).toBe(first.id);
      // The new address made no second account.
      expect((await server.accounts.people.listUsers()).filter((user) => user.name === 'Camille')).toHaveLength(1);
    });

    it('refuses another identity at the provider that comes with the address of a linked account', async () => {
      provider.people.set('camille', { email: 'camille@ecole.example', name: 'Camille', groups: ['ri-staff'] });
      const first = await me((await signInWithProvider(server.url, 'camille')).sessionCookie!);
      // The address went to someone else at the provider (a recycled mailbox): not Camille's account.
      provider.people.set('newcomer', { email: 'camille@ecole.example', name: 'Camille Newcomer', groups: ['ri-staff'] });
      const refused = await signInWithProvider(server.url, 'newcomer');
      expect(refused.location).toBe('/login?sso=account_linked');
      expect(refused.sessionCookie).toBeNull();
      expect((await server.accounts.people.findUserById(first.id))?.name).toBe('Camille');
    });

    it('gives no department for a group it does not know, and still lets the person in', async () => {
      provider.people.set('dominique', { email: 'dominique@ecole.example', name: 'Dominique', groups: ['students'] });
      const signedIn = await signInWithProvider(server.url, 'dominique');
      expect(await me(signedIn.sessionCookie!)).toMatchObject({ departments: [], isAdmin: false });
    });

    it('lands on the page the person asked for, never on another site', async () => {
      provider.people.set('camille', { email: 'camille@ecole.example', name: 'Camille', groups: ['ri-staff'] });
      for (const [asked, landing] of [
        ['/boards/abc?view=roadmap', '/boards/abc?view=roadmap'],
        ['//evil.example/phish', '/'],
        ['https://evil.example/', '/'],
      ]) {
        const { authorizationUrl, flowCookie } = await beginSignIn(server.url, asked);
        const signedIn = await finishSignIn(await authorizeAtProvider(authorizationUrl, 'camille'), flowCookie);
        expect(signedIn.location).toBe(landing);
      }
    });

    it('refuses a replayed callback, with or without the flow cookie', async () => {
      provider.people.set('camille', { email: 'camille@ecole.example', name: 'Camille', groups: ['ri-staff'] });
      const { authorizationUrl, flowCookie } = await beginSignIn(server.url);
      const callbackUrl = await authorizeAtProvider(authorizationUrl, 'camille');
      expect((await finishSignIn(callbackUrl, flowCookie)).sessionCookie).not.toBeNull();

      for (const cookie of [flowCookie, null]) {
        const replayed = await finishSignIn(callbackUrl, cookie);
        expect(replayed.sessionCookie).toBeNull();
        expect(replayed.location).toBe('/login?sso=state');
      }
    });

    it('refuses a callback whose state is not the one this browser started', async () => {
      provider.people.set('camille', { email: 'camille@ecole.example', name: 'Camille', groups: ['ri-staff'] });
      const victim = await beginSignIn(server.url);
      const attacker = await beginSignIn(server.url);
      const attackerCallback = await authorizeAtProvider(attacker.authorizationUrl, 'camille');
      const forced = await finishSignIn(attackerCallback, victim.flowCookie);
      expect(forced.sessionCookie).toBeNull();
      expect(forced.location).toBe('/login?sso=state');
    });

    it('refuses an ID token carrying another nonce than the one it asked for', async () => {
      provider.people.set('camille', { email: 'camille@ecole.example', name: 'Camille', groups: ['ri-staff'] });
      const { authorizationUrl, flowCookie } = await beginSignIn(server.url);
      const tampered = new URL(authorizationUrl);
      expect(tampered.searchParams.get('nonce')).toBeTruthy();
      tampered.searchParams.set('nonce', 'a-nonce-from-another-sign-in');
      const callbackUrl = await authorizeAtProvider(tampered.href, 'camille');
      const refused = await finishSignIn(callbackUrl, flowCookie);
      expect(refused.sessionCookie).toBeNull();
      expect(refused.location).toBe('/login?sso=failed');
      expect((await server.accounts.people.findUserByEmail('camille@ecole.example'))).toBeUndefined();
    });

    it('refuses a person whose provider has not verified their e-mail address', async () => {
      provider.people.set('eve', { email: ADMIN.email, name: 'Eve', groups: ['passerelle-admins'], emailVerified: false });
      const refused = await signInWithProvider(server.url, 'eve');
      expect(refused.sessionCookie).toBeNull();
      expect(refused.location).toBe('/login?sso=no_email');
    });

    it('ends the Passerelle session at sign-out and offers the provider’s end-session address', async () => {
      provider.people.set('camille', { email: 'camille@ecole.example', name: 'Camille', groups: ['ri-staff'] });
      const { sessionCookie } = await signInWithProvider(server.url, 'camille');
      const logout = await api(server.url, '/api/auth/logout', { method: 'POST', cookie: sessionCookie!, headers: { origin: server.url } });
      expect(logout.status).toBe(204);
      expect((await api(server.url, '/api/auth/me', { cookie: sessionCookie! })).status).toBe(401);

      const endSession = await fetch(`${server.url}/api/auth/sso/end-session`, { redirect: 'manual' });
      expect(endSession.status).toBe(303);
      const target = new URL(endSession.headers.get('location')!);
      expect(target.origin).toBe(provider.issuer);
      expect(target.searchParams.get('post_logout_redirect_uri')).toBe(`${server.url}/login`);
      // The provider accepts it: it answers with its sign-out confirmation, not an error.
      const confirmation = await fetch(target, { redirect: 'manual' });
      expect(confirmation.status).toBe(200);
      expect(await confirmation.text()).toContain('logout');
    });
  });

  describe('with a provider that has no sign-out address', () => {
    beforeEach(() => start({}, { endSession: false }));

    it('offers no provider sign-out, and its address leads back to the sign-in page', async () => {
      expect((await api(server.url, '/api/auth/methods')).body).toEqual({ sso: { displayName: 'École SSO', endSession: false }, saml: null, passwordRequiresSso: false });
      const endSession = await fetch(`${server.url}/api/auth/sso/end-session`, { redirect: 'manual' });
      expect(endSession.headers.get('location')).toBe('/login');
    });
  });

  describe('when a known group is required', () => {
    beforeEach(() => start({ OIDC_REQUIRE_GROUP: 'true' }));

    it('refuses a person in no mapped group, and creates no account', async () => {
      provider.people.set('dominique', { email: 'dominique@ecole.example', name: 'Dominique', groups: ['students'] });
      const refused = await signInWithProvider(server.url, 'dominique');
      expect(refused.sessionCookie).toBeNull();
      expect(refused.location).toBe('/login?sso=no_group');
      expect(await server.accounts.people.findUserByEmail('dominique@ecole.example')).toBeUndefined();
    });

    it('lets in a person in a mapped group', async () => {
      provider.people.set('camille', { email: 'camille@ecole.example', name: 'Camille', groups: ['research-lab'] });
      const signedIn = await signInWithProvider(server.url, 'camille');
      expect(await me(signedIn.sessionCookie!)).toMatchObject({ departments: ['research'] });
    });
  });

  describe('when single sign-on is required', () => {
    beforeEach(() => start({ AUTH_REQUIRE_SSO: 'true' }));

    it('refuses password sign-in with a message in the person’s language, but lets the break-glass administrator in', async () => {
      const admin = await login(server.url);
      const created = await api(server.url, '/api/users', {
        method: 'POST',
        cookie: admin,
        headers: { origin: server.url },
        body: { email: 'claude@ecole.example', password: 'a long enough password', name: 'Claude', isAdmin: false, departments: ['studies'] },
      });
      expect(created.status).toBe(201);

      const refused = await api<{ error: { code: string; message: string } }>(server.url, '/api/auth/login', {
        method: 'POST',
        headers: { 'accept-language': 'fr-FR,fr;q=0.9' },
        body: { email: 'claude@ecole.example', password: 'a long enough password' },
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('sso_required');
      expect(refused.body.error.message).toContain('authentification unique');

      // Nor can an invitation link set a password and sign in with it.
      const invitation = await api<{ url: string }>(server.url, '/api/invitations', {
        method: 'POST',
        cookie: admin,
        headers: { origin: server.url },
        body: { email: 'dominique@ecole.example', departments: ['research'] },
      });
      expect(invitation.status).toBe(201);
      const token = invitation.body.url.split('/join/')[1];
      const accepted = await api<{ error: { code: string } }>(server.url, `/api/invitations/by-token/${token}/accept`, {
        method: 'POST',
        headers: { origin: server.url },
        body: { name: 'Dominique', password: 'a long enough password' },
      });
      expect(accepted.status).toBe(403);
      expect(accepted.body.error.code).toBe('sso_required');

      expect((await api(server.url, '/api/auth/methods')).body).toMatchObject({ passwordRequiresSso: true });
      expect(await login(server.url)).toMatch(/^passerelle_session=/);
    });
  });
  describe('when single sign-on is required and e-mail is sent', () => {
    beforeEach(() => start({ AUTH_REQUIRE_SSO: 'true', SMTP_URL: smtp.url, MAIL_FROM: 'Passerelle <passerelle@school.example>' }));

    const CLAUDE = { email: 'claude@ecole.example', password: 'a long enough password' };
    const askReset = (email: string) => api(server.url, '/api/auth/password-reset', { method: 'POST', body: { email } });
    const confirmReset = (token: string) =>
      api<{ error?: { code: string } }>(server.url, '/api/auth/password-reset/confirm', { method: 'POST', body: { token, password: 'a brand new password' } });

    it('resets the break-glass administrator’s password only: no one else has a password to reset', async () => {
      smtp.received.length = 0;
      const admin = await login(server.url);
      const created = await api(server.url, '/api/users', {
        method: 'POST',
        cookie: admin,
        headers: { origin: server.url },
        body: { ...CLAUDE, name: 'Claude', isAdmin: false, departments: ['studies'] },
      });
      expect(created.status).toBe(201);

      // Claude asks: the answer is the same as for anyone, but no link is sent.
      expect((await askReset(CLAUDE.email)).status).toBe(202);
      // A link made before single sign-on was required does not set a password either.
      const hashBefore = (await server.accounts.people.findUserByEmail(CLAUDE.email))!.passwordHash;
      const issued = await new PasswordResets(server.accounts.people).issue(CLAUDE.email);
      const refused = await confirmReset(issued!.secret);
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe('sso_required');
      expect((await server.accounts.people.findUserByEmail(CLAUDE.email))!.passwordHash).toBe(hashBefore);

      // The break-glass administrator gets a link, and it works.
      expect((await askReset(ADMIN.email)).status).toBe(202);
      const mail = await smtp.mailTo(ADMIN.email);
      const token = new URL(linkIn(mail, `${server.url}/reset?token=`)).searchParams.get('token')!;
      expect((await confirmReset(token)).status).toBe(204);
      expect(await login(server.url, { email: ADMIN.email, password: 'a brand new password' })).toMatch(/^passerelle_session=/);
      expect(smtp.mailsTo(CLAUDE.email)).toHaveLength(0);
    });
  });
});
