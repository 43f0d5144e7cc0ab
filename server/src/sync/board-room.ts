import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CloseCode, MIGRATION_ORIGIN, colorForUser, migrateWorkspace, type Department, type WorkflowRefusal } from '@passerelle/shared';
import type { DocumentStore } from '../store/document-store.js';
import type { DocumentFanout } from './fanout.js';
import { stripInternalFields } from './shareable-guard.js';
import { enforceWorkflow } from './workflow-guard.js';

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

/** How long a read-only connection's refused writes stay quiet before it is told again. */
const REFUSAL_NOTICE_INTERVAL_MS = 5_000;

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
  /** Token bucket of the message rate limit: tokens left, and when it was last refilled. */
  tokens: number;
  refilledAt: number;
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
  /** Other processes serving the same documents (Redis mode); absent with one process. */
  fanout?: DocumentFanout;
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
 *   board never looks empty while its content loads.
 * - An update is appended to the store before it is relayed to anyone, and a sync step 2 (which may
 *   contain such updates) waits for the writes in flight: whatever a client has seen survives a crash.
 */
export class BoardRoom {
  readonly name: string;
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly #connections = new Map<WebSocket, RoomConnection>();
  /** Which connection speaks for each awareness client id (a client may not speak for another's). */
  readonly #awarenessOwners = new Map<number, RoomConnection>();
  readonly #options: BoardRoomOptions;
  readonly #log: Logger;
  readonly ready: Promise<void>;
  #state: 'loading' | 'ready' | 'closing' | 'closed' = 'loading';
  #lastSeq = 0;
  #pendingUpdates = 0;
  /** Bytes the document takes in the store (snapshot plus logged updates), for the size limit. */
  #storedBytes = 0;
  /**
   * Updates applied in memory and not yet appended, with the connection they came from. `cleanFrom`
   * marks an update that carried internal content the guard removed: guests get the document's
   * clean state since that point instead of the update itself.
   */
  #writeQueue: { update: Uint8Array; origin: unknown; cleanFrom?: Map<number, number> }[] = [];
  /** Transactions whose internal content was removed, with the state before them. */
  readonly #stripped = new WeakMap<Y.Transaction, Map<number, number>>();
  #flushing: Promise<void> | null = null;
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
    this.#log = options.logger.child({ board: options.name });
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
      const stored = await this.#options.store.load(this.name);
      this.#lastSeq = stored.lastSeq;
      this.#pendingUpdates = stored.pendingUpdates;
      this.#storedBytes = stored.updates.reduce((total, update) => total + update.byteLength, 0);
      this.#markApplied(stored.lastSeq, true);
      Y.transact(this.doc, () => {
        for (const update of stored.updates) Y.applyUpdate(this.doc, update);
      }, STORAGE_ORIGIN);
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
    this.#log.debug({ ms: Math.round(performance.now() - started), lastSeq: this.#lastSeq }, 'board loaded');
    for (const connection of this.#connections.values()) this.#greet(connection);
  }

  /** Adds an authenticated socket to the room. */
  addConnection(socket: WebSocket, actor: ConnectionIdentity): void {
    const burst = this.#options.maxMessagesPerSecond * 2;
    const connection: RoomConnection = { socket, actor, lastRefusalNotice: 0, awarenessIds: new Set(), pending: [], tokens: burst, refilledAt: performance.now() };
    this.#connections.set(socket, connection);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        this.#reject(connection, 'text frame');
        return;
      }
      if (!this.#takeToken(connection)) {
        this.#log.warn({ userId: actor.userId }, 'connection sent messages too fast; closing it');
        this.#drop(connection, CloseCode.TooManyMessages, 'too many messages');
        return;
      }
      const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (connection.pending) connection.pending.push(frame);
      else this.#handleFrame(connection, frame);
    });
    socket.on('close', () => this.#removeConnection(connection));
    if (this.#state === 'ready') this.#greet(connection);
  }

  /** First words to a client, once the board is loaded: our state vector and who is here. */
  #greet(connection: RoomConnection): void {
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
          if (connection.actor.readOnly && this.#refuseWrite(connection, frame)) break;
          if (this.#refuseOversized(connection, frame)) break;
          encoding.writeVarUint(encoder, MessageType.Sync);
          // Throws on an unknown sync message type or an undecodable update (y-protocols would
          // only log the latter; rethrowing turns it into a close of that socket).
          syncProtocol.readSyncMessage(decoder, encoder, this.doc, connection, rethrow);
          if (encoding.length(encoder) > 1) {
            // A step 2 reply may carry updates still being written: send it once they are stored.
            const reply = encoding.toUint8Array(encoder);
            void this.whenPersisted().then(() => this.#send(connection, reply));
          }
          break;
        }
        case MessageType.Awareness:
          awarenessProtocol.applyAwarenessUpdate(this.awareness, this.#stampAwareness(connection, decoding.readVarUint8Array(decoder)), connection);
          break;
        case MessageType.QueryAwareness:
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
  #stampAwareness(connection: RoomConnection, update: Uint8Array): Uint8Array {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: { clientId: number; clock: number; state: string }[] = [];
    for (let index = 0; index < count; index++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      const owner = this.#awarenessOwner(clientId);
      if (owner && owner !== connection) continue;
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
      entries.push({ clientId, clock, state: JSON.stringify(state) });
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
    connection.socket.close(code, reason);
    this.#removeConnection(connection);
  }

  /** Token bucket: refills at the allowed rate up to a burst of twice it; false when empty. */
  #takeToken(connection: RoomConnection): boolean {
    const rate = this.#options.maxMessagesPerSecond;
    const now = performance.now();
    connection.tokens = Math.min(rate * 2, connection.tokens + ((now - connection.refilledAt) / 1000) * rate);
    connection.refilledAt = now;
    if (connection.tokens < 1) return false;
    connection.tokens -= 1;
    return true;
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
      if (this.#options.kind === 'board' && stripInternalFields(this.doc, transaction) > 0) {
        this.#log.warn({ userId: origin.actor.userId }, 'internal fields written to the shareable board removed');
        this.#stripped.set(transaction, transaction.beforeState);
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
    if (origin === STORAGE_ORIGIN) return;
    if (origin === REMOTE_ORIGIN) {
      // Already stored by the process that published it.
      this.#broadcastUpdate(update, origin);
      return;
    }
    this.#writeQueue.push({ update, origin, cleanFrom: this.#stripped.get(transaction) });
    this.#flushing ??= this.#flush();
  };

  /**
   * Group commit: updates that arrive while a write is in flight are merged into the next append,
   * so a burst costs a few transactions rather than one per keystroke. Each update is relayed only
   * after the append holding it has resolved.
   */
  async #flush(): Promise<void> {
    // Let the rest of the current turn queue its updates (a client's change and the server's
    // correction of it arrive together), so they are stored in one append and relayed together.
    await Promise.resolve();
    try {
      while (this.#writeQueue.length > 0) {
        const batch = this.#writeQueue.splice(0);
        const merged = batch.length === 1 ? batch[0].update : Y.mergeUpdates(batch.map((entry) => entry.update));
        this.#lastSeq = await this.#options.store.append(this.name, merged);
        this.#pendingUpdates += 1;
        this.#storedBytes += merged.byteLength;
        this.#markApplied(this.#lastSeq);
        this.#options.fanout?.publishUpdate(this.name, this.#lastSeq, merged);
        for (const { update, origin, cleanFrom } of batch) this.#broadcastUpdate(update, origin, cleanFrom);
        if (this.#pendingUpdates >= this.#options.compactThreshold) await this.#compact();
      }
    } catch (error) {
      this.#log.error({ err: error }, 'board update could not be stored; closing the room');
      this.#fail();
    } finally {
      this.#flushing = null;
    }
  }

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
    await this.#options.store.compact(this.name, snapshot, this.#watermark);
    this.#storedBytes = snapshot.byteLength;
    this.#log.debug({ throughSeq: this.#lastSeq, bytes: snapshot.byteLength }, 'board compacted');
    this.#pendingUpdates = 0;
  }

  #broadcastUpdate(update: Uint8Array, origin: unknown, cleanFrom?: Map<number, number>): void {
    const message = encodeUpdateMessage(update);
    // The document's own encoding holds removed content only as tombstones, never its value.
    const clean = cleanFrom ? encodeUpdateMessage(Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(cleanFrom))) : message;
    for (const connection of this.#connections.values()) {
      // The sender already has its own update.
      if (connection !== origin && !connection.pending) this.#send(connection, connection.actor.kind === 'guest' ? clean : message);
    }
  }

  #onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...added, ...updated, ...removed];
    if (origin instanceof Object && this.#isConnection(origin)) {
      for (const id of added) {
        origin.awarenessIds.add(id);
        this.#awarenessOwners.set(id, origin);
      }
      for (const id of removed) origin.awarenessIds.delete(id);
    }
    for (const id of removed) this.#awarenessOwners.delete(id);
    const message = encodeAwarenessMessage(this.awareness, changed);
    for (const connection of this.#connections.values()) {
      if (!connection.pending) this.#send(connection, message);
    }
    // This process's clients (and their departures) are told to the other processes.
    if (origin !== REMOTE_ORIGIN && this.#options.fanout && changed.length > 0) {
      this.#options.fanout.publishAwareness(this.name, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    }
  };

  #isConnection(value: object): value is RoomConnection {
    return 'awarenessIds' in value && this.#connections.get((value as RoomConnection).socket) === value;
  }

  #send(connection: RoomConnection, message: Uint8Array): void {
    const socket = connection.socket;
    if (socket.readyState !== socket.OPEN) return;
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
 * so a read-only client that changed nothing is told apart from one that tried to.
 */
export function wouldChange(doc: Y.Doc, update: Uint8Array): boolean {
  const known = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update))) {
    if (clock > (known.get(client) ?? 0)) return true;
  }
  const { ds } = Y.decodeUpdate(update);
  if (ds.clients.size === 0) return false;
  const deleted = Y.createDeleteSetFromStructStore(doc.store);
  for (const [client, ranges] of ds.clients) {
    const existing = deleted.clients.get(client) ?? [];
    for (const range of ranges) {
      const covered = existing.some((item) => item.clock <= range.clock && item.clock + item.len >= range.clock + range.len);
      if (!covered) return true;
    }
  }
  return false;
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
