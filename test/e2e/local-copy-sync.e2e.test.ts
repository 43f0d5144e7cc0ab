/**
 * A member's browser keeps a copy of each board it opened (IndexedDB). Opening the board again, the
 * page reads that copy first and only then connects: the first exchange with the server carries
 * what the two do not share, not the whole board in both directions. Measured on the board's own
 * sync socket, in Debian's Chromium against the built server.
 */
import type { Page, WebSocket } from 'playwright-core';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardDoc } from '@passerelle/shared';
import { writeBenchBoard } from '../../bench/lib/board-content.js';
import { browserRunPerFile, signIn, waitSynced } from '../helpers/browser.js';
import { addCard, card } from '../helpers/board-page.js';
import { ADMIN } from '../helpers/server-process.js';
import { api, connectClient, createBoard, eventually, login, synced } from '../helpers/test-server.js';

const CARDS = 400;

/** Bytes sent and received on the page's socket of `/sync/<boardId>` (the board's document), from now on. */
function countBoardFrames(page: Page, boardId: string): { sent: number; received: number } {
  const totals = { sent: 0, received: 0 };
  const size = (payload: string | Buffer) => (typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength);
  page.on('websocket', (socket: WebSocket) => {
    if (!new URL(socket.url()).pathname.endsWith(`/sync/${boardId}`)) return;
    socket.on('framesent', ({ payload }) => (totals.sent += size(payload)));
    socket.on('framereceived', ({ payload }) => (totals.received += size(payload)));
  });
  return totals;
}

/** Bytes of updates the page's copy of `boardId` holds (0 while it has none). */
function copiedBytes(page: Page, boardId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const name = (await indexedDB.databases()).map((database) => database.name ?? '').find((database) => database.endsWith(`:${id}`));
    if (!name) return 0;
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      if (!database.objectStoreNames.contains('updates')) return 0;
      const updates = await new Promise<unknown[]>((resolve, reject) => {
        const request = database.transaction('updates').objectStore('updates').getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      return updates.reduce<number>((total, update) => total + (update instanceof Uint8Array ? update.byteLength : 0), 0);
    } finally {
      database.close();
    }
  }, boardId);
}

describe('opening a board this browser keeps a copy of', () => {
  const e2e = browserRunPerFile();
  let page: Page;
  let boardId: string;
  let token: string;
  let boardBytes: number;

  beforeAll(async () => {
    const cookie = await login(e2e.server.url);
    token = (await api<{ token: string }>(e2e.server.url, '/api/tokens', { method: 'POST', body: { name: 'local copy' }, cookie })).body.token;
    boardId = await createBoard(e2e.server.url, token, 'Accords à renouveler');
    const writer = connectClient(e2e.server.url, boardId, token);
    await synced(writer.provider);
    await writeBenchBoard(writer.doc, CARDS);
    boardBytes = Y.encodeStateAsUpdate(writer.doc).byteLength;
    const check = connectClient(e2e.server.url, boardId, token, new Y.Doc());
    await synced(check.provider);
    await eventually(() => new BoardDoc(check.doc).cards.size === CARDS, 20_000, 'every card stored');
    check.provider.destroy();
    writer.provider.destroy();
    page = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    await signIn(page, e2e.server.url, ADMIN);
  });

  afterAll(async () => {
    await page?.context().close();
  });

  it('the first visit receives the whole board, and the browser keeps it', async () => {
    const first = countBoardFrames(page, boardId);
    await page.goto(`${e2e.server.url}/boards/${boardId}`);
    await waitSynced(page);
    await card(page, 'Carte 1').waitFor();
    // The measure sees the board arrive.
    expect(first.received).toBeGreaterThan(boardBytes * 0.9);
    // The copy holds the board: y-indexeddb writes what arrives on its own time, into its `updates` store.
    await eventually(
      async () => (await copiedBytes(page, boardId)) >= boardBytes * 0.9,
      10_000,
      'the board written into its copy',
    );
  });

  it('opening it again exchanges only what differs, in both directions, and edits still reach others', async () => {
    await page.goto('about:blank');
    const again = countBoardFrames(page, boardId);
    // The board is drawn from the copy: its stored first screen is not even asked for.
    const firstScreenAsked: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (new URL(request.url()).pathname === `/api/boards/${boardId}/first-screen`) firstScreenAsked.push(request.url());
    };
    page.on('request', onRequest);
    await page.goto(`${e2e.server.url}/boards/${boardId}`);
    await waitSynced(page);
    await card(page, 'Carte 1').waitFor();
    page.off('request', onRequest);
    expect(firstScreenAsked).toEqual([]);
    // A few kilobytes of handshake, state vectors and presence: far from the board's size each way.
    expect(again.received).toBeLessThan(boardBytes * 0.05);
    expect(again.sent).toBeLessThan(boardBytes * 0.05);

    // The connection made after the copy was read carries edits as any other.
    const other = connectClient(e2e.server.url, boardId, token, new Y.Doc());
    try {
      await synced(other.provider);
      const board = new BoardDoc(other.doc);
      const columnId = board.listColumns()[0]!.id;
      board.addCard(columnId, { title: 'Accord Porto renouvelé', description: '', createdBy: 'test' });
      await card(page, 'Accord Porto renouvelé').waitFor({ timeout: 10_000 });
    } finally {
      other.provider.destroy();
    }
  });

  it('a second tab of the board posts nothing of the board to the first, and each still gets the other’s edits through the server', async () => {
    // Every message posted on a BroadcastChannel in this context's pages, in bytes, from the next page on.
    await page.context().addInitScript(() => {
      const posted: number[] = [];
      (window as unknown as { posted: number[] }).posted = posted;
      const post = BroadcastChannel.prototype.postMessage;
      BroadcastChannel.prototype.postMessage = function (message: unknown) {
        posted.push(message instanceof ArrayBuffer || ArrayBuffer.isView(message) ? message.byteLength : JSON.stringify(message ?? null).length);
        return post.call(this, message);
      };
    });
    const first = page;
    const second = await page.context().newPage();
    try {
      await first.goto(`${e2e.server.url}/boards/${boardId}`);
      await waitSynced(first);
      await second.goto(`${e2e.server.url}/boards/${boardId}`);
      await waitSynced(second);
      await card(second, 'Carte 1').waitFor();
      const posted = async (tab: Page) => (await tab.evaluate(() => (window as unknown as { posted: number[] }).posted)).reduce((sum, bytes) => sum + bytes, 0);
      // Opening the second tab broadcast no copy of the board (the provider's whole state, on connecting).
      expect(await posted(second)).toBeLessThan(boardBytes * 0.05);

      // A card added in the second tab (at the end of a long column, not drawn there): the first counts it.
      const count = (tab: Page) => tab.getByTestId('column').first().getByTestId('column-count').textContent();
      const before = Number(await count(first));
      await addCard(second, 'Colonne 1', 'Mobilité Lisbonne');
      await expect.poll(async () => Number(await count(first)), { timeout: 10_000 }).toBe(before + 1);
      expect(await posted(second)).toBeLessThan(boardBytes * 0.05);
    } finally {
      await second.close();
    }
  });
});
