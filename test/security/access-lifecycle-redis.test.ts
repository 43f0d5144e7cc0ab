/**
 * The end of access across processes on Redis: the request that revokes a token, demotes an
 * administrator or deletes a board is handled by one process, while the connections it must reach
 * are on the other, as a balancer spreads them. Two real server processes, one real Redis.
 */
import { describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import WebSocket from 'ws';
import {
  CloseCode,
  internalDocName,
  type MeetingUpdate,
} from '@passerelle/shared';
import { type ServerProcess } from '../helpers/server-process.js';
import { adminWithBoardPerTest, redisPairPerTest } from '../helpers/per-test.js';
import { admittedSync as admittedSyncTo } from '../helpers/sync-client.js';
import { api, apiWithCookie, connectedSocket, eventually, sendAndAck, within } from '../helpers/test-server.js';

const KEY_PREFIX = 'lifecycle:';

describe('access lifecycle across processes on Redis', () => {
  /** `first` handles the requests that change access; `second` holds the live connections the changes must reach. */
  const ctx = redisPairPerTest({ keyPrefix: KEY_PREFIX });
  const setup = adminWithBoardPerTest(() => ctx.first.url, 'Réunion Porto');
  const { asAdmin, member } = setup;

  /** A raw sync connection to `server`; resolves once admitted (its first sync message arrived). */
  const admittedSync = (server: ServerProcess, name: string, credentials: { token: string } | { cookie: string }) =>
    admittedSyncTo(server.url, name, credentials, ctx.track);

  const connectTo = (server: ServerProcess, credentials: { token: string } | { cookie: string }) => connectedSocket(server.url, credentials, ctx.track);
  const send = sendAndAck;

  it('revoking an API token on one process ends the connections it opened on the other', async () => {
    const person = await member('camille@example.org');
    const created = await apiWithCookie(ctx.first.url, person.cookie)<{ token: string; id: string }>('/api/tokens', { method: 'POST', body: { name: 'script' } });
    const { token, id: tokenId } = created.body;
    const byToken = await admittedSync(ctx.second, internalDocName(setup.boardId), { token });
    const byCookie = await admittedSync(ctx.second, setup.boardId, { cookie: person.cookie });
    const socket = await connectTo(ctx.second, { token });
    const ended = new Promise<{ reason: string }>((resolve) => socket.once('access:ended', resolve));

    expect((await api(ctx.first.url, `/api/tokens/${tokenId}`, { method: 'DELETE', cookie: person.cookie, headers: { origin: ctx.first.url } })).status).toBe(204);

    expect((await within(byToken.closed, 3000, 'token sync connection on the other process')).code).toBe(CloseCode.AccessRevoked);
    expect((await within(ended, 3000, 'token socket.io on the other process')).reason).toBe('revoked');
    expect(byCookie.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('demoting an administrator on one process takes their rights from their socket.io connection on the other', async () => {
    const person = await member('chloe@example.org');
    expect((await asAdmin(`/api/users/${person.id}`, { method: 'PATCH', body: { isAdmin: true } })).status).toBe(200);
    // A board the person sees only as an administrator.
    expect((await asAdmin(`/api/boards/${setup.boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'none' } })).status).toBe(204);
    const demoted = await connectTo(ctx.second, { cookie: person.cookie });
    const owner = await connectTo(ctx.first, { cookie: setup.adminCookie });
    const ownerStates: MeetingUpdate[] = [];
    owner.on('meeting:state', (update) => ownerStates.push(update));
    const participants = () => ownerStates.at(-1)?.meeting?.participants.map((participant) => participant.id) ?? [];
    expect(await send(owner, 'meeting:join', { boardId: setup.boardId, locale: 'fr' })).toEqual({ ok: true });
    expect(await send(demoted, 'meeting:join', { boardId: setup.boardId, locale: 'fr' })).toEqual({ ok: true });
    expect(await send(demoted, 'meeting:start', { boardId: setup.boardId })).toEqual({ ok: true });
    await eventually(() => participants().length === 2, 5000, 'both in the meeting');

    expect((await asAdmin(`/api/users/${person.id}`, { method: 'PATCH', body: { isAdmin: false } })).status).toBe(200);

    // The process holding the person's socket hears of it: the meeting goes on without them.
    await eventually(() => participants().length === 1, 5000, 'the demoted person out of the meeting on the other process');
    expect(participants()).not.toContain(person.id);
    expect(await send(demoted, 'meeting:capture', { boardId: setup.boardId, item: { kind: 'decision', title: 'Budget validé' } })).toEqual({ ok: false, error: 'forbidden' });
    expect(await send(demoted, 'meeting:join', { boardId: setup.boardId, locale: 'fr' })).toEqual({ ok: false, error: 'forbidden' });
  });

  it('deleting a board on one process closes its documents’ connections on the other and leaves nothing of them in Redis', async () => {
    const board = await admittedSync(ctx.second, setup.boardId, { cookie: setup.adminCookie });
    const internal = await admittedSync(ctx.second, internalDocName(setup.boardId), { cookie: setup.adminCookie });
    const inspector = createClient({ url: ctx.redis.url });
    inspector.on('error', () => {});
    await inspector.connect();
    ctx.cleanups.push(() => inspector.destroy());
    const documentKeys = async () => [
      ...(await inspector.keys(`${KEY_PREFIX}doc:{${setup.boardId}}:*`)),
      ...(await inspector.keys(`${KEY_PREFIX}doc:{${internalDocName(setup.boardId)}}:*`)),
    ];
    await eventually(async () => (await documentKeys()).length > 0, 5000, 'documents stored');

    expect((await asAdmin(`/api/boards/${setup.boardId}`, { method: 'DELETE' })).status).toBe(204);

    expect((await within(board.closed, 3000, 'board connection on the other process')).code).toBe(CloseCode.BoardNotFound);
    expect((await within(internal.closed, 3000, 'internal connection on the other process')).code).toBe(CloseCode.BoardNotFound);
    await eventually(async () => (await documentKeys()).length === 0, 5000, 'no key of the board’s documents left');
  });
});
