/**
 * A loop of connections from one address is turned away when accepted, before anything is parsed,
 * while another address is served as usual, and the first is served again once its rate allows.
 * Real TCP connections from two loopback addresses (127.0.0.1 and 127.0.0.2) to a real server that
 * trusts neither as a proxy.
 */
import { connect } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import {  } from '../helpers/test-server.js';
import { serverPerTest } from '../helpers/per-test.js';

/** One upgrade request to a path nobody serves, from `localAddress`; resolves with whether it was answered. */
function upgradeFrom(port: number, localAddress: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    let answered = false;
    socket.on('data', () => {
      answered = true;
      socket.destroy();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(answered));
    socket.on('connect', () =>
      socket.write('GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'),
    );
  });
}

describe('connections per client address', () => {
  // No proxy in front: every loopback address is a client of its own. 10 a second, bursts of 40.
  const ctx = serverPerTest({ env: { TRUST_PROXY: '10.9.8.7', MAX_CONNECTIONS_PER_SECOND: '10' } });
  let port: number;

  beforeEach(async () => {
    port = Number(new URL(ctx.server.url).port);
  });

  it('a loop of connections from one address is turned away beyond its rate; another address is served meanwhile', async () => {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 200 }, () => upgradeFrom(port, '127.0.0.1')));
    const elapsedSeconds = (performance.now() - started) / 1000;
    const answered = results.filter(Boolean).length;
    expect(answered).toBeGreaterThanOrEqual(40);
    expect(answered).toBeLessThanOrEqual(40 + Math.ceil(10 * elapsedSeconds) + 1);

    // Another address has a budget of its own.
    expect(await upgradeFrom(port, '127.0.0.2')).toBe(true);
    // Once the rate allows, the first address is served again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await upgradeFrom(port, '127.0.0.1')).toBe(true);
  });
});
