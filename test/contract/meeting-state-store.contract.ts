/**
 * The contract every `MeetingStateStore` passes. Each test proves one invariant of the doc comment
 * of `MeetingStateStore` in `server/src/meeting/meeting-state-store.ts`; an implementation is run
 * through it from `meeting-state-store.test.ts` with a factory giving fresh, empty storage per test.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BoardMeeting } from '../../server/src/meeting/board-meeting.js';
import type { AttendanceRecord, MeetingStateStore } from '../../server/src/meeting/meeting-state-store.js';
import { VoteLedger } from '../../server/src/meeting/vote-ledger.js';
import { storePerTest } from '../helpers/store-fixture.js';

export interface MeetingStateStoreFixture {
  store: MeetingStateStore;
  /**
   * Another handle on the same storage, as a second process has: for a shared store a new
   * connection, for a store of one process the same store.
   */
  another: () => Promise<MeetingStateStore>;
  cleanup: () => Promise<void>;
}

const BOARD = 'board_contract_1';
const OTHER_BOARD = 'board_contract_2';
/** Long enough that nothing lapses during a test that does not wait for it. */
const LONG = { idleMs: 60_000, attendanceTtlMs: 60_000 };

const attendance = (connectionId: string, personId: string, joinedAt = 1): AttendanceRecord => ({
  connectionId,
  person: { id: personId, name: `Name of ${personId}`, kind: personId.startsWith('guest') ? 'guest' : 'member' },
  joinedAt,
});

/** A meeting with something in every field, as a facilitator leaves it mid-meeting. */
function busyMeeting(): BoardMeeting {
  const meeting = new BoardMeeting({ id: 'ana', name: 'Ana' }, 1_700_000_000_000);
  meeting.currentAgendaItemId = 'item-1';
  meeting.presenterView = { view: 'pipeline', cardId: 'card-1', scrollLeft: 480, scrollTop: 12.5 };
  meeting.applyTimer({ action: 'start', seconds: 600 }, 1_700_000_001_000);
  meeting.voting = new VoteLedger({ roundId: 'round-1', limit: 3, maxPerCard: 2, anonymous: false, label: 'Priorités' });
  meeting.voting.cast({ id: 'ben', name: 'Ben' }, 'card-1', 1);
  meeting.voting.cast({ id: 'ben', name: 'Ben' }, '__proto__', 1);
  meeting.privateMode = true;
  meeting.contribute({ id: 'guest-1', name: 'Ana Sousa' }, { columnId: 'col-1', title: 'Stage à Porto', description: 'Deux places' });
  return meeting;
}

export function describeMeetingStateStoreContract(name: string, factory: () => Promise<MeetingStateStoreFixture>): void {
  describe(`MeetingStateStore contract: ${name}`, () => {
    const opened = storePerTest(name, factory);

    it('has no meeting and no one attending on a board never used', async () => {
      expect(await opened.store.read(BOARD)).toEqual({ meeting: null, attendance: [] });
    });

    it('gives back, from any handle, the meeting a change left, field for field', async () => {
      const written = busyMeeting();
      await opened.store.update(BOARD, (draft) => (draft.meeting = written), LONG);
      const other = await opened.fixture.another();
      const { meeting } = await other.read(BOARD);
      expect(meeting).not.toBe(written);
      expect(meeting?.toRecord()).toEqual(written.toRecord());
      expect(meeting?.voting?.votesOf('ben')).toEqual({ 'card-1': 1, ['__proto__']: 1 });
      expect(meeting?.contributionsOf('guest-1').map((c) => c.title)).toEqual(['Stage à Porto']);
      expect((await other.read(OTHER_BOARD)).meeting).toBeNull();
    });

    it('writes nothing when a change throws, and hands each change its own copy', async () => {
      await opened.store.update(BOARD, (draft) => (draft.meeting = new BoardMeeting({ id: 'ana', name: 'Ana' }, 0)), LONG);
      await expect(
        opened.store.update(
          BOARD,
          (draft) => {
            draft.meeting!.privateMode = true;
            throw new Error('refused');
          },
          LONG,
        ),
      ).rejects.toThrow('refused');
      const { meeting } = await opened.store.read(BOARD);
      expect(meeting?.privateMode).toBe(false);
      // Changing what was read changes nothing stored.
      meeting!.privateMode = true;
      expect((await opened.store.read(BOARD)).meeting?.privateMode).toBe(false);
    });

    it('ends a meeting when a change leaves none', async () => {
      await opened.store.update(BOARD, (draft) => (draft.meeting = busyMeeting()), LONG);
      await opened.store.update(BOARD, (draft) => (draft.meeting = null), LONG);
      expect((await opened.store.read(BOARD)).meeting).toBeNull();
    });

    it('applies every one of many concurrent changes made through two handles (two processes)', async () => {
      const other = await opened.fixture.another();
      await opened.store.update(BOARD, (draft) => {
        draft.meeting = new BoardMeeting({ id: 'ana', name: 'Ana' }, 0);
        draft.meeting.voting = new VoteLedger({ roundId: 'round-1', limit: 20, anonymous: false, label: '' });
        draft.meeting.privateMode = true;
      }, LONG);
      const voters = Array.from({ length: 30 }, (_, index) => `voter-${index}`);
      const cast = (handle: MeetingStateStore, voterId: string) =>
        handle.update(BOARD, (draft) => {
          const refusal = draft.meeting!.voting!.cast({ id: voterId, name: voterId }, `card-${voterId.length % 3}`, 1);
          if (refusal) throw new Error(refusal);
        }, LONG);
      const contribute = (handle: MeetingStateStore, authorId: string) =>
        handle.update(BOARD, (draft) => draft.meeting!.contribute({ id: authorId, name: authorId }, { columnId: 'col', title: authorId, description: '' }), LONG);
      await Promise.all(
        voters.flatMap((voterId, index) => {
          const handle = index % 2 === 0 ? opened.store : other;
          return [cast(handle, voterId), cast(handle, voterId), contribute(index % 3 === 0 ? opened.store : other, voterId)];
        }),
      );
      const { meeting } = await opened.store.read(BOARD);
      expect(meeting?.voting?.publicState()).toMatchObject({ voterCount: 30, votesCast: 60 });
      for (const voterId of voters) expect(meeting?.voting?.remaining(voterId)).toBe(18);
      expect(meeting?.contributions.map((c) => c.authorId).sort()).toEqual([...voters].sort());
    });

    it('lets a meeting lapse once it is idle for idleMs, unless attendance keeps it', async () => {
      const short = { idleMs: 600, attendanceTtlMs: 60_000 };
      await opened.store.update(BOARD, (draft) => (draft.meeting = new BoardMeeting({ id: 'ana', name: 'Ana' }, 0)), short);
      await opened.store.update(OTHER_BOARD, (draft) => (draft.meeting = new BoardMeeting({ id: 'ana', name: 'Ana' }, 0)), short);
      // Kept alive by attendance refreshed well within the idle time, for longer than the idle time.
      for (let refresh = 0; refresh < 4; refresh++) {
        await opened.store.attend(BOARD, [attendance('socket-1', 'ana')], short);
        await sleep(200);
      }
      expect((await opened.store.read(BOARD)).meeting).not.toBeNull();
      expect((await opened.store.read(OTHER_BOARD)).meeting).toBeNull();
      // After the last person leaves, it waits idleMs, then ends.
      await opened.store.leave(BOARD, ['socket-1'], short);
      await sleep(200);
      expect((await opened.store.read(BOARD)).meeting).not.toBeNull();
      await sleep(900);
      expect((await opened.store.read(BOARD)).meeting).toBeNull();
    });

    it('lists attendance recorded through any handle, forgets who left, and drops attendance not refreshed in time', async () => {
      const other = await opened.fixture.another();
      await opened.store.attend(BOARD, [attendance('socket-a1', 'ana', 1), attendance('socket-a2', 'ana', 2)], LONG);
      await other.attend(BOARD, [attendance('socket-b1', 'guest-1', 3)], LONG);
      const ids = async (handle: MeetingStateStore) => (await handle.read(BOARD)).attendance.map((a) => a.connectionId).sort();
      expect(await ids(opened.store)).toEqual(['socket-a1', 'socket-a2', 'socket-b1']);
      expect((await other.read(BOARD)).attendance.find((a) => a.connectionId === 'socket-b1')).toEqual(attendance('socket-b1', 'guest-1', 3));
      await opened.store.leave(BOARD, ['socket-a2'], LONG);
      expect(await ids(other)).toEqual(['socket-a1', 'socket-b1']);
      expect((await opened.store.read(OTHER_BOARD)).attendance).toEqual([]);

      // The second process stops refreshing (it died): its attendance lapses, and the next refresh
      // from the first says one was dropped.
      await other.attend(BOARD, [attendance('socket-b1', 'guest-1', 3)], { idleMs: 60_000, attendanceTtlMs: 300 });
      await sleep(700);
      expect(await opened.store.attend(BOARD, [attendance('socket-a1', 'ana', 1)], LONG)).toBe(1);
      expect(await ids(opened.store)).toEqual(['socket-a1']);
      expect(await opened.store.attend(BOARD, [attendance('socket-a1', 'ana', 1)], LONG)).toBe(0);
    });
  });
}
