import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type * as Y from 'yjs';
import {
  BoardDoc,
  can,
  MeetingAgendaCurrent,
  MeetingBoardMessage,
  MeetingCapture,
  MeetingContribute,
  MeetingJoin,
  MeetingPresent,
  MeetingPrivateMode,
  MeetingTimer,
  MeetingVoteCast,
  MeetingVoteRoundMessage,
  MeetingVoteStart,
  MeetingWithdraw,
  meetingRoom,
  isId,
  newId,
  type BoardRole,
  type ClientToServerEvents,
  type Locale,
  type MeetingErrorCode,
  type MeetingParticipant,
  type MeetingPersonalState,
  type MeetingReply,
  type MeetingUpdate,
  type ServerToClientEvents,
} from '@passerelle/shared';
import { z } from 'zod';
import type { BoardAccess } from '../access/board-access.js';
import type { Principal } from '../auth/auth-service.js';
import type { SyncServer } from '../sync/sync-server.js';
import { BoardMeeting, type PendingContribution } from './board-meeting.js';
import { addContributionCards, addCapturedItem, storeVoteRound } from './meeting-records.js';
import {
  MemoryMeetingStateStore,
  type AttendanceRecord,
  type MeetingDraft,
  type MeetingLifetimes,
  type MeetingStateStore,
} from './meeting-state-store.js';
import { VoteLedger } from './vote-ledger.js';

type MeetingServer = Server<ClientToServerEvents, ServerToClientEvents, any, any>;
type MeetingSocket = Socket<ClientToServerEvents, ServerToClientEvents, any, any>;

export interface MeetingDependencies {
  access: BoardAccess;
  sync: SyncServer;
  logger: Logger;
  /**
   * Where meetings are kept (default: this process's memory, for a single process). Several
   * processes serving the same boards pass one shared store (`RedisMeetingStateStore`). The service
   * owns it from then on: `close()` closes it.
   */
  state?: MeetingStateStore;
  /**
   * How long a meeting nobody has open stays running (default 30 minutes): long enough to survive
   * everyone's network dropping at once, short enough that a forgotten meeting does not linger.
   */
  idleMeetingMs?: number;
  /**
   * How often this process tells the store that its attendees are still there (default 10 s, and
   * at most a third of `idleMeetingMs`). An attendance not refreshed for three times this long (its
   * process died) drops out of the participants list, and a meeting nobody refreshes lapses.
   */
  attendanceRefreshMs?: number;
  /** The clock (tests may pass their own). */
  now?: () => number;
  /**
   * The person behind a socket as they are now (`AuthService.currentPrincipal`): read before each
   * message, so that a message is judged by the rights its sender has now (an administrator demoted
   * a moment ago, on any process), not those they had when the socket connected. Without it, the
   * socket's principal is used as it was last refreshed (live access refreshes it on every process).
   */
  currentPrincipal?: (principal: Principal) => Promise<Principal | null>;
}

/** A refused message: the reply's error code. */
class MeetingError extends Error {
  constructor(readonly code: MeetingErrorCode) {
    super(code);
    this.name = 'MeetingError';
  }
}

/**
 * A socket of this process that joined a board's meeting, with who it is and the language it speaks.
 * `principal` names the person (their id never changes); what they may do is read from the socket's
 * current principal (`principalOf`).
 */
interface Attendee {
  socket: MeetingSocket;
  principal: Principal;
  locale: Locale;
  joinedAt: number;
}

/** Who should get their personal state in a delivery: some people, or everyone. */
type PersonalRecipients = readonly string[] | 'all';

/** A delivery asked for while another one was under way: it runs next, once for every request. */
interface PendingDelivery {
  personal: Set<string> | 'all';
  done: Promise<void>;
  resolve: () => void;
}

/**
 * What this process holds for one board: its own sockets in the meeting, and the delivery of the
 * meeting's state to them. Deliveries to one board run one at a time, each reading the state when
 * it starts: the store is linearizable, so each person sees the meeting only ever move forward,
 * whichever process made a change and in whatever order the notices of changes arrive.
 */
interface LocalBoard {
  boardId: string;
  attendees: Map<string, Attendee>;
  /** Whether a meeting ran at the last delivery (every change is delivered here while anyone attends). */
  running: boolean;
  delivering: boolean;
  pending: PendingDelivery | null;
}

/** What a handler gets once the message is valid and the sender's role allows it. */
interface Context<M> {
  socket: MeetingSocket;
  principal: Principal;
  role: BoardRole;
  message: M;
  boardId: string;
}

/** The least role each kind of message needs (checked on every message: roles change). */
type Minimum = 'see' | 'comment' | 'facilitate';
const allows: Record<Minimum, (role: BoardRole | null) => boolean> = {
  see: (role) => role !== null,
  comment: can.comment,
  facilitate: can.facilitate,
};

/**
 * The server-side event between processes (through the socket.io adapter, only when the store is
 * shared): a board's meeting or its participants changed, and whose personal state too; each
 * process then sends the new state to its own sockets. (Access changes reach every process through
 * live access, `server/src/access/live-access.ts`, which calls `revalidate` on each.)
 */
const MEETING_CHANGED = 'meeting:changed';
const ChangeNotice = z.object({ boardId: z.string().refine(isId), personal: z.union([z.literal('all'), z.array(z.string())]) });
type ChangeNotice = z.infer<typeof ChangeNotice>;

/**
 * Live meetings over socket.io. Each handler validates its payload, asks `BoardAccess` for the
 * sender's role on the board the message names (so a guest can only ever reach their own board),
 * then changes the board's meeting in the `MeetingStateStore`, which every process serving the
 * board shares. Votes and private contributions stay in the store until the facilitator reveals
 * them: what everyone receives is `BoardMeeting.publicState`, and a person's own dots and
 * contributions go to that person's sockets only. What must last is written to the board document
 * through `SyncServer.editDocument`, stored before anyone is told.
 */
export class MeetingService {
  readonly #io: MeetingServer;
  readonly #deps: MeetingDependencies;
  readonly #state: MeetingStateStore;
  readonly #now: () => number;
  /** Boards with sockets of this process in their meeting. */
  readonly #boards = new Map<string, LocalBoard>();
  readonly #lifetimes: MeetingLifetimes;
  readonly #refreshTimer: NodeJS.Timeout;
  #refreshing = false;
  /** Messages being handled, which `close` lets finish. */
  readonly #inFlight = new Set<Promise<unknown>>();
  #closing: Promise<void> | null = null;

  constructor(io: MeetingServer, deps: MeetingDependencies) {
    this.#io = io;
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#state = deps.state ?? new MemoryMeetingStateStore();
    const idleMs = deps.idleMeetingMs ?? 30 * 60_000;
    const refreshMs = Math.max(10, Math.min(deps.attendanceRefreshMs ?? 10_000, Math.floor(idleMs / 3)));
    this.#lifetimes = { idleMs, attendanceTtlMs: 3 * refreshMs };
    this.#refreshTimer = setInterval(() => void this.#refreshAttendance(), refreshMs);
    this.#refreshTimer.unref();
    if (this.#state.sharedAcrossProcesses) {
      io.on(MEETING_CHANGED, (notice: unknown) => {
        const parsed = ChangeNotice.safeParse(notice);
        if (parsed.success) void this.#deliver(parsed.data.boardId, parsed.data.personal);
      });
    }
  }

  /** Whether a meeting runs on a board (for tests and diagnostics). */
  async isRunning(boardId: string): Promise<boolean> {
    return (await this.#state.read(boardId)).meeting !== null;
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

  /** Listens to one connected socket's meeting messages. */
  attach(socket: MeetingSocket): void {
    this.#handle(socket, 'meeting:join', MeetingJoin, 'see', (ctx) => this.#join(ctx));
    this.#handle(socket, 'meeting:leave', MeetingBoardMessage, 'see', (ctx) => this.#leave(ctx.boardId, ctx.socket));
    this.#handle(socket, 'meeting:start', MeetingBoardMessage, 'facilitate', (ctx) => this.#start(ctx));
    this.#handle(socket, 'meeting:end', MeetingBoardMessage, 'facilitate', (ctx) => this.#end(ctx));
    this.#handle(socket, 'meeting:take-over', MeetingBoardMessage, 'facilitate', (ctx) => this.#takeOver(ctx));
    this.#handle(socket, 'meeting:present', MeetingPresent, 'facilitate', (ctx) => this.#present(ctx));
    this.#handle(socket, 'meeting:timer', MeetingTimer, 'facilitate', (ctx) => this.#timer(ctx));
    this.#handle(socket, 'meeting:agenda', MeetingAgendaCurrent, 'facilitate', (ctx) => this.#agenda(ctx));
    this.#handle(socket, 'meeting:vote:start', MeetingVoteStart, 'facilitate', (ctx) => this.#startVote(ctx));
    this.#handle(socket, 'meeting:vote', MeetingVoteCast, 'comment', (ctx) => this.#vote(ctx));
    this.#handle(socket, 'meeting:vote:reveal', MeetingVoteRoundMessage, 'facilitate', (ctx) => this.#revealVotes(ctx));
    this.#handle(socket, 'meeting:vote:cancel', MeetingVoteRoundMessage, 'facilitate', (ctx) => this.#closeVote(ctx));
    this.#handle(socket, 'meeting:private', MeetingPrivateMode, 'facilitate', (ctx) => this.#privateMode(ctx));
    this.#handle(socket, 'meeting:contribute', MeetingContribute, 'comment', (ctx) => this.#contribute(ctx));
    this.#handle(socket, 'meeting:contribution:withdraw', MeetingWithdraw, 'comment', (ctx) => this.#withdraw(ctx));
    this.#handle(socket, 'meeting:private:reveal', MeetingBoardMessage, 'facilitate', (ctx) => this.#revealContributions(ctx));
    this.#handle(socket, 'meeting:capture', MeetingCapture, 'facilitate', (ctx) => this.#capture(ctx));
    socket.on('disconnect', () => {
      if (this.#closing) return;
      for (const board of [...this.#boards.values()]) {
        if (!board.attendees.has(socket.id)) continue;
        this.#track(this.#leave(board.boardId, socket)).catch((error: unknown) =>
          this.#deps.logger.warn({ err: error, boardId: board.boardId }, 'meeting attendee could not be removed'),
        );
      }
    });
  }

  /**
   * Stops (server shutdown): lets messages under way finish, removes this process's attendees from
   * the store (other processes stop listing them at once, rather than when their attendance lapses)
   * and closes the store. Meetings themselves stay for the processes that remain. Never rejects.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#refreshTimer);
      await Promise.allSettled([...this.#inFlight]);
      await Promise.allSettled(
        [...this.#boards.values()].map((board) => this.#state.leave(board.boardId, [...board.attendees.keys()], this.#lifetimes)),
      );
      this.#boards.clear();
      await this.#state.close().catch((error: unknown) => this.#deps.logger.warn({ err: error }, 'meeting state store did not close cleanly'));
    })();
    return this.#closing;
  }

  #handle<S extends z.ZodType<{ boardId: string }>>(
    socket: MeetingSocket,
    event: keyof ClientToServerEvents,
    schema: S,
    minimum: Minimum,
    handler: (ctx: Context<z.infer<S>>) => unknown,
  ): void {
    const listener = async (payload: unknown, ack: unknown) => {
      const reply = (value: MeetingReply<unknown>) => {
        if (typeof ack === 'function') ack(value);
      };
      try {
        if (this.#closing) throw new MeetingError('internal');
        const parsed = schema.safeParse(payload);
        if (!parsed.success) throw new MeetingError('invalid_request');
        const message = parsed.data;
        const principal = await this.#currentPrincipal(socket);
        if (!principal) throw new MeetingError('forbidden');
        const role = await this.#deps.access.roleOf(principal, message.boardId);
        if (!allows[minimum](role) || role === null) throw new MeetingError('forbidden');
        const value = await handler({ socket, principal, role, message, boardId: message.boardId });
        reply(value === undefined ? { ok: true } : { ok: true, value });
      } catch (error) {
        if (error instanceof MeetingError) {
          reply({ ok: false, error: error.code });
        } else {
          this.#deps.logger.error({ err: error, event }, 'meeting message failed');
          reply({ ok: false, error: 'internal' });
        }
      }
    };
    (socket as unknown as { on(event: string, listener: (...args: unknown[]) => void): void }).on(event, (payload, ack) => {
      void this.#track(listener(payload, ack));
    });
  }

  /**
   * The socket's principal as it is now; kept on the socket, so that what is sent to it (lists of
   * boards) follows too. Null when the person may no longer be connected (their socket is being ended).
   */
  async #currentPrincipal(socket: MeetingSocket): Promise<Principal | null> {
    const held = principalOf(socket);
    if (!held || !this.#deps.currentPrincipal) return held;
    const current = await this.#deps.currentPrincipal(held);
    if (current && principalOf(socket) === held) (socket.data as { principal?: Principal }).principal = current;
    return current;
  }

  /** Remembers a promise until it settles, so that `close` can wait for it. */
  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    void promise.then(
      () => this.#inFlight.delete(promise),
      () => this.#inFlight.delete(promise),
    );
    return promise;
  }

  // ---- Joining and leaving --------------------------------------------------------------------

  async #join(ctx: Context<z.infer<typeof MeetingJoin>>): Promise<void> {
    const { boardId, socket, principal } = ctx;
    const board = this.#localBoard(boardId);
    const attendee: Attendee = { socket, principal, locale: ctx.message.locale, joinedAt: board.attendees.get(socket.id)?.joinedAt ?? Date.now() };
    board.attendees.set(socket.id, attendee);
    await socket.join(meetingRoom(boardId));
    try {
      await this.#state.attend(boardId, [attendanceOf(attendee)], this.#lifetimes);
    } catch (error) {
      // Not attending anywhere rather than here only: the person can try again.
      board.attendees.delete(socket.id);
      void socket.leave(meetingRoom(boardId));
      this.#forgetIfIdle(board);
      throw error;
    }
    await this.#changed(boardId, [principal.id]);
  }

  async #leave(boardId: string, socket: MeetingSocket): Promise<void> {
    const board = this.#boards.get(boardId);
    if (!board?.attendees.delete(socket.id)) return;
    void socket.leave(meetingRoom(boardId));
    this.#forgetIfIdle(board);
    await this.#state.leave(boardId, [socket.id], this.#lifetimes);
    await this.#changed(boardId, []);
  }

  /**
   * Re-checks who may attend a board's meeting after its access settings changed, among this
   * process's attendees (live access calls it on every process): an attendee who can no longer see
   * the board is removed from it and hears nothing more of it.
   */
  async revalidate(boardId: string): Promise<void> {
    const board = this.#boards.get(boardId);
    if (!board) return;
    for (const attendee of [...board.attendees.values()]) await this.#revalidateAttendee(boardId, attendee);
  }

  /**
   * Re-checks the meetings one person attends on this process after their administrator role or
   * departments changed (live access calls it on every process, once their sockets hold who they
   * are now): a meeting of a board they can no longer see goes on without them.
   */
  async revalidatePerson(userId: string): Promise<void> {
    for (const board of [...this.#boards.values()]) {
      for (const attendee of [...board.attendees.values()]) {
        if (attendee.principal.id === userId) await this.#revalidateAttendee(board.boardId, attendee);
      }
    }
  }

  async #revalidateAttendee(boardId: string, attendee: Attendee): Promise<void> {
    const principal = principalOf(attendee.socket);
    const role = principal ? await this.#deps.access.roleOf(principal, boardId) : null;
    if (role === null) await this.#leave(boardId, attendee.socket);
  }

  /**
   * Refreshes this process's attendances (and so keeps their meetings from lapsing); when the store
   * dropped lapsed ones on the way (a process died), everyone hears the new participants list.
   */
  async #refreshAttendance(): Promise<void> {
    if (this.#refreshing || this.#closing) return;
    this.#refreshing = true;
    try {
      for (const board of [...this.#boards.values()]) {
        if (board.attendees.size === 0) continue;
        try {
          const dropped = await this.#state.attend(board.boardId, [...board.attendees.values()].map(attendanceOf), this.#lifetimes);
          if (dropped > 0) await this.#changed(board.boardId, []);
        } catch (error) {
          this.#deps.logger.warn({ err: error, boardId: board.boardId }, 'meeting attendance could not be refreshed');
        }
      }
    } finally {
      this.#refreshing = false;
    }
  }

  // ---- Facilitation ---------------------------------------------------------------------------

  async #start(ctx: Context<z.infer<typeof MeetingBoardMessage>>): Promise<void> {
    await this.#update(ctx.boardId, (draft) => {
      if (draft.meeting) throw new MeetingError('conflict');
      draft.meeting = new BoardMeeting({ id: ctx.principal.id, name: ctx.principal.name }, this.#now());
    });
    await this.#changed(ctx.boardId, []);
  }

  /** The facilitator ends the meeting; when they are gone, any editor may. Unrevealed votes and contributions are dropped. */
  async #end(ctx: Context<z.infer<typeof MeetingBoardMessage>>): Promise<void> {
    const { attendance } = await this.#state.read(ctx.boardId);
    await this.#update(ctx.boardId, (draft) => {
      const meeting = running(draft);
      const facilitatorPresent = attendance.some((a) => a.person.id === meeting.facilitator.id);
      if (meeting.facilitator.id !== ctx.principal.id && facilitatorPresent) throw new MeetingError('conflict');
      draft.meeting = null;
    });
    await this.#changed(ctx.boardId, 'all');
  }

  /** Any editor may take the facilitation over, whether or not the facilitator is still there. */
  async #takeOver(ctx: Context<z.infer<typeof MeetingBoardMessage>>): Promise<void> {
    await this.#update(ctx.boardId, (draft) => {
      running(draft).facilitator = { id: ctx.principal.id, name: ctx.principal.name };
    });
    await this.#changed(ctx.boardId, []);
  }

  async #present(ctx: Context<z.infer<typeof MeetingPresent>>): Promise<void> {
    await this.#update(ctx.boardId, (draft) => {
      facilitated(draft, ctx.principal).presenterView = ctx.message.view;
    });
    // Followers only need the view; the full state would be resent at scroll rate otherwise. The
    // room spans processes (socket.io adapter); the stored view is for people who join later.
    ctx.socket.to(meetingRoom(ctx.boardId)).emit('meeting:view', { boardId: ctx.boardId, view: ctx.message.view });
  }

  async #timer(ctx: Context<z.infer<typeof MeetingTimer>>): Promise<void> {
    await this.#update(ctx.boardId, (draft) => facilitated(draft, ctx.principal).applyTimer(ctx.message.command, this.#now()));
    await this.#changed(ctx.boardId, []);
  }

  async #agenda(ctx: Context<z.infer<typeof MeetingAgendaCurrent>>): Promise<void> {
    const board = this.#liveBoard(ctx.boardId);
    const { itemId, startTimer } = ctx.message;
    await this.#update(ctx.boardId, (draft) => {
      const meeting = facilitated(draft, ctx.principal);
      if (itemId !== null) {
        const item = board?.agenda.get(itemId);
        if (board && !item) throw new MeetingError('not_found');
        if (item && startTimer) meeting.applyTimer({ action: 'start', seconds: item.minutes * 60 }, this.#now());
      }
      meeting.currentAgendaItemId = itemId;
    });
    await this.#changed(ctx.boardId, []);
  }

  // ---- Dot voting -----------------------------------------------------------------------------

  async #startVote(ctx: Context<z.infer<typeof MeetingVoteStart>>): Promise<{ roundId: string }> {
    const board = this.#liveBoard(ctx.boardId);
    const { limit, maxPerCard, anonymous } = ctx.message;
    const roundId = await this.#update(ctx.boardId, (draft) => {
      const meeting = facilitated(draft, ctx.principal);
      if (meeting.voting?.status === 'open') throw new MeetingError('conflict');
      const current = meeting.currentAgendaItemId ? board?.agenda.get(meeting.currentAgendaItemId) : undefined;
      meeting.voting = new VoteLedger({ roundId: newId(), limit, maxPerCard, anonymous, label: current?.title ?? '' });
      return meeting.voting.roundId;
    });
    await this.#changed(ctx.boardId, 'all');
    return { roundId };
  }

  async #vote(ctx: Context<z.infer<typeof MeetingVoteCast>>): Promise<void> {
    const board = this.#liveBoard(ctx.boardId);
    const { roundId, cardId, delta } = ctx.message;
    await this.#update(ctx.boardId, (draft) => {
      const meeting = running(draft);
      this.#requireAttendee(ctx);
      const round = meeting.voting;
      if (!round || round.roundId !== roundId) throw new MeetingError('not_found');
      if (round.status !== 'open') throw new MeetingError('conflict');
      if (board && !board.getCard(cardId)) throw new MeetingError('not_found');
      const refusal = round.cast({ id: ctx.principal.id, name: ctx.principal.name }, cardId, delta);
      if (refusal) throw new MeetingError(refusal);
    });
    await this.#changed(ctx.boardId, [ctx.principal.id]);
  }

  async #revealVotes(ctx: Context<z.infer<typeof MeetingVoteRoundMessage>>): Promise<void> {
    const { boardId } = ctx;
    const { roundId } = ctx.message;
    // Closed before the write so that no dot lands between the tally and the reveal, on any process.
    const { round, meetingId } = await this.#update(boardId, (draft) => {
      const meeting = facilitated(draft, ctx.principal);
      const voting = meeting.voting;
      if (!voting || voting.roundId !== roundId) throw new MeetingError('not_found');
      if (voting.status !== 'open') throw new MeetingError('conflict');
      voting.status = 'revealed';
      return { round: voting, meetingId: meeting.meetingId };
    });
    let results;
    try {
      results = await this.#deps.sync.editDocument(
        boardId,
        (doc) => storeVoteRound(new BoardDoc(doc), round, { meetingId, revealedBy: ctx.principal.name, now: this.#now() }),
        this.#actor(ctx.principal),
      );
    } catch (error) {
      await this.#update(boardId, (draft) => {
        const voting = draft.meeting?.voting;
        if (voting?.roundId === roundId && voting.status === 'revealed' && voting.results === null) voting.status = 'open';
      }).catch((reopenError: unknown) => this.#deps.logger.error({ err: reopenError, boardId }, 'vote round could not be reopened'));
      throw error;
    }
    await this.#update(boardId, (draft) => {
      const voting = draft.meeting?.voting;
      if (voting?.roundId === roundId) voting.results = results;
    });
    await this.#changed(boardId, 'all');
  }

  /** Cancels an open round (its dots are dropped) or puts away a revealed one. */
  async #closeVote(ctx: Context<z.infer<typeof MeetingVoteRoundMessage>>): Promise<void> {
    await this.#update(ctx.boardId, (draft) => {
      const meeting = facilitated(draft, ctx.principal);
      if (meeting.voting?.roundId !== ctx.message.roundId) throw new MeetingError('not_found');
      meeting.voting = null;
    });
    await this.#changed(ctx.boardId, 'all');
  }

  // ---- Private mode ---------------------------------------------------------------------------

  async #privateMode(ctx: Context<z.infer<typeof MeetingPrivateMode>>): Promise<void> {
    await this.#update(ctx.boardId, (draft) => {
      facilitated(draft, ctx.principal).privateMode = ctx.message.enabled;
    });
    await this.#changed(ctx.boardId, []);
  }

  async #contribute(ctx: Context<z.infer<typeof MeetingContribute>>): Promise<{ contributionId: string }> {
    const board = this.#liveBoard(ctx.boardId);
    const { columnId, title, description } = ctx.message;
    const contributionId = await this.#update(ctx.boardId, (draft) => {
      const meeting = running(draft);
      this.#requireAttendee(ctx);
      if (!meeting.privateMode) throw new MeetingError('conflict');
      if (board && !board.columns.has(columnId)) throw new MeetingError('not_found');
      return meeting.contribute({ id: ctx.principal.id, name: ctx.principal.name }, { columnId, title, description });
    });
    await this.#changed(ctx.boardId, [ctx.principal.id]);
    return { contributionId };
  }

  async #withdraw(ctx: Context<z.infer<typeof MeetingWithdraw>>): Promise<void> {
    await this.#update(ctx.boardId, (draft) => {
      if (!running(draft).withdraw(ctx.principal.id, ctx.message.contributionId)) throw new MeetingError('not_found');
    });
    await this.#changed(ctx.boardId, [ctx.principal.id]);
  }

  /** Every pending contribution becomes a card, written on its author's behalf; private mode ends. */
  async #revealContributions(ctx: Context<z.infer<typeof MeetingBoardMessage>>): Promise<{ cardIds: string[] }> {
    const { boardId } = ctx;
    const locale = this.#localeOf(ctx);
    // Taken out of the store first, so that a reveal on another process cannot write them twice.
    const { meetingId, pending } = await this.#update(boardId, (draft) => {
      const meeting = facilitated(draft, ctx.principal);
      const taken = meeting.takeContributions();
      meeting.privateMode = false;
      return { meetingId: meeting.meetingId, pending: taken };
    });
    const cardIds: string[] = [];
    const byAuthor = new Map<string, PendingContribution[]>();
    for (const contribution of pending) byAuthor.set(contribution.authorId, [...(byAuthor.get(contribution.authorId) ?? []), contribution]);
    const written = new Set<string>();
    try {
      for (const contributions of byAuthor.values()) {
        const author = { id: contributions[0].authorId, name: contributions[0].authorName };
        const created = await this.#deps.sync.editDocument(boardId, (doc) => addContributionCards(new BoardDoc(doc), contributions, locale), author);
        cardIds.push(...created);
        for (const contribution of contributions) written.add(contribution.id);
      }
    } catch (error) {
      // What was not written waits for the next reveal rather than being lost.
      const unwritten = pending.filter((c) => !written.has(c.id));
      await this.#update(boardId, (draft) => {
        if (draft.meeting?.meetingId === meetingId) draft.meeting.contributions.unshift(...unwritten);
      }).catch((restoreError: unknown) => this.#deps.logger.error({ err: restoreError, boardId }, 'unwritten contributions could not be kept'));
      throw error;
    } finally {
      await this.#changed(boardId, 'all');
    }
    return { cardIds };
  }

  // ---- Decisions and action items -------------------------------------------------------------

  /** Any editor may capture (a note-taker as well as the facilitator) while the meeting runs. */
  async #capture(ctx: Context<z.infer<typeof MeetingCapture>>): Promise<{ cardId: string; actionId: string | null }> {
    const meeting = (await this.#state.read(ctx.boardId)).meeting;
    if (!meeting) throw new MeetingError('not_found');
    const item = ctx.message.item;
    const locale = this.#localeOf(ctx);
    return this.#deps.sync.editDocument(
      ctx.boardId,
      (doc: Y.Doc) => addCapturedItem(new BoardDoc(doc), item, { meetingId: meeting.meetingId, startedAt: meeting.startedAt, locale, capturedBy: ctx.principal.id }),
      this.#actor(ctx.principal),
    );
  }

  // ---- Helpers --------------------------------------------------------------------------------

  #update<T>(boardId: string, change: (draft: MeetingDraft) => T): Promise<T> {
    return this.#state.update(boardId, change, this.#lifetimes);
  }

  #localBoard(boardId: string): LocalBoard {
    let board = this.#boards.get(boardId);
    if (!board) {
      board = { boardId, attendees: new Map(), running: false, delivering: false, pending: null };
      this.#boards.set(boardId, board);
    }
    return board;
  }

  /** Forgets a board nobody here attends, once its last delivery is done. */
  #forgetIfIdle(board: LocalBoard): void {
    if (board.attendees.size === 0 && !board.delivering && !board.pending && this.#boards.get(board.boardId) === board) {
      this.#boards.delete(board.boardId);
    }
  }

  /** Votes and contributions come from sockets in the meeting, which receive their own state back. */
  #requireAttendee(ctx: Context<unknown>): void {
    if (!this.#boards.get(ctx.boardId)?.attendees.has(ctx.socket.id)) throw new MeetingError('conflict');
  }

  #localeOf(ctx: Context<unknown>): Locale {
    return this.#boards.get(ctx.boardId)?.attendees.get(ctx.socket.id)?.locale ?? (ctx.principal.kind === 'member' ? ctx.principal.user.locale : null) ?? 'fr';
  }

  /** The board's live document when it is loaded in this process (it is while anyone has it open here), for checks. */
  #liveBoard(boardId: string): BoardDoc | undefined {
    const doc = this.#deps.sync.documentOf(boardId);
    return doc ? new BoardDoc(doc) : undefined;
  }

  #actor(principal: Principal): { id: string; name: string } {
    return { id: principal.id, name: principal.name };
  }

  /**
   * A board's meeting or participants changed: every process (this one included) sends the
   * current state to its own sockets in the meeting, and `personal` their own state. Resolves once
   * this process's sockets have been sent it, so that a reply never overtakes the state it caused.
   */
  async #changed(boardId: string, personal: PersonalRecipients): Promise<void> {
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
          this.#deps.logger.error({ err: error, boardId: board.boardId }, 'meeting state could not be sent');
        } finally {
          batch.resolve();
        }
      }
    } finally {
      board.delivering = false;
      this.#forgetIfIdle(board);
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

/** Who a socket's connection is now (set at connection, refreshed when their access changes). */
function principalOf(socket: MeetingSocket): Principal | null {
  return (socket.data as { principal?: Principal } | undefined)?.principal ?? null;
}

/** The running meeting of a draft. */
function running(draft: MeetingDraft): BoardMeeting {
  if (!draft.meeting) throw new MeetingError('not_found');
  return draft.meeting;
}

/** The running meeting, when `principal` is its facilitator. */
function facilitated(draft: MeetingDraft, principal: Principal): BoardMeeting {
  const meeting = running(draft);
  if (meeting.facilitator.id !== principal.id) throw new MeetingError('conflict');
  return meeting;
}

function attendanceOf(attendee: Attendee): AttendanceRecord {
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

/** Handles meeting messages on every socket.io connection; the auth middleware must have set `socket.data.principal`. */
export function registerMeetings(io: MeetingServer, deps: MeetingDependencies): MeetingService {
  const service = new MeetingService(io, deps);
  io.on('connection', (socket) => service.attach(socket));
  return service;
}
