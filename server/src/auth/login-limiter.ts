import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Sign-in throttling settings. The person who types their password from their own address must not
 * be locked out by someone guessing elsewhere, so the tight bound is on an email *and* address pair;
 * the bound on an email alone is far looser and only stops guessing spread over many addresses.
 */
export interface LoginLimits {
  /** Failures of one email from one address before each further attempt waits (default 5: typos, a forgotten password). */
  failuresPerPair: number;
  /** The wait after that many failures, in seconds, doubled by each further failure (default 30 s). */
  firstDelaySeconds: number;
  /** Longest wait of a pair, and how long a locked email stays locked, in seconds (default 15 minutes). */
  lockoutSeconds: number;
  /**
   * Failures of one email in an hour, from every address together, before the email is locked for
   * the addresses it was not recently signed in from (default 100: twenty pairs' worth, reached only
   * by guessing from many addresses).
   */
  failuresPerEmail: number;
  /** Failures from one address in an hour, whatever the email, before the address is blocked for the hour (default 50: a shared campus NAT). */
  failuresPerAddress: number;
}

/** The defaults follow OWASP's advice (progressive delays rather than account lockout) for a small user base. */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { failuresPerPair: 5, firstDelaySeconds: 30, lockoutSeconds: 15 * 60, failuresPerEmail: 100, failuresPerAddress: 50 };

/** A pair's failures are remembered for a day: each new day starts with the free failures again. */
const PAIR_MEMORY_SECONDS = 24 * 60 * 60;
/** The window of the email and address counts, and how long a blocked address stays blocked. */
const HOUR_SECONDS = 60 * 60;
/**
 * An address someone signed in from is spared their email's lock for two weeks. (The in-memory
 * store keeps each entry with a timer, which cannot exceed 24.8 days.)
 */
const KNOWN_ADDRESS_SECONDS = 14 * 24 * 60 * 60;

/** What an attempt may do: wait (seconds, with nothing counted), or go ahead and check the password. */
export interface LoginAttempt {
  /** Seconds to wait before trying again; 0 when the password may be checked now. */
  readonly wait: number;
  /** A failure of this attempt makes the next ones wait: it is audited as a lockout. */
  readonly throttles: boolean;
  readonly email: string;
  readonly address: string;
  /** The locks this attempt set, lifted again if it succeeds. */
  readonly locksSet: readonly string[];
}

/** Builds one counter of the limiter, in memory or on Redis, for keys that expire after `durationSeconds`. */
type CounterFactory = (name: string, durationSeconds: number) => RateLimiterAbstract;

const inMemory: CounterFactory = (name, durationSeconds) => new RateLimiterMemory({ keyPrefix: name, points: 1, duration: durationSeconds });

/**
 * Throttles sign-in per email and address pair with delays that double with each failure, blocks an
 * address that fails too often whatever the email, and locks an email that fails from many
 * addresses, except for the addresses it was recently signed in from. Built on rate-limiter-flexible,
 * whose Redis counters take the place of the in-memory ones when several processes serve the same
 * accounts.
 */
export class LoginLimiter {
  readonly #limits: LoginLimits;
  /** Failures per pair, email and address; the first two for their windows, the pair's for a day. */
  readonly #pairFailures: RateLimiterAbstract;
  readonly #emailFailures: RateLimiterAbstract;
  readonly #addressFailures: RateLimiterAbstract;
  /** Locks (`pair:`, `email:`, `address:`), each with its own duration. */
  readonly #locks: RateLimiterAbstract;
  /** Pairs that signed in successfully: exempt from their email's lock. */
  readonly #knownPairs: RateLimiterAbstract;

  constructor(limits: Partial<LoginLimits> = {}, counters: CounterFactory = inMemory) {
    this.#limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
    this.#pairFailures = counters('login_pair', PAIR_MEMORY_SECONDS);
    this.#emailFailures = counters('login_email', HOUR_SECONDS);
    this.#addressFailures = counters('login_ip', HOUR_SECONDS);
    // Every entry of these two is written with `block` and its own duration; this one is unused.
    this.#locks = counters('login_lock', HOUR_SECONDS);
    this.#knownPairs = counters('login_known', KNOWN_ADDRESS_SECONDS);
  }

  /**
   * A limiter whose counts live in Redis, so that a wait or a lock holds whichever process the next
   * attempt reaches. `client` is a connected node-redis client.
   */
  static onRedis(client: unknown, keyPrefix: string, limits: Partial<LoginLimits> = {}): LoginLimiter {
    return new LoginLimiter(
      limits,
      (name, durationSeconds) => new RateLimiterRedis({ storeClient: client, useRedisPackage: true, keyPrefix: `${keyPrefix}${name}`, points: 1, duration: durationSeconds }),
    );
  }

  /**
   * Asks to check a password for `email` from `address`. When it may go ahead, the attempt is counted
   * as a failure at once, before the (slow) password check, so that a burst of parallel guesses is
   * counted before any of them is answered; `recordSuccess` takes it back.
   */
  async attempt(email: string, address: string): Promise<LoginAttempt> {
    const pair = `${email} ${address}`;
    const [pairWait, emailWait, addressWait, known] = await Promise.all([
      this.#lockedFor(`pair:${pair}`),
      this.#lockedFor(`email:${email}`),
      this.#lockedFor(`address:${address}`),
      this.#knownPairs.get(pair),
    ]);
    const wait = Math.max(pairWait, addressWait, known && known.msBeforeNext > 0 ? 0 : emailWait);
    if (wait > 0) return { wait, throttles: false, email, address, locksSet: [] };

    const [pairCount, emailCount, addressCount] = await Promise.all([
      this.#pairFailures.penalty(pair),
      this.#emailFailures.penalty(email),
      this.#addressFailures.penalty(address),
    ]);
    const { failuresPerPair, firstDelaySeconds, lockoutSeconds, failuresPerEmail, failuresPerAddress } = this.#limits;
    const locks: [key: string, seconds: number][] = [];
    if (pairCount.consumedPoints >= failuresPerPair) {
      const doublings = pairCount.consumedPoints - failuresPerPair;
      locks.push([`pair:${pair}`, Math.min(lockoutSeconds, firstDelaySeconds * 2 ** Math.min(doublings, 30))]);
    }
    // A known pair may go ahead while the email is locked: it neither extends that lock nor, by
    // succeeding, lifts it.
    if (emailCount.consumedPoints >= failuresPerEmail && emailWait === 0) locks.push([`email:${email}`, lockoutSeconds]);
    if (addressCount.consumedPoints >= failuresPerAddress) locks.push([`address:${address}`, HOUR_SECONDS]);
    await Promise.all(locks.map(([key, seconds]) => this.#locks.block(key, seconds)));
    return { wait: 0, throttles: locks.length > 0, email, address, locksSet: locks.map(([key]) => key) };
  }

  /**
   * The password was right: the attempt is no failure after all. The pair starts afresh and is
   * remembered as known; the email and address counts only lose this attempt, since one success
   * must not unlock guessing from elsewhere.
   */
  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    const pair = `${attempt.email} ${attempt.address}`;
    await Promise.all([
      this.#pairFailures.delete(pair),
      this.#emailFailures.reward(attempt.email),
      this.#addressFailures.reward(attempt.address),
      ...[...new Set([`pair:${pair}`, ...attempt.locksSet])].map((key) => this.#locks.delete(key)),
      this.#knownPairs.block(pair, KNOWN_ADDRESS_SECONDS),
    ]);
  }

  /** Seconds left on a lock, 0 when there is none. */
  async #lockedFor(key: string): Promise<number> {
    const lock = await this.#locks.get(key);
    return lock ? Math.max(0, Math.ceil(lock.msBeforeNext / 1000)) : 0;
  }
}
