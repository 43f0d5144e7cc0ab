import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type * as Y from 'yjs';
import { CloseCode, SYNC_PATH, ServerEdit, can, type BoardRole, type WorkflowRefusal } from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import { departmentsOf, type AuthService, type Principal } from '../auth/auth-service.js';
import { armExpiry } from '../auth/expiry.js';
import { DOCUMENT_KINDS, boardDocumentNames, documentTarget, fallbackTarget, type AccessContext, type BoardChange, type DocumentTarget, type HookContext } from '../documents/index.js';
import { NO_SYNC_METRICS, type SyncDocumentKind, type SyncMetrics } from '../observability/metrics.js';
import type { BoardDirectory } from '../store/account-store.js';
import type { DocumentStore } from '../store/document-store.js';
import type { DocumentFanout } from './fanout.js';
import { sweepOrphanDocuments } from './orphan-documents.js';
import { DocumentRoom } from './room.js';
import type { SyncWorkLimits } from './sync-budget.js';

export { ServerEdit };
export type { BoardChange };

/** An admitted sync socket: who is behind it and on what. */
interface LiveConnection {
  principal: Principal;
  target: DocumentTarget;
  role: BoardRole;
  /** Stops the timer that ends the connection when the session or invite expires. */
  cancelExpiry: () => void;
}

/**
 * How long a deleted board's documents get no room: past the deletion of its row (which follows
 * the documents' at once), after which admission refuses the board anyway. Board ids are never
 * reused, except by an archive import, which only goes into an empty workspace.
 */
const DELETED_BOARD_MEMORY_MS = 60_000;

/** A document of a board this process deleted a moment ago: no room may open for it. */
class DeletedBoardError extends Error {
  constructor(readonly boardId: string) {
    super(`board ${boardId} was deleted`);
    this.name = 'DeletedBoardError';
  }
}

export interface SyncServerOptions {
  documents: DocumentStore;
  /** Which boards exist (a document of a board that does not gets no room). */
  directory: Pick<BoardDirectory, 'getBoard' | 'listBoards'>;
  auth: AuthService;
  logger: Logger;
  maxFrameBytes: number;
  /** Largest stored size of one document; see `Config.maxDocumentBytes`. */
  maxDocumentBytes?: number;
  /** Sync messages per second one connection may send; see `Config.maxMessagesPerSecond`. */
  maxMessagesPerSecond?: number;
  /** Bounds on the work sync requests may cost (default `DEFAULT_SYNC_WORK_LIMITS`; tests use tighter ones). */
  syncLimits?: Partial<SyncWorkLimits>;
  compactThreshold: number;
  unloadDelayMs: number;
  /** Interval of WebSocket pings; a socket that misses one is dropped (default 30 s). */
  pingIntervalMs?: number;
  /** Decides each person's role on each board. */
  access: BoardAccess;
  /** Other processes serving the same documents (Redis mode); absent with one process. */
  fanout?: DocumentFanout;
  /** Where updates, fan-outs, appends, compactions and refused connections are counted (`GET /metrics`). */
  metrics?: SyncMetrics;
  /** Tells a person the server undid workflow changes of theirs. */
  onRefusals?: (userId: string, refusals: WorkflowRefusal[]) => void;
  /** Tells a read-only person that a document update of theirs was refused. */
  onWriteRefused?: (userId: string, boardId: string, document: 'board' | 'internal' | 'workspace') => void;
  /** Called after each change someone made to a board (history, notifications); must not throw. */
  onBoardChange?: (change: BoardChange) => void;
  /**
   * How long the documents of a missing board must stay so before the sweep at start removes them
   * (default 60 s): another process may be writing a new board's documents just before its row.
   */
  orphanSweepGraceMs?: number;
}

/**
 * The y-websocket endpoint: `/sync/<boardId>`. Owns the rooms (one per open board), authenticates
 * each upgrade and hands authenticated sockets to their room. Speaks the stock y-websocket protocol,
 * so any `WebsocketProvider` syncs with it.
 */
export class SyncServer {
  readonly #options: SyncServerOptions;
  readonly #metrics: SyncMetrics;
  readonly #wss: WebSocketServer;
  readonly #rooms = new Map<string, DocumentRoom>();
  readonly #unloadTimers = new Map<DocumentRoom, NodeJS.Timeout>();
  readonly #alive = new WeakSet<WebSocket>();
  readonly #live = new Map<WebSocket, LiveConnection>();
  readonly #pingTimer: NodeJS.Timeout;
  /** Boards deleted a moment ago, with when their documents may have rooms again (see `DELETED_BOARD_MEMORY_MS`). */
  readonly #deletedBoards = new Map<string, number>();
  /** Stops a sweep of orphan documents under way when the server closes. */
  readonly #stopping = new AbortController();
  #shuttingDown = false;
  /** What the kinds' access rules consult. */
  readonly #accessContext: AccessContext;
  /** What the kinds' hooks may use. */
  readonly #hookContext: HookContext;

  constructor(options: SyncServerOptions) {
    this.#options = options;
    this.#accessContext = { directory: options.directory, access: options.access, wasDeleted: (boardId) => this.#wasDeleted(boardId) };
    this.#hookContext = {
      events: { onRefusals: options.onRefusals, onWriteRefused: options.onWriteRefused, onBoardChange: options.onBoardChange },
      withDocument: (name, use) => this.#withDocument(name, use),
    };
    this.#metrics = options.metrics ?? NO_SYNC_METRICS;
    // ws closes a socket whose frame exceeds maxPayload with 1009 (message too big).
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes, perMessageDeflate: false });
    this.#pingTimer = setInterval(() => this.#pingAll(), options.pingIntervalMs ?? 30_000);
    this.#pingTimer.unref();
    // Whatever a crash or a failed deletion left behind goes once the grace period has passed.
    this.sweepOrphanDocuments().catch((error: unknown) => {
      if (!this.#shuttingDown) options.logger.warn({ err: error }, 'the sweep of documents without a board failed');
    });
  }

  /** True when an upgrade request is for the sync endpoint. */
  handles(request: IncomingMessage): boolean {
    const path = (request.url ?? '').split('?')[0];
    return path.startsWith(`${SYNC_PATH}/`);
  }

  /** The sync work a loaded document's room has done answering requests (for diagnostics and tests); undefined when not loaded. */
  syncWorkOf(name: string): { encodes: number; encodeMs: number } | undefined {
    return this.#rooms.get(name)?.syncWork;
  }

  /** Rooms in memory and admitted connections, by kind of document (read by `GET /metrics`). */
  census(): { rooms: Record<SyncDocumentKind, number>; connections: Record<SyncDocumentKind, number> } {
    const rooms = Object.fromEntries(DOCUMENT_KINDS.map((kind) => [kind.name, 0])) as Record<SyncDocumentKind, number>;
    const connections = { ...rooms };
    for (const name of this.#rooms.keys()) rooms[(documentTarget(name) ?? fallbackTarget(name)).kind.name] += 1;
    for (const live of this.#live.values()) connections[live.target.kind.name] += 1;
    return { rooms, connections };
  }

  /** Board ids with a room in memory (for tests and diagnostics). */
  get openBoards(): string[] {
    return [...this.#rooms.keys()];
  }

  /**
   * The live document of a board whose room is loaded, for readers such as search; undefined while
   * it loads, unloads or is not open (the store then holds everything it contains).
   */
  documentOf(boardId: string): Y.Doc | undefined {
    const room = this.#rooms.get(boardId);
    return room?.state === 'ready' ? room.doc : undefined;
  }

  /**
   * Completes the WebSocket handshake, then authenticates. A refused client gets a close code
   * (4401, 4404, ...) and nothing else: it never joins a room, so no board content reaches it.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      this.#alive.add(ws);
      ws.on('pong', () => this.#alive.add(ws));
      ws.on('error', (error) => {
        // ws closes a socket whose frame is over `maxFrameBytes` itself, with 1009.
        if ((error as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.#metrics.connectionRefused(CloseCode.MessageTooLarge);
        this.#options.logger.debug({ err: error }, 'sync socket error');
      });
      // Frames that arrive while we authenticate are buffered by the room once it has the socket.
      ws.pause();
      this.#admit(request, ws)
        .catch((error: unknown) => {
          this.#options.logger.error({ err: error }, 'sync connection failed');
          this.#refuse(ws, 1011, 'internal error');
        })
        // Resumed in every case: a refused socket must still read the client's closing handshake.
        .finally(() => ws.resume());
    });
  }

  async #admit(request: IncomingMessage, ws: WebSocket): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    let name: string;
    try {
      name = decodeURIComponent(path.slice(SYNC_PATH.length + 1));
    } catch {
      // A malformed percent-escape is the client's mistake (or a probe), not a server failure.
      this.#options.logger.debug({ path }, 'sync path has a malformed percent-escape');
      this.#refuse(ws, CloseCode.MalformedMessage, 'malformed path');
      return;
    }
    const principal = await this.#options.auth.authenticate(request, { allowQueryToken: true });
    if (!principal) {
      this.#refuse(ws, CloseCode.Unauthorized, 'unauthorized');
      return;
    }
    if (this.#shuttingDown) {
      this.#refuse(ws, CloseCode.ServerRestarting, 'server restarting');
      return;
    }
    const target = documentTarget(name);
    if (!target) {
      this.#refuse(ws, CloseCode.BoardNotFound, 'board not found');
      return;
    }
    const role = await this.#roleFor(principal, target);
    if (role === 'missing') {
      this.#refuse(ws, CloseCode.BoardNotFound, 'board not found');
      return;
    }
    if (role === null) {
      this.#refuse(ws, CloseCode.Forbidden, 'forbidden');
      return;
    }
    if (ws.readyState !== ws.OPEN) return;
    const live: LiveConnection = { principal, target, role, cancelExpiry: () => {} };
    this.#live.set(ws, live);
    ws.once('close', () => {
      live.cancelExpiry();
      this.#live.delete(ws);
    });
    this.#armExpiry(ws, live);
    let room: DocumentRoom;
    try {
      room = await this.#roomFor(name);
    } catch (error) {
      // Admitted while its board was being deleted.
      if (!(error instanceof DeletedBoardError)) throw error;
      this.#refuse(ws, CloseCode.BoardNotFound, 'board not found');
      return;
    }
    room.addConnection(ws, {
      userId: principal.id,
      name: principal.name,
      kind: principal.kind,
      departments: departmentsOf(principal),
      readOnly: !can.edit(role),
    });
  }

  /**
   * A principal's role on a document, null when refused, 'missing' when the board does not exist.
   * Guests only ever reach their own board's shareable document: never the workspace records nor
   * any internal document. Every member edits the workspace records.
   */
  #roleFor(principal: Principal, target: DocumentTarget): Promise<BoardRole | null | 'missing'> {
    return target.kind.roleOf(principal, target, this.#accessContext);
  }

  #armExpiry(ws: WebSocket, live: LiveConnection): void {
    live.cancelExpiry = armExpiry(live.principal.expiresAt, () => this.#refuse(ws, CloseCode.AccessRevoked, 'access expired'));
  }

  /** Closes a connection the server turns away or ends (counted by close code), as opposed to a room unloading or the server stopping. */
  #refuse(ws: WebSocket, code: number, reason: string): void {
    this.#metrics.connectionRefused(code);
    ws.close(code, reason);
  }

  /** Ends, with `AccessRevoked`, every sync connection whose principal matches (revocation, deactivation, sign-out). */
  endConnections(matches: (principal: Principal) => boolean, reason = 'access revoked'): number {
    let ended = 0;
    for (const [ws, live] of this.#live) {
      if (!matches(live.principal)) continue;
      this.#refuse(ws, CloseCode.AccessRevoked, reason);
      ended++;
    }
    return ended;
  }

  /**
   * Re-checks the role of every connection to a board (and its internal document) after its access
   * settings changed: a connection whose role changed is closed with `AccessChanged`, so the client
   * reconnects under the new role; one that lost access is closed with `AccessRevoked`.
   */
  async refreshBoard(boardId: string): Promise<void> {
    const checks = [...this.#live].filter(([, live]) => live.target.boardId === boardId);
    await Promise.all(
      checks.map(async ([ws, live]) => {
        const role = await this.#roleFor(live.principal, live.target);
        if (role === null || role === 'missing') this.#refuse(ws, CloseCode.AccessRevoked, 'access revoked');
        else if (role !== live.role) this.#refuse(ws, CloseCode.AccessChanged, 'access changed');
      }),
    );
  }

  /** Makes every connection of one person reconnect (their departments or administrator role changed). */
  refreshPerson(userId: string): void {
    for (const [ws, live] of this.#live) {
      // Departments and roles are read on admission: reconnecting picks up the new ones.
      if (live.principal.id === userId) this.#refuse(ws, CloseCode.AccessChanged, 'access changed');
    }
  }

  /** Loads (or finds) the room of a document: `workspace`, `<boardId>` or `<boardId>/internal`. */
  async #roomFor(name: string): Promise<DocumentRoom> {
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
    if (target.boardId !== null && this.#wasDeleted(target.boardId)) throw new DeletedBoardError(target.boardId);
    const room = new DocumentRoom({
      name,
      hooks: target.kind.hooks(target, this.#hookContext),
      store: this.#options.documents,
      fanout: this.#options.fanout,
      metrics: this.#metrics,
      logger: this.#options.logger,
      compactThreshold: this.#options.compactThreshold,
      maxDocumentBytes: this.#options.maxDocumentBytes ?? 64 * 1024 * 1024,
      maxMessagesPerSecond: this.#options.maxMessagesPerSecond ?? 200,
      syncLimits: this.#options.syncLimits,
      onClosed: (closed) => {
        this.#cancelUnload(closed);
        if (this.#rooms.get(closed.name) === closed) this.#rooms.delete(closed.name);
      },
      onIdle: (idle) => this.#scheduleUnload(idle),
    });
    this.#rooms.set(name, room);
    return room;
  }

  /**
   * Loads a document (or finds its room), runs `use` on it once loaded, waits until what `use`
   * changed is stored, and lets the document unload when nobody is on it.
   */
  async #withDocument<T>(name: string, use: (doc: Y.Doc) => T): Promise<T> {
    const room = await this.#roomFor(name);
    await room.ready;
    const result = use(room.doc);
    await room.whenPersisted();
    if (room.connectionCount === 0) this.#scheduleUnload(room);
    return result;
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

  /**
   * Applies a change of the server's (a comment posted through the API, a meeting's decisions) to a
   * document, loading it if needed: stored and relayed like any edit, attributed to `actor`.
   * Resolves once the change is stored.
   */
  editDocument<T>(name: string, edit: (doc: Y.Doc) => T, actor: { id: string; name: string }): Promise<T> {
    return this.#withDocument(name, (doc) => doc.transact(() => edit(doc), new ServerEdit(actor)));
  }

  /**
   * Closes the sockets (4404) of a deleted board's documents, the shareable one and the internal
   * one, and removes both from the store. For a while neither gets a room again, so that a client
   * reconnecting before the board's row is gone does not write them back.
   */
  async deleteBoard(boardId: string): Promise<void> {
    this.#deletedBoards.set(boardId, Date.now() + DELETED_BOARD_MEMORY_MS);
    await Promise.all(
      boardDocumentNames(boardId).map(async (name) => {
        // A room already unloading stores its last writes before it closes: the deletion comes after them.
        await this.#rooms.get(name)?.close(CloseCode.BoardNotFound, 'board deleted', { deleteDocument: true });
        await this.#options.documents.delete(name);
      }),
    );
  }

  /** Whether a board was deleted a moment ago; forgets the boards deleted long enough ago. */
  #wasDeleted(boardId: string): boolean {
    const now = Date.now();
    for (const [deleted, until] of this.#deletedBoards) if (until <= now) this.#deletedBoards.delete(deleted);
    return this.#deletedBoards.has(boardId);
  }

  /**
   * Removes the documents of boards that no longer exist (`orphan-documents.ts`), once they have
   * been missing for `graceMs` (default: the `orphanSweepGraceMs` option); runs when the server
   * starts. Resolves with the names of the documents removed.
   */
  sweepOrphanDocuments(options: { graceMs?: number } = {}): Promise<string[]> {
    return sweepOrphanDocuments({
      documents: this.#options.documents,
      directory: this.#options.directory,
      boardIdOf: (name) => documentTarget(name)?.boardId ?? null,
      deleteBoard: (boardId) => this.deleteBoard(boardId),
      graceMs: options.graceMs ?? this.#options.orphanSweepGraceMs ?? 60_000,
      signal: this.#stopping.signal,
      logger: this.#options.logger,
    });
  }

  #pingAll(): void {
    for (const ws of this.#wss.clients) {
      if (!this.#alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.#alive.delete(ws);
      ws.ping();
    }
  }

  /** Stops accepting connections, tells clients to come back later (1012), stores and compacts every board. */
  async close(): Promise<void> {
    this.#shuttingDown = true;
    this.#stopping.abort();
    clearInterval(this.#pingTimer);
    await Promise.all([...this.#rooms.values()].map((room) => room.close(CloseCode.ServerRestarting, 'server restarting')));
    for (const ws of this.#wss.clients) ws.close(CloseCode.ServerRestarting, 'server restarting');
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
