/**
 * Bounds on the work one connection, and one room, may make the server do. A sync step 1 is a few
 * bytes, but its answer is an encoding of the document from the state vector it carries: tens of
 * milliseconds for a board of a few megabytes. Without bounds a viewer sending made-up state
 * vectors at the allowed message rate keeps a core busy and the send buffers growing.
 */
import * as Y from 'yjs';

/**
 * A token bucket: `ratePerSecond` tokens a second, up to `capacity`. `charge` may take it below
 * zero (a cost known only after the work is done), after which nothing is allowed until it has
 * refilled past zero again.
 */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
    now = performance.now(),
  ) {
    this.#tokens = capacity;
    this.#at = now;
  }

  /** Tokens available now (negative while a charge is being paid back). */
  balance(now = performance.now()): number {
    this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#at) / 1000) * this.ratePerSecond);
    this.#at = now;
    return this.#tokens;
  }

  /** Takes `amount` tokens when that many are available; false (taking nothing) otherwise. */
  take(amount = 1, now = performance.now()): boolean {
    if (this.balance(now) < amount) return false;
    this.#tokens -= amount;
    return true;
  }

  /** Takes `amount` whatever the balance: the cost of work already done. */
  charge(amount: number, now = performance.now()): void {
    this.balance(now);
    this.#tokens -= amount;
  }

  /** Milliseconds until the balance reaches `amount` (0 when it already has). */
  msUntil(amount: number, now = performance.now()): number {
    const missing = amount - this.balance(now);
    return missing <= 0 ? 0 : Math.ceil((missing / this.ratePerSecond) * 1000);
  }
}

/** Bounds on the sync work of one connection and one room; `DEFAULT_SYNC_WORK_LIMITS` gives each default and its reason. */
export interface SyncWorkLimits {
  /**
   * Sync step 1 messages (and presence queries) one connection may send a second (default 2, in
   * bursts of `step1Burst`). A stock client sends one when it connects and, with `resyncInterval`,
   * one every few seconds at most; a faster one is closed with `TooManyMessages`.
   */
  step1PerSecond: number;
  /** Sync step 1 messages a connection may send at once before the rate applies (default 4). */
  step1Burst: number;
  /**
   * Milliseconds of encoding a second one person's connections to a room may cost (default 25,
   * bursts of `personWorkBurstMs`). Counted per person, not per connection, so that reconnecting
   * buys nothing. Answers that cost more wait, the latest request of a connection replacing an
   * older one: on a 5 MiB board (about 45 ms an encode) a person is answered at once up to five
   * times, then once every two seconds. Answers encoded before from the same state cost nothing
   * (see `replyCacheEntries`), and a person's first sync is normally one of those.
   */
  personWorkMsPerSecond: number;
  /** Milliseconds of encoding a person may cost at once before the rate applies (default 250). */
  personWorkBurstMs: number;
  /**
   * Milliseconds of encoding a second one room may spend answering all its connections (default
   * 400, bursts of `roomWorkBurstMs`), so that requests on one board never take more than part of a
   * core from every other board and from its own edits. Requests from the same state share one
   * encode, so clients coming back together after a network cut mostly cost one; fifty that all
   * differ, on a 5 MiB board, are answered within about six seconds. One encode runs per turn of
   * the event loop, so that other requests are served between them.
   */
  roomWorkMsPerSecond: number;
  /** Milliseconds of encoding a room may spend at once before its rate applies (default 500). */
  roomWorkBurstMs: number;
  /**
   * Answers a room keeps for the states it was asked from, until the document changes (default 8).
   * After a restart most clients come back with the same state vector; they share one encode.
   */
  replyCacheEntries: number;
  /**
   * Bytes a connection's send buffer may hold before answers to its requests wait for it to drain
   * (default 4 MiB, or the board's size when larger): a client that does not read what it asked
   * for is sent nothing more it asks for.
   */
  replyBacklogBytes: number;
  /**
   * Bytes beyond the board's own size a connection's send buffer may hold before the connection is
   * closed with `TryAgainLater` (default 32 MiB): a client that stopped reading would otherwise make
   * the server keep every update relayed to it. The client reconnects and resyncs.
   */
  sendBacklogBytes: number;
}

/** The production limits (see `SyncWorkLimits` for the reason of each). */
export const DEFAULT_SYNC_WORK_LIMITS: SyncWorkLimits = {
  step1PerSecond: 2,
  step1Burst: 4,
  personWorkMsPerSecond: 25,
  personWorkBurstMs: 250,
  roomWorkMsPerSecond: 400,
  roomWorkBurstMs: 500,
  replyCacheEntries: 8,
  replyBacklogBytes: 4 * 1024 * 1024,
  sendBacklogBytes: 32 * 1024 * 1024,
};

/**
 * A state vector reduced to what matters for answering it from `doc`: only clients the document
 * has, clocks capped at the document's. Two requests with the same key get the same answer, and a
 * state vector naming clients the document never saw is the empty one.
 */
export function normalizeStateVector(doc: Y.Doc, stateVector: Map<number, number>): Map<number, number> {
  const normalized = new Map<number, number>();
  for (const [client, clock] of stateVector) {
    const structs = doc.store.clients.get(client);
    if (!structs || clock <= 0) continue;
    const known = Y.getState(doc.store, client);
    normalized.set(client, Math.min(clock, known));
  }
  return normalized;
}

/** A stable text key of a normalized state vector (clients in ascending order). */
export function stateVectorKey(stateVector: Map<number, number>): string {
  return [...stateVector].sort(([a], [b]) => a - b).map(([client, clock]) => `${client}:${clock}`).join(',');
}
