/**
 * The end of access across processes on Redis: the request that revokes a token, demotes an
 * administrator or deletes a board is handled by one process, while the connections it must reach
 * are on the other, as a balancer spreads them. Two real server processes, one real Redis.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import WebSocket from 'ws';
import {
  CloseCode,
  internalDocName,
  type BoardSummary,
  type Me,
  type MeetingUpdate,
} from '@passerelle/shared';
import { startRedisPair, type RedisPair, type ServerProcess } from '../helpers/server-process.js';
import { api, connectedSocket, eventually, login, rawSocket, sendAndAck, within } from '../helpers/test-server.js';


const KEY_PREFIX = 'lifecycle:';

describe('access lifecycle across processes on Redis', () => {
  let pair: RedisPair;
  /** Handles the requests that change access. */
  let first: ServerProcess;
  /** Holds the live connections the changes must reach. */
  let second: ServerProcess;
  let adminCookie: string;
  let boardId: string;
  const cleanups: (() => void)[] = [];

  beforeEach(async () => {
    pair = await startRedisPair({ keyPrefix: KEY_PREFIX });
    ({ first, second } = pair);
    adminCookie = await login(first.url);
    boardId = (await asAdmin<BoardSummary>('/api/boards', { method: 'POST', body: { title: 'Réunion Porto' } })).body.id;
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    await pair?.stop();
  });

  const asAdmin = <T>(path: string, init: { method?: string; body?: unknown } = {}) =>
    api<T>(first.url, path, { ...init, cookie: adminCookie, headers: { origin: first.url } });

  async function member(email: string): Promise<{ cookie: string; id: string }> {
    const created = await asAdmin<Me>('/api/users', { method: 'POST', body: { email, password: 'a-long-password', name: email.split('@')[0] } });
    expect(created.status).toBe(201);
    return { cookie: await login(first.url, { email, password: 'a-long-password' }), id: created.body.id };
  }

  /** A raw sync connection to `server`; resolves once admitted (its first sync message arrived). */
  async function admittedSync(server: ServerProcess, name: string, credentials: { token: string } | { cookie: string }) {
    const url = `${server.url.replace('http', 'ws')}/sync/${name}`;
    const client =
      'token' in credentials ? rawSocket(`${url}?token=${encodeURIComponent(credentials.token)}`) : rawSocket(url, { cookie: credentials.cookie, origin: server.url });
    cleanups.push(() => client.socket.close());
    await client.opened;
    await eventually(() => client.received.length > 0, 5000, `admitted to ${name}`);
    return client;
  }

  const connectTo = (server: ServerProcess, credentials: { token: string } | { cookie: string }) => connectedSocket(server.url, credentials, (cleanup) => cleanups.push(cleanup));
  const send = sendAndAck;

  it('revoking an API token on one process ends the connections it opened on the other', async () => {
    const person = await member('camille@example.org');
    const created = await api<{ token: string; id: string }>(first.url, '/api/tokens', {
      method: 'POST',
      body: { name: 'script' },
      cookie: person.cookie,
      headers: { origin: first.url },
    });
    const { token, id: tokenId } = created.body;
    const byToken = await admittedSync(second, internalDocName(boardId), { token });
    const byCookie = await admittedSync(second, boardId, { cookie: person.cookie });
    const socket = await connectTo(second, { token });
    const ended = new Promise<{ reason: string }>((resolve) => socket.once('access:ended', resolve));

    expect((await api(first.url, `/api/tokens/${tokenId}`, { method: 'DELETE', cookie: person.cookie, headers: { origin: first.url } })).status).toBe(204);

    expect((await within(byToken.closed, 3000, 'token sync connection on the other process')).code).toBe(CloseCode.AccessRevoked);
    expect((await within(ended, 3000, 'token socket.io on the other process')).reason).toBe('revoked');
    expect(byCookie.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('demoting an administrator on one process takes their rights from their socket.io connection on the other', async () => {
    const person = await member('chloe@example.org');
    expect((await asAdmin(`/api/users/${person.id}`, { method: 'PATCH', body: { isAdmin: true } })).status).toBe(200);
    // A board the person sees only as an administrator.
    expect((await asAdmin(`/api/boards/${boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'none' } })).status).toBe(204);
    const demoted = await connectTo(second, { cookie: person.cookie });
    const owner = await connectTo(first, { cookie: adminCookie });
    const ownerStates: MeetingUpdate[] = [];
    owner.on('meeting:state', (update) => ownerStates.push(update));
    const participants = () => ownerStates.at(-1)?.meeting?.participants.map((participant) => participant.id) ?? [];
    expect(await send(owner, 'meeting:join', { boardId, locale: 'fr' })).toEqual({ ok: true });
    expect(await send(demoted, 'meeting:join', { boardId, locale: 'fr' })).toEqual({ ok: true });
    expect(await send(demoted, 'meeting:start', { boardId })).toEqual({ ok: true });
    await eventually(() => participants().length === 2, 5000, 'both in the meeting');

    expect((await asAdmin(`/api/users/${person.id}`, { method: 'PATCH', body: { isAdmin: false } })).status).toBe(200);

    // The process holding the person's socket hears of it: the meeting goes on without them.
    await eventually(() => participants().length === 1, 5000, 'the demoted person out of the meeting on the other process');
    expect(participants()).not.toContain(person.id);
    expect(await send(demoted, 'meeting:capture', { boardId, item: { kind: 'decision', title: 'Budget validé' } })).toEqual({ ok: false, error: 'forbidden' });
    expect(await send(demoted, 'meeting:join', { boardId, locale: 'fr' })).toEqual({ ok: false, error: 'forbidden' });
  });

  it('deleting a board on one process closes its documents’ connections on the other and leaves nothing of them in Redis', async () => {
    const board = await admittedSync(second, boardId, { cookie: adminCookie });
    const internal = await admittedSync(second, internalDocName(boardId), { cookie: adminCookie });
    const inspector = createClient({ url: pair.redis.url });
    inspector.on('error', () => {});
    await inspector.connect();
    cleanups.push(() => inspector.destroy());
    const documentKeys = async () => [
      ...(await inspector.keys(`${KEY_PREFIX}doc:{${boardId}}:*`)),
      ...(await inspector.keys(`${KEY_PREFIX}doc:{${internalDocName(boardId)}}:*`)),
    ];
    await eventually(async () => (await documentKeys()).length > 0, 5000, 'documents stored');

    expect((await asAdmin(`/api/boards/${boardId}`, { method: 'DELETE' })).status).toBe(204);

    expect((await within(board.closed, 3000, 'board connection on the other process')).code).toBe(CloseCode.BoardNotFound);
    expect((await within(internal.closed, 3000, 'internal connection on the other process')).code).toBe(CloseCode.BoardNotFound);
    await eventually(async () => (await documentKeys()).length === 0, 5000, 'no key of the board’s documents left');
  });
});
