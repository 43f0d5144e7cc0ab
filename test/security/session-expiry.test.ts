/**
 * A session's expiry reaches the connections already open, proved over real connections to a real
 * server with a real SQLite store: a socket.io connection is told `access:ended` ('expired') and
 * dropped, and a sync connection is closed with `AccessRevoked`, when the session passes its expiry
 * while they are connected, and not before. The same timer serves expiries further away than
 * `setTimeout` can wait (test/unit/expiry.test.ts proves that part with fake timers).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { io as connectSocketIo } from 'socket.io-client';
import { CloseCode, WORKSPACE_DOC } from '@passerelle/shared';
import { login, rawSocket } from '../helpers/test-server.js';
import { serverPerTest } from '../helpers/per-test.js';

/** Rejects when `promise` has not settled within `ms`: a connection that is never ended fails fast. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('a session that expires while connected', () => {
  const ctx = serverPerTest();

  it('ends its socket.io connection (access:ended, expired, then disconnect) and its sync connection (4410) when it passes', async () => {
    const cookie = await login(ctx.server.url);
    const db = new Database(join(ctx.dataDir, 'passerelle.sqlite'));
    ctx.cleanups.push(() => db.close());
    // The administrator's only session now expires in 2 s: connections admitted before then end when it passes.
    const expiresAtMs = Date.now() + 2000;
    expect(db.prepare('UPDATE sessions SET expires_at = ?').run(new Date(expiresAtMs).toISOString()).changes).toBe(1);

    const socket = connectSocketIo(ctx.server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie, origin: ctx.server.url }, reconnection: false });
    ctx.cleanups.push(() => socket.disconnect());
    const socketEvents: { event: string; at: number; detail: string }[] = [];
    socket.on('access:ended', (payload: { reason: string }) => socketEvents.push({ event: 'access:ended', at: Date.now(), detail: payload.reason }));
    const disconnected = new Promise<void>((resolve) =>
      socket.once('disconnect', (reason) => {
        socketEvents.push({ event: 'disconnect', at: Date.now(), detail: reason });
        resolve();
      }),
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const sync = rawSocket(`${ctx.server.url.replace('http', 'ws')}/sync/${WORKSPACE_DOC}`, { cookie, origin: ctx.server.url });
    ctx.cleanups.push(() => sync.socket.terminate());
    await sync.opened;
    expect(Date.now()).toBeLessThan(expiresAtMs);

    const closed = await within(sync.closed, 5000, 'sync connection closed');
    const syncClosedAt = Date.now();
    await within(disconnected, 5000, 'socket.io connection dropped');

    expect(closed.code).toBe(CloseCode.AccessRevoked);
    expect(syncClosedAt).toBeGreaterThanOrEqual(expiresAtMs);
    expect(socketEvents.map(({ event, detail }) => [event, detail])).toEqual([
      ['access:ended', 'expired'],
      ['disconnect', 'io server disconnect'],
    ]);
    expect(socketEvents[0].at).toBeGreaterThanOrEqual(expiresAtMs);
    // Ended promptly, not only eventually.
    expect(Math.max(syncClosedAt, socketEvents[1].at) - expiresAtMs).toBeLessThan(1500);
  });
});
