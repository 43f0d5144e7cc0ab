/**
 * Version history and the workspace archive against a real server (port 0, real SQLite, stock
 * y-websocket clients): automatic and named versions, viewing a past version, restoring it while two
 * people are connected (and after a restart), guests kept out, and an export → import → export
 * round-trip that gives back exactly the same documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import {
  BoardDoc,
  InternalDoc,
  WorkspaceDoc,
  internalDocName,
  type GuestInviteCreated,
  type ImportResult,
  type Me,
  type RestoreResult,
  type VersionSummary,
  type VersionView,
  type WorkspaceArchive,
} from '../../shared/src/index.js';
import type { PasserelleServer } from '../../server/src/app.js';
import { startRedisServer } from '../helpers/redis-server.js';
import { ADMIN, adminToken, api, connectClient, createBoard, eventually, login, startTestServer, synced, tempDataDir } from '../helpers/test-server.js';

/** Automatic versions every 300 ms instead of 10 minutes (an `AppParts` option). */
const FAST_VERSIONS = { versionIntervalMs: 300 };

/** What a person sees on a board: columns in order, each with its cards' titles, descriptions and proposal sections. */
function visibleBoard(doc: Y.Doc) {
  const board = new BoardDoc(doc);
  return board.listColumns().map((column) => ({
    title: column.title,
    cards: board.listCards(column.id).map((card) => ({
      title: card.title,
      description: card.description,
      objectives: board.getProposal(card.id)?.sections.objectives ?? null,
    })),
  }));
}

/** A document's content read through its accessors and as plain JSON, to compare two states exactly. */
function boardContent(state: Uint8Array) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const board = new BoardDoc(doc);
  return {
    json: doc.toJSON(),
    columns: board.listColumns(),
    cards: [...board.cardsByColumn().values()].flat().map((card) => board.getProposal(card.id) ?? card),
    roadmap: board.roadmap.list(),
    actions: board.actions.list(),
  };
}

function internalContent(state: Uint8Array) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const internal = new InternalDoc(doc);
  return { json: doc.toJSON(), notes: internal.notes.toString() };
}

function workspaceContent(state: Uint8Array) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const workspace = new WorkspaceDoc(doc);
  return {
    partners: workspace.partners.list(),
    agreements: workspace.agreements.list(),
    mobilities: workspace.mobilities.list(),
    targets: workspace.targets.list(),
    settings: workspace.settings,
  };
}

const decode = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

describe('version history and workspace archive', () => {
  const data = tempDataDir();
  let server: PasserelleServer;
  let adminCookie: string;
  let boardId: string;
  let adminToken: string;
  const providers: WebsocketProvider[] = [];

  const as = <T>(cookie: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    api<T>(server.url, path, { ...init, cookie, headers: { origin: server.url, ...init.headers } });
  const asAdmin = <T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) => as<T>(adminCookie, path, init);

  /** A stock client of a document (`<boardId>`, `<boardId>/internal`, `workspace`), synced. */
  async function client(name: string, token = adminToken): Promise<Y.Doc> {
    const { doc, provider } = connectClient(server.url, name, token);
    providers.push(provider);
    await synced(provider);
    return doc;
  }

  async function memberToken(email: string): Promise<{ cookie: string; token: string }> {
    const created = await asAdmin<Me>('/api/users', { method: 'POST', body: { email, password: 'a-long-password', name: email.split('@')[0] } });
    expect(created.status).toBe(201);
    const cookie = await login(server.url, { email, password: 'a-long-password' });
    const token = await as<{ token: string }>(cookie, '/api/tokens', { method: 'POST', body: { name: 'tests' } });
    return { cookie, token: token.body.token };
  }

  const versionsOf = async (id = boardId) => (await asAdmin<{ versions: VersionSummary[] }>(`/api/boards/${id}/versions`)).body.versions;

  beforeAll(async () => {
    server = await startTestServer({ dataDir: data.dir, ...FAST_VERSIONS });
    adminCookie = await login(server.url);
    adminToken = (await asAdmin<{ token: string }>('/api/tokens', { method: 'POST', body: { name: 'tests' } })).body.token;
    boardId = await createBoard(server.url, adminToken, 'Erasmus strategy');
  });

  afterAll(async () => {
    for (const provider of providers) provider.destroy();
    await server?.close();
    data.remove();
  });

  let namedVersion: VersionSummary;
  let cardId: string;

  it('takes one automatic version a while after a burst of changes, naming who changed the board', async () => {
    const doc = await client(boardId);
    const board = new BoardDoc(doc);
    const column = board.addColumn('Proposals');
    cardId = board.addProposal(column, { title: 'Double degree with Porto', createdBy: 'admin', sections: { objectives: 'Two years in each school' } });
    for (let i = 0; i < 5; i++) board.cardDescriptionText(cardId)!.insert(0, 'x');
    await eventually(async () => (await versionsOf()).length > 0, 5000, 'an automatic version');
    // No more changes: no more versions, however long we wait.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const versions = await versionsOf();
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ boardId, kind: 'auto', name: null, createdBy: null });
    expect(versions[0].editors).toEqual([{ id: expect.any(String), name: expect.any(String) }]);
  });

  it('names the current state, with who named it; an empty name is refused', async () => {
    const internal = new InternalDoc(await client(internalDocName(boardId)));
    internal.notes.insert(0, 'Budget: 12 000 EUR');
    await eventually(() => server.sync.documentOf(internalDocName(boardId))?.getText('notes').toString() === 'Budget: 12 000 EUR', 5000, 'internal note stored');
    const created = await asAdmin<VersionSummary>(`/api/boards/${boardId}/versions`, { method: 'POST', body: { name: 'Before the committee' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'named', name: 'Before the committee', createdBy: { name: expect.any(String) } });
    namedVersion = created.body;
    expect((await versionsOf())[0].id).toBe(namedVersion.id);
    const empty = await asAdmin(`/api/boards/${boardId}/versions`, { method: 'POST', body: { name: '   ' } });
    expect(empty.status).toBe(400);
  });

  it('shows a past version read-only, as it was, while the board has moved on', async () => {
    const live = server.sync.documentOf(boardId)!;
    await server.sync.editDocument(boardId, (doc) => {
      const board = new BoardDoc(doc);
      board.cardTitleText(cardId)!.insert(0, 'DRAFT ');
      board.addCard(board.listColumns()[0].id, { title: 'Summer school', createdBy: 'admin' });
    }, { id: 'admin', name: 'Admin' });
    expect(visibleBoard(live)[0].cards).toHaveLength(2);

    const view = await asAdmin<VersionView>(`/api/boards/${boardId}/versions/${namedVersion.id}`);
    expect(view.status).toBe(200);
    expect(view.body.version.id).toBe(namedVersion.id);
    expect(view.body.title).toBe('Erasmus strategy');
    expect(view.body.columns.map((c) => c.title)).toEqual(['Proposals']);
    expect(view.body.columns[0].cards).toHaveLength(1);
    expect(view.body.columns[0].cards[0]).toMatchObject({ title: 'Double degree with Porto', kind: 'proposal', sections: { objectives: 'Two years in each school' } });
    expect(view.body.internal.notes).toBe('Budget: 12 000 EUR');
    expect((await asAdmin(`/api/boards/${boardId}/versions/unknownversion1`)).status).toBe(404);
  });

  it('restores a version for two connected people at once, keeps the state before, and later edits still merge', async () => {
    const bob = await memberToken('bob@example.org');
    const adminDoc = await client(boardId);
    const bobDoc = await client(boardId, bob.token);
    const bobInternal = new InternalDoc(await client(internalDocName(boardId), bob.token));
    const expected = [{ title: 'Proposals', cards: [{ title: 'Double degree with Porto', description: 'xxxxx', objectives: 'Two years in each school' }] }];
    expect(visibleBoard(bobDoc)).not.toEqual(expected);
    bobInternal.notes.insert(0, 'Later internal words. ');
    await eventually(() => server.sync.documentOf(internalDocName(boardId))?.getText('notes').toString().startsWith('Later') === true, 5000, 'internal edit');

    const restored = await as<RestoreResult>(bob.cookie, `/api/boards/${boardId}/versions/${namedVersion.id}/restore`, { method: 'POST' });
    expect(restored.status).toBe(200);
    expect(restored.body.restored.id).toBe(namedVersion.id);
    expect(restored.body.before?.kind).toBe('auto');

    await eventually(() => JSON.stringify(visibleBoard(adminDoc)) === JSON.stringify(expected), 5000, 'admin client restored');
    await eventually(() => JSON.stringify(visibleBoard(bobDoc)) === JSON.stringify(expected), 5000, 'bob client restored');
    await eventually(() => bobInternal.notes.toString() === 'Budget: 12 000 EUR', 5000, 'internal notes restored');
    expect(adminDoc.toJSON()).toEqual(bobDoc.toJSON());

    // The state before the restore is a version: the restore can itself be undone.
    const before = await asAdmin<VersionView>(`/api/boards/${boardId}/versions/${restored.body.before!.id}`);
    expect(before.body.columns[0].cards.map((card) => card.title)).toEqual(['DRAFT Double degree with Porto', 'Summer school']);

    // After the restore, edits from both sides merge as usual.
    new BoardDoc(bobDoc).cardTitleText(cardId)!.insert(0, '2027 ');
    new BoardDoc(adminDoc).cardDescriptionText(cardId)!.insert(5, ' (five)');
    const merged = { title: '2027 Double degree with Porto', description: 'xxxxx (five)' };
    for (const doc of [adminDoc, bobDoc]) {
      await eventually(() => new BoardDoc(doc).getCard(cardId)?.title === merged.title && new BoardDoc(doc).getCard(cardId)?.description === merged.description, 5000, 'merge');
    }
  });

  /** Stops the server and starts it again on the same data, with automatic versions every `intervalMs`. */
  async function restart(intervalMs: number): Promise<void> {
    for (const provider of providers.splice(0)) provider.destroy();
    await server.close();
    const versionParts = { versionIntervalMs: intervalMs };
    server = await startTestServer({ dataDir: data.dir, ...versionParts });
    adminCookie = await login(server.url);
  }

  it('keeps the restored board and its versions across a restart', async () => {
    const versionsBefore = await versionsOf();
    await restart(60_000);
    const doc = await client(boardId);
    expect(visibleBoard(doc)).toEqual([{ title: 'Proposals', cards: [{ title: '2027 Double degree with Porto', description: 'xxxxx (five)', objectives: 'Two years in each school' }] }]);
    const internal = new InternalDoc(await client(internalDocName(boardId)));
    expect(internal.notes.toString()).toBe('Budget: 12 000 EUR');
    expect((await versionsOf()).map((v) => v.id)).toEqual(expect.arrayContaining(versionsBefore.map((v) => v.id)));
  });

  it('takes the automatic version of changes still pending when the server stops', async () => {
    const count = (await versionsOf()).length;
    const doc = await client(boardId);
    new BoardDoc(doc).cardTitleText(cardId)!.insert(0, 'Final ');
    await eventually(() => new BoardDoc(server.sync.documentOf(boardId)!).getCard(cardId)?.title.startsWith('Final') === true, 5000, 'edit stored');
    expect(await versionsOf()).toHaveLength(count);
    await restart(FAST_VERSIONS.versionIntervalMs);
    const versions = await versionsOf();
    expect(versions).toHaveLength(count + 1);
    const view = await asAdmin<VersionView>(`/api/boards/${boardId}/versions/${versions[0].id}`);
    expect(view.body.columns[0].cards[0].title).toBe('Final 2027 Double degree with Porto');
  });

  it('refuses versions and exports to partner guests (403), and exports to members who are not administrators', async () => {
    const invite = await asAdmin<GuestInviteCreated>(`/api/boards/${boardId}/guest-invites`, {
      method: 'POST',
      body: { role: 'editor', label: 'Universidade do Porto', expiresInHours: 24 },
    });
    expect(invite.status).toBe(201);
    const joined = await fetch(`${server.url}/api/guest-invites/${invite.body.url.split('/guest/')[1]}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ name: 'Ana Sousa', organisation: 'Universidade do Porto' }),
    });
    expect(joined.status).toBe(201);
    const guest = joined.headers.getSetCookie().find((c) => c.startsWith('passerelle_session='))!.split(';')[0];
    const versionId = (await versionsOf())[0].id;
    expect((await as(guest, `/api/boards/${boardId}/versions`)).status).toBe(403);
    expect((await as(guest, `/api/boards/${boardId}/versions`, { method: 'POST', body: { name: 'Mine' } })).status).toBe(403);
    expect((await as(guest, `/api/boards/${boardId}/versions/${versionId}`)).status).toBe(403);
    expect((await as(guest, `/api/boards/${boardId}/versions/${versionId}/restore`, { method: 'POST' })).status).toBe(403);
    expect((await as(guest, '/api/export')).status).toBe(403);
    const carol = await memberToken('carol@example.org');
    expect((await as(carol.cookie, '/api/export')).status).toBe(403);
    expect((await as(carol.cookie, '/api/import', { method: 'POST', body: {} })).status).toBe(403);
  });

  describe('export and import', () => {
    const targetData = tempDataDir();
    let target: PasserelleServer;
    let first: WorkspaceArchive;

    afterAll(async () => {
      await target?.close();
      targetData.remove();
    });

    it('exports every board, its versions, the workspace records and the people, and audits the export', async () => {
      const workspace = new WorkspaceDoc(await client('workspace'));
      workspace.partners.create({ name: 'Universidade do Porto', region: 'eu', city: 'Porto' });
      await eventually(async () => new WorkspaceDoc(server.sync.documentOf('workspace')!).partners.list().length === 1, 5000, 'partner stored');
      const second = await createBoard(server.url, adminToken, 'Company relations');
      await server.sync.editDocument(second, (doc) => new BoardDoc(doc).roadmap.create({ title: 'Internship fair' }), { id: 'admin', name: 'Admin' });

      const exported = await fetch(`${server.url}/api/export`, { headers: { cookie: adminCookie } });
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="passerelle-\d{4}-\d{2}-\d{2}\.json"$/);
      first = (await exported.json()) as WorkspaceArchive;
      expect(first.boards.map((b) => b.summary.title).sort()).toEqual(['Company relations', 'Erasmus strategy']);
      expect(first.people.map((p) => p.email)).toEqual(['admin@example.org', 'bob@example.org', 'carol@example.org'].sort());
      expect(first.boards.find((b) => b.summary.id === boardId)!.versions.length).toBeGreaterThan(2);
      expect(workspaceContent(decode(first.workspace)).partners.map((p) => p.name)).toEqual(['Universidade do Porto']);

      const audit = await asAdmin<{ events: { type: string }[] }>('/api/audit?type=export');
      expect(audit.body.events).toHaveLength(1);
    });

    it('imports into a fresh server so that a second export holds exactly the same documents', async () => {
      target = await startTestServer({ dataDir: targetData.dir, ...FAST_VERSIONS });
      const cookie = await login(target.url);
      const response = await fetch(`${target.url}/api/import`, {
        method: 'POST',
        headers: { cookie, origin: target.url, 'content-type': 'application/vnd.passerelle.archive+json' },
        body: JSON.stringify(first),
      });
      expect(response.status).toBe(201);
      const result = (await response.json()) as ImportResult;
      // The administrator of the new server has the same email: matched, not duplicated.
      expect(result).toMatchObject({ boards: 2, peopleCreated: 2, peopleMatched: 1 });

      // Bob signs in on the new server with his old password.
      await login(target.url, { email: 'bob@example.org', password: 'a-long-password' });

      const again = await fetch(`${target.url}/api/export`, { headers: { cookie } });
      const second = (await again.json()) as WorkspaceArchive;
      expect(second.boards.map((b) => b.summary.id)).toEqual(first.boards.map((b) => b.summary.id));
      for (const [index, board] of first.boards.entries()) {
        const copy = second.boards[index];
        expect(boardContent(decode(copy.board))).toEqual(boardContent(decode(board.board)));
        expect(internalContent(decode(copy.internal))).toEqual(internalContent(decode(board.internal)));
        // Byte for byte, too: the states are stored as they came.
        expect(copy.board).toBe(board.board);
        expect(copy.internal).toBe(board.internal);
        expect(copy.sharing.workspaceAccess).toBe(board.sharing.workspaceAccess);
        expect(copy.versions.map(({ createdBy: _c, editors: _e, ...rest }) => rest)).toEqual(board.versions.map(({ createdBy: _c, editors: _e, ...rest }) => rest));
        expect(copy.summary).toMatchObject({ id: board.summary.id, title: board.summary.title, createdAt: board.summary.createdAt, updatedAt: board.summary.updatedAt });
      }
      expect(workspaceContent(decode(second.workspace))).toEqual(workspaceContent(decode(first.workspace)));
      // People: the same, except that the matched administrator keeps the new server's id.
      const byEmail = (archive: WorkspaceArchive) => archive.people.map(({ id: _id, passwordHash: _hash, createdAt: _at, ...person }) => person);
      expect(byEmail(second)).toEqual(byEmail(first));
      const adminIds = [first, second].map((archive) => archive.people.find((p) => p.email === ADMIN.email)!.id);
      const bobIds = [first, second].map((archive) => archive.people.find((p) => p.email === 'bob@example.org')!.id);
      expect(bobIds[1]).toBe(bobIds[0]);
      const withAdmin = (id: string) => (id === adminIds[0] ? adminIds[1] : id);
      for (const [index, board] of first.boards.entries()) {
        expect(second.boards[index].summary.createdBy).toBe(withAdmin(board.summary.createdBy));
        expect(second.boards[index].sharing.members).toEqual(
          board.sharing.members.map((m) => ({ ...m, userId: withAdmin(m.userId) })).sort((a, b) => a.userId.localeCompare(b.userId)),
        );
      }
      // The imported boards open and sync like any other.
      const { doc, provider } = connectClient(target.url, boardId, (await api<{ token: string }>(target.url, '/api/tokens', { method: 'POST', body: { name: 't' }, cookie, headers: { origin: target.url } })).body.token);
      await synced(provider);
      expect(visibleBoard(doc)).toEqual(visibleBoard(server.sync.documentOf(boardId) ?? (await client(boardId))));
      provider.destroy();
    });

    it('refuses an archive into a workspace that already has boards, in the caller’s language, writing nothing', async () => {
      const response = await fetch(`${target.url}/api/import`, {
        method: 'POST',
        headers: { cookie: await login(target.url), origin: target.url, 'content-type': 'application/json', 'accept-language': 'fr' },
        body: JSON.stringify({ ...first, boards: [] }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; details: { message: string }[] } };
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.details[0].message).toMatch(/importez dans un espace vide/);
    });

    it('refuses a damaged archive with a clear 400 and writes nothing: no account, no board, no record', async () => {
      const freshData = tempDataDir();
      const fresh = await startTestServer({ dataDir: freshData.dir });
      try {
        const cookie = await login(fresh.url);
        const post = (body: string, language = 'en') =>
          fetch(`${fresh.url}/api/import`, {
            method: 'POST',
            headers: { cookie, origin: fresh.url, 'content-type': 'application/vnd.passerelle.archive+json', 'accept-language': language },
            body,
          });
        const usersBefore = (await api<{ users: unknown[] }>(fresh.url, '/api/users', { cookie })).body.users.length;

        const notJson = await post('PK\u0003\u0004 not json');
        expect(notJson.status).toBe(400);
        expect(((await notJson.json()) as { error: { details: { message: string }[] } }).error.details[0].message).toMatch(/not JSON/);

        const notArchive = await post(JSON.stringify({ hello: 'world' }), 'fr');
        expect(notArchive.status).toBe(400);
        expect(((await notArchive.json()) as { error: { details: { message: string }[] } }).error.details[0].message).toMatch(/n’est pas une archive/);

        // Everything valid but the last board's internal document, cut in the middle.
        const damaged = structuredClone(first);
        const last = damaged.boards[damaged.boards.length - 1];
        const bytes = decode(last.internal);
        last.internal = Buffer.from(bytes.subarray(0, Math.max(2, bytes.length - 3))).toString('base64');
        last.internal = last.internal === damaged.boards[0].internal ? 'AQID' : last.internal;
        const refused = await post(JSON.stringify(damaged));
        expect(refused.status).toBe(400);
        const body = (await refused.json()) as { error: { details: { path: string; message: string }[] } };
        expect(body.error.details[0]).toEqual({ path: `boards.${damaged.boards.length - 1}.internal`, message: expect.stringMatching(/damaged or incomplete/) });

        // A member who is not among the archive's people.
        const stranger = structuredClone(first);
        stranger.boards[0].sharing.members.push({ userId: 'nobody-here-0001', role: 'editor' });
        expect((await post(JSON.stringify(stranger))).status).toBe(400);

        expect((await api<{ users: unknown[] }>(fresh.url, '/api/users', { cookie })).body.users).toHaveLength(usersBefore);
        expect((await api<{ boards: unknown[] }>(fresh.url, '/api/boards', { cookie })).body.boards).toEqual([]);
        const exported = (await (await fetch(`${fresh.url}/api/export`, { headers: { cookie } })).json()) as WorkspaceArchive;
        expect(exported.boards).toEqual([]);
        expect(workspaceContent(decode(exported.workspace)).partners).toEqual([]);
        // ...and the intact archive is then accepted.
        expect((await post(JSON.stringify(first))).status).toBe(201);
      } finally {
        await fresh.close();
        freshData.remove();
      }
    });
  });
});

describe('automatic versions with several processes on Redis', () => {
  it('processes whose clients edit the same board take one automatic version per interval between them', async () => {
    const redis = await startRedisServer();
    const dirs = [tempDataDir(), tempDataDir()];
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'versions:' };
    const intervalMs = 400;
    const servers = await Promise.all(dirs.map((dir) => startTestServer({ dataDir: dir.dir, env, versionIntervalMs: intervalMs })));
    const clients: WebsocketProvider[] = [];
    try {
      const token = await adminToken(servers[0]!.url);
      const boardId = await createBoard(servers[0]!.url, token, 'Deux processus');
      const boards = servers.map((server) => {
        const client = connectClient(server.url, boardId, token);
        clients.push(client.provider);
        return new BoardDoc(client.doc);
      });
      await Promise.all(clients.map((provider) => synced(provider)));
      // Both processes' clients edit throughout three intervals.
      const column = boards[0]!.addColumn('Mobilités');
      const started = Date.now();
      let index = 0;
      while (Date.now() - started < intervalMs * 3) {
        boards[index % 2]!.addCard(column, { title: `Carte ${index}`, createdBy: 'test' });
        index++;
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs * 2));

      const listed = await api<{ versions: VersionSummary[] }>(servers[1]!.url, `/api/boards/${boardId}/versions`, { token });
      const automatic = listed.body.versions.filter((version) => version.kind === 'auto').map((version) => Date.parse(version.at)).sort((a, b) => a - b);
      expect(automatic.length).toBeGreaterThanOrEqual(2);
      // Each process alone would take one per interval: two processes would take them in pairs.
      for (let i = 1; i < automatic.length; i++) expect(automatic[i]! - automatic[i - 1]!).toBeGreaterThanOrEqual(intervalMs * 0.75);
    } finally {
      for (const provider of clients) provider.destroy();
      await Promise.all(servers.map((server) => server.close()));
      await redis.stop();
      for (const dir of dirs) dir.remove();
    }
  });
});
