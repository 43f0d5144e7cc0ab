import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type * as Y from 'yjs';
import { CloseCode, SYNC_PATH, WORKSPACE_DOC, isId, type WorkflowRefusal } from '@passerelle/shared';
import type { AuthService } from '../auth/auth-service.js';
import type { AccountStore } from '../store/account-store.js';
import type { DocumentStore } from '../store/document-store.js';
import { BoardRoom } from './board-room.js';

/** Transaction origin of changes the server makes on someone's behalf (see `editDocument`). */
export class ServerEdit {
  constructor(readonly actor: { id: string; name: string }) {}
}

/** A change to a board document made by someone (a connection's update or a server edit on their behalf). */
export interface BoardChange {
  boardId: string;
  /** 'board' for the shareable document, 'internal' for the board's internal document. */
  document: 'board' | 'internal';
  doc: Y.Doc;
  transaction: Y.Transaction;
  actor: { id: string; name: string; kind: 'member' | 'guest' };
}

export interface SyncServerOptions {
  documents: DocumentStore;
  accounts: AccountStore;
  auth: AuthService;
  logger: Logger;
  maxFrameBytes: number;
  compactThreshold: number;
  unloadDelayMs: number;
  /** Interval of WebSocket pings; a socket that misses one is dropped (default 30 s). */
  pingIntervalMs?: number;
  /** Tells a person the server undid workflow changes of theirs. */
  onRefusals?: (userId: string, refusals: WorkflowRefusal[]) => void;
  /** Called after each change someone made to a board (history, notifications); must not throw. */
  onBoardChange?: (change: BoardChange) => void;
}

/**
 * The y-websocket endpoint: `/sync/<boardId>`. Owns the rooms (one per open board), authenticates
 * each upgrade and hands authenticated sockets to their room. Speaks the stock y-websocket protocol,
 * so any `WebsocketProvider` syncs with it.
 */
export class SyncServer {
  readonly #options: SyncServerOptions;
  readonly #wss: WebSocketServer;
  readonly #rooms = new Map<string, BoardRoom>();
  readonly #unloadTimers = new Map<BoardRoom, NodeJS.Timeout>();
  readonly #alive = new WeakSet<WebSocket>();
  readonly #pingTimer: NodeJS.Timeout;
  #shuttingDown = false;

  constructor(options: SyncServerOptions) {
    this.#options = options;
    // ws closes a socket whose frame exceeds maxPayload with 1009 (message too big).
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes, perMessageDeflate: false });
    this.#pingTimer = setInterval(() => this.#pingAll(), options.pingIntervalMs ?? 30_000);
    this.#pingTimer.unref();
  }

  /** True when an upgrade request is for the sync endpoint. */
  handles(request: IncomingMessage): boolean {
    const path = (request.url ?? '').split('?')[0];
    return path.startsWith(`${SYNC_PATH}/`);
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
      ws.on('error', (error) => this.#options.logger.debug({ err: error }, 'sync socket error'));
      // Frames that arrive while we authenticate are buffered by the room once it has the socket.
      ws.pause();
      this.#admit(request, ws)
        .catch((error: unknown) => {
          this.#options.logger.error({ err: error }, 'sync connection failed');
          ws.close(1011, 'internal error');
        })
        // Resumed in every case: a refused socket must still read the client's closing handshake.
        .finally(() => ws.resume());
    });
  }

  async #admit(request: IncomingMessage, ws: WebSocket): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    const boardId = decodeURIComponent(path.slice(SYNC_PATH.length + 1));
    const principal = await this.#options.auth.authenticate(request, { allowQueryToken: true });
    if (!principal) {
      ws.close(CloseCode.Unauthorized, 'unauthorized');
      return;
    }
    if (this.#shuttingDown) {
      ws.close(CloseCode.ServerRestarting, 'server restarting');
      return;
    }
    // The workspace document is open to every signed-in person; a board must exist.
    const isWorkspace = boardId === WORKSPACE_DOC;
    if (!isWorkspace && (!isId(boardId) || !(await this.#options.accounts.getBoard(boardId)))) {
      ws.close(CloseCode.BoardNotFound, 'board not found');
      return;
    }
    if (ws.readyState !== ws.OPEN) return;
    const room = await this.#roomFor(boardId);
    room.addConnection(ws, { userId: principal.user.id, departments: principal.user.departments });
  }

  async #roomFor(boardId: string): Promise<BoardRoom> {
    for (;;) {
      const existing = this.#rooms.get(boardId);
      if (!existing) break;
      if (existing.state === 'loading' || existing.state === 'ready') {
        this.#cancelUnload(existing);
        return existing;
      }
      // Being unloaded: wait until its last writes are stored, then load it afresh.
      await existing.closed;
    }
    const room = new BoardRoom({
      name: boardId,
      kind: boardId === WORKSPACE_DOC ? 'workspace' : 'board',
      store: this.#options.documents,
      logger: this.#options.logger,
      compactThreshold: this.#options.compactThreshold,
      onClosed: (closed) => {
        this.#cancelUnload(closed);
        if (this.#rooms.get(closed.name) === closed) this.#rooms.delete(closed.name);
      },
      onIdle: (idle) => this.#scheduleUnload(idle),
      onRefusals: this.#options.onRefusals,
    });
    this.#rooms.set(boardId, room);
    return room;
  }

  #scheduleUnload(room: BoardRoom): void {
    this.#cancelUnload(room);
    const timer = setTimeout(() => {
      this.#unloadTimers.delete(room);
      if (room.connectionCount === 0) void room.close(1000, 'unloaded');
    }, this.#options.unloadDelayMs);
    timer.unref();
    this.#unloadTimers.set(room, timer);
  }

  #cancelUnload(room: BoardRoom): void {
    const timer = this.#unloadTimers.get(room);
    if (timer) clearTimeout(timer);
    this.#unloadTimers.delete(room);
  }

  /**
   * Applies a change of the server's (a comment posted through the API, a meeting's decisions) to a
   * document, loading it if needed: stored and relayed like any edit, attributed to `actor`.
   * Resolves once the change is stored.
   */
  async editDocument<T>(name: string, edit: (doc: Y.Doc) => T, actor: { id: string; name: string }): Promise<T> {
    const room = await this.#roomFor(name);
    await room.ready;
    const result = room.doc.transact(() => edit(room.doc), new ServerEdit(actor));
    await room.whenPersisted();
    if (room.connectionCount === 0) this.#scheduleUnload(room);
    return result;
  }

  /** Closes a deleted board's sockets (4404) and removes its stored document. */
  async deleteBoard(boardId: string): Promise<void> {
    const room = this.#rooms.get(boardId);
    if (room) await room.close(CloseCode.BoardNotFound, 'board deleted', { deleteDocument: true });
    else await this.#options.documents.delete(boardId);
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
    clearInterval(this.#pingTimer);
    await Promise.all([...this.#rooms.values()].map((room) => room.close(CloseCode.ServerRestarting, 'server restarting')));
    for (const ws of this.#wss.clients) ws.close(CloseCode.ServerRestarting, 'server restarting');
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
