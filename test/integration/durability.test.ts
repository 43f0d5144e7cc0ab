import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BoardDoc, CloseCode } from '@passerelle/shared';
import { adminToken, connectClient, createBoard, eventually, startTestServer, synced, tempDataDir } from '../helpers/test-server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** Two stock clients of a board, both synced: one that writes and one that watches. */
async function writerAndObserver(baseUrl: string, boardId: string, token: string) {
  const writer = connectClient(baseUrl, boardId, token);
  const observer = connectClient(baseUrl, boardId, token);
  await Promise.all([synced(writer.provider), synced(observer.provider)]);
  return { writer, observer };
}

describe('durability', () => {
  let data: ReturnType<typeof tempDataDir>;

  beforeEach(() => {
    data = tempDataDir();
  });

  afterEach(() => {
    data.remove();
  });

  it('a board’s content survives a restart of the server', async () => {
    let server = await startTestServer({ dataDir: data.dir });
    const token = await adminToken(server.url);
    const boardId = await createBoard(server.url, token, 'Feuille de route');
    const writer = connectClient(server.url, boardId, token);
    await synced(writer.provider);
    const board = new BoardDoc(writer.doc);
    const column = board.addColumn('Court terme');
    const card = board.addCard(column, { title: 'Double diplôme avec l’Université de Sherbrooke', createdBy: 'w' });
    board.cardDescriptionText(card)!.insert(0, 'Au moins trois semestres en France.');
    // Another client has received it, so it is stored.
    const observer = connectClient(server.url, boardId, token);
    await synced(observer.provider);
    await eventually(() => new BoardDoc(observer.doc).getCard(card)?.description.length === 35, 5000, 'observer');
    writer.provider.destroy();
    observer.provider.destroy();
    await server.close();

    server = await startTestServer({ dataDir: data.dir });
    try {
      const reader = connectClient(server.url, boardId, token);
      await synced(reader.provider);
      const restored = new BoardDoc(reader.doc);
      expect(restored.listColumns().map((c) => c.title)).toEqual(['Court terme']);
      expect(restored.getCard(card)).toMatchObject({
        title: 'Double diplôme avec l’Université de Sherbrooke',
        description: 'Au moins trois semestres en France.',
        columnId: column,
      });
      reader.provider.destroy();
    } finally {
      await server.close();
    }
  });

  it('a server killed with SIGKILL right after a burst loses no edit another client had received', async () => {
    let server: ServerProcess | null = await startServerProcess({ dataDir: data.dir});
    try {
      const token = await adminToken(server.url);
      const boardId = await createBoard(server.url, token, 'Rafale');
      const { writer, observer } = await writerAndObserver(server.url, boardId, token);
      const writerBoard = new BoardDoc(writer.doc);
      const observerBoard = new BoardDoc(observer.doc);
      const column = writerBoard.addColumn('Rafale');

      // Keep editing while the server is killed: the observer's view at the moment of the kill is
      // what must survive.
      let written = 0;
      const burst = setInterval(() => {
        for (let i = 0; i < 5; i++) writerBoard.addCard(column, { title: `carte ${written++}`, createdBy: 'w' });
      }, 5);
      await eventually(() => observerBoard.listCards(column).length >= 200, 20_000, 'observer received a burst');
      await server.kill();
      clearInterval(burst);
      // Stop both clients at once so that nothing is resent on reconnection.
      writer.provider.destroy();
      observer.provider.destroy();
      const seen = observerBoard.listCards(column).map((card) => card.title);
      expect(written).toBeGreaterThan(seen.length);

      server = await startServerProcess({ dataDir: data.dir});
      const reader = connectClient(server.url, boardId, token);
      await synced(reader.provider);
      const stored = new Set(new BoardDoc(reader.doc).listCards(column).map((card) => card.title));
      const lost = seen.filter((title) => !stored.has(title));
      expect(lost).toEqual([]);
      reader.provider.destroy();
    } finally {
      await server?.kill();
    }
  });

  it('SIGTERM stores everything, closes sockets with 1012, and clients come back by themselves after the restart', async () => {
    const server = await startServerProcess({ dataDir: data.dir });
    try {
      const token = await adminToken(server.url);
      const boardId = await createBoard(server.url, token, 'Redémarrage propre');
      const { writer, observer } = await writerAndObserver(server.url, boardId, token);
      const codes: number[] = [];
      observer.provider.on('connection-close', (event) => event && codes.push(event.code));
      const writerBoard = new BoardDoc(writer.doc);
      const column = writerBoard.addColumn('Avant');
      for (let index = 0; index < 50; index++) writerBoard.addCard(column, { title: `avant ${index}`, createdBy: 'w' });

      await server.restart();
      expect(codes).toContain(CloseCode.ServerRestarting);
      // Edits made while the server was down reach it once the clients have reconnected.
      for (let index = 0; index < 10; index++) writerBoard.addCard(column, { title: `après ${index}`, createdBy: 'w' });
      const observerBoard = new BoardDoc(observer.doc);
      await eventually(() => observerBoard.listCards(column).length === 60, 15_000, 'every card on the observer after the restart');
      writer.provider.destroy();
      observer.provider.destroy();
      const reader = connectClient(server.url, boardId, token);
      await synced(reader.provider);
      expect(new BoardDoc(reader.doc).listCards(column)).toHaveLength(60);
      reader.provider.destroy();
    } finally {
      await server.kill();
    }
  });
});
