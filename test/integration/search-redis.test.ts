/**
 * Search on Redis: two processes (the built server) share one index in Redis. What a person edits
 * through one process is found through the other; words, accents and prefixes as embedded; a guest
 * finds only the shared content of their board; the index survives both processes restarting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardDoc, proposalDocName, proposalInternalDocName, ProposalDoc, writeRichText, type SearchHit } from '@passerelle/shared';
import { startRedisPair, type RedisPair } from '../helpers/server-process.js';
import { adminToken, api, connectClient, createBoard, eventually, joinAsGuest, synced } from '../helpers/test-server.js';

/** How long an edit may take to be stored and indexed (two shared cores, two processes). */
const INDEXED = 10_000;

describe('search across two processes on Redis', () => {
  let pair: RedisPair;
  let token: string;
  const cleanups: (() => void)[] = [];

  // Two built servers and a redis-server take a while to start on a busy machine.
  beforeAll(async () => {
    pair = await startRedisPair({ keyPrefix: 'test:' });
    token = await adminToken(pair.first.url);
  }, 120_000);

  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    await pair?.stop();
  });

  const search = async (url: string, q: string, auth: { token: string } | { cookie: string } = { token }) => {
    const answer = await api<{ hits: SearchHit[] }>(url, `/api/search?q=${encodeURIComponent(q)}`, auth);
    expect(answer.status).toBe(200);
    return answer.body.hits;
  };

  const searchUntil = async (url: string, q: string, ready: (hits: SearchHit[]) => boolean) => {
    let hits: SearchHit[] = [];
    await eventually(async () => ready((hits = await search(url, q))), INDEXED, `hits for ${q}`);
    return hits;
  };

  /** A synced y-websocket client of a document through one process. */
  const open = async (url: string, name: string) => {
    const client = connectClient(url, name, token);
    cleanups.push(() => client.provider.destroy());
    await synced(client.provider);
    return client.doc;
  };

  it('finds through one process what was written through the other, by words, and follows edits', async () => {
    const boardId = await createBoard(pair.first.url, token, 'Réseau');
    const board = new BoardDoc(await open(pair.first.url, boardId));
    const column = board.addColumn('Suivi');
    const school = board.addCard(column, { title: 'École de construction', createdBy: 'a' });
    const other = board.addCard(column, { title: 'Action mobilité', description: 'Une École plus loin dans le texte', createdBy: 'a' });

    const hits = await searchUntil(pair.second.url, 'ecole', (found) => found.length === 2);
    expect(hits.map((hit) => hit.id)).toEqual([school, other]);
    expect(hits[0]).toMatchObject({ kind: 'note', boardId, title: 'École de construction', titleMarks: [[0, 5]] });
    expect(hits[1].excerptMarks.map(([from, to]) => hits[1].excerpt.slice(from, to))).toEqual(['École']);
    expect(await search(pair.second.url, 'CTI')).toEqual([]);
    expect((await search(pair.second.url, 'mobil')).map((hit) => hit.id)).toEqual([other]);

    const title = board.cardTitleText(school)!;
    board.doc.transact(() => {
      title.delete(0, title.length);
      title.insert(0, 'Lycée technique');
    });
    await searchUntil(pair.second.url, 'lycee', (found) => found.length === 1);
    expect((await search(pair.first.url, 'ecole')).map((hit) => hit.id)).toEqual([other]);
  });

  it('gives a guest the shared content of their board only', async () => {
    const boardId = await createBoard(pair.first.url, token, 'Partagé');
    const secretBoard = await createBoard(pair.first.url, token, 'Autre');
    const board = new BoardDoc(await open(pair.first.url, boardId));
    const cardId = board.addProposal(board.addColumn('Propositions'), { title: 'Proposition okapi', createdBy: 'a' });
    const secret = new BoardDoc(await open(pair.first.url, secretBoard));
    secret.addCard(secret.addColumn('Suivi'), { title: 'Okapi secret', createdBy: 'a' });
    // Stored (and indexed) before its proposal's documents are opened through the other process.
    await searchUntil(pair.second.url, 'proposition okapi', (found) => found.length === 1);
    for (const [name, text] of [
      [proposalDocName(boardId, cardId), 'Okapi partagé'],
      [proposalInternalDocName(boardId, cardId), 'Okapi interne'],
    ] as const) {
      const doc = await open(pair.second.url, name);
      await eventually(() => new ProposalDoc(doc).list().length > 0, INDEXED, 'sections created');
      const proposal = new ProposalDoc(doc);
      writeRichText(proposal.text(proposal.list()[0]!.id, 'fr')!, [{ type: 'paragraph', runs: [{ text }] }]);
    }
    await searchUntil(pair.first.url, 'okapi', (found) => found.length === 4);

    const guest = await joinAsGuest({ serverUrl: pair.first.url, as: { token }, boardId, joinAt: pair.second.url });
    const seen = await search(pair.second.url, 'okapi', { cookie: guest.cookie });
    expect(seen.map((hit) => hit.kind).sort()).toEqual(['proposal', 'section']);
    expect(JSON.stringify(seen)).not.toContain('interne');
    expect(JSON.stringify(seen)).not.toContain('secret');
  });

  it('answers from the index in Redis after both processes restart', async () => {
    const boardId = await createBoard(pair.first.url, token, 'Durable');
    const board = new BoardDoc(await open(pair.first.url, boardId));
    const cardId = board.addCard(board.addColumn('Suivi'), { title: 'Mission Kinshasa', createdBy: 'a' });
    await searchUntil(pair.first.url, 'kinshasa', (found) => found.length === 1);
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    await pair.first.restart();
    await pair.second.restart();
    token = await adminToken(pair.second.url);
    expect((await search(pair.second.url, 'kinsh')).map((hit) => hit.id)).toEqual([cardId]);
  });
});
