/**
 * A board's meeting over the page's socket.io connection: joins the meeting room (again after each
 * reconnection, since the server forgets a dropped socket), relays the server's events, and sends
 * meeting messages with their acknowledgement.
 */
import type {
  ClientToServerEvents,
  Locale,
  MeetingPersonalState,
  MeetingReply,
  MeetingUpdate,
  PresenterViewEvent,
} from '@passerelle/shared';
import { acquireSocket } from './workspace-events.js';

/** How long a meeting message may wait for the server's answer before it counts as a network failure. */
const ACK_TIMEOUT_MS = 10_000;

export interface MeetingHandlers {
  onState: (update: MeetingUpdate) => void;
  onPersonal: (state: MeetingPersonalState) => void;
  onView: (event: PresenterViewEvent) => void;
  /** The connection dropped: what is shown may be stale until the next state. */
  onDisconnect?: () => void;
}

/** Messages a client sends (every one but `join`, which the connection sends itself). */
export type MeetingCommand = Exclude<keyof ClientToServerEvents, 'meeting:join'>;

export interface MeetingConnection {
  send<E extends MeetingCommand>(event: E, message: Parameters<ClientToServerEvents[E]>[0]): Promise<MeetingReply<any>>;
  /** Leaves the meeting room and lets go of the socket. */
  close(): void;
}

/** Joins the meeting of `boardId`; `locale` is read at each (re)join, for what the server writes in the person's language. */
export function connectMeeting(boardId: string, locale: () => Locale, handlers: MeetingHandlers): MeetingConnection {
  const { socket, release } = acquireSocket();
  const onState = (update: MeetingUpdate) => {
    if (update.boardId === boardId) handlers.onState(update);
  };
  const onPersonal = (state: MeetingPersonalState) => {
    if (state.boardId === boardId) handlers.onPersonal(state);
  };
  const onView = (event: PresenterViewEvent) => {
    if (event.boardId === boardId) handlers.onView(event);
  };
  const join = () => {
    socket.timeout(ACK_TIMEOUT_MS).emit('meeting:join', { boardId, locale: locale() }, () => {
      // A refused join leaves the meeting bar empty: the board page already reports access problems.
    });
  };
  const onDisconnect = () => handlers.onDisconnect?.();
  socket.on('meeting:state', onState);
  socket.on('meeting:personal', onPersonal);
  socket.on('meeting:view', onView);
  socket.on('connect', join);
  socket.on('disconnect', onDisconnect);
  if (socket.connected) join();

  return {
    async send(event, message) {
      if (!socket.connected) return { ok: false, error: 'internal' };
      try {
        return (await (socket.timeout(ACK_TIMEOUT_MS) as any).emitWithAck(event, message)) as MeetingReply<any>;
      } catch {
        return { ok: false, error: 'internal' };
      }
    },
    close() {
      socket.off('meeting:state', onState);
      socket.off('meeting:personal', onPersonal);
      socket.off('meeting:view', onView);
      socket.off('connect', join);
      socket.off('disconnect', onDisconnect);
      if (socket.connected) socket.emit('meeting:leave', { boardId }, () => {});
      release();
    },
  };
}
