/**
 * What facilitators and participants do in a meeting: each command changes the board's meeting in
 * the shared `MeetingStateStore` (one linearizable update), writes what must last to the board
 * document through the sync server (stored before anyone is told), then asks for the new state to
 * be delivered. Commands get their message already validated and the sender's role already checked
 * (`MeetingService`); what they refuse, they refuse with a `MeetingError`.
 */
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import {
  BoardDoc,
  newId,
  type BoardRole,
  type CaptureResult,
  type Locale,
  type MeetingAgendaCurrent,
  type MeetingBoardMessage,
  type MeetingCapture,
  type MeetingContribute,
  type MeetingErrorCode,
  type MeetingPresent,
  type MeetingPrivateMode,
  type MeetingTimer,
  type MeetingVoteCast,
  type MeetingVoteRoundMessage,
  type MeetingVoteStart,
  type MeetingWithdraw,
  meetingRoom,
} from '@passerelle/shared';
import type { z } from 'zod';
import type { Principal } from '../auth/auth-service.js';
import type { SyncServer } from '../sync/sync-server.js';
import { BoardMeeting, type PendingContribution } from './board-meeting.js';
import type { PersonalRecipients } from './meeting-delivery.js';
import { addContributionCards, addCapturedItem, storeVoteRound } from './meeting-records.js';
import type { MeetingDraft, MeetingSnapshot } from './meeting-state-store.js';
import { VoteLedger } from './vote-ledger.js';
import type { MeetingSocket } from './meeting-socket.js';

/** A refused message: the reply's error code. */
export class MeetingError extends Error {
  constructor(readonly code: MeetingErrorCode) {
    super(code);
    this.name = 'MeetingError';
  }
}

/** What a command gets once the message is valid and the sender's role allows it. */
export interface Context<M> {
  socket: MeetingSocket;
  principal: Principal;
  role: BoardRole;
  message: M;
  boardId: string;
}

/** What commands use of the service that runs them. */
export interface MeetingRuntime {
  /** Changes a board's meeting in the store, atomically across processes. */
  update<T>(boardId: string, change: (draft: MeetingDraft) => T): Promise<T>;
  read(boardId: string): Promise<MeetingSnapshot>;
  /** The meeting changed: its state reaches every attendee, on every process, and `personal` their own. */
  changed(boardId: string, personal: PersonalRecipients): Promise<void>;
  now(): number;
  /** The board's live document when it is loaded in this process, for checks. */
  liveBoard(boardId: string): BoardDoc | undefined;
  /** Whether the socket attends the board's meeting through this process. */
  isAttending(boardId: string, socketId: string): boolean;
  /**
   * The language of the board's content (the workspace's setting), in which the meeting writes its
   * records: never the sender's, so that a board reads in one language whoever captured what.
   */
  contentLanguage(): Promise<Locale>;
  sync: Pick<SyncServer, 'editDocument'>;
  logger: Logger;
}

export class MeetingCommands {
  readonly #rt: MeetingRuntime;

  constructor(runtime: MeetingRuntime) {
    this.#rt = runtime;
  }

  /** Votes and contributions come from sockets in the meeting, which receive their own state back. */
  #requireAttendee(ctx: Context<unknown>): void {
    if (!this.#rt.isAttending(ctx.boardId, ctx.socket.id)) throw new MeetingError('conflict');
  }

  // ---- Facilitation ---------------------------------------------------------------------------

  async start(ctx: Context<z.infer<typeof MeetingBoardMessage>>): Promise<void> {
    await this.#rt.update(ctx.boardId, (draft) => {
      if (draft.meeting) throw new MeetingError('conflict');
      draft.meeting = new BoardMeeting({ id: ctx.principal.id, name: ctx.principal.name }, this.#rt.now());
    });
    await this.#rt.changed(ctx.boardId, []);
  }

  /** The facilitator ends the meeting; when they are gone, any editor may. Unrevealed votes and contributions are dropped. */
  async end(ctx: Context<z.infer<typeof MeetingBoardMessage>>): Promise<void> {
    const { attendance } = await this.#rt.read(ctx.boardId);
    await this.#rt.update(ctx.boardId, (draft) => {
      const meeting = running(draft);
      const facilitatorPresent = attendance.some((a) => a.person.id === meeting.facilitator.id);
      if (meeting.facilitator.id !== ctx.principal.id && facilitatorPresent) throw new MeetingError('conflict');
      draft.meeting = null;
    });
    await this.#rt.changed(ctx.boardId, 'all');
  }

  /** Any editor may take the facilitation over, whether or not the facilitator is still there. */
  async takeOver(ctx: Context<z.infer<typeof MeetingBoardMessage>>): Promise<void> {
    await this.#rt.update(ctx.boardId, (draft) => {
      running(draft).facilitator = { id: ctx.principal.id, name: ctx.principal.name };
    });
    await this.#rt.changed(ctx.boardId, []);
  }

  async present(ctx: Context<z.infer<typeof MeetingPresent>>): Promise<void> {
    await this.#rt.update(ctx.boardId, (draft) => {
      facilitated(draft, ctx.principal).presenterView = ctx.message.view;
    });
    // Followers only need the view; the full state would be resent at scroll rate otherwise. The
    // room spans processes (socket.io adapter); the stored view is for people who join later.
    ctx.socket.to(meetingRoom(ctx.boardId)).emit('meeting:view', { boardId: ctx.boardId, view: ctx.message.view });
  }

  async timer(ctx: Context<z.infer<typeof MeetingTimer>>): Promise<void> {
    await this.#rt.update(ctx.boardId, (draft) => facilitated(draft, ctx.principal).applyTimer(ctx.message.command, this.#rt.now()));
    await this.#rt.changed(ctx.boardId, []);
  }

  async agenda(ctx: Context<z.infer<typeof MeetingAgendaCurrent>>): Promise<void> {
    const board = this.#rt.liveBoard(ctx.boardId);
    const { itemId, startTimer } = ctx.message;
    await this.#rt.update(ctx.boardId, (draft) => {
      const meeting = facilitated(draft, ctx.principal);
      if (itemId !== null) {
        const item = board?.agenda.get(itemId);
        if (board && !item) throw new MeetingError('not_found');
        if (item && startTimer) meeting.applyTimer({ action: 'start', seconds: item.minutes * 60 }, this.#rt.now());
      }
      meeting.currentAgendaItemId = itemId;
    });
    await this.#rt.changed(ctx.boardId, []);
  }

  // ---- Dot voting -----------------------------------------------------------------------------

  async startVote(ctx: Context<z.infer<typeof MeetingVoteStart>>): Promise<{ roundId: string }> {
    const board = this.#rt.liveBoard(ctx.boardId);
    const { limit, maxPerCard, anonymous } = ctx.message;
    const roundId = await this.#rt.update(ctx.boardId, (draft) => {
      const meeting = facilitated(draft, ctx.principal);
      if (meeting.voting?.status === 'open') throw new MeetingError('conflict');
      const current = meeting.currentAgendaItemId ? board?.agenda.get(meeting.currentAgendaItemId) : undefined;
      meeting.voting = new VoteLedger({ roundId: newId(), limit, maxPerCard, anonymous, label: current?.title ?? '' });
      return meeting.voting.roundId;
    });
    await this.#rt.changed(ctx.boardId, 'all');
    return { roundId };
  }

  async vote(ctx: Context<z.infer<typeof MeetingVoteCast>>): Promise<void> {
    const board = this.#rt.liveBoard(ctx.boardId);
    const { roundId, cardId, delta } = ctx.message;
    await this.#rt.update(ctx.boardId, (draft) => {
      const meeting = running(draft);
      this.#requireAttendee(ctx);
      const round = meeting.voting;
      if (!round || round.roundId !== roundId) throw new MeetingError('not_found');
      if (round.status !== 'open') throw new MeetingError('conflict');
      if (board && !board.getCard(cardId)) throw new MeetingError('not_found');
      const refusal = round.cast({ id: ctx.principal.id, name: ctx.principal.name }, cardId, delta);
      if (refusal) throw new MeetingError(refusal);
    });
    await this.#rt.changed(ctx.boardId, [ctx.principal.id]);
  }

  async revealVotes(ctx: Context<z.infer<typeof MeetingVoteRoundMessage>>): Promise<void> {
    const { boardId } = ctx;
    const { roundId } = ctx.message;
    // Closed before the write so that no dot lands between the tally and the reveal, on any process.
    const { round, meetingId } = await this.#rt.update(boardId, (draft) => {
      const meeting = facilitated(draft, ctx.principal);
      const voting = meeting.voting;
      if (!voting || voting.roundId !== roundId) throw new MeetingError('not_found');
      if (voting.status !== 'open') throw new MeetingError('conflict');
      voting.status = 'revealed';
      return { round: voting, meetingId: meeting.meetingId };
    });
    let results;
    try {
      results = await this.#rt.sync.editDocument(
        boardId,
        (doc) => storeVoteRound(new BoardDoc(doc), round, { meetingId, revealedBy: ctx.principal.name, now: this.#rt.now() }),
        actorOf(ctx.principal),
      );
    } catch (error) {
      await this.#rt.update(boardId, (draft) => {
        const voting = draft.meeting?.voting;
        if (voting?.roundId === roundId && voting.status === 'revealed' && voting.results === null) voting.status = 'open';
      }).catch((reopenError: unknown) => this.#rt.logger.error({ err: reopenError, boardId }, 'vote round could not be reopened'));
      throw error;
    }
    await this.#rt.update(boardId, (draft) => {
      const voting = draft.meeting?.voting;
      if (voting?.roundId === roundId) voting.results = results;
    });
    await this.#rt.changed(boardId, 'all');
  }

  /** Cancels an open round (its dots are dropped) or puts away a revealed one. */
  async closeVote(ctx: Context<z.infer<typeof MeetingVoteRoundMessage>>): Promise<void> {
    await this.#rt.update(ctx.boardId, (draft) => {
      const meeting = facilitated(draft, ctx.principal);
      if (meeting.voting?.roundId !== ctx.message.roundId) throw new MeetingError('not_found');
      meeting.voting = null;
    });
    await this.#rt.changed(ctx.boardId, 'all');
  }

  // ---- Private mode ---------------------------------------------------------------------------

  async privateMode(ctx: Context<z.infer<typeof MeetingPrivateMode>>): Promise<void> {
    await this.#rt.update(ctx.boardId, (draft) => {
      facilitated(draft, ctx.principal).privateMode = ctx.message.enabled;
    });
    await this.#rt.changed(ctx.boardId, []);
  }

  async contribute(ctx: Context<z.infer<typeof MeetingContribute>>): Promise<{ contributionId: string }> {
    const board = this.#rt.liveBoard(ctx.boardId);
    const { columnId, title, description } = ctx.message;
    const contributionId = await this.#rt.update(ctx.boardId, (draft) => {
      const meeting = running(draft);
      this.#requireAttendee(ctx);
      if (!meeting.privateMode) throw new MeetingError('conflict');
      if (board && !board.columns.has(columnId)) throw new MeetingError('not_found');
      return meeting.contribute({ id: ctx.principal.id, name: ctx.principal.name }, { columnId, title, description });
    });
    await this.#rt.changed(ctx.boardId, [ctx.principal.id]);
    return { contributionId };
  }

  async withdraw(ctx: Context<z.infer<typeof MeetingWithdraw>>): Promise<void> {
    await this.#rt.update(ctx.boardId, (draft) => {
      if (!running(draft).withdraw(ctx.principal.id, ctx.message.contributionId)) throw new MeetingError('not_found');
    });
    await this.#rt.changed(ctx.boardId, [ctx.principal.id]);
  }

  /** Every pending contribution becomes a card, written on its author's behalf; private mode ends. */
  async revealContributions(ctx: Context<z.infer<typeof MeetingBoardMessage>>): Promise<{ cardIds: string[] }> {
    const { boardId } = ctx;
    const locale = await this.#rt.contentLanguage();
    // Taken out of the store first, so that a reveal on another process cannot write them twice.
    const { meetingId, pending } = await this.#rt.update(boardId, (draft) => {
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
        const created = await this.#rt.sync.editDocument(boardId, (doc) => addContributionCards(new BoardDoc(doc), contributions, locale), author);
        cardIds.push(...created);
        for (const contribution of contributions) written.add(contribution.id);
      }
    } catch (error) {
      // What was not written waits for the next reveal rather than being lost.
      const unwritten = pending.filter((c) => !written.has(c.id));
      await this.#rt.update(boardId, (draft) => {
        if (draft.meeting?.meetingId === meetingId) draft.meeting.contributions.unshift(...unwritten);
      }).catch((restoreError: unknown) => this.#rt.logger.error({ err: restoreError, boardId }, 'unwritten contributions could not be kept'));
      throw error;
    } finally {
      await this.#rt.changed(boardId, 'all');
    }
    return { cardIds };
  }

  // ---- Decisions and action items -------------------------------------------------------------

  /** Any editor may capture (a note-taker as well as the facilitator) while the meeting runs. */
  async capture(ctx: Context<z.infer<typeof MeetingCapture>>): Promise<CaptureResult> {
    const meeting = (await this.#rt.read(ctx.boardId)).meeting;
    if (!meeting) throw new MeetingError('not_found');
    const item = ctx.message.item;
    const locale = await this.#rt.contentLanguage();
    return this.#rt.sync.editDocument(
      ctx.boardId,
      (doc: Y.Doc) => addCapturedItem(new BoardDoc(doc), item, { meetingId: meeting.meetingId, startedAt: meeting.startedAt, locale, capturedBy: ctx.principal.id }),
      actorOf(ctx.principal),
    );
  }
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

function actorOf(principal: Principal): { id: string; name: string } {
  return { id: principal.id, name: principal.name };
}
