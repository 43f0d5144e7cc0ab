/**
 * Access changes in Redis mode: the request that signs someone out, revokes a guest or changes a
 * role is handled by one process, while the person's live connections may be on another. Every
 * process must apply the change to its own connections.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode } from '@passerelle/shared';
import { adminWithBoardPerTest, redisPairPerTest } from '../helpers/per-test.js';
import { admittedSync } from '../helpers/sync-client.js';
import { api, connectedSocket, joinAsGuest } from '../helpers/test-server.js';

describe('access changes across processes on Redis', () => {
  /** `first` handles the administrator's requests; `second` holds the live connections the changes must reach. */
  const ctx = redisPairPerTest({ keyPrefix: 'access:' });
  const setup = adminWithBoardPerTest(() => ctx.first.url, 'Réunion Porto');
  const { asAdmin, member } = setup;

  /** A raw sync connection to the second process, authenticated by a cookie as a browser's is, once admitted. */
  const syncOnSecond = (cookie: string) => admittedSync(ctx.second.url, setup.boardId, { cookie }, ctx.track);

  const socketOnSecond = (cookie: string) => connectedSocket(ctx.second.url, { cookie }, ctx.track);

  /** A partner guest, joined through the second process, as a balancer may send them anywhere. */
  const guest = () => joinAsGuest({ serverUrl: ctx.first.url, as: { cookie: setup.adminCookie }, boardId: setup.boardId, joinAt: ctx.second.url });

  it('signing out on one process ends that session’s connections on the other', async () => {
    const person = await member('camille@example.org');
    const live = await syncOnSecond(person.cookie);
    const socket = await socketOnSecond(person.cookie);
    const ended = new Promise<{ reason: string }>((resolve) => socket.once('access:ended', resolve));

    const started = Date.now();
    const logout = await api(ctx.first.url, '/api/auth/logout', { method: 'POST', cookie: person.cookie, headers: { origin: ctx.first.url } });
    expect(logout.status).toBe(204);
    expect((await live.closed).code).toBe(CloseCode.AccessRevoked);
    expect((await ended).reason).toBe('revoked');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('revoking a guest invite on one process ends the partner’s connections on the other, and only theirs', async () => {
    const partner = await guest();
    const colleague = await member('lea@example.org');
    const [partnerSync, colleagueSync] = await Promise.all([syncOnSecond(partner.cookie), syncOnSecond(colleague.cookie)]);
    const socket = await socketOnSecond(partner.cookie);
    const ended = new Promise<{ reason: string }>((resolve) => socket.once('access:ended', resolve));

    expect((await asAdmin(`/api/boards/${setup.boardId}/guest-invites/${partner.invite.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await partnerSync.closed).code).toBe(CloseCode.AccessRevoked);
    expect((await ended).reason).toBe('revoked');
    expect(colleagueSync.socket.readyState).toBe(WebSocket.OPEN);
    // The session is gone for both processes.
    for (const server of [ctx.first, ctx.second]) expect((await api(server.url, '/api/auth/me', { cookie: partner.cookie })).status).toBe(401);
  });

  it('deactivating a member on one process closes their connections on the other', async () => {
    const person = await member('sacha@example.org');
    const live = await syncOnSecond(person.cookie);
    expect((await asAdmin(`/api/users/${person.id}`, { method: 'PATCH', body: { active: false } })).status).toBe(200);
    expect((await live.closed).code).toBe(CloseCode.AccessRevoked);
  });

  it('a role change on one process reconnects the person’s connections on the other under the new role', async () => {
    const person = await member('noa@example.org');
    expect((await asAdmin(`/api/boards/${setup.boardId}/members/${person.id}`, { method: 'PUT', body: { role: 'editor' } })).status).toBe(204);
    const live = await syncOnSecond(person.cookie);
    expect((await asAdmin(`/api/boards/${setup.boardId}/members/${person.id}`, { method: 'PUT', body: { role: 'viewer' } })).status).toBe(204);
    await asAdmin(`/api/boards/${setup.boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'none' } });
    expect((await live.closed).code).toBe(CloseCode.AccessChanged);
  });
});
