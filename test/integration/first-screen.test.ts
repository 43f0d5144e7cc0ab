/**
 * A board's first screen after a restart (`GET /api/boards/:boardId/first-screen`): answered from
 * the summary stored with the board, without loading the board; the same as the board a client
 * syncs; only the fields a card face shows, so nothing internal reaches a guest; the board's access
 * rule; a validator the browser revalidates with.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc, FIRST_SCREEN_CARDS_PER_COLUMN, InternalDoc, internalDocName, readFirstScreen } from '@passerelle/shared';
import type { FirstScreenResponse } from '../../server/src/http/first-screen-routes.js';
import { api, connectClient, createMember, eventually, joinAsGuest, synced } from '../helpers/test-server.js';
import { serverPerTest, tokenWithBoardPerTest } from '../helpers/per-test.js';

/** A budget no card face shows: it must never be in a first screen. */
const BUDGET = 734_519;

describe('first screen of a board', () => {
  const ctx = serverPerTest();
  const setup = tokenWithBoardPerTest(() => ctx.server.url, 'Mobilités 2027');

  /** Opens a document by API token, tracked for closing. */
  async function open(token: string, name = setup.boardId): Promise<{ doc: Y.Doc; board: BoardDoc }> {
    const { doc, provider } = connectClient(ctx.server.url, name, token);
    ctx.track(() => provider.destroy());
    await synced(provider);
    return { doc, board: new BoardDoc(doc) };
  }

  const firstScreen = (auth: { token: string } | { cookie: string }, headers: Record<string, string> = {}) =>
    api<FirstScreenResponse>(ctx.server.url, `/api/boards/${setup.boardId}/first-screen`, { ...auth, headers });

  /**
   * Writes a board (a long column, a proposal at a gate with its budget in the internal document,
   * a note with a description, an empty column), waits until the server holds it, restarts the
   * server (a graceful stop stores every board) and returns the first screen the writer's copy gives.
   */
  async function storedBoard(): Promise<ReturnType<typeof readFirstScreen>> {
    const writer = await open(setup.token);
    const internal = await open(setup.token, internalDocName(setup.boardId));
    const long = writer.board.addColumn('1) Vers des partenariats stratégiques');
    const gated = writer.board.addColumn('Revue SRI');
    writer.board.addColumn('Vide');
    writer.doc.transact(() => {
      for (let index = 0; index < FIRST_SCREEN_CARDS_PER_COLUMN + 15; index++) writer.board.addCard(long, { title: `Accord ${index}`, createdBy: 'w' });
    });
    const proposal = writer.board.addProposal(gated, {
      title: 'Alliance de la connaissance, Porto',
      createdBy: 'w',
      fields: { actionType: 'knowledge_alliance', stage: 'sri_review', leadDepartment: 'research', priorities: [2, 4], partnerIds: ['porto'] },
    });
    writer.board.addCard(gated, { title: 'Note de cadrage', description: 'Lire l’accord cadre avant la réunion.', createdBy: 'w' });
    new InternalDoc(internal.doc).updateProposal(proposal, { budgetEstimate: BUDGET });
    // An older client writing the budget on the shareable card: the board's rules remove it.
    writer.board.cards.get(proposal)!.set('budgetEstimate', BUDGET);
    await eventually(() => !writer.board.cards.get(proposal)!.has('budgetEstimate'), 5000, 'the internal field removed');
    const expected = readFirstScreen(writer.doc);
    await eventually(async () => {
      const check = await open(setup.token);
      return check.board.cards.size === writer.board.cards.size;
    }, 5000, 'the board stored');
    await ctx.restart();
    return expected;
  }

  it('after a restart, answers with the board as stored without loading it', async () => {
    const expected = await storedBoard();
    expect(ctx.server.sync.openBoards).toEqual([]);

    const answer = await firstScreen({ token: setup.token });

    expect(answer.status).toBe(200);
    // Served from the stored summary: no room was opened for it.
    expect(ctx.server.sync.openBoards).toEqual([]);
    expect(ctx.server.sync.census().rooms.board).toBe(0);
    expect(answer.body).toMatchObject({ boardId: setup.boardId, cardsPerColumn: FIRST_SCREEN_CARDS_PER_COLUMN, cardCount: expected.cardCount });
    expect(answer.body.version).toBeGreaterThan(0);
    expect(answer.body.columns).toEqual(expected.columns);
    expect(answer.body.columns.map((column) => [column.title, column.cardCount, column.cards.length])).toEqual([
      ['1) Vers des partenariats stratégiques', FIRST_SCREEN_CARDS_PER_COLUMN + 15, FIRST_SCREEN_CARDS_PER_COLUMN],
      ['Revue SRI', 2, 2],
      ['Vide', 0, 0],
    ]);
    expect(answer.body.columns[0].cards.map((card) => card.title)).toEqual(Array.from({ length: FIRST_SCREEN_CARDS_PER_COLUMN }, (_, index) => `Accord ${index}`));
    const [proposal, note] = answer.body.columns[1].cards;
    expect(proposal).toMatchObject({
      kind: 'proposal',
      title: 'Alliance de la connaissance, Porto',
      hasDescription: false,
      proposal: { actionType: 'knowledge_alliance', stage: 'sri_review', leadDepartment: 'research', priorities: [2, 4], partnerIds: ['porto'], gate: { required: ['sri'], signed: [] } },
    });
    expect(note).toMatchObject({ kind: 'note', title: 'Note de cadrage', hasDescription: true, proposal: null });

    // And it is what a client syncing the board now shows.
    const reader = await open(setup.token);
    expect(readFirstScreen(reader.doc).columns).toEqual(answer.body.columns);
  });

  it('gives a guest the same first screen, with nothing internal in it', async () => {
    await storedBoard();
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: setup.token }, boardId: setup.boardId });

    const member = await firstScreen({ token: setup.token });
    const answer = await firstScreen({ cookie: guest.cookie });

    expect(answer.status).toBe(200);
    expect(answer.body.columns).toEqual(member.body.columns);
    const text = JSON.stringify(answer.body);
    expect(text).not.toContain('budget');
    expect(text).not.toContain(String(BUDGET));
    // Only the fields a card face shows, whatever the stored summary holds.
    for (const column of answer.body.columns) {
      for (const card of column.cards) {
        expect(Object.keys(card).sort()).toEqual(['hasDescription', 'id', 'kind', 'proposal', 'title']);
        if (card.proposal) expect(Object.keys(card.proposal).sort()).toEqual(['actionType', 'gate', 'leadDepartment', 'partnerIds', 'priorities', 'stage']);
      }
    }
  });

  it('refuses anyone the board is not shared with, as the board itself does', async () => {
    await storedBoard();
    // The board is shared with no one beyond its members.
    const restricted = await api(ctx.server.url, `/api/boards/${setup.boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'none' }, token: setup.token, headers: { origin: ctx.server.url } });
    expect(restricted.status).toBe(204);
    const outsider = await createMember(ctx.server.url, 'outsider', ['studies']);
    const otherBoard = await api<{ id: string }>(ctx.server.url, '/api/boards', { method: 'POST', body: { title: 'Autre' }, token: setup.token });
    const otherGuest = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: setup.token }, boardId: otherBoard.body.id });

    const fromOutsider = await firstScreen({ token: outsider.token });
    const fromOtherGuest = await firstScreen({ cookie: otherGuest.cookie });
    const anonymous = await fetch(`${ctx.server.url}/api/boards/${setup.boardId}/first-screen`);

    expect(fromOutsider.status).toBe(404);
    expect(JSON.stringify(fromOutsider.body)).not.toContain('Accord');
    expect(fromOtherGuest.status).toBe(404);
    expect(anonymous.status).toBe(401);
  });

  it('carries a validator: unchanged, the browser gets 304; after a change is stored, the new first screen', async () => {
    await storedBoard();
    const first = await fetch(`${ctx.server.url}/api/boards/${setup.boardId}/first-screen`, { headers: { authorization: `Bearer ${setup.token}` } });
    const etag = first.headers.get('etag');
    expect(first.status).toBe(200);
    expect(etag).toBeTruthy();
    expect(first.headers.get('cache-control')).toContain('no-cache');
    const before = (await first.json()) as FirstScreenResponse;

    const again = await fetch(`${ctx.server.url}/api/boards/${setup.boardId}/first-screen`, { headers: { authorization: `Bearer ${setup.token}`, 'if-none-match': etag! } });
    expect(again.status).toBe(304);

    const writer = await open(setup.token);
    writer.board.renameColumn(before.columns[2].id, 'Plus vide du tout');
    await eventually(async () => (await open(setup.token)).board.listColumns()[2]?.title === 'Plus vide du tout', 5000, 'the rename stored');
    await ctx.restart();

    const changed = await fetch(`${ctx.server.url}/api/boards/${setup.boardId}/first-screen`, { headers: { authorization: `Bearer ${setup.token}`, 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const after = (await changed.json()) as FirstScreenResponse;
    expect(after.columns[2].title).toBe('Plus vide du tout');
    expect(after.version).toBeGreaterThan(before.version);
  });

  it('answers 204 for a board with no first screen stored yet', async () => {
    const answer = await firstScreen({ token: setup.token });
    expect(answer.status).toBe(204);
  });
});
