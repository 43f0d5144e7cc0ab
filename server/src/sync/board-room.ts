import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  BOARD_SCHEMA_VERSION,
  BoardDoc,
  CloseCode,
  INTERNAL_SCHEMA_VERSION,
  InternalDoc,
  MIGRATION_ORIGIN,
  WORKSPACE_SCHEMA_VERSION,
  WorkspaceDoc,
  colorForUser,
  migrateWorkspace,
  type Department,
  type WorkflowRefusal,
} from '@passerelle/shared';
import { NO_SYNC_METRICS, type SyncMetrics } from '../observability/metrics.js';
import type { DocumentStore } from '../store/document-store.js';
import type { DocumentFanout } from './fanout.js';
import { stripInternalFields } from './shareable-guard.js';
import { removeMalformedEntries } from './shape-guard.js';
import { enforceWorkflow } from './workflow-guard.js';
import { DEFAULT_SYNC_WORK_LIMITS, TokenBucket, normalizeStateVector, stateVectorKey, type SyncWorkLimits } from './sync-budget.js';

/** y-websocket message types (the first varuint of every frame). */
const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const;

/** Transaction origin of updates read back from storage: they are never written again. */
export const STORAGE_ORIGIN = Symbol('storage');

/** Transaction origin of updates another process stored and published: relayed here, never stored or published again. */
export const REMOTE_ORIGIN = Symbol('remote');

/** Close code for a server-side failure (RFC 6455 "internal error"); clients reconnect. */
const INTERNAL_ERROR = 1011;

/** Who is behind a connection, as the room needs to know it. */
export interface ConnectionIdentity {
  /** The member's or guest's id. */
  userId: string;
  name: string;
  kind: 'member' | 'guest';
  /** Departments the person signs off for (guests: none). */
  departments: readonly Department[];
  /** Viewers and commenters may read but not change the document. */
  readOnly: boolean;
}

/** Transaction origin of changes the server makes on someone's behalf (comments posted through the API, meeting decisions). */
export class ServerEdit {
  constructor(readonly actor: { id: string; name: string; kind?: 'member' | 'guest' }) {}
}

/**
 * Largest awareness state one client may publish, in bytes of its JSON (default 8 KiB). A
 * person's presence (name, colour, open card, pointer, text cursor) takes a few hundred bytes;
 * every state is parsed, stamped and relayed to everyone in the room, so a larger one is refused
 * and its connection closed as malformed.
 */
export const MAX_PRESENCE_STATE_BYTES = 8 * 1024;

/**
 * Awareness client ids one connection may speak for (default 4). A stock client speaks for one,
 * its document's; states for further ids are ignored, so one connection cannot fill the room's
 * presence with made-up people.
 */
export const MAX_PRESENCE_IDS_PER_CONNECTION = 4;

/**
 * Entries of one awareness message read beyond the room's own states (default 64). A stock client
 * echoes every change it hears, so a message may list everyone in the room; the rest of a longer
 * one is ignored unread.
 */
export const PRESENCE_ENTRIES_MARGIN = 64;

/** How often a room looks again at sync requests waiting for their budget or a drained send buffer. */
const DEFERRED_REPLY_POLL_MS = 25;

/** How long a read-only connection's refused writes stay quiet before it is told again. */
const REFUSAL_NOTICE_INTERVAL_MS = 5_000;

/**
 * Frames per second a room's fan-out aims to stay under (default 10,000). Each update a room relays
 * costs one `send` per connection, and on a busy board that, not Yjs, is the server's work: 200
 * people at 2 edits a second are 80,000 frames a second when each edit goes out on its own, and a
 * send costs 5-20 µs of system time (the most on loopback). A room fans out at once while it stays
 * under this rate; beyond it, it waits until the rate allows its next fan-out (20 ms with 200
 * connections), and everything that arrived meanwhile goes out as one merged update and one
 * awareness update. A quiet board is never slowed; 50 people at 2 Hz stay under the rate. With 200
 * clients at 2 Hz on loopback, 20,000 took about half a core and 10,000 about a quarter, for 5 ms
 * more at the median and a lower p99.
 */
export const FANOUT_FRAMES_PER_SECOND = 10_000;

/** Frames a room may send in a burst above that rate (default: 50 ms of it), so an isolated burst goes out at once. */
export const FANOUT_BURST_FRAMES = FANOUT_FRAMES_PER_SECOND / 20;

/** Longest wait for a fan-out however many connect, so an edit is never held long. */
export const MAX_FANOUT_INTERVAL_MS = 25;

/** Updates waiting for the next fan-out beyond this many bytes go out at the next turn of the event loop. */
export const MAX_BATCH_BYTES = 1024 * 1024;

/**
 * How many updates a fan-out may merge to spare its senders their own updates (default 256). Each
 * connection that sent part of a batch gets the rest of it, a frame of its own; with `k` senders in
 * a batch of `n` updates that is `k` merges of up to `n` updates, which grows as the square of the
 * load exactly when the server falls behind (200 senders in a batch of 1,500 updates took seconds).
 * Beyond this product the senders get the shared frame: a y-websocket client ignores the part it
 * already has, as it does with every update the reference server echoes.
 */
export const MAX_MERGED_FOR_SENDERS = 256;

/**
 * Longest the load waits, once it has read a stored snapshot it may serve early (see
 * `BoardRoom#early`), for the first frame of a member connected to the room but silent so far
 * (default 10 ms). Applying a 5,000-card snapshot blocks the process for 300 ms after a restart,
 * and a sync step 1 that arrives during it is only read after it; a stock client sends its step 1
 * as soon as the socket opens, so the frame is normally already in flight and the wait ends at its
 * arrival. The load is delayed by at most this much when a client is slow or sends nothing.
 */
export const EARLY_ANSWER_WAIT_MS = 10;

/**
 * Longest the load then waits for the early answers to be handed to the kernel (default 20 ms). A
 * 2 MB frame does not fit the socket's buffer at once, and what is left of it is only written when
 * the event loop runs again: after the 300 ms apply, which would undo the overlap. On loopback or a
 * fast network the write is done in a few milliseconds; on a slow one the wait is cut short and the
 * rest goes out after the apply, as it did before.
 */
export const EARLY_ANSWER_FLUSH_MS = 20;

/** The schema version a document of `kind` has once migrated by this server. */
function currentSchemaVersion(kind: BoardRoomOptions['kind']): number {
  return kind === 'board' ? BOARD_SCHEMA_VERSION : kind === 'internal' ? INTERNAL_SCHEMA_VERSION : WORKSPACE_SCHEMA_VERSION;
}

/** The schema version recorded in `doc` itself (0 when never migrated), read through the typed accessor of its kind. */
function schemaVersionOf(kind: BoardRoomOptions['kind'], doc: Y.Doc): number {
  return kind === 'board' ? new BoardDoc(doc).schemaVersion : kind === 'internal' ? new InternalDoc(doc).schemaVersion : new WorkspaceDoc(doc).schemaVersion;
}

/** True when `frame` is a sync step 1 with an empty state vector: a client that has nothing of the document yet. */
function isFreshClientStep1(frame: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.Sync) return false;
    if (decoding.readVarUint(decoder) !== syncProtocol.messageYjsSyncStep1) return false;
    const stateVector = decoding.readVarUint8Array(decoder);
    // An empty state vector is the single varuint 0 (no clients).
    return stateVector.byteLength === 1 && stateVector[0] === 0;
  } catch {
    // Malformed: left to the normal handling, which closes the socket once the board is loaded.
    return false;
  }
}

/** A client of a room: its socket and the awareness client ids it speaks for. */
interface RoomConnection {
  socket: WebSocket;
  /** The signed-in person behind the socket. */
  actor: ConnectionIdentity;
  /** When the connection was last told that its writes are refused. */
  lastRefusalNotice: number;
  awarenessIds: Set<number>;
  /** Frames received while the board was still loading, handled in order once it is ready. */
  pending: Uint8Array[] | null;
  /** The message rate limit (`maxMessagesPerSecond`, bursts of twice that). */
  messages: TokenBucket;
  /** Sync step 1 requests (`step1PerSecond`). */
  step1Requests: TokenBucket;
  /** The state vector of its latest sync step 1 not answered yet (normalized), or null. */
  deferredStep1: Map<number, number> | null;
  /**
   * The last awareness state received for each client id of this connection, as sent and as
   * stamped: a client repeats its unchanged state every 15 s, and the repeat needs no new stamp.
   */
  stamped: Map<number, { sent: string; stamped: string }>;
}

/** A document update applied in memory, waiting for the room's next fan-out to be stored and relayed. */
interface QueuedUpdate {
  update: Uint8Array;
  /** The transaction's origin: a connection (which already has the update), the guard, a `ServerEdit`, `REMOTE_ORIGIN`... */
  origin: unknown;
  /** Already stored by another process (`REMOTE_ORIGIN`): relayed, never appended again. */
  stored: boolean;
  /**
   * It carried internal content the guard removed in a later transaction of the same turn. Guests
   * then get the document's own encoding of the batch, where removed content is only a tombstone.
   * (An update from another process needs no such care: this document applies the value and its
   * removal in one transaction, so its own update event never holds the value.)
   */
  internal: boolean;
  /** When it was applied in the room (`performance.now()`), for the fan-out delay. */
  receivedAt: number;
}

export interface BoardRoomOptions {
  name: string;
  /** Which schema the document follows: a board, a board's internal document, or the workspace's reference data. */
  kind: 'board' | 'internal' | 'workspace';
  /**
   * Brings the loaded document to the current schema (runs inside the load, before anyone is
   * served). Resolves to true when content moved out of the document: it is compacted then, so the
   * stored log no longer holds it either.
   */
  migrate: (doc: Y.Doc) => Promise<boolean | void> | boolean | void;
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
  onClosed: (room: BoardRoom) => void;
  /** Called when the last client has left; the owner decides when to unload. */
  onIdle: (room: BoardRoom) => void;
  /** Tells a person that the server undid changes of theirs that broke a workflow rule. */
  onRefusals?: (userId: string, refusals: WorkflowRefusal[]) => void;
  /** Tells a read-only person that their document update was refused. */
  onWriteRefused?: (userId: string) => void;
  /** Called after each transaction someone made (a connection's update or a `ServerEdit`). */
  onChange?: (transaction: Y.Transaction, actor: { id: string; name: string; kind: 'member' | 'guest' }) => void;
}

/**
 * One board in memory and the sockets editing it.
 *
 * Invariants:
 * - Nothing of the board is sent to a client before the stored document is loaded and migrated, so a
 *   board never looks empty while its content loads; the one exception is a member's fresh client,
 *   answered with a stored snapshot that is the whole document at the current schema version, which
 *   no migration will change (see `#early`).
 * - An update is appended to the store before it is relayed to anyone, and a sync step 2 (which may
 *   contain such updates) waits for the writes in flight: whatever a client has seen survives a crash.
 * - Updates and awareness changes are fanned out in batches (see `FANOUT_FRAMES_PER_SECOND`): each
 *   batch is stored in one append, then sent as one frame encoded once. A connection does not get
 *   its own updates back (but for busy batches, see `MAX_MERGED_FOR_SENDERS`), and a guest never
 *   gets a value the guard removed.
 */
export class BoardRoom {
  readonly name: string;
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly #connections = new Map<WebSocket, RoomConnection>();
  /** Which connection speaks for each awareness client id (a client may not speak for another's). */
  readonly #awarenessOwners = new Map<number, RoomConnection>();
  readonly #options: BoardRoomOptions;
  readonly #metrics: SyncMetrics;
  readonly #log: Logger;
  readonly ready: Promise<void>;
  #state: 'loading' | 'ready' | 'closing' | 'closed' = 'loading';
  #lastSeq = 0;
  #pendingUpdates = 0;
  /** Bytes the document takes in the store (snapshot plus logged updates), for the size limit. */
  #storedBytes = 0;
  /**
   * Updates applied in memory and not yet stored and relayed: the next fan-out's batch, in the order
   * they were applied. `#batchBase` is the document's state vector before the first of them, from
   * which the clean relay for guests is encoded.
   */
  #writeQueue: QueuedUpdate[] = [];
  #batchBase: Map<number, number> | null = null;
  #queuedBytes = 0;
  /** Transactions that carried internal content (see `QueuedUpdate.internal`). */
  readonly #carriedInternal = new WeakSet<Y.Transaction>();
  #flushing: Promise<void> | null = null;
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
  readonly #limits: SyncWorkLimits;
  /** Connections with a sync step 1 waiting for a budget or a drained send buffer, oldest first. */
  readonly #deferred = new Set<RoomConnection>();
  #deferredTimer: NodeJS.Timeout | null = null;
  /** Answers to sync requests this room encoded (not taken from its caches), and the time they took. */
  readonly syncWork = { encodes: 0, encodeMs: 0 };
  /**
   * While the room loads: the stored snapshot, when it is the whole stored document (no logged
   * update after it) and was compacted at the current schema version, so no migration will change
   * it. A member's fresh client is answered with it at once (`answered`), before the server has
   * applied it, which overlaps the server's load with the transfer and the client's own apply. Only
   * members: they may read everything the document held at any version, so even a snapshot that
   * broke the guard's invariant would show them nothing new; guests wait for the load as before.
   * The snapshot is stored, so 'stored before relayed' holds; anything the document gains during
   * the load reaches those clients when they are greeted.
   */
  #early: { update: Uint8Array; message: Uint8Array; answered: Set<RoomConnection>; written: Promise<void>[] } | null = null;
  /** Ends the load's wait for silent members' first frames (see `EARLY_ANSWER_WAIT_MS`). */
  #firstFramesArrived: (() => void) | null = null;
  /** Document updates seen by the update handler: tells whether anything was applied while the store was read. */
  #documentUpdates = 0;
  /** Awareness client ids changed since the last fan-out: all of them for this process's clients, and those to publish to the other processes. */
  readonly #awarenessChanged = new Set<number>();
  readonly #awarenessToPublish = new Set<number>();
  /** The next fan-out, when one is armed: at the next turn of the event loop (an immediate), or later (a timeout). */
  #fanoutTimer: { immediate: NodeJS.Immediate } | { timeout: NodeJS.Timeout } | null = null;
  /** Token bucket of the fan-out rate, in frames: how many are allowed now, and when that was computed. */
  #fanoutTokens = FANOUT_BURST_FRAMES;
  #fanoutTokensAt = performance.now();
  /** The update flush waiting for the next fan-out. */
  #fanoutWaiters: (() => void)[] = [];
  #closed: Promise<void> | null = null;
  /**
   * The highest sequence number up to which every stored update is in this document. With several
   * processes appending to the same log, updates arrive out of order; a compaction may only fold
   * what is below this mark, or it would drop an update this process has not received yet.
   */
  #watermark = 0;
  readonly #appliedAbove = new Set<number>();
  #unsubscribe: (() => Promise<void>) | null = null;

  constructor(options: BoardRoomOptions) {
    this.name = options.name;
    this.#options = options;
    this.#metrics = options.metrics ?? NO_SYNC_METRICS;
    this.#log = options.logger.child({ board: options.name });
    this.#limits = { ...DEFAULT_SYNC_WORK_LIMITS, ...options.syncLimits };
    this.#work = new TokenBucket(this.#limits.roomWorkMsPerSecond, this.#limits.roomWorkBurstMs);
    // The server speaks for no one in the awareness.
    this.awareness.setLocalState(null);
    this.doc.on('update', this.#onDocumentUpdate);
    this.doc.on('afterTransaction', this.#afterTransaction);
    this.awareness.on('update', this.#onAwarenessUpdate);
    this.ready = this.#load();
    // A failed load is reported through `ready` and by closing the sockets; never unhandled.
    this.ready.catch(() => {});
  }

  get state(): 'loading' | 'ready' | 'closing' | 'closed' {
    return this.#state;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Resolves once the room has released its resources (after `close`). */
  get closed(): Promise<void> {
    return this.#closed ?? Promise.resolve();
  }

  async #load(): Promise<void> {
    const started = performance.now();
    try {
      // Subscribe first: an update published while the store is read is then not missed.
      if (this.#options.fanout) {
        this.#unsubscribe = await this.#options.fanout.subscribe(this.name, {
          update: (seq, update) => this.#onRemoteUpdate(seq, update),
          awareness: (update) => awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN),
          resync: () => void this.#resync(),
        });
      }
      const updatesBeforeRead = this.#documentUpdates;
      const stored = await this.#options.store.load(this.name);
      this.#lastSeq = stored.lastSeq;
      this.#pendingUpdates = stored.pendingUpdates;
      this.#storedBytes = stored.updates.reduce((total, update) => total + update.byteLength, 0);
      this.#markApplied(stored.lastSeq, true);
      const loneSnapshot = stored.updates.length === 1 && stored.pendingUpdates === 0 ? stored.updates[0] : null;
      // A lone snapshot is the document's own encoding (`#compact`), the very bytes a fresh
      // client's sync step 2 needs, unless an update from another process was applied while the
      // store was read; any later change clears it (the migration below included).
      if (loneSnapshot && this.#documentUpdates === updatesBeforeRead) this.#fullState = { update: loneSnapshot };
      if (loneSnapshot && stored.snapshotSchemaVersion === currentSchemaVersion(this.#options.kind)) {
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
      if (this.#options.kind === 'workspace') migrateWorkspace(this.doc, MIGRATION_ORIGIN);
      else if ((await this.#options.migrate(this.doc)) === true) {
        // Content moved to another document: fold the log so the store no longer holds it here.
        void this.whenPersisted().then(() => this.#compact().catch((error: unknown) => this.#log.error({ err: error }, 'compaction after migration failed')));
      }
    } catch (error) {
      this.#log.error({ err: error }, 'board failed to load');
      this.#fail();
      throw error;
    }
    if (this.#state !== 'loading') return;
    this.#state = 'ready';
    this.#log.debug({ ms: Math.round(performance.now() - started), lastSeq: this.#lastSeq, answeredEarly: this.#early?.answered.size ?? 0 }, 'board loaded');
    for (const connection of this.#connections.values()) this.#greet(connection);
    this.#early = null;
  }

  /**
   * Makes `snapshot` the early answer (`#early`), answers the fresh members already waiting, and
   * gives silent members up to `EARLY_ANSWER_WAIT_MS` to send their sync step 1 before the
   * process blocks applying the snapshot.
   */
  async #serveSnapshotEarly(snapshot: Uint8Array): Promise<void> {
    const message = encodeSyncStep2Message(snapshot);
    this.#early = { update: snapshot, message, answered: new Set(), written: [] };
    if (this.#fullState?.update === snapshot) this.#fullState.message = message;
    for (const connection of this.#connections.values()) {
      const index = connection.pending?.findIndex(isFreshClientStep1) ?? -1;
      if (index >= 0 && this.#answerEarly(connection)) connection.pending?.splice(index, 1);
    }
    // A socket admitted in this turn joins, and its buffered frames are read, only at the event
    // loop's next poll: two immediates put one poll phase between here and the apply.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.#hasSilentMember()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.#firstFramesArrived?.(), EARLY_ANSWER_WAIT_MS);
        this.#firstFramesArrived = () => {
          clearTimeout(timer);
          this.#firstFramesArrived = null;
          resolve();
        };
      });
    }
    if (this.#early.written.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.#early.written), new Promise<void>((resolve) => (timer = setTimeout(resolve, EARLY_ANSWER_FLUSH_MS)))]);
    clearTimeout(timer);
  }

  /** A member connected while the room loads that has sent nothing yet. */
  #hasSilentMember(): boolean {
    for (const connection of this.#connections.values()) {
      if (connection.actor.kind === 'member' && connection.pending?.length === 0 && !this.#early?.answered.has(connection)) return true;
    }
    return false;
  }

  /** Sends the early answer to a member's fresh client (see `#early`); false when it may not have it. */
  #answerEarly(connection: RoomConnection): boolean {
    if (!this.#early || this.#state !== 'loading' || connection.actor.kind !== 'member' || this.#early.answered.has(connection)) return false;
    this.#early.answered.add(connection);
    const socket = connection.socket;
    if (socket.readyState !== socket.OPEN) return true;
    this.#early.written.push(
      new Promise<void>((resolve) =>
        socket.send(this.#early!.message, (error) => {
          if (error) this.#removeConnection(connection);
          resolve();
        }),
      ),
    );
    return true;
  }

  /** Adds an authenticated socket to the room. */
  addConnection(socket: WebSocket, actor: ConnectionIdentity): void {
    const rate = this.#options.maxMessagesPerSecond;
    const connection: RoomConnection = {
      socket,
      actor,
      lastRefusalNotice: 0,
      awarenessIds: new Set(),
      pending: [],
      messages: new TokenBucket(rate, rate * 2),
      step1Requests: new TokenBucket(this.#limits.step1PerSecond, this.#limits.step1Burst),
      deferredStep1: null,
      stamped: new Map(),
    };
    this.#connections.set(socket, connection);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        this.#reject(connection, 'text frame');
        return;
      }
      if (!connection.messages.take()) {
        this.#log.warn({ userId: actor.userId }, 'connection sent messages too fast; closing it');
        this.#drop(connection, CloseCode.TooManyMessages, 'too many messages');
        return;
      }
      const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (connection.pending) {
        // While loading, a member's fresh client may be answered with the stored snapshot (`#early`);
        // every other frame waits for the load.
        if (!(this.#early && isFreshClientStep1(frame) && this.#answerEarly(connection))) connection.pending.push(frame);
        if (this.#firstFramesArrived && !this.#hasSilentMember()) this.#firstFramesArrived();
      } else this.#handleFrame(connection, frame);
    });
    socket.on('close', () => this.#removeConnection(connection));
    if (this.#state === 'ready') this.#greet(connection);
  }

  /** First words to a client, once the board is loaded: our state vector and who is here. */
  #greet(connection: RoomConnection): void {
    const early = this.#early;
    if (early?.answered.has(connection) && this.#fullState?.update !== early.update) {
      // The document gained something during the load (an update from another process, a
      // migration): what the early answer lacks, once it is stored, as any step 2 reply.
      const missing = encodeUpdateMessage(Y.encodeStateAsUpdate(this.doc, Y.encodeStateVectorFromUpdate(early.update)));
      if (this.#flushing) void this.#flushing.then(() => this.#send(connection, missing));
      else this.#send(connection, missing);
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Sync);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.#send(connection, encoding.toUint8Array(encoder));
    const states = this.awareness.getStates();
    if (states.size > 0) {
      this.#send(connection, encodeAwarenessMessage(this.awareness, [...states.keys()]));
    }
    const pending = connection.pending ?? [];
    connection.pending = null;
    for (const frame of pending) this.#handleFrame(connection, frame);
  }

  #handleFrame(connection: RoomConnection, frame: Uint8Array): void {
    if (this.#state !== 'ready' || !this.#connections.has(connection.socket)) return;
    try {
      const decoder = decoding.createDecoder(frame);
      const encoder = encoding.createEncoder();
      const messageType = decoding.readVarUint(decoder);
      switch (messageType) {
        case MessageType.Sync: {
          if (decoding.peekVarUint(decoder) === syncProtocol.messageYjsSyncStep1) {
            decoding.readVarUint(decoder);
            this.#requestStep1(connection, decoding.readVarUint8Array(decoder));
            break;
          }
          if (connection.actor.readOnly && this.#refuseWrite(connection, frame)) break;
          if (this.#refuseOversized(connection, frame)) break;
          encoding.writeVarUint(encoder, MessageType.Sync);
          // Yjs keeps what an update cannot integrate yet (its structs wait for missing ones) and
          // integrates it inside whichever later update completes it: in that update's transaction,
          // where the rules would judge it as that person's change. So nothing waits across
          // connections: updates from other processes waiting for a gap are set aside while this
          // message applies, and what this message leaves waiting is dropped (a client only builds
          // on what the server sent it, so only a forged update leaves a gap here).
          const waiting = this.#takePendingUpdate();
          // Throws on an unknown sync message type or an undecodable update (y-protocols would
          // only log the latter; rethrowing turns it into a close of that socket). Step 2 and
          // updates have no reply.
          try {
            syncProtocol.readSyncMessage(decoder, encoder, this.doc, connection, rethrow);
          } finally {
            if (this.#takePendingUpdate()) this.#log.warn({ userId: connection.actor.userId }, 'update with missing dependencies dropped');
            if (waiting) Y.applyUpdateV2(this.doc, waiting, REMOTE_ORIGIN);
          }
          break;
        }
        case MessageType.Awareness: {
          const stamped = this.#stampAwareness(connection, decoding.readVarUint8Array(decoder));
          if (stamped) awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped, connection);
          break;
        }
        case MessageType.QueryAwareness:
          // Answered with every state in the room: it counts as a request for the document's state.
          if (!connection.step1Requests.take()) {
            this.#tooManyRequests(connection);
            break;
          }
          this.#send(connection, encodeAwarenessMessage(this.awareness, [...this.awareness.getStates().keys()]));
          break;
        case MessageType.Auth:
          // Authentication happens on the HTTP upgrade; the in-band auth message is not used.
          break;
        default:
          throw new Error(`unknown message type ${messageType}`);
      }
    } catch (error) {
      this.#reject(connection, error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * A sync step 1: a client asks for what the document has beyond its state vector. Answered at
   * once when the answer is already encoded, or when this person and this room have encoding
   * time left (`sync-budget.ts`) and its send buffer is not backed up; otherwise it waits, a newer
   * request of the same connection replacing it. More requests than a client needs close the
   * connection (`step1PerSecond`).
   */
  #requestStep1(connection: RoomConnection, encodedStateVector: Uint8Array): void {
    if (!connection.step1Requests.take()) {
      this.#tooManyRequests(connection);
      return;
    }
    // Throws on an undecodable state vector: the connection is closed as malformed.
    connection.deferredStep1 = normalizeStateVector(this.doc, Y.decodeStateVector(encodedStateVector));
    this.#deferred.add(connection);
    this.#answerDeferred();
  }

  #tooManyRequests(connection: RoomConnection): void {
    this.#log.warn({ userId: connection.actor.userId }, 'connection asked for the document too often; closing it');
    this.#drop(connection, CloseCode.TooManyMessages, 'too many sync requests');
  }

  /**
   * Answers the waiting sync requests that can be answered now, oldest first, and looks again
   * later while some still wait. A connection out of budget or backed up does not hold back the
   * others; the room's budget, once spent, holds back every request that needs encoding.
   */
  #answerDeferred = (): void => {
    if (this.#deferredTimer) clearTimeout(this.#deferredTimer);
    this.#deferredTimer = null;
    if (this.#state !== 'ready') return;
    const now = performance.now();
    let encoded = false;
    for (const connection of this.#deferred) {
      const stateVector = connection.deferredStep1;
      if (!stateVector || !this.#connections.has(connection.socket)) {
        this.#deferred.delete(connection);
        continue;
      }
      if (connection.socket.bufferedAmount > Math.max(this.#limits.replyBacklogBytes, this.#storedBytes)) continue;
      const key = stateVectorKey(stateVector);
      let reply = key === '' ? this.#fullStateMessage() : this.#replies.get(key);
      if (!reply) {
        const personWork = this.#personWorkOf(connection.actor);
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
      if (this.#flushing) void this.#flushing.then(() => this.#send(connection, message));
      else this.#send(connection, message);
    }
    if (this.#deferred.size > 0) this.#deferredTimer = setTimeout(this.#answerDeferred, encoded ? 0 : DEFERRED_REPLY_POLL_MS);
  };

  #personWorkOf(actor: ConnectionIdentity): TokenBucket {
    const key = `${actor.kind}:${actor.userId}`;
    let bucket = this.#personWork.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.#limits.personWorkMsPerSecond, this.#limits.personWorkBurstMs);
      this.#personWork.set(key, bucket);
    }
    return bucket;
  }

  /** Takes out of the document what waits there for missing structs or deletions (a V2 update), or null. */
  #takePendingUpdate(): Uint8Array | null {
    const store = this.doc.store;
    const parts: Uint8Array[] = [];
    if (store.pendingStructs) parts.push(store.pendingStructs.update);
    if (store.pendingDs) parts.push(store.pendingDs);
    store.pendingStructs = null;
    store.pendingDs = null;
    return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : Y.mergeUpdatesV2(parts);
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
    if (key === '') {
      this.#fullState ??= { update: Y.encodeStateAsUpdate(this.doc) };
      return this.#fullStateMessage()!;
    }
    const reply = encodeSyncStep2Message(Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(stateVector)));
    // Bounded in count and in bytes (twice the board), oldest dropped first.
    const maxBytes = 2 * Math.max(this.#storedBytes, this.#limits.replyBacklogBytes);
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

  /**
   * A read-only connection may ask for the document (sync step 1) but not change it: a step 2 or an
   * update is dropped. When it would have changed something, the client is told with the protocol's
   * permission-denied message (stock clients log it) and the person through `onWriteRefused`.
   * Returns true when the frame was a write and has been handled.
   */
  #refuseWrite(connection: RoomConnection, frame: Uint8Array): boolean {
    const decoder = decoding.createDecoder(frame);
    decoding.readVarUint(decoder); // message type: sync
    const syncType = decoding.readVarUint(decoder);
    if (syncType === syncProtocol.messageYjsSyncStep1) return false;
    if (syncType !== syncProtocol.messageYjsSyncStep2 && syncType !== syncProtocol.messageYjsUpdate) return false;
    const update = decoding.readVarUint8Array(decoder);
    if (!wouldChange(this.doc, update)) return true;
    const now = Date.now();
    if (now - connection.lastRefusalNotice >= REFUSAL_NOTICE_INTERVAL_MS) {
      connection.lastRefusalNotice = now;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.Auth);
      authProtocol.writePermissionDenied(encoder, 'read-only: your role on this board does not allow changes');
      this.#send(connection, encoding.toUint8Array(encoder));
      this.#options.onWriteRefused?.(connection.actor.userId);
    }
    this.#log.info({ userId: connection.actor.userId }, 'write from a read-only connection refused');
    return true;
  }

  /**
   * Presence is only as trustworthy as the server makes it: each awareness state a connection sends
   * has its `user` replaced by the authenticated identity, and a connection cannot speak for an
   * awareness client id another connection owns.
   */
  #stampAwareness(connection: RoomConnection, update: Uint8Array): Uint8Array | null {
    const decoder = decoding.createDecoder(update);
    // A stock client echoes what it hears, so a message may list everyone; beyond that, unread.
    const count = Math.min(decoding.readVarUint(decoder), this.awareness.states.size + PRESENCE_ENTRIES_MARGIN);
    const entries: { clientId: number; clock: number; state: string }[] = [];
    let claimed = connection.awarenessIds.size;
    for (let index = 0; index < count; index++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      if (decoding.peekVarUint(decoder) > MAX_PRESENCE_STATE_BYTES) {
        this.#log.warn({ userId: connection.actor.userId }, 'presence state too large; closing that connection');
        this.#drop(connection, CloseCode.MalformedMessage, 'presence state too large');
        return null;
      }
      const json = decoding.readVarString(decoder);
      const owner = this.#awarenessOwner(clientId);
      if (owner && owner !== connection) continue;
      if (!owner) {
        // Not this connection's (yet): an echo of a state the room already has at this clock or a
        // later one changes nothing but a removal, and a new id is taken only within the cap.
        const known = this.awareness.meta.get(clientId)?.clock;
        if (known !== undefined && (clock < known || (clock === known && json !== 'null'))) continue;
        if (json !== 'null') {
          if (claimed >= MAX_PRESENCE_IDS_PER_CONNECTION) continue;
          claimed += 1;
        }
      }
      const cached = connection.stamped.get(clientId);
      if (cached?.sent === json) {
        entries.push({ clientId, clock, state: cached.stamped });
        continue;
      }
      let state: unknown = JSON.parse(json);
      if (state !== null && typeof state === 'object') {
        const user = (state as { user?: unknown }).user;
        state = {
          ...state,
          user: {
            ...(user && typeof user === 'object' ? user : {}),
            id: connection.actor.userId,
            name: connection.actor.name,
            color: colorForUser(connection.actor.userId),
            guest: connection.actor.kind === 'guest',
          },
        };
      }
      const stamped = JSON.stringify(state);
      connection.stamped.set(clientId, { sent: json, stamped });
      entries.push({ clientId, clock, state: stamped });
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(encoder, entry.clientId);
      encoding.writeVarUint(encoder, entry.clock);
      encoding.writeVarString(encoder, entry.state);
    }
    return encoding.toUint8Array(encoder);
  }

  #awarenessOwner(clientId: number): RoomConnection | undefined {
    return this.#awarenessOwners.get(clientId);
  }

  /** Connections of the room, with who is behind each (for access changes). */
  connections(): { socket: WebSocket; actor: ConnectionIdentity }[] {
    return [...this.#connections.values()].map(({ socket, actor }) => ({ socket, actor }));
  }

  /** A protocol violation closes that socket only; everyone else goes on. */
  #reject(connection: RoomConnection, reason: string): void {
    this.#log.warn({ reason }, 'malformed sync message; closing that connection');
    this.#drop(connection, CloseCode.MalformedMessage, 'malformed message');
  }

  #drop(connection: RoomConnection, code: number, reason: string): void {
    this.#metrics.connectionRefused(code);
    connection.socket.close(code, reason);
    this.#removeConnection(connection);
  }

  /**
   * An update (or sync step 2) that would grow the stored document past the limit is not applied:
   * the socket is closed with a final code, so the client does not send it again and again.
   * Returns true when the frame was refused.
   */
  #refuseOversized(connection: RoomConnection, frame: Uint8Array): boolean {
    const decoder = decoding.createDecoder(frame);
    decoding.readVarUint(decoder);
    const syncType = decoding.readVarUint(decoder);
    if (syncType !== syncProtocol.messageYjsSyncStep2 && syncType !== syncProtocol.messageYjsUpdate) return false;
    const size = decoding.readVarUint(decoder);
    if (this.#storedBytes + size <= this.#options.maxDocumentBytes) return false;
    this.#log.warn({ userId: connection.actor.userId, storedBytes: this.#storedBytes, updateBytes: size }, 'update would make the document too large; refused');
    this.#drop(connection, CloseCode.DocumentTooLarge, 'document too large');
    return true;
  }

  /**
   * After each transaction someone made: board changes are checked against the workflow rules
   * (corrections are made in a follow-up transaction), then reported to `onChange`.
   */
  #afterTransaction = (transaction: Y.Transaction): void => {
    const origin = transaction.origin;
    let actor: { id: string; name: string; kind: 'member' | 'guest' } | null = null;
    if (origin instanceof ServerEdit) actor = { kind: 'member', ...origin.actor };
    else if (origin instanceof Object && this.#isConnection(origin)) {
      actor = { id: origin.actor.userId, name: origin.actor.name, kind: origin.actor.kind };
      // First: the guards below read the cards as maps.
      if (this.#options.kind === 'board' && removeMalformedEntries(this.doc, transaction) > 0) {
        this.#log.warn({ userId: origin.actor.userId }, 'cards or columns that are not maps removed');
      }
      if (this.#options.kind === 'board' && stripInternalFields(this.doc, transaction) > 0) {
        this.#log.warn({ userId: origin.actor.userId }, 'internal fields written to the shareable board removed');
        this.#carriedInternal.add(transaction);
      }
      if (this.#options.kind === 'board') {
        const refusals = enforceWorkflow(this.doc, transaction, origin.actor, this.name);
        if (refusals.length > 0) {
          this.#log.info({ userId: origin.actor.userId, refusals }, 'workflow change undone');
          this.#options.onRefusals?.(origin.actor.userId, refusals);
        }
      }
    }
    if (!actor || !this.#options.onChange || this.#options.kind === 'workspace') return;
    try {
      this.#options.onChange(transaction, actor);
    } catch (error) {
      this.#log.error({ err: error }, 'board change listener failed');
    }
  };

  #onDocumentUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction): void => {
    this.#fullState = null;
    if (this.#replies.size > 0) {
      this.#replies.clear();
      this.#repliesBytes = 0;
    }
    this.#documentUpdates += 1;
    if (origin === STORAGE_ORIGIN) return;
    if (this.#writeQueue.length === 0) this.#batchBase = transaction.beforeState;
    this.#metrics.updateReceived(origin === REMOTE_ORIGIN ? 'remote' : origin instanceof Object && this.#isConnection(origin) ? 'client' : 'server');
    // Updates from another process are already stored there; they are relayed with the next batch.
    this.#writeQueue.push({ update, origin, stored: origin === REMOTE_ORIGIN, internal: this.#carriedInternal.has(transaction), receivedAt: performance.now() });
    this.#queuedBytes += update.byteLength;
    this.#flushing ??= this.#flush();
    // A full batch goes out at the next turn, whatever the pacing.
    if (this.#queuedBytes > MAX_BATCH_BYTES && this.#fanoutWaiters.length > 0) this.#scheduleFanout(true);
  };

  /**
   * Group commit and coalesced fan-out: every update applied since the last fan-out is merged into
   * one append, and, once that append has resolved, into one update message encoded once and sent
   * to every connection (so an update is still stored before anyone receives it). A connection that
   * sent part of the batch gets the rest of it, not its own updates back.
   */
  async #flush(): Promise<void> {
    try {
      while (this.#writeQueue.length > 0) {
        // Waits at least for the rest of the current turn (a client's change and the server's
        // correction of it arrive together), and on a busy board for the fan-out pacing.
        await this.#nextFanout();
        if (this.#state === 'closed') return;
        const batch = this.#writeQueue.splice(0);
        const base = this.#batchBase;
        this.#batchBase = null;
        this.#queuedBytes = 0;
        if (batch.length === 0) continue;
        // Encoded before the append, while the document holds exactly what is stored or in this
        // batch: the guests' relay carries nothing that is not about to be stored.
        const guestRelay = base && batch.some((entry) => entry.internal) ? this.#cleanRelay(base) : null;
        const local = batch.filter((entry) => !entry.stored);
        const merged = mergeUpdates(batch);
        if (local.length > 0) {
          const stored = local.length === batch.length ? merged : mergeUpdates(local);
          const appending = performance.now();
          this.#lastSeq = await this.#options.store.append(this.name, stored);
          this.#metrics.storeAppend((performance.now() - appending) / 1000);
          this.#pendingUpdates += 1;
          this.#storedBytes += stored.byteLength;
          this.#markApplied(this.#lastSeq);
          this.#options.fanout?.publishUpdate(this.name, this.#lastSeq, stored);
        }
        this.#relay(batch, merged, guestRelay);
        if (this.#pendingUpdates >= this.#options.compactThreshold) await this.#compact();
      }
    } catch (error) {
      this.#log.error({ err: error }, 'board update could not be stored; closing the room');
      this.#fail();
    } finally {
      this.#flushing = null;
    }
  }

  /**
   * Sends one stored batch: the same frame to everyone, except to guests when it carried internal
   * content, and to the connections that sent part of it, which get the rest of it. On a busy
   * board, where a batch holds the updates of many senders, the senders get the shared frame too
   * (see `MAX_MERGED_FOR_SENDERS`).
   */
  #relay(batch: QueuedUpdate[], merged: Uint8Array, guestRelay: Uint8Array | null): void {
    const message = encodeUpdateMessage(merged);
    /** The rest of the batch for each connection that sent part of it; null when it sent all of it. */
    const rest = new Map<RoomConnection, Uint8Array | null>();
    const senders = new Set<RoomConnection>();
    for (const { origin } of batch) if (origin instanceof Object && this.#isConnection(origin)) senders.add(origin);
    if (senders.size === 1 || senders.size * batch.length <= MAX_MERGED_FOR_SENDERS) {
      for (const sender of senders) {
        const others = batch.filter((entry) => entry.origin !== sender);
        rest.set(sender, others.length === 0 ? null : encodeUpdateMessage(mergeUpdates(others)));
      }
    }
    let sent = 0;
    for (const connection of this.#connections.values()) {
      if (connection.pending) continue;
      // A guest's clean relay may repeat its own update: Yjs ignores what it already has.
      const frame = guestRelay && connection.actor.kind === 'guest' ? guestRelay : rest.has(connection) ? rest.get(connection) : message;
      if (frame) {
        this.#send(connection, frame);
        sent += 1;
      }
    }
    if (sent === 0) return;
    this.#metrics.updatesRelayed(sent);
    const relayedAt = performance.now();
    for (const entry of batch) this.#metrics.fanoutDelay((relayedAt - entry.receivedAt) / 1000);
  }

  /** The document's changes since `base` as an update message; removed content is only a tombstone in it, never its value. */
  #cleanRelay(base: Map<number, number>): Uint8Array | null {
    let guests = false;
    for (const connection of this.#connections.values()) if (connection.actor.kind === 'guest') guests = true;
    return guests ? encodeUpdateMessage(Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(base))) : null;
  }

  /** Resolves at the room's next fan-out (see `FANOUT_FRAMES_PER_SECOND`). */
  #nextFanout(): Promise<void> {
    return new Promise((resolve) => {
      this.#fanoutWaiters.push(resolve);
      this.#scheduleFanout(this.#queuedBytes > MAX_BATCH_BYTES);
    });
  }

  /**
   * Arms the next fan-out: at the next turn of the event loop when the rate allows one (or when
   * `urgent`), otherwise when it will.
   */
  #scheduleFanout(urgent = false): void {
    if (this.#fanoutTimer) {
      if (!urgent || 'immediate' in this.#fanoutTimer) return;
      this.#cancelFanout();
    }
    const missing = this.#connections.size - this.#refillFanoutTokens();
    const wait = urgent ? 0 : Math.min(MAX_FANOUT_INTERVAL_MS, (missing / FANOUT_FRAMES_PER_SECOND) * 1000);
    // Timers have a resolution of 1 ms: a shorter wait is the next turn.
    this.#fanoutTimer = wait >= 1 ? { timeout: setTimeout(this.#fanout, wait) } : { immediate: setImmediate(this.#fanout) };
  }

  /** Adds the frames the rate has allowed since the last call (up to a burst, or one fan-out); returns the balance. */
  #refillFanoutTokens(): number {
    const now = performance.now();
    const capacity = Math.max(FANOUT_BURST_FRAMES, this.#connections.size);
    this.#fanoutTokens = Math.min(capacity, this.#fanoutTokens + ((now - this.#fanoutTokensAt) / 1000) * FANOUT_FRAMES_PER_SECOND);
    this.#fanoutTokensAt = now;
    return this.#fanoutTokens;
  }

  #cancelFanout(): void {
    if (this.#fanoutTimer && 'immediate' in this.#fanoutTimer) clearImmediate(this.#fanoutTimer.immediate);
    else if (this.#fanoutTimer) clearTimeout(this.#fanoutTimer.timeout);
    this.#fanoutTimer = null;
  }

  #fanout = (): void => {
    this.#fanoutTimer = null;
    // One frame per connection. A wait cut short (`MAX_FANOUT_INTERVAL_MS`, a full batch) leaves a
    // debt, at most one fan-out deep, so that a burst does not hold back the fan-outs long after it.
    const balance = this.#refillFanoutTokens() - this.#connections.size;
    this.#fanoutTokens = Math.max(balance, -Math.max(FANOUT_BURST_FRAMES, this.#connections.size));
    this.#relayAwareness();
    for (const resolve of this.#fanoutWaiters.splice(0)) resolve();
  };

  /** Resolves when every update applied so far is in the store. */
  whenPersisted(): Promise<void> {
    return this.#flushing ?? Promise.resolve();
  }

  /** Records that the stored update `seq` is in the document (or, with `through`, all up to it). */
  #markApplied(seq: number, through = false): void {
    if (through) {
      if (seq > this.#watermark) this.#watermark = seq;
    } else if (seq > this.#watermark) this.#appliedAbove.add(seq);
    while (this.#appliedAbove.delete(this.#watermark + 1)) this.#watermark += 1;
    for (const applied of this.#appliedAbove) if (applied <= this.#watermark) this.#appliedAbove.delete(applied);
  }

  #isOpen(): boolean {
    return this.#state === 'ready' || this.#state === 'loading';
  }

  /** An update another process stored: applied (and relayed by the update handler), never stored again. */
  #onRemoteUpdate(seq: number, update: Uint8Array): void {
    if (this.#state === 'closing' || this.#state === 'closed') return;
    try {
      Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
    } catch (error) {
      this.#log.error({ err: error, seq }, 'update from another process could not be applied; catching up from the store');
      void this.#resync();
      return;
    }
    this.#storedBytes += update.byteLength;
    this.#markApplied(seq);
  }

  /** After a lost connection to the other processes: reads the store again and applies what was missed. */
  async #resync(): Promise<void> {
    if (!this.#isOpen()) return;
    try {
      const stored = await this.#options.store.load(this.name);
      // The room may have closed while the store was read.
      if (!this.#isOpen()) return;
      Y.transact(this.doc, () => {
        for (const update of stored.updates) Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
      }, REMOTE_ORIGIN);
      this.#markApplied(stored.lastSeq, true);
      this.#log.info({ throughSeq: stored.lastSeq }, 'caught up from the store');
    } catch (error) {
      this.#log.error({ err: error }, 'catching up from the store failed');
    }
  }

  async #compact(): Promise<void> {
    // The snapshot may hold updates still queued; storing them twice is harmless (updates are idempotent).
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    // The same bytes answer fresh clients until the document changes again.
    this.#fullState = { update: snapshot };
    // Recorded with the snapshot: a later load may serve it before migrating only at the current version.
    await this.#options.store.compact(this.name, snapshot, this.#watermark, schemaVersionOf(this.#options.kind, this.doc));
    this.#storedBytes = snapshot.byteLength;
    this.#metrics.compaction();
    this.#log.debug({ throughSeq: this.#lastSeq, bytes: snapshot.byteLength }, 'board compacted');
    this.#pendingUpdates = 0;
  }

  #onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin instanceof Object && this.#isConnection(origin)) {
      for (const id of added) {
        origin.awarenessIds.add(id);
        this.#awarenessOwners.set(id, origin);
      }
      for (const id of removed) {
        origin.awarenessIds.delete(id);
        origin.stamped.delete(id);
      }
    }
    for (const id of removed) this.#awarenessOwners.delete(id);
    // This process's clients (and their departures) are told to the other processes.
    const publish = origin !== REMOTE_ORIGIN && this.#options.fanout !== undefined;
    for (const changed of [added, updated, removed]) {
      for (const id of changed) {
        this.#awarenessChanged.add(id);
        if (publish) this.#awarenessToPublish.add(id);
      }
    }
    if (this.#awarenessChanged.size > 0) this.#scheduleFanout();
  };

  /**
   * Relays the awareness changes since the last fan-out as one message, encoded once: each client's
   * latest state (already stamped with its owner's identity on arrival) and its departure.
   */
  #relayAwareness(): void {
    if (this.#awarenessChanged.size > 0) {
      const message = encodeAwarenessMessage(this.awareness, [...this.#awarenessChanged]);
      this.#awarenessChanged.clear();
      for (const connection of this.#connections.values()) {
        if (!connection.pending) this.#send(connection, message);
      }
    }
    if (this.#awarenessToPublish.size > 0) {
      const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.#awarenessToPublish]);
      this.#awarenessToPublish.clear();
      this.#options.fanout?.publishAwareness(this.name, update);
    }
  }

  #isConnection(value: object): value is RoomConnection {
    return 'awarenessIds' in value && this.#connections.get((value as RoomConnection).socket) === value;
  }

  #send(connection: RoomConnection, message: Uint8Array): void {
    const socket = connection.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.#storedBytes + this.#limits.sendBacklogBytes) {
      // It stopped reading: everything relayed to it would pile up here. It resyncs on reconnect.
      this.#log.warn({ userId: connection.actor.userId, bufferedBytes: socket.bufferedAmount }, 'connection stopped reading; closing it');
      this.#drop(connection, CloseCode.TryAgainLater, 'too far behind');
      return;
    }
    socket.send(message, (error) => {
      if (error) this.#removeConnection(connection);
    });
  }

  #removeConnection(connection: RoomConnection): void {
    if (this.#connections.get(connection.socket) !== connection) return;
    this.#connections.delete(connection.socket);
    for (const id of connection.awarenessIds) if (this.#awarenessOwners.get(id) === connection) this.#awarenessOwners.delete(id);
    if (connection.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null);
    }
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.close();
    if (this.#connections.size === 0 && (this.#state === 'ready' || this.#state === 'loading')) this.#options.onIdle(this);
  }

  /** A storage failure: drop the in-memory state; clients keep their edits and resend them on reconnect. */
  #fail(): void {
    if (this.#state === 'closed' || this.#state === 'closing') return;
    this.#state = 'closing';
    for (const connection of [...this.#connections.values()]) {
      connection.socket.close(INTERNAL_ERROR, 'storage failure');
    }
    this.#connections.clear();
    this.#writeQueue = [];
    this.#release();
    this.#closed = Promise.resolve();
  }

  /**
   * Closes every socket with `code`, waits for pending writes, folds the log into a snapshot and
   * releases the document. With `deleteDocument`, the stored board is removed instead.
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
        if (options.deleteDocument) await this.#options.store.delete(this.name);
        else if (wasReady && this.#pendingUpdates > 0) await this.#compact();
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
    if (this.#deferredTimer) clearTimeout(this.#deferredTimer);
    this.#deferredTimer = null;
    this.#deferred.clear();
    this.#replies.clear();
    // A flush waiting for the next fan-out ends now (the room is closed: nothing is sent).
    this.#cancelFanout();
    for (const resolve of this.#fanoutWaiters.splice(0)) resolve();
    void this.#unsubscribe?.().catch(() => {});
    this.#unsubscribe = null;
    this.awareness.off('update', this.#onAwarenessUpdate);
    this.doc.off('update', this.#onDocumentUpdate);
    this.doc.off('afterTransaction', this.#afterTransaction);
    this.awareness.destroy();
    this.doc.destroy();
    this.#options.onClosed(this);
  }
}

/**
 * Whether applying `update` would change `doc`: it holds structs the document lacks, or deletes
 * something the document has not deleted. A client's sync step 2 always repeats its whole delete set,
 * so a read-only client that changed nothing is told apart from one that tried to. The cost follows
 * the update, never the document: each deleted range is looked up in the document's structs (which
 * Yjs merges once deleted), so a viewer repeating small messages does not make the server scan the
 * whole board each time.
 */
export function wouldChange(doc: Y.Doc, update: Uint8Array): boolean {
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update))) {
    if (clock > Y.getState(doc.store, client)) return true;
  }
  const { ds } = Y.decodeUpdate(update);
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client);
    const state = Y.getState(doc.store, client);
    for (const range of ranges) {
      if (range.len <= 0) continue;
      const end = range.clock + range.len;
      // Deleting what the document has not received yet would be kept as a pending deletion: a change.
      if (!structs || end > state) return true;
      for (let index = Y.findIndexSS(structs, range.clock); index < structs.length && structs[index].id.clock < end; index++) {
        if (!structs[index].deleted) return true;
      }
    }
  }
  return false;
}

/** One update holding every queued update (the update itself when there is one). */
function mergeUpdates(entries: readonly { update: Uint8Array }[]): Uint8Array {
  return entries.length === 1 ? entries[0].update : Y.mergeUpdates(entries.map((entry) => entry.update));
}

/** A sync step 2 message carrying `update`, built with one allocation (it may be megabytes). */
function encodeSyncStep2Message(update: Uint8Array): Uint8Array {
  const header = encoding.createEncoder();
  encoding.writeVarUint(header, MessageType.Sync);
  encoding.writeVarUint(header, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint(header, update.byteLength);
  const prefix = encoding.toUint8Array(header);
  const message = new Uint8Array(prefix.byteLength + update.byteLength);
  message.set(prefix);
  message.set(update, prefix.byteLength);
  return message;
}

function encodeUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

function rethrow(error: Error): never {
  throw error;
}

function encodeAwarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}
