import type { ClientToServerEvents, ServerToClientEvents, WorkflowRefusal } from '@passerelle/shared';
import { io, type Socket } from 'socket.io-client';

/**
 * Listens for the server's refusals of this person's workflow changes (a stage move without its
 * sign-offs, a sign-off for a department they are not in): the server has already undone the change,
 * and the person must be told why. Returns the function that stops listening.
 */
export function subscribeToWorkflowRefusals(onRefusal: (refusal: WorkflowRefusal) => void): () => void {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: '/socket.io', withCredentials: true });
  socket.on('workflow:refused', onRefusal);
  return () => socket.disconnect();
}
