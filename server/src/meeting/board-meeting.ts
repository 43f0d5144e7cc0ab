import {
  applyTimerCommand,
  idleTimer,
  newId,
  PresenterView,
  type MeetingParticipant,
  type MeetingState,
  type OwnContribution,
  type TimerCommand,
  type TimerState,
} from '@passerelle/shared';
import { z } from 'zod';
import { VoteLedger, VoteLedgerRecord } from './vote-ledger.js';

/** A private contribution waiting for the reveal, with its author. */
export interface PendingContribution extends OwnContribution {
  authorId: string;
  authorName: string;
}

/**
 * A meeting as a `MeetingStateStore` keeps it: plain JSON, validated whenever it is read back, since
 * storage shared by several processes is an edge like a socket. `version` names this layout, so
 * that a later one can tell an older record (left by a process not yet upgraded) from its own.
 */
export const BoardMeetingRecord = z.object({
  version: z.literal(1),
  meetingId: z.string().min(1),
  startedAt: z.number(),
  facilitator: z.object({ id: z.string().min(1), name: z.string() }),
  currentAgendaItemId: z.string().nullable(),
  presenterView: PresenterView.nullable(),
  timer: z.object({ durationMs: z.number(), endsAt: z.number().nullable(), remainingMs: z.number() }),
  voting: VoteLedgerRecord.nullable(),
  privateMode: z.boolean(),
  contributions: z.array(
    z.object({ id: z.string().min(1), authorId: z.string().min(1), authorName: z.string(), columnId: z.string(), title: z.string(), description: z.string() }),
  ),
});
export type BoardMeetingRecord = z.infer<typeof BoardMeetingRecord>;

/**
 * One running meeting on a board, as one process works on it (the shared copy is in a
 * `MeetingStateStore`, which hands out a fresh `BoardMeeting` for each change). It knows nothing of sockets or roles (the service
 * checks those): it holds the facilitator, the presenter's view, the timer, the current agenda item,
 * the voting round and the private contributions, and says what everyone may see of them.
 */
export class BoardMeeting {
  readonly meetingId: string;
  readonly startedAt: number;
  facilitator: { id: string; name: string };
  currentAgendaItemId: string | null = null;
  presenterView: PresenterView | null = null;
  timer: TimerState = idleTimer();
  voting: VoteLedger | null = null;
  privateMode = false;
  /** Unrevealed contributions, in the order they were written. */
  readonly contributions: PendingContribution[] = [];

  constructor(facilitator: { id: string; name: string }, now: number, meetingId: string = newId()) {
    this.facilitator = facilitator;
    this.startedAt = now;
    this.meetingId = meetingId;
  }

  /** The meeting as plain data; `fromRecord` gives back an equal meeting. */
  toRecord(): BoardMeetingRecord {
    return {
      version: 1,
      meetingId: this.meetingId,
      startedAt: this.startedAt,
      facilitator: { ...this.facilitator },
      currentAgendaItemId: this.currentAgendaItemId,
      presenterView: this.presenterView,
      timer: { ...this.timer },
      voting: this.voting?.toRecord() ?? null,
      privateMode: this.privateMode,
      contributions: this.contributions.map((contribution) => ({ ...contribution })),
    };
  }

  /** A meeting from a validated record. */
  static fromRecord(record: BoardMeetingRecord): BoardMeeting {
    const meeting = new BoardMeeting(record.facilitator, record.startedAt, record.meetingId);
    meeting.currentAgendaItemId = record.currentAgendaItemId;
    meeting.presenterView = record.presenterView;
    meeting.timer = record.timer;
    meeting.voting = record.voting ? VoteLedger.fromRecord(record.voting) : null;
    meeting.privateMode = record.privateMode;
    meeting.contributions.push(...record.contributions);
    return meeting;
  }

  applyTimer(command: TimerCommand, now: number): void {
    this.timer = applyTimerCommand(this.timer, command, now);
  }

  /** Adds a contribution and returns its id. */
  contribute(author: { id: string; name: string }, fields: { columnId: string; title: string; description: string }): string {
    const id = newId();
    this.contributions.push({ id, authorId: author.id, authorName: author.name, ...fields });
    return id;
  }

  /** Removes an author's own contribution; false when it is not theirs or not there. */
  withdraw(authorId: string, contributionId: string): boolean {
    const index = this.contributions.findIndex((c) => c.id === contributionId && c.authorId === authorId);
    if (index < 0) return false;
    this.contributions.splice(index, 1);
    return true;
  }

  /** Hands over every pending contribution (for the reveal) and forgets them. */
  takeContributions(): PendingContribution[] {
    return this.contributions.splice(0);
  }

  /** An author's unrevealed contributions, as only they may see them. */
  contributionsOf(authorId: string): OwnContribution[] {
    return this.contributions
      .filter((c) => c.authorId === authorId)
      .map(({ id, columnId, title, description }) => ({ id, columnId, title, description }));
  }

  /** What everyone in the meeting may see: no dot placement and no contribution text before reveal. */
  publicState(participants: MeetingParticipant[]): MeetingState {
    return {
      meetingId: this.meetingId,
      startedAt: this.startedAt,
      facilitator: { ...this.facilitator },
      facilitatorPresent: participants.some((p) => p.id === this.facilitator.id),
      participants,
      currentAgendaItemId: this.currentAgendaItemId,
      timer: { ...this.timer },
      presenterView: this.presenterView,
      voting: this.voting?.publicState() ?? null,
      privateMode: {
        enabled: this.privateMode,
        contributionCount: this.contributions.length,
        contributorCount: new Set(this.contributions.map((c) => c.authorId)).size,
      },
    };
  }
}
