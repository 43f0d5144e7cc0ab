import {
  applyTimerCommand,
  idleTimer,
  newId,
  type MeetingParticipant,
  type MeetingState,
  type OwnContribution,
  type PresenterView,
  type TimerCommand,
  type TimerState,
} from '@passerelle/shared';
import { VoteLedger } from './vote-ledger.js';

/** A private contribution waiting for the reveal, with its author. */
export interface PendingContribution extends OwnContribution {
  authorId: string;
  authorName: string;
}

/**
 * One running meeting on a board, in memory. It knows nothing of sockets or roles (the service
 * checks those): it holds the facilitator, the presenter's view, the timer, the current agenda item,
 * the voting round and the private contributions, and says what everyone may see of them.
 */
export class BoardMeeting {
  readonly meetingId = newId();
  readonly startedAt: number;
  facilitator: { id: string; name: string };
  currentAgendaItemId: string | null = null;
  presenterView: PresenterView | null = null;
  timer: TimerState = idleTimer();
  voting: VoteLedger | null = null;
  privateMode = false;
  /** Unrevealed contributions, in the order they were written. */
  readonly contributions: PendingContribution[] = [];

  constructor(facilitator: { id: string; name: string }, now: number) {
    this.facilitator = facilitator;
    this.startedAt = now;
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
