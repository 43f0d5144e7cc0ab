import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeEach, describe, expect, it } from 'vitest';
import { BoardDoc, CloseCode } from '@passerelle/shared';
import { connectClient, eventually, rawSocket, synced } from '../helpers/test-server.js';
import { serverPerTest, tokenWithBoardPerTest } from '../helpers/per-test.js';

const MAX_FRAME_BYTES = 64 * 1024;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Memory the server (this process) holds outside small objects, after a full collection. */
function bufferedBytes(): number {
  collectGarbage();
  collectGarbage();
  const { arrayBuffers, external, heapUsed } = process.memoryUsage();
  return arrayBuffers + external + heapUsed;
}

/**
 * Opens a sync connection over a raw TCP socket and starts one binary frame that announces
 * `announcedBytes`, then streams `sentBytes` of it from one reused chunk (so the sender itself
 * holds almost nothing). Resolves when the server ends the connection, with what it sent back.
 */
function hugeFrame(url: URL, path: string, announcedBytes: number, sentBytes: number): Promise<{ response: Buffer; streamed: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    let upgraded = false;
    let streamed = 0;
    const chunk = randomBytes(64 * 1024);
    const stream = () => {
      while (streamed < sentBytes && !socket.destroyed) {
        streamed += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', stream);
      }
    };
    socket.on('error', () => {});
    socket.on('close', () => resolve({ response: Buffer.concat(chunks), streamed }));
    socket.on('data', (data: Buffer) => {
      chunks.push(data);
      if (upgraded || !Buffer.concat(chunks).includes('\r\n\r\n')) return;
      upgraded = true;
      if (!Buffer.concat(chunks).toString('latin1').startsWith('HTTP/1.1 101')) return reject(new Error('not upgraded'));
      // FIN + binary, masked, 64-bit length, then the mask key.
      const header = Buffer.alloc(14);
      header[0] = 0x82;
      header[1] = 0x80 | 127;
      header.writeBigUInt64BE(BigInt(announcedBytes), 2);
      randomBytes(4).copy(header, 10);
      socket.write(header);
      stream();
    });
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

/** The code of the close frame among the (unmasked) server frames that follow the handshake response. */
function closeCodeIn(response: Buffer): number | null {
  let offset = response.indexOf('\r\n\r\n') + 4;
  while (offset + 2 <= response.length) {
    const opcode = response[offset]! & 0x0f;
    let length = response[offset + 1]! & 0x7f;
    let start = offset + 2;
    if (length === 126) {
      length = response.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      length = Number(response.readBigUInt64BE(start));
      start += 8;
    }
    if (opcode === 0x8) return response.readUInt16BE(start);
    offset = start + length;
  }
  return null;
}

describe('a bad sync client closes only its own socket', () => {
  const ctx = serverPerTest({ env: { MAX_FRAME_BYTES: String(MAX_FRAME_BYTES) } });
  const given = tokenWithBoardPerTest(() => ctx.server.url);
  let a: ReturnType<typeof connectClient>;
  let b: ReturnType<typeof connectClient>;

  beforeEach(async () => {
    a = connectClient(ctx.server.url, given.boardId, given.token);
    ctx.cleanups.push(() => a.provider.destroy());
    b = connectClient(ctx.server.url, given.boardId, given.token);
    ctx.cleanups.push(() => b.provider.destroy());
    await Promise.all([synced(a.provider), synced(b.provider)]);
  });

  /** Proves the two well-behaved clients still sync through the server. */
  async function othersStillSync(title: string): Promise<void> {
    const boardA = new BoardDoc(a.doc);
    const boardB = new BoardDoc(b.doc);
    boardA.addColumn(title);
    await eventually(() => boardB.listColumns().some((c) => c.title === title), 5000, `column ${title} on b`);
  }

  const badClient = async () => {
    const client = rawSocket(`${ctx.server.url.replace('http', 'ws')}/sync/${given.boardId}?token=${given.token}`);
    await client.opened;
    await eventually(() => client.received.length > 0, 5000, 'greeting');
    return client;
  };

  it.each([
    ['an unknown message type', Uint8Array.from([42, 1, 2, 3])],
    ['an unknown sync step', Uint8Array.from([0, 9, 0])],
    ['a truncated update', Uint8Array.from([0, 2, 200, 1, 5])],
    ['an undecodable update', Uint8Array.from([0, 2, 5, 255, 255, 255, 255, 255])],
    ['an undecodable awareness update', Uint8Array.from([1, 4, 255, 255, 255, 255])],
  ])('%s closes that socket with 4400', async (_name, frame) => {
    const bad = await badClient();
    bad.socket.send(frame);
    expect((await bad.closed).code).toBe(CloseCode.MalformedMessage);
    await othersStillSync('après le message invalide');
  });

  it('a text frame closes that socket with 4400', async () => {
    const bad = await badClient();
    bad.socket.send('hello');
    expect((await bad.closed).code).toBe(CloseCode.MalformedMessage);
    await othersStillSync('après le texte');
  });

  it('a frame over MAX_FRAME_BYTES closes that socket with 1009', async () => {
    const bad = await badClient();
    bad.socket.send(new Uint8Array(MAX_FRAME_BYTES + 1));
    expect((await bad.closed).code).toBe(CloseCode.MessageTooLarge);
    await othersStillSync('après la trame trop grande');
  });

  it('a frame announcing 1 GiB is refused from its header: the server buffers none of it, memory stays flat', async () => {
    const url = new URL(ctx.server.url);
    const path = `/sync/${given.boardId}?token=${given.token}`;
    // A first attempt warms up the code paths (and their compiled code) the measured ones use.
    expect(closeCodeIn((await hugeFrame(url, path, 2 ** 30, 16 * 1024 * 1024)).response)).toBe(CloseCode.MessageTooLarge);
    const before = bufferedBytes();
    for (let attempt = 0; attempt < 3; attempt++) {
      const { response } = await hugeFrame(url, path, 2 ** 30, 16 * 1024 * 1024);
      expect(closeCodeIn(response)).toBe(CloseCode.MessageTooLarge);
    }
    // Socket buffers of the last connection are released once its close has run its course.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = bufferedBytes();
    // Far below the 3 GiB announced and the megabytes streamed: nothing of the frames was kept.
    expect(after - before).toBeLessThan(2 * 1024 * 1024);
    await othersStillSync('après la trame géante');
  });

  it('a frame just under MAX_FRAME_BYTES is accepted', async () => {
    const boardA = new BoardDoc(a.doc);
    const column = boardA.addColumn('Grande description');
    const card = boardA.addCard(column, { title: 'Carte', createdBy: 'a' });
    // Well under the frame limit once encoded, but large.
    boardA.cardDescriptionText(card)!.insert(0, 'é'.repeat(15_000));
    const boardB = new BoardDoc(b.doc);
    await eventually(() => boardB.getCard(card)?.description.length === 15_000, 5000, 'large description on b');
  });
});

describe('document size and message rate limits', () => {
  const MAX_DOCUMENT_BYTES = 50_000;
  const MAX_MESSAGES_PER_SECOND = 20;
  const ctx = serverPerTest({ env: { MAX_DOCUMENT_BYTES: String(MAX_DOCUMENT_BYTES), MAX_MESSAGES_PER_SECOND: String(MAX_MESSAGES_PER_SECOND) } });
  const given = tokenWithBoardPerTest(() => ctx.server.url);

  it('an update that would make the board larger than MAX_DOCUMENT_BYTES is refused with 4413 and not kept', async () => {
    const writer = connectClient(ctx.server.url, given.boardId, given.token);
    const observer = connectClient(ctx.server.url, given.boardId, given.token);
    await Promise.all([synced(writer.provider), synced(observer.provider)]);
    const codes: number[] = [];
    writer.provider.on('connection-close', (event) => event && codes.push(event.code));
    const column = new BoardDoc(writer.doc).addColumn('Mobilités');
    await eventually(() => new BoardDoc(observer.doc).listColumns().length === 1, 5000, 'small change relayed');

    // Descriptions are capped at 20,000 characters: three full ones in one change pass the limit.
    writer.doc.transact(() => {
      for (const title of ['Annexe 1', 'Annexe 2', 'Annexe 3']) new BoardDoc(writer.doc).addCard(column, { title, description: 'x'.repeat(20_000), createdBy: 'admin' });
    });
    await eventually(() => codes.includes(CloseCode.DocumentTooLarge), 5000, 'closed with 4413');
    // A final code: the client does not send it again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(writer.provider.wsconnected).toBe(false);
    expect(new BoardDoc(observer.doc).listCards(column)).toEqual([]);

    // What the store holds is the board without the refused card; others go on.
    const fresh = connectClient(ctx.server.url, given.boardId, given.token);
    await synced(fresh.provider);
    expect(new BoardDoc(fresh.doc).listCards(column)).toEqual([]);
    new BoardDoc(observer.doc).addCard(column, { title: 'Petite carte', createdBy: 'admin' });
    await eventually(() => new BoardDoc(fresh.doc).listCards(column).length === 1, 5000, 'later small edit relayed');
    for (const client of [writer, observer, fresh]) client.provider.destroy();
  });

  it('a connection sending faster than MAX_MESSAGES_PER_SECOND is closed with 4429; others go on', async () => {
    const a = connectClient(ctx.server.url, given.boardId, given.token);
    const b = connectClient(ctx.server.url, given.boardId, given.token);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    const flooder = rawSocket(`${ctx.server.url.replace('http', 'ws')}/sync/${given.boardId}?token=${given.token}`);
    await flooder.opened;
    await eventually(() => flooder.received.length > 0, 5000, 'greeting');
    // Query-awareness messages: valid, tiny, and each one makes the server answer.
    for (let index = 0; index < MAX_MESSAGES_PER_SECOND * 5; index++) flooder.socket.send(Uint8Array.from([3]));
    expect((await flooder.closed).code).toBe(CloseCode.TooManyMessages);

    new BoardDoc(a.doc).addColumn('Après le flot');
    await eventually(() => new BoardDoc(b.doc).listColumns().length === 1, 5000, 'others still sync');
    a.provider.destroy();
    b.provider.destroy();
  });
});
