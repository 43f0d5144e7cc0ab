/**
 * A Trello board export imported through a real server: a new board owned by the importer, its
 * open lists as columns in order, its open cards with descriptions, labels, due dates, checklists
 * and comments as text in the importer's language; bad JSON and JSON that is no Trello export are
 * refused with a clear error and create nothing.
 */
import { describe, expect, it } from 'vitest';
import { BoardDoc, type ApiErrorBody, type BoardSummary, type TrelloImportResult } from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { upload } from '../helpers/sheets.js';
import { syncedClient } from '../helpers/sync-client.js';
import { adminToken, api } from '../helpers/test-server.js';

/** A small export as Trello writes it (ids, positions, closed flags, actions newest first). */
const TRELLO_EXPORT = {
  id: 'b1',
  name: 'Partenariats 2026',
  desc: '',
  lists: [
    { id: 'l2', name: 'In progress', closed: false, pos: 32768 },
    { id: 'l1', name: 'Ideas', closed: false, pos: 16384 },
    { id: 'l3', name: 'Old', closed: true, pos: 65536 },
  ],
  labels: [
    { id: 'g', name: 'Asia', color: 'green' },
    { id: 'r', name: '', color: 'red' },
  ],
  cards: [
    { id: 'c1', name: 'Visit Hanoi University', desc: 'Meet the dean.', idList: 'l1', closed: false, pos: 2, due: '2026-04-15T10:00:00.000Z', dueComplete: false, idLabels: ['g', 'r'], idChecklists: ['k1'] },
    { id: 'c0', name: 'Summer school', desc: '', idList: 'l1', closed: false, pos: 1, due: null, dueComplete: false, idLabels: [] },
    { id: 'c2', name: 'Sign Porto agreement', desc: '', idList: 'l2', closed: false, pos: 1, due: '2026-01-10T00:00:00.000Z', dueComplete: true, idLabels: [] },
    { id: 'c3', name: 'Archived card', desc: '', idList: 'l1', closed: true, pos: 3, due: null, idLabels: [] },
  ],
  checklists: [{ id: 'k1', idCard: 'c1', name: 'Before leaving', pos: 1, checkItems: [{ name: 'Book flights', state: 'incomplete', pos: 2 }, { name: 'Ask for visa', state: 'complete', pos: 1 }] }],
  actions: [
    { type: 'commentCard', date: '2026-02-02T09:00:00.000Z', data: { text: 'Dean confirmed.', card: { id: 'c1' } }, memberCreator: { fullName: 'Léa Martin' } },
    { type: 'commentCard', date: '2026-02-01T09:00:00.000Z', data: { text: 'Asked for a date.', card: { id: 'c1' } }, memberCreator: { fullName: 'Tom Petit' } },
    { type: 'updateCard', date: '2026-02-01T08:00:00.000Z', data: { card: { id: 'c1' } } },
  ],
};

describe('Trello board import', () => {
  const ctx = serverPerTest();

  it('creates a board with the open lists as columns and the cards’ details as text, in the importer’s language', async () => {
    const token = await adminToken(ctx.server.url);
    const response = await upload<TrelloImportResult>(ctx.server.url, '/api/boards/import/trello', JSON.stringify(TRELLO_EXPORT), { token, headers: { 'accept-language': 'fr' } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ title: 'Partenariats 2026', columns: 2, cards: 3 });
    const boards = await api<{ boards: (BoardSummary & { role: string })[] }>(ctx.server.url, '/api/boards', { token });
    expect(boards.body.boards.find((board) => board.id === response.body.boardId)).toMatchObject({ title: 'Partenariats 2026', role: 'owner' });

    const { doc } = await syncedClient(ctx.server.url, response.body.boardId, token, ctx.track);
    const board = new BoardDoc(doc);
    const columns = board.listColumns();
    expect(columns.map((column) => column.title)).toEqual(['Ideas', 'In progress']);
    const ideas = board.listCards(columns[0]!.id);
    expect(ideas.map((card) => card.title)).toEqual(['Summer school', 'Visit Hanoi University']);
    expect(ideas[1]!.description).toBe(
      [
        'Meet the dean.',
        'Étiquettes : Asia, red\nÉchéance : 2026-04-15',
        'Liste de contrôle « Before leaving » :\n☑ Ask for visa\n☐ Book flights',
        'Commentaires :\n— Tom Petit, 2026-02-01 : Asked for a date.\n— Léa Martin, 2026-02-02 : Dean confirmed.',
      ].join('\n\n'),
    );
    expect(board.listCards(columns[1]!.id)[0]!.description).toBe('Échéance : 2026-01-10 (terminée)');
  });

  it('refuses a file that is not JSON, and JSON that is not a Trello board, creating no board', async () => {
    const token = await adminToken(ctx.server.url);
    const before = (await api<{ boards: unknown[] }>(ctx.server.url, '/api/boards', { token })).body.boards.length;
    const notJson = await upload<ApiErrorBody>(ctx.server.url, '/api/boards/import/trello', '{"name": "Half', { token, headers: { 'accept-language': 'fr' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.details?.[0]?.message).toBe('Ce fichier n’est pas du JSON : exportez le tableau depuis Trello avec « Exporter au format JSON ».');
    const notTrello = await upload<ApiErrorBody>(ctx.server.url, '/api/boards/import/trello', JSON.stringify({ name: 'A list', items: [] }), { token });
    expect(notTrello.status).toBe(400);
    expect(notTrello.body.error.details?.[0]?.message).toBe('This JSON is not a Trello board export: it needs the board’s name, its lists and its cards.');
    expect((await api<{ boards: unknown[] }>(ctx.server.url, '/api/boards', { token })).body.boards.length).toBe(before);
  });
});
