/**
 * Two people co-edit one board in Debian's Chromium, in two separate browser contexts (separate
 * cookies, no BroadcastChannel between them), against the built server. Bruno's browser reaches the
 * server through a TCP proxy, so that his network can be cut while Alice keeps working.
 *
 * The steps run in order and share one board: each `it` names the behaviour it proves.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, signIn, browserRunPerFile, waitSynced } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { api, createUser, login } from '../helpers/test-server.js';
import { addCard, card, column } from '../helpers/board-page.js';

const BRUNO = { email: 'bruno.lefevre@example.org', password: 'tulipe-de-delft-2025', name: 'Bruno Lefèvre' } as const;

/** How long a change may take to cross from one browser to the other. */
const SYNC_TIMEOUT = 10_000;

/** A board as a person sees it: column titles in order, each with its card titles in order. */
type BoardContent = { column: string; cards: string[] }[];

describe('a board co-edited live in two browsers', () => {
  const e2e = browserRunPerFile();
  let proxy: TcpProxy;
  let alice: Page;
  let bruno: Page;
  let adminName: string;
  let boardPath: string;

  beforeAll(async () => {
    adminName = await createPerson(e2e.server.url);
    proxy = await startTcpProxy(e2e.server.port);
    alice = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    bruno = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
  });

  afterAll(async () => {
    await e2e.run.browser.close();
    await proxy?.close();
  });

  it('both people sign in, and a board created by one appears live in the other’s list', async () => {
    await signIn(alice, e2e.server.url, ADMIN);
    await signIn(bruno, proxy.url, BRUNO);
    await expect.poll(() => bruno.getByTestId('board-link').count()).toBe(0);

    await alice.getByTestId('new-board-title').fill('Mobilités sortantes 2025-2026');
    await alice.getByTestId('create-board').click();

    const brunoLink = bruno.getByTestId('board-link');
    await expect.poll(() => brunoLink.allTextContents(), { timeout: SYNC_TIMEOUT }).toEqual(['Mobilités sortantes 2025-2026']);
    await screenshot(bruno, '01-board-list-bruno');

    // Creating a board opens it.
    await alice.waitForURL(/\/boards\/[A-Za-z0-9_-]{8,64}$/);
    boardPath = new URL(alice.url()).pathname;
    expect(boardPath).toMatch(/^\/boards\/[A-Za-z0-9_-]{8,64}$/);
    expect(await brunoLink.getAttribute('href')).toBe(boardPath);
    await brunoLink.click();
    await Promise.all([waitSynced(alice), waitSynced(bruno)]);
  });

  it('columns added in one browser appear in the other, and each person sees the other in presence', async () => {
    for (const title of ['À étudier', 'En cours', 'Signé']) {
      await alice.getByTestId('add-column-input').fill(title);
      await alice.getByTestId('add-column-input').press('Enter');
    }
    const expected = [
      { column: 'À étudier', cards: [] },
      { column: 'En cours', cards: [] },
      { column: 'Signé', cards: [] },
    ];
    await expectBoard(alice, expected);
    await expectBoard(bruno, expected);

    await expect.poll(() => avatarTitles(alice), { timeout: SYNC_TIMEOUT }).toEqual([`${adminName} (vous)`, BRUNO.name]);
    await expect.poll(() => avatarTitles(bruno), { timeout: SYNC_TIMEOUT }).toEqual([`${BRUNO.name} (vous)`, adminName]);
    await screenshot(alice, '02-columns-presence-alice');
  });

  it('a card added in one browser appears in the other', async () => {
    await addCard(alice, 'À étudier', 'Accord Erasmus+ TU Delft');
    await expectBoard(bruno, [
      { column: 'À étudier', cards: ['Accord Erasmus+ TU Delft'] },
      { column: 'En cours', cards: [] },
      { column: 'Signé', cards: [] },
    ]);
    await screenshot(bruno, '03-card-added-bruno');
  });

  it('a card’s title and description typed in one browser appear in the other, with who has it open', async () => {
    await card(alice, 'Accord Erasmus+ TU Delft').click();
    const detail = alice.getByTestId('card-detail');
    await detail.getByTestId('card-title-input').fill('Accord Erasmus+ TU Delft (2025-2027)');
    await detail.getByTestId('card-description-input').fill('Quatre places en master.\nContact : bureau international de Delft.');

    const brunoCard = card(bruno, 'Accord Erasmus+ TU Delft (2025-2027)');
    await brunoCard.waitFor({ timeout: SYNC_TIMEOUT });
    const viewer = brunoCard.getByTestId('card-viewer');
    await expect.poll(() => viewer.getAttribute('title'), { timeout: SYNC_TIMEOUT }).toBe(`${adminName} a ouvert cette carte`);
    await screenshot(alice, '04-card-detail-alice');
    await screenshot(bruno, '04-card-viewer-bruno');

    await brunoCard.click();
    await expect
      .poll(() => bruno.getByTestId('card-description-input').inputValue(), { timeout: SYNC_TIMEOUT })
      .toBe('Quatre places en master.\nContact : bureau international de Delft.');
    expect(await bruno.getByTestId('card-title-input').inputValue()).toBe('Accord Erasmus+ TU Delft (2025-2027)');
    await bruno.getByTestId('card-close').click();
    await expect.poll(() => bruno.getByTestId('card-detail').count()).toBe(0);
  });

  it('a card moved with the column select, then dragged with the mouse, moves in the other browser', async () => {
    await alice.getByTestId('card-detail').getByTestId('card-column-select').selectOption({ label: 'En cours' });
    await expectBoard(bruno, [
      { column: 'À étudier', cards: [] },
      { column: 'En cours', cards: ['Accord Erasmus+ TU Delft (2025-2027)'] },
      { column: 'Signé', cards: [] },
    ]);
    await alice.getByTestId('card-close').click();

    await dragCard(alice, card(alice, 'Accord Erasmus+ TU Delft (2025-2027)'), column(alice, 'Signé').getByTestId('column-cards'));
    const moved = [
      { column: 'À étudier', cards: [] },
      { column: 'En cours', cards: [] },
      { column: 'Signé', cards: ['Accord Erasmus+ TU Delft (2025-2027)'] },
    ];
    await expectBoard(alice, moved);
    await expectBoard(bruno, moved);
    await screenshot(bruno, '05-card-moved-bruno');
  });

  it('a deleted card comes back for both when its author undoes, and only its author can undo it', async () => {
    const moved = [
      { column: 'À étudier', cards: [] },
      { column: 'En cours', cards: [] },
      { column: 'Signé', cards: ['Accord Erasmus+ TU Delft (2025-2027)'] },
    ];
    const withoutCard = [
      { column: 'À étudier', cards: [] },
      { column: 'En cours', cards: [] },
      { column: 'Signé', cards: [] },
    ];
    await card(alice, 'Accord Erasmus+ TU Delft (2025-2027)').click();
    await alice.getByTestId('card-delete').click();
    await expectBoard(bruno, withoutCard);
    await alice.getByTestId('undo-toast').waitFor();
    await screenshot(alice, '05-undo-toast-alice');

    // Bruno's undo history holds none of Alice's changes.
    await bruno.locator('body').press('Control+z');
    await expectBoard(alice, withoutCard);

    await alice.getByTestId('undo-toast').getByTestId('undo').click();
    await expectBoard(alice, moved);
    await expectBoard(bruno, moved);
  });

  it('a board renamed while open shows its new title in the other browser', async () => {
    await alice.goto(`${e2e.server.url}/`);
    const row = alice.getByTestId('board-link').filter({ hasText: 'Mobilités sortantes 2025-2026' });
    await row.waitFor();
    const boardId = boardPath.split('/').pop()!;
    const cookie = (await alice.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const renamed = await fetch(`${e2e.server.url}/api/boards/${boardId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ title: 'Mobilités sortantes 2025-2027' }),
    });
    expect(renamed.status).toBe(200);
    await expect.poll(() => bruno.getByTestId('board-title').textContent(), { timeout: SYNC_TIMEOUT }).toBe('Mobilités sortantes 2025-2027');
    await expect.poll(() => alice.getByTestId('board-link').allTextContents(), { timeout: SYNC_TIMEOUT }).toEqual(['Mobilités sortantes 2025-2027']);
    await alice.getByTestId('board-link').click();
    await waitSynced(alice);
  });

  it('a browser cut off from the server shows it is offline, keeps its edits, and both converge when it is back', async () => {
    proxy.cut();
    await bruno.locator('[data-testid="connection-status"][data-status="offline"]').waitFor({ timeout: SYNC_TIMEOUT });
    expect(await bruno.getByTestId('connection-status').textContent()).toContain('Hors ligne');

    // Bruno, offline: a new card and a renamed column.
    await addCard(bruno, 'À étudier', 'Mobilité hybride Porto');
    await column(bruno, 'Signé').getByTestId('column-title').click();
    await bruno.getByTestId('column-title-input').fill('Signé et archivé');
    await bruno.getByTestId('column-title-input').press('Enter');
    // Alice, online meanwhile: another card.
    await addCard(alice, 'En cours', 'Semestre à Polytechnique Montréal');

    await expectBoard(bruno, [
      { column: 'À étudier', cards: ['Mobilité hybride Porto'] },
      { column: 'En cours', cards: [] },
      { column: 'Signé et archivé', cards: ['Accord Erasmus+ TU Delft (2025-2027)'] },
    ]);
    // Nothing of Bruno's reached Alice: the cut is real.
    await expectBoard(alice, [
      { column: 'À étudier', cards: [] },
      { column: 'En cours', cards: ['Semestre à Polytechnique Montréal'] },
      { column: 'Signé', cards: ['Accord Erasmus+ TU Delft (2025-2027)'] },
    ]);
    await screenshot(bruno, '06-offline-bruno');
    await screenshot(alice, '06-online-alice');

    proxy.restore();
    await bruno
      .locator('[data-testid="connection-status"][data-status="online"][data-synced="true"]')
      .waitFor({ timeout: 20_000 });
    await expectBoard(alice, FINAL_BOARD);
    await expectBoard(bruno, FINAL_BOARD);
    await screenshot(alice, '07-converged-alice');
    await screenshot(bruno, '07-converged-bruno');
  });

  it('after the server restarts, both browsers reconnect and a reload shows the whole board', async () => {
    await e2e.server.restart();
    await Promise.all([waitSynced(alice, 30_000), waitSynced(bruno, 30_000)]);

    await alice.reload();
    await bruno.reload();
    await Promise.all([waitSynced(alice), waitSynced(bruno)]);
    await expectBoard(alice, FINAL_BOARD);
    await expectBoard(bruno, FINAL_BOARD);
    await card(alice, 'Accord Erasmus+ TU Delft (2025-2027)').click();
    expect(await alice.getByTestId('card-description-input').inputValue()).toBe('Quatre places en master.\nContact : bureau international de Delft.');
    await screenshot(alice, '08-after-restart-alice');
    await screenshot(bruno, '08-after-restart-bruno');
  });
});

/** What both people must see once every edit, online and offline, has been merged. */
const FINAL_BOARD: BoardContent = [
  { column: 'À étudier', cards: ['Mobilité hybride Porto'] },
  { column: 'En cours', cards: ['Semestre à Polytechnique Montréal'] },
  { column: 'Signé et archivé', cards: ['Accord Erasmus+ TU Delft (2025-2027)'] },
];

/** Creates Bruno through the admin-only API and returns the administrator's display name. */
async function createPerson(baseUrl: string): Promise<string> {
  const cookie = await login(baseUrl);
  await createUser(baseUrl, cookie, BRUNO);
  return (await api<{ name: string }>(baseUrl, '/api/auth/me', { cookie })).body.name;
}

/** The board as rendered: column titles and card titles, in display order. */
function boardContent(page: Page): Promise<BoardContent> {
  return page.getByTestId('column').evaluateAll((columns) =>
    columns.map((element) => ({
      column: element.querySelector('[data-testid="column-title"]')?.textContent?.trim() ?? '',
      cards: Array.from(element.querySelectorAll('[data-testid="card"] [data-testid="card-title"]')).map((title) => title.textContent?.trim() ?? ''),
    })),
  );
}

async function expectBoard(page: Page, expected: BoardContent): Promise<void> {
  await expect.poll(() => boardContent(page), { timeout: SYNC_TIMEOUT }).toEqual(expected);
}

function avatarTitles(page: Page): Promise<string[]> {
  return page.getByTestId('presence').getByTestId('avatar').evaluateAll((avatars) => avatars.map((avatar) => avatar.getAttribute('title') ?? ''));
}

/** Drags with real mouse events, in small steps, as svelte-dnd-action expects from a person. */
async function dragCard(page: Page, source: Locator, target: Locator): Promise<void> {
  const from = (await source.boundingBox())!;
  const to = (await target.boundingBox())!;
  const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
  const end = { x: to.x + to.width / 2, y: to.y + Math.min(to.height / 2, 24) };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const steps = 20;
  for (let step = 1; step <= steps; step++) {
    await page.mouse.move(start.x + ((end.x - start.x) * step) / steps, start.y + ((end.y - start.y) * step) / steps);
  }
  await page.waitForTimeout(200);
  await page.mouse.up();
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `board-${name}.png`) });
}
