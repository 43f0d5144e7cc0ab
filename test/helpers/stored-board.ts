/**
 * A board stored with its first screen and not loaded (the server restarted on the same data), and
 * a page whose board connection is held back: what the first screen's end-to-end tests start from.
 */
import type { Page, WebSocketRoute } from 'playwright-core';
import * as Y from 'yjs';
import { BoardDoc } from '@passerelle/shared';
import { writeBenchBoard } from '../../bench/lib/board-content.js';
import type { ServerProcess } from './server-process.js';
import { api, connectClient, createBoard, eventually, login, synced } from './test-server.js';

/**
 * Creates a board titled `title` with `cards` cards over eight columns (every third a proposal),
 * waits until the server has stored all of them, then restarts the server. Returns the board and
 * the administrator's API token.
 */
export async function storedBoard(server: ServerProcess, title: string, cards: number): Promise<{ boardId: string; token: string }> {
  const cookie = await login(server.url);
  const token = (await api<{ token: string }>(server.url, '/api/tokens', { method: 'POST', body: { name: 'first screen' }, cookie })).body.token;
  const boardId = await createBoard(server.url, token, title);
  const { doc, provider } = connectClient(server.url, boardId, token);
  await synced(provider);
  await writeBenchBoard(doc, cards);
  const check = connectClient(server.url, boardId, token, new Y.Doc());
  await synced(check.provider);
  await eventually(() => new BoardDoc(check.doc).cards.size === cards, 20_000, 'every card stored');
  check.provider.destroy();
  provider.destroy();
  // A fresh process on the same data: the board is stored with its first screen, and not loaded.
  await server.restart();
  return { boardId, token };
}

/** Holds back the page's sync sockets: they open but nothing reaches the server until `release`. */
export async function holdSync(page: Page): Promise<{ release(): Promise<void>; readonly held: number }> {
  let released = false;
  const held: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/sync\//, (socket) => {
    if (released) socket.connectToServer();
    else held.push(socket);
  });
  return {
    // The held sockets close as a server going away would; the page connects again, to the server this time.
    async release() {
      released = true;
      await Promise.all(held.map((socket) => socket.close({ code: 1001, reason: 'let through' })));
    },
    get held() {
      return held.length;
    },
  };
}
