/**
 * A board's stored first screen in Debian's Chromium against the built server, after a restart:
 * while the board's connection is held back (Playwright routes the page's `/sync/` sockets and
 * answers nothing), the page draws the columns and first cards the server stored, read-only and
 * marked busy, with a line saying the latest changes are loading in the interface's language. Let
 * through, the live board takes its place where it stood, and a change made in another browser
 * context appears; opened again in a browser that keeps a copy of the board, the copy is drawn and
 * never the first screen. On a 390 px phone the first screen does not make the page scroll sideways.
 *
 * The steps run in order and share one board.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, browserRunPerFile, signIn, waitSynced } from '../helpers/browser.js';
import { sidewaysScroll } from '../helpers/layout.js';
import { ADMIN } from '../helpers/server-process.js';
import { holdSync, storedBoard } from '../helpers/stored-board.js';

/** Eight columns of 20 cards, every third a proposal. */
const CARDS = 160;

/**
 * Waits for the app to draw the board's page: the first screen the server drew into the page (see
 * `first-screen-page.e2e.test.ts`) is gone, and what is on screen is the app's.
 */
async function appDrawn(page: Page): Promise<void> {
  await page.getByTestId('board-title').waitFor({ timeout: 10_000 });
  await expect.poll(() => page.getByTestId('pre-first-screen').count()).toBe(0);
}

/** The box of the element matching `selector`, rounded to the pixel. */
async function boxOf(page: Page, selector: string): Promise<{ x: number; y: number; width: number }> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not drawn`);
  return { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width) };
}

describe('a board’s first screen while it syncs', () => {
  const e2e = browserRunPerFile();
  let boardId: string;
  let token: string;

  beforeAll(async () => {
    ({ boardId, token } = await storedBoard(e2e.server, 'Mobilités sortantes 2027', CARDS));
  });

  afterAll(async () => {
    await e2e.run.browser.close();
  });

  it('draws the stored columns and cards, busy, while the connection is held back; then the live board takes their place', async () => {
    const alice = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    await signIn(alice, e2e.server.url, ADMIN);
    const gate = await holdSync(alice);
    await alice.goto(`${e2e.server.url}/boards/${boardId}`);

    await appDrawn(alice);
    const first = alice.getByTestId('first-screen');
    await first.waitFor({ timeout: 10_000 });
    expect(await first.getAttribute('aria-busy')).toBe('true');
    expect(await alice.getByTestId('first-screen-status').textContent()).toBe('Chargement des dernières modifications…');
    expect(await alice.getByTestId('first-screen-column').count()).toBe(8);
    const firstColumn = alice.getByTestId('first-screen-column').first();
    expect(await firstColumn.getByTestId('card-title').first().textContent()).toBe('Proposition 0');
    expect(await firstColumn.locator('.count-pill').textContent()).toBe(String(CARDS / 8));
    // A proposal's face: its chips, as on the live board.
    expect(await firstColumn.getByTestId('first-screen-card').first().getByTestId('proposal-type-chip').count()).toBe(1);
    // Read-only: no field to add a card is there to type in, and the live board is not drawn yet.
    expect(await alice.getByTestId('add-card-input').count()).toBe(0);
    expect(await alice.getByTestId('card').count()).toBe(0);
    expect(gate.held).toBeGreaterThan(0);
    await alice.screenshot({ path: join(SCREENSHOT_DIR, 'first-screen-held.png') });

    // Where the first card stands now is where the live board draws it.
    const firstCardId = await firstColumn.getByTestId('first-screen-card').first().getAttribute('data-card-id');
    const before = await boxOf(alice, `[data-testid="first-screen-card"][data-card-id="${firstCardId}"]`);
    const columnBefore = await boxOf(alice, '[data-testid="first-screen-column"]');

    await gate.release();
    await waitSynced(alice, 20_000);
    await alice.getByTestId('card').first().waitFor();
    expect(await alice.getByTestId('first-screen').count()).toBe(0);
    await alice.screenshot({ path: join(SCREENSHOT_DIR, 'first-screen-live.png') });
    const after = await boxOf(alice, `[data-testid="card"][data-card-id="${firstCardId}"]`);
    const columnAfter = await boxOf(alice, '[data-testid="column"]');
    expect(after).toEqual(before);
    expect(columnAfter).toEqual(columnBefore);

    // The live board is live: another person’s change appears.
    const bruno = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    await signIn(bruno, e2e.server.url, ADMIN);
    await bruno.goto(`${e2e.server.url}/boards/${boardId}`);
    await waitSynced(bruno, 20_000);
    const column = bruno.getByTestId('column').first();
    await column.getByTestId('add-card-input').fill('Accord Porto, ajouté à l’instant');
    await column.getByTestId('add-card-input').press('Enter');
    await alice.getByTestId('card-title').filter({ hasText: 'Accord Porto, ajouté à l’instant' }).waitFor({ timeout: 10_000 });
    await bruno.context().close();

    // Opened again in this browser, which keeps a copy of the board: the copy is drawn, never the
    // first screen (neither the app's nor one the server would draw into the page).
    const again = await alice.context().newPage();
    await again.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (!document.querySelector('[data-testid="first-screen"]')) return;
        document.documentElement.dataset.firstScreenSeen = 'true';
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    const held = await holdSync(again);
    await again.goto(`${e2e.server.url}/boards/${boardId}`);
    await again.getByTestId('card-title').filter({ hasText: 'Accord Porto, ajouté à l’instant' }).waitFor({ timeout: 10_000 });
    expect(held.held).toBeGreaterThan(0);
    expect(await again.locator('html').getAttribute('data-first-screen-seen')).toBeNull();
    await alice.context().close();
  });

  it('on a 390 px phone, the first screen stays within the page’s width, in English for an English browser', async () => {
    const phone = await e2e.newPage({ width: 390, height: 844, locale: 'en-GB' });
    await signIn(phone, e2e.server.url, ADMIN);
    const gate = await holdSync(phone);
    await phone.goto(`${e2e.server.url}/boards/${boardId}`);
    await appDrawn(phone);
    await phone.getByTestId('first-screen').waitFor({ timeout: 10_000 });
    await phone.getByTestId('first-screen-card').first().waitFor();
    expect(await phone.getByTestId('first-screen-status').textContent()).toBe('Loading the latest changes…');
    expect(await sidewaysScroll(phone)).toEqual([]);
    // The columns scroll sideways inside their own box, within the screen, one nearly as wide as the screen.
    const region = await boxOf(phone, '[data-testid="first-screen"]');
    expect(region.x + region.width).toBeLessThanOrEqual(390);
    expect(await phone.getByTestId('first-screen-columns').evaluate((box) => box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX === 'auto')).toBe(true);
    const column = await boxOf(phone, '[data-testid="first-screen-column"]');
    expect(column.x).toBeGreaterThanOrEqual(0);
    expect(column.x + column.width).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: join(SCREENSHOT_DIR, 'first-screen-phone.png') });
    const cardId = await phone.getByTestId('first-screen-card').first().getAttribute('data-card-id');
    const before = await boxOf(phone, `[data-testid="first-screen-card"][data-card-id="${cardId}"]`);
    await gate.release();
    await waitSynced(phone, 20_000);
    await phone.getByTestId('card').first().waitFor();
    expect(await sidewaysScroll(phone)).toEqual([]);
    expect(await boxOf(phone, `[data-testid="card"][data-card-id="${cardId}"]`)).toEqual(before);
    await phone.context().close();
  });
});
