/**
 * Applying access changes to live connections, on every process. Ending a session, revoking a guest
 * or changing a board's roles must reach the person's sync and socket.io connections wherever they
 * are connected; with several processes behind a balancer that is usually another process than the
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
  | { member: string }
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
  /** Makes a person's connections pick up changed departments or administrator role. */
  refreshPerson(userId: string): void;
}

/** Whether a connection's principal is one a match names. */
export function matchesConnection(match: ConnectionMatch, principal: Principal): boolean {
  if ('session' in match) return principal.sessionHash === match.session;
  if ('member' in match) return principal.kind === 'member' && principal.id === match.member;
  if ('guestInvite' in match) return principal.kind === 'guest' && principal.invite.id === match.guestInvite;
  return principal.kind === 'guest' && principal.id === match.guest;
}

/** The message processes exchange; one event name keeps the adapter's channel list short. */
type LiveAccessMessage =
  | { type: 'end'; match: ConnectionMatch; reason: EndReason }
  | { type: 'refreshBoard'; boardId: string }
  | { type: 'refreshPerson'; userId: string };

const EVENT = 'passerelle:live-access';

export interface LiveAccessOptions {
  io: Server<any, any, any, any>;
  sync: SyncServer;
  /** Re-checks the roles of a board's meeting attendees on this process only (the announcement reaches the others). */
  revalidateMeetings(boardId: string): Promise<void>;
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
      case 'refreshPerson':
        sync.refreshPerson(message.userId);
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
      void apply(message);
      announce(message);
    },
  };
}
