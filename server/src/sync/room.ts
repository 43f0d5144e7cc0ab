/**
 * One synced document in memory and the sockets editing it: the room orchestrates the parts, each in
 * its own module — the protocol (`protocol.ts`), each client (`connection.ts`), the log in the store
 * (`document-log.ts`), answers to sync requests (`sync-replies.ts`), the snapshot served while
 * loading (`early-answer.ts`), the fan-out pace (`pacer.ts`) and what each fan-out sends its clients
 * (`room-relay.ts`). It knows no document kind: the kind's rules reach it as hooks (`hooks.ts`),
 * applied by `room-rules.ts`.
 *
 * Invariants:
 * - Nothing of the document is sent to a client before the stored document is loaded and migrated,
 *   so a board never looks empty while its content loads; the one exception is a fresh client that
 *   may read everything, answered with a stored snapshot that is the whole document at the current
 *   schema version, which no migration will change (`early-answer.ts`).
 * - An update is appended to the store before it is relayed to anyone, and a sync step 2 (which may
 *   contain such updates) waits for the writes in flight: whatever a client has seen survives a crash.
 * - Updates and awareness changes are fanned out in batches (`pacer.ts`): each batch is stored in one
 *   append, then sent as one frame encoded once. A connection does not get its own updates back (but
 *   for busy batches, see `MAX_MERGED_FOR_SENDERS`), and a reader the hooks give a redacted view
 *   never gets a value the rules removed.
 */
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import { CloseCode, REMOTE_ORIGIN, STORAGE_ORIGIN } from '@passerelle/shared';
import { NO_SYNC_METRICS, type SyncMetrics } from '../observability/metrics.js';
import type { DocumentStore } from '../store/document-store.js';
import { SyncConnection, type ConnectionIdentity, type Inbound } from './connection.js';
import { DocumentLog } from './document-log.js';
import { EarlyAnswer } from './early-answer.js';
import type { DocumentFanout } from './fanout.js';
import type { DocumentHooks } from './hooks.js';
import { MessageReceiver } from './message-receiver.js';
import { FanoutPacer } from './pacer.js';
import { RoomPresence } from './presence.js';
import { encodeSyncStep1Message, encodeUpdateMessage, isFreshClientStep1 } from './protocol.js';
import { RoomRelay } from './room-relay.js';
import { RoomRules } from './room-rules.js';
import { DEFAULT_SYNC_WORK_LIMITS, type SyncWorkLimits } from './sync-budget.js';
import { SyncReplies } from './sync-replies.js';

export type { ConnectionIdentity } from './connection.js';
export { MAX_MERGED_FOR_SENDERS } from './relay.js';

/** Close code for a server-side failure (RFC 6455 "internal error"); clients reconnect. */
const INTERNAL_ERROR = 1011;

export interface DocumentRoomOptions {
  name: string;
  /** The rules of the document's kind (`server/src/documents/`). */
  hooks: DocumentHooks;
  store: DocumentStore;
  logger: Logger;
  /** Logged updates after which the document is folded into a snapshot. */
  compactThreshold: number;
  /** Largest stored size of the document: an update that would pass it is refused (4413). */
  maxDocumentBytes: number;
  /** Messages per second a connection may send (bursts of twice that); a faster one is closed (4429). */
  maxMessagesPerSecond: number;
  /** Bounds on the work sync requests may cost (default `DEFAULT_SYNC_WORK_LIMITS`). */
  syncLimits?: Partial<SyncWorkLimits>;
  /** Other processes serving the same documents (Redis mode); absent with one process. */
  fanout?: DocumentFanout;
  /** Where updates, fan-outs, appends, compactions and dropped connections are counted. */
  metrics?: SyncMetrics;
  /** Called once the room has released everything, so that its owner forgets it. */
  onClosed: (room: DocumentRoom) => void;
  /** Called when the last client has left; the owner decides when to unload. */
  onIdle: (room: DocumentRoom) => void;
  /**
   * Called once the document is loaded, and after each change made on this process (a person's, the
   * server's, a migration; not one heard from another process, which that process reports): the
   * search index follows documents through it. Must not throw.
   */
  onContent?: (doc: Y.Doc) => void;
}

export class DocumentRoom {
  readonly name: string;
  readonly doc = new Y.Doc();
  readonly ready: Promise<void>;
  readonly #connections = new Map<WebSocket, SyncConnection>();
  readonly #presence: RoomPresence;
  readonly #options: DocumentRoomOptions;
  readonly #hooks: DocumentHooks;
  readonly #metrics: SyncMetrics;
  readonly #log: Logger;
  readonly #limits: SyncWorkLimits;
  readonly #documentLog: DocumentLog;
  readonly #replies: SyncReplies;
  readonly #pacer: FanoutPacer;
  readonly #receiver: MessageReceiver;
  readonly #rules: RoomRules;
  readonly #relay: RoomRelay;
  #state: 'loading' | 'ready' | 'closing' | 'closed' = 'loading';
  /** While the room loads: the stored snapshot served to fresh clients before the load ends, if any. */
  #early: EarlyAnswer | null = null;
  /** Document updates seen by the update handler: tells whether anything was applied while the store was read. */
  #documentUpdates = 0;
  #closed: Promise<void> | null = null;
  #unsubscribe: (() => Promise<void>) | null = null;

  constructor(options: DocumentRoomOptions) {
    this.name = options.name;
    this.#options = options;
    this.#hooks = options.hooks;
    this.#metrics = options.metrics ?? NO_SYNC_METRICS;
    this.#log = options.logger.child({ board: options.name });
    this.#limits = { ...DEFAULT_SYNC_WORK_LIMITS, ...options.syncLimits };
    this.#pacer = new FanoutPacer(() => this.#connections.size, () => this.#relay.relayAwareness());
    this.#documentLog = new DocumentLog({
      name: options.name,
      doc: this.doc,
      store: options.store,
      fanout: options.fanout,
      metrics: this.#metrics,
      logger: this.#log,
      compactThreshold: options.compactThreshold,
      schemaVersionOf: (doc) => this.#hooks.schema.versionOf(doc),
      pacer: this.#pacer,
      prepareRelay: (batch, base) => this.#relay.prepareRelay(batch, base),
      isClosed: () => this.#state === 'closed',
      isOpen: () => this.#isOpen(),
      onFailure: () => this.#fail(),
      onSnapshot: (snapshot) => this.#replies.setFullState(snapshot),
      summarize: this.#hooks.summarize ? (doc) => this.#hooks.summarize!(doc) : undefined,
    });
    this.#replies = new SyncReplies({
      doc: this.doc,
      limits: this.#limits,
      storedBytes: () => this.#documentLog.storedBytes,
      isReady: () => this.#state === 'ready',
      isConnected: (connection) => this.#connections.get(connection.socket) === connection,
      send: (connection, message) => this.#send(connection, message),
      writing: () => this.#documentLog.flushing,
    });
    this.#presence = new RoomPresence(this.doc, {
      isConnection: (origin): origin is SyncConnection => this.#isConnection(origin),
      publishes: options.fanout !== undefined,
      onChange: () => this.#pacer.schedule(),
    });
    this.#receiver = new MessageReceiver({
      doc: this.doc,
      logger: this.#log,
      presence: this.#presence,
      replies: this.#replies,
      maxDocumentBytes: options.maxDocumentBytes,
      storedBytes: () => this.#documentLog.storedBytes,
      send: (connection, message) => this.#send(connection, message),
      drop: (connection, code, reason) => this.#drop(connection, code, reason),
      onWriteRefused: (userId) => this.#hooks.onWriteRefused?.(userId),
    });
    this.#rules = new RoomRules({
      doc: this.doc,
      hooks: this.#hooks,
      logger: this.#log,
      isConnection: (origin): origin is SyncConnection => this.#isConnection(origin),
    });
    this.#relay = new RoomRelay({
      name: this.name,
      doc: this.doc,
      presence: this.#presence,
      metrics: this.#metrics,
      fanout: options.fanout,
      connections: () => this.#connections.values(),
      isConnection: (origin): origin is SyncConnection => this.#isConnection(origin),
      seesEverything: (reader) => this.#rules.seesEverything(reader),
      send: (connection, message) => this.#send(connection, message),
    });
    this.doc.on('update', this.#onDocumentUpdate);
    this.doc.on('afterTransaction', this.#rules.afterTransaction);
    this.ready = this.#load();
    // A failed load is reported through `ready` and by closing the sockets; never unhandled.
    this.ready.catch(() => {});
  }

  get state(): 'loading' | 'ready' | 'closing' | 'closed' {
    return this.#state;
  }

  /** The room's presence (the y-protocols awareness). */
  get awareness(): RoomPresence['awareness'] {
    return this.#presence.awareness;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Answers to sync requests this room encoded (not taken from its caches), and the time they took. */
  get syncWork(): { encodes: number; encodeMs: number } {
    return this.#replies.syncWork;
  }

  /** Resolves once the room has released its resources (after `close`). */
  get closed(): Promise<void> {
    return this.#closed ?? Promise.resolve();
  }

  /** Resolves when every update applied so far is in the store. */
  whenPersisted(): Promise<void> {
    return this.#documentLog.whenPersisted();
  }

  /** Connections of the room, with who is behind each (for access changes). */
  connections(): { socket: WebSocket; actor: ConnectionIdentity }[] {
    return [...this.#connections.values()].map(({ socket, actor }) => ({ socket, actor }));
  }

  async #load(): Promise<void> {
    const started = performance.now();
    try {
      // Subscribe first: an update published while the store is read is then not missed.
      if (this.#options.fanout) {
        this.#unsubscribe = await this.#options.fanout.subscribe(this.name, {
          update: (seq, update) => this.#documentLog.applyRemote(seq, update),
          awareness: (update) => this.#presence.receiveRemote(update),
          resync: () => void this.#documentLog.resync(),
        });
      }
      const updatesBeforeRead = this.#documentUpdates;
      const stored = await this.#documentLog.read();
      const loneSnapshot = stored.updates.length === 1 && stored.pendingUpdates === 0 ? stored.updates[0] : null;
      // A lone snapshot is the document's own encoding (a compaction), the very bytes a fresh
      // client's sync step 2 needs, unless an update from another process was applied while the
      // store was read; any later change clears it (the migration below included).
      if (loneSnapshot && this.#documentUpdates === updatesBeforeRead) this.#replies.setFullState(loneSnapshot);
      if (loneSnapshot && stored.snapshotSchemaVersion === this.#hooks.schema.version) {
        await this.#serveSnapshotEarly(loneSnapshot);
        if (this.#state !== 'loading') return;
      }
      // Without an update listener Yjs does not encode the transaction's update: for a stored
      // board that is the whole document (tens of milliseconds for 5,000 cards), and it would be
      // dropped anyway. Nothing else can run during this synchronous block.
      this.doc.off('update', this.#onDocumentUpdate);
      try {
        Y.transact(this.doc, () => {
          for (const update of stored.updates) Y.applyUpdate(this.doc, update);
        }, STORAGE_ORIGIN);
      } finally {
        this.doc.on('update', this.#onDocumentUpdate);
      }
      // Runs through the update handler, so the migration is stored like any edit.
      if ((await this.#hooks.onLoad?.(this.doc)) === true) {
        // Content moved to another document: fold the log so the store no longer holds it here.
        void this.whenPersisted().then(() => this.#documentLog.compact().catch((error: unknown) => this.#log.error({ err: error }, 'compaction after migration failed')));
      }
    } catch (error) {
      this.#log.error({ err: error }, 'board failed to load');
      this.#fail();
      throw error;
    }
    if (this.#state !== 'loading') return;
    this.#state = 'ready';
    // What was stored may not be indexed yet (a process stopped before indexing its last change).
    this.#options.onContent?.(this.doc);
    this.#log.debug({ ms: Math.round(performance.now() - started), lastSeq: this.#documentLog.lastSeq, answeredEarly: this.#early?.answered.size ?? 0 }, 'board loaded');
    for (const connection of this.#connections.values()) this.#greet(connection);
    this.#early = null;
  }

  /** Makes `snapshot` the early answer, answers the fresh clients already waiting, and waits for the others (`EarlyAnswer.settle`). */
  async #serveSnapshotEarly(snapshot: Uint8Array): Promise<void> {
    const early = new EarlyAnswer(snapshot, (connection) => this.#rules.seesEverything(connection.actor), (connection) => this.#removeConnection(connection));
    this.#early = early;
    if (this.#replies.fullStateUpdate === snapshot) this.#replies.setFullState(snapshot, early.message);
    for (const connection of this.#connections.values()) {
      const index = connection.pending?.findIndex((inbound) => 'message' in inbound && isFreshClientStep1(inbound.message)) ?? -1;
      if (index >= 0 && early.answer(connection)) connection.pending?.splice(index, 1);
    }
    await early.settle(() => this.#connections.values());
  }

  /** Adds an authenticated socket to the room. */
  addConnection(socket: WebSocket, actor: ConnectionIdentity): void {
    const connection = new SyncConnection(socket, actor, { maxMessagesPerSecond: this.#options.maxMessagesPerSecond, ...this.#limits });
    this.#connections.set(socket, connection);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const received = connection.receive(data, isBinary);
      if ('refused' in received) {
        if (received.refused === 'text frame') this.#reject(connection, 'text frame');
        else {
          this.#log.warn({ userId: actor.userId }, 'connection sent messages too fast; closing it');
          this.#drop(connection, CloseCode.TooManyMessages, 'too many messages');
        }
        return;
      }
      if (connection.pending) {
        // While loading, a fresh client may be answered with the stored snapshot (`#early`); every
        // other frame waits for the load.
        const early = this.#state === 'loading' ? this.#early : null;
        if (!(early && 'message' in received && isFreshClientStep1(received.message) && early.answer(connection))) connection.pending.push(received);
        this.#early?.frameArrived(this.#connections.values());
      } else this.#handle(connection, received);
    });
    socket.on('close', () => this.#removeConnection(connection));
    if (this.#state === 'ready') this.#greet(connection);
  }

  /** First words to a client, once the document is loaded: our state vector and who is here. */
  #greet(connection: SyncConnection): void {
    const early = this.#early;
    if (early?.answered.has(connection) && this.#replies.fullStateUpdate !== early.update) {
      // The document gained something during the load (an update from another process, a
      // migration): what the early answer lacks, once it is stored, as any step 2 reply.
      const missing = encodeUpdateMessage(Y.encodeStateAsUpdate(this.doc, Y.encodeStateVectorFromUpdate(early.update)));
      const writing = this.#documentLog.flushing;
      if (writing) void writing.then(() => this.#send(connection, missing));
      else this.#send(connection, missing);
    }
    this.#send(connection, encodeSyncStep1Message(this.doc));
    const everyone = this.#presence.everyone();
    if (everyone) this.#send(connection, everyone);
    const pending = connection.pending ?? [];
    connection.pending = null;
    for (const inbound of pending) this.#handle(connection, inbound);
  }

  /** Hands one decoded frame to the receiver, while the room is ready and the connection in it. */
  #handle(connection: SyncConnection, inbound: Inbound): void {
    if (this.#state !== 'ready' || !this.#connections.has(connection.socket)) return;
    this.#receiver.handle(connection, inbound);
  }

  /** A protocol violation closes that socket only; everyone else goes on. */
  #reject(connection: SyncConnection, reason: string): void {
    this.#log.warn({ reason }, 'malformed sync message; closing that connection');
    this.#drop(connection, CloseCode.MalformedMessage, 'malformed message');
  }

  #drop(connection: SyncConnection, code: number, reason: string): void {
    this.#metrics.connectionRefused(code);
    connection.socket.close(code, reason);
    this.#removeConnection(connection);
  }

  #onDocumentUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction): void => {
    this.#replies.invalidate();
    this.#documentUpdates += 1;
    if (origin === STORAGE_ORIGIN) return;
    if (origin !== REMOTE_ORIGIN) this.#options.onContent?.(this.doc);
    const source = origin === REMOTE_ORIGIN ? 'remote' : this.#isConnection(origin) ? 'client' : 'server';
    this.#documentLog.enqueue(update, origin, transaction, source, this.#rules.isRedacted(transaction));
  };

  #isOpen(): boolean {
    return this.#state === 'ready' || this.#state === 'loading';
  }

  #isConnection(value: unknown): value is SyncConnection {
    return value instanceof SyncConnection && this.#connections.get(value.socket) === value;
  }

  #send(connection: SyncConnection, message: Uint8Array): void {
    const socket = connection.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.#documentLog.storedBytes + this.#limits.sendBacklogBytes) {
      // It stopped reading: everything relayed to it would pile up here. It resyncs on reconnect.
      this.#log.warn({ userId: connection.actor.userId, bufferedBytes: socket.bufferedAmount }, 'connection stopped reading; closing it');
      this.#drop(connection, CloseCode.TryAgainLater, 'too far behind');
      return;
    }
    socket.send(message, (error) => {
      if (error) this.#removeConnection(connection);
    });
  }

  #removeConnection(connection: SyncConnection): void {
    if (this.#connections.get(connection.socket) !== connection) return;
    this.#connections.delete(connection.socket);
    this.#presence.remove(connection);
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.close();
    if (this.#connections.size === 0 && this.#isOpen()) this.#options.onIdle(this);
  }

  /** A storage failure: drop the in-memory state; clients keep their edits and resend them on reconnect. */
  #fail(): void {
    if (this.#state === 'closed' || this.#state === 'closing') return;
    this.#state = 'closing';
    for (const connection of [...this.#connections.values()]) {
      connection.socket.close(INTERNAL_ERROR, 'storage failure');
    }
    this.#connections.clear();
    this.#documentLog.drop();
    this.#release();
    this.#closed = Promise.resolve();
  }

  /**
   * Closes every socket with `code`, waits for pending writes, folds the log into a snapshot and
   * releases the document. With `deleteDocument`, the stored document is removed instead.
   */
  close(code: number, reason: string, options: { deleteDocument?: boolean } = {}): Promise<void> {
    if (this.#closed) return this.#closed;
    const wasReady = this.#state === 'ready';
    this.#state = 'closing';
    for (const connection of [...this.#connections.values()]) connection.socket.close(code, reason);
    this.#connections.clear();
    this.#closed = (async () => {
      try {
        await this.ready.catch(() => {});
        await this.whenPersisted();
        if (options.deleteDocument) await this.#documentLog.delete();
        else if (wasReady && this.#documentLog.pendingUpdates > 0) await this.#documentLog.compact();
        else if (wasReady) await this.#documentLog.storeSummary();
      } catch (error) {
        this.#log.error({ err: error }, 'board could not be compacted on close; its update log is kept');
      } finally {
        this.#release();
      }
    })();
    return this.#closed;
  }

  #release(): void {
    this.#state = 'closed';
    this.#replies.close();
    // A flush waiting for the next fan-out ends now (the room is closed: nothing is sent).
    this.#pacer.stop();
    void this.#unsubscribe?.().catch(() => {});
    this.#unsubscribe = null;
    this.doc.off('update', this.#onDocumentUpdate);
    this.doc.off('afterTransaction', this.#rules.afterTransaction);
    this.#presence.destroy();
    this.doc.destroy();
    this.#options.onClosed(this);
  }
}
