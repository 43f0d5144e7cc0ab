/**
 * Offline editing that survives a reload, in Debian's Chromium against the built server, with two
 * browser contexts; the count of changes waiting follows the person to the app's other pages. Bruno's browser reaches the server through a TCP proxy: cutting it (and telling
 * Chromium it is offline) takes his network away while Alice keeps hers. What his browser keeps is
 * read from the page itself (`indexedDB.databases()`, localStorage).
 *
 * The steps run in order and share one board: each `it` names the behaviour it proves.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, browserRunPerFile, signIn, waitSynced } from '../helpers/browser.js';
import { overlaps } from '../helpers/layout.js';
import { ADMIN } from '../helpers/server-process.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { createUser, joinAsGuest, login } from '../helpers/test-server.js';
import { addCard, card, cardTitles, column } from '../helpers/board-page.js';

const BRUNO = { email: 'bruno.lefevre@example.org', password: 'tulipe-de-delft-2025', name: 'Bruno Lefèvre' } as const;

/** How long a change may take to cross from one browser to the other. */
const SYNC_TIMEOUT = 10_000;

describe('offline edits kept across a reload', () => {
  const e2e = browserRunPerFile();
  let proxy: TcpProxy;
  let alice: Page;
  let bruno: Page;
  let brunoId: string;
  let boardPath: string;

  beforeAll(async () => {
    brunoId = await createUser(e2e.server.url, await login(e2e.server.url), BRUNO);
    proxy = await startTcpProxy(e2e.server.port);
    alice = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    bruno = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
  });

  afterAll(async () => {
    await e2e.run.browser.close();
    await proxy?.close();
  });

  it('a member who opened a board has the app in the service worker and a copy of the board named for them', async () => {
    await signIn(alice, e2e.server.url, ADMIN);
    await signIn(bruno, proxy.url, BRUNO);
    await alice.getByTestId('new-board-title').fill('Mobilités 2026-2027');
    await alice.getByTestId('create-board').click();
    // Creating a board opens it.
    await alice.waitForURL(/\/boards\/[A-Za-z0-9_-]{8,64}$/);
    await waitSynced(alice);
    boardPath = new URL(alice.url()).pathname;
    await alice.getByTestId('add-column-input').fill('À étudier');
    await alice.getByTestId('add-column-input').press('Enter');
    await addCard(alice, 'À étudier', 'Accord Porto');

    await bruno.goto(`${proxy.url}${boardPath}`);
    await waitSynced(bruno);
    await card(bruno, 'Accord Porto').waitFor({ timeout: SYNC_TIMEOUT });
    // The service worker has the app, and this browser a copy of the board named for Bruno.
    await bruno.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const boardId = boardPath.split('/').pop()!;
    expect(await passerelleDatabases(bruno)).toContain(`passerelle:${brunoId}:${boardId}`);
  });

  it('edits made offline survive a reload with no network at all, the page served by the service worker', async () => {
    proxy.cut();
    await bruno.context().setOffline(true);
    await bruno.locator('[data-testid="connection-status"][data-status="offline"]').waitFor({ timeout: SYNC_TIMEOUT });

    // Offline: the card's title is changed.
    await card(bruno, 'Accord Porto').click();
    await bruno.getByTestId('card-title-input').fill('Accord Porto (2026)');
    await bruno.getByTestId('card-close').click();
    await card(bruno, 'Accord Porto (2026)').waitFor();
    await expect.poll(() => pendingChanges(bruno)).toBeGreaterThan(0);
    expect(await bruno.getByTestId('pending-changes').textContent()).toMatch(/modifications? en attente/);
    await screenshot(bruno, '01-offline-edit');

    // The page is reloaded with no network at all: the app, the board and the change come from this browser.
    await bruno.reload();
    await card(bruno, 'Accord Porto (2026)').waitFor({ timeout: SYNC_TIMEOUT });
    expect(await bruno.getByTestId('connection-status').getAttribute('data-status')).not.toBe('online');
    await expect.poll(() => pendingChanges(bruno)).toBeGreaterThan(0);
    const beforeSecondEdit = await pendingChanges(bruno);

    // Still offline, after the reload: a second card.
    await addCard(bruno, 'À étudier', 'Semestre à Coimbra');
    await expect.poll(() => pendingChanges(bruno)).toBeGreaterThan(beforeSecondEdit);
    await screenshot(bruno, '02-offline-after-reload');
    // Nothing reached Alice: the cut is real.
    await expect.poll(() => cardTitles(alice)).toEqual(['Accord Porto']);
  });

  it('a member who edited offline and went to another page still sees how many changes wait, until they are sent', async () => {
    const waiting = await pendingChanges(bruno);
    expect(waiting).toBeGreaterThan(1);
    // Still offline, to the partners page through the header: the count goes along, in the header.
    await bruno.getByTestId('nav-partners').click();
    await bruno.waitForURL(/\/partners$/);
    const header = bruno.getByTestId('header-pending-changes');
    await header.waitFor();
    expect(await header.getAttribute('data-pending')).toBe(String(waiting));
    expect(await header.getAttribute('role')).toBe('status');
    expect(await header.textContent()).toContain(`${waiting} modifications en attente`);
    await screenshot(bruno, '03-offline-other-page');
    // It has its room in the header, beside the sections and the search.
    expect(await overlaps(bruno, '.app-header a[href], .app-header input, .app-header select, .app-header summary, [data-testid=header-pending-changes]')).toEqual([]);

    // The network comes back while Bruno stays there: his changes are sent, and the header says nothing more.
    proxy.restore();
    await bruno.context().setOffline(false);
    await expect.poll(() => cardTitles(alice), { timeout: 20_000 }).toEqual(['Accord Porto (2026)', 'Semestre à Coimbra']);
    await header.waitFor({ state: 'detached', timeout: SYNC_TIMEOUT });
    expect(bruno.url()).toMatch(/\/partners$/);
  });

  it('once the network is back, both offline edits reach the other browser and nothing is waiting any more', async () => {
    await bruno.goto(`${proxy.url}${boardPath}`);
    await bruno.locator('[data-testid="connection-status"][data-status="online"][data-synced="true"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => cardTitles(alice), { timeout: SYNC_TIMEOUT }).toEqual(['Accord Porto (2026)', 'Semestre à Coimbra']);
    await expect.poll(() => cardTitles(bruno)).toEqual(['Accord Porto (2026)', 'Semestre à Coimbra']);
    // Once the server has them, nothing is waiting any more.
    await expect.poll(() => pendingChanges(bruno), { timeout: SYNC_TIMEOUT }).toBe(0);
    expect(await bruno.getByTestId('pending-changes').count()).toBe(0);
    await screenshot(bruno, '04-back-online');
  });

  it('two tabs of the board offline together see each other’s changes, and the other browser gets each once back online', async () => {
    const second = await bruno.context().newPage();
    try {
      await second.goto(`${proxy.url}${boardPath}`);
      await waitSynced(second);
      proxy.cut();
      await bruno.context().setOffline(true);
      for (const tab of [bruno, second]) await tab.locator('[data-testid="connection-status"][data-status="offline"]').waitFor({ timeout: SYNC_TIMEOUT });

      // A card added in one tab shows in the other at once, and the other way round, with no server.
      await addCard(bruno, 'À étudier', 'Échange Lisbonne');
      await card(second, 'Échange Lisbonne').waitFor({ timeout: SYNC_TIMEOUT });
      await addCard(second, 'À étudier', 'Stage Montréal');
      await card(bruno, 'Stage Montréal').waitFor({ timeout: SYNC_TIMEOUT });
      const offline = ['Accord Porto (2026)', 'Semestre à Coimbra', 'Échange Lisbonne', 'Stage Montréal'];
      expect(await cardTitles(bruno)).toEqual(offline);
      expect(await cardTitles(second)).toEqual(offline);
      await expect.poll(() => cardTitles(alice)).toEqual(['Accord Porto (2026)', 'Semestre à Coimbra']);

      // Back online: Alice gets both, each once, and neither tab has anything waiting.
      proxy.restore();
      await bruno.context().setOffline(false);
      await expect.poll(() => cardTitles(alice), { timeout: 20_000 }).toEqual(offline);
      for (const tab of [bruno, second]) await expect.poll(() => pendingChanges(tab), { timeout: SYNC_TIMEOUT }).toBe(0);
      expect(await cardTitles(alice)).toEqual(offline);
    } finally {
      await second.close();
    }
  });

  it('typing without a pause for seconds keeps the connection open, and the other browser gets every character', async () => {
    // Each burst of changes is confirmed by asking the server for what it lacks (a sync step 1); the
    // server closes a connection that asks more than twice a second for long.
    await card(alice, 'Semestre à Coimbra').click();
    await card(bruno, 'Semestre à Coimbra').click();
    const description = bruno.getByTestId('card-description-input');
    await description.click();
    const typed = 'Deux places en licence, un semestre, cours en portugais et en anglais.';
    await description.pressSequentially(typed, { delay: 120 });
    await expect.poll(() => alice.getByTestId('card-description-input').inputValue(), { timeout: SYNC_TIMEOUT }).toContain(typed);
    await expect.poll(() => pendingChanges(bruno), { timeout: SYNC_TIMEOUT }).toBe(0);
    expect(await bruno.locator('[data-testid="connection-status"]').getAttribute('data-status')).toBe('online');
    expect(e2e.server.output).not.toContain('asked for the document too often');
    await bruno.getByTestId('card-close').click();
    await alice.getByTestId('card-close').click();
  });

  it('signing out deletes every copy this browser kept of the member', async () => {
    expect((await passerelleDatabases(bruno)).length).toBeGreaterThan(0);
    await bruno.getByTestId('account-menu').click();
    await bruno.getByTestId('sign-out').click();
    await bruno.waitForURL(/\/login/);
    await expect.poll(() => passerelleDatabases(bruno)).toEqual([]);
    expect(await bruno.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('passerelle:')))).toEqual([]);
  });

  it('a partner guest’s browser keeps no copy of the board', async () => {
    const guest = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    const joined = await joinAsGuest({ serverUrl: e2e.server.url, as: { cookie: await login(e2e.server.url) }, boardId: boardPath.split('/').pop()!, role: 'commenter' });
    const [name, value] = joined.cookie.split('=') as [string, string];
    await guest.context().addCookies([{ name, value, url: e2e.server.url }]);
    await guest.goto(`${e2e.server.url}${boardPath}`);
    await guest.getByTestId('guest-banner').waitFor();
    await waitSynced(guest);
    await card(guest, 'Semestre à Coimbra').waitFor({ timeout: SYNC_TIMEOUT });
    // Whatever the page had time to write is there by now: it only ever synced.
    await guest.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
    expect(await passerelleDatabases(guest)).toEqual([]);
    expect(await guest.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('passerelle:')))).toEqual([]);
    await guest.context().close();
  });
});

/** The names of the Passerelle databases the page's origin holds. */
function passerelleDatabases(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((database) => database.name ?? '').filter((name) => name.startsWith('passerelle')));
}

/** The count of changes waiting for the server that the connection indicator shows. */
async function pendingChanges(page: Page): Promise<number> {
  return Number(await page.getByTestId('connection-status').getAttribute('data-pending'));
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `offline-${name}.png`) });
}
