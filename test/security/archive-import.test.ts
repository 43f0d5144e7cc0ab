/**
 * The workspace archive as a backup must be: a board of several MiB goes out and comes back byte for
 * byte; an import that fails at any step leaves nothing behind (no one it created can sign in, no
 * board, no document, no version); and an archive cannot give a board the name of another document
 * (`workspace`). Real servers on port 0 with real SQLite, over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc, InternalDoc, WorkspaceDoc, internalDocName, isId, type ImportResult, type Me, type VersionSummary, type WorkspaceArchive } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import type { DocumentStore, StoredDocument, StoredSummary } from '../../server/src/store/document-store.js';
import { openDatabase } from '../../server/src/store/sqlite-database.js';
import { SqliteDocumentStore } from '../../server/src/store/sqlite-document-store.js';
import { RedisDocumentStore } from '../../server/src/store/redis-document-store.js';
import { redisForThisFile } from '../helpers/redis-fixture.js';
import { ADMIN, api, login, startTestServer, tempDataDir } from '../helpers/test-server.js';

const BOB = { email: 'bob@example.org', password: 'a-long-password', name: 'Bob' };
/** Past the size where the old base64 check overflowed the stack (about 3.2 MiB). */
const BIG_BOARD_BYTES = 4.5 * 1024 * 1024;

/** A real SQLite document store that fails to append to the documents named in `failing` (a full disk, a lost connection). */
class FailingDocumentStore implements DocumentStore {
  readonly failing = new Set<string>();
  constructor(readonly inner: DocumentStore) {}
  load(docName: string): Promise<StoredDocument> {
    return this.inner.load(docName);
  }
  async append(docName: string, update: Uint8Array): Promise<number> {
    if (this.failing.has(docName)) throw new Error(`no space left writing ${docName}`);
    return this.inner.append(docName, update);
  }
  compact(docName: string, snapshot: Uint8Array, throughSeq: number, schemaVersion?: number | null): Promise<void> {
    return this.inner.compact(docName, snapshot, throughSeq, schemaVersion);
  }
  putSummary(docName: string, summary: string, throughSeq: number): Promise<void> {
    return this.inner.putSummary(docName, summary, throughSeq);
  }
  loadSummary(docName: string): Promise<StoredSummary | null> {
    return this.inner.loadSummary(docName);
  }
  delete(docName: string): Promise<void> {
    return this.inner.delete(docName);
  }
  list(): Promise<string[]> {
    return this.inner.list();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A board state of at least `bytes`, built directly with Yjs: cards with long descriptions. */
function bigBoardState(bytes: number, createdBy: string): Uint8Array {
  const doc = new Y.Doc();
  const board = new BoardDoc(doc);
  const column = board.addColumn('Mobilités sortantes');
  const description = (i: number) => `Carte ${i}: ` + 'Accord de double diplôme, mobilité de semestre, suivi des étudiants. '.repeat(220);
  let i = 0;
  while (Y.encodeStateAsUpdate(doc).byteLength < bytes) {
    doc.transact(() => {
      for (let n = 0; n < 50; n++, i++) board.addCard(column, { title: `Partenaire ${i}`, description: description(i), createdBy });
    });
  }
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

const decode = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

/** One real redis-server for this file, for the Redis backend; each server gets a fresh key prefix. */
const redisOfThisFile = redisForThisFile();

describe('workspace archive import', () => {
  const sourceData = tempDataDir();
  let source: PasserelleServer;
  let archive: WorkspaceArchive;
  let bigBoardId: string;
  const smallBoardIds: string[] = [];
  const started: { server: PasserelleServer; remove: () => void }[] = [];

  const post = (server: PasserelleServer, cookie: string, body: string, language = 'en') =>
    fetch(`${server.url}/api/import`, {
      method: 'POST',
      headers: { cookie, origin: server.url, 'content-type': 'application/vnd.passerelle.archive+json', 'accept-language': language },
      body,
    });
  const exportOf = async (server: PasserelleServer, cookie: string) =>
    (await (await fetch(`${server.url}/api/export`, { headers: { cookie } })).json()) as WorkspaceArchive;
  const signsIn = async (server: PasserelleServer, person: { email: string; password: string }) =>
    (await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(person) })).status === 200;

  async function freshServer(): Promise<PasserelleServer> {
    const data = tempDataDir();
    const server = await startTestServer({ dataDir: data.dir });
    started.push({ server, remove: data.remove });
    return server;
  }

  beforeAll(async () => {
    source = await startTestServer({ dataDir: sourceData.dir });
    const cookie = await login(source.url);
    const as = <T>(path: string, body: unknown) => api<T>(source.url, path, { method: 'POST', body, cookie, headers: { origin: source.url } });
    const bob = await as<Me>('/api/users', { email: BOB.email, password: BOB.password, name: BOB.name });
    expect(bob.status).toBe(201);
    const admin = (await api<Me>(source.url, '/api/auth/me', { cookie })).body;

    bigBoardId = (await as<{ id: string }>('/api/boards', { title: 'Toutes les mobilités' })).body.id;
    const state = bigBoardState(BIG_BOARD_BYTES, admin.id);
    await source.sync.editDocument(bigBoardId, (doc) => Y.applyUpdate(doc, state), { id: admin.id, name: admin.name });
    await source.sync.editDocument(internalDocName(bigBoardId), (doc) => new InternalDoc(doc).notes.insert(0, 'Budget 2027 : 40 000 €'), { id: admin.id, name: admin.name });
    expect((await as<VersionSummary>(`/api/boards/${bigBoardId}/versions`, { name: 'Avant le comité' })).status).toBe(201);

    for (const title of ['Relations entreprises', 'Doubles diplômes']) {
      const id = (await as<{ id: string }>('/api/boards', { title })).body.id;
      smallBoardIds.push(id);
      await source.sync.editDocument(id, (doc) => new BoardDoc(doc).addColumn('Stages'), { id: admin.id, name: admin.name });
      await source.sync.editDocument(internalDocName(id), (doc) => new InternalDoc(doc).notes.insert(0, 'Contacts'), { id: admin.id, name: admin.name });
      expect((await as<VersionSummary>(`/api/boards/${id}/versions`, { name: 'Rentrée' })).status).toBe(201);
      expect((await api(source.url, `/api/boards/${id}/members/${bob.body.id}`, { method: 'PUT', body: { role: 'editor' }, cookie, headers: { origin: source.url } })).status).toBeLessThan(300);
    }

    archive = await exportOf(source, cookie);
  });

  afterAll(async () => {
    for (const { server, remove } of started) {
      await server.close();
      remove();
    }
    await source?.close();
    sourceData.remove();
  });

  it('brings a board over 4 MiB back into a fresh server, with byte-identical documents and versions', async () => {
    const big = archive.boards.find((board) => board.summary.id === bigBoardId)!;
    expect(decode(big.board).byteLength).toBeGreaterThan(BIG_BOARD_BYTES);
    expect(big.versions).toHaveLength(1);

    const target = await freshServer();
    const cookie = await login(target.url);
    const imported = await post(target, cookie, JSON.stringify(archive));
    expect(imported.status, await imported.clone().text()).toBe(201);
    expect((await imported.json()) as ImportResult).toMatchObject({ boards: 3, versions: 3, peopleCreated: 1, peopleMatched: 1 });

    const again = await exportOf(target, cookie);
    expect(again.boards.map((board) => board.summary.id)).toEqual(archive.boards.map((board) => board.summary.id));
    for (const [index, board] of archive.boards.entries()) {
      expect(again.boards[index]!.board === board.board).toBe(true);
      expect(again.boards[index]!.internal === board.internal).toBe(true);
      // Compared as booleans: a failure should not print megabytes of base64.
      const copy = again.boards[index]!.versions;
      expect(copy.map((version) => version.id)).toEqual(board.versions.map((version) => version.id));
      expect(copy.every((version, v) => version.board === board.versions[v]!.board && version.internal === board.versions[v]!.internal)).toBe(true);
    }
    expect(await signsIn(target, BOB)).toBe(true);
  });

  /** The stores an import writes to, on each backend: real SQLite, or a real redis-server. */
  const backends: [string, () => Promise<{ documents: DocumentStore; env: Record<string, string>; stop(): Promise<void> }>][] = [
    [
      'SQLite',
      async () => {
        const data = tempDataDir();
        const db = openDatabase(data.dir);
        return { documents: new SqliteDocumentStore(db), env: {}, stop: async () => (db.close(), data.remove()) };
      },
    ],
    [
      'Redis',
      async () => {
        const redis = await redisOfThisFile.server();
        const keyPrefix = redisOfThisFile.freshPrefix();
        const documents = await RedisDocumentStore.connect({ url: redis.url, keyPrefix });
        return { documents, env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: keyPrefix }, stop: async () => {} };
      },
    ],
  ];

  it.each(backends)('leaves nothing when an import fails while writing (%s): no one it created can sign in, no board, no document, no version', async (_name, open) => {
    const backend = await open();
    const documents = new FailingDocumentStore(backend.documents);
    // Two small boards: when the second one's internal document fails, the people, the first board
    // (row, sharing, documents, versions) and the second one's row and document are written.
    const small = { ...archive, boards: archive.boards.filter((board) => smallBoardIds.includes(board.summary.id)) };
    documents.failing.add(internalDocName(small.boards[1]!.summary.id));
    const targetData = tempDataDir();
    const target = await startTestServer({ dataDir: targetData.dir, documents, env: backend.env });
    try {
      const cookie = await login(target.url);
      const usersBefore = (await api<{ users: { email: string }[] }>(target.url, '/api/users', { cookie })).body.users;

      const failed = await post(target, cookie, JSON.stringify(small));
      expect(failed.status).toBe(500);
      expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('internal');

      expect(await signsIn(target, BOB)).toBe(false);
      expect((await api<{ users: { email: string }[] }>(target.url, '/api/users', { cookie })).body.users).toEqual(usersBefore);
      expect((await api<{ boards: unknown[] }>(target.url, '/api/boards', { cookie })).body.boards).toEqual([]);
      for (const board of small.boards) {
        for (const name of [board.summary.id, internalDocName(board.summary.id)]) expect((await documents.inner.load(name)).updates).toEqual([]);
        expect((await api(target.url, `/api/boards/${board.summary.id}/versions`, { cookie })).status).toBe(404);
      }
      const exported = await exportOf(target, cookie);
      expect(exported.boards).toEqual([]);
      expect(exported.people.map((person) => person.email)).toEqual([ADMIN.email]);

      // Nothing left behind stands in the way: the same archive then imports whole, Bob created anew.
      documents.failing.clear();
      const retried = await post(target, cookie, JSON.stringify(small));
      expect(retried.status).toBe(201);
      expect((await retried.json()) as ImportResult).toMatchObject({ boards: 2, versions: 2, peopleCreated: 1, peopleMatched: 1 });
      expect(await signsIn(target, BOB)).toBe(true);
      const again = await exportOf(target, cookie);
      expect(again.boards.map((board) => board.versions.map((version) => version.id))).toEqual(small.boards.map((board) => board.versions.map((version) => version.id)));
    } finally {
      await target.close();
      targetData.remove();
      await backend.stop();
    }
  });

  it('refuses a board id that names another document ("workspace"), writing nothing', async () => {
    expect(isId('workspace')).toBe(false);
    const target = await freshServer();
    const cookie = await login(target.url);
    const small = archive.boards.find((board) => board.summary.id === smallBoardIds[0])!;
    const hijack = structuredClone({ ...archive, boards: [small] });
    hijack.boards[0]!.summary.id = 'workspace';

    const refused = await post(target, cookie, JSON.stringify(hijack), 'fr');
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details.map((detail) => detail.path)).toContain('boards.0.summary.id');

    expect(await signsIn(target, BOB)).toBe(false);
    const exported = await exportOf(target, cookie);
    expect(exported.boards).toEqual([]);
    const workspace = new Y.Doc();
    Y.applyUpdate(workspace, decode(exported.workspace));
    expect(workspace.share.has('columns') || workspace.share.has('cards')).toBe(false);
    expect(new WorkspaceDoc(workspace).partners.list()).toEqual([]);
    // Nor can the API or the sync path reach a board by that name.
    expect((await api(target.url, '/api/boards/workspace/versions', { cookie })).status).toBe(404);
  });
});
