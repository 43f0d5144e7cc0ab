import type { BoardListEvent, ClientToServerEvents, ServerToClientEvents } from '@passerelle/shared';
import { io, type Socket } from 'socket.io-client';

/**
 * Listens to the workspace's live events (socket.io, session cookie). `onReconnect` runs after each
 * reconnection, since events sent while disconnected are not replayed. Returns the function that stops.
 */
export function subscribeToBoardList(onEvent: (event: BoardListEvent) => void, onReconnect?: () => void): () => void {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: '/socket.io', withCredentials: true });
  socket.on('boards:changed', onEvent);
  if (onReconnect) socket.io.on('reconnect', onReconnect);
  return () => socket.disconnect();
}
