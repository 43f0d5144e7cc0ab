/**
 * Upgrade requests the server does not serve (unknown paths, malformed handshakes) are answered and
 * closed, so that an outsider looping over them cannot hold the server's descriptors; `/sync/` and
 * socket.io's websocket transport still take theirs. The server runs in this process, so its open
 * descriptors are this process's (/proc/self/fd).
 */
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { io as connectSocketIo } from 'socket.io-client';
import { adminToken, connectClient, createBoard, eventually, synced } from '../helpers/test-server.js';
import { serverPerTest } from '../helpers/per-test.js';

/** How long an upgrade request may wait for its answer: a served or refused one gets it at once. */
const ANSWER_TIMEOUT_MS = 2000;

const openDescriptors = () => readdirSync('/proc/self/fd').length;

/**
 * Sends one raw HTTP/1.1 request with `headers` and waits for the server to answer and close the
 * connection (or for the timeout); then closes this end too, as a client that gives up would.
 */
function rawUpgrade(url: string, path: string, headers: Record<string, string>): Promise<{ status: number | null; answers: number; closedByServer: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    let closedByServer = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      // Two parties answering the same upgrade would show as two status lines.
      resolve({ status: status ? Number(status[1]) : null, answers: received.match(/HTTP\/1\.1 \d{3}/g)?.length ?? 0, closedByServer });
    };
    const timer = setTimeout(finish, ANSWER_TIMEOUT_MS);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('end', () => {
      closedByServer = true;
      finish();
    });
    socket.on('close', finish);
    const lines = [`GET ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

const WEBSOCKET = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' };

describe('upgrade requests the server does not serve', () => {
  const ctx = serverPerTest();

  it('100 websocket upgrades to an unknown path are each answered 404 and closed, and hold no descriptor', async () => {
    const baseline = openDescriptors();
    const answers = await Promise.all(Array.from({ length: 100 }, () => rawUpgrade(ctx.server.url, '/nothing', WEBSOCKET)));
    expect(answers.filter((answer) => answer.status !== 404)).toEqual([]);
    expect(answers.every((answer) => answer.answers === 1 && answer.closedByServer)).toBe(true);
    await eventually(() => openDescriptors() <= baseline, 5000, `descriptors back to ${baseline} (now ${openDescriptors()})`);
  });

  it('malformed upgrades, to unknown paths, /sync and socket.io, are each answered once (400 or 404) and closed, and hold no descriptor', async () => {
    const { Connection, Upgrade } = WEBSOCKET;
    const malformed: [path: string, headers: Record<string, string>, status: number][] = [
      // Not a path anyone serves, whatever the upgrade asks for.
      ['/', { Connection: 'Upgrade', Upgrade: 'h2c' }, 404],
      ['/sync', WEBSOCKET, 404],
      ['/socket.io', WEBSOCKET, 404],
      ['/api/boards', WEBSOCKET, 404],
      ['/%E0%A4%A', WEBSOCKET, 404],
      ['/nothing', { Connection, Upgrade }, 404],
      // Served paths, but not a valid WebSocket handshake.
      ['/sync/board', { Connection, Upgrade }, 400],
      ['/sync/board', { Connection: 'Upgrade', Upgrade: 'h2c' }, 400],
      ['/socket.io/?EIO=4&transport=websocket', { Connection, Upgrade }, 400],
      ['/socket.io/?EIO=4&transport=websocket&sid=made-up', WEBSOCKET, 400],
    ];
    const baseline = openDescriptors();
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(malformed.map(([path, headers]) => rawUpgrade(ctx.server.url, path, headers)));
      expect(answers.map((answer, index) => [malformed[index]![0], answer.status])).toEqual(malformed.map(([path, , status]) => [path, status]));
      expect(answers.every((answer) => answer.answers === 1 && answer.closedByServer)).toBe(true);
    }
    await eventually(() => openDescriptors() <= baseline, 5000, `descriptors back to ${baseline} (now ${openDescriptors()})`);
  });

  it('after such requests, /sync/ and socket.io over websocket still connect', async () => {
    await Promise.all(Array.from({ length: 20 }, () => rawUpgrade(ctx.server.url, '/nothing', WEBSOCKET)));
    const token = await adminToken(ctx.server.url);
    const boardId = await createBoard(ctx.server.url, token);
    const client = connectClient(ctx.server.url, boardId, token);
    try {
      await synced(client.provider);
    } finally {
      client.provider.destroy();
    }
    const socket = connectSocketIo(ctx.server.url, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      expect(socket.io.engine.transport.name).toBe('websocket');
    } finally {
      socket.disconnect();
    }
  });
});
