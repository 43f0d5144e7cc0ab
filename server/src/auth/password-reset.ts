import { randomBytes } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Locale } from '@passerelle/shared';
import type { PeopleStore, UserRecord } from '../store/account-store.js';
import { hashSecret } from './auth-service.js';

/** How long a reset link works: long enough to reach the mailbox, short enough that an old e-mail is harmless. */
export const RESET_LINK_MS = 60 * 60 * 1000;

/** Bounds on asking for reset e-mails, so that Passerelle cannot be used to flood a mailbox. */
export interface ResetLimits {
  /** Requests for one e-mail address in an hour (default 3: a lost message, then one more). */
  perEmail: number;
  /** Requests from one client address in an hour, whatever the e-mail (default 20: a shared campus NAT). */
  perAddress: number;
}

export const DEFAULT_RESET_LIMITS: ResetLimits = { perEmail: 3, perAddress: 20 };

const HOUR_SECONDS = 60 * 60;

/** Counts reset requests per e-mail address and per client address, in memory or on Redis (several processes). */
export class ResetLimiter {
  readonly #perEmail: RateLimiterAbstract;
  readonly #perAddress: RateLimiterAbstract;

  constructor(limits: Partial<ResetLimits> = {}, redis?: { client: unknown; keyPrefix: string }) {
    const { perEmail, perAddress } = { ...DEFAULT_RESET_LIMITS, ...limits };
    const counter = (name: string, points: number): RateLimiterAbstract =>
      redis
        ? new RateLimiterRedis({ storeClient: redis.client, useRedisPackage: true, keyPrefix: `${redis.keyPrefix}${name}`, points, duration: HOUR_SECONDS })
        : new RateLimiterMemory({ keyPrefix: name, points, duration: HOUR_SECONDS });
    this.#perEmail = counter('reset_email', perEmail);
    this.#perAddress = counter('reset_ip', perAddress);
  }

  /**
   * Counts a request; resolves with 0 when it may go ahead, else the seconds before the next one
   * may. Both counts are taken whether or not the address has an account, so the answer tells nothing.
   */
  async attempt(email: string, address: string): Promise<number> {
    const results = await Promise.all([this.#consume(this.#perEmail, email), this.#consume(this.#perAddress, address)]);
    return Math.max(...results);
  }

  async #consume(limiter: RateLimiterAbstract, key: string): Promise<number> {
    try {
      await limiter.consume(key);
      return 0;
    } catch (rejection) {
      if (rejection instanceof Error) throw rejection;
      return Math.max(1, Math.ceil((rejection as { msBeforeNext: number }).msBeforeNext / 1000));
    }
  }
}

/** A reset link just made, for the e-mail that carries it. */
export interface IssuedReset {
  user: UserRecord;
  /** The link's secret: in the e-mail only, never stored. */
  secret: string;
  locale: Locale | null;
}

/**
 * Password reset links: a random secret per request, of which only the SHA-256 is stored, good
 * for one use within `RESET_LINK_MS`; using one spends every other link of the same person.
 */
export class PasswordResets {
  readonly #people: PeopleStore;

  constructor(people: PeopleStore) {
    this.#people = people;
  }

  /** A new link for the active account of this e-mail; null when there is none (the caller answers alike). */
  async issue(email: string, now = Date.now()): Promise<IssuedReset | null> {
    const user = await this.#people.findUserByEmail(email);
    if (!user || user.deactivatedAt !== null) return null;
    const secret = randomBytes(32).toString('base64url');
    await this.#people.createPasswordReset({ tokenHash: hashSecret(secret), userId: user.id, expiresAt: new Date(now + RESET_LINK_MS).toISOString() });
    return { user, secret, locale: user.locale };
  }

  /**
   * Spends a link: the account it was made for, or null when the link is unknown, used, expired,
   * or its account was deactivated since.
   */
  async redeem(secret: string, now = Date.now()): Promise<UserRecord | null> {
    const reset = await this.#people.takePasswordReset(hashSecret(secret));
    if (!reset || Date.parse(reset.expiresAt) <= now) return null;
    const user = await this.#people.findUserById(reset.userId);
    return user && user.deactivatedAt === null ? user : null;
  }
}
