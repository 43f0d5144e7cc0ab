import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { SAML, ValidateInResponseTo, type CacheProvider, type Profile, type SamlConfig as NodeSamlConfig } from '@node-saml/node-saml';
import type { SamlConfig } from '../config.js';
import { CookieSeal } from './cookie-seal.js';
import { samlIdentityOf } from './saml-attributes.js';
import { parseIdpMetadata, type IdpMetadata } from './saml-metadata.js';
import type { SsoIdentity, SsoRefusal } from './sso-accounts.js';

/** Cookie carrying one SAML sign-in attempt (the request's ID, where to land) from the start to the assertion consumer. */
export const SAML_FLOW_COOKIE = 'passerelle_saml_flow';
/** Cookie remembering who the identity provider signed in (NameID, session index), for its single logout. */
export const SAML_SESSION_COOKIE = 'passerelle_saml_session';
/** How long a person has at the identity provider before the attempt lapses. */
export const SAML_FLOW_SECONDS = 600;
/** Clock difference tolerated with the identity provider: enough for servers kept on time by NTP, no more. */
const CLOCK_SKEW_MS = 60_000;
/** After a failed metadata refresh, the last good copy is used this long before the provider is asked again. */
const METADATA_RETRY_MS = 5 * 60_000;

/** One sign-in attempt, sealed into the flow cookie. */
interface SamlFlow {
  requestId: string;
  /** A same-site path to land on once signed in. */
  returnTo: string;
  /** Epoch milliseconds after which the attempt is refused. */
  expiresAt: number;
}

/** What the identity provider's single logout needs to name the session it ends. */
type SamlSessionRef = Pick<Profile, 'nameID' | 'nameIDFormat' | 'sessionIndex' | 'nameQualifier' | 'spNameQualifier'>;

/** Passerelle's addresses as the identity provider sees them, under the public base URL. */
export function samlUrls(base: string): { acs: string; logout: string; metadata: string } {
  return { acs: `${base}/api/auth/saml/acs`, logout: `${base}/api/auth/saml/logout`, metadata: `${base}/api/auth/saml/metadata` };
}

/**
 * The SAML 2.0 service provider: sign-in requests sent with the HTTP-Redirect binding, answers
 * received with HTTP-POST. An answer is accepted only with a signed assertion from the metadata's
 * certificates, for this service provider (audience), within its validity (clock skew one minute),
 * and in response to the request this browser started: the request's ID lives in a sealed cookie
 * (any process can finish the attempt) and is used once, so a replayed or unsolicited answer is refused.
 */
export class SamlSignIn {
  readonly #config: SamlConfig;
  readonly #flowSeal: CookieSeal<SamlFlow>;
  readonly #sessionSeal: CookieSeal<SamlSessionRef>;
  readonly #spKey: { privateKey: string; cert: string } | null;
  readonly #onMetadataError: (error: unknown) => void;
  #metadata: { idp: IdpMetadata; trustedUntil: number } | null = null;
  #reading: Promise<IdpMetadata> | null = null;
  /** Request IDs already answered on this process, until their attempt would have lapsed anyway. */
  readonly #usedRequests = new Map<string, number>();

  constructor(config: SamlConfig, options: { onMetadataError?: (error: unknown) => void } = {}) {
    this.#config = config;
    // Read at start: a missing key file stops the server with its path, not the first sign-in.
    this.#spKey = config.spKeyFiles ? { privateKey: readFileSync(config.spKeyFiles.privateKey, 'utf8'), cert: readFileSync(config.spKeyFiles.cert, 'utf8') } : null;
    const secret = config.stateSecret ?? this.#spKey?.privateKey ?? null;
    this.#flowSeal = new CookieSeal(secret, 'saml-flow-cookie');
    this.#sessionSeal = new CookieSeal(secret, 'saml-session-cookie');
    this.#onMetadataError = options.onMetadataError ?? (() => undefined);
  }

  get displayName(): string {
    return this.#config.displayName;
  }

  /** The identity provider's metadata: read when first needed, and again once it is `SAML_METADATA_REFRESH_HOURS` old. */
  async #idp(): Promise<IdpMetadata> {
    if (this.#metadata && Date.now() < this.#metadata.trustedUntil) return this.#metadata.idp;
    this.#reading ??= this.#readMetadata()
      .then((idp) => {
        this.#metadata = { idp, trustedUntil: Date.now() + this.#config.metadataRefreshHours * 3_600_000 };
        return idp;
      })
      .catch((error: unknown) => {
        this.#onMetadataError(error);
        // A provider briefly unreachable must not lock everyone out: keep the last good copy a while.
        if (!this.#metadata) throw error;
        this.#metadata.trustedUntil = Date.now() + METADATA_RETRY_MS;
        return this.#metadata.idp;
      })
      .finally(() => {
        this.#reading = null;
      });
    return this.#reading;
  }

  async #readMetadata(): Promise<IdpMetadata> {
    const source = this.#config.idpMetadata;
    let xml: string;
    if ('file' in source) xml = await readFile(source.file, 'utf8');
    else {
      const response = await fetch(source.url, { signal: AbortSignal.timeout(10_000), headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' } });
      if (!response.ok) throw new Error(`SAML metadata: ${source.url} answered ${response.status}`);
      xml = await response.text();
    }
    return parseIdpMetadata(xml, this.#config.idpEntityId);
  }

  /** A node-saml service provider for one operation; `requestId` is the only request it accepts an answer to. */
  #serviceProvider(idp: IdpMetadata, base: string, requestId: string | null): SAML {
    const urls = samlUrls(base);
    const options: NodeSamlConfig = {
      issuer: this.#config.spEntityId,
      audience: this.#config.spEntityId,
      callbackUrl: urls.acs,
      logoutCallbackUrl: urls.logout,
      entryPoint: idp.signOnUrl,
      ...(idp.signOutUrl ? { logoutUrl: idp.signOutUrl } : {}),
      idpIssuer: idp.entityId,
      idpCert: idp.signingCerts,
      wantAssertionsSigned: true,
      // Many providers (Entra ID, ADFS) sign the assertion only; the assertion's signature is what counts.
      wantAuthnResponseSigned: false,
      acceptedClockSkewMs: CLOCK_SKEW_MS,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: SAML_FLOW_SECONDS * 1000,
      cacheProvider: singleRequestCache(requestId),
      // The provider picks the NameID format and how the person authenticates (password, second factor).
      identifierFormat: null,
      disableRequestedAuthnContext: true,
      signatureAlgorithm: 'sha256',
      ...(this.#spKey ? { privateKey: this.#spKey.privateKey, publicCert: this.#spKey.cert, decryptionPvk: this.#spKey.privateKey } : {}),
      ...(requestId ? { generateUniqueId: () => requestId } : {}),
    };
    return new SAML(options);
  }

  /** Starts an attempt: the identity provider's sign-in URL and the sealed cookie value to set. */
  async start(base: string, returnTo: string): Promise<{ url: string; cookie: string }> {
    const idp = await this.#idp();
    // An XML ID must not start with a digit.
    const flow: SamlFlow = { requestId: `_${randomBytes(20).toString('hex')}`, returnTo, expiresAt: Date.now() + SAML_FLOW_SECONDS * 1000 };
    const url = await this.#serviceProvider(idp, base, flow.requestId).getAuthorizeUrlAsync('', undefined, {});
    return { url, cookie: this.#flowSeal.seal(flow) };
  }

  /**
   * Finishes an attempt from the posted `SAMLResponse` and the flow cookie: the verified identity,
   * where to go and the sealed session reference for single logout, or why it was refused.
   */
  async finish(
    base: string,
    samlResponse: string | undefined,
    cookie: string | undefined,
  ): Promise<{ identity: SsoIdentity; returnTo: string; session: string } | { refused: SsoRefusal }> {
    const flow = cookie ? this.#flowSeal.open(cookie) : null;
    if (!flow || flow.expiresAt <= Date.now() || !samlResponse) return { refused: 'state' };
    this.#forgetLapsedRequests();
    if (this.#usedRequests.has(flow.requestId)) return { refused: 'state' };
    this.#usedRequests.set(flow.requestId, flow.expiresAt);
    let idp: IdpMetadata;
    try {
      idp = await this.#idp();
    } catch {
      return { refused: 'unavailable' };
    }
    let profile: Profile | null;
    try {
      ({ profile } = await this.#serviceProvider(idp, base, flow.requestId).validatePostResponseAsync({ SAMLResponse: samlResponse }));
    } catch (error) {
      // An answer to another request (another browser's, an older one, or none: unsolicited) is a state problem.
      return { refused: error instanceof Error && /InResponseTo/i.test(error.message) ? 'state' : 'failed' };
    }
    if (!profile) return { refused: 'failed' };
    const identity = samlIdentityOf(profile, this.#config.groupsAttributes, idp.entityId);
    if (!identity) return { refused: 'no_email' };
    const session: SamlSessionRef = {
      nameID: profile.nameID,
      nameIDFormat: profile.nameIDFormat,
      ...(profile.sessionIndex ? { sessionIndex: profile.sessionIndex } : {}),
      ...(profile.nameQualifier ? { nameQualifier: profile.nameQualifier } : {}),
      ...(profile.spNameQualifier ? { spNameQualifier: profile.spNameQualifier } : {}),
    };
    return { identity, returnTo: flow.returnTo, session: this.#sessionSeal.seal(session) };
  }

  /** Whether the identity provider has a single logout address to offer; false while it cannot be read. */
  async offersEndSession(): Promise<boolean> {
    try {
      return (await this.#idp()).signOutUrl !== null;
    } catch {
      return false;
    }
  }

  /** The identity provider's sign-out request for the session named in the cookie; null when there is none to end. */
  async endSessionUrl(base: string, sessionCookie: string | undefined): Promise<string | null> {
    const idp = await this.#idp();
    const session = sessionCookie ? this.#sessionSeal.open(sessionCookie) : null;
    if (!idp.signOutUrl || !session) return null;
    const sp = this.#serviceProvider(idp, base, null);
    return sp.getLogoutUrlAsync({ issuer: idp.entityId, ...session }, '', {});
  }

  /** Passerelle's service provider metadata, to register with the identity provider or the federation. */
  async metadata(base: string): Promise<string> {
    const sp = new SAML({
      issuer: this.#config.spEntityId,
      callbackUrl: samlUrls(base).acs,
      logoutCallbackUrl: samlUrls(base).logout,
      // The metadata does not depend on the provider's; it can be served before the provider is reachable.
      idpCert: 'unused',
      wantAssertionsSigned: true,
      identifierFormat: null,
      ...(this.#spKey ? { privateKey: this.#spKey.privateKey, publicCert: this.#spKey.cert, decryptionPvk: this.#spKey.privateKey } : {}),
    });
    return sp.generateServiceProviderMetadata(this.#spKey?.cert ?? null, this.#spKey?.cert ?? null);
  }

  #forgetLapsedRequests(): void {
    const now = Date.now();
    for (const [id, expiresAt] of this.#usedRequests) if (expiresAt <= now) this.#usedRequests.delete(id);
  }
}

/**
 * node-saml's request cache for one operation: it knows the one request this browser's cookie
 * names, so node-saml's InResponseTo check accepts an answer to that request and nothing else.
 */
function singleRequestCache(requestId: string | null): CacheProvider {
  let pending = requestId;
  return {
    saveAsync: async (_key, value) => ({ value, createdAt: Date.now() }),
    getAsync: async (key) => (key === pending ? new Date().toISOString() : null),
    removeAsync: async (key) => {
      if (key !== pending) return null;
      pending = null;
      return key;
    },
  };
}
