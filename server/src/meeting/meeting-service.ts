import type { Logger } from 'pino';
import {
  WORKSPACE_DOC,
  WorkspaceDoc,
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
  type BoardRole,
  type ClientToServerEvents,
  type MeetingReply,
} from '@passerelle/shared';
import type { z } from 'zod';
import type { BoardAccess } from '../access/board-access.js';
import type { Principal } from '../auth/auth-service.js';
import type { SyncServer } from '../sync/sync-server.js';
import { MeetingCommands, MeetingError, type Context } from './meeting-commands.js';
import { attendanceOf, MeetingDelivery, type Attendee, type PersonalRecipients } from './meeting-delivery.js';
import { principalOf, type MeetingServer, type MeetingSocket } from './meeting-socket.js';
import { MemoryMeetingStateStore, type MeetingDraft, type MeetingLifetimes, type MeetingStateStore } from './meeting-state-store.js';

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
 * then changes the board's meeting in the `MeetingStateStore`, which every process serving the
 * board shares. Votes and private contributions stay in the store until the facilitator reveals
 * them: what everyone receives is `BoardMeeting.publicState`, and a person's own dots and
 * contributions go to that person's sockets only. What must last is written to the board document
 * through `SyncServer.editDocument`, stored before anyone is told.
 */
export class MeetingService {
  readonly #deps: MeetingDependencies;
  readonly #state: MeetingStateStore;
  readonly #now: () => number;
  /** This process's attendees of each board, and the delivery of the meeting's state to them. */
  readonly #delivery: MeetingDelivery;
  readonly #commands: MeetingCommands;
  readonly #lifetimes: MeetingLifetimes;
  readonly #refreshTimer: NodeJS.Timeout;
  #refreshing = false;
  /** Messages being handled, which `close` lets finish. */
  readonly #inFlight = new Set<Promise<unknown>>();
  #closing: Promise<void> | null = null;

  constructor(io: MeetingServer, deps: MeetingDependencies) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#state = deps.state ?? new MemoryMeetingStateStore();
    const idleMs = deps.idleMeetingMs ?? 30 * 60_000;
    const refreshMs = Math.max(10, Math.min(deps.attendanceRefreshMs ?? 10_000, Math.floor(idleMs / 3)));
    this.#lifetimes = { idleMs, attendanceTtlMs: 3 * refreshMs };
    this.#refreshTimer = setInterval(() => void this.#refreshAttendance(), refreshMs);
    this.#refreshTimer.unref();
    this.#delivery = new MeetingDelivery(io, this.#state, this.#now, deps.logger);
    this.#commands = new MeetingCommands({
      update: (boardId, change) => this.#update(boardId, change),
      read: (boardId) => this.#state.read(boardId),
      changed: (boardId, personal) => this.#changed(boardId, personal),
      now: this.#now,
      liveBoard: (boardId) => this.#liveBoard(boardId),
      isAttending: (boardId, socketId) => this.#delivery.get(boardId)?.attendees.has(socketId) ?? false,
      contentLanguage: () => deps.sync.readDocument(WORKSPACE_DOC, (doc) => new WorkspaceDoc(doc).settings.contentLanguage),
      sync: deps.sync,
      logger: deps.logger,
    });
  }

  /** Whether a meeting runs on a board (for tests and diagnostics). */
  async isRunning(boardId: string): Promise<boolean> {
    return (await this.#state.read(boardId)).meeting !== null;
  }

  /** Meetings running that someone attends through this process, and this process's sockets attending a meeting (read by `GET /metrics`). */
  census(): { running: number; attendees: number } {
    return this.#delivery.census();
  }

  /** Listens to one connected socket's meeting messages. */
  attach(socket: MeetingSocket): void {
    this.#handle(socket, 'meeting:join', MeetingJoin, 'see', (ctx) => this.#join(ctx));
    this.#handle(socket, 'meeting:leave', MeetingBoardMessage, 'see', (ctx) => this.#leave(ctx.boardId, ctx.socket));
    this.#handle(socket, 'meeting:start', MeetingBoardMessage, 'facilitate', (ctx) => this.#commands.start(ctx));
    this.#handle(socket, 'meeting:end', MeetingBoardMessage, 'facilitate', (ctx) => this.#commands.end(ctx));
    this.#handle(socket, 'meeting:take-over', MeetingBoardMessage, 'facilitate', (ctx) => this.#commands.takeOver(ctx));
    this.#handle(socket, 'meeting:present', MeetingPresent, 'facilitate', (ctx) => this.#commands.present(ctx));
    this.#handle(socket, 'meeting:timer', MeetingTimer, 'facilitate', (ctx) => this.#commands.timer(ctx));
    this.#handle(socket, 'meeting:agenda', MeetingAgendaCurrent, 'facilitate', (ctx) => this.#commands.agenda(ctx));
    this.#handle(socket, 'meeting:vote:start', MeetingVoteStart, 'facilitate', (ctx) => this.#commands.startVote(ctx));
    this.#handle(socket, 'meeting:vote', MeetingVoteCast, 'comment', (ctx) => this.#commands.vote(ctx));
    this.#handle(socket, 'meeting:vote:reveal', MeetingVoteRoundMessage, 'facilitate', (ctx) => this.#commands.revealVotes(ctx));
    this.#handle(socket, 'meeting:vote:cancel', MeetingVoteRoundMessage, 'facilitate', (ctx) => this.#commands.closeVote(ctx));
    this.#handle(socket, 'meeting:private', MeetingPrivateMode, 'facilitate', (ctx) => this.#commands.privateMode(ctx));
    this.#handle(socket, 'meeting:contribute', MeetingContribute, 'comment', (ctx) => this.#commands.contribute(ctx));
    this.#handle(socket, 'meeting:contribution:withdraw', MeetingWithdraw, 'comment', (ctx) => this.#commands.withdraw(ctx));
    this.#handle(socket, 'meeting:private:reveal', MeetingBoardMessage, 'facilitate', (ctx) => this.#commands.revealContributions(ctx));
    this.#handle(socket, 'meeting:capture', MeetingCapture, 'facilitate', (ctx) => this.#commands.capture(ctx));
    socket.on('disconnect', () => {
      if (this.#closing) return;
      for (const board of this.#delivery.boards()) {
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
        this.#delivery.boards().map((board) => this.#state.leave(board.boardId, [...board.attendees.keys()], this.#lifetimes)),
      );
      this.#delivery.clear();
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
    const board = this.#delivery.localBoard(boardId);
    const attendee: Attendee = { socket, principal, locale: ctx.message.locale, joinedAt: board.attendees.get(socket.id)?.joinedAt ?? Date.now() };
    board.attendees.set(socket.id, attendee);
    await socket.join(meetingRoom(boardId));
    try {
      await this.#state.attend(boardId, [attendanceOf(attendee)], this.#lifetimes);
    } catch (error) {
      // Not attending anywhere rather than here only: the person can try again.
      board.attendees.delete(socket.id);
      void socket.leave(meetingRoom(boardId));
      this.#delivery.forgetIfIdle(board);
      throw error;
    }
    await this.#changed(boardId, [principal.id]);
  }

  async #leave(boardId: string, socket: MeetingSocket): Promise<void> {
    const board = this.#delivery.get(boardId);
    if (!board?.attendees.delete(socket.id)) return;
    void socket.leave(meetingRoom(boardId));
    this.#delivery.forgetIfIdle(board);
    await this.#state.leave(boardId, [socket.id], this.#lifetimes);
    await this.#changed(boardId, []);
  }

  /**
   * Re-checks who may attend a board's meeting after its access settings changed, among this
   * process's attendees (live access calls it on every process): an attendee who can no longer see
   * the board is removed from it and hears nothing more of it.
   */
  async revalidate(boardId: string): Promise<void> {
    const board = this.#delivery.get(boardId);
    if (!board) return;
    for (const attendee of [...board.attendees.values()]) await this.#revalidateAttendee(boardId, attendee);
  }

  /**
   * Re-checks the meetings one person attends on this process after their administrator role or
   * departments changed (live access calls it on every process, once their sockets hold who they
   * are now): a meeting of a board they can no longer see goes on without them.
   */
  async revalidatePerson(userId: string): Promise<void> {
    for (const board of this.#delivery.boards()) {
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
      for (const board of this.#delivery.boards()) {
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

  // ---- Helpers --------------------------------------------------------------------------------

  #update<T>(boardId: string, change: (draft: MeetingDraft) => T): Promise<T> {
    return this.#state.update(boardId, change, this.#lifetimes);
  }


  /** The board's live document when it is loaded in this process (it is while anyone has it open here), for checks. */
  #liveBoard(boardId: string): BoardDoc | undefined {
    const doc = this.#deps.sync.documentOf(boardId);
    return doc ? new BoardDoc(doc) : undefined;
  }

  #changed(boardId: string, personal: PersonalRecipients): Promise<void> {
    return this.#delivery.changed(boardId, personal);
  }
}

/** Handles meeting messages on every socket.io connection; the auth middleware must have set `socket.data.principal`. */
export function registerMeetings(io: MeetingServer, deps: MeetingDependencies): MeetingService {
  const service = new MeetingService(io, deps);
  io.on('connection', (socket) => service.attach(socket));
  return service;
}
