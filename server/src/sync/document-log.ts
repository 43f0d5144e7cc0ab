/**
 * A document's log in the store, as a room keeps it: the write queue of updates applied in memory,
 * group commit (one append per fan-out), the rule that an update is stored before anyone receives
 * it, the watermark of what the document holds of a log several processes append to, and
 * compaction into a snapshot.
 */
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { REMOTE_ORIGIN } from '@passerelle/shared';
import type { SyncMetrics, UpdateSource } from '../observability/metrics.js';
import type { DocumentStore, StoredDocument } from '../store/document-store.js';
import type { DocumentFanout } from './fanout.js';
import type { FanoutPacer } from './pacer.js';
import { mergeUpdates } from './protocol.js';

/** Updates waiting for the next fan-out beyond this many bytes go out at the next turn of the event loop. */
export const MAX_BATCH_BYTES = 1024 * 1024;

/** How long an update from another process may wait for one it depends on before the store is read again. */
export const MISSING_UPDATE_GRACE_MS = 1000;
/** The first wait before a failed catch-up is tried again; doubled each time, up to the maximum. */
const CATCH_UP_RETRY_MS = 100;
const CATCH_UP_RETRY_MAX_MS = 5000;

/** Whether `doc` holds updates waiting for others they depend on (Yjs keeps them aside until then). */
function missingSomething(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}

/** A document update applied in memory, waiting for the room's next fan-out to be stored and relayed. */
export interface QueuedUpdate {
  update: Uint8Array;
  /** The transaction's origin: a connection (which already has the update), the guard, a `ServerEdit`, `REMOTE_ORIGIN`... */
  origin: unknown;
  /** Already stored by another process (`REMOTE_ORIGIN`): relayed, never appended again. */
  stored: boolean;
  /**
   * It carried content the document kind's rules removed in a later transaction of the same turn
   * (`afterTransaction` said `redacted`). Readers who may not see such content then get the
   * document's own encoding of the batch, where removed content is only a tombstone. (An update
   * from another process needs no such care: this document applies the value and its removal in one
   * transaction, so its own update event never holds the value.)
   */
  redacted: boolean;
  /** When it was applied in the room (`performance.now()`), for the fan-out delay. */
  receivedAt: number;
}

export interface DocumentLogOptions {
  name: string;
  doc: Y.Doc;
  store: DocumentStore;
  /** Other processes appending to the same log (Redis mode); absent with one process. */
  fanout?: DocumentFanout;
  metrics: SyncMetrics;
  logger: Logger;
  /** Logged updates after which the document is folded into a snapshot. */
  compactThreshold: number;
  /** The schema version the document records, stored with each snapshot. */
  schemaVersionOf(doc: Y.Doc): number;
  pacer: FanoutPacer;
  /**
   * Called with each batch before it is stored, while the document holds exactly what is stored or
   * in the batch (`base`: its state vector before the batch); returns what sends the batch (merged)
   * once it is stored.
   */
  prepareRelay(batch: readonly QueuedUpdate[], base: Map<number, number> | null): (merged: Uint8Array) => void;
  /** Whether the room is closed: a flush waiting for its fan-out then stops. */
  isClosed(): boolean;
  /** Whether the room still serves the document (loading or ready): remote updates and catch-ups are applied only then. */
  isOpen(): boolean;
  /** A write failed: the room drops its in-memory state. */
  onFailure(): void;
  /** A compaction encoded the whole document: the same bytes answer fresh clients until it changes. */
  onSnapshot(update: Uint8Array): void;
  /** The kind's summary of the document, stored beside it with each snapshot (`DocumentHooks.summarize`). */
  summarize?(doc: Y.Doc): string;
}

export class DocumentLog {
  readonly #options: DocumentLogOptions;
  readonly #log: Logger;
  #lastSeq = 0;
  #pendingUpdates = 0;
  /** Bytes the document takes in the store (snapshot plus logged updates), for the size limit. */
  #storedBytes = 0;
  /**
   * Updates applied in memory and not yet stored and relayed: the next fan-out's batch, in the order
   * they were applied. `#batchBase` is the document's state vector before the first of them.
   */
  #writeQueue: QueuedUpdate[] = [];
  #batchBase: Map<number, number> | null = null;
  #queuedBytes = 0;
  #flushing: Promise<void> | null = null;
  /**
   * The highest sequence number up to which every stored update is in this document. With several
   * processes appending to the same log, updates arrive out of order; a compaction may only fold
   * what is below this mark, or it would drop an update this process has not received yet.
   */
  #watermark = 0;
  readonly #appliedAbove = new Set<number>();
  /** Whether this log stored a summary of the document since it was read (see `storeSummary`). */
  #summaryStored = false;
  /** The catch-up from the store under way, and whether it was asked for again meanwhile. */
  #catchingUp: Promise<void> | null = null;
  #catchUpAgain = false;
  /** The check that an update from another process no longer waits for a missing one. */
  #missingCheck: ReturnType<typeof setTimeout> | null = null;

  constructor(options: DocumentLogOptions) {
    this.#options = options;
    this.#log = options.logger;
  }

  /** Bytes the document takes in the store. */
  get storedBytes(): number {
    return this.#storedBytes;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Logged updates since the last snapshot. */
  get pendingUpdates(): number {
    return this.#pendingUpdates;
  }

  /** The write in flight, when there is one: a reply that may carry queued updates waits for it. */
  get flushing(): Promise<void> | null {
    return this.#flushing;
  }

  /** Reads the stored document and takes its counters and watermark from it. */
  async read(): Promise<StoredDocument> {
    const stored = await this.#options.store.load(this.#options.name);
    this.#lastSeq = stored.lastSeq;
    this.#pendingUpdates = stored.pendingUpdates;
    this.#storedBytes = stored.updates.reduce((total, update) => total + update.byteLength, 0);
    this.#markApplied(stored.lastSeq, true);
    return stored;
  }

  /**
   * Queues an update applied in memory for the next fan-out, which stores it (unless another
   * process did) and relays it.
   */
  enqueue(update: Uint8Array, origin: unknown, transaction: Y.Transaction, source: UpdateSource, redacted: boolean): void {
    if (this.#writeQueue.length === 0) this.#batchBase = transaction.beforeState;
    this.#options.metrics.updateReceived(source);
    // Updates from another process are already stored there; they are relayed with the next batch.
    this.#writeQueue.push({ update, origin, stored: origin === REMOTE_ORIGIN, redacted, receivedAt: performance.now() });
    this.#queuedBytes += update.byteLength;
    this.#flushing ??= this.#flush();
    // A full batch goes out at the next turn, whatever the pacing.
    if (this.#queuedBytes > MAX_BATCH_BYTES) this.#options.pacer.hurry();
  }

  /** Resolves when every update applied so far is in the store. */
  whenPersisted(): Promise<void> {
    return this.#flushing ?? Promise.resolve();
  }

  /** Forgets the queued updates (after a storage failure: clients resend them on reconnect). */
  drop(): void {
    this.#writeQueue = [];
  }

  /**
   * Group commit and coalesced fan-out: every update applied since the last fan-out is merged into
   * one append, and, once that append has resolved, relayed (so an update is still stored before
   * anyone receives it).
   */
  async #flush(): Promise<void> {
    try {
      while (this.#writeQueue.length > 0) {
        // Waits at least for the rest of the current turn (a client's change and the server's
        // correction of it arrive together), and on a busy board for the fan-out pacing.
        await this.#options.pacer.next(this.#queuedBytes > MAX_BATCH_BYTES);
        if (this.#options.isClosed()) return;
        const batch = this.#writeQueue.splice(0);
        const base = this.#batchBase;
        this.#batchBase = null;
        this.#queuedBytes = 0;
        if (batch.length === 0) continue;
        // Prepared before the append, while the document holds exactly what is stored or in this batch.
        const relay = this.#options.prepareRelay(batch, base);
        const local = batch.filter((entry) => !entry.stored);
        const merged = mergeUpdates(batch);
        if (local.length > 0) {
          const stored = local.length === batch.length ? merged : mergeUpdates(local);
          const appending = performance.now();
          this.#lastSeq = await this.#options.store.append(this.#options.name, stored);
          this.#options.metrics.storeAppend((performance.now() - appending) / 1000);
          this.#pendingUpdates += 1;
          this.#storedBytes += stored.byteLength;
          this.#markApplied(this.#lastSeq);
          this.#options.fanout?.publishUpdate(this.#options.name, this.#lastSeq, stored);
        }
        relay(merged);
        if (this.#pendingUpdates >= this.#options.compactThreshold) await this.compact();
      }
    } catch (error) {
      this.#log.error({ err: error }, 'board update could not be stored; closing the room');
      this.#options.onFailure();
    } finally {
      this.#flushing = null;
    }
  }

  /** Records that the stored update `seq` is in the document (or, with `through`, all up to it). */
  #markApplied(seq: number, through = false): void {
    if (through) {
      if (seq > this.#watermark) this.#watermark = seq;
    } else if (seq > this.#watermark) this.#appliedAbove.add(seq);
    while (this.#appliedAbove.delete(this.#watermark + 1)) this.#watermark += 1;
    for (const applied of this.#appliedAbove) if (applied <= this.#watermark) this.#appliedAbove.delete(applied);
  }

  /** An update another process stored: applied (and relayed through the update handler), never stored again. */
  applyRemote(seq: number, update: Uint8Array): void {
    if (!this.#options.isOpen()) return;
    try {
      Y.applyUpdate(this.#options.doc, update, REMOTE_ORIGIN);
    } catch (error) {
      this.#log.error({ err: error, seq }, 'update from another process could not be applied; catching up from the store');
      void this.resync();
      return;
    }
    this.#storedBytes += update.byteLength;
    this.#markApplied(seq);
    if (missingSomething(this.#options.doc)) this.#checkMissing();
  }

  /**
   * An update from another process waits in the document for one it depends on: a message lost on
   * the way (sent while this process's subscription was being restored), or one that arrives while
   * the store is read at the room's start, which the read brings. Still waiting a moment later, the
   * document catches up from the store.
   */
  #checkMissing(): void {
    if (this.#missingCheck) return;
    this.#missingCheck = setTimeout(() => {
      this.#missingCheck = null;
      if (this.#options.isOpen() && missingSomething(this.#options.doc)) {
        this.#log.warn('an update from another process waits for one this process did not receive; catching up from the store');
        void this.resync();
      }
    }, MISSING_UPDATE_GRACE_MS);
    this.#missingCheck.unref?.();
  }

  /**
   * After a lost connection to the other processes: reads the store again and applies what was
   * missed. While the store cannot be read (it lost Redis too and is reconnecting), tried again,
   * further apart each time, until it can or the room closes. Asked again while under way, it reads
   * once more after: what was stored meanwhile may be missing from the read in flight.
   */
  resync(): Promise<void> {
    if (this.#catchingUp) {
      this.#catchUpAgain = true;
      return this.#catchingUp;
    }
    this.#catchingUp = (async () => {
      do {
        this.#catchUpAgain = false;
        await this.#catchUp();
      } while (this.#catchUpAgain && this.#options.isOpen());
    })().finally(() => (this.#catchingUp = null));
    return this.#catchingUp;
  }

  async #catchUp(): Promise<void> {
    for (let attempt = 0; this.#options.isOpen(); attempt += 1) {
      try {
        const stored = await this.#options.store.load(this.#options.name);
        // The room may have closed while the store was read.
        if (!this.#options.isOpen()) return;
        const doc = this.#options.doc;
        Y.transact(doc, () => {
          for (const update of stored.updates) Y.applyUpdate(doc, update, REMOTE_ORIGIN);
        }, REMOTE_ORIGIN);
        this.#markApplied(stored.lastSeq, true);
        this.#log.info({ throughSeq: stored.lastSeq }, 'caught up from the store');
        return;
      } catch (error) {
        const retryMs = Math.min(CATCH_UP_RETRY_MS * 2 ** attempt, CATCH_UP_RETRY_MAX_MS);
        this.#log.error({ err: error, retryMs }, 'catching up from the store failed; trying again');
        // Not a reason to keep a stopping process alive: the loop ends once the room is closed.
        await new Promise((resolve) => setTimeout(resolve, retryMs).unref?.());
      }
    }
  }

  /** Folds the log into a snapshot of the document, up to the watermark. */
  async compact(): Promise<void> {
    const doc = this.#options.doc;
    // The snapshot may hold updates still queued; storing them twice is harmless (updates are idempotent).
    const snapshot = Y.encodeStateAsUpdate(doc);
    this.#options.onSnapshot(snapshot);
    // Built from the same state as the snapshot, before anything else can change the document.
    const summary = this.#summary();
    const throughSeq = this.#watermark;
    // Recorded with the snapshot: a later load may serve it before migrating only at the current version.
    await this.#options.store.compact(this.#options.name, snapshot, throughSeq, this.#options.schemaVersionOf(doc));
    if (summary !== undefined) await this.#putSummary(summary, throughSeq);
    this.#storedBytes = snapshot.byteLength;
    this.#options.metrics.compaction();
    this.#log.debug({ throughSeq: this.#lastSeq, bytes: snapshot.byteLength }, 'board compacted');
    this.#pendingUpdates = 0;
  }

  /**
   * Stores the kind's summary of the document as it is now, unless this log already stored one
   * since it was read (a document that was not compacted while loaded may have none stored yet).
   */
  async storeSummary(): Promise<void> {
    if (this.#summaryStored) return;
    const summary = this.#summary();
    if (summary !== undefined) await this.#putSummary(summary, this.#watermark);
  }

  /** The kind's summary of the document now; a kind's failure is logged and never stops a compaction. */
  #summary(): string | undefined {
    try {
      return this.#options.summarize?.(this.#options.doc);
    } catch (error) {
      this.#log.error({ err: error }, 'document summary could not be built');
      return undefined;
    }
  }

  async #putSummary(summary: string, throughSeq: number): Promise<void> {
    await this.#options.store.putSummary(this.#options.name, summary, throughSeq);
    this.#summaryStored = true;
  }

  /** Removes the document from the store. */
  delete(): Promise<void> {
    return this.#options.store.delete(this.#options.name);
  }
}
