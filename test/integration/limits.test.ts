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
