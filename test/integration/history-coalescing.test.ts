import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '@passerelle/shared';
import { api, eventually } from '../helpers/test-server.js';
import { peopleWithBoardPerTest, serverPerTest } from '../helpers/per-test.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The board's history while two people type in the same card title at once, against a real server
 * with two real y-websocket clients: their interleaved keystrokes make a few entries naming both of
 * them, not one entry per keystroke.
 */
describe('history of a title typed by two people at once', () => {
  const ctx = serverPerTest();
  const board = peopleWithBoardPerTest(ctx, { alice: ['studies'], bruno: ['research'] }, 'Mobilités 2027');

  const historyOf = async (cardId: string) =>
    (await api<{ entries: HistoryEntry[] }>(ctx.server.url, `/api/boards/${board.boardId}/history?cardId=${cardId}`, { token: board.people.sri!.token })).body
      .entries;

  it('coalesces both people’s keystrokes into a few entries that name each of them', async () => {
    const alice = await board.open('alice');
    const bruno = await board.open('bruno');
    const columnId = alice.board.addColumn('Idées');
    const cardId = alice.board.addCard(columnId, { title: 'Porto', createdBy: board.people.alice!.id });
    await eventually(() => bruno.board.cardTitleText(cardId) !== undefined, 5000, 'card on the second replica');

    // Interleaved keystrokes: Alice appends, Bruno prepends, each seen by the server in turn.
    const aliceTitle = alice.board.cardTitleText(cardId)!;
    const brunoTitle = bruno.board.cardTitleText(cardId)!;
    const typed = 12;
    for (let i = 0; i < typed; i++) {
      aliceTitle.insert(aliceTitle.length, 'a');
      await pause(15);
      brunoTitle.insert(0, 'b');
      await pause(15);
    }
    const final = `${'b'.repeat(typed)}Porto${'a'.repeat(typed)}`;
    await eventually(() => aliceTitle.toString() === final && brunoTitle.toString() === final, 5000, 'both replicas converge');

    let titleEntries: HistoryEntry[] = [];
    await eventually(
      async () => {
        titleEntries = (await historyOf(cardId)).filter((entry) => entry.action === 'updated' && entry.fields.includes('title'));
        return titleEntries.some((entry) => entry.subject === final);
      },
      5000,
      'the last keystroke in the history',
    );
    // A few entries (here one), not one per keystroke.
    expect(titleEntries.length).toBeGreaterThan(0);
    expect(titleEntries.length).toBeLessThanOrEqual(3);
    // Nobody who took part is lost.
    const names = new Set(titleEntries.flatMap((entry) => [entry.actorName, ...entry.coActors.map((coActor) => coActor.name)]));
    expect(names).toEqual(new Set(['alice', 'bruno']));
    const ids = new Set(titleEntries.flatMap((entry) => [entry.actorId, ...entry.coActors.map((coActor) => coActor.id)]));
    expect(ids).toEqual(new Set([board.people.alice!.id, board.people.bruno!.id]));

    // Written to the store as they were shown: the restarted server reads them back with both names.
    await ctx.restart();
    const stored = (await historyOf(cardId)).filter((entry) => entry.action === 'updated' && entry.fields.includes('title'));
    expect(stored.length).toBeLessThanOrEqual(3);
    expect(stored.every((entry) => entry.id > 0)).toBe(true);
    expect(new Set(stored.flatMap((entry) => [entry.actorName, ...entry.coActors.map((coActor) => coActor.name)]))).toEqual(new Set(['alice', 'bruno']));
  });
});
