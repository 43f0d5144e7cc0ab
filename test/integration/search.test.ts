/**
 * Search by words over an index kept as documents change (embedded store: SQLite FTS5): words, not
 * substrings; case and accents ignored; prefixes; a title match first; live edits found; each person
 * finds only what they may see; the index survives a restart, and one missing is built again.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { BoardDoc, InternalDoc, WorkspaceDoc, internalDocName, proposalDocName, proposalInternalDocName, type SearchHit } from '@passerelle/shared';
import { TEST_ACTOR, addCard, writeSection } from '../helpers/proposals.js';
import { serverPerTest } from '../helpers/per-test.js';
import { syncedClient } from '../helpers/sync-client.js';
import { adminToken, api, createBoard, createMember, eventually, joinAsGuest } from '../helpers/test-server.js';

type Auth = { token: string } | { cookie: string };

describe('GET /api/search by words over the index', () => {
  const ctx = serverPerTest({ env: { UNLOAD_DELAY_MS: '50' } });
  let token: string;

  beforeEach(async () => {
    token = await adminToken(ctx.server.url);
  });

  const search = async (q: string, auth: Auth = { token }) => {
    const answer = await api<{ hits: SearchHit[] }>(ctx.server.url, `/api/search?q=${encodeURIComponent(q)}`, auth);
    expect(answer.status).toBe(200);
    return answer.body.hits;
  };

  /** The hits for `q` once `ready` holds of them (indexing follows edits by a fraction of a second). */
  const searchUntil = async (q: string, ready: (hits: SearchHit[]) => boolean, auth: Auth = { token }): Promise<SearchHit[]> => {
    let hits: SearchHit[] = [];
    await eventually(async () => ready((hits = await search(q, auth))), 5000, `hits for ${q}`);
    return hits;
  };

  /** Cards added by the server to a fresh board's first column: their ids, by title. */
  const boardWithCards = async (title: string, cards: { title: string; description?: string }[]) => {
    const boardId = await createBoard(ctx.server.url, token, title);
    const ids = await ctx.server.sync.editDocument(
      boardId,
      (doc) => {
        const board = new BoardDoc(doc);
        const column = board.addColumn('Suivi');
        return cards.map((card) => board.addCard(column, { ...card, createdBy: TEST_ACTOR.id }));
      },
      TEST_ACTOR,
    );
    return { boardId, ids };
  };

  /** The marked words of a hit's title and excerpt. */
  const marked = (hit: SearchHit) => [...hit.titleMarks.map(([from, to]) => hit.title.slice(from, to)), ...hit.excerptMarks.map(([from, to]) => hit.excerpt.slice(from, to))];

  it('matches whole words and their starts, never the inside of a word', async () => {
    const { ids } = await boardWithCards('Chantiers', [{ title: 'Construction du bâtiment' }, { title: 'Action de formation' }, { title: 'CTI : audit annuel' }]);
    const hits = await searchUntil('CTI', (found) => found.length > 0);
    expect(hits.map((hit) => hit.id)).toEqual([ids[2]]);
    expect(hits[0]).toMatchObject({ kind: 'note', title: 'CTI : audit annuel', titleMarks: [[0, 3]] });
    expect((await search('struction')).map((hit) => hit.id)).toEqual([]);
    expect((await search('constr')).map((hit) => hit.id)).toEqual([ids[0]]);
  });

  it('ignores case and accents in the query and the text, and marks the words as written', async () => {
    const { ids } = await boardWithCards('Écoles', [{ title: 'Visite', description: 'Rencontre avec l’École polytechnique de Yaoundé' }]);
    for (const q of ['ecole', 'ÉCOLE', 'Ecole polytechnique', 'yaounde']) {
      const hits = await searchUntil(q, (found) => found.some((hit) => hit.kind === 'note'));
      expect(hits.find((hit) => hit.kind === 'note')!.id).toBe(ids[0]);
    }
    const [hit] = (await search('ecole poly')).filter((found) => found.kind === 'note');
    expect(marked(hit)).toEqual(['École', 'polytechnique']);
  });

  it('finds words by their start: "mobil" finds mobilité and Mobility, every word of the query is needed', async () => {
    const { ids } = await boardWithCards('Mobilités', [{ title: 'Mobilité entrante' }, { title: 'Staff Mobility week' }, { title: 'Automobile club' }]);
    const hits = await searchUntil('mobil', (found) => found.filter((hit) => hit.kind === 'note').length === 2);
    expect(hits.filter((hit) => hit.kind === 'note').map((hit) => hit.id).sort()).toEqual([ids[0], ids[1]].sort());
    // The board's own title matches too, listed first.
    expect(hits[0]).toMatchObject({ kind: 'board', title: 'Mobilités', titleMarks: [[0, 9]] });
    expect((await search('mobil staff')).map((hit) => hit.id)).toEqual([ids[1]]);
  });

  it('ranks a match in a title above a match in a text', async () => {
    const { ids } = await boardWithCards('Classement', [
      { title: 'Réunion de rentrée', description: 'Nous parlerons du programme Erasmus et du reste.' },
      { title: 'Erasmus : bilan', description: 'Sans autre mot-clé.' },
    ]);
    const hits = await searchUntil('erasmus', (found) => found.length === 2);
    expect(hits.map((hit) => hit.id)).toEqual([ids[1], ids[0]]);
    expect(hits[1].excerpt).toBe('Nous parlerons du programme Erasmus et du reste.');
    expect(marked(hits[1])).toEqual(['Erasmus']);
  });

  it('follows a card title edited over a real y-websocket client, and forgets the old words', async () => {
    const { boardId, ids } = await boardWithCards('Direct', [{ title: 'Brouillon' }]);
    await searchUntil('brouillon', (found) => found.length === 1);
    const client = await syncedClient(ctx.server.url, boardId, token, ctx.track);
    const title = new BoardDoc(client.doc).cardTitleText(ids[0])!;
    client.doc.transact(() => {
      title.delete(0, title.length);
      title.insert(0, 'Convention avec Sherbrooke');
    });
    const hits = await searchUntil('sherbro', (found) => found.length === 1);
    expect(hits[0]).toMatchObject({ kind: 'note', id: ids[0], boardId, title: 'Convention avec Sherbrooke' });
    expect(await search('brouillon')).toEqual([]);
    // A later edit, long after the room loaded, is followed too.
    title.delete(16, 'Sherbrooke'.length);
    title.insert(16, 'Laval');
    expect((await searchUntil('laval', (found) => found.length === 1))[0]).toMatchObject({ id: ids[0], title: 'Convention avec Laval' });
    expect(await search('sherbrooke')).toEqual([]);
  });

  it('finds proposals’ text, comments, internal notes, partners and agreements, each with what it links to', async () => {
    const boardId = await createBoard(ctx.server.url, token, 'Porto');
    const cardId = await addCard(ctx.server, boardId, 'Double diplôme Porto');
    await writeSection(ctx.server, proposalDocName(boardId, cardId), 0, { fr: [{ type: 'paragraph', runs: [{ text: 'Une filière commune en hydrographie.' }] }] });
    await writeSection(ctx.server, proposalInternalDocName(boardId, cardId), 0, { fr: [{ type: 'paragraph', runs: [{ text: 'Budget prévisionnel de cofinancement.' }] }] });
    const comment = await api<{ id: string }>(ctx.server.url, `/api/boards/${boardId}/cards/${cardId}/comments`, { method: 'POST', token, body: { text: 'Relancer le rectorat de Porto' } });
    expect(comment.status).toBe(201);
    await ctx.server.sync.editDocument(internalDocName(boardId), (doc) => new InternalDoc(doc).proposalNotesText(cardId).insert(0, 'Arbitrage confidentiel'), TEST_ACTOR);
    const partnerId = await ctx.server.sync.editDocument('workspace', (doc) => {
      const workspace = new WorkspaceDoc(doc);
      const id = workspace.partners.create({ name: 'Universidade do Porto', city: 'Porto' });
      workspace.agreements.create({ title: 'Accord bilatéral Porto', partnerId: id });
      return id;
    }, TEST_ACTOR);

    const section = await searchUntil('hydrographie', (found) => found.length === 1);
    expect(section[0]).toMatchObject({ kind: 'section', boardId, cardId, cardTitle: 'Double diplôme Porto' });
    expect((await searchUntil('cofinancement', (found) => found.length === 1))[0]).toMatchObject({ kind: 'section', cardId });
    expect((await searchUntil('rectorat', (found) => found.length === 1))[0]).toMatchObject({ kind: 'comment', id: comment.body.id, cardId });
    expect((await searchUntil('confidentiel', (found) => found.length === 1))[0]).toMatchObject({ kind: 'internal', cardId });
    const porto = await searchUntil('porto', (found) => found.some((hit) => hit.kind === 'agreement'));
    expect(porto.find((hit) => hit.kind === 'partner')).toMatchObject({ id: partnerId, boardId: null, title: 'Universidade do Porto' });
    expect(porto.find((hit) => hit.kind === 'agreement')).toMatchObject({ title: 'Accord bilatéral Porto' });
  });

  it('gives each person only what they may see: a viewer of one board, a guest of it', async () => {
    const { boardId: boardA, ids } = await boardWithCards('Tableau A', [{ title: 'Lagune partagée' }]);
    const { boardId: boardB } = await boardWithCards('Tableau B', [{ title: 'Lagune secrète' }]);
    for (const boardId of [boardA, boardB]) {
      expect((await api(ctx.server.url, `/api/boards/${boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'none' }, token })).status).toBe(204);
    }
    await ctx.server.sync.editDocument(internalDocName(boardA), (doc) => new InternalDoc(doc).proposalNotesText(ids[0]).insert(0, 'Lagune interne'), TEST_ACTOR);
    const cardId = await addCard(ctx.server, boardA, 'Proposition lagune');
    await writeSection(ctx.server, proposalDocName(boardA, cardId), 0, { fr: [{ type: 'paragraph', runs: [{ text: 'Lagune des textes partagés.' }] }] });
    await writeSection(ctx.server, proposalInternalDocName(boardA, cardId), 0, { fr: [{ type: 'paragraph', runs: [{ text: 'Lagune des textes internes.' }] }] });
    await ctx.server.sync.editDocument('workspace', (doc) => void new WorkspaceDoc(doc).partners.create({ name: 'Lagune University' }), TEST_ACTOR);
    // The administrator finds all of it.
    await searchUntil('lagune', (found) => found.length === 7);

    const viewer = await createMember(ctx.server.url, 'vera', []);
    const owner = { token };
    const partnerName = 'Lagune University';
    expect((await api(ctx.server.url, `/api/boards/${boardA}/members/${viewer.id}`, { method: 'PUT', body: { role: 'viewer' }, token })).status).toBe(204);
    const seenByViewer = await search('lagune', { token: viewer.token });
    expect(seenByViewer.every((hit) => hit.boardId === boardA || hit.boardId === null)).toBe(true);
    expect(seenByViewer.map((hit) => hit.title)).not.toContain('Lagune secrète');
    expect(seenByViewer).toHaveLength(6);

    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: owner, boardId: boardA });
    const seenByGuest = await search('lagune', { cookie: guest.cookie });
    expect(seenByGuest.map((hit) => [hit.kind, hit.title]).sort()).toEqual(
      [
        ['note', 'Lagune partagée'],
        ['proposal', 'Proposition lagune'],
        ['section', expect.any(String)],
      ].sort(),
    );
    const section = seenByGuest.find((hit) => hit.kind === 'section')!;
    expect(section.excerpt).toBe('Lagune des textes partagés.');
    const everything = JSON.stringify(seenByGuest);
    for (const hidden of ['interne', 'secrète', partnerName, boardB]) expect(everything).not.toContain(hidden);
    // Another board's guest finds nothing of this one.
    const otherGuest = await joinAsGuest({ serverUrl: ctx.server.url, as: owner, boardId: boardB });
    expect((await search('lagune', { cookie: otherGuest.cookie })).map((hit) => hit.title)).toEqual(['Lagune secrète']);
  });

  it('forgets a deleted card’s comments and proposal text, and a deleted board', async () => {
    const boardId = await createBoard(ctx.server.url, token, 'Éphémère');
    const cardId = await addCard(ctx.server, boardId, 'Projet zanzibar');
    await writeSection(ctx.server, proposalDocName(boardId, cardId), 0, { fr: [{ type: 'paragraph', runs: [{ text: 'Texte zanzibar' }] }] });
    await searchUntil('zanzibar', (found) => found.length === 2);
    await ctx.server.sync.editDocument(boardId, (doc) => new BoardDoc(doc).deleteCard(cardId), TEST_ACTOR);
    await searchUntil('zanzibar', (found) => found.length === 0);

    const other = await addCard(ctx.server, boardId, 'Projet tombouctou');
    await searchUntil('tombouctou', (found) => found.length === 1);
    expect(other).toBeTruthy();
    expect((await api(ctx.server.url, `/api/boards/${boardId}`, { method: 'DELETE', token })).status).toBe(204);
    expect(await search('tombouctou')).toEqual([]);
  });

  it('answers from the stored index after a restart, and builds a missing index again in the background', async () => {
    const { ids } = await boardWithCards('Durable', [{ title: 'Kinshasa mission' }]);
    await searchUntil('kinshasa', (found) => found.length === 1);
    await ctx.restart();
    token = await adminToken(ctx.server.url);
    expect((await search('kinshasa')).map((hit) => hit.id)).toEqual([ids[0]]);

    // Without its index (a database from before search had one), the server builds it from the stored documents.
    await ctx.restart({}, async () => {
      const db = new Database(join(ctx.dataDir, 'passerelle.sqlite'));
      db.exec('DROP TABLE search_entries; DROP TABLE search_text; DROP TABLE search_meta;');
      db.close();
    });
    token = await adminToken(ctx.server.url);
    const rebuilt = await searchUntil('kinshasa', (found) => found.length === 1);
    expect(rebuilt.map((hit) => hit.id)).toEqual([ids[0]]);
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
    expect((await api(ctx.server.url, '/api/search', { token })).status).toBe(400);
    expect((await api(ctx.server.url, `/api/search?q=${'a'.repeat(101)}`, { token })).status).toBe(400);
    // Punctuation alone holds no word: nothing, rather than everything.
    expect(await search('?!')).toEqual([]);
  });
});
