import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CloseCode, MIGRATION_ORIGIN, migrateBoard, migrateWorkspace, type WorkflowRefusal } from '@passerelle/shared';
import type { DocumentStore } from '../store/document-store.js';
import { enforceWorkflow, type Actor } from './workflow-guard.js';

/** y-websocket message types (the first varuint of every frame). */
const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const;

/** Transaction origin of updates read back from storage: they are never written again. */
export const STORAGE_ORIGIN = Symbol('storage');

/** Close code for a server-side failure (RFC 6455 "internal error"); clients reconnect. */
const INTERNAL_ERROR = 1011;

/** A client of a room: its socket and the awareness client ids it speaks for. */
interface RoomConnection {
  socket: WebSocket;
  /** The signed-in person behind the socket. */
  actor: Actor;
  awarenessIds: Set<number>;
  /** Frames received while the board was still loading, handled in order once it is ready. */
  pending: Uint8Array[] | null;
}

export interface BoardRoomOptions {
  name: string;
  /** Which schema the document follows: a board, or the workspace's reference data. */
  kind: 'board' | 'workspace';
  store: DocumentStore;
  logger: Logger;
  /** Logged updates after which the document is folded into a snapshot. */
  compactThreshold: number;
  /** Called once the room has released everything, so that its owner forgets it. */
  onClosed: (room: BoardRoom) => void;
  /** Called when the last client has left; the owner decides when to unload. */
  onIdle: (room: BoardRoom) => void;
  /** Tells a person that the server undid changes of theirs that broke a workflow rule. */
  onRefusals?: (userId: string, refusals: WorkflowRefusal[]) => void;
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
  readonly #options: BoardRoomOptions;
  readonly #log: Logger;
  readonly ready: Promise<void>;
  #state: 'loading' | 'ready' | 'closing' | 'closed' = 'loading';
  #lastSeq = 0;
  #pendingUpdates = 0;
  /** Updates applied in memory and not yet appended, with the connection they came from. */
  #writeQueue: { update: Uint8Array; origin: unknown }[] = [];
  #flushing: Promise<void> | null = null;
  #closed: Promise<void> | null = null;

  constructor(options: BoardRoomOptions) {
    this.name = options.name;
    this.#options = options;
    this.#log = options.logger.child({ board: options.name });
    // The server speaks for no one in the awareness.
    this.awareness.setLocalState(null);
    this.doc.on('update', this.#onDocumentUpdate);
    if (options.kind === 'board') this.doc.on('afterTransaction', this.#guardTransaction);
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
      const stored = await this.#options.store.load(this.name);
      this.#lastSeq = stored.lastSeq;
      this.#pendingUpdates = stored.pendingUpdates;
      Y.transact(this.doc, () => {
        for (const update of stored.updates) Y.applyUpdate(this.doc, update);
      }, STORAGE_ORIGIN);
      // Runs through the update handler, so the migration is stored like any edit.
      if (this.#options.kind === 'workspace') migrateWorkspace(this.doc, MIGRATION_ORIGIN);
      else migrateBoard(this.doc);
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
  addConnection(socket: WebSocket, actor: Actor): void {
    const connection: RoomConnection = { socket, actor, awarenessIds: new Set(), pending: [] };
    this.#connections.set(socket, connection);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        this.#reject(connection, 'text frame');
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
          awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), connection);
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

  /** A protocol violation closes that socket only; everyone else goes on. */
  #reject(connection: RoomConnection, reason: string): void {
    this.#log.warn({ reason }, 'malformed sync message; closing that connection');
    connection.socket.close(CloseCode.MalformedMessage, 'malformed message');
    this.#removeConnection(connection);
  }

  /** Checks each client's change against the workflow rules; corrections are made in a follow-up transaction. */
  #guardTransaction = (transaction: Y.Transaction): void => {
    const origin = transaction.origin;
    if (!(origin instanceof Object) || !this.#isConnection(origin)) return;
    const refusals = enforceWorkflow(this.doc, transaction, origin.actor, this.name);
    if (refusals.length > 0) {
      this.#log.info({ userId: origin.actor.userId, refusals }, 'workflow change undone');
      this.#options.onRefusals?.(origin.actor.userId, refusals);
    }
  };

  #onDocumentUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === STORAGE_ORIGIN) return;
    this.#writeQueue.push({ update, origin });
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
        for (const { update, origin } of batch) this.#broadcastUpdate(update, origin);
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

  async #compact(): Promise<void> {
    // The snapshot may hold updates still queued; storing them twice is harmless (updates are idempotent).
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    await this.#options.store.compact(this.name, snapshot, this.#lastSeq);
    this.#log.debug({ throughSeq: this.#lastSeq, bytes: snapshot.byteLength }, 'board compacted');
    this.#pendingUpdates = 0;
  }

  #broadcastUpdate(update: Uint8Array, origin: unknown): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Sync);
    syncProtocol.writeUpdate(encoder, update);
    const message = encoding.toUint8Array(encoder);
    for (const connection of this.#connections.values()) {
      // The sender already has its own update.
      if (connection !== origin && !connection.pending) this.#send(connection, message);
    }
  }

  #onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...added, ...updated, ...removed];
    if (origin instanceof Object && this.#isConnection(origin)) {
      for (const id of added) origin.awarenessIds.add(id);
      for (const id of removed) origin.awarenessIds.delete(id);
    }
    const message = encodeAwarenessMessage(this.awareness, changed);
    for (const connection of this.#connections.values()) {
      if (!connection.pending) this.#send(connection, message);
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
    this.awareness.off('update', this.#onAwarenessUpdate);
    this.doc.off('update', this.#onDocumentUpdate);
    this.doc.off('afterTransaction', this.#guardTransaction);
    this.awareness.destroy();
    this.doc.destroy();
    this.#options.onClosed(this);
  }
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
