/**
 * Applying access changes to live connections, on every process. Ending a session, revoking an API
 * token or a guest, changing a board's roles or a person's administrator role, and deleting a board
 * must reach the sync and socket.io connections wherever they are connected; with several
 * processes behind a balancer that is usually another process than the
 * one that handled the request. Each change is applied here and, when processes share a socket.io
 * adapter (Redis mode), announced to the others with `serverSideEmit`, which apply it to theirs.
 */
import type { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { Principal } from '../auth/auth-service.js';
import type { SyncServer } from '../sync/sync-server.js';

/** Whose connections an access change ends: serialisable, so that it crosses processes. */
export type ConnectionMatch =
  | { session: string }
  | { token: string }
  | { member: string; exceptSession?: string }
  | { guestInvite: string }
  | { guest: string };

/** Why connections were ended, as told to the client (`access:ended`). */
export type EndReason = 'revoked' | 'expired' | 'deactivated';

/** What the API asks of live connections when access changes. */
export interface LiveAccess {
  /** Closes every live connection of the principals matched, telling them why. */
  end(match: ConnectionMatch, reason: EndReason): void;
  /** Re-checks the roles of everyone connected to a board. */
  refreshBoard(boardId: string): Promise<void>;
  /**
   * Makes a person's connections pick up changed departments or administrator role: sync ones
   * reconnect, socket.io ones get the person as they are now and leave meetings they may no longer see.
   */
  refreshPerson(userId: string): void;
  /**
   * Closes every connection to a deleted board's documents and removes them from the store, on every
   * process: a room left open elsewhere would go on writing the board back.
   */
  deleteBoard(boardId: string): Promise<void>;
}

/** Whether a connection's principal is one a match names. */
export function matchesConnection(match: ConnectionMatch, principal: Principal): boolean {
  if ('session' in match) return principal.sessionHash === match.session;
  if ('token' in match) return principal.kind === 'member' && principal.tokenId === match.token;
  if ('member' in match) return principal.kind === 'member' && principal.id === match.member && (match.exceptSession === undefined || principal.sessionHash !== match.exceptSession);
  if ('guestInvite' in match) return principal.kind === 'guest' && principal.invite.id === match.guestInvite;
  return principal.kind === 'guest' && principal.id === match.guest;
}

/** The message processes exchange; one event name keeps the adapter's channel list short. */
type LiveAccessMessage =
  | { type: 'end'; match: ConnectionMatch; reason: EndReason }
  | { type: 'refreshBoard'; boardId: string }
  | { type: 'refreshPerson'; userId: string }
  | { type: 'deleteBoard'; boardId: string };

const EVENT = 'passerelle:live-access';

export interface LiveAccessOptions {
  io: Server<any, any, any, any>;
  sync: SyncServer;
  /** Re-checks the roles of a board's meeting attendees on this process only (the announcement reaches the others). */
  revalidateMeetings(boardId: string): Promise<void>;
  /** Re-checks the meetings one person attends on this process, once their sockets hold who they are now. */
  revalidatePerson(userId: string): Promise<void>;
  /** The principal as it is now (see `AuthService.currentPrincipal`); null once it may not stay connected. */
  currentPrincipal(principal: Principal): Promise<Principal | null>;
  /** True when other processes share the socket.io adapter (Redis mode): changes are announced to them. */
  clustered: boolean;
  logger: Logger;
}

/** Builds the live access applier and starts listening for the other processes' changes. */
export function createLiveAccess(options: LiveAccessOptions): LiveAccess {
  const { io, sync, logger } = options;

  const apply = async (message: LiveAccessMessage): Promise<void> => {
    switch (message.type) {
      case 'end': {
        const matches = (principal: Principal) => matchesConnection(message.match, principal);
        sync.endConnections(matches, `access ${message.reason}`);
        for (const socket of io.sockets.sockets.values()) {
          if (!matches(socket.data.principal as Principal)) continue;
          socket.emit('access:ended', { reason: message.reason });
          socket.disconnect(true);
        }
        return;
      }
      case 'refreshBoard':
        await Promise.all([sync.refreshBoard(message.boardId), options.revalidateMeetings(message.boardId)]);
        return;
      case 'refreshPerson': {
        sync.refreshPerson(message.userId);
        // socket.io connections stay open (the app keeps running): what they are allowed is read
        // from the principal they hold, so it is replaced by the person as they are now.
        const sockets = [...io.sockets.sockets.values()].filter((socket) => (socket.data.principal as Principal | undefined)?.id === message.userId);
        await Promise.all(
          sockets.map(async (socket) => {
            const current = await options.currentPrincipal(socket.data.principal as Principal);
            if (current) {
              socket.data.principal = current;
              // The app reads the account again, so that what it offers follows what the server allows.
              if (current.kind === 'member') socket.emit('account:changed');
              return;
            }
            socket.emit('access:ended', { reason: 'revoked' });
            socket.disconnect(true);
          }),
        );
        await options.revalidatePerson(message.userId);
        return;
      }
      case 'deleteBoard':
        await sync.deleteBoard(message.boardId);
        return;
    }
  };

  const announce = (message: LiveAccessMessage) => {
    if (options.clustered) io.serverSideEmit(EVENT, message);
  };

  if (options.clustered) {
    io.on(EVENT, (message: LiveAccessMessage) => {
      apply(message).catch((error: unknown) => logger.error({ err: error, message }, 'access change from another process failed'));
    });
  }

  return {
    end(match, reason) {
      const message: LiveAccessMessage = { type: 'end', match, reason };
      void apply(message);
      announce(message);
    },
    async refreshBoard(boardId) {
      const message: LiveAccessMessage = { type: 'refreshBoard', boardId };
      announce(message);
      await apply(message);
    },
    refreshPerson(userId) {
      const message: LiveAccessMessage = { type: 'refreshPerson', userId };
      apply(message).catch((error: unknown) => logger.error({ err: error, userId }, 'connections could not pick up an access change'));
      announce(message);
    },
    async deleteBoard(boardId) {
      const message: LiveAccessMessage = { type: 'deleteBoard', boardId };
      // Announced first: the other processes close their rooms while this one deletes, so that
      // fewer of their writes land after the deletion (any that do, their own close removes).
      announce(message);
      await apply(message);
    },
  };
}
