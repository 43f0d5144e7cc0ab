import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { newId, type Department } from '@passerelle/shared';
import type { GroupGrant, OidcConfig } from '../config.js';
import { EmailTakenError, type PeopleStore, type UserRecord } from '../store/account-store.js';

/** Cookie carrying one sign-in attempt (state, nonce, PKCE verifier) from the start to the callback. */
export const SSO_FLOW_COOKIE = 'passerelle_sso_flow';
/** How long a person has at the provider before the attempt lapses: long enough to type a password and a second factor. */
export const SSO_FLOW_SECONDS = 600;

/**
 * Why a single sign-on attempt was refused; the web app shows `sso.refused.<code>` in the person's
 * language. `state`: missing, expired, forged or already used; `failed`: the provider's answer did
 * not verify (code, PKCE, ID token, nonce); `unavailable`: the provider could not be reached.
 */
export type SsoRefusal = 'state' | 'failed' | 'unavailable' | 'no_email' | 'no_group' | 'deactivated';

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

/** Who the provider says signed in, reduced to what Passerelle uses. */
export interface SsoIdentity {
  subject: string;
  email: string;
  name: string;
  groups: string[];
}

/**
 * The OpenID Connect relying party: authorization code flow with PKCE, state and nonce. The attempt
 * lives in a cookie sealed with AES-GCM (any process behind the balancer can finish it), and each
 * state is accepted once: a replayed callback is refused here before the provider is asked.
 */
export class OidcSignIn {
  readonly #config: OidcConfig;
  readonly #key: Buffer;
  #discovery: Promise<oidc.Configuration> | null = null;
  /** States already used on this process, until their attempt would have lapsed anyway. */
  readonly #usedStates = new Map<string, number>();

  constructor(config: OidcConfig) {
    this.#config = config;
    const secret = config.stateSecret ?? randomBytes(32).toString('hex');
    this.#key = Buffer.from(hkdfSync('sha256', secret, 'passerelle', 'sso-flow-cookie', 32));
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
    return { url: url.href, cookie: this.#seal(flow) };
  }

  /**
   * Finishes an attempt from the callback URL and the flow cookie: the verified identity and where
   * to go, or why it was refused.
   */
  async finish(callbackUrl: URL, cookie: string | undefined, redirectUri: string): Promise<{ identity: SsoIdentity; returnTo: string } | { refused: SsoRefusal }> {
    const flow = cookie ? this.#open(cookie) : null;
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

  #seal(flow: SsoFlow): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  #open(sealed: string): SsoFlow | null {
    try {
      const raw = Buffer.from(sealed, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as SsoFlow;
    } catch {
      return null;
    }
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
  return { subject: String(claims.sub), email, name, groups };
}

/** What a person's groups grant together; null when none of them is in the map. */
export function grantOf(groupMap: ReadonlyMap<string, GroupGrant>, groups: readonly string[]): GroupGrant | null {
  const departments = new Set<Department>();
  let isAdmin = false;
  let known = false;
  for (const group of groups) {
    const grant = groupMap.get(group);
    if (!grant) continue;
    known = true;
    isAdmin ||= grant.isAdmin;
    for (const department of grant.departments) departments.add(department);
  }
  return known ? { departments: [...departments].sort(), isAdmin } : null;
}

/**
 * The account of a person who signed in through the provider: created on first sign-in, and with a
 * group map, its departments and administrator flag set to what the groups grant now. The break-glass
 * administrator's account is never changed by the provider, so that it cannot be locked out by it.
 */
export async function provisionAccount(
  people: PeopleStore,
  config: Pick<OidcConfig, 'groupMap' | 'requireKnownGroup'>,
  identity: SsoIdentity,
  options: { breakGlassEmail: string | null },
): Promise<{ user: UserRecord; created: boolean } | { refused: SsoRefusal }> {
  const grant = config.groupMap ? grantOf(config.groupMap, identity.groups) : null;
  const existing = await people.findUserByEmail(identity.email);
  if (existing?.deactivatedAt) return { refused: 'deactivated' };
  if (config.requireKnownGroup && !grant && identity.email !== options.breakGlassEmail) return { refused: 'no_group' };
  if (existing) {
    if (!config.groupMap || existing.email === options.breakGlassEmail) return { user: existing, created: false };
    const next = grant ?? { departments: [], isAdmin: false };
    const unchanged = existing.isAdmin === next.isAdmin && [...existing.departments].sort().join() === [...next.departments].sort().join();
    if (unchanged) return { user: existing, created: false };
    const updated = await people.updateUser(existing.id, { departments: next.departments, isAdmin: next.isAdmin });
    return { user: updated ?? existing, created: false };
  }
  const user: UserRecord = {
    id: newId(),
    email: identity.email,
    name: identity.name,
    // No password: the argon2 check cannot succeed against an empty hash, so this account signs in through the provider only.
    passwordHash: '',
    isAdmin: grant?.isAdmin ?? false,
    managesAgreements: false,
    locale: null,
    departments: grant?.departments ?? [],
    createdAt: new Date().toISOString(),
    deactivatedAt: null,
  };
  try {
    await people.createUser(user);
    return { user, created: true };
  } catch (error) {
    // Two first sign-ins at once: the other one created it; sign in to that account.
    if (!(error instanceof EmailTakenError)) throw error;
    return provisionAccount(people, config, identity, options);
  }
}
