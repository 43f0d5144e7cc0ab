/**
 * Upgrade requests the server does not serve (unknown paths, malformed handshakes) are answered and
 * closed, so that an outsider looping over them cannot hold the server's descriptors; `/sync/` and
 * socket.io's websocket transport still take theirs. The server runs in this process, so the
 * connections it holds are the TCP sockets open in this process (/proc/self/fd) whose local port is
 * the server's (/proc/net/tcp and tcp6): counting those, rather than every descriptor, leaves out
 * files and pipes that other parts of the process open and close on their own time.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { io as connectSocketIo } from 'socket.io-client';
import { adminToken, connectClient, createBoard, eventually, synced } from '../helpers/test-server.js';
import { serverPerTest } from '../helpers/per-test.js';

/** How long an upgrade request may wait for its answer: a served or refused one gets it at once. */
const ANSWER_TIMEOUT_MS = 2000;

/** How many connections to the server at `url` this process holds open on the server's side. */
function heldConnections(url: string): number {
  const port = Number(new URL(url).port);
  const socketInodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
      if (inode) socketInodes.add(inode);
    } catch {
      // Closed between the listing and the read.
    }
  }
  let held = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = readFileSync(table, 'latin1').split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const localPort = parseInt(fields[1]!.split(':').at(-1)!, 16);
      const listening = fields[3] === '0A';
      if (localPort === port && !listening && socketInodes.has(fields[9]!)) held++;
    }
  }
  return held;
}

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

  it('a connection the server holds is counted, and no longer once it is closed', async () => {
    const baseline = heldConnections(ctx.server.url);
    const { hostname, port } = new URL(ctx.server.url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    try {
      await eventually(() => heldConnections(ctx.server.url) === baseline + 1, 5000, `a held connection counted over ${baseline}`);
    } finally {
      socket.destroy();
    }
    await eventually(() => heldConnections(ctx.server.url) <= baseline, 5000, `held connections back to ${baseline}`);
  });

  it('100 websocket upgrades to an unknown path are each answered 404 and closed, and hold no descriptor', async () => {
    const baseline = heldConnections(ctx.server.url);
    const answers = await Promise.all(Array.from({ length: 100 }, () => rawUpgrade(ctx.server.url, '/nothing', WEBSOCKET)));
    expect(answers.filter((answer) => answer.status !== 404)).toEqual([]);
    expect(answers.every((answer) => answer.answers === 1 && answer.closedByServer)).toBe(true);
    await eventually(() => heldConnections(ctx.server.url) <= baseline, 5000, `held connections back to ${baseline}`);
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
    const baseline = heldConnections(ctx.server.url);
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(malformed.map(([path, headers]) => rawUpgrade(ctx.server.url, path, headers)));
      expect(answers.map((answer, index) => [malformed[index]![0], answer.status])).toEqual(malformed.map(([path, , status]) => [path, status]));
      expect(answers.every((answer) => answer.answers === 1 && answer.closedByServer)).toBe(true);
    }
    await eventually(() => heldConnections(ctx.server.url) <= baseline, 5000, `held connections back to ${baseline}`);
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
