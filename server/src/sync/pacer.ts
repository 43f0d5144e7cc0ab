/**
 * The pace of a room's fan-out. Each update a room relays costs one `send` per connection, and on a
 * busy board that, not Yjs, is the server's work. The pacer tells the room when to fan out next: at
 * once while the room stays under `FANOUT_FRAMES_PER_SECOND`, otherwise when the rate allows it, so
 * that everything that arrived meanwhile goes out as one merged update and one awareness update.
 */

/**
 * Frames per second a room's fan-out aims to stay under (default 10,000). 200 people at 2 edits a
 * second are 80,000 frames a second when each edit goes out on its own, and a send costs 5-20 µs of
 * system time (the most on loopback). A room fans out at once while it stays under this rate;
 * beyond it, it waits until the rate allows its next fan-out (20 ms with 200 connections). A quiet
 * board is never slowed; 50 people at 2 Hz stay under the rate. With 200 clients at 2 Hz on
 * loopback, 20,000 took about half a core and 10,000 about a quarter, for 5 ms more at the median
 * and a lower p99.
 */
export const FANOUT_FRAMES_PER_SECOND = 10_000;

/** Frames a room may send in a burst above that rate (default: 50 ms of it), so an isolated burst goes out at once. */
export const FANOUT_BURST_FRAMES = FANOUT_FRAMES_PER_SECOND / 20;

/** Longest wait for a fan-out however many connect, so an edit is never held long. */
export const MAX_FANOUT_INTERVAL_MS = 25;

export class FanoutPacer {
  /** The next fan-out, when one is armed: at the next turn of the event loop (an immediate), or later (a timeout). */
  #timer: { immediate: NodeJS.Immediate } | { timeout: NodeJS.Timeout } | null = null;
  /** Token bucket of the fan-out rate, in frames: how many are allowed now, and when that was computed. */
  #tokens = FANOUT_BURST_FRAMES;
  #tokensAt = performance.now();
  /** Those waiting for the next fan-out (the document log's flush). */
  #waiters: (() => void)[] = [];

  /**
   * @param connectionCount how many frames one fan-out sends.
   * @param onFanout the fan-out itself (the room relays presence), run before the waiters resume.
   */
  constructor(
    private readonly connectionCount: () => number,
    private readonly onFanout: () => void,
  ) {}

  /** Resolves at the next fan-out; `urgent` arms it for the next turn of the event loop whatever the rate. */
  next(urgent = false): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.schedule(urgent);
    });
  }

  /** Makes a fan-out someone waits for happen at the next turn (a full batch). */
  hurry(): void {
    if (this.#waiters.length > 0) this.schedule(true);
  }

  /**
   * Arms the next fan-out: at the next turn of the event loop when the rate allows one (or when
   * `urgent`), otherwise when it will.
   */
  schedule(urgent = false): void {
    if (this.#timer) {
      if (!urgent || 'immediate' in this.#timer) return;
      this.#cancelTimer();
    }
    const missing = this.connectionCount() - this.#refill();
    const wait = urgent ? 0 : Math.min(MAX_FANOUT_INTERVAL_MS, (missing / FANOUT_FRAMES_PER_SECOND) * 1000);
    // Timers have a resolution of 1 ms: a shorter wait is the next turn.
    this.#timer = wait >= 1 ? { timeout: setTimeout(this.#fanout, wait) } : { immediate: setImmediate(this.#fanout) };
  }

  /** Cancels the armed fan-out and releases everyone waiting for it (the room is closed: nothing is sent). */
  stop(): void {
    this.#cancelTimer();
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  /** Adds the frames the rate has allowed since the last call (up to a burst, or one fan-out); returns the balance. */
  #refill(): number {
    const now = performance.now();
    const capacity = Math.max(FANOUT_BURST_FRAMES, this.connectionCount());
    this.#tokens = Math.min(capacity, this.#tokens + ((now - this.#tokensAt) / 1000) * FANOUT_FRAMES_PER_SECOND);
    this.#tokensAt = now;
    return this.#tokens;
  }

  #cancelTimer(): void {
    if (this.#timer && 'immediate' in this.#timer) clearImmediate(this.#timer.immediate);
    else if (this.#timer) clearTimeout(this.#timer.timeout);
    this.#timer = null;
  }

  #fanout = (): void => {
    this.#timer = null;
    const connections = this.connectionCount();
    // One frame per connection. A wait cut short (`MAX_FANOUT_INTERVAL_MS`, a full batch) leaves a
    // debt, at most one fan-out deep, so that a burst does not hold back the fan-outs long after it.
    const balance = this.#refill() - connections;
    this.#tokens = Math.max(balance, -Math.max(FANOUT_BURST_FRAMES, connections));
    this.onFanout();
    for (const resolve of this.#waiters.splice(0)) resolve();
  };
}
