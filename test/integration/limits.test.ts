import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BoardDoc, CloseCode } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import { adminToken, connectClient, createBoard, eventually, rawSocket, startTestServer, synced, tempDataDir } from '../helpers/test-server.js';

const MAX_FRAME_BYTES = 64 * 1024;

describe('a bad sync client closes only its own socket', () => {
  let data: ReturnType<typeof tempDataDir>;
  let server: PasserelleServer;
  let token: string;
  let boardId: string;
  let a: ReturnType<typeof connectClient>;
  let b: ReturnType<typeof connectClient>;

  beforeEach(async () => {
    data = tempDataDir();
    server = await startTestServer({ dataDir: data.dir, env: { MAX_FRAME_BYTES: String(MAX_FRAME_BYTES) } });
    token = await adminToken(server.url);
    boardId = await createBoard(server.url, token);
    a = connectClient(server.url, boardId, token);
    b = connectClient(server.url, boardId, token);
    await Promise.all([synced(a.provider), synced(b.provider)]);
  });

  afterEach(async () => {
    a.provider.destroy();
    b.provider.destroy();
    await server.close();
    data.remove();
  });

  /** Proves the two well-behaved clients still sync through the server. */
  async function othersStillSync(title: string): Promise<void> {
    const boardA = new BoardDoc(a.doc);
    const boardB = new BoardDoc(b.doc);
    boardA.addColumn(title);
    await eventually(() => boardB.listColumns().some((c) => c.title === title), 5000, `column ${title} on b`);
  }

  const badClient = async () => {
    const client = rawSocket(`${server.url.replace('http', 'ws')}/sync/${boardId}?token=${token}`);
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
  let data: ReturnType<typeof tempDataDir>;
  let server: PasserelleServer;
  let token: string;
  let boardId: string;

  beforeEach(async () => {
    data = tempDataDir();
    server = await startTestServer({
      dataDir: data.dir,
      env: { MAX_DOCUMENT_BYTES: String(MAX_DOCUMENT_BYTES), MAX_MESSAGES_PER_SECOND: String(MAX_MESSAGES_PER_SECOND) },
    });
    token = await adminToken(server.url);
    boardId = await createBoard(server.url, token);
  });

  afterEach(async () => {
    await server.close();
    data.remove();
  });

  it('an update that would make the board larger than MAX_DOCUMENT_BYTES is refused with 4413 and not kept', async () => {
    const writer = connectClient(server.url, boardId, token);
    const observer = connectClient(server.url, boardId, token);
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
    const fresh = connectClient(server.url, boardId, token);
    await synced(fresh.provider);
    expect(new BoardDoc(fresh.doc).listCards(column)).toEqual([]);
    new BoardDoc(observer.doc).addCard(column, { title: 'Petite carte', createdBy: 'admin' });
    await eventually(() => new BoardDoc(fresh.doc).listCards(column).length === 1, 5000, 'later small edit relayed');
    for (const client of [writer, observer, fresh]) client.provider.destroy();
  });

  it('a connection sending faster than MAX_MESSAGES_PER_SECOND is closed with 4429; others go on', async () => {
    const a = connectClient(server.url, boardId, token);
    const b = connectClient(server.url, boardId, token);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    const flooder = rawSocket(`${server.url.replace('http', 'ws')}/sync/${boardId}?token=${token}`);
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
