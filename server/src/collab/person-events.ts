/**
 * The socket.io events that tell people what happened to their own changes and to the list of
 * boards: sent to a person's room (`user:<id>`) or to the workspace's members, on every process
 * (the socket.io adapter carries them in Redis mode).
 */
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import { WORKSPACE_DOC, type BoardListEvent, type ClientToServerEvents, type ServerToClientEvents, type WorkflowRefusal } from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import type { Principal } from '../auth/auth-service.js';
import type { SyncServerOptions } from '../sync/sync-server.js';

type AppServer = Server<ClientToServerEvents, ServerToClientEvents>;

/** Room of one person's sockets. */
export const personRoom = (userId: string): string => `user:${userId}`;

/**
 * Announces a board created, renamed or deleted. A deletion may name a board someone cannot see:
 * harmless (they do not list it). A created or renamed board is announced to those who may see it,
 * each with their role.
 */
export function createBoardListPublisher(io: AppServer, access: Pick<BoardAccess, 'roleOf'>, logger: Logger): (event: BoardListEvent) => void {
  return (event) => {
    if (event.type === 'deleted') {
      io.to('workspace').emit('boards:changed', event);
      return;
    }
    void (async () => {
      for (const socket of await io.in('workspace').fetchSockets()) {
        const role = await access.roleOf(socket.data.principal as Principal, event.board.id);
        if (role) socket.emit('boards:changed', { ...event, board: { ...event.board, role } });
      }
    })().catch((error: unknown) => logger.error({ err: error }, 'board list event could not be sent'));
  };
}

/** The sync server's refusals, told to the person whose change was refused. */
export function refusalEvents(
  io: AppServer,
  options: { onWorkspaceRefused?: NonNullable<SyncServerOptions['onWorkspaceRefusal']> },
): Pick<SyncServerOptions, 'onRefusals' | 'onWriteRefused' | 'onWorkspaceRefusal'> {
  return {
    onRefusals: (userId: string, refusals: WorkflowRefusal[]) => {
      for (const refusal of refusals) io.to(personRoom(userId)).emit('workflow:refused', refusal);
    },
    onWriteRefused: (userId, boardId, document) => {
      io.to(personRoom(userId)).emit('sync:refused', { boardId, document, reason: 'read_only' });
      // Of the workspace, this path is a read-only connection's: nothing of the change was taken.
      if (document === 'workspace') io.to(personRoom(userId)).emit('workspace:refused', { reason: 'read_only', records: [], settings: false });
    },
    onWorkspaceRefusal: (refusal) => {
      options.onWorkspaceRefused?.(refusal);
      const person = io.to(personRoom(refusal.actor.id));
      person.emit('sync:refused', { boardId: WORKSPACE_DOC, document: 'workspace', reason: 'read_only' });
      person.emit('workspace:refused', { reason: 'not_allowed', records: refusal.refused, settings: (refusal.settings ?? 0) > 0 });
    },
  };
}
