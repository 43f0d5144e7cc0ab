import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Login throttling settings; the defaults follow OWASP's advice for a small user base. */
export interface LoginLimits {
  /** Failed attempts on one email before it is locked (default 5). */
  failuresPerEmail: number;
  /** How long the email stays locked, in seconds (default 15 minutes). */
  lockoutSeconds: number;
  /** Failed attempts from one address in an hour before it is blocked (default 50: a shared campus NAT). */
  failuresPerAddress: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { failuresPerEmail: 5, lockoutSeconds: 15 * 60, failuresPerAddress: 50 };

/**
 * Counts failed sign-ins per email and per client address, and locks either once it has failed too
 * often. Built on rate-limiter-flexible, whose Redis limiter takes the place of the in-memory one
 * when several processes serve the same accounts.
 */
export class LoginLimiter {
  readonly #byEmail: RateLimiterAbstract;
  readonly #byAddress: RateLimiterAbstract;

  constructor(limits: LoginLimits = DEFAULT_LOGIN_LIMITS, limiters?: { byEmail: RateLimiterAbstract; byAddress: RateLimiterAbstract }) {
    this.#byEmail =
      limiters?.byEmail ??
      new RateLimiterMemory({ keyPrefix: 'login_email', points: limits.failuresPerEmail, duration: limits.lockoutSeconds, blockDuration: limits.lockoutSeconds });
    this.#byAddress =
      limiters?.byAddress ?? new RateLimiterMemory({ keyPrefix: 'login_ip', points: limits.failuresPerAddress, duration: 3600, blockDuration: 3600 });
  }

  /**
   * A limiter whose counts live in Redis, so that a lockout holds whichever process the next
   * attempt reaches. `client` is a connected node-redis client.
   */
  static onRedis(client: unknown, keyPrefix: string, limits: LoginLimits = DEFAULT_LOGIN_LIMITS): LoginLimiter {
    const common = { storeClient: client, useRedisPackage: true };
    return new LoginLimiter(limits, {
      byEmail: new RateLimiterRedis({
        ...common,
        keyPrefix: `${keyPrefix}login_email`,
        points: limits.failuresPerEmail,
        duration: limits.lockoutSeconds,
        blockDuration: limits.lockoutSeconds,
      }),
      byAddress: new RateLimiterRedis({ ...common, keyPrefix: `${keyPrefix}login_ip`, points: limits.failuresPerAddress, duration: 3600, blockDuration: 3600 }),
    });
  }

  /** Seconds until sign-in is allowed again for this email or address, or 0 when it is allowed now. */
  async lockedFor(email: string, address: string): Promise<number> {
    const [byEmail, byAddress] = await Promise.all([this.#byEmail.get(email), this.#byAddress.get(address)]);
    const wait = (res: RateLimiterRes | null, limit: number) => (res && res.consumedPoints >= limit ? Math.ceil(res.msBeforeNext / 1000) : 0);
    return Math.max(wait(byEmail, this.#byEmail.points), wait(byAddress, this.#byAddress.points));
  }

  /** Records a failure; returns true when this failure locked the email or address. */
  async recordFailure(email: string, address: string): Promise<boolean> {
    const results = await Promise.allSettled([this.#byEmail.consume(email), this.#byAddress.consume(address)]);
    return results.some((result) => result.status === 'rejected' || result.value.remainingPoints === 0);
  }

  /** A successful sign-in clears the email's count (not the address's: one success must not unlock guessing). */
  async recordSuccess(email: string): Promise<void> {
    await this.#byEmail.delete(email);
  }
}
