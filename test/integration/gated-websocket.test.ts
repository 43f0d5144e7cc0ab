/**
 * The socket a document with a local copy connects with: open at once, but what the server says
 * reaches the provider only once the copy is read. Against a real WebSocket server that speaks
 * first, as the sync endpoint does.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { gatedWebSocket } from '../../web/src/lib/sync/gated-websocket.js';

let server: WebSocketServer;
let url: string;
const accepted: ServerSocket[] = [];

beforeAll(async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  server.on('connection', (socket) => {
    accepted.push(socket);
    for (const text of ['one', 'two', 'three']) socket.send(text);
  });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of accepted) socket.terminate();
  await new Promise((resolve) => server.close(resolve));
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** What the provider would see: the order of open and messages. */
function listen(socket: WebSocket): string[] {
  const seen: string[] = [];
  socket.onopen = () => seen.push('open');
  socket.onmessage = (event: MessageEvent) => seen.push(String(event.data));
  socket.onclose = () => seen.push('close');
  return seen;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

/** A gated socket the server has accepted and spoken to (the handshake does not wait for the gate). */
async function heldSocket(gate: Promise<unknown>): Promise<{ socket: WebSocket; seen: string[]; server: ServerSocket }> {
  const before = accepted.length;
  const socket = new (gatedWebSocket(gate))(url);
  const seen = listen(socket);
  await until(() => accepted.length === before + 1);
  return { socket, seen, server: accepted[before]! };
}

describe('a socket held until the local copy is read', () => {
  it('connects at once and hands nothing over until the gate opens, then the open and every message in order', async () => {
    const gate = deferred();
    const { socket, seen } = await heldSocket(gate.promise);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([]);

    gate.resolve();
    await until(() => seen.length === 4);
    expect(seen).toEqual(['open', 'one', 'two', 'three']);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  it('opens the gate when the read fails too', async () => {
    const gate = deferred();
    const Gated = gatedWebSocket(gate.promise.then(() => Promise.reject(new Error('storage failed'))));
    const socket = new Gated(url);
    const seen = listen(socket);
    gate.resolve();
    await until(() => seen.length === 4);
    expect(seen).toEqual(['open', 'one', 'two', 'three']);
    socket.close();
  });

  it('is a plain socket once the gate has opened: a reconnection is not held back', async () => {
    const gate = deferred();
    const Gated = gatedWebSocket(gate.promise);
    gate.resolve();
    await gate.promise;
    const socket = new Gated(url);
    const seen = listen(socket);
    await until(() => seen.length === 4);
    expect(seen).toEqual(['open', 'one', 'two', 'three']);
    socket.close();
  });

  it('reports a close that comes while held, and nothing after it', async () => {
    const gate = deferred();
    const { seen, server } = await heldSocket(gate.promise);
    server.close(4000, 'bye');
    await until(() => seen.includes('close'));
    gate.resolve();
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual(['close']);
  });
});
