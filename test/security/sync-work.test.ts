/**
 * The sync endpoint's work stays bounded whatever a connection asks of it: sync step 1 messages
 * with made-up state vectors, requests from a client that does not read its answers, oversized or
 * numerous presence states. Each attack runs on real connections (raw WebSocket frames, as an
 * attacker writes them, beside stock y-websocket clients) against a real server and SQLite store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { BoardDoc, CloseCode, type BoardSummary } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import type { SyncWorkLimits } from '../../server/src/sync/sync-budget.js';
import { api, connectClient, eventually, joinAsGuest, login, startTestServer, synced, tempDataDir } from '../helpers/test-server.js';

const SYNC = 0;
const AWARENESS = 1;
const STEP1 = 0;
const STEP2 = 1;

/** A sync step 1 frame asking for everything beyond `stateVector`. */
function step1Frame(stateVector: Map<number, number>): Buffer {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, SYNC);
  encoding.writeVarUint(encoder, STEP1);
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(stateVector));
  return Buffer.from(encoding.toUint8Array(encoder));
}

/** An awareness frame with the given entries, as a client writes them. */
function awarenessFrame(entries: { clientId: number; clock: number; state: unknown }[]): Buffer {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(update, entry.clientId);
    encoding.writeVarUint(update, entry.clock);
    encoding.writeVarString(update, JSON.stringify(entry.state));
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, AWARENESS);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
  return Buffer.from(encoding.toUint8Array(encoder));
}

/** Whether a frame the server sent is a sync step 2 (an answer to a step 1). */
function isStep2(frame: Buffer): boolean {
  const decoder = decoding.createDecoder(frame);
  return decoding.readVarUint(decoder) === SYNC && decoding.readVarUint(decoder) === STEP2;
}

/** A raw sync connection as an attacker holds it: frames in, frames out, the close code. */
interface RawConnection {
  socket: WebSocket;
  received: Buffer[];
  opened: Promise<void>;
  closed: Promise<number>;
  step2Count(): number;
}

describe('sync work is bounded per connection and per room', () => {
  let data: ReturnType<typeof tempDataDir>;
  let server: PasserelleServer;
  let adminCookie: string;
  let boardId: string;
  const cleanups: (() => void)[] = [];

  async function start(syncLimits: Partial<SyncWorkLimits> = {}, env: Record<string, string> = {}): Promise<void> {
    server = await startTestServer({ dataDir: data.dir, syncLimits, env });
    adminCookie = await login(server.url);
    const created = await api<BoardSummary>(server.url, '/api/boards', { method: 'POST', body: { title: 'Alliance de la connaissance' }, cookie: adminCookie, headers: { origin: server.url } });
    boardId = created.body.id;
  }

  beforeEach(() => {
    data = tempDataDir();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    await server?.close();
    data.remove();
  });

  /** Fills the board: `cards` cards, each typed in `edits` separate changes, plus `bigText` characters in one description. */
  async function fillBoard(cards: number, bigText = 0): Promise<void> {
    await server.sync.editDocument(boardId, (doc) => {
      const board = new BoardDoc(doc);
      const column = board.addColumn('Partenariats stratégiques');
      for (let index = 0; index < cards; index++) board.addCard(column, { title: `Mobilité ${index} vers l'Université de Yaoundé I`, createdBy: 'admin' });
      if (bigText > 0) board.cardDescriptionText(board.addCard(column, { title: 'Annexe', createdBy: 'admin' }))!.insert(0, 'é'.repeat(bigText / 2));
    }, { id: 'admin', name: 'Admin' });
  }

  function connect(name: string, cookie: string): RawConnection {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${name}`, { headers: { cookie, origin: server.url } });
    const received: Buffer[] = [];
    socket.on('message', (frame: Buffer) => received.push(frame));
    socket.on('error', () => {});
    const opened = new Promise<void>((resolve) => socket.once('open', () => resolve()));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    cleanups.push(() => socket.terminate());
    return { socket, received, opened, closed, step2Count: () => received.filter(isStep2).length };
  }

  async function guestCookie(): Promise<string> {
    return (await joinAsGuest({ serverUrl: server.url, as: { cookie: adminCookie }, boardId, role: 'viewer' })).cookie;
  }

  /** The board's own client ids and clocks, as the server holds them. */
  async function serverStateVector(): Promise<Map<number, number>> {
    const member = connect(boardId, adminCookie);
    await member.opened;
    member.socket.send(step1Frame(new Map()));
    await eventually(() => member.step2Count() > 0, 10_000, 'the member is answered');
    member.socket.close();
    return Y.decodeStateVector(Y.encodeStateVector(server.sync.documentOf(boardId)!));
  }

  /** `count` different state vectors the document can answer, each a different encode. */
  function distinctStateVectors(known: Map<number, number>, count: number): Map<number, number>[] {
    const [client, clock] = [...known].sort((a, b) => b[1] - a[1])[0]!;
    expect(clock).toBeGreaterThan(count);
    return Array.from({ length: count }, (_, index) => new Map([[client, index + 1]]));
  }

  it('a guest sending more sync step 1 messages than a client needs is closed with 4429, within the message rate', async () => {
    await start();
    await fillBoard(50);
    const attacker = connect(boardId, await guestCookie());
    await attacker.opened;
    // Twenty in one go: far under the 200 messages a second allowed, far over what any client asks.
    for (let index = 0; index < 20; index++) attacker.socket.send(step1Frame(new Map([[Math.floor(Math.random() * 2 ** 31), index + 1]])));
    expect(await attacker.closed).toBe(CloseCode.TooManyMessages);
    expect(attacker.step2Count()).toBeLessThanOrEqual(4);
  });

  it('state vectors naming clients the board never had, and repeated ones, share one encoding of the board', async () => {
    await start();
    await fillBoard(200);
    const before = server.sync.syncWorkOf(boardId)?.encodes ?? 0;
    const attackers = await Promise.all(Array.from({ length: 5 }, async () => connect(boardId, await guestCookie())));
    await Promise.all(attackers.map((attacker) => attacker.opened));
    for (const attacker of attackers) {
      for (let index = 0; index < 4; index++) attacker.socket.send(step1Frame(new Map([[100_000 + Math.floor(Math.random() * 2 ** 30), 1 + index]])));
    }
    await eventually(() => attackers.every((attacker) => attacker.step2Count() === 4), 10_000, 'every request answered');
    // Twenty requests, one encode of the whole board at most (none when it was already encoded).
    expect(server.sync.syncWorkOf(boardId)!.encodes - before).toBeLessThanOrEqual(1);
  });

  it("a person's encodes are bounded by their budget, reconnecting included; their latest request waits, and other people are answered meanwhile", async () => {
    // One encode, then the person's budget is spent for far longer than the test.
    await start({ personWorkMsPerSecond: 0.001, personWorkBurstMs: 0.001, step1PerSecond: 100, step1Burst: 100 });
    await fillBoard(300);
    const stateVectors = distinctStateVectors(await serverStateVector(), 12);
    const attackerCookie = await guestCookie();
    const attacker = connect(boardId, attackerCookie);
    await attacker.opened;
    for (const stateVector of stateVectors.slice(0, 9)) attacker.socket.send(step1Frame(stateVector));
    await eventually(() => attacker.step2Count() >= 1, 10_000, 'the first request answered');
    // A new connection of the same person finds the budget as the first one left it.
    const again = connect(boardId, attackerCookie);
    await again.opened;
    again.socket.send(step1Frame(stateVectors[9]!));

    // Another partner's client, with a budget of its own, is answered at once.
    const partner = connect(boardId, await guestCookie());
    await partner.opened;
    partner.socket.send(step1Frame(stateVectors[11]!));
    await eventually(() => partner.step2Count() === 1, 5_000, 'another person answered');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attacker.step2Count()).toBe(1);
    expect(again.step2Count()).toBe(0);
    expect(attacker.socket.readyState).toBe(WebSocket.OPEN);
  });

  it("a room's budget bounds the encoding all its connections cause, while fresh clients are still served at once", async () => {
    // One encode, then the room's budget is spent for far longer than the test.
    await start({ roomWorkMsPerSecond: 0.001, roomWorkBurstMs: 0.001 });
    await fillBoard(300);
    // A member's first sync encodes the whole board: that one encode spends the room's budget.
    const stateVectors = distinctStateVectors(await serverStateVector(), 6);
    const before = server.sync.syncWorkOf(boardId)!.encodes;
    expect(before).toBe(1);
    const attackers = await Promise.all(stateVectors.map(async () => connect(boardId, await guestCookie())));
    await Promise.all(attackers.map((attacker) => attacker.opened));
    attackers.forEach((attacker, index) => attacker.socket.send(step1Frame(stateVectors[index]!)));

    // A colleague opening the board now gets the whole board, already encoded, without waiting.
    const token = (await api<{ token: string }>(server.url, '/api/tokens', { method: 'POST', body: { name: 'script' }, cookie: adminCookie, headers: { origin: server.url } })).body.token;
    const { doc, provider } = connectClient(server.url, boardId, token);
    cleanups.push(() => provider.destroy());
    await synced(provider, 5_000);
    expect(new BoardDoc(doc).listColumns()).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attackers.reduce((total, attacker) => total + attacker.step2Count(), 0)).toBe(0);
    expect(server.sync.syncWorkOf(boardId)!.encodes).toBe(before);
    expect(attackers.every((attacker) => attacker.socket.readyState === WebSocket.OPEN)).toBe(true);
  });

  it('a client that does not read what it asked for is sent nothing more until it reads', async () => {
    await start({ replyBacklogBytes: 1, step1PerSecond: 100, step1Burst: 100 });
    // A 2 MiB description: each answer is 2 MiB, from the cache after the first.
    await fillBoard(1, 2 * 1024 * 1024);
    const attacker = connect(boardId, await guestCookie());
    await attacker.opened;
    // It stops reading: what the server sends piles up in the kernel's buffers, then in the server's.
    (attacker.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let index = 0; index < 30; index++) attacker.socket.send(step1Frame(new Map()));
    await new Promise((resolve) => setTimeout(resolve, 500));
    (attacker.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Only what fitted the kernel's buffers before the server's own started to fill, and the latest request.
    expect(attacker.step2Count()).toBeGreaterThanOrEqual(1);
    expect(attacker.step2Count()).toBeLessThan(10);
  });

  it('a client that stopped reading while the board changes is closed with 1013 once its backlog passes the limit', async () => {
    // Folded after every other update, the board stays small however much text comes and goes.
    await start({ sendBacklogBytes: 256 * 1024 }, { COMPACT_THRESHOLD: '2' });
    await fillBoard(1);
    const reader = connect(boardId, await guestCookie());
    await reader.opened;
    (reader.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    // A colleague pastes a large text and takes it out again, 24 times: 24 MiB relayed, more than
    // the kernel's buffers hold, while the stored board stays a few kilobytes.
    const [cardId] = [...new BoardDoc(server.sync.documentOf(boardId)!).cards.keys()];
    for (let index = 0; index < 24; index++) {
      await server.sync.editDocument(boardId, (doc) => new BoardDoc(doc).cardDescriptionText(cardId!)!.insert(0, 'x'.repeat(512 * 1024)), { id: 'admin', name: 'Admin' });
      await server.sync.editDocument(boardId, (doc) => new BoardDoc(doc).cardDescriptionText(cardId!)!.delete(0, 512 * 1024), { id: 'admin', name: 'Admin' });
    }
    (reader.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await reader.closed).toBe(CloseCode.TryAgainLater);
  });

  describe('presence', () => {
    async function watcher(): Promise<{ awareness: awarenessProtocol.Awareness; doc: Y.Doc }> {
      const token = (await api<{ token: string }>(server.url, '/api/tokens', { method: 'POST', body: { name: 'watcher' }, cookie: adminCookie, headers: { origin: server.url } })).body.token;
      const { doc, provider } = connectClient(server.url, boardId, token);
      cleanups.push(() => provider.destroy());
      await synced(provider);
      return { awareness: provider.awareness, doc };
    }

    it('a presence state over 8 KiB closes its connection as malformed and never reaches anyone', async () => {
      await start();
      const { awareness } = await watcher();
      const attacker = connect(boardId, await guestCookie());
      await attacker.opened;
      attacker.socket.send(awarenessFrame([{ clientId: 424242, clock: 1, state: { user: { name: 'x' }, padding: 'p'.repeat(64 * 1024) } }]));
      expect(await attacker.closed).toBe(CloseCode.MalformedMessage);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(awareness.getStates().has(424242)).toBe(false);
    });

    it('one connection speaks for at most four presence ids; the others it names are ignored', async () => {
      await start();
      const { awareness } = await watcher();
      const attacker = connect(boardId, await guestCookie());
      await attacker.opened;
      const entries = Array.from({ length: 50 }, (_, index) => ({ clientId: 500_000 + index, clock: 1, state: { user: { name: `fantôme ${index}` } } }));
      attacker.socket.send(awarenessFrame(entries));
      await eventually(() => [...awareness.getStates().keys()].some((id) => id >= 500_000 && id < 500_050), 5_000, 'presence relayed');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const fromAttacker = [...awareness.getStates().keys()].filter((id) => id >= 500_000 && id < 500_050);
      expect(fromAttacker).toHaveLength(4);
      // Each is stamped with the guest's own identity, whatever name it claimed.
      for (const id of fromAttacker) expect((awareness.getStates().get(id) as { user: { name: string; guest: boolean } }).user).toMatchObject({ name: 'Ana Sousa', guest: true });
      expect(attacker.socket.readyState).toBe(WebSocket.OPEN);
    });
  });
});
