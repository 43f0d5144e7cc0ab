/**
 * A board whose columns hold more cards than fit on screen, in Debian's Chromium against the built
 * server: each long column draws only the cards in and near view, scrolls through all of them, and a
 * card moved with the keyboard is drawn and focused where it lands, also at the end of a column
 * nobody has scrolled. A second person, in a separate browser context, sees the move.
 *
 * The steps run in order and share one board.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc } from '@passerelle/shared';
import { writeBenchBoard } from '../../bench/lib/board-content.js';
import { SCREENSHOT_DIR, signIn, browserRunPerFile, waitSynced } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';
import { api, connectClient, createBoard, eventually, login, synced } from '../helpers/test-server.js';

/** Eight columns of 80 cards: every column is longer than the screen and than what a column draws in full. */
const CARDS = 640;
const PER_COLUMN = CARDS / 8;

/** The first column's cards as drawn: how many, and which titles first and last. */
async function drawnIn(page: Page, columnIndex: number): Promise<{ count: number; first: string; last: string }> {
  const titles = await page.getByTestId('column').nth(columnIndex).getByTestId('card-title').allTextContents();
  return { count: titles.length, first: titles[0] ?? '', last: titles.at(-1) ?? '' };
}

describe('a board with long columns', () => {
  const e2e = browserRunPerFile();
  let alice: Page;
  let bruno: Page;
  let boardId: string;

  beforeAll(async () => {
    const cookie = await login(e2e.server.url);
    const { body } = await api<{ token: string }>(e2e.server.url, '/api/tokens', { method: 'POST', body: { name: 'big board' }, cookie });
    boardId = await createBoard(e2e.server.url, body.token, 'Mobilités sortantes 2027');
    const { doc, provider } = connectClient(e2e.server.url, boardId, body.token);
    await synced(provider);
    await writeBenchBoard(doc, CARDS);
    const check = connectClient(e2e.server.url, boardId, body.token, new Y.Doc());
    await synced(check.provider);
    await eventually(() => new BoardDoc(check.doc).cards.size === CARDS, 20_000, 'every card stored');
    check.provider.destroy();
    provider.destroy();
    alice = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
    bruno = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
  });

  afterAll(async () => {
    await e2e.run.browser.close();
  });

  it('counts every card of each column and draws only those in and near view', async () => {
    await signIn(alice, e2e.server.url, ADMIN);
    await signIn(bruno, e2e.server.url, ADMIN);
    await alice.goto(`${e2e.server.url}/boards/${boardId}`);
    await bruno.goto(`${e2e.server.url}/boards/${boardId}`);
    await Promise.all([waitSynced(alice, 30_000), waitSynced(bruno, 30_000)]);
    await expect.poll(() => alice.getByTestId('column-count').allTextContents(), { timeout: 20_000 }).toEqual(Array(8).fill(String(PER_COLUMN)));
    const drawn = await alice.getByTestId('card').count();
    expect(drawn).toBeGreaterThan(8);
    expect(drawn).toBeLessThan(CARDS / 4);
    const first = await drawnIn(alice, 0);
    expect(first.first).toBe('Proposition 0');
    // Each card says where it stands in the whole column, for a screen reader.
    const card = alice.getByTestId('column').first().getByTestId('card').first();
    expect(await card.getAttribute('aria-posinset')).toBe('1');
    expect(await card.getAttribute('aria-setsize')).toBe(String(PER_COLUMN));
  });

  it('keeps each column’s cards inside the column: the column scrolls, the page does not', async () => {
    const boxes = await alice.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="column"]')].map((column) => {
        const list = column.querySelector<HTMLElement>('[data-testid="column-cards"]')!;
        return { column: column.getBoundingClientRect().bottom, list: list.getBoundingClientRect().bottom, scrolls: list.scrollHeight > list.clientHeight + 100 };
      }),
    );
    for (const box of boxes) {
      expect(box.list).toBeLessThanOrEqual(box.column + 0.5);
      expect(box.scrolls).toBe(true);
    }
    expect(await alice.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth && document.documentElement.scrollHeight <= window.innerHeight + 1)).toBe(true);
  });

  it('draws the cards further down once the column is scrolled to them', async () => {
    const list = alice.getByTestId('column').first().getByTestId('column-cards');
    await list.evaluate((element) => (element.scrollTop = element.scrollHeight));
    // The column's last card (written last into the first column).
    const lastTitle = `Carte ${CARDS - 8}`;
    await expect.poll(async () => (await drawnIn(alice, 0)).last, { timeout: 5_000 }).toBe(lastTitle);
    const last = alice.getByTestId('column').first().getByTestId('card').last();
    expect(await last.getAttribute('aria-posinset')).toBe(String(PER_COLUMN));
    expect(await last.isVisible()).toBe(true);
    expect((await drawnIn(alice, 0)).first).not.toBe('Proposition 0');
    await list.evaluate((element) => (element.scrollTop = 0));
    await expect.poll(async () => (await drawnIn(alice, 0)).first, { timeout: 5_000 }).toBe('Proposition 0');
  });

  it('moves a card with Alt+→ to the end of the next column, drawn there and focused, and the other person sees it', async () => {
    const card = alice.getByTestId('column').first().getByTestId('card').first();
    await card.focus();
    await card.press('Alt+ArrowRight');
    const moved = alice.getByTestId('column').nth(1).locator('[data-testid="card"][data-card-id]', { hasText: 'Proposition 0' });
    await expect.poll(() => moved.count(), { timeout: 5_000 }).toBe(1);
    await expect.poll(() => alice.evaluate(() => (document.activeElement as HTMLElement | null)?.querySelector('[data-testid="card-title"]')?.textContent)).toBe('Proposition 0');
    expect(await moved.getAttribute('aria-posinset')).toBe(String(PER_COLUMN + 1));
    expect(await moved.isVisible()).toBe(true);
    await expect.poll(() => bruno.getByTestId('column-count').nth(1).textContent(), { timeout: 10_000 }).toBe(String(PER_COLUMN + 1));
    await alice.screenshot({ path: join(SCREENSHOT_DIR, 'big-board-moved.png') });
  });

  it('moves a picked-up card with the arrow keys into a long column and drops it there', async () => {
    // Proposition 0 is focused at the end of column 2: pick it up, go left, drop.
    await alice.keyboard.press('Space');
    await alice.keyboard.press('ArrowLeft');
    await expect.poll(() => alice.getByTestId('move-announcement').textContent()).toMatch(/Colonne 1/);
    await alice.keyboard.press('Space');
    await expect.poll(() => alice.getByTestId('column-count').allTextContents(), { timeout: 10_000 }).toEqual(Array(8).fill(String(PER_COLUMN)));
    const focused = await alice.evaluate(() => {
      const active = document.activeElement as HTMLElement | null;
      return { title: active?.querySelector('[data-testid="card-title"]')?.textContent, column: active?.closest('[data-testid="column"]')?.querySelector('[data-testid="column-title"]')?.textContent };
    });
    expect(focused).toEqual({ title: 'Proposition 0', column: 'Colonne 1' });
    await expect.poll(() => bruno.getByTestId('column-count').allTextContents(), { timeout: 10_000 }).toEqual(Array(8).fill(String(PER_COLUMN)));
  });
});
