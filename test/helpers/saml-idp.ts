import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';

/** A PEM key pair with a self-signed certificate, made by openssl for one test run. */
export interface TestKeyPair {
  privateKey: string;
  cert: string;
}

/** A fresh RSA key and self-signed certificate, as an identity provider or service provider would publish. */
export function makeKeyPair(commonName: string): TestKeyPair {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-saml-key-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-subj', `/CN=${commonName}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { privateKey: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Someone the test identity provider signs in, with the attributes a Shibboleth provider releases. */
export interface IdpPerson {
  mail?: string;
  displayName?: string;
  givenName?: string;
  sn?: string;
  eduPersonPrincipalName?: string;
  eduPersonAffiliation?: string[];
  isMemberOf?: string[];
}

/** What a test changes in one answer to make it one a service provider must refuse. */
export interface AnswerTampering {
  /** What is signed: the assertion (the default), the whole response only, or nothing. */
  sign?: 'assertion' | 'response' | 'none';
  /** Sign with this key instead of the one in the metadata. */
  signingKey?: TestKeyPair;
  /** Change the person's e-mail address after signing. */
  alterAfterSigning?: string;
  audience?: string;
  /** Seconds from now the assertion stops being valid (default 300); negative: expired. */
  validForSeconds?: number;
  inResponseTo?: string;
}

const SAML_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const OID = {
  mail: 'urn:oid:0.9.2342.19200300.100.1.3',
  displayName: 'urn:oid:2.16.840.1.113730.3.1.241',
  givenName: 'urn:oid:2.5.4.42',
  sn: 'urn:oid:2.5.4.4',
  eduPersonPrincipalName: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6',
  eduPersonAffiliation: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.1',
  isMemberOf: 'urn:oid:1.3.6.1.4.1.5923.1.5.1.1',
} as const;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function pemBody(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

/** The sign-in request a service provider sent in an HTTP-Redirect URL. */
export function readAuthnRequest(url: string): { id: string; acs: string; issuer: string; relayState: string } {
  const parsed = new URL(url);
  const xml = inflateRawSync(Buffer.from(parsed.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
  const id = /<samlp:AuthnRequest[^>]*\sID="([^"]+)"/.exec(xml)?.[1];
  const acs = /AssertionConsumerServiceURL="([^"]+)"/.exec(xml)?.[1];
  const issuer = /<saml:Issuer[^>]*>([^<]+)<\/saml:Issuer>/.exec(xml)?.[1];
  if (!id || !acs || !issuer) throw new Error(`not an AuthnRequest: ${xml.slice(0, 300)}`);
  return { id, acs: acs.replace(/&amp;/g, '&'), issuer, relayState: parsed.searchParams.get('RelayState') ?? '' };
}

/**
 * A SAML 2.0 identity provider on a free port, as a Shibboleth provider of a French university would
 * be: metadata at `/metadata`, sign-in at `/sso` (HTTP-Redirect, answered with an auto-posting form
 * carrying an assertion signed with a key made for this run), single logout at `/slo`. At `/sso`
 * without `login`, it shows a login form, for a browser.
 */
export class TestSamlIdp {
  readonly people = new Map<string, IdpPerson>();
  /** Sign-out requests received at `/slo`, decoded. */
  readonly logoutRequests: { xml: string; signed: boolean }[] = [];
  /** The NameID and session index of every assertion issued, latest last. */
  readonly sessions: { nameId: string; sessionIndex: string }[] = [];
  readonly keys: TestKeyPair;
  url = '';
  readonly #http: Server;
  readonly #singleLogout: boolean;

  private constructor(http: Server, keys: TestKeyPair, singleLogout: boolean) {
    this.#http = http;
    this.keys = keys;
    this.#singleLogout = singleLogout;
  }

  /** `singleLogout: false` leaves the SingleLogoutService out of the metadata. */
  static async start(options: { keys?: TestKeyPair; singleLogout?: boolean } = {}): Promise<TestSamlIdp> {
    const http = createServer();
    const idp = new TestSamlIdp(http, options.keys ?? makeKeyPair('test-idp'), options.singleLogout ?? true);
    http.on('request', (request, response) => {
      const url = new URL(request.url ?? '/', idp.url);
      if (url.pathname === '/metadata') {
        response.setHeader('content-type', 'application/samlmetadata+xml');
        response.end(idp.metadata());
      } else if (url.pathname === '/sso') {
        const login = url.searchParams.get('login');
        response.setHeader('content-type', 'text/html; charset=utf-8');
        if (!login) {
          const hidden = [...url.searchParams].map(([name, value]) => `<input type="hidden" name="${escapeXml(name)}" value="${escapeXml(value)}">`).join('');
          response.end(`<!doctype html><title>Test IdP</title><form method="get" action="/sso">${hidden}<label>Login <input name="login" data-testid="idp-login"></label><button type="submit" data-testid="idp-submit">Sign in</button></form>`);
          return;
        }
        const request_ = readAuthnRequest(url.href);
        const samlResponse = idp.answer(request_, login);
        response.end(
          `<!doctype html><title>Test IdP</title><form method="post" action="${escapeXml(request_.acs)}"><input type="hidden" name="SAMLResponse" value="${samlResponse}"><input type="hidden" name="RelayState" value="${escapeXml(request_.relayState)}"><button type="submit">Continue</button></form><script>document.forms[0].submit()</script>`,
        );
      } else if (url.pathname === '/slo') {
        const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
        idp.logoutRequests.push({ xml, signed: url.searchParams.has('Signature') });
        response.setHeader('content-type', 'text/html; charset=utf-8');
        response.end('<!doctype html><title>Test IdP</title><p>You are signed out of the test identity provider.</p>');
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    idp.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    return idp;
  }

  get entityId(): string {
    return `${this.url}/idp`;
  }

  metadata(): string {
    return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${this.entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="${SAML_PROTOCOL}">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${pemBody(this.keys.cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    ${this.#singleLogout ? `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${this.url}/slo"/>` : ''}
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${this.url}/sso"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${this.url}/sso-post"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
  }

  /** The base64 `SAMLResponse` this provider posts back for `login`, changed by `tampering`. */
  answer(request: { id: string; acs: string; issuer: string }, login: string, tampering: AnswerTampering = {}): string {
    const person = this.people.get(login);
    if (!person) throw new Error(`no person ${login} at the test identity provider`);
    const now = new Date();
    const later = new Date(now.getTime() + (tampering.validForSeconds ?? 300) * 1000).toISOString();
    const notBefore = new Date(Math.min(now.getTime(), now.getTime() + (tampering.validForSeconds ?? 300) * 1000) - 600_000).toISOString();
    const inResponseTo = tampering.inResponseTo ?? request.id;
    const audience = tampering.audience ?? request.issuer;
    const attribute = (name: keyof typeof OID, values: string[] | string | undefined) =>
      values === undefined
        ? ''
        : `<saml:Attribute Name="${OID[name]}" FriendlyName="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${(Array.isArray(values) ? values : [values])
            .map((value) => `<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${escapeXml(value)}</saml:AttributeValue>`)
            .join('')}</saml:Attribute>`;
    const id = () => `_${randomBytes(16).toString('hex')}`;
    const session = { nameId: id(), sessionIndex: id() };
    this.sessions.push(session);
    const assertion = `<saml:Assertion xmlns:saml="${SAML_ASSERTION}" ID="${id()}" Version="2.0" IssueInstant="${now.toISOString()}"><saml:Issuer>${this.entityId}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient" NameQualifier="${this.entityId}" SPNameQualifier="${escapeXml(audience)}">${session.nameId}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${later}" Recipient="${escapeXml(request.acs)}" InResponseTo="${inResponseTo}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${later}"><saml:AudienceRestriction><saml:Audience>${escapeXml(audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${session.sessionIndex}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement>${attribute('mail', person.mail)}${attribute('displayName', person.displayName)}${attribute('givenName', person.givenName)}${attribute('sn', person.sn)}${attribute('eduPersonPrincipalName', person.eduPersonPrincipalName)}${attribute('eduPersonAffiliation', person.eduPersonAffiliation)}${attribute('isMemberOf', person.isMemberOf)}</saml:AttributeStatement></saml:Assertion>`;
    let xml = `<samlp:Response xmlns:samlp="${SAML_PROTOCOL}" xmlns:saml="${SAML_ASSERTION}" ID="${id()}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="${escapeXml(request.acs)}" InResponseTo="${inResponseTo}"><saml:Issuer>${this.entityId}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${assertion}</samlp:Response>`;
    const sign = tampering.sign ?? 'assertion';
    if (sign !== 'none') xml = signXml(xml, sign === 'assertion' ? 'Assertion' : 'Response', tampering.signingKey ?? this.keys);
    if (tampering.alterAfterSigning !== undefined && person.mail) xml = xml.replace(escapeXml(person.mail), escapeXml(tampering.alterAfterSigning));
    return Buffer.from(xml, 'utf8').toString('base64');
  }

  async close(): Promise<void> {
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }
}

/** An enveloped XML signature over the `Assertion` or the whole `Response`, placed after its Issuer as SAML requires. */
function signXml(xml: string, element: 'Assertion' | 'Response', keys: TestKeyPair): string {
  const signer = new SignedXml({
    privateKey: keys.privateKey,
    publicCert: keys.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  const target = `//*[local-name(.)='${element}']`;
  signer.addReference({
    xpath: target,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signer.computeSignature(xml, { location: { reference: `${target}/*[local-name(.)='Issuer']`, action: 'after' } });
  return signer.getSignedXml();
}

/** The environment that points a Passerelle server at the test identity provider. */
export function samlEnv(idp: TestSamlIdp, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SAML_IDP_METADATA_URL: `${idp.url}/metadata`,
    SAML_SP_ENTITY_ID: 'https://passerelle.ecole.example/saml',
    SAML_DISPLAY_NAME: 'Fédération Éducation-Recherche',
    ...extra,
  };
}

/** Passerelle's answer to the start of a SAML sign-in: the identity provider URL it sends the browser to, and the flow cookie. */
export async function beginSamlSignIn(passerelleUrl: string, returnTo = '/'): Promise<{ idpUrl: string; flowCookie: string }> {
  const response = await fetch(`${passerelleUrl}/api/auth/saml/start?returnTo=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
  if (response.status !== 303) throw new Error(`saml start answered ${response.status}`);
  const flow = response.headers.getSetCookie().find((line) => line.startsWith('passerelle_saml_flow='));
  if (!flow) throw new Error('no flow cookie');
  return { idpUrl: response.headers.get('location')!, flowCookie: flow.split(';')[0] };
}

/** What Passerelle did with a posted answer: where it sends the browser, and the cookies it set. */
export interface AcsOutcome {
  status: number;
  location: string;
  sessionCookie: string | null;
  samlSessionCookie: string | null;
}

/** Posts an answer to Passerelle's assertion consumer as the identity provider's auto-posting form would, from the provider's site. */
export async function postToAcs(acs: string, samlResponse: string, flowCookie: string | null, origin = 'https://idp.univ.example'): Promise<AcsOutcome> {
  const response = await fetch(acs, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-site': 'cross-site', ...(flowCookie ? { cookie: flowCookie } : {}) },
    body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: '' }).toString(),
  });
  const cookie = (name: string) => response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`))?.split(';')[0] ?? null;
  return { status: response.status, location: response.headers.get('location') ?? '', sessionCookie: cookie('passerelle_session'), samlSessionCookie: cookie('passerelle_saml_session') };
}

/** A whole SAML sign-in as `login`, with the answer optionally tampered with. */
export async function signInWithSaml(passerelleUrl: string, idp: TestSamlIdp, login: string, tampering: AnswerTampering = {}): Promise<AcsOutcome> {
  const { idpUrl, flowCookie } = await beginSamlSignIn(passerelleUrl);
  const request = readAuthnRequest(idpUrl);
  return postToAcs(request.acs, idp.answer(request, login, tampering), flowCookie);
}
