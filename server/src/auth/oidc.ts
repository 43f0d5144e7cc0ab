import * as oidc from 'openid-client';
import type { OidcConfig } from '../config.js';
import { CookieSeal } from './cookie-seal.js';
import type { SsoIdentity, SsoRefusal } from './sso-accounts.js';

/** Cookie carrying one sign-in attempt (state, nonce, PKCE verifier) from the start to the callback. */
export const SSO_FLOW_COOKIE = 'passerelle_sso_flow';
/** How long a person has at the provider before the attempt lapses: long enough to type a password and a second factor. */
export const SSO_FLOW_SECONDS = 600;

/** One sign-in attempt, sealed into the flow cookie. */
interface SsoFlow {
  state: string;
  nonce: string;
  verifier: string;
  /** A same-site path to land on once signed in. */
  returnTo: string;
  /** Epoch milliseconds after which the attempt is refused. */
  expiresAt: number;
}

/**
 * The OpenID Connect relying party: authorization code flow with PKCE, state and nonce. The attempt
 * lives in a cookie sealed with AES-GCM (any process behind the balancer can finish it), and each
 * state is accepted once: a replayed callback is refused here before the provider is asked.
 */
export class OidcSignIn {
  readonly #config: OidcConfig;
  readonly #seal: CookieSeal<SsoFlow>;
  #discovery: Promise<oidc.Configuration> | null = null;
  /** States already used on this process, until their attempt would have lapsed anyway. */
  readonly #usedStates = new Map<string, number>();

  constructor(config: OidcConfig) {
    this.#config = config;
    this.#seal = new CookieSeal(config.stateSecret, 'sso-flow-cookie');
  }

  get displayName(): string {
    return this.#config.displayName;
  }

  /** The provider's metadata, read once; a failed read is tried again at the next sign-in. */
  async #provider(): Promise<oidc.Configuration> {
    this.#discovery ??= oidc
      .discovery(new URL(this.#config.issuerUrl), this.#config.clientId, this.#config.clientSecret ?? undefined, this.#config.clientSecret ? undefined : oidc.None(), {
        // The configuration only allows plain HTTP for an issuer on a loopback address.
        execute: new URL(this.#config.issuerUrl).protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        this.#discovery = null;
        throw error;
      });
    return this.#discovery;
  }

  /** Starts an attempt: the provider's authorization URL and the sealed cookie value to set. */
  async start(redirectUri: string, returnTo: string): Promise<{ url: string; cookie: string }> {
    const provider = await this.#provider();
    const flow: SsoFlow = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      returnTo,
      expiresAt: Date.now() + SSO_FLOW_SECONDS * 1000,
    };
    const url = oidc.buildAuthorizationUrl(provider, {
      redirect_uri: redirectUri,
      scope: this.#config.scopes,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, cookie: this.#seal.seal(flow) };
  }

  /**
   * Finishes an attempt from the callback URL and the flow cookie: the verified identity and where
   * to go, or why it was refused.
   */
  async finish(callbackUrl: URL, cookie: string | undefined, redirectUri: string): Promise<{ identity: SsoIdentity; returnTo: string } | { refused: SsoRefusal }> {
    const flow = cookie ? this.#seal.open(cookie) : null;
    if (!flow || flow.expiresAt <= Date.now() || callbackUrl.searchParams.get('state') !== flow.state) return { refused: 'state' };
    this.#forgetLapsedStates();
    if (this.#usedStates.has(flow.state)) return { refused: 'state' };
    this.#usedStates.set(flow.state, flow.expiresAt);
    let provider: oidc.Configuration;
    try {
      provider = await this.#provider();
    } catch {
      return { refused: 'unavailable' };
    }
    let claims: Record<string, unknown>;
    try {
      // The callback is checked against the registered redirect URI, not the URL this request reached.
      const current = new URL(redirectUri);
      current.search = callbackUrl.search;
      const tokens = await oidc.authorizationCodeGrant(provider, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims()!;
      claims = { ...idClaims };
      // Providers that keep the ID token small (`oidc-provider`, Entra for large group lists) give the rest at userinfo.
      if (provider.serverMetadata().userinfo_endpoint) {
        claims = { ...(await oidc.fetchUserInfo(provider, tokens.access_token, idClaims.sub)), ...idClaims };
      }
    } catch {
      return { refused: 'failed' };
    }
    const identity = identityOf(claims, this.#config.groupsClaim);
    if (!identity) return { refused: 'no_email' };
    return { identity, returnTo: flow.returnTo };
  }

  /** Whether the provider has a sign-out address to offer; false while it cannot be reached. */
  async offersEndSession(): Promise<boolean> {
    try {
      return Boolean((await this.#provider()).serverMetadata().end_session_endpoint);
    } catch {
      return false;
    }
  }

  /** The provider's sign-out address, landing back on `postLogoutRedirectUri`; null when it has none. */
  async endSessionUrl(postLogoutRedirectUri: string): Promise<string | null> {
    const provider = await this.#provider();
    if (!provider.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(provider, { client_id: this.#config.clientId, post_logout_redirect_uri: postLogoutRedirectUri }).href;
  }

  #forgetLapsedStates(): void {
    const now = Date.now();
    for (const [state, expiresAt] of this.#usedStates) if (expiresAt <= now) this.#usedStates.delete(state);
  }
}

/** The identity in verified claims; null without a usable e-mail address (absent, or marked unverified). */
export function identityOf(claims: Record<string, unknown>, groupsClaim: string): SsoIdentity | null {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  // Accounts are matched by address: one the provider has not verified could be anybody's.
  if (!email.includes('@') || claims.email_verified === false) return null;
  const rawGroups = claims[groupsClaim];
  const groups = Array.isArray(rawGroups) ? rawGroups.filter((group): group is string => typeof group === 'string') : typeof rawGroups === 'string' ? [rawGroups] : [];
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 80) : email.split('@')[0];
  return { issuer: String(claims.iss), subject: String(claims.sub), email, name, groups };
}
