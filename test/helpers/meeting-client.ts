import { io as connectSocketIo, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, MeetingPersonalState, MeetingReply, MeetingUpdate, PresenterView, ServerToClientEvents } from '@passerelle/shared';

export type MeetingSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A socket.io client that keeps every meeting event it receives, in order, as sent on the wire. */
export interface Participant {
  socket: MeetingSocket;
  states: MeetingUpdate[];
  personal: MeetingPersonalState[];
  views: PresenterView[];
  /** Every meeting event, serialised: what this person could have read. */
  wire: string[];
  /** Emits a client event and waits for the server's acknowledgement. */
  send<E extends keyof ClientToServerEvents>(event: E, message: Parameters<ClientToServerEvents[E]>[0]): Promise<MeetingReply<any>>;
  lastState(): MeetingUpdate;
}

/**
 * A meeting participant on `baseUrl`, by API token or session cookie (`passerelle_session=…`, sent
 * from the server's origin as a browser's); acknowledgements are awaited `ackTimeoutMs` at most;
 * `track` receives its cleanup. Resolves once connected.
 */
export async function meetingParticipant(baseUrl: string, credential: string, track: (cleanup: () => void) => void, ackTimeoutMs = 5000): Promise<Participant> {
  const auth = credential.startsWith('passerelle_session=')
    ? { extraHeaders: { cookie: credential, origin: baseUrl } }
    : { auth: { token: credential } };
  const socket: MeetingSocket = connectSocketIo(baseUrl, { transports: ['websocket'], reconnection: false, ...auth });
  track(() => socket.disconnect());
  const result: Participant = {
    socket,
    states: [],
    personal: [],
    views: [],
    wire: [],
    send: (event, message) => (socket.timeout(ackTimeoutMs) as any).emitWithAck(event, message),
    lastState: () => result.states[result.states.length - 1]!,
  };
  socket.on('meeting:state', (update) => {
    result.states.push(update);
    result.wire.push(JSON.stringify(update));
  });
  socket.on('meeting:personal', (state) => {
    result.personal.push(state);
    result.wire.push(JSON.stringify(state));
  });
  socket.on('meeting:view', (event) => {
    result.views.push(event.view);
    result.wire.push(JSON.stringify(event));
  });
  await new Promise<void>((resolve, reject) => {
    socket.on('connect', () => resolve());
    socket.on('connect_error', reject);
  });
  return result;
}
