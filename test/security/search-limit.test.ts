/**
 * Searches are bounded per person and per process, and a search past either bound is refused at once
 * (429, Retry-After, a message in the caller's language) rather than queued behind the others. A
 * search reads an index and is quick; here the index answers slowly (as Redis may under load), so
 * that searches sent together overlap.
 */
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody, Me, SearchHit } from '@passerelle/shared';
import { DEFAULT_SEARCH_LIMITS } from '../../server/src/http/search.js';
import type { SearchIndex } from '../../server/src/search/search-index.js';
import { SqliteSearchIndex } from '../../server/src/search/sqlite-search-index.js';
import { adminToken, api, createBoard, login } from '../helpers/test-server.js';
import { serverPerTest } from '../helpers/per-test.js';

/** Enough stored boards that one search spans many turns of the event loop. */
const BOARDS = 40;

/** A real index whose queries each take `delayMs` longer. */
function slowIndex(delayMs: number): SearchIndex {
  const database = new Database(':memory:');
  const index = new SqliteSearchIndex(database);
  return {
    replaceDocument: (name, entries) => index.replaceDocument(name, entries),
    removeBoard: (boardId) => index.removeBoard(boardId),
    search: async (words, scope, limit) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return index.search(words, scope, limit);
    },
    isBuilt: (version) => index.isBuilt(version),
    markBuilt: (version) => index.markBuilt(version),
    claimRebuild: () => index.claimRebuild(),
    close: async () => void database.close(),
  };
}

describe('search bounds', () => {
  const ctx = serverPerTest(() => ({ search: slowIndex(300) }));
  let token: string;

  beforeEach(async () => {
    token = await adminToken(ctx.server.url);
    for (let index = 0; index < BOARDS; index++) await createBoard(ctx.server.url, token, `Tableau ${index}`);
  });

  const search = (auth: { token: string } | { cookie: string }, language = 'en') =>
    fetch(`${ctx.server.url}/api/search?q=erasmus`, {
      headers: { 'accept-language': language, ...('token' in auth ? { authorization: `Bearer ${auth.token}` } : { cookie: auth.cookie }) },
    });

  /** Status, Retry-After and error message of each answer. */
  const outcomes = (answers: Response[]) =>
    Promise.all(
      answers.map(async (answer) => ({
        status: answer.status,
        retryAfter: answer.headers.get('retry-after'),
        body: (await answer.json()) as ApiErrorBody | { hits: SearchHit[] },
      })),
    );

  it('one person’s concurrent searches past their bound are refused with 429, Retry-After and a message in their language', async () => {
    const answers = await outcomes(await Promise.all(Array.from({ length: 5 }, () => search({ token }, 'fr'))));
    const served = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(served.length).toBeLessThanOrEqual(DEFAULT_SEARCH_LIMITS.perPerson);
    expect(refused).toHaveLength(5 - served.length);
    for (const answer of refused) {
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      expect((answer.body as ApiErrorBody).error.code).toBe('search_busy');
      expect((answer.body as ApiErrorBody).error.message).toBe('Trop de recherches sont en cours. Réessayez dans un instant.');
    }
    // Once they are done, the person searches again.
    expect((await search({ token })).status).toBe(200);
  });

  it('searches by several people past the process’s bound are refused too, and each is served afterwards', async () => {
    const adminCookie = await login(ctx.server.url);
    const people = [{ token }];
    for (let index = 0; index < DEFAULT_SEARCH_LIMITS.overall + 2; index++) {
      const email = `membre${index}@example.org`;
      const created = await api<Me>(ctx.server.url, '/api/users', { method: 'POST', cookie: adminCookie, headers: { origin: ctx.server.url }, body: { email, password: 'a-long-password', name: `Membre ${index}` } });
      expect(created.status).toBe(201);
      people.push({ token: (await api<{ token: string }>(ctx.server.url, '/api/tokens', { method: 'POST', cookie: await login(ctx.server.url, { email, password: 'a-long-password' }), headers: { origin: ctx.server.url }, body: { name: 'search' } })).body.token });
    }
    const answers = await outcomes(await Promise.all(people.map((person) => search(person))));
    const served = answers.filter((answer) => answer.status === 200).length;
    expect(served).toBeGreaterThanOrEqual(1);
    expect(served).toBeLessThanOrEqual(DEFAULT_SEARCH_LIMITS.overall);
    for (const answer of answers.filter((answer) => answer.status !== 200)) {
      expect(answer.status).toBe(429);
      expect((answer.body as ApiErrorBody).error.message).toBe('Too many searches are running. Try again in a moment.');
    }
    for (const person of people) expect((await search(person)).status).toBe(200);
  });
});
