import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { CloseCode, SYNC_PATH, roleAtLeast, type BoardRole } from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import { capabilitiesOf, departmentsOf, type AuthService, type Principal } from '../auth/auth-service.js';
import { armExpiry } from '../auth/expiry.js';
import { countByKind, documentTarget, type AccessContext, type DocumentTarget } from '../documents/index.js';
import type { SyncDocumentKind, SyncMetrics } from '../observability/metrics.js';
import type { BoardDirectory } from '../store/account-store.js';
import { DeletedBoardError, type RoomRegistry } from './room-registry.js';

/** An admitted sync socket: who is behind it and on what. */
interface LiveConnection {
  principal: Principal;
  target: DocumentTarget;
  role: BoardRole;
  /** Stops the timer that ends the connection when the session or invite expires. */
  cancelExpiry: () => void;
}

export interface LiveConnectionsOptions {
  auth: AuthService;
  /** Which boards exist (a document of a board that does not gets no room). */
  directory: Pick<BoardDirectory, 'getBoard'>;
  /** Decides each person's role on each board. */
  access: BoardAccess;
  rooms: RoomRegistry;
  metrics: SyncMetrics;
  logger: Logger;
  /** True once the server stops: new connections are told to come back later. */
  stopping: () => boolean;
}

/**
 * Who is connected to what: admits each sync socket (who it is, which document, with which role
 * by the document kind's access rule), hands it to its document's room, ends it when its session
 * or invite expires, and re-checks or ends connections when access changes.
 */
export class LiveConnections {
  readonly #options: LiveConnectionsOptions;
  readonly #live = new Map<WebSocket, LiveConnection>();
  /** What the kinds' access rules consult. */
  readonly #accessContext: AccessContext;

  constructor(options: LiveConnectionsOptions) {
    this.#options = options;
    this.#accessContext = {
      directory: options.directory,
      access: options.access,
      wasDeleted: (boardId) => options.rooms.wasDeleted(boardId),
      withDocument: (name, use) => options.rooms.withDocument(name, use),
    };
  }

  /** Admitted connections by kind of document. */
  census(): Record<SyncDocumentKind, number> {
    return countByKind([...this.#live.values()].map((live) => live.target.kind.name));
  }

  /**
   * Authenticates an upgraded socket and puts it in its document's room. A refused client gets a
   * close code (4401, 4404, ...) and nothing else: it never joins a room, so no content reaches it.
   */
  async admit(request: IncomingMessage, ws: WebSocket): Promise<void> {
    const { auth, rooms, logger } = this.#options;
    const path = (request.url ?? '').split('?')[0];
    let name: string;
    try {
      name = decodeURIComponent(path.slice(SYNC_PATH.length + 1));
    } catch {
      // A malformed percent-escape is the client's mistake (or a probe), not a server failure.
      logger.debug({ path }, 'sync path has a malformed percent-escape');
      this.refuse(ws, CloseCode.MalformedMessage, 'malformed path');
      return;
    }
    const principal = await auth.authenticate(request, { allowQueryToken: true });
    if (!principal) {
      this.refuse(ws, CloseCode.Unauthorized, 'unauthorized');
      return;
    }
    if (this.#options.stopping()) {
      this.refuse(ws, CloseCode.ServerRestarting, 'server restarting');
      return;
    }
    const target = documentTarget(name);
    if (!target) {
      this.refuse(ws, CloseCode.BoardNotFound, 'board not found');
      return;
    }
    const role = await this.#roleFor(principal, target);
    if (role === 'missing') {
      this.refuse(ws, CloseCode.BoardNotFound, 'board not found');
      return;
    }
    if (role === null) {
      this.refuse(ws, CloseCode.Forbidden, 'forbidden');
      return;
    }
    if (ws.readyState !== ws.OPEN) return;
    const live: LiveConnection = { principal, target, role, cancelExpiry: () => {} };
    this.#live.set(ws, live);
    ws.once('close', () => {
      live.cancelExpiry();
      this.#live.delete(ws);
    });
    live.cancelExpiry = armExpiry(principal.expiresAt, () => this.refuse(ws, CloseCode.AccessRevoked, 'access expired'));
    let room;
    try {
      room = await rooms.open(name);
    } catch (error) {
      // Admitted while its board was being deleted.
      if (!(error instanceof DeletedBoardError)) throw error;
      this.refuse(ws, CloseCode.BoardNotFound, 'board not found');
      return;
    }
    room.addConnection(ws, {
      userId: principal.id,
      name: principal.name,
      kind: principal.kind,
      departments: departmentsOf(principal),
      capabilities: capabilitiesOf(principal),
      role,
      readOnly: !roleAtLeast(role, target.kind.minimumWriteRole ?? 'editor'),
    });
  }

  /** Closes a connection the server turns away or ends (counted by close code), as opposed to a room unloading or the server stopping. */
  refuse(ws: WebSocket, code: number, reason: string): void {
    this.#options.metrics.connectionRefused(code);
    ws.close(code, reason);
  }

  /** Ends, with `AccessRevoked`, every connection whose principal matches (revocation, deactivation, sign-out). */
  end(matches: (principal: Principal) => boolean, reason: string): number {
    let ended = 0;
    for (const [ws, live] of this.#live) {
      if (!matches(live.principal)) continue;
      this.refuse(ws, CloseCode.AccessRevoked, reason);
      ended++;
    }
    return ended;
  }

  /**
   * Re-checks the role of every connection to a board's documents: a connection whose role changed
   * is closed with `AccessChanged`, so the client reconnects under the new role; one that lost
   * access is closed with `AccessRevoked`.
   */
  async refreshBoard(boardId: string): Promise<void> {
    const checks = [...this.#live].filter(([, live]) => live.target.boardId === boardId);
    await Promise.all(
      checks.map(async ([ws, live]) => {
        const role = await this.#roleFor(live.principal, live.target);
        if (role === null || role === 'missing') this.refuse(ws, CloseCode.AccessRevoked, 'access revoked');
        else if (role !== live.role) this.refuse(ws, CloseCode.AccessChanged, 'access changed');
      }),
    );
  }

  /** Makes every connection of one person reconnect (their departments, administrator role or capabilities changed). */
  refreshPerson(userId: string): void {
    for (const [ws, live] of this.#live) {
      // Departments and roles are read on admission: reconnecting picks up the new ones.
      if (live.principal.id === userId) this.refuse(ws, CloseCode.AccessChanged, 'access changed');
    }
  }

  /**
   * What a principal may do with the document `name` by the same rule a connection is admitted by:
   * their role (null when refused or unknown, 'missing' when its board does not exist) and whether
   * that role may write. The REST API asks this before each read or change.
   */
  async accessTo(principal: Principal, name: string): Promise<{ role: BoardRole | null | 'missing'; canWrite: boolean }> {
    const target = documentTarget(name);
    if (!target) return { role: null, canWrite: false };
    const role = await this.#roleFor(principal, target);
    const canWrite = role !== null && role !== 'missing' && roleAtLeast(role, target.kind.minimumWriteRole ?? 'editor');
    return { role, canWrite };
  }

  /**
   * A principal's role on a document, null when refused, 'missing' when the board does not exist.
   * Guests only ever reach their own board's shareable document: never the workspace records nor
   * any internal document. Every member edits the workspace records.
   */
  #roleFor(principal: Principal, target: DocumentTarget): Promise<BoardRole | null | 'missing'> {
    return target.kind.roleOf(principal, target, this.#accessContext);
  }
}
