/**
 * Answers to sync step 1 requests: what the document has beyond a client's state vector. Encoding
 * one takes tens of milliseconds on a large board, so answers are cached until the document changes
 * (the whole document for fresh clients, a few others by state vector), and encoding is paid for
 * from a budget per person and per room (`sync-budget.ts`); a request that cannot be paid for yet,
 * or whose client is not reading, waits, a newer request of the same connection replacing it.
 */
import * as Y from 'yjs';
import type { SyncConnection } from './connection.js';
import { encodeSyncStep2Message } from './protocol.js';
import { TokenBucket, normalizeStateVector, stateVectorKey, type SyncWorkLimits } from './sync-budget.js';

/** How often waiting sync requests are looked at again for their budget or a drained send buffer. */
const DEFERRED_REPLY_POLL_MS = 25;

export interface SyncRepliesOptions {
  doc: Y.Doc;
  limits: SyncWorkLimits;
  /** Bytes the document takes in the store: bounds the caches and the send backlog allowed. */
  storedBytes(): number;
  /** Whether the room serves requests now (it is loaded and not closing). */
  isReady(): boolean;
  /** Whether the connection is still in the room. */
  isConnected(connection: SyncConnection): boolean;
  send(connection: SyncConnection, message: Uint8Array): void;
  /** The write in flight, when there is one: a reply may carry updates it is storing, so it waits for it. */
  writing(): Promise<void> | null;
}

export class SyncReplies {
  /** Answers to sync requests this room encoded (not taken from its caches), and the time they took. */
  readonly syncWork = { encodes: 0, encodeMs: 0 };
  readonly #options: SyncRepliesOptions;
  readonly #limits: SyncWorkLimits;
  /**
   * The whole document as one update (`update`) and as the sync step 2 message that carries it
   * (`message`, made from `update` when first needed), for clients that have nothing yet; null once
   * the document changed. Encoding a 5,000-card board takes 40-100 ms, and after a restart every
   * client of a board arrives at once, as fresh tabs do after a deploy.
   */
  #fullState: { update: Uint8Array; message?: Uint8Array } | null = null;
  /**
   * Sync step 2 answers to other states than the empty one, by `stateVectorKey`, until the
   * document changes (at most `replyCacheEntries`, oldest dropped first).
   */
  readonly #replies = new Map<string, Uint8Array>();
  #repliesBytes = 0;
  /** Milliseconds of encoding this room may still spend answering sync requests (`roomWorkMsPerSecond`). */
  readonly #work: TokenBucket;
  /** Milliseconds of encoding each person's requests may still cost (`personWorkMsPerSecond`), by `kind:userId`; kept while the room is open, so that reconnecting buys nothing. */
  readonly #personWork = new Map<string, TokenBucket>();
  /** Connections with a sync step 1 waiting for a budget or a drained send buffer, oldest first. */
  readonly #deferred = new Set<SyncConnection>();
  #deferredTimer: NodeJS.Timeout | null = null;

  constructor(options: SyncRepliesOptions) {
    this.#options = options;
    this.#limits = options.limits;
    this.#work = new TokenBucket(this.#limits.roomWorkMsPerSecond, this.#limits.roomWorkBurstMs);
  }

  /** The whole document as one update, when it is encoded; undefined once the document changed. */
  get fullStateUpdate(): Uint8Array | undefined {
    return this.#fullState?.update;
  }

  /** Records `update` as the whole document (a stored snapshot, a compaction), with its step 2 `message` when already built. */
  setFullState(update: Uint8Array, message?: Uint8Array): void {
    this.#fullState = message ? { update, message } : { update };
  }

  /** The document changed: every cached answer is stale. */
  invalidate(): void {
    this.#fullState = null;
    if (this.#replies.size > 0) {
      this.#replies.clear();
      this.#repliesBytes = 0;
    }
  }

  /**
   * A sync step 1: answered at once when the answer is already encoded, or when this person and
   * this room have encoding time left and its send buffer is not backed up; otherwise it waits.
   * Throws on an undecodable state vector.
   */
  request(connection: SyncConnection, encodedStateVector: Uint8Array): void {
    connection.deferredStep1 = normalizeStateVector(this.#options.doc, Y.decodeStateVector(encodedStateVector));
    this.#deferred.add(connection);
    this.#answerDeferred();
  }

  /**
   * Answers the waiting sync requests that can be answered now, oldest first, and looks again
   * later while some still wait. A connection out of budget or backed up does not hold back the
   * others; the room's budget, once spent, holds back every request that needs encoding.
   */
  #answerDeferred = (): void => {
    if (this.#deferredTimer) clearTimeout(this.#deferredTimer);
    this.#deferredTimer = null;
    if (!this.#options.isReady()) return;
    const now = performance.now();
    let encoded = false;
    for (const connection of this.#deferred) {
      const stateVector = connection.deferredStep1;
      if (!stateVector || !this.#options.isConnected(connection)) {
        this.#deferred.delete(connection);
        continue;
      }
      if (connection.socket.bufferedAmount > Math.max(this.#limits.replyBacklogBytes, this.#options.storedBytes())) continue;
      const key = stateVectorKey(stateVector);
      let reply = key === '' ? this.#fullStateMessage() : this.#replies.get(key);
      if (!reply) {
        const personWork = this.#personWorkOf(connection);
        if (personWork.balance(now) <= 0 || this.#work.balance(now) <= 0) continue;
        // One encode per turn of the event loop: what arrived meanwhile is served between two.
        if (encoded) break;
        encoded = true;
        const started = performance.now();
        reply = this.#encodeReply(key, stateVector);
        const cost = performance.now() - started;
        personWork.charge(cost);
        this.#work.charge(cost);
        this.syncWork.encodes += 1;
        this.syncWork.encodeMs += cost;
      }
      this.#deferred.delete(connection);
      connection.deferredStep1 = null;
      const message = reply;
      // A step 2 reply may carry updates still being written: sent once they are stored. With
      // nothing being written it goes now, before the frames that follow in the same read (the
      // client's own step 2, its presence) are handled: a fresh client starts applying a large
      // board that much earlier.
      this.#sendOnceStored(connection, message);
    }
    if (this.#deferred.size > 0) this.#deferredTimer = setTimeout(this.#answerDeferred, encoded ? 0 : DEFERRED_REPLY_POLL_MS);
  };

  /** Sends `message` now, or once the write in flight is stored when there is one. */
  #sendOnceStored(connection: SyncConnection, message: Uint8Array): void {
    const writing = this.#options.writing();
    if (writing) void writing.then(() => this.#options.send(connection, message));
    else this.#options.send(connection, message);
  }

  #personWorkOf(connection: SyncConnection): TokenBucket {
    const key = `${connection.actor.kind}:${connection.actor.userId}`;
    let bucket = this.#personWork.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.#limits.personWorkMsPerSecond, this.#limits.personWorkBurstMs);
      this.#personWork.set(key, bucket);
    }
    return bucket;
  }

  /** The whole document as a sync step 2 message, when it is encoded (`#fullState`); the message is a copy, not an encode. */
  #fullStateMessage(): Uint8Array | undefined {
    if (!this.#fullState) return undefined;
    this.#fullState.message ??= encodeSyncStep2Message(this.#fullState.update);
    return this.#fullState.message;
  }

  /**
   * The sync step 2 answering a (normalized) state vector, kept until the document changes: the
   * empty one is the whole document (`#fullState`), shared by every fresh client; others are kept
   * in `#replies`.
   */
  #encodeReply(key: string, stateVector: Map<number, number>): Uint8Array {
    const doc = this.#options.doc;
    if (key === '') {
      this.#fullState ??= { update: Y.encodeStateAsUpdate(doc) };
      return this.#fullStateMessage()!;
    }
    const reply = encodeSyncStep2Message(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(stateVector)));
    // Bounded in count and in bytes (twice the board), oldest dropped first.
    const maxBytes = 2 * Math.max(this.#options.storedBytes(), this.#limits.replyBacklogBytes);
    for (const [oldest, bytes] of this.#replies) {
      if (this.#replies.size < this.#limits.replyCacheEntries && this.#repliesBytes + reply.byteLength <= maxBytes) break;
      this.#replies.delete(oldest);
      this.#repliesBytes -= bytes.byteLength;
    }
    if (reply.byteLength <= maxBytes) {
      this.#replies.set(key, reply);
      this.#repliesBytes += reply.byteLength;
    }
    return reply;
  }

  /** Stops answering: waiting requests are dropped with the caches. */
  close(): void {
    if (this.#deferredTimer) clearTimeout(this.#deferredTimer);
    this.#deferredTimer = null;
    this.#deferred.clear();
    this.#replies.clear();
  }
}
