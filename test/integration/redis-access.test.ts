/**
 * Access changes in Redis mode: the request that signs someone out, revokes a guest or changes a
 * role is handled by one process, while the person's live connections may be on another. Every
 * process must apply the change to its own connections.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { CloseCode, type Me } from '@passerelle/shared';
import { startRedisPair, type RedisPair, type ServerProcess } from '../helpers/server-process.js';
import { api, eventually, joinAsGuest, login, rawSocket } from '../helpers/test-server.js';

describe('access changes across processes on Redis', () => {
  let pair: RedisPair;
  /** Handles the administrator's requests. */
  let first: ServerProcess;
  /** Holds the live connections the changes must reach. */
  let second: ServerProcess;
  let adminCookie: string;
  let boardId: string;
  const cleanups: (() => void)[] = [];

  beforeEach(async () => {
    pair = await startRedisPair({ keyPrefix: 'access:' });
    ({ first, second } = pair);
    adminCookie = await login(first.url);
    const created = await asAdmin<{ id: string }>('/api/boards', { method: 'POST', body: { title: 'Réunion Porto' } });
    boardId = created.body.id;
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    await pair?.stop();
  });

  const asAdmin = <T>(path: string, init: { method?: string; body?: unknown } = {}) =>
    api<T>(first.url, path, { ...init, cookie: adminCookie, headers: { origin: first.url } });

  /**
   * A raw sync connection to the second process, authenticated by a cookie as a browser's is;
   * resolves once the server admitted it (its first sync message arrived).
   */
  async function syncOnSecond(cookie: string) {
    const client = rawSocket(`${second.url.replace('http', 'ws')}/sync/${boardId}`, { cookie, origin: second.url });
    cleanups.push(() => client.socket.close());
    await client.opened;
    await eventually(() => client.received.length > 0, 5000, 'admitted by the second process');
    return client;
  }

  async function socketOnSecond(cookie: string): Promise<Socket> {
    const socket = connectSocketIo(second.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie, origin: second.url }, reconnection: false });
    cleanups.push(() => socket.disconnect());
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  async function member(email: string): Promise<{ cookie: string; id: string }> {
    const created = await asAdmin<Me>('/api/users', { method: 'POST', body: { email, password: 'a-long-password', name: email.split('@')[0] } });
    expect(created.status).toBe(201);
    return { cookie: await login(first.url, { email, password: 'a-long-password' }), id: created.body.id };
  }

  /** A partner guest, joined through the second process, as a balancer may send them anywhere. */
  const guest = () => joinAsGuest({ serverUrl: first.url, as: { cookie: adminCookie }, boardId, joinAt: second.url });

  it('signing out on one process ends that session’s connections on the other', async () => {
    const person = await member('camille@example.org');
    const live = await syncOnSecond(person.cookie);
    const socket = await socketOnSecond(person.cookie);
    const ended = new Promise<{ reason: string }>((resolve) => socket.once('access:ended', resolve));

    const started = Date.now();
    const logout = await api(first.url, '/api/auth/logout', { method: 'POST', cookie: person.cookie, headers: { origin: first.url } });
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

    expect((await asAdmin(`/api/boards/${boardId}/guest-invites/${partner.invite.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await partnerSync.closed).code).toBe(CloseCode.AccessRevoked);
    expect((await ended).reason).toBe('revoked');
    expect(colleagueSync.socket.readyState).toBe(WebSocket.OPEN);
    // The session is gone for both processes.
    for (const server of [first, second]) expect((await api(server.url, '/api/auth/me', { cookie: partner.cookie })).status).toBe(401);
  });

  it('deactivating a member on one process closes their connections on the other', async () => {
    const person = await member('sacha@example.org');
    const live = await syncOnSecond(person.cookie);
    expect((await asAdmin(`/api/users/${person.id}`, { method: 'PATCH', body: { active: false } })).status).toBe(200);
    expect((await live.closed).code).toBe(CloseCode.AccessRevoked);
  });

  it('a role change on one process reconnects the person’s connections on the other under the new role', async () => {
    const person = await member('noa@example.org');
    expect((await asAdmin(`/api/boards/${boardId}/members/${person.id}`, { method: 'PUT', body: { role: 'editor' } })).status).toBe(204);
    const live = await syncOnSecond(person.cookie);
    expect((await asAdmin(`/api/boards/${boardId}/members/${person.id}`, { method: 'PUT', body: { role: 'viewer' } })).status).toBe(204);
    await asAdmin(`/api/boards/${boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'none' } });
    expect((await live.closed).code).toBe(CloseCode.AccessChanged);
  });
});
