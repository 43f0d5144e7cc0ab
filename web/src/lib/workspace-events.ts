import type { BoardListEvent, ClientToServerEvents, ServerToClientEvents, WorkflowRefusal } from '@passerelle/shared';
import { io, type Socket } from 'socket.io-client';

/**
 * The workspace's live events over socket.io (session cookie): one connection for the whole page,
 * opened by the first subscriber and closed when the last one leaves.
 */
let socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
let subscribers = 0;

function acquire(): Socket<ServerToClientEvents, ClientToServerEvents> {
  socket ??= io({ path: '/socket.io', withCredentials: true });
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

/**
 * Listens to changes of the board list. `onReconnect` runs after each reconnection, since events
 * sent while disconnected are not replayed. Returns the function that stops.
 */
export function subscribeToBoardList(onEvent: (event: BoardListEvent) => void, onReconnect?: () => void): () => void {
  const connection = acquire();
  connection.on('boards:changed', onEvent);
  if (onReconnect) connection.io.on('reconnect', onReconnect);
  return () => {
    connection.off('boards:changed', onEvent);
    if (onReconnect) connection.io.off('reconnect', onReconnect);
    release();
  };
}

/**
 * Listens for the server's refusals of this person's workflow changes (a stage move without its
 * sign-offs, a sign-off for a department they are not in, a withdrawal after the gate): the server
 * has already undone the change, and the person must be told why. Returns the function that stops.
 */
export function subscribeToWorkflowRefusals(onRefusal: (refusal: WorkflowRefusal) => void): () => void {
  const connection = acquire();
  connection.on('workflow:refused', onRefusal);
  return () => {
    connection.off('workflow:refused', onRefusal);
    release();
  };
}
