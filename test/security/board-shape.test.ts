/**
 * An editor with a stock y-websocket client can write any value at any key. A card or a column
 * that is not a map would make every reader of the board fail, the web app of everyone on it
 * (partner guests included): the server removes it at once. Real server, real SQLite.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc } from '@passerelle/shared';
import { connectClient, eventually, synced } from '../helpers/test-server.js';
import { serverPerTest, tokenWithBoardPerTest } from '../helpers/per-test.js';

describe('the board keeps its shape', () => {
  const ctx = serverPerTest();
  const given = tokenWithBoardPerTest(() => ctx.server.url, 'Feuille de route');

  function open() {
    const client = connectClient(ctx.server.url, given.boardId, given.token);
    ctx.cleanups.push(() => client.provider.destroy());
    return client;
  }

  it('a card or a column that is not a map is removed, and every reader of the board goes on', async () => {
    const writer = open();
    const reader = open();
    await Promise.all([synced(writer.provider), synced(reader.provider)]);
    const board = new BoardDoc(writer.doc);
    const columnId = board.addColumn('Actions 2027');
    board.addCard(columnId, { title: 'Convention avec Centrale Casablanca', createdBy: 'admin' });
    // What a hostile or broken client writes: a string as a card, a number as a column, an array.
    writer.doc.transact(() => {
      (board.cards as unknown as Y.Map<unknown>).set('card-that-is-text', 'boom');
      (board.columns as unknown as Y.Map<unknown>).set('column-that-is-a-number', 42);
      (board.cards as unknown as Y.Map<unknown>).set('card-that-is-an-array', new Y.Array());
    });

    const readerBoard = new BoardDoc(reader.doc);
    await eventually(() => readerBoard.listColumns().length === 1 && readerBoard.cards.size === 1, 5_000, 'the malformed entries removed');
    expect([...readerBoard.cards.keys()].some((key) => key.startsWith('card-that-is'))).toBe(false);
    expect(readerBoard.columns.has('column-that-is-a-number')).toBe(false);
    expect(readerBoard.cardsByColumn().get(columnId)?.map((card) => card.title)).toEqual(['Convention avec Centrale Casablanca']);

    // A fresh reader (a partner opening the board now) gets a board it can read.
    const late = open();
    await synced(late.provider);
    expect(new BoardDoc(late.doc).cardsByColumn().get(columnId)).toHaveLength(1);
  });

  it('a board that already holds such an entry is still read, without it', () => {
    const doc = new Y.Doc();
    const board = new BoardDoc(doc);
    const columnId = board.addColumn('Mobilités');
    board.addCard(columnId, { title: 'Semestre à Porto', createdBy: 'admin' });
    (board.cards as unknown as Y.Map<unknown>).set('broken', 'text');
    (board.columns as unknown as Y.Map<unknown>).set('broken', 7);
    expect(board.listColumns().map((column) => column.title)).toEqual(['Mobilités']);
    expect(board.cardsByColumn().get(columnId)?.map((card) => card.title)).toEqual(['Semestre à Porto']);
    expect(board.getCard('broken')).toBeUndefined();
    expect(board.listProposals()).toEqual([]);
  });
});
