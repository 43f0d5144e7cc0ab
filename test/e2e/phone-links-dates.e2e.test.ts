/**
 * The demo workspace in Debian's Chromium against the built server, as the administrator and as a
 * partner guest: a guest's column titles read whole, the board's header and its view tabs fit a
 * phone in both languages (the tabs scroll in their own row, the current one in sight), a proposal's
 * page has a Copy link button (behind the ⋯ menu on a phone), and a date field is typed and picked
 * in the interface's language whatever the browser's, storing the ISO date.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, browserRunPerFile, signIn, waitSynced } from '../helpers/browser.js';
import { VIEWPORTS, cutText, layoutProblems, offScreen, unlabelledScrollBoxes } from '../helpers/layout.js';
import { ADMIN } from '../helpers/server-process.js';

const SHOTS = `${SCREENSHOT_DIR}/phone-links-dates`;
const VIEWS = ['board', 'pipeline', 'roadmap', 'actions', 'priorities'] as const;

describe('phones, links and dates', () => {
  const e2e = browserRunPerFile({ DEMO_WORKSPACE: 'true' });
  let admin: Page;
  let guest: Page;
  let boardId: string;
  let cardId: string;

  async function setLocale(page: Page, locale: 'en' | 'fr'): Promise<void> {
    await page.evaluate(async (locale) => {
      await fetch('/api/auth/me', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale }) });
      localStorage.setItem('passerelle.locale', locale);
    }, locale);
  }

  async function openBoard(page: Page, view: (typeof VIEWS)[number] = 'board'): Promise<void> {
    await page.goto(`${e2e.server.url}/boards/${boardId}?view=${view}`);
    await waitSynced(page);
    await page.getByTestId('view-tabs').waitFor();
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    admin = await e2e.newPage({ width: 1440, height: 900, locale: 'en-GB' });
    await signIn(admin, e2e.server.url, ADMIN);
    ({ boardId, cardId } = await admin.evaluate(async () => {
      const boards = ((await (await fetch('/api/boards')).json()) as { boards: { id: string }[] }).boards;
      for (const board of boards) {
        const list = (await (await fetch(`/api/boards/${board.id}/proposals`)).json()) as { proposals: { cardId: string }[] };
        if (list.proposals[0]) return { boardId: board.id, cardId: list.proposals[0].cardId };
      }
      throw new Error('the demo workspace has no proposal');
    }));
    // A guest who may comment but not edit: their column titles are not rename buttons.
    const url = await admin.evaluate(async (boardId) => {
      const response = await fetch(`/api/boards/${boardId}/guest-invites`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'commenter', label: 'Universidade do Porto', expiresInHours: 48 }),
      });
      return ((await response.json()) as { url: string }).url;
    }, boardId);
    guest = await e2e.newPage({ width: 1440, height: 900, locale: 'en-GB' });
    await guest.goto(url);
    await guest.getByTestId('guest-name').fill('Maria Fernanda de Albuquerque Gonçalves');
    await guest.getByTestId('guest-organisation').fill('Universidade do Porto');
    await guest.getByTestId('guest-join-submit').click();
    await guest.waitForURL(`${e2e.server.url}/boards/${boardId}`);
  });

  afterAll(async () => {
    await admin?.context().close();
    await guest?.context().close();
  });

  it.each(['fr', 'en'] as const)('a partner guest reads every column title whole, wrapped or on hover, at every width (%s)', async (locale) => {
    await setLocale(guest, locale);
    for (const viewport of VIEWPORTS) {
      await guest.setViewportSize({ width: viewport.width, height: viewport.height });
      await openBoard(guest);
      await guest.getByTestId('column-title').first().waitFor();
      await guest.screenshot({ path: `${SHOTS}/guest-columns-${locale}-${viewport.width}.png` });
      expect(await layoutProblems(guest, { text: ['[data-testid="column-title"]'] })).toEqual([]);
      const titles = await guest.locator('[data-testid="column-title"]').evaluateAll((elements) =>
        elements.map((element) => ({
          text: (element.textContent ?? '').trim(),
          hover: element.getAttribute('title') ?? '',
          lines: Math.round(element.getBoundingClientRect().height / parseFloat(getComputedStyle(element).lineHeight)),
        })),
      );
      expect(titles.length).toBeGreaterThan(0);
      // The whole title on hover, and long ones on more than one line, as a member sees them.
      for (const title of titles) expect(title.hover).toContain(title.text);
      expect(Math.max(...titles.map((title) => title.lines))).toBeGreaterThan(1);
    }
  });

  for (const who of ['member', 'guest'] as const) {
    it.each(['fr', 'en'] as const)(`on a phone the ${who}'s board header and view tabs fit, the current tab in sight, in every view (%s)`, async (locale) => {
      const page = who === 'member' ? admin : guest;
      await setLocale(page, locale);
      await page.setViewportSize({ width: 390, height: 844 });
      for (const view of VIEWS) {
        await openBoard(page, view);
        await page.waitForTimeout(200);
        await page.screenshot({ path: `${SHOTS}/${who}-header-${locale}-${view}-390.png` });
        const problems = [
          ...(await layoutProblems(page, {
            text: ['[data-testid="board-title"]', '[data-testid="view-tabs"] a'],
            onScreen: ['.board-bar a, .board-bar button, .board-bar [role=status]', '[data-testid="view-tabs"] a'],
          })),
          ...(await unlabelledScrollBoxes(page, '[data-testid="view-tabs"], .board-bar')),
        ];
        expect(problems.map((problem) => `${view}: ${problem.detail}`)).toEqual([]);
        // The current view's tab is wholly in sight, inside its row and on the screen.
        const current = await page.getByTestId(`view-tab-${view}`).evaluate((tab) => {
          const row = tab.parentElement!.getBoundingClientRect();
          const box = tab.getBoundingClientRect();
          return { current: tab.getAttribute('aria-current'), inRow: box.left >= row.left - 1 && box.right <= row.right + 1, onScreen: box.left >= 0 && box.right <= innerWidth };
        });
        expect({ view, ...current }).toEqual({ view, current: 'page', inRow: true, onScreen: true });
      }
    });
  }

  it('a proposal’s page has a Copy link button in its bar, behind the ⋯ menu on a phone, that copies the page’s address', async () => {
    await setLocale(admin, 'fr');
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.server.url });
    const address = `${e2e.server.url}/boards/${boardId}/proposals/${cardId}`;
    const copyLink = admin.getByTestId('proposal-copy-link');

    await admin.setViewportSize({ width: 1440, height: 900 });
    await admin.goto(address);
    await admin.getByTestId('proposal-sections').waitFor();
    expect(await admin.getByTestId('proposal-bar').getByTestId('proposal-copy-link').isVisible()).toBe(true);
    expect(await copyLink.textContent()).toBe('Copier le lien');
    await copyLink.click();
    await admin.getByTestId('link-copied').first().waitFor();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(address);

    // On a phone it waits behind the ⋯ button with the other options.
    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.evaluate(() => navigator.clipboard.writeText(''));
    expect(await copyLink.isVisible()).toBe(false);
    await admin.getByTestId('proposal-bar-more').click();
    await copyLink.waitFor();
    await admin.screenshot({ path: `${SHOTS}/member-proposal-copy-link-fr-390.png` });
    expect(await layoutProblems(admin, { onScreen: ['[data-testid=proposal-bar] a, [data-testid=proposal-bar] button'] })).toEqual([]);
    await copyLink.click();
    await expect.poll(() => admin.evaluate(() => navigator.clipboard.readText())).toBe(address);

    // The address opens the same page for another person of the board.
    await guest.goto(address);
    await guest.getByTestId('proposal-sections').waitFor();
  });

  /** Opens the first proposal's drawer on the board, as `page` sees it, and returns its start date's field. */
  async function proposalStartDate(page: Page) {
    await openBoard(page);
    await page.locator('[data-testid="card"][data-kind="proposal"]').first().click();
    await page.getByTestId('proposal-detail').waitFor();
    const input = page.getByTestId('proposal-start');
    await input.scrollIntoViewIfNeeded();
    return { input, stored: () => input.evaluate((element) => element.closest<HTMLElement>('.date-input')!.dataset.value) };
  }

  it.each([
    { language: 'French', locale: 'fr' as const, browser: 'en-US', typed: '15/03/2027', shown: '20/03/2027', month: 'mars 2027', firstDay: 'lundi' },
    { language: 'English', locale: 'en' as const, browser: 'fr-FR', typed: '15/03/2027', shown: '20/03/2027', month: 'March 2027', firstDay: 'Monday' },
    { language: 'US English', locale: 'en' as const, browser: 'en-US', typed: '03/15/2027', shown: '03/20/2027', month: 'March 2027', firstDay: 'Sunday' },
  ])('a date is typed and picked in $language in a $browser browser, and stored as an ISO date', async ({ locale, browser, typed, shown, month, firstDay }) => {
    const page = await e2e.newPage({ width: 1440, height: 900, locale: browser });
    try {
      await signIn(page, e2e.server.url, ADMIN);
      await setLocale(page, locale);
      const { input, stored } = await proposalStartDate(page);

      await input.fill(typed);
      await input.press('Tab');
      await expect.poll(stored).toBe('2027-03-15');
      expect(await input.inputValue()).toBe(typed);

      await page.getByTestId('proposal-start-calendar').click();
      const calendar = page.getByTestId('proposal-start-calendar-grid');
      await calendar.waitFor();
      await page.screenshot({ path: `${SHOTS}/calendar-${locale}-${browser}.png` });
      expect(await calendar.getByTestId('calendar-month').textContent()).toBe(month);
      expect(await calendar.locator('th').first().getAttribute('abbr')).toBe(firstDay);
      // The typed day has the focus; the arrow keys walk the days, Enter picks one.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-date'))).toBe('2027-03-15');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-date'))).toBe('2027-03-17');
      await calendar.locator('[data-date="2027-03-20"]').click();
      await calendar.waitFor({ state: 'detached' });
      expect(await input.inputValue()).toBe(shown);
      await expect.poll(stored).toBe('2027-03-20');

      // Escape closes the calendar without a pick, the focus back on its button.
      await page.getByTestId('proposal-start-calendar').click();
      await calendar.waitFor();
      await page.keyboard.press('Escape');
      await calendar.waitFor({ state: 'detached' });
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('proposal-start-calendar');
      expect(await stored()).toBe('2027-03-20');
    } finally {
      await page.context().close();
    }
  });

  /** The calendar's buttons that are not wholly seen: off the screen, or covered or cut by something else at their centre. */
  function hiddenButtons(page: Page, testId: string): Promise<string[]> {
    return page.getByTestId(testId).evaluate((calendar) =>
      [...calendar.querySelectorAll('button')]
        .filter((button) => {
          const box = button.getBoundingClientRect();
          const seen = box.top >= 0 && box.bottom <= innerHeight && box.left >= 0 && box.right <= innerWidth;
          return !seen || !button.contains(document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2));
        })
        .map((button) => button.getAttribute('aria-label') ?? ''),
    );
  }

  it('on a phone a date’s calendar stays whole on the screen, wherever its field is', async () => {
    const page = await e2e.newPage({ width: 390, height: 844, locale: 'fr-FR' });
    try {
      await signIn(page, e2e.server.url, ADMIN);
      await setLocale(page, 'fr');
      await proposalStartDate(page);
      await page.getByTestId('proposal-start-calendar').click();
      await page.getByTestId('proposal-start-calendar-grid').waitFor();
      await page.screenshot({ path: `${SHOTS}/calendar-fr-390.png` });
      expect(await offScreen(page, '[data-testid="proposal-start-calendar-grid"] button')).toEqual([]);
      expect(await cutText(page, '[data-testid="proposal-start-calendar-grid"] button, [data-testid="calendar-month"]')).toEqual([]);
      expect(await hiddenButtons(page, 'proposal-start-calendar-grid')).toEqual([]);
      await page.keyboard.press('Escape');

      // The end date's field, scrolled to the foot of the drawer: its calendar is still whole, above the field if need be.
      await page.getByTestId('proposal-end').evaluate((input) => input.scrollIntoView({ block: 'end' }));
      await page.getByTestId('proposal-end-calendar').click();
      await page.getByTestId('proposal-end-calendar-grid').waitFor();
      await page.screenshot({ path: `${SHOTS}/calendar-end-fr-390.png` });
      expect(await hiddenButtons(page, 'proposal-end-calendar-grid')).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
