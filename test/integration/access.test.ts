import { describe, expect, it } from 'vitest';
import { io as connectSocketIo } from 'socket.io-client';
import { CloseCode, type BoardListEvent } from '@passerelle/shared';
import { ADMIN, api, createBoard, eventually, login, rawSocket, startTestServer, tempDataDir } from '../helpers/test-server.js';
import { serverPerTest, tokenWithBoardPerTest } from '../helpers/per-test.js';

describe('authentication on every channel', () => {
  const ctx = serverPerTest();
  const given = tokenWithBoardPerTest(() => ctx.server.url, 'Stratégie internationale');

  const syncUrl = (id: string, query = '') => `${ctx.server.url.replace('http', 'ws')}/sync/${id}${query}`;

  it.each([
    ['no credentials', '', {}],
    ['a forged token', '?token=psl_forged', {}],
    ['a forged bearer token', '', { authorization: 'Bearer psl_forged' }],
    ['a forged session cookie', '', { cookie: 'passerelle_session=forged' }],
  ])('the sync endpoint refuses %s with 4401 and sends nothing', async (_name, query, headers) => {
    const client = rawSocket(syncUrl(given.boardId, query), headers as Record<string, string>);
    const { code } = await client.closed;
    expect(code).toBe(CloseCode.Unauthorized);
    expect(client.received).toHaveLength(0);
  });

  it('the sync endpoint ignores a valid session cookie sent from another site', async () => {
    const cookie = await login(ctx.server.url);
    const client = rawSocket(syncUrl(given.boardId), { cookie, origin: 'https://evil.example' });
    expect((await client.closed).code).toBe(CloseCode.Unauthorized);
    expect(client.received).toHaveLength(0);
  });

  it('the sync endpoint accepts a session cookie from our origin and a token in the query', async () => {
    const cookie = await login(ctx.server.url);
    const withCookie = rawSocket(syncUrl(given.boardId), { cookie, origin: ctx.server.url });
    await withCookie.opened;
    await eventually(() => withCookie.received.length > 0, 5000, 'sync step 1');
    expect(withCookie.received[0][0]).toBe(0); // message type: sync
    withCookie.socket.close();
    const withToken = rawSocket(syncUrl(given.boardId, `?token=${given.token}`));
    await eventually(() => withToken.received.length > 0, 5000, 'sync step 1');
    withToken.socket.close();
  });

  it('the sync endpoint closes with 4404 for an unknown board and for a board deleted while open', async () => {
    const unknown = rawSocket(syncUrl('AAAAAAAAAAAAAAAAAAAAA', `?token=${given.token}`));
    expect((await unknown.closed).code).toBe(CloseCode.BoardNotFound);
    const open = rawSocket(syncUrl(given.boardId, `?token=${given.token}`));
    await eventually(() => open.received.length > 0, 5000, 'sync step 1');
    const deleted = await api(ctx.server.url, `/api/boards/${given.boardId}`, { method: 'DELETE', token: given.token });
    expect(deleted.status).toBe(204);
    expect((await open.closed).code).toBe(CloseCode.BoardNotFound);
  });

  it.each([
    ['no credentials', {}],
    ['a forged token', { auth: { token: 'psl_forged' } }],
    ['a forged cookie', { extraHeaders: { cookie: 'passerelle_session=forged' } }],
  ])('socket.io refuses %s and delivers no event', async (_name, options) => {
    const received: BoardListEvent[] = [];
    const socket = connectSocketIo(ctx.server.url, { transports: ['websocket'], reconnection: false, ...options });
    ctx.track(() => socket.disconnect());
    socket.on('boards:changed', (event) => received.push(event));
    const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
    expect(error.message).toBe('unauthorized');
    await createBoard(ctx.server.url, given.token, 'Après refus');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toHaveLength(0);
    expect(socket.connected).toBe(false);
  });

  it('socket.io tells signed-in clients when boards are created, renamed and deleted', async () => {
    const cookie = await login(ctx.server.url);
    const received: BoardListEvent[] = [];
    const viaCookie = connectSocketIo(ctx.server.url, { transports: ['websocket'], extraHeaders: { cookie } });
    const viaToken = connectSocketIo(ctx.server.url, { transports: ['websocket'], auth: { token: given.token } });
    ctx.track(() => viaCookie.disconnect());
    ctx.track(() => viaToken.disconnect());
    const tokenEvents: BoardListEvent[] = [];
    viaCookie.on('boards:changed', (event) => received.push(event));
    viaToken.on('boards:changed', (event) => tokenEvents.push(event));
    await Promise.all([viaCookie, viaToken].map((s) => new Promise((resolve) => s.on('connect', () => resolve(null)))));

    const id = await createBoard(ctx.server.url, given.token, 'Alliance de la connaissance');
    await api(ctx.server.url, `/api/boards/${id}`, { method: 'PATCH', body: { title: 'Alliance chimie verte' }, token: given.token });
    await api(ctx.server.url, `/api/boards/${id}`, { method: 'DELETE', token: given.token });
    await eventually(() => received.length === 3 && tokenEvents.length === 3, 5000, 'three events');
    expect(received.map((e) => e.type)).toEqual(['created', 'renamed', 'deleted']);
    expect(received[1].type === 'renamed' && received[1].board.title).toBe('Alliance chimie verte');
  });
});

describe('the JSON API', () => {
  const ctx = serverPerTest({ env: { MAX_JSON_BODY_BYTES: '2048' } });

  it('refuses wrong credentials with a message in the caller’s language', async () => {
    const fr = await api<{ error: { code: string; message: string } }>(ctx.server.url, '/api/auth/login', {
      method: 'POST',
      body: { email: ADMIN.email, password: 'wrong-password' },
      headers: { 'accept-language': 'fr-FR,fr;q=0.9' },
    });
    expect(fr.status).toBe(401);
    expect(fr.body.error).toEqual({ code: 'invalid_credentials', message: 'Adresse e-mail ou mot de passe incorrect.' });
    const en = await api<{ error: { message: string } }>(ctx.server.url, '/api/auth/login', {
      method: 'POST',
      body: { email: 'nobody@example.org', password: 'wrong-password' },
      headers: { 'accept-language': 'en' },
    });
    expect(en.body.error.message).toBe('Wrong email or password.');
  });

  it('lists each invalid field, refuses malformed JSON and bodies over the limit', async () => {
    const cookie = await login(ctx.server.url);
    const invalid = await api<{ error: { code: string; details: { path: string }[] } }>(ctx.server.url, '/api/boards', {
      method: 'POST',
      body: { title: '   ' },
      cookie,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('invalid_request');
    expect(invalid.body.error.details.map((d) => d.path)).toEqual(['title']);

    const malformed = await fetch(`${ctx.server.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: '{"title": ',
    });
    expect(malformed.status).toBe(400);

    const tooLarge = await api<{ error: { code: string } }>(ctx.server.url, '/api/boards', {
      method: 'POST',
      body: { title: 'x'.repeat(4096) },
      cookie,
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('payload_too_large');
    expect((await api<{ boards: unknown[] }>(ctx.server.url, '/api/boards', { cookie })).body.boards).toHaveLength(0);
  });

  it('sessions end at logout; API tokens work as bearer tokens until revoked', async () => {
    const cookie = await login(ctx.server.url);
    expect((await api(ctx.server.url, '/api/auth/me', { cookie })).status).toBe(200);
    const created = await api<{ token: string; id: string }>(ctx.server.url, '/api/tokens', { method: 'POST', body: { name: 'script' }, cookie });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^psl_/);
    const board = await api<{ id: string }>(ctx.server.url, '/api/boards', { method: 'POST', body: { title: 'Via script' }, token: created.body.token });
    expect(board.status).toBe(201);
    // Its use is recorded, then not again within the minute (no stored write per request).
    const lastUsed = async () => (await api<{ tokens: { id: string; lastUsedAt: string | null }[] }>(ctx.server.url, '/api/tokens', { cookie })).body.tokens.find((token) => token.id === created.body.id)!.lastUsedAt;
    const firstUse = await lastUsed();
    expect(firstUse).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await api(ctx.server.url, '/api/boards', { token: created.body.token })).status).toBe(200);
    expect(await lastUsed()).toBe(firstUse);

    expect((await api(ctx.server.url, '/api/auth/logout', { method: 'POST', cookie })).status).toBe(204);
    expect((await api(ctx.server.url, '/api/auth/me', { cookie })).status).toBe(401);

    const again = await login(ctx.server.url);
    expect((await api(ctx.server.url, `/api/tokens/${created.body.id}`, { method: 'DELETE', cookie: again })).status).toBe(204);
    expect((await api(ctx.server.url, '/api/boards', { token: created.body.token })).status).toBe(401);
  });

  it('only an administrator creates accounts, and an email is used once', async () => {
    const cookie = await login(ctx.server.url);
    const person = { email: 'Claire.Martin@Example.org', password: 'another-long-password', name: 'Claire Martin' };
    const created = await api<{ email: string; isAdmin: boolean }>(ctx.server.url, '/api/users', { method: 'POST', body: person, cookie });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'claire.martin@example.org', isAdmin: false });
    expect((await api(ctx.server.url, '/api/users', { method: 'POST', body: person, cookie })).status).toBe(409);
    const claire = await login(ctx.server.url, { email: person.email, password: person.password });
    expect((await api(ctx.server.url, '/api/users', { method: 'POST', body: { ...person, email: 'x@example.org' }, cookie: claire })).status).toBe(403);
  });
});

describe('first start without a configured administrator', () => {
  it('offers a one-time setup link that creates the administrator once', async () => {
    const data = tempDataDir();
    const server = await startTestServer({ dataDir: data.dir, env: { ADMIN_EMAIL: '', ADMIN_PASSWORD: '' } });
    try {
      expect(server.setupUrl).toMatch(/\/setup\?token=/);
      const setupToken = new URL(server.setupUrl!).searchParams.get('token')!;
      expect((await api<{ needsSetup: boolean }>(server.url, '/api/auth/setup-status')).body.needsSetup).toBe(true);
      const account = { email: 'sri@example.org', password: 'a-long-password', name: 'SRI' };
      expect((await api(server.url, '/api/auth/setup', { method: 'POST', body: { ...account, token: 'wrong' } })).status).toBe(410);
      const created = await api<{ isAdmin: boolean }>(server.url, '/api/auth/setup', { method: 'POST', body: { ...account, token: setupToken } });
      expect(created.status).toBe(201);
      expect(created.body.isAdmin).toBe(true);
      expect((await api(server.url, '/api/auth/setup', { method: 'POST', body: { ...account, token: setupToken } })).status).toBe(410);
      expect((await api<{ needsSetup: boolean }>(server.url, '/api/auth/setup-status')).body.needsSetup).toBe(false);
    } finally {
      await server.close();
      data.remove();
    }
  });
});
