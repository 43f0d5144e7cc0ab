import { beforeEach, describe, expect, it } from 'vitest';
import { BoardDoc, type SearchHit } from '@passerelle/shared';
import { adminToken, api, createBoard, eventually } from '../helpers/test-server.js';
import { serverPerTest } from '../helpers/per-test.js';
import { syncedClient } from '../helpers/sync-client.js';

describe('GET /api/search over board content', () => {
  const ctx = serverPerTest({ env: { UNLOAD_DELAY_MS: '50' } });
  let token: string;

  beforeEach(async () => {
    token = await adminToken(ctx.server.url);
  });

  const open = async (boardId: string) => {
    const client = await syncedClient(ctx.server.url, boardId, token, ctx.track);
    return { ...client, board: new BoardDoc(client.doc) };
  };

  const search = (q: string) => api<{ hits: SearchHit[] }>(ctx.server.url, `/api/search?q=${encodeURIComponent(q)}`, { token });

  /** Waits until the server's room holds what a client wrote (the provider sends asynchronously). */
  const searchUntil = async (q: string, count: number): Promise<SearchHit[]> => {
    let hits: SearchHit[] = [];
    await eventually(async () => {
      hits = (await search(q)).body.hits;
      return hits.length === count;
    }, 5000, `${count} hits for ${q}`);
    return hits;
  };

  it('finds proposals, notes, roadmap and action items while the board is open and after it was unloaded', async () => {
    const boardId = await createBoard(ctx.server.url, token, 'Afrique subsaharienne');
    const writer = await open(boardId);
    const column = writer.board.addColumn('Propositions');
    const proposal = writer.board.addProposal(column, {
      title: 'Double diplôme ENSP Yaoundé',
      createdBy: 'a',
      sections: { objectives: 'Ouvrir une filière commune avec le Cameroun en génie civil.' },
    });
    const note = writer.board.addCard(column, { title: 'Appel', description: 'Rappeler le consulat du Cameroun avant la visite.', createdBy: 'a' });
    const roadmap = writer.board.roadmap.create({ title: 'Mission de prospection', notes: 'Visite au Cameroun en mars.' });
    const action = writer.board.actions.create({ title: 'Réserver les billets pour le Cameroun' });
    writer.board.addCard(column, { title: 'Sans rapport', createdBy: 'a' });

    const whileOpen = await searchUntil('cameroun', 4);
    expect(ctx.server.sync.openBoards).toContain(boardId);
    expect(whileOpen.map((hit) => [hit.kind, hit.id])).toEqual([
      ['proposal', proposal],
      ['note', note],
      ['roadmap', roadmap],
      ['action', action],
    ]);
    expect(whileOpen[0]).toMatchObject({ boardId, boardTitle: 'Afrique subsaharienne', title: 'Double diplôme ENSP Yaoundé' });
    expect(whileOpen[0].excerpt).toContain('Cameroun');

    writer.provider.destroy();
    await eventually(() => !ctx.server.sync.openBoards.includes(boardId), 5000, 'room unloaded');
    const afterUnload = await search('cameroun');
    expect(afterUnload.status).toBe(200);
    expect(afterUnload.body.hits).toEqual(whileOpen);
    // Searching reads the store without opening a room.
    expect(ctx.server.sync.openBoards).not.toContain(boardId);
  });

  it('ignores case and accents, both in the query and in the text', async () => {
    const boardId = await createBoard(ctx.server.url, token);
    const writer = await open(boardId);
    const column = writer.board.addColumn('Suivi');
    writer.board.addCard(column, { title: 'Audit réalisé par la DREETS', createdBy: 'a' });
    const [hit] = await searchUntil('REALISE', 1);
    expect(hit.excerpt).toBe('Audit réalisé par la DREETS');
    expect((await search('Réalisé')).body.hits).toHaveLength(1);
  });

  it('cuts a long text to an excerpt around the match', async () => {
    const boardId = await createBoard(ctx.server.url, token);
    const writer = await open(boardId);
    const column = writer.board.addColumn('Suivi');
    const filler = 'mot '.repeat(100);
    writer.board.addCard(column, { title: 'Long', description: `${filler}partenaire marocain ${filler}`, createdBy: 'a' });
    const [hit] = await searchUntil('marocain', 1);
    expect(hit.excerpt.startsWith('…')).toBe(true);
    expect(hit.excerpt.endsWith('…')).toBe(true);
    expect(hit.excerpt).toContain('partenaire marocain');
    expect(hit.excerpt.length).toBeLessThanOrEqual(124);
  });

  it('refuses people who are not signed in (401) and queries shorter than two characters (400)', async () => {
    const anonymous = await api<{ error: { code: string } }>(ctx.server.url, '/api/search?q=cameroun');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');

    for (const q of ['c', '  c  ', '']) {
      const tooShort = await api<{ error: { code: string } }>(ctx.server.url, `/api/search?q=${encodeURIComponent(q)}`, { token });
      expect(tooShort.status).toBe(400);
      expect(tooShort.body.error.code).toBe('invalid_request');
    }
    const missing = await api(ctx.server.url, '/api/search', { token });
    expect(missing.status).toBe(400);
    const tooLong = await api(ctx.server.url, `/api/search?q=${'a'.repeat(101)}`, { token });
    expect(tooLong.status).toBe(400);
  });
});
