/**
 * Who attends a board's meeting through this process, and the delivery of the meeting's state to
 * them. Deliveries to one board run one at a time, each reading the state when it starts: the store
 * is linearizable, so each person sees the meeting only ever move forward, whichever process made a
 * change and in whatever order the notices of changes arrive.
 */
import type { Logger } from 'pino';
import { isId, type Locale, type MeetingParticipant, type MeetingPersonalState, type MeetingUpdate } from '@passerelle/shared';
import { z } from 'zod';
import type { Principal } from '../auth/auth-service.js';
import type { BoardMeeting } from './board-meeting.js';
import type { MeetingServer, MeetingSocket } from './meeting-socket.js';
import type { AttendanceRecord, MeetingStateStore } from './meeting-state-store.js';

/**
 * A socket of this process that joined a board's meeting, with who it is and the language it speaks.
 * `principal` names the person (their id never changes); what they may do is read from the socket's
 * current principal (`principalOf`).
 */
export interface Attendee {
  socket: MeetingSocket;
  principal: Principal;
  locale: Locale;
  joinedAt: number;
}

/** Who should get their personal state in a delivery: some people, or everyone. */
export type PersonalRecipients = readonly string[] | 'all';

/** A delivery asked for while another one was under way: it runs next, once for every request. */
interface PendingDelivery {
  personal: Set<string> | 'all';
  done: Promise<void>;
  resolve: () => void;
}

/** What this process holds for one board: its own sockets in the meeting, and their deliveries. */
export interface LocalBoard {
  boardId: string;
  attendees: Map<string, Attendee>;
  /** Whether a meeting ran at the last delivery (every change is delivered here while anyone attends). */
  running: boolean;
  delivering: boolean;
  pending: PendingDelivery | null;
}

/**
 * The server-side event between processes (through the socket.io adapter, only when the store is
 * shared): a board's meeting or its participants changed, and whose personal state too; each
 * process then sends the new state to its own sockets. (Access changes reach every process through
 * live access, `server/src/access/live-access.ts`, which calls `revalidate` on each.)
 */
const MEETING_CHANGED = 'meeting:changed';
const ChangeNotice = z.object({ boardId: z.string().refine(isId), personal: z.union([z.literal('all'), z.array(z.string())]) });
type ChangeNotice = z.infer<typeof ChangeNotice>;

export class MeetingDelivery {
  readonly #io: MeetingServer;
  readonly #state: MeetingStateStore;
  readonly #now: () => number;
  readonly #logger: Logger;
  /** Boards with sockets of this process in their meeting. */
  readonly #boards = new Map<string, LocalBoard>();

  constructor(io: MeetingServer, state: MeetingStateStore, now: () => number, logger: Logger) {
    this.#io = io;
    this.#state = state;
    this.#now = now;
    this.#logger = logger;
    if (state.sharedAcrossProcesses) {
      io.on(MEETING_CHANGED, (notice: unknown) => {
        const parsed = ChangeNotice.safeParse(notice);
        if (parsed.success) void this.#deliver(parsed.data.boardId, parsed.data.personal);
      });
    }
  }

  get(boardId: string): LocalBoard | undefined {
    return this.#boards.get(boardId);
  }

  boards(): LocalBoard[] {
    return [...this.#boards.values()];
  }

  /** The board's local record, made when the first socket of this process joins. */
  localBoard(boardId: string): LocalBoard {
    let board = this.#boards.get(boardId);
    if (!board) {
      board = { boardId, attendees: new Map(), running: false, delivering: false, pending: null };
      this.#boards.set(boardId, board);
    }
    return board;
  }

  /** Forgets a board nobody here attends, once its last delivery is done. */
  forgetIfIdle(board: LocalBoard): void {
    if (board.attendees.size === 0 && !board.delivering && !board.pending && this.#boards.get(board.boardId) === board) {
      this.#boards.delete(board.boardId);
    }
  }

  clear(): void {
    this.#boards.clear();
  }

  /** Meetings running that someone attends through this process, and this process's sockets attending a meeting (read by `GET /metrics`). */
  census(): { running: number; attendees: number } {
    let running = 0;
    let attendees = 0;
    for (const board of this.#boards.values()) {
      if (board.running && board.attendees.size > 0) running += 1;
      attendees += board.attendees.size;
    }
    return { running, attendees };
  }

  /**
   * A board's meeting or participants changed: every process (this one included) sends the
   * current state to its own sockets in the meeting, and `personal` their own state. Resolves once
   * this process's sockets have been sent it, so that a reply never overtakes the state it caused.
   */
  async changed(boardId: string, personal: PersonalRecipients): Promise<void> {
    if (this.#state.sharedAcrossProcesses) {
      const notice: ChangeNotice = { boardId, personal: personal === 'all' ? 'all' : [...personal] };
      this.#io.serverSideEmit(MEETING_CHANGED, notice);
    }
    await this.#deliver(boardId, personal);
  }

  /** Asks for a delivery to this process's sockets of a board; requests made during one are merged into the next. */
  #deliver(boardId: string, personal: PersonalRecipients): Promise<void> {
    const board = this.#boards.get(boardId);
    if (!board) return Promise.resolve();
    if (!board.pending) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      board.pending = { personal: new Set(), done, resolve };
    }
    const pending = board.pending;
    if (personal === 'all') pending.personal = 'all';
    else if (pending.personal !== 'all') for (const id of personal) pending.personal.add(id);
    if (!board.delivering) void this.#runDeliveries(board);
    return pending.done;
  }

  async #runDeliveries(board: LocalBoard): Promise<void> {
    board.delivering = true;
    try {
      while (board.pending) {
        const batch = board.pending;
        board.pending = null;
        try {
          await this.#deliverNow(board, batch.personal);
        } catch (error) {
          // The next change sends the state again; a failed delivery must not fail the message that caused it.
          this.#logger.error({ err: error, boardId: board.boardId }, 'meeting state could not be sent');
        } finally {
          batch.resolve();
        }
      }
    } finally {
      board.delivering = false;
      this.forgetIfIdle(board);
    }
  }

  /**
   * Sends the meeting as it is now to each of this process's sockets in it, and their own state to
   * the people in `personal`: to sockets, never to rooms, so that what one person may see reaches
   * only that person's sockets in this meeting.
   */
  async #deliverNow(board: LocalBoard, personal: Set<string> | 'all'): Promise<void> {
    const { meeting, attendance } = await this.#state.read(board.boardId);
    board.running = meeting !== null;
    const update: MeetingUpdate = {
      boardId: board.boardId,
      meeting: meeting?.publicState(participantsOf(attendance)) ?? null,
      serverNow: this.#now(),
    };
    for (const attendee of board.attendees.values()) {
      attendee.socket.emit('meeting:state', update);
      if (personal === 'all' || personal.has(attendee.principal.id)) {
        attendee.socket.emit('meeting:personal', personalState(board.boardId, meeting, attendee.principal.id));
      }
    }
  }
}

export function attendanceOf(attendee: Attendee): AttendanceRecord {
  const { principal } = attendee;
  return { connectionId: attendee.socket.id, person: { id: principal.id, name: principal.name, kind: principal.kind }, joinedAt: attendee.joinedAt };
}

/** Everyone attending, on any process, once each (a person may have several tabs), in joining order. */
function participantsOf(attendance: AttendanceRecord[]): MeetingParticipant[] {
  const people = new Map<string, MeetingParticipant>();
  const ordered = [...attendance].sort((a, b) => a.joinedAt - b.joinedAt || a.connectionId.localeCompare(b.connectionId));
  for (const { person } of ordered) if (!people.has(person.id)) people.set(person.id, { ...person });
  return [...people.values()];
}

/** What only `personId` may see: their dots in the open round and their unrevealed contributions. */
function personalState(boardId: string, meeting: BoardMeeting | null, personId: string): MeetingPersonalState {
  const round = meeting?.voting?.status === 'open' ? meeting.voting : null;
  return {
    boardId,
    roundId: round?.roundId ?? null,
    votes: round?.votesOf(personId) ?? {},
    remainingVotes: round?.remaining(personId) ?? 0,
    contributions: meeting?.contributionsOf(personId) ?? [],
  };
}
