/**
 * Redis mode: two Passerelle processes on one Redis (started by the test) serve the same boards.
 * Clients on different processes converge, presence crosses processes, socket.io events reach
 * clients of the other process, and a Redis restart is survived.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { BoardDoc, WorkspaceDoc, parsePresence, type BoardListEvent } from '@passerelle/shared';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { adminToken, api, connectClient, createBoard, eventually, login, synced, tempDataDir } from '../helpers/test-server.js';

describe('several processes on Redis', () => {
  let redis: RedisServer;
  let data: ReturnType<typeof tempDataDir>;
  let first: ServerProcess;
  let second: ServerProcess;
  const cleanups: (() => void)[] = [];

  beforeEach(async () => {
    redis = await startRedisServer();
    data = tempDataDir();
    // Every shared piece of state is in Redis; the processes open no database in their data directory.
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'test:' };
    first = await startServerProcess({ dataDir: data.dir, env });
    second = await startServerProcess({ dataDir: data.dir, env });
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    await Promise.all([first.stop(), second.stop()]);
    await redis.stop();
    data.remove();
  });

  function client(server: ServerProcess, boardId: string, token: string) {
    const connected = connectClient(server.url, boardId, token);
    cleanups.push(() => connected.provider.destroy());
    return connected;
  }

  /** A new board, and a synced client of it on each process. */
  async function clientsOnBoth(title: string) {
    const token = await adminToken(first.url);
    const boardId = await createBoard(first.url, token, title);
    const a = client(first, boardId, token);
    const b = client(second, boardId, token);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    return { token, boardId, a, b };
  }

  it('clients of two processes converge under concurrent edits, and a fresh client of either sees everything', async () => {
    const { token, boardId, a, b } = await clientsOnBoth('Réseau des écoles');

    const boardA = new BoardDoc(a.doc);
    const boardB = new BoardDoc(b.doc);
    const column = boardA.addColumn('Partenaires');
    await eventually(() => boardB.listColumns().length === 1, 5000, 'column crossed to the second process');
    for (let index = 0; index < 50; index++) {
      boardA.addCard(column, { title: `A${index}`, createdBy: 'a' });
      boardB.addCard(column, { title: `B${index}`, createdBy: 'b' });
    }
    const titles = (board: BoardDoc) => board.listCards(column).map((card) => card.title);
    await eventually(() => titles(boardA).length === 100 && titles(boardB).length === 100, 10_000, 'both have every card');
    expect(titles(boardA)).toEqual(titles(boardB));

    for (const server of [first, second]) {
      const fresh = client(server, boardId, token);
      await synced(fresh.provider);
      expect(titles(new BoardDoc(fresh.doc))).toEqual(titles(boardA));
    }
  });

  it('presence crosses processes and leaves with its client', async () => {
    const { token, boardId, a, b } = await clientsOnBoth('Présence');
    a.provider.awareness.setLocalState({ user: { id: 'x', name: 'x', color: '#000' }, openCardId: 'card-1' });
    const seenOnB = () => [...b.provider.awareness.getStates().values()].map(parsePresence).filter((p) => p?.openCardId === 'card-1');
    await eventually(() => seenOnB().length === 1, 5000, 'presence of a on the second process');
    // Stamped with the authenticated identity by the first process.
    expect(seenOnB()[0]!.user.name).toBe('admin');
    a.provider.destroy();
    await eventually(() => seenOnB().length === 0, 5000, 'presence gone with its client');
  });

  it('socket.io events reach clients of the other process', async () => {
    const token = await adminToken(first.url);
    const socket: Socket = connectSocketIo(second.url, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false });
    cleanups.push(() => socket.disconnect());
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const event = new Promise<BoardListEvent>((resolve) => socket.once('boards:changed', resolve));
    const boardId = await createBoard(first.url, token, 'Annoncé partout');
    expect(await event).toMatchObject({ type: 'created', board: { id: boardId, title: 'Annoncé partout' } });
  });

  it('killing one process sends its clients to the other, with nothing lost', async () => {
    const token = await adminToken(first.url);
    const boardId = await createBoard(first.url, token, 'Bascule');
    // The load balancer: in front of the first process until it dies.
    const balancer = await startTcpProxy(first.port);
    cleanups.push(() => void balancer.close());
    const moving = client({ url: balancer.url } as ServerProcess, boardId, token);
    const staying = client(second, boardId, token);
    await Promise.all([synced(moving.provider), synced(staying.provider)]);
    const movingBoard = new BoardDoc(moving.doc);
    const stayingBoard = new BoardDoc(staying.doc);
    const column = movingBoard.addColumn('Avant la panne');
    for (let index = 0; index < 20; index++) movingBoard.addCard(column, { title: `avant ${index}`, createdBy: 'a' });
    await eventually(() => stayingBoard.listCards(column).length === 20, 5000, 'edits crossed before the kill');

    await first.kill();
    balancer.retarget(second.port);
    // Edits made while the client reconnects are kept by the client and sent to the other process.
    for (let index = 0; index < 20; index++) movingBoard.addCard(column, { title: `pendant ${index}`, createdBy: 'a' });
    await eventually(() => stayingBoard.listCards(column).length === 40, 15_000, 'the moved client synced with the other process');
    stayingBoard.addCard(column, { title: 'réponse', createdBy: 'b' });
    await eventually(() => movingBoard.listCards(column).length === 41, 5000, 'and hears from it');

    const fresh = client(second, boardId, token);
    await synced(fresh.provider);
    expect(new BoardDoc(fresh.doc).listCards(column)).toHaveLength(41);
    // The killed process is started again for the cleanup.
    first = await startServerProcess({ dataDir: data.dir, env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'test:' } });
  });

  it('failed sign-ins count across processes: the lockout holds on both', async () => {
    const wrong = { email: 'admin@example.org', password: 'not-the-password' };
    const attempt = (server: ServerProcess, body: object) =>
      api(server.url, '/api/auth/login', { method: 'POST', body, headers: { origin: server.url } });
    // Five failures (the default limit), alternating between the processes.
    for (let index = 0; index < 5; index++) expect((await attempt(index % 2 === 0 ? first : second, wrong)).status).toBe(401);
    for (const server of [first, second]) {
      expect((await attempt(server, { email: 'admin@example.org', password: 'correct-horse-battery' })).status).toBe(429);
    }
  });

  it('a restart of Redis is survived: edits made after it still cross processes, nothing acknowledged is lost', async () => {
    const { token, boardId, a, b } = await clientsOnBoth('Redémarrage');
    const boardA = new BoardDoc(a.doc);
    const boardB = new BoardDoc(b.doc);
    const column = boardA.addColumn('Avant');
    await eventually(() => boardB.listColumns().length === 1, 5000, 'before the restart');

    await redis.restart('shutdown');
    // Once the processes are reconnected, edits flow again both ways.
    await eventually(
      async () => {
        boardA.addCard(column, { title: `après ${Date.now()}`, createdBy: 'a' });
        await new Promise((resolve) => setTimeout(resolve, 200));
        return boardB.listCards(column).length > 0;
      },
      20_000,
      'edits cross again after the restart',
    );
    boardB.addColumn('Depuis le second');
    await eventually(() => boardA.listColumns().length === 2, 10_000, 'and the other way');
    await eventually(() => boardA.listCards(column).length === boardB.listCards(column).length, 10_000, 'converged');

    const fresh = client(second, boardId, token);
    await synced(fresh.provider);
    await eventually(() => new BoardDoc(fresh.doc).listColumns().length === 2, 5000, 'stored');
    expect((await api(second.url, `/api/boards/${boardId}`, { token })).status).toBe(200);
  });
});

describe('several processes on Redis, each with its own data directory', () => {
  it('share accounts and sessions through Redis alone: signed in on one, recognised on the other, signed out on the other, refused on the first', async () => {
    const redis = await startRedisServer();
    const dataDirs = [tempDataDir(), tempDataDir()];
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'own-disks:' };
    // Started together: both find an empty store and race to create the administrator.
    const [first, second] = await Promise.all(dataDirs.map((data) => startServerProcess({ dataDir: data.dir, env })));
    try {
      const adminCookie = await login(first.url);
      const person = { email: 'ines@example.org', password: 'mobilité-2027-porto', name: 'Inès' };
      const created = await api(first.url, '/api/users', { method: 'POST', body: person, cookie: adminCookie, headers: { origin: first.url } });
      expect(created.status).toBe(201);
      const cookie = await login(first.url, person);

      const seenBySecond = await api<{ email: string; name: string }>(second.url, '/api/auth/me', { cookie });
      expect(seenBySecond).toMatchObject({ status: 200, body: { email: person.email, name: 'Inès' } });
      // One administrator, though each process bootstrapped on an empty store.
      const users = await api<{ users: { email: string; isAdmin: boolean }[] }>(second.url, '/api/users', { cookie: adminCookie });
      expect(users.body.users.map((user) => [user.email, user.isAdmin]).sort()).toEqual([
        ['admin@example.org', true],
        [person.email, false],
      ]);

      expect((await api(second.url, '/api/auth/logout', { method: 'POST', cookie, headers: { origin: second.url } })).status).toBe(204);
      expect((await api(first.url, '/api/auth/me', { cookie })).status).toBe(401);
      expect((await api(first.url, '/api/auth/me', { cookie: adminCookie })).status).toBe(200);

      // Nothing went through the disk: neither process opened an embedded database.
      expect(dataDirs.map((data) => existsSync(join(data.dir, 'passerelle.sqlite')))).toEqual([false, false]);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
      await redis.stop();
      for (const data of dataDirs) data.remove();
    }
  });
});

describe('several processes starting together on an empty Redis', () => {
  let redis: RedisServer;
  const data: ReturnType<typeof tempDataDir>[] = [];
  let processes: ServerProcess[] = [];

  beforeEach(async () => {
    redis = await startRedisServer();
  });

  afterEach(async () => {
    await Promise.all(processes.map((server) => server.stop()));
    processes = [];
    await redis.stop();
    for (const dir of data.splice(0)) dir.remove();
  });

  async function startTogether(env: Record<string, string>): Promise<ServerProcess[]> {
    const dirs = [tempDataDir(), tempDataDir()];
    data.push(...dirs);
    processes = await Promise.all(dirs.map((dir) => startServerProcess({ dataDir: dir.dir, env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'first-start:', ...env } })));
    return processes;
  }

  const setupLinkOf = (server: ServerProcess) => /https?:\/\/\S+\/setup\?token=(\S+)/.exec(server.output)?.[1];

  it('print one setup link, which works on whichever process the browser reaches, once', async () => {
    // No administrator configured: the first start is completed in the browser.
    const [first, second] = await startTogether({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
    await eventually(() => setupLinkOf(first) !== undefined && setupLinkOf(second) !== undefined, 5000, 'setup links printed');
    const token = setupLinkOf(first)!;
    expect(setupLinkOf(second)).toBe(token);
    for (const server of [first, second]) expect((await api<{ needsSetup: boolean }>(server.url, '/api/auth/setup-status')).body.needsSetup).toBe(true);

    const account = { email: 'sri@example.org', password: 'relations-internationales', name: 'SRI' };
    const setup = await api(second.url, '/api/auth/setup', { method: 'POST', body: { ...account, token }, headers: { origin: second.url } });
    expect(setup.status).toBe(201);
    for (const server of [first, second]) expect((await api<{ needsSetup: boolean }>(server.url, '/api/auth/setup-status')).body.needsSetup).toBe(false);
    const again = await api(first.url, '/api/auth/setup', { method: 'POST', body: { ...account, email: 'other@example.org', token }, headers: { origin: first.url } });
    expect(again.status).toBe(410);
    expect((await login(first.url, account)).startsWith('passerelle_session=')).toBe(true);
  });

  it('create the demo workspace once', async () => {
    const [first, second] = await startTogether({ DEMO_WORKSPACE: 'true' });
    const cookie = await login(first.url);
    const boards = await api<{ boards: { title: string }[] }>(second.url, '/api/boards', { cookie });
    expect(boards.status).toBe(200);
    // One strategy board and one set of partners, though both processes found the store empty.
    expect(boards.body.boards.map((board) => board.title)).toEqual(['Stratégie internationale ESCOM']);
    const workspace = connectClient(second.url, 'workspace', await adminToken(second.url));
    try {
      await synced(workspace.provider);
      const partners = new WorkspaceDoc(workspace.doc).partners.list().map((partner) => partner.name);
      expect(partners).toHaveLength(10);
      expect(new Set(partners).size).toBe(10);
    } finally {
      workspace.provider.destroy();
    }
  });
});
