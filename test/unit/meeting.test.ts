/** The pure parts of meetings: timer arithmetic, message schemas, dot-vote bookkeeping, what the board records. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  applyTimerCommand,
  BoardDoc,
  idleTimer,
  MeetingCapture,
  MeetingVoteCast,
  MeetingVoteStart,
  parsePresence,
  PresenterView,
  timerRemainingMs,
  type TimerState,
} from '../../shared/src/index.js';
import { addCapturedItem, decisionsColumn, storeVoteRound } from '../../server/src/meeting/meeting-records.js';
import { VoteLedger } from '../../server/src/meeting/vote-ledger.js';
import { BoardMeeting } from '../../server/src/meeting/board-meeting.js';

const BOARD = 'board_0123456789';

describe('meeting timer', () => {
  const started = applyTimerCommand(idleTimer(), { action: 'start', seconds: 300 }, 1_000);

  it('counts down from the start and never below zero', () => {
    expect(timerRemainingMs(started, 1_000)).toBe(300_000);
    expect(timerRemainingMs(started, 61_000)).toBe(240_000);
    expect(timerRemainingMs(started, 10_000_000)).toBe(0);
  });

  it('keeps the remaining time while paused and resumes from it', () => {
    const paused = applyTimerCommand(started, { action: 'pause' }, 31_000);
    expect(paused.endsAt).toBeNull();
    expect(timerRemainingMs(paused, 500_000)).toBe(270_000);
    const resumed = applyTimerCommand(paused, { action: 'resume' }, 500_000);
    expect(timerRemainingMs(resumed, 510_000)).toBe(260_000);
  });

  it('extends a running timer and resets to its full duration', () => {
    const extended = applyTimerCommand(started, { action: 'extend', seconds: 60 }, 1_000);
    expect(timerRemainingMs(extended, 1_000)).toBe(360_000);
    expect(extended.durationMs).toBe(360_000);
    const reset: TimerState = applyTimerCommand(extended, { action: 'reset' }, 50_000);
    expect(reset).toEqual({ durationMs: 360_000, endsAt: null, remainingMs: 360_000 });
  });

  it('does not resume a timer that has no time left', () => {
    expect(applyTimerCommand(idleTimer(), { action: 'resume' }, 5)).toEqual(idleTimer());
  });
});

describe('meeting message schemas', () => {
  it('refuses a board id that is not an id, and a dot that is not one', () => {
    expect(MeetingVoteCast.safeParse({ boardId: '../etc', roundId: 'r', cardId: 'c', delta: 1 }).success).toBe(false);
    expect(MeetingVoteCast.safeParse({ boardId: BOARD, roundId: 'r', cardId: 'c', delta: 5 }).success).toBe(false);
    expect(MeetingVoteCast.safeParse({ boardId: BOARD, roundId: 'r', cardId: 'c', delta: -1 }).success).toBe(true);
  });

  it('bounds the vote limit', () => {
    expect(MeetingVoteStart.safeParse({ boardId: BOARD, limit: 0 }).success).toBe(false);
    expect(MeetingVoteStart.safeParse({ boardId: BOARD, limit: 21 }).success).toBe(false);
    expect(MeetingVoteStart.parse({ boardId: BOARD, limit: 3 })).toEqual({ boardId: BOARD, limit: 3, anonymous: false });
  });

  it('requires an owner name and a real date for an action item', () => {
    const action = { kind: 'action', title: 'Send the draft agreement', ownerName: 'Ana Sousa', dueDate: '2025-06-30' };
    expect(MeetingCapture.safeParse({ boardId: BOARD, item: action }).success).toBe(true);
    expect(MeetingCapture.safeParse({ boardId: BOARD, item: { ...action, ownerName: ' ' } }).success).toBe(false);
    expect(MeetingCapture.safeParse({ boardId: BOARD, item: { ...action, dueDate: '30/06/2025' } }).success).toBe(false);
  });

  it('refuses a presenter view with a scroll that is not a finite number', () => {
    expect(PresenterView.safeParse({ view: 'board', cardId: null, scrollLeft: Number.NaN, scrollTop: 0 }).success).toBe(false);
    expect(PresenterView.safeParse({ view: 'settings', cardId: null, scrollLeft: 0, scrollTop: 0 }).success).toBe(false);
  });
});

describe('VoteLedger', () => {
  const ana = { id: 'ana', name: 'Ana' };
  const ben = { id: 'ben', name: 'Ben' };

  it('enforces the vote limit and the most dots per card', () => {
    const round = new VoteLedger({ roundId: 'r1', limit: 3, maxPerCard: 2, anonymous: false, label: '' });
    expect(round.cast(ana, 'c1', 1)).toBeNull();
    expect(round.cast(ana, 'c1', 1)).toBeNull();
    expect(round.cast(ana, 'c1', 1)).toBe('vote_limit');
    expect(round.cast(ana, 'c2', 1)).toBeNull();
    expect(round.cast(ana, 'c3', 1)).toBe('vote_limit');
    expect(round.remaining('ana')).toBe(0);
    expect(round.cast(ana, 'c1', -1)).toBeNull();
    expect(round.remaining('ana')).toBe(1);
    expect(round.cast(ana, 'c4', -1)).toBe('not_found');
  });

  it('shows only counts before the reveal', () => {
    const round = new VoteLedger({ roundId: 'r1', limit: 3, anonymous: false, label: '' });
    round.cast(ana, 'c1', 1);
    round.cast(ben, 'c2', 1);
    round.cast(ben, 'c2', 1);
    const visible = round.publicState();
    expect(visible).toMatchObject({ voterCount: 2, votesCast: 3, results: null, status: 'open' });
    expect(JSON.stringify(visible)).not.toContain('c1');
    expect(round.votesOf('ben')).toEqual({ c2: 2 });
  });

  it('tallies most votes first, names voters unless anonymous, and drops deleted cards', () => {
    const titles: Record<string, string> = { c1: 'Porto', c2: 'Montréal' };
    for (const anonymous of [false, true]) {
      const round = new VoteLedger({ roundId: 'r', limit: 3, anonymous, label: '' });
      round.cast(ana, 'c1', 1);
      round.cast(ben, 'c2', 1);
      round.cast(ben, 'c2', 1);
      round.cast(ana, 'gone', 1);
      const tallies = round.tally((id) => titles[id]);
      expect(tallies.map((t) => [t.cardId, t.votes])).toEqual([
        ['c2', 2],
        ['c1', 1],
      ]);
      expect(tallies[0].voters).toEqual(anonymous ? [] : [{ id: 'ben', name: 'Ben', votes: 2 }]);
    }
  });
});

describe('what a meeting records on the board', () => {
  it('stores a revealed round as a vote record of the board', () => {
    const board = new BoardDoc(new Y.Doc());
    const column = board.addColumn('Partners');
    const card = board.addCard(column, { title: 'Porto', createdBy: 'ana' });
    const round = new VoteLedger({ roundId: 'round-1', limit: 2, anonymous: true, label: 'Priorities' });
    round.cast({ id: 'ana', name: 'Ana' }, card, 1);
    storeVoteRound(board, round, { meetingId: 'm1', revealedBy: 'Ana', now: Date.UTC(2025, 2, 12) });
    expect(board.voteRounds.get('round-1')).toMatchObject({
      meetingId: 'm1',
      anonymous: true,
      voterCount: 1,
      tallies: [{ cardId: card, cardTitle: 'Porto', votes: 1, voters: [] }],
    });
  });

  it('puts decisions and actions in one Decisions column, whatever the language, and adds the action item', () => {
    const board = new BoardDoc(new Y.Doc());
    const context = { meetingId: 'm1', startedAt: Date.UTC(2025, 2, 12), capturedBy: 'ana' };
    const decision = addCapturedItem(board, { kind: 'decision', title: 'Renew the Porto agreement', details: '' }, { ...context, locale: 'fr' });
    const action = addCapturedItem(
      board,
      { kind: 'action', title: 'Send the draft', ownerId: null, ownerName: 'Ana Sousa', dueDate: '2025-04-01', department: null },
      { ...context, locale: 'en' },
    );
    expect(board.listColumns().map((c) => c.title)).toEqual(['Décisions']);
    expect(decisionsColumn(board, 'en')).toBe(board.listColumns()[0].id);
    expect(board.getCard(decision.cardId)?.description).toBe('Réunion du 12 mars 2025');
    expect(board.getCard(action.cardId)).toMatchObject({ title: 'Action: Send the draft' });
    expect(board.actions.get(action.actionId!)).toMatchObject({
      title: 'Send the draft',
      ownerName: 'Ana Sousa',
      dueDate: '2025-04-01',
      source: 'meeting',
      sourceId: 'm1',
      sourceLabel: 'Meeting of 12 March 2025',
    });
  });
});

describe('BoardMeeting', () => {
  it('shows contribution counts to everyone and their text to the author only', () => {
    const meeting = new BoardMeeting({ id: 'ana', name: 'Ana' }, 0);
    meeting.privateMode = true;
    meeting.contribute({ id: 'ben', name: 'Ben' }, { columnId: 'col', title: 'Joint summer school', description: '' });
    meeting.contribute({ id: 'ben', name: 'Ben' }, { columnId: 'col', title: 'Co-supervised theses', description: '' });
    const visible = meeting.publicState([]);
    expect(visible.privateMode).toEqual({ enabled: true, contributionCount: 2, contributorCount: 1 });
    expect(JSON.stringify(visible)).not.toContain('summer');
    expect(meeting.contributionsOf('ben').map((c) => c.title)).toEqual(['Joint summer school', 'Co-supervised theses']);
    expect(meeting.contributionsOf('ana')).toEqual([]);
    expect(meeting.withdraw('ana', meeting.contributions[0].id)).toBe(false);
  });
});

describe('live cursors in presence', () => {
  const user = { id: 'user-1', name: 'Camille', color: '#1f77b4' };

  it('reads a cursor in board coordinates and leaves out one that is not a position', () => {
    expect(parsePresence({ user, openCardId: null, cursor: { x: 120, y: 48.5 } })?.cursor).toEqual({ x: 120, y: 48.5 });
    for (const cursor of [{ x: -1, y: 0 }, { x: Number.NaN, y: 0 }, { x: '3', y: 4 }, { x: 1e9, y: 0 }, 'here', null]) {
      expect(parsePresence({ user, openCardId: null, cursor })).toEqual({ user, openCardId: null });
    }
  });
});
