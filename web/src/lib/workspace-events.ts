import type { AppNotification, BoardListEvent, ClientToServerEvents, ServerToClientEvents, SyncRefusal, WorkflowRefusal, WorkspaceRefusal } from '@passerelle/shared';
import { io, type Socket } from 'socket.io-client';

/**
 * The workspace's live events over socket.io (session cookie): one connection for the whole page,
 * opened by the first subscriber and closed when the last one leaves. A WebSocket from the start:
 * the boards sync over WebSockets anyway, and socket.io's first HTTP polls (a handshake and a few
 * requests before the upgrade) would only add round trips to every page's start, and need a
 * balancer to keep a browser on one process.
 */
let socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
let subscribers = 0;

function acquire(): Socket<ServerToClientEvents, ClientToServerEvents> {
  socket ??= io({ path: '/socket.io', withCredentials: true, transports: ['websocket'] });
  subscribers += 1;
  return socket;
}

function release(): void {
  subscribers -= 1;
  if (subscribers === 0 && socket) {
    socket.disconnect();
    socket = null;
  }
}

/** The page's one socket.io connection, for other live features (meetings); call `release` when done. */
export function acquireSocket(): { socket: Socket<ServerToClientEvents, ClientToServerEvents>; release: () => void } {
  let released = false;
  return {
    socket: acquire(),
    release: () => {
      if (released) return;
      released = true;
      release();
    },
  };
}

/**
 * Listens to one of the server's events on the page's connection. `onReconnect` runs after each
 * reconnection, for listeners that must catch up on what was sent meanwhile (events are not
 * replayed). Returns the function that stops.
 */
function listen<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E], onReconnect?: () => void): () => void {
  const connection = acquire();
  // socket.io's typed `on` does not narrow a generic event name: the listener's type is checked above.
  connection.on(event, listener as never);
  if (onReconnect) connection.io.on('reconnect', onReconnect);
  return () => {
    connection.off(event, listener as never);
    if (onReconnect) connection.io.off('reconnect', onReconnect);
    release();
  };
}

/**
 * Listens to changes of the board list. `onReconnect` runs after each reconnection, since events
 * sent while disconnected are not replayed. Returns the function that stops.
 */
export function subscribeToBoardList(onEvent: (event: BoardListEvent) => void, onReconnect?: () => void): () => void {
  return listen('boards:changed', onEvent, onReconnect);
}

/**
 * Listens for the server's refusals of this person's workflow changes (a stage move without its
 * sign-offs, a sign-off for a department they are not in, a withdrawal after the gate): the server
 * has already undone the change, and the person must be told why. Returns the function that stops.
 */
export function subscribeToWorkflowRefusals(onRefusal: (refusal: WorkflowRefusal) => void): () => void {
  return listen('workflow:refused', onRefusal);
}

/**
 * Listens for the server's refusals of this person's changes to a synced document they may only
 * read (a board, its internal notes, a proposal's text): the server took nothing of the change.
 * Returns the function that stops.
 */
export function subscribeToSyncRefusals(onRefusal: (refusal: SyncRefusal) => void): () => void {
  return listen('sync:refused', onRefusal);
}

/**
 * Listens for the server's refusals of this person's changes to the workspace's records or settings
 * (the record rules). Returns the function that stops.
 */
export function subscribeToWorkspaceRefusals(onRefusal: (refusal: WorkspaceRefusal) => void): () => void {
  return listen('workspace:refused', onRefusal);
}

/**
 * Listens for changes an administrator made to this person's account (administrator role,
 * agreements manager, departments), and for reconnections, after which a change may have been
 * missed. Returns the function that stops.
 */
export function subscribeToAccountChanges(onChanged: () => void): () => void {
  return listen('account:changed', onChanged, onChanged);
}

/** Why the server ended this person's access: a revoked guest link or guest, an expired one, a deactivated account. */
export type AccessEndReason = Parameters<ServerToClientEvents['access:ended']>[0]['reason'];

/**
 * Listens for the end of this person's access (guest link revoked or expired, account deactivated):
 * the server has already closed their sessions and connections. Returns the function that stops.
 */
export function subscribeToAccessEnded(onEnded: (reason: AccessEndReason) => void): () => void {
  return listen('access:ended', (event) => onEnded(event.reason));
}

/**
 * Listens for notifications pushed to this person (mentions, assignments, sign-off requests).
 * `onReconnect` runs after each reconnection, since notifications sent meanwhile are not replayed.
 * Returns the function that stops.
 */
export function subscribeToNotifications(onNotification: (notification: AppNotification) => void, onReconnect?: () => void): () => void {
  return listen('notification', onNotification, onReconnect);
}
