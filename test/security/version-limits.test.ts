/**
 * A board's versions are capped, so that an editor naming version after version of a big board
 * cannot fill the disk: a number of named versions, and bytes for all of them. Past the caps,
 * automatic versions make room (oldest first) and named ones are refused with 409 `version_limit`
 * in the caller's language; named versions go only when someone deletes them. Real server on port
 * 0, real SQLite, a stock y-websocket client making the changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { BoardDoc, internalDocName, type Me, type VersionSummary } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import { api, connectClient, eventually, login, startTestServer, synced, tempDataDir } from '../helpers/test-server.js';

/** Small caps, the same rules as the defaults (100 named, 256 MiB). */
const LIMITS = { maxNamedPerBoard: 5, maxVersionBytesPerBoard: 700_000 };
/** Automatic versions every 300 ms instead of 10 minutes. */
const INTERVAL_MS = 300;

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}

describe('caps on a board’s versions', () => {
  const data = tempDataDir();
  let server: PasserelleServer;
  let cookie: string;
  let token: string;
  let me: Me;
  const providers: WebsocketProvider[] = [];

  const call = <T>(path: string, init: { method?: string; body?: unknown; language?: string } = {}) =>
    api<T>(server.url, path, { method: init.method, body: init.body, cookie, headers: { origin: server.url, 'accept-language': init.language ?? 'en' } });
  const newBoard = async (title: string) => (await call<{ id: string }>('/api/boards', { method: 'POST', body: { title } })).body.id;
  const name = (boardId: string, versionName: string, language?: string) =>
    call<VersionSummary | ErrorBody>(`/api/boards/${boardId}/versions`, { method: 'POST', body: { name: versionName }, language });
  const versionsOf = async (boardId: string) => (await call<{ versions: VersionSummary[] }>(`/api/boards/${boardId}/versions`)).body.versions;
  const namedOf = async (boardId: string) => (await versionsOf(boardId)).filter((version) => version.kind === 'named').map((version) => version.name);
  const autoOf = async (boardId: string) => (await versionsOf(boardId)).filter((version) => version.kind === 'auto');

  async function client(boardId: string): Promise<BoardDoc> {
    const { doc, provider } = connectClient(server.url, boardId, token);
    providers.push(provider);
    await synced(provider);
    return new BoardDoc(doc);
  }

  /** What one version of the board weighs: both of its documents' states. */
  function stateBytes(boardId: string): number {
    return [boardId, internalDocName(boardId)].reduce((sum, name) => {
      const live = server.sync.documentOf(name);
      return sum + (live ? Y.encodeStateAsUpdate(live) : Y.encodeStateAsUpdate(new Y.Doc())).byteLength;
    }, 0);
  }

  beforeAll(async () => {
    server = await startTestServer({ dataDir: data.dir, versionIntervalMs: INTERVAL_MS, versionLimits: LIMITS });
    cookie = await login(server.url);
    token = (await call<{ token: string }>('/api/tokens', { method: 'POST', body: { name: 'tests' } })).body.token;
    me = (await call<Me>('/api/auth/me')).body;
  });

  afterAll(async () => {
    for (const provider of providers) provider.destroy();
    await server?.close();
    data.remove();
  });

  it('refuses a named version past the most a board may have, in the caller’s language, until one is deleted', async () => {
    const boardId = await newBoard('Comités');
    for (let i = 1; i <= LIMITS.maxNamedPerBoard; i++) expect((await name(boardId, `Comité ${i}`)).status).toBe(201);

    const refused = await name(boardId, 'Comité de trop', 'fr');
    expect(refused.status).toBe(409);
    const body = refused.body as ErrorBody;
    expect(body.error.code).toBe('version_limit');
    expect(body.error.message).toMatch(/Supprimez les versions nommées/);
    expect(body.error.details[0]!.message).toBe(`Un tableau garde au plus ${LIMITS.maxNamedPerBoard} versions nommées.`);
    expect(await namedOf(boardId)).toHaveLength(LIMITS.maxNamedPerBoard);

    // Deleting one (as an editor may, and a viewer may not) makes room for one.
    const [oldest] = (await versionsOf(boardId)).filter((version) => version.name === 'Comité 1');
    const viewer = await call<Me>('/api/users', { method: 'POST', body: { email: 'vera@example.org', password: 'a-long-password', name: 'Vera' } });
    expect((await call(`/api/boards/${boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'viewer' } })).status).toBeLessThan(300);
    expect((await call(`/api/boards/${boardId}/members/${viewer.body.id}`, { method: 'PUT', body: { role: 'viewer' } })).status).toBeLessThan(300);
    const viewerCookie = await login(server.url, { email: 'vera@example.org', password: 'a-long-password' });
    const byViewer = await api(server.url, `/api/boards/${boardId}/versions/${oldest!.id}`, { method: 'DELETE', cookie: viewerCookie, headers: { origin: server.url } });
    expect(byViewer.status).toBe(403);
    expect((await call(`/api/boards/${boardId}/versions/${oldest!.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/api/boards/${boardId}/versions/${oldest!.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await name(boardId, 'Comité de trop')).status).toBe(201);
    expect(await namedOf(boardId)).not.toContain('Comité 1');
  });

  it('keeps a board’s versions within their bytes: automatic ones pruned oldest first, named ones refused, never deleted', async () => {
    const boardId = await newBoard('Toutes les conventions');
    const board = await client(boardId);
    const column = board.addColumn('Conventions');
    // About 200 KB: three versions fit in the cap, four do not.
    for (let i = 0; i < 10; i++) board.addCard(column, { title: `Convention ${i}`, description: `${i} `.repeat(10_000), createdBy: me.id });
    await eventually(() => server.sync.documentOf(boardId) !== undefined && stateBytes(boardId) > 200_000, 5000, 'the board stored');
    const versionBytes = stateBytes(boardId);
    expect(versionBytes * 3).toBeLessThan(LIMITS.maxVersionBytesPerBoard - 20_000);
    expect(versionBytes * 3.5).toBeGreaterThan(LIMITS.maxVersionBytesPerBoard);

    expect((await name(boardId, 'Avant le comité')).status).toBe(201);
    expect((await name(boardId, 'Après le comité')).status).toBe(201);
    // Changes keep coming: each automatic version takes the room of the one before.
    const seen: string[] = [];
    for (let round = 0; round < 3; round++) {
      board.addCard(column, { title: `Nouvelle ${round}`, createdBy: me.id });
      await eventually(async () => (await autoOf(boardId)).some((version) => !seen.includes(version.id)), 5000, 'an automatic version');
      const auto = await autoOf(boardId);
      expect(auto).toHaveLength(1);
      seen.push(auto[0]!.id);
    }
    expect(await namedOf(boardId)).toEqual(['Après le comité', 'Avant le comité']);

    // A third named version takes the automatic one's room.
    expect((await name(boardId, 'Rentrée')).status).toBe(201);
    expect(await autoOf(boardId)).toEqual([]);
    // A fourth does not fit beside them: refused, and nothing is deleted for it.
    const refused = await name(boardId, 'Une de trop');
    expect(refused.status).toBe(409);
    expect((refused.body as ErrorBody).error.code).toBe('version_limit');
    expect((refused.body as ErrorBody).error.details[0]!.message).toMatch(/at most 0\.668 MB together/);
    expect(await namedOf(boardId)).toEqual(['Rentrée', 'Après le comité', 'Avant le comité']);

    // No room either for an automatic version after a change: none is taken, no named one goes.
    board.addCard(column, { title: 'Sans version', createdBy: me.id });
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 3));
    expect(await autoOf(boardId)).toEqual([]);
    // Nor for the state a restore would keep first: the restore is refused and the board unchanged.
    const [avant] = (await versionsOf(boardId)).filter((version) => version.name === 'Avant le comité');
    const restore = await call<ErrorBody>(`/api/boards/${boardId}/versions/${avant!.id}/restore`, { method: 'POST', language: 'fr' });
    expect(restore.status).toBe(409);
    expect(restore.body.error.code).toBe('version_limit');
    expect(board.listCards(column).map((card) => card.title)).toContain('Sans version');
    expect(await namedOf(boardId)).toHaveLength(3);

    // Deleting a named version makes room again.
    const [rentree] = (await versionsOf(boardId)).filter((version) => version.name === 'Rentrée');
    expect((await call(`/api/boards/${boardId}/versions/${rentree!.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await name(boardId, 'Une de trop')).status).toBe(201);
  });
});
