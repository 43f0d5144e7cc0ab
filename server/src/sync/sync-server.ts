import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type * as Y from 'yjs';
import { CloseCode, SYNC_PATH, ServerEdit, type BoardRole, type RuledEdit, type WorkflowRefusal } from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import type { AuthService, Principal } from '../auth/auth-service.js';
import { documentTarget, type BoardChange, type WorkspaceChange } from '../documents/index.js';
import type { DocumentEvents } from '../documents/kind.js';
import { NO_SYNC_METRICS, type SyncDocumentKind, type SyncMetrics } from '../observability/metrics.js';
import type { BoardDirectory } from '../store/account-store.js';
import type { DocumentStore } from '../store/document-store.js';
import type { DocumentFanout } from './fanout.js';
import { LiveConnections } from './live-connections.js';
import { sweepOrphanDocuments } from './orphan-documents.js';
import { RoomRegistry } from './room-registry.js';
import type { SyncWorkLimits } from './sync-budget.js';

export { ServerEdit };
export type { BoardChange, WorkspaceChange };

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
  onWriteRefused?: (userId: string, boardId: string, document: SyncDocumentKind) => void;
  /** Called after each change someone made to a board (history, notifications); must not throw. */
  onBoardChange?: (change: BoardChange) => void;
  /** Called after each change someone made to a proposal's documents (its progress on the board); must not throw. */
  onProposalChange?: (change: { boardId: string; cardId: string }) => void;
  /** Called once a document is loaded and after each change made on this process (the search index); must not throw. */
  onDocumentContent?: (name: string, doc: Y.Doc) => void;
  /** Called after each change someone made to the workspace's records (history, audit); must not throw. */
  onWorkspaceChange?: DocumentEvents['onWorkspaceChange'];
  /** Called when workspace changes a person was not allowed to make were put back (audit). */
  onWorkspaceRefusal?: DocumentEvents['onWorkspaceRefusal'];
  /**
   * How long the documents of a missing board must stay so before the sweep at start removes them
   * (default 60 s): another process may be writing a new board's documents just before its row.
   */
  orphanSweepGraceMs?: number;
}

/**
 * The y-websocket endpoint: `/sync/<document>`. Takes each upgrade, has `LiveConnections` admit it
 * into its document's room (`RoomRegistry`), keeps sockets alive with pings, and sweeps documents
 * of boards that no longer exist. Speaks the stock y-websocket protocol, so any `WebsocketProvider`
 * syncs with it.
 */
export class SyncServer {
  readonly #options: SyncServerOptions;
  readonly #metrics: SyncMetrics;
  readonly #wss: WebSocketServer;
  readonly #rooms: RoomRegistry;
  readonly #connections: LiveConnections;
  readonly #alive = new WeakSet<WebSocket>();
  readonly #pingTimer: NodeJS.Timeout;
  /** Stops a sweep of orphan documents under way when the server closes. */
  readonly #stopping = new AbortController();

  constructor(options: SyncServerOptions) {
    this.#options = options;
    const metrics = (this.#metrics = options.metrics ?? NO_SYNC_METRICS);
    this.#rooms = new RoomRegistry({
      documents: options.documents,
      fanout: options.fanout,
      metrics,
      logger: options.logger,
      events: { onRefusals: options.onRefusals, onWriteRefused: options.onWriteRefused, onBoardChange: options.onBoardChange, onProposalChange: options.onProposalChange, onDocumentContent: options.onDocumentContent, onWorkspaceChange: options.onWorkspaceChange, onWorkspaceRefusal: options.onWorkspaceRefusal },
      compactThreshold: options.compactThreshold,
      unloadDelayMs: options.unloadDelayMs,
      maxDocumentBytes: options.maxDocumentBytes,
      maxMessagesPerSecond: options.maxMessagesPerSecond,
      syncLimits: options.syncLimits,
    });
    this.#connections = new LiveConnections({
      auth: options.auth,
      directory: options.directory,
      access: options.access,
      rooms: this.#rooms,
      metrics,
      logger: options.logger,
      stopping: () => this.#stopping.signal.aborted,
    });
    // ws closes a socket whose frame exceeds maxPayload with 1009 (message too big).
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes, perMessageDeflate: false });
    this.#pingTimer = setInterval(() => this.#pingAll(), options.pingIntervalMs ?? 30_000);
    this.#pingTimer.unref();
    // Whatever a crash or a failed deletion left behind goes once the grace period has passed.
    this.sweepOrphanDocuments().catch((error: unknown) => {
      if (!this.#stopping.signal.aborted) options.logger.warn({ err: error }, 'the sweep of documents without a board failed');
    });
  }

  /** True when an upgrade request is for the sync endpoint. */
  handles(request: IncomingMessage): boolean {
    const path = (request.url ?? '').split('?')[0];
    return path.startsWith(`${SYNC_PATH}/`);
  }

  /** The sync work a loaded document's room has done answering requests (for diagnostics and tests); undefined when not loaded. */
  syncWorkOf(name: string): { encodes: number; encodeMs: number } | undefined {
    return this.#rooms.syncWorkOf(name);
  }

  /** Rooms in memory and admitted connections, by kind of document (read by `GET /metrics`). */
  census(): { rooms: Record<SyncDocumentKind, number>; connections: Record<SyncDocumentKind, number> } {
    return { rooms: this.#rooms.census(), connections: this.#connections.census() };
  }

  /** Board ids with a room in memory (for tests and diagnostics). */
  get openBoards(): string[] {
    return this.#rooms.names;
  }

  /**
   * The live document of a board whose room is loaded, for readers such as search; undefined while
   * it loads, unloads or is not open (the store then holds everything it contains).
   */
  documentOf(boardId: string): Y.Doc | undefined {
    return this.#rooms.documentOf(boardId);
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
      this.#connections
        .admit(request, ws)
        .catch((error: unknown) => {
          this.#options.logger.error({ err: error }, 'sync connection failed');
          this.#connections.refuse(ws, 1011, 'internal error');
        })
        // Resumed in every case: a refused socket must still read the client's closing handshake.
        .finally(() => ws.resume());
    });
  }

  /** Ends, with `AccessRevoked`, every sync connection whose principal matches (revocation, deactivation, sign-out). */
  endConnections(matches: (principal: Principal) => boolean, reason = 'access revoked'): number {
    return this.#connections.end(matches, reason);
  }

  /**
   * Re-checks the role of every connection to a board (and its internal document) after its access
   * settings changed: a connection whose role changed is closed with `AccessChanged`, so the client
   * reconnects under the new role; one that lost access is closed with `AccessRevoked`.
   */
  refreshBoard(boardId: string): Promise<void> {
    return this.#connections.refreshBoard(boardId);
  }

  /** Makes every connection of one person reconnect (their departments or administrator role changed). */
  refreshPerson(userId: string): void {
    this.#connections.refreshPerson(userId);
  }

  /**
   * Reads a document's live state, loading it if needed (and letting it unload after when nobody is
   * on it): exports and listings read what people see now, including what is not stored yet.
   */
  readDocument<T>(name: string, read: (doc: Y.Doc) => T): Promise<T> {
    return this.#rooms.withDocument(name, read);
  }

  /**
   * Applies a change of the server's (a comment posted through the API, a meeting's decisions) to a
   * document, loading it if needed: stored and relayed like any edit, attributed to `actor`.
   * Resolves once the change is stored.
   */
  editDocument<T>(name: string, edit: (doc: Y.Doc) => T, actor: { id: string; name: string }): Promise<T> {
    return this.#rooms.withDocument(name, (doc) => doc.transact(() => edit(doc), new ServerEdit(actor)));
  }

  /** A principal's role on a document and whether it may write, by the rule connections are admitted by. */
  accessTo(principal: Principal, name: string): Promise<{ role: BoardRole | null | 'missing'; canWrite: boolean }> {
    return this.#connections.accessTo(principal, name);
  }

  /**
   * Applies a change made through the REST API on a person's behalf: like `editDocument`, but the
   * change goes through the document kind's rules as the person's own change through a connection
   * would (`RuledEdit`). Resolves once the change and any correction are stored.
   */
  async editAs<T>(name: string, edit: (doc: Y.Doc) => T, origin: RuledEdit): Promise<T> {
    return this.#rooms.withDocument(name, (doc) => doc.transact(() => edit(doc), origin));
  }

  /**
   * Closes the sockets (4404) of a deleted board's documents, the shareable one and the internal
   * one, and removes both from the store. For a while neither gets a room again, so that a client
   * reconnecting before the board's row is gone does not write them back.
   */
  deleteBoard(boardId: string): Promise<void> {
    return this.#rooms.deleteBoard(boardId);
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
    this.#stopping.abort();
    clearInterval(this.#pingTimer);
    await this.#rooms.closeAll(CloseCode.ServerRestarting, 'server restarting');
    for (const ws of this.#wss.clients) ws.close(CloseCode.ServerRestarting, 'server restarting');
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
