import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc, BOARD_SCHEMA_VERSION, parsePresence } from '@passerelle/shared';
import { adminToken, connectClient, createBoard, eventually, synced } from '../helpers/test-server.js';
import { serverPerTest } from '../helpers/per-test.js';

describe('sync endpoint with stock y-websocket clients', () => {
  const ctx = serverPerTest({ env: { UNLOAD_DELAY_MS: '50', COMPACT_THRESHOLD: '20' } });
  let token: string;

  beforeEach(async () => {
    token = await adminToken(ctx.server.url);
  });

  const open = (boardId: string) => {
    const client = connectClient(ctx.server.url, boardId, token);
    ctx.track(() => client.provider.destroy());
    return { ...client, board: new BoardDoc(client.doc) };
  };

  it('two clients converge under concurrent edits of columns, cards and text', async () => {
    const boardId = await createBoard(ctx.server.url, token);
    const a = open(boardId);
    const b = open(boardId);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    // The server migrated the new board before serving it.
    expect(a.board.schemaVersion).toBe(BOARD_SCHEMA_VERSION);

    const todo = a.board.addColumn('À faire');
    await eventually(() => b.board.listColumns().length === 1, 5000, 'column on b');
    const card = a.board.addCard(todo, { title: 'Accord Polytechnique Montréal', createdBy: 'a' });
    await eventually(() => b.board.getCard(card) !== undefined, 5000, 'card on b');

    // Concurrent: both type into the same title, both add cards, b adds a column.
    for (let i = 0; i < 20; i++) {
      a.board.cardTitleText(card)!.insert(0, 'A');
      b.board.cardTitleText(card)!.insert(b.board.cardTitleText(card)!.length, 'B');
      a.board.addCard(todo, { title: `a-${i}`, createdBy: 'a' });
      b.board.addCard(todo, { title: `b-${i}`, createdBy: 'b' });
    }
    const done = b.board.addColumn('Fait');
    a.board.moveCard(card, todo, 0);

    const snapshot = (board: BoardDoc) => JSON.stringify({ columns: board.listColumns(), cards: [...board.cardsByColumn()] });
    await eventually(() => snapshot(a.board) === snapshot(b.board) && a.board.listCards(todo).length === 41, 10_000, 'convergence');
    const title = a.board.getCard(card)!.title;
    expect(title).toBe(`${'A'.repeat(20)}Accord Polytechnique Montréal${'B'.repeat(20)}`);
    expect(a.board.listColumns().map((c) => c.id)).toEqual([todo, done]);
    expect(a.board.listCards(todo)[0].id).toBe(card);
  });

  it('relays awareness (presence) between clients and removes it when one leaves', async () => {
    const boardId = await createBoard(ctx.server.url, token);
    const a = open(boardId);
    const b = open(boardId);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    a.provider.awareness.setLocalState({ user: { id: 'u1', name: 'Amina', color: '#1f77b4' }, openCardId: 'c1' });
    await eventually(() => {
      const state = b.provider.awareness.getStates().get(a.doc.clientID);
      return parsePresence(state)?.openCardId === 'c1';
    }, 5000, 'presence on b');
    a.provider.destroy();
    await eventually(() => !b.provider.awareness.getStates().has(a.doc.clientID), 5000, 'presence removed');
  });

  it('serves a late joiner the whole board, and reloads it after the room was unloaded and compacted', async () => {
    const boardId = await createBoard(ctx.server.url, token);
    const a = open(boardId);
    await synced(a.provider);
    const column = a.board.addColumn('Mobilités');
    for (let i = 0; i < 50; i++) a.board.addCard(column, { title: `carte ${i}`, createdBy: 'a' });
    const late = open(boardId);
    await synced(late.provider);
    await eventually(() => late.board.listCards(column).length === 50, 5000, 'late joiner content');

    a.provider.destroy();
    late.provider.destroy();
    await eventually(() => !ctx.server.sync.openBoards.includes(boardId), 5000, 'room unloaded');

    const again = open(boardId);
    await synced(again.provider);
    // Synced means loaded: the content is there at the moment of the sync event.
    expect(again.board.listCards(column).map((c) => c.title)).toEqual(Array.from({ length: 50 }, (_, i) => `carte ${i}`));
  });

  it('a client is told it is synced only with the stored content already applied', async () => {
    const boardId = await createBoard(ctx.server.url, token);
    const writer = open(boardId);
    await synced(writer.provider);
    const column = writer.board.addColumn('Partenaires');
    writer.board.addCard(column, { title: 'Université Laval', createdBy: 'w' });
    writer.provider.destroy();
    await eventually(() => !ctx.server.sync.openBoards.includes(boardId), 5000, 'room unloaded');

    const doc = new Y.Doc();
    const reader = connectClient(ctx.server.url, boardId, token, doc);
    ctx.track(() => reader.provider.destroy());
    const cardsAtSync = await new Promise<number>((resolve) => {
      reader.provider.on('sync', (isSynced: boolean) => {
        if (isSynced) resolve(new BoardDoc(doc).listCards(column).length);
      });
    });
    expect(cardsAtSync).toBe(1);
  });
});
