import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hash, verify } from '@node-rs/argon2';
import { parse as parseCookie } from 'cookie';
import { SESSION_COOKIE, newId, type Department, type Locale, type Me } from '@passerelle/shared';
import type { AccountStore, UserRecord } from '../store/account-store.js';

/** Who is making a request, and how they proved it. */
export interface Principal {
  user: UserRecord;
  via: 'session' | 'token';
}

/** Prefix of personal API tokens, so that a leaked one is recognisable (secret scanners, logs). */
const API_TOKEN_PREFIX = 'psl_';

/** OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane); 2 is `Algorithm.Argon2id`, a const enum. */
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Session cookies and API tokens are random secrets; only their SHA-256 is stored. */
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The public view of an account. */
export function toMe(user: UserRecord): Me {
  return { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin, locale: user.locale, departments: user.departments };
}

/** Accounts, passwords, sessions and tokens, over an `AccountStore`. */
export class AuthService {
  readonly #accounts: AccountStore;
  readonly #sessionDays: number;
  /** A password hash to verify against when the email is unknown, so both cases take the same time. */
  #decoyHash: Promise<string> | null = null;
  /** The one-time secret of the setup link, while no account exists. */
  #setupToken: string | null = null;

  constructor(accounts: AccountStore, options: { sessionDays: number }) {
    this.#accounts = accounts;
    this.#sessionDays = options.sessionDays;
  }

  hashPassword(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /** Creates an account. Rejects with `EmailTakenError` when the email is in use. */
  async createUser(input: { email: string; password: string; name: string; isAdmin: boolean; locale?: Locale; departments?: Department[] }): Promise<UserRecord> {
    const user: UserRecord = {
      id: newId(),
      email: input.email,
      name: input.name,
      passwordHash: await this.hashPassword(input.password),
      isAdmin: input.isAdmin,
      locale: input.locale ?? null,
      departments: [...new Set(input.departments ?? [])],
      createdAt: new Date().toISOString(),
    };
    await this.#accounts.createUser(user);
    return user;
  }

  /**
   * Prepares the first start: creates the administrator from the configuration when the store has
   * no account, or else returns a one-time setup secret for the browser setup page.
   */
  async bootstrap(admin: { email: string; password: string } | null): Promise<{ created: boolean; setupToken: string | null }> {
    if ((await this.#accounts.countUsers()) > 0) return { created: false, setupToken: null };
    if (admin) {
      const user: UserRecord = {
        id: newId(),
        email: admin.email,
        name: admin.email.split('@')[0],
        passwordHash: await this.hashPassword(admin.password),
        isAdmin: true,
        locale: null,
        // The administrator is the international relations office's by default.
        departments: ['sri'],
        createdAt: new Date().toISOString(),
      };
      return { created: await this.#accounts.createFirstUser(user), setupToken: null };
    }
    this.#setupToken = newSecret();
    return { created: false, setupToken: this.#setupToken };
  }

  /** True while no account exists and a setup link is outstanding. */
  async needsSetup(): Promise<boolean> {
    return this.#setupToken !== null && (await this.#accounts.countUsers()) === 0;
  }

  /** Creates the first administrator from the setup page; null when the link is wrong or spent. */
  async completeSetup(input: { token: string; email: string; password: string; name: string }): Promise<UserRecord | null> {
    const expected = this.#setupToken;
    if (!expected || !safeEqual(input.token, expected)) return null;
    const user: UserRecord = {
      id: newId(),
      email: input.email,
      name: input.name,
      passwordHash: await this.hashPassword(input.password),
      isAdmin: true,
      locale: null,
      departments: ['sri'],
      createdAt: new Date().toISOString(),
    };
    if (!(await this.#accounts.createFirstUser(user))) return null;
    this.#setupToken = null;
    return user;
  }

  /** The account for these credentials, or null. Takes as long for an unknown email as for a wrong password. */
  async checkPassword(email: string, password: string): Promise<UserRecord | null> {
    const user = await this.#accounts.findUserByEmail(email);
    if (!user) {
      this.#decoyHash ??= this.hashPassword(newSecret());
      await verify(await this.#decoyHash, password).catch(() => false);
      return null;
    }
    return (await verify(user.passwordHash, password).catch(() => false)) ? user : null;
  }

  /** Opens a session; returns the cookie value and its expiry. */
  async openSession(userId: string): Promise<{ secret: string; expiresAt: Date }> {
    const secret = newSecret();
    const expiresAt = new Date(Date.now() + this.#sessionDays * 24 * 3600 * 1000);
    await this.#accounts.createSession(hashSecret(secret), userId, expiresAt.toISOString());
    return { secret, expiresAt };
  }

  async closeSession(secret: string): Promise<void> {
    await this.#accounts.deleteSession(hashSecret(secret));
  }

  /** Creates a personal API token; the secret is returned once and never stored. */
  async createApiToken(userId: string, name: string): Promise<{ secret: string; id: string; createdAt: string }> {
    const secret = API_TOKEN_PREFIX + newSecret();
    const id = newId();
    const createdAt = new Date().toISOString();
    await this.#accounts.createApiToken({ id, userId, name, tokenHash: hashSecret(secret), createdAt });
    return { secret, id, createdAt };
  }

  async #userForSession(secret: string): Promise<UserRecord | null> {
    const session = await this.#accounts.findSession(hashSecret(secret));
    if (!session) return null;
    if (Date.parse(session.expiresAt) <= Date.now()) {
      await this.#accounts.deleteSession(hashSecret(secret));
      return null;
    }
    return (await this.#accounts.findUserById(session.userId)) ?? null;
  }

  async #userForToken(secret: string): Promise<UserRecord | null> {
    if (!secret.startsWith(API_TOKEN_PREFIX)) return null;
    const token = await this.#accounts.findApiToken(hashSecret(secret));
    if (!token) return null;
    await this.#accounts.touchApiToken(token.id, new Date().toISOString());
    return (await this.#accounts.findUserById(token.userId)) ?? null;
  }

  /**
   * Authenticates an HTTP request or WebSocket upgrade: `Authorization: Bearer <token>`, then (when
   * allowed) `?token=` in the URL, then the session cookie. The cookie only counts when the request
   * comes from our own origin, which stops another site from opening a socket with it.
   */
  async authenticate(request: IncomingMessage, options: { allowQueryToken?: boolean } = {}): Promise<Principal | null> {
    const authorization = request.headers.authorization;
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const user = match ? await this.#userForToken(match[1]) : null;
      return user ? { user, via: 'token' } : null;
    }
    if (options.allowQueryToken) {
      const token = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
      if (token !== null) {
        const user = await this.#userForToken(token);
        return user ? { user, via: 'token' } : null;
      }
    }
    const secret = sessionSecretOf(request);
    if (!secret || !isSameOrigin(request)) return null;
    const user = await this.#userForSession(secret);
    return user ? { user, via: 'session' } : null;
  }
}

/** The session cookie of a request, if any. */
export function sessionSecretOf(request: IncomingMessage): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
}

/** A request without an Origin header (same-origin GET, scripts) or whose Origin matches its Host. */
function isSameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
