/**
 * Live meetings on a board, over socket.io: the messages clients send (each a zod schema, since the
 * server validates every one), the state the server sends back, and the timer arithmetic both sides
 * share. What must outlast the meeting (agenda, revealed votes, decisions, action items, revealed
 * contributions) is written to the board document; see `meeting/records.ts`.
 *
 * Rules the server enforces on every message, whatever the client shows:
 * - anyone who may see the board may join and follow; commenters and above vote and contribute;
 *   editors and owners facilitate (start, end, take over, present, timer, agenda, reveals, capture);
 * - a person's votes and private contributions are sent to that person only until the facilitator
 *   reveals them; everyone else gets counts.
 */
import { z } from 'zod';
import { Locale } from './api.js';
import { IsoDate } from './domain/identifiers.js';
import { Department } from './domain/vocabulary.js';
import { isId } from './ids.js';
import type { VoteTally } from './meeting/records.js';

export * from './meeting/records.js';
export * from './meeting/planned.js';

/** Socket.io room of a board's meeting: everyone who joined it, followers included. */
export function meetingRoom(boardId: string): string {
  return `meeting:${boardId}`;
}

const boardId = z.string().refine(isId, 'validation.invalid');
const recordId = z.string().min(1).max(64);

/** Most dots a facilitator may hand out in one round. */
export const MAX_VOTE_LIMIT = 20;
/** Longest timer, in seconds (four hours). */
export const MAX_TIMER_SECONDS = 4 * 60 * 60;

/** The board views a presenter can show (`?view=` of the board page). */
export const PresenterViewName = z.enum(['board', 'pipeline', 'roadmap', 'actions', 'priorities']);
export type PresenterViewName = z.infer<typeof PresenterViewName>;

/** What the presenter is looking at; followers' screens copy it. Scroll offsets are in board-content pixels. */
export const PresenterView = z.object({
  view: PresenterViewName,
  cardId: recordId.nullable(),
  scrollLeft: z.number().finite().min(0).max(1e7),
  scrollTop: z.number().finite().min(0).max(1e7),
});
export type PresenterView = z.infer<typeof PresenterView>;

/** `meeting:join`: follow the board's meeting (and learn whether one is running). */
export const MeetingJoin = z.object({
  boardId,
  /** The person's interface language: what the meeting writes on the board on their behalf uses it. */
  locale: Locale.default('fr'),
});
export type MeetingJoin = z.input<typeof MeetingJoin>;

/** Messages that name only the board: start, end, take over, leave, reveal private contributions. */
export const MeetingBoardMessage = z.object({ boardId });
export type MeetingBoardMessage = z.input<typeof MeetingBoardMessage>;

/** `meeting:present`: the facilitator's current view. */
export const MeetingPresent = z.object({ boardId, view: PresenterView });
export type MeetingPresent = z.input<typeof MeetingPresent>;

/** A timer command of the facilitator's. */
export const TimerCommand = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), seconds: z.number().int().min(1).max(MAX_TIMER_SECONDS) }),
  z.object({ action: z.literal('pause') }),
  z.object({ action: z.literal('resume') }),
  z.object({ action: z.literal('reset') }),
  /** Adds (or, negative, removes) time from the running or paused timer. */
  z.object({ action: z.literal('extend'), seconds: z.number().int().min(-MAX_TIMER_SECONDS).max(MAX_TIMER_SECONDS) }),
]);
export type TimerCommand = z.infer<typeof TimerCommand>;

/** `meeting:timer`. */
export const MeetingTimer = z.object({ boardId, command: TimerCommand });
export type MeetingTimer = z.input<typeof MeetingTimer>;

/** `meeting:agenda`: makes an agenda item current (null: none) and, by default, starts its timebox. */
export const MeetingAgendaCurrent = z.object({ boardId, itemId: recordId.nullable(), startTimer: z.boolean().default(true) });
export type MeetingAgendaCurrent = z.input<typeof MeetingAgendaCurrent>;

/** `meeting:vote:start`: opens a dot-voting round over the board's cards. */
export const MeetingVoteStart = z.object({
  boardId,
  /** Dots per participant. */
  limit: z.number().int().min(1).max(MAX_VOTE_LIMIT),
  /** Most dots one participant may put on one card (default: all of them). */
  maxPerCard: z.number().int().min(1).max(MAX_VOTE_LIMIT).optional(),
  /** Anonymous: the result never says who voted for what. */
  anonymous: z.boolean().default(false),
});
export type MeetingVoteStart = z.input<typeof MeetingVoteStart>;

/** `meeting:vote`: adds (1) or takes back (-1) one of the sender's dots on a card. */
export const MeetingVoteCast = z.object({ boardId, roundId: recordId, cardId: recordId, delta: z.union([z.literal(1), z.literal(-1)]) });
export type MeetingVoteCast = z.input<typeof MeetingVoteCast>;

/** `meeting:vote:reveal` and `meeting:vote:cancel`. */
export const MeetingVoteRoundMessage = z.object({ boardId, roundId: recordId });
export type MeetingVoteRoundMessage = z.input<typeof MeetingVoteRoundMessage>;

/** `meeting:private`: turns private mode on or off (off without reveal discards nothing: contributions wait). */
export const MeetingPrivateMode = z.object({ boardId, enabled: z.boolean() });
export type MeetingPrivateMode = z.input<typeof MeetingPrivateMode>;

/** `meeting:contribute`: a card written in private mode, shown to others only on reveal. */
export const MeetingContribute = z.object({
  boardId,
  columnId: recordId,
  title: z.string().trim().min(1, 'validation.required').max(300),
  description: z.string().trim().max(2000).default(''),
});
export type MeetingContribute = z.input<typeof MeetingContribute>;

/** `meeting:contribution:withdraw`: the author takes back one of their unrevealed contributions. */
export const MeetingWithdraw = z.object({ boardId, contributionId: recordId });
export type MeetingWithdraw = z.input<typeof MeetingWithdraw>;

/** A decision or an action item captured during the meeting. */
export const CapturedItem = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('decision'),
    title: z.string().trim().min(1, 'validation.required').max(300),
    details: z.string().trim().max(2000).default(''),
  }),
  z.object({
    kind: z.literal('action'),
    title: z.string().trim().min(1, 'validation.required').max(200),
    /** A workspace member, or null for someone named in `ownerName` only (a partner's contact). */
    ownerId: recordId.nullable().default(null),
    ownerName: z.string().trim().min(1, 'validation.required').max(120),
    dueDate: IsoDate.nullable().default(null),
    department: Department.nullable().default(null),
  }),
]);
export type CapturedItem = z.input<typeof CapturedItem>;
/** A captured item once validated (defaults filled). */
export type CapturedItemFields = z.infer<typeof CapturedItem>;

/** Where a captured item was written: its card, the column it is in (by its title on the board) and its action item. */
export interface CaptureResult {
  cardId: string;
  columnTitle: string;
  actionId: string | null;
}

/** `meeting:capture`. */
export const MeetingCapture = z.object({ boardId, item: CapturedItem });
export type MeetingCapture = z.input<typeof MeetingCapture>;

/** Why the server refused a meeting message. */
export const MeetingErrorCode = z.enum([
  /** The payload does not validate. */
  'invalid_request',
  /** The sender's role on the board does not allow it (or they may not see the board). */
  'forbidden',
  /** No meeting is running on the board, or the card, column, round or item is gone. */
  'not_found',
  /** The meeting is not in a state that allows it (no open round, private mode off, another facilitator). */
  'conflict',
  /** The sender has no dot left, or the card has the most dots one person may give it. */
  'vote_limit',
  'internal',
]);
export type MeetingErrorCode = z.infer<typeof MeetingErrorCode>;

/** The acknowledgement of every meeting message. */
export type MeetingReply<T = undefined> = { ok: true; value?: T } | { ok: false; error: MeetingErrorCode };

/** Someone in the meeting. */
export interface MeetingParticipant {
  id: string;
  name: string;
  kind: 'member' | 'guest';
}

/**
 * The shared timer. Running when `endsAt` is set (an epoch time in the server's clock; clients
 * correct with `serverNow`); paused or stopped otherwise, with `remainingMs` left.
 */
export interface TimerState {
  durationMs: number;
  endsAt: number | null;
  remainingMs: number;
}

/** A dot-voting round as everyone sees it: counts only, until it is revealed. */
export interface VotingState {
  roundId: string;
  label: string;
  limit: number;
  maxPerCard: number;
  anonymous: boolean;
  status: 'open' | 'revealed';
  /** People who gave at least one dot. */
  voterCount: number;
  /** Dots given, all cards together. */
  votesCast: number;
  /** Per card, most votes first: null until revealed. */
  results: VoteTally[] | null;
}

/** Private mode as everyone sees it: how many contributions wait, never what they say. */
export interface PrivateModeState {
  enabled: boolean;
  contributionCount: number;
  contributorCount: number;
}

/** A running meeting, as broadcast to everyone in it. */
export interface MeetingState {
  meetingId: string;
  startedAt: number;
  facilitator: { id: string; name: string };
  /** Whether the facilitator is connected; when not, another editor may take over. */
  facilitatorPresent: boolean;
  participants: MeetingParticipant[];
  currentAgendaItemId: string | null;
  timer: TimerState;
  presenterView: PresenterView | null;
  voting: VotingState | null;
  privateMode: PrivateModeState;
}

/** `meeting:state`: the board's meeting (null: none running) and the server's clock when sent. */
export interface MeetingUpdate {
  boardId: string;
  meeting: MeetingState | null;
  serverNow: number;
}

/** A private contribution, as its author sees it before the reveal. */
export interface OwnContribution {
  id: string;
  columnId: string;
  title: string;
  description: string;
}

/** `meeting:personal`: what only this person may see: their dots and their unrevealed contributions. */
export interface MeetingPersonalState {
  boardId: string;
  /** The open round the dots belong to, or null. */
  roundId: string | null;
  /** Dots given, by card id. */
  votes: Record<string, number>;
  remainingVotes: number;
  contributions: OwnContribution[];
}

/** `meeting:view`: the presenter moved; followers copy it. */
export interface PresenterViewEvent {
  boardId: string;
  view: PresenterView;
}

type Ack<T = undefined> = (reply: MeetingReply<T>) => void;

/** socket.io events of meetings that clients send (each acknowledged with a `MeetingReply`). */
export interface MeetingClientEvents {
  'meeting:join': (message: MeetingJoin, ack: Ack) => void;
  'meeting:leave': (message: MeetingBoardMessage, ack: Ack) => void;
  'meeting:start': (message: MeetingBoardMessage, ack: Ack) => void;
  'meeting:end': (message: MeetingBoardMessage, ack: Ack) => void;
  'meeting:take-over': (message: MeetingBoardMessage, ack: Ack) => void;
  'meeting:present': (message: MeetingPresent, ack: Ack) => void;
  'meeting:timer': (message: MeetingTimer, ack: Ack) => void;
  'meeting:agenda': (message: MeetingAgendaCurrent, ack: Ack) => void;
  'meeting:vote:start': (message: MeetingVoteStart, ack: Ack<{ roundId: string }>) => void;
  'meeting:vote': (message: MeetingVoteCast, ack: Ack) => void;
  'meeting:vote:reveal': (message: MeetingVoteRoundMessage, ack: Ack) => void;
  'meeting:vote:cancel': (message: MeetingVoteRoundMessage, ack: Ack) => void;
  'meeting:private': (message: MeetingPrivateMode, ack: Ack) => void;
  'meeting:contribute': (message: MeetingContribute, ack: Ack<{ contributionId: string }>) => void;
  'meeting:contribution:withdraw': (message: MeetingWithdraw, ack: Ack) => void;
  'meeting:private:reveal': (message: MeetingBoardMessage, ack: Ack<{ cardIds: string[] }>) => void;
  /** The ack names the column the card was written into, as it is titled on the board. */
  'meeting:capture': (message: MeetingCapture, ack: Ack<CaptureResult>) => void;
}

/** socket.io events of meetings that the server sends. */
export interface MeetingServerEvents {
  'meeting:state': (update: MeetingUpdate) => void;
  'meeting:personal': (state: MeetingPersonalState) => void;
  'meeting:view': (event: PresenterViewEvent) => void;
}

/** Milliseconds left on a timer at `now` (server clock), never below zero. */
export function timerRemainingMs(timer: TimerState, now: number): number {
  if (timer.endsAt === null) return Math.max(0, timer.remainingMs);
  return Math.max(0, timer.endsAt - now);
}

/** A stopped timer with nothing set. */
export function idleTimer(): TimerState {
  return { durationMs: 0, endsAt: null, remainingMs: 0 };
}

/** The timer after a facilitator's command, at `now` (server clock). Pure: the server and tests share it. */
export function applyTimerCommand(timer: TimerState, command: TimerCommand, now: number): TimerState {
  switch (command.action) {
    case 'start': {
      const durationMs = command.seconds * 1000;
      return { durationMs, endsAt: now + durationMs, remainingMs: durationMs };
    }
    case 'pause':
      if (timer.endsAt === null) return timer;
      return { ...timer, endsAt: null, remainingMs: timerRemainingMs(timer, now) };
    case 'resume':
      if (timer.endsAt !== null || timer.remainingMs <= 0) return timer;
      return { ...timer, endsAt: now + timer.remainingMs };
    case 'reset':
      return { durationMs: timer.durationMs, endsAt: null, remainingMs: timer.durationMs };
    case 'extend': {
      const deltaMs = command.seconds * 1000;
      const cap = MAX_TIMER_SECONDS * 1000;
      const remainingMs = Math.min(cap, Math.max(0, timerRemainingMs(timer, now) + deltaMs));
      const durationMs = Math.min(cap, Math.max(remainingMs, timer.durationMs + deltaMs));
      return { durationMs, endsAt: timer.endsAt === null ? null : now + remainingMs, remainingMs };
    }
  }
}
