import type { Logger } from 'pino';
import type * as Y from 'yjs';
import { CloseCode } from '@passerelle/shared';
import { boardDocumentNames, countByKind, documentTarget, fallbackTarget, type DocumentEvents, type HookContext } from '../documents/index.js';
import type { SyncDocumentKind, SyncMetrics } from '../observability/metrics.js';
import type { DocumentStore } from '../store/document-store.js';
import type { DocumentFanout } from './fanout.js';
import { DocumentRoom } from './room.js';
import type { SyncWorkLimits } from './sync-budget.js';

/**
 * How long a deleted board's documents get no room: past the deletion of its row (which follows
 * the documents' at once), after which admission refuses the board anyway. Board ids are never
 * reused, except by an archive import, which only goes into an empty workspace.
 */
const DELETED_BOARD_MEMORY_MS = 60_000;

/** A document of a board this process deleted a moment ago: no room may open for it. */
export class DeletedBoardError extends Error {
  constructor(readonly boardId: string) {
    super(`board ${boardId} was deleted`);
    this.name = 'DeletedBoardError';
  }
}

export interface RoomRegistryOptions {
  documents: DocumentStore;
  fanout?: DocumentFanout;
  metrics: SyncMetrics;
  logger: Logger;
  /** Who hears what the kinds' rules decide. */
  events: DocumentEvents;
  compactThreshold: number;
  /** How long a room nobody is on stays in memory. */
  unloadDelayMs: number;
  maxDocumentBytes?: number;
  maxMessagesPerSecond?: number;
  syncLimits?: Partial<SyncWorkLimits>;
}

/**
 * The rooms of one process, one per document in memory: opens a document's room (with its kind's
 * hooks) when someone joins it or the server edits it, unloads it a while after the last one left,
 * and keeps deleted boards' documents from coming back.
 */
export class RoomRegistry {
  readonly #options: RoomRegistryOptions;
  readonly #rooms = new Map<string, DocumentRoom>();
  readonly #unloadTimers = new Map<DocumentRoom, NodeJS.Timeout>();
  /** Boards deleted a moment ago, with when their documents may have rooms again (see `DELETED_BOARD_MEMORY_MS`). */
  readonly #deletedBoards = new Map<string, number>();
  /** What the kinds' hooks may use. */
  readonly #hookContext: HookContext;

  constructor(options: RoomRegistryOptions) {
    this.#options = options;
    this.#hookContext = { events: options.events, withDocument: (name, use) => this.withDocument(name, use) };
  }

  /** The names of the documents with a room in memory. */
  get names(): string[] {
    return [...this.#rooms.keys()];
  }

  /** The live document of a loaded room; undefined while it loads, unloads or is not open. */
  documentOf(name: string): Y.Doc | undefined {
    const room = this.#rooms.get(name);
    return room?.state === 'ready' ? room.doc : undefined;
  }

  /** The sync work a loaded room has done answering requests; undefined when not loaded. */
  syncWorkOf(name: string): { encodes: number; encodeMs: number } | undefined {
    return this.#rooms.get(name)?.syncWork;
  }

  /** Rooms in memory by kind of document. */
  census(): Record<SyncDocumentKind, number> {
    return countByKind([...this.#rooms.keys()].map((name) => (documentTarget(name) ?? fallbackTarget(name)).kind.name));
  }

  /**
   * Loads (or finds) the room of a document: `workspace`, `<boardId>` or `<boardId>/internal`.
   * Rejects with `DeletedBoardError` for a document of a board deleted a moment ago.
   */
  async open(name: string): Promise<DocumentRoom> {
    for (;;) {
      const existing = this.#rooms.get(name);
      if (!existing) break;
      if (existing.state === 'loading' || existing.state === 'ready') {
        this.#cancelUnload(existing);
        return existing;
      }
      // Being unloaded: wait until its last writes are stored, then load it afresh.
      await existing.closed;
    }
    const target = documentTarget(name) ?? fallbackTarget(name);
    // A room opened now would write the deleted board's documents back into the store.
    if (target.boardId !== null && this.wasDeleted(target.boardId)) throw new DeletedBoardError(target.boardId);
    const options = this.#options;
    const room = new DocumentRoom({
      name,
      hooks: target.kind.hooks(target, this.#hookContext),
      store: options.documents,
      fanout: options.fanout,
      metrics: options.metrics,
      logger: options.logger,
      compactThreshold: options.compactThreshold,
      maxDocumentBytes: options.maxDocumentBytes ?? 64 * 1024 * 1024,
      maxMessagesPerSecond: options.maxMessagesPerSecond ?? 200,
      syncLimits: options.syncLimits,
      onClosed: (closed) => {
        this.#cancelUnload(closed);
        if (this.#rooms.get(closed.name) === closed) this.#rooms.delete(closed.name);
      },
      onIdle: (idle) => this.#scheduleUnload(idle),
      onContent: (doc) => options.events.onDocumentContent?.(name, doc),
    });
    this.#rooms.set(name, room);
    return room;
  }

  /**
   * Loads a document (or finds its room), runs `use` on it once loaded, waits until what `use`
   * changed is stored, and lets the document unload when nobody is on it.
   */
  async withDocument<T>(name: string, use: (doc: Y.Doc) => T): Promise<T> {
    const room = await this.open(name);
    await room.ready;
    const result = use(room.doc);
    await room.whenPersisted();
    if (room.connectionCount === 0) this.#scheduleUnload(room);
    return result;
  }

  /**
   * Closes the rooms (4404) of a deleted board's documents (its own and its cards') and removes the
   * documents from the store. For a while none gets a room again, so that a client reconnecting before the board's row
   * is gone does not write them back.
   */
  async deleteBoard(boardId: string): Promise<void> {
    this.#deletedBoards.set(boardId, Date.now() + DELETED_BOARD_MEMORY_MS);
    // The board's own documents, and those of its cards (proposals), in memory or stored.
    const ofBoard = (name: string) => documentTarget(name)?.boardId === boardId;
    const names = new Set([...boardDocumentNames(boardId), ...[...this.#rooms.keys()].filter(ofBoard), ...(await this.#options.documents.list()).filter(ofBoard)]);
    await Promise.all(
      [...names].map(async (name) => {
        // A room already unloading stores its last writes before it closes: the deletion comes after them.
        await this.#rooms.get(name)?.close(CloseCode.BoardNotFound, 'board deleted', { deleteDocument: true });
        await this.#options.documents.delete(name);
      }),
    );
  }

  /** Whether a board was deleted a moment ago; forgets the boards deleted long enough ago. */
  wasDeleted(boardId: string): boolean {
    const now = Date.now();
    for (const [deleted, until] of this.#deletedBoards) if (until <= now) this.#deletedBoards.delete(deleted);
    return this.#deletedBoards.has(boardId);
  }

  /** Closes every room with `code`, each once its last writes are stored. */
  async closeAll(code: number, reason: string): Promise<void> {
    await Promise.all([...this.#rooms.values()].map((room) => room.close(code, reason)));
  }

  #scheduleUnload(room: DocumentRoom): void {
    this.#cancelUnload(room);
    const timer = setTimeout(() => {
      this.#unloadTimers.delete(room);
      if (room.connectionCount === 0) void room.close(1000, 'unloaded');
    }, this.#options.unloadDelayMs);
    timer.unref();
    this.#unloadTimers.set(room, timer);
  }

  #cancelUnload(room: DocumentRoom): void {
    const timer = this.#unloadTimers.get(room);
    if (timer) clearTimeout(timer);
    this.#unloadTimers.delete(room);
  }
}
