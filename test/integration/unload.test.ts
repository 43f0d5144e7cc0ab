/**
 * An idle board is unloaded, and once unloaded nothing in the server keeps its document (and with
 * it the room, its observers and the sockets it served): a server that opened thousands of boards
 * over a day holds only the ones in use.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BoardDoc } from '@passerelle/shared';
import { adminToken, connectClient, createBoard, eventually, synced } from '../helpers/test-server.js';
import { serverPerTest } from '../helpers/per-test.js';

// A full collection on demand, so that "collectable" can be checked rather than hoped for.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Collects until `ref` is cleared (a WeakRef's target survives the job that dereferenced it). */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    collectGarbage();
    if (ref.deref() === undefined) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe('unloading idle boards', () => {
  // Automatic versions are left at their default interval: a pending version must not hold the room.
  const ctx = serverPerTest({ env: { UNLOAD_DELAY_MS: '50' } });

  it('releases the document of a board edited and left, while its automatic version and history are still pending', async () => {
    const token = await adminToken(ctx.server.url);
    const boardId = await createBoard(ctx.server.url, token, 'Mobilités 2027');
    const client = connectClient(ctx.server.url, boardId, token);
    await synced(client.provider);
    const board = new BoardDoc(client.doc);
    const column = board.addColumn('Accords');
    for (let index = 0; index < 10; index++) board.addCard(column, { title: `Accord ${index}`, createdBy: 'test' });
    await eventually(() => (ctx.server.sync.documentOf(boardId)?.getMap('cards').size ?? 0) === 10, 5000, 'edits on the server');
    const roomDocument = new WeakRef(ctx.server.sync.documentOf(boardId)!);

    client.provider.destroy();
    await eventually(() => !ctx.server.sync.openBoards.includes(boardId), 5000, 'board unloaded');
    expect(await collected(roomDocument)).toBe(true);

    // Opening it again serves everything from the store.
    const again = connectClient(ctx.server.url, boardId, token);
    await synced(again.provider);
    expect(new BoardDoc(again.doc).listCards(column)).toHaveLength(10);
    again.provider.destroy();
  });
});
