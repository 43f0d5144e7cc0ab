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
import type { z } from 'zod';
import type { BoardAccess } from '../access/board-access.js';
import type { Principal } from '../auth/auth-service.js';
import type { SyncServer } from '../sync/sync-server.js';
import { BoardMeeting, type PendingContribution } from './board-meeting.js';
import { addContributionCards, addCapturedItem, storeVoteRound } from './meeting-records.js';
import { VoteLedger } from './vote-ledger.js';

type MeetingServer = Server<ClientToServerEvents, ServerToClientEvents, any, any>;
type MeetingSocket = Socket<ClientToServerEvents, ServerToClientEvents, any, any>;

export interface MeetingDependencies {
  access: BoardAccess;
  sync: SyncServer;
  logger: Logger;
  /**
   * How long a meeting nobody has open stays running (default 30 minutes): long enough to survive
   * everyone's network dropping at once, short enough that a forgotten meeting does not linger.
   */
  idleMeetingMs?: number;
  /** The clock (tests may pass their own). */
  now?: () => number;
}

/** A refused message: the reply's error code. */
class MeetingError extends Error {
  constructor(readonly code: MeetingErrorCode) {
    super(code);
    this.name = 'MeetingError';
  }
}

/** A socket that joined a board's meeting, with who it is and the language it speaks. */
interface Attendee {
  socket: MeetingSocket;
  principal: Principal;
  locale: Locale;
}

/** Everything the server holds for one board: who follows it and its meeting, if one runs. */
interface BoardEntry {
  boardId: string;
  attendees: Map<string, Attendee>;
  meeting: BoardMeeting | null;
  idleTimer: NodeJS.Timeout | null;
}

/** What a handler gets once the message is valid and the sender's role allows it. */
interface Context<M> {
  socket: MeetingSocket;
  principal: Principal;
  role: BoardRole;
  message: M;
  entry: BoardEntry;
}

/** The least role each kind of message needs (checked on every message: roles change). */
type Minimum = 'see' | 'comment' | 'facilitate';
const allows: Record<Minimum, (role: BoardRole | null) => boolean> = {
  see: (role) => role !== null,
  comment: can.comment,
  facilitate: can.facilitate,
};

/**
 * Live meetings over socket.io. Each handler validates its payload, asks `BoardAccess` for the
 * sender's role on the board the message names (so a guest can only ever reach their own board),
 * then acts on the board's in-memory meeting. Votes and private contributions stay on the server
 * until the facilitator reveals them; what must last is written to the board document through
 * `SyncServer.editDocument`, stored before anyone is told.
 */
export class MeetingService {
  readonly #io: MeetingServer;
  readonly #deps: MeetingDependencies;
  readonly #boards = new Map<string, BoardEntry>();
  readonly #now: () => number;

  constructor(io: MeetingServer, deps: MeetingDependencies) {
    this.#io = io;
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Whether a meeting runs on a board (for tests and diagnostics). */
  isRunning(boardId: string): boolean {
    return this.#boards.get(boardId)?.meeting != null;
  }

  /** Listens to one connected socket's meeting messages. */
  attach(socket: MeetingSocket): void {
    this.#handle(socket, 'meeting:join', MeetingJoin, 'see', (ctx) => this.#join(ctx));
    this.#handle(socket, 'meeting:leave', MeetingBoardMessage, 'see', (ctx) => this.#leave(ctx.entry, ctx.socket));
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
      for (const entry of [...this.#boards.values()]) if (entry.attendees.has(socket.id)) this.#leave(entry, socket);
    });
  }

  /**
   * Re-checks who may attend a board's meeting after its access settings changed: an attendee who
   * can no longer see the board is removed from it and hears nothing more of it.
   */
  async revalidate(boardId: string): Promise<void> {
    const entry = this.#boards.get(boardId);
    if (!entry) return;
    for (const attendee of [...entry.attendees.values()]) {
      const role = await this.#deps.access.roleOf(attendee.principal, boardId);
      if (role === null) this.#leave(entry, attendee.socket);
    }
  }

  /** Ends every meeting and its timers (server shutdown). */
  close(): void {
    for (const entry of this.#boards.values()) if (entry.idleTimer) clearTimeout(entry.idleTimer);
    this.#boards.clear();
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
        const parsed = schema.safeParse(payload);
        if (!parsed.success) throw new MeetingError('invalid_request');
        const message = parsed.data;
        const principal = (socket.data as { principal?: Principal } | undefined)?.principal;
        if (!principal) throw new MeetingError('forbidden');
        const role = await this.#deps.access.roleOf(principal, message.boardId);
        if (!allows[minimum](role) || role === null) throw new MeetingError('forbidden');
        const entry = this.#entry(message.boardId);
        const value = await handler({ socket, principal, role, message, entry });
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
    (socket as unknown as { on(event: string, listener: (...args: unknown[]) => void): void }).on(event, listener);
  }

  #entry(boardId: string): BoardEntry {
    let entry = this.#boards.get(boardId);
    if (!entry) {
      entry = { boardId, attendees: new Map(), meeting: null, idleTimer: null };
      this.#boards.set(boardId, entry);
    }
    return entry;
  }

  // ---- Joining and leaving --------------------------------------------------------------------

  async #join(ctx: Context<z.infer<typeof MeetingJoin>>): Promise<void> {
    const { entry, socket } = ctx;
    entry.attendees.set(socket.id, { socket, principal: ctx.principal, locale: ctx.message.locale });
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = null;
    await socket.join(meetingRoom(entry.boardId));
    this.#broadcast(entry);
    this.#sendPersonal(entry, ctx.principal.id);
  }

  #leave(entry: BoardEntry, socket: MeetingSocket): void {
    if (!entry.attendees.delete(socket.id)) return;
    void socket.leave(meetingRoom(entry.boardId));
    if (entry.attendees.size > 0) {
      this.#broadcast(entry);
      return;
    }
    if (!entry.meeting) {
      this.#boards.delete(entry.boardId);
      return;
    }
    // Nobody is left: the meeting waits a while for people to come back, then ends.
    entry.idleTimer = setTimeout(() => {
      if (entry.attendees.size === 0) this.#boards.delete(entry.boardId);
    }, this.#deps.idleMeetingMs ?? 30 * 60_000);
    entry.idleTimer.unref();
  }

  // ---- Facilitation ---------------------------------------------------------------------------

  #start(ctx: Context<z.infer<typeof MeetingBoardMessage>>): void {
    if (ctx.entry.meeting) throw new MeetingError('conflict');
    ctx.entry.meeting = new BoardMeeting({ id: ctx.principal.id, name: ctx.principal.name }, this.#now());
    this.#broadcast(ctx.entry);
  }

  /** The facilitator ends the meeting; when they are gone, any editor may. Unrevealed votes and contributions are dropped. */
  #end(ctx: Context<z.infer<typeof MeetingBoardMessage>>): void {
    const meeting = this.#running(ctx.entry);
    if (meeting.facilitator.id !== ctx.principal.id && this.#isPresent(ctx.entry, meeting.facilitator.id)) throw new MeetingError('conflict');
    ctx.entry.meeting = null;
    this.#broadcast(ctx.entry);
    this.#sendPersonalToAll(ctx.entry);
  }

  /** Any editor may take the facilitation over, whether or not the facilitator is still there. */
  #takeOver(ctx: Context<z.infer<typeof MeetingBoardMessage>>): void {
    const meeting = this.#running(ctx.entry);
    meeting.facilitator = { id: ctx.principal.id, name: ctx.principal.name };
    this.#broadcast(ctx.entry);
  }

  #present(ctx: Context<z.infer<typeof MeetingPresent>>): void {
    const meeting = this.#facilitated(ctx);
    meeting.presenterView = ctx.message.view;
    // Followers only need the view; the full state would be resent at scroll rate otherwise.
    ctx.socket.to(meetingRoom(ctx.entry.boardId)).emit('meeting:view', { boardId: ctx.entry.boardId, view: ctx.message.view });
  }

  #timer(ctx: Context<z.infer<typeof MeetingTimer>>): void {
    this.#facilitated(ctx).applyTimer(ctx.message.command, this.#now());
    this.#broadcast(ctx.entry);
  }

  #agenda(ctx: Context<z.infer<typeof MeetingAgendaCurrent>>): void {
    const meeting = this.#facilitated(ctx);
    const { itemId, startTimer } = ctx.message;
    if (itemId !== null) {
      const board = this.#liveBoard(ctx.entry.boardId);
      const item = board?.agenda.get(itemId);
      if (board && !item) throw new MeetingError('not_found');
      if (item && startTimer) meeting.applyTimer({ action: 'start', seconds: item.minutes * 60 }, this.#now());
    }
    meeting.currentAgendaItemId = itemId;
    this.#broadcast(ctx.entry);
  }

  // ---- Dot voting -----------------------------------------------------------------------------

  #startVote(ctx: Context<z.infer<typeof MeetingVoteStart>>): { roundId: string } {
    const meeting = this.#facilitated(ctx);
    if (meeting.voting?.status === 'open') throw new MeetingError('conflict');
    const current = meeting.currentAgendaItemId ? this.#liveBoard(ctx.entry.boardId)?.agenda.get(meeting.currentAgendaItemId) : undefined;
    const { limit, maxPerCard, anonymous } = ctx.message;
    meeting.voting = new VoteLedger({ roundId: newId(), limit, maxPerCard, anonymous, label: current?.title ?? '' });
    this.#broadcast(ctx.entry);
    this.#sendPersonalToAll(ctx.entry);
    return { roundId: meeting.voting.roundId };
  }

  #vote(ctx: Context<z.infer<typeof MeetingVoteCast>>): void {
    const meeting = this.#running(ctx.entry);
    this.#requireAttendee(ctx);
    const round = meeting.voting;
    if (!round || round.roundId !== ctx.message.roundId) throw new MeetingError('not_found');
    if (round.status !== 'open') throw new MeetingError('conflict');
    const board = this.#liveBoard(ctx.entry.boardId);
    if (board && !board.getCard(ctx.message.cardId)) throw new MeetingError('not_found');
    const refusal = round.cast({ id: ctx.principal.id, name: ctx.principal.name }, ctx.message.cardId, ctx.message.delta);
    if (refusal) throw new MeetingError(refusal);
    this.#sendPersonal(ctx.entry, ctx.principal.id);
    this.#broadcast(ctx.entry);
  }

  async #revealVotes(ctx: Context<z.infer<typeof MeetingVoteRoundMessage>>): Promise<void> {
    const meeting = this.#facilitated(ctx);
    const round = meeting.voting;
    if (!round || round.roundId !== ctx.message.roundId) throw new MeetingError('not_found');
    if (round.status !== 'open') throw new MeetingError('conflict');
    // Closed before the write so that no dot lands between the tally and the reveal.
    round.status = 'revealed';
    try {
      round.results = await this.#deps.sync.editDocument(
        ctx.entry.boardId,
        (doc) => storeVoteRound(new BoardDoc(doc), round, { meetingId: meeting.meetingId, revealedBy: ctx.principal.name, now: this.#now() }),
        this.#actor(ctx.principal),
      );
    } catch (error) {
      round.status = 'open';
      throw error;
    }
    this.#broadcast(ctx.entry);
    this.#sendPersonalToAll(ctx.entry);
  }

  /** Cancels an open round (its dots are dropped) or puts away a revealed one. */
  #closeVote(ctx: Context<z.infer<typeof MeetingVoteRoundMessage>>): void {
    const meeting = this.#facilitated(ctx);
    if (meeting.voting?.roundId !== ctx.message.roundId) throw new MeetingError('not_found');
    meeting.voting = null;
    this.#broadcast(ctx.entry);
    this.#sendPersonalToAll(ctx.entry);
  }

  // ---- Private mode ---------------------------------------------------------------------------

  #privateMode(ctx: Context<z.infer<typeof MeetingPrivateMode>>): void {
    this.#facilitated(ctx).privateMode = ctx.message.enabled;
    this.#broadcast(ctx.entry);
  }

  #contribute(ctx: Context<z.infer<typeof MeetingContribute>>): { contributionId: string } {
    const meeting = this.#running(ctx.entry);
    this.#requireAttendee(ctx);
    if (!meeting.privateMode) throw new MeetingError('conflict');
    const board = this.#liveBoard(ctx.entry.boardId);
    if (board && !board.columns.has(ctx.message.columnId)) throw new MeetingError('not_found');
    const { columnId, title, description } = ctx.message;
    const contributionId = meeting.contribute({ id: ctx.principal.id, name: ctx.principal.name }, { columnId, title, description });
    this.#sendPersonal(ctx.entry, ctx.principal.id);
    this.#broadcast(ctx.entry);
    return { contributionId };
  }

  #withdraw(ctx: Context<z.infer<typeof MeetingWithdraw>>): void {
    const meeting = this.#running(ctx.entry);
    if (!meeting.withdraw(ctx.principal.id, ctx.message.contributionId)) throw new MeetingError('not_found');
    this.#sendPersonal(ctx.entry, ctx.principal.id);
    this.#broadcast(ctx.entry);
  }

  /** Every pending contribution becomes a card, written on its author's behalf; private mode ends. */
  async #revealContributions(ctx: Context<z.infer<typeof MeetingBoardMessage>>): Promise<{ cardIds: string[] }> {
    const meeting = this.#facilitated(ctx);
    const pending = meeting.takeContributions();
    meeting.privateMode = false;
    const locale = this.#localeOf(ctx);
    const cardIds: string[] = [];
    const byAuthor = new Map<string, PendingContribution[]>();
    for (const contribution of pending) byAuthor.set(contribution.authorId, [...(byAuthor.get(contribution.authorId) ?? []), contribution]);
    const written = new Set<string>();
    try {
      for (const contributions of byAuthor.values()) {
        const author = { id: contributions[0].authorId, name: contributions[0].authorName };
        const created = await this.#deps.sync.editDocument(ctx.entry.boardId, (doc) => addContributionCards(new BoardDoc(doc), contributions, locale), author);
        cardIds.push(...created);
        for (const contribution of contributions) written.add(contribution.id);
      }
    } catch (error) {
      // What was not written waits for the next reveal rather than being lost.
      meeting.contributions.unshift(...pending.filter((c) => !written.has(c.id)));
      throw error;
    } finally {
      this.#broadcast(ctx.entry);
      this.#sendPersonalToAll(ctx.entry);
    }
    return { cardIds };
  }

  // ---- Decisions and action items -------------------------------------------------------------

  /** Any editor may capture (a note-taker as well as the facilitator) while the meeting runs. */
  async #capture(ctx: Context<z.infer<typeof MeetingCapture>>): Promise<{ cardId: string; actionId: string | null }> {
    const meeting = this.#running(ctx.entry);
    const item = ctx.message.item;
    const locale = this.#localeOf(ctx);
    return this.#deps.sync.editDocument(
      ctx.entry.boardId,
      (doc: Y.Doc) => addCapturedItem(new BoardDoc(doc), item, { meetingId: meeting.meetingId, startedAt: meeting.startedAt, locale, capturedBy: ctx.principal.id }),
      this.#actor(ctx.principal),
    );
  }

  // ---- Helpers --------------------------------------------------------------------------------

  #running(entry: BoardEntry): BoardMeeting {
    if (!entry.meeting) throw new MeetingError('not_found');
    return entry.meeting;
  }

  /** The running meeting, when the sender is its facilitator. */
  #facilitated(ctx: Context<unknown>): BoardMeeting {
    const meeting = this.#running(ctx.entry);
    if (meeting.facilitator.id !== ctx.principal.id) throw new MeetingError('conflict');
    return meeting;
  }

  /** Votes and contributions come from sockets in the meeting, which receive their own state back. */
  #requireAttendee(ctx: Context<unknown>): void {
    if (!ctx.entry.attendees.has(ctx.socket.id)) throw new MeetingError('conflict');
  }

  #isPresent(entry: BoardEntry, personId: string): boolean {
    for (const attendee of entry.attendees.values()) if (attendee.principal.id === personId) return true;
    return false;
  }

  #localeOf(ctx: Context<unknown>): Locale {
    return ctx.entry.attendees.get(ctx.socket.id)?.locale ?? (ctx.principal.kind === 'member' ? ctx.principal.user.locale : null) ?? 'fr';
  }

  /** The board's live document when it is loaded (it is while anyone has it open), for checks. */
  #liveBoard(boardId: string): BoardDoc | undefined {
    const doc = this.#deps.sync.documentOf(boardId);
    return doc ? new BoardDoc(doc) : undefined;
  }

  #actor(principal: Principal): { id: string; name: string } {
    return { id: principal.id, name: principal.name };
  }

  #participants(entry: BoardEntry): MeetingParticipant[] {
    const people = new Map<string, MeetingParticipant>();
    for (const { principal } of entry.attendees.values()) {
      if (!people.has(principal.id)) people.set(principal.id, { id: principal.id, name: principal.name, kind: principal.kind });
    }
    return [...people.values()];
  }

  #broadcast(entry: BoardEntry): void {
    const update: MeetingUpdate = {
      boardId: entry.boardId,
      meeting: entry.meeting?.publicState(this.#participants(entry)) ?? null,
      serverNow: this.#now(),
    };
    this.#io.to(meetingRoom(entry.boardId)).emit('meeting:state', update);
  }

  /** Sends one person (each of their sockets in this meeting, and no one else) what only they may see. */
  #sendPersonal(entry: BoardEntry, personId: string): void {
    const meeting = entry.meeting;
    const round = meeting?.voting?.status === 'open' ? meeting.voting : null;
    const state: MeetingPersonalState = {
      boardId: entry.boardId,
      roundId: round?.roundId ?? null,
      votes: round?.votesOf(personId) ?? {},
      remainingVotes: round?.remaining(personId) ?? 0,
      contributions: meeting?.contributionsOf(personId) ?? [],
    };
    for (const attendee of entry.attendees.values()) {
      if (attendee.principal.id === personId) attendee.socket.emit('meeting:personal', state);
    }
  }

  #sendPersonalToAll(entry: BoardEntry): void {
    for (const person of new Set([...entry.attendees.values()].map((a) => a.principal.id))) this.#sendPersonal(entry, person);
  }
}

/** Handles meeting messages on every socket.io connection; the auth middleware must have set `socket.data.principal`. */
export function registerMeetings(io: MeetingServer, deps: MeetingDependencies): MeetingService {
  const service = new MeetingService(io, deps);
  io.on('connection', (socket) => service.attach(socket));
  return service;
}
