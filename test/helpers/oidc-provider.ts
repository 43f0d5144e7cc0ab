import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** Someone who can sign in at the test provider, by login (any password is accepted). */
export interface ProviderPerson {
  email: string;
  name: string;
  groups: string[];
  emailVerified?: boolean;
}

/** Passerelle's client at the test provider. */
export const OIDC_CLIENT = { id: 'passerelle', secret: 'test-client-secret-0123456789abcdef' };

/** The environment that points a Passerelle server at the test provider. */
export function oidcEnv(issuer: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OIDC_ISSUER_URL: issuer,
    OIDC_CLIENT_ID: OIDC_CLIENT.id,
    OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
    OIDC_DISPLAY_NAME: 'École SSO',
    OIDC_SCOPES: 'openid email profile groups',
    ...extra,
  };
}

/**
 * A real OpenID provider (`oidc-provider`) on a free port, with its development login form: the
 * login typed is the account, whose claims (e-mail, name, groups) come from `people`, which a test
 * changes between sign-ins. Its client is registered once Passerelle's address is known
 * (`registerClient`), since the redirect URI names it.
 */
export class TestOidcProvider {
  readonly people = new Map<string, ProviderPerson>();
  readonly #http: Server;
  #provider: Provider | null = null;
  issuer = '';

  private constructor(http: Server) {
    this.#http = http;
  }

  static async start(): Promise<TestOidcProvider> {
    const http = createServer();
    const provider = new TestOidcProvider(http);
    http.on('request', (request, response) => {
      if (!provider.#provider) {
        response.statusCode = 503;
        response.end();
        return;
      }
      provider.#provider.callback()(request, response);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    provider.issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    return provider;
  }

  /** Registers Passerelle at `passerelleUrl` as the confidential client, PKCE required; `endSession: false` leaves out RP-initiated sign-out. */
  registerClient(passerelleUrl: string, options: { endSession?: boolean } = {}): void {
    const endSession = options.endSession ?? true;
    const people = this.people;
    this.#provider = new Provider(this.issuer, {
      clients: [
        {
          client_id: OIDC_CLIENT.id,
          client_secret: OIDC_CLIENT.secret,
          redirect_uris: [`${passerelleUrl}/api/auth/sso/callback`],
          ...(endSession ? { post_logout_redirect_uris: [`${passerelleUrl}/login`] } : {}),
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      scopes: ['openid', 'email', 'profile', 'groups'],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
      pkce: { required: () => true },
      cookies: { keys: ['test-provider-cookie-key-0123456789'] },
      features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: endSession } },
      findAccount: async (_context: unknown, accountId: string) => {
        const person = people.get(accountId);
        if (!person) return undefined;
        return {
          accountId,
          claims: async () => ({
            sub: accountId,
            email: person.email,
            email_verified: person.emailVerified ?? true,
            name: person.name,
            groups: person.groups,
          }),
        };
      },
      // The school's provider has granted Passerelle its scopes already: no consent screen.
      loadExistingGrant: async (context: { oidc: { provider: Provider; client: { clientId: string }; session: { accountId: string } } }) => {
        const grant = new context.oidc.provider.Grant({ clientId: context.oidc.client.clientId, accountId: context.oidc.session.accountId });
        grant.addOIDCScope('openid email profile groups');
        grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
        await grant.save();
        return grant;
      },
    });
  }

  async close(): Promise<void> {
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }
}

/** Cookies of one site, as a browser would keep them (name to value; paths and expiry ignored). */
class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** Passerelle's answer to the start of a single sign-on: where it sends the browser, and the flow cookie it set. */
export async function beginSignIn(passerelleUrl: string, returnTo = '/'): Promise<{ authorizationUrl: string; flowCookie: string }> {
  const response = await fetch(`${passerelleUrl}/api/auth/sso/start?returnTo=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
  if (response.status !== 303) throw new Error(`sso start answered ${response.status}`);
  const flow = response.headers.getSetCookie().find((line) => line.startsWith('passerelle_sso_flow='));
  if (!flow) throw new Error('no flow cookie');
  return { authorizationUrl: response.headers.get('location')!, flowCookie: flow.split(';')[0] };
}

/**
 * Goes through the provider as a browser: follows its redirects, submits its login form with
 * `login`, and returns the callback URL it sends back to Passerelle (with the code and state).
 */
export async function authorizeAtProvider(authorizationUrl: string, login: string): Promise<string> {
  const jar = new CookieJar();
  let url = authorizationUrl;
  const origin = new URL(authorizationUrl).origin;
  for (let hop = 0; hop < 10; hop++) {
    if (!url.startsWith(origin)) return url;
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(response);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location')!, url).href;
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (response.status !== 200 || !action) throw new Error(`provider answered ${response.status}: ${page.slice(0, 300)}`);
    const submitted = await fetch(new URL(action.replace(/&amp;/g, '&'), url), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ prompt: 'login', login, password: 'any password' }).toString(),
    });
    jar.store(submitted);
    if (submitted.status < 300 || submitted.status >= 400) throw new Error(`login form answered ${submitted.status}`);
    url = new URL(submitted.headers.get('location')!, url).href;
  }
  throw new Error('too many redirects at the provider');
}

/** Passerelle's answer to the provider's callback: where it sends the browser and the session cookie, if any. */
export async function finishSignIn(callbackUrl: string, flowCookie: string | null): Promise<{ status: number; location: string; sessionCookie: string | null }> {
  const response = await fetch(callbackUrl, { redirect: 'manual', headers: flowCookie ? { cookie: flowCookie } : {} });
  const session = response.headers.getSetCookie().find((line) => line.startsWith('passerelle_session='));
  return { status: response.status, location: response.headers.get('location') ?? '', sessionCookie: session ? session.split(';')[0] : null };
}

/** A whole sign-in through the provider as `login`. */
export async function signInWithProvider(passerelleUrl: string, login: string): Promise<{ status: number; location: string; sessionCookie: string | null }> {
  const { authorizationUrl, flowCookie } = await beginSignIn(passerelleUrl);
  return finishSignIn(await authorizeAtProvider(authorizationUrl, login), flowCookie);
}
