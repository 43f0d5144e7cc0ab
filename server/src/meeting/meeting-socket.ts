import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@passerelle/shared';
import type { Principal } from '../auth/auth-service.js';

export type MeetingServer = Server<ClientToServerEvents, ServerToClientEvents, any, any>;
export type MeetingSocket = Socket<ClientToServerEvents, ServerToClientEvents, any, any>;

/** Who a socket's connection is now (set at connection, refreshed when their access changes). */
export function principalOf(socket: MeetingSocket): Principal | null {
  return (socket.data as { principal?: Principal } | undefined)?.principal ?? null;
}
