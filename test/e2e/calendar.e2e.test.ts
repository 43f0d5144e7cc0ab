/**
 * Calendar feeds in Debian's Chromium against the built server with the demo workspace: a member
 * creates their own feed in the settings, copies its address and its `webcal://` link, renews and
 * revokes it, and subscribes to a board from the board's bar; each address is fetched as a calendar
 * application would and read back with an iCalendar parser. Another member, in a browser of their
 * own, never sees the first one's feeds. The settings page and the dialog are laid out right at a
 * phone's and a desktop's width, in English and in French.
 */
import { mkdirSync } from 'node:fs';
import ical, { type VEvent } from 'node-ical';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, browserRunPerFile, signIn } from '../helpers/browser.js';
import { VIEWPORTS, layoutProblems } from '../helpers/layout.js';
import { ADMIN } from '../helpers/server-process.js';

const SHOTS = `${SCREENSHOT_DIR}/calendar`;
const CONTROLS = 'main a[href], main button, main input, main h1, main h2, main h3, dialog a[href], dialog button, dialog input, dialog h2, dialog h3';
const TEXTS = 'main h1, main h2, main h3, main a[href], main button, main label, dialog h2, dialog h3, dialog button, dialog a[href], dialog label';

async function fetchFeed(url: string) {
  const response = await fetch(url);
  const text = response.status === 200 ? await response.text() : '';
  const events = Object.values(text ? ical.sync.parseICS(text) : {}).filter((entry): entry is VEvent => entry?.type === 'VEVENT');
  return { status: response.status, text, events };
}

describe('calendar feeds in the settings and a board’s bar', () => {
  const e2e = browserRunPerFile({ DEMO_WORKSPACE: 'true' });
  let admin: Page;
  let boardId: string;

  async function setLocale(page: Page, locale: 'en' | 'fr'): Promise<void> {
    await page.evaluate(async (locale) => {
      await fetch('/api/auth/me', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale }) });
      localStorage.setItem('passerelle.locale', locale);
    }, locale);
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    admin = await e2e.newPage({ width: 1440, height: 900, locale: 'en-GB' });
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.server.url });
    await signIn(admin, e2e.server.url, ADMIN);
    await setLocale(admin, 'en');
    boardId = await admin.evaluate(async () => ((await (await fetch('/api/boards')).json()) as { boards: { id: string }[] }).boards[0]!.id);
  });

  afterAll(async () => {
    await admin?.context().close();
  });

  it('creates, copies, renews and revokes one’s own feed from the settings, each address working until replaced', async () => {
    await admin.goto(`${e2e.server.url}/`);
    await admin.getByTestId('account-menu').click();
    await admin.getByTestId('calendars-link').click();
    await admin.waitForURL(`${e2e.server.url}/settings/calendars`);
    const own = admin.getByTestId('calendar-own');
    await expect.poll(() => own.getAttribute('data-state')).toBe('none');
    await expect.poll(() => admin.getByTestId('calendar-own-status').textContent()).toBe('No address yet.');

    await admin.getByTestId('calendar-own-create').click();
    const first = await admin.getByTestId('calendar-own-url').inputValue();
    expect(first).toMatch(new RegExp(`^${e2e.server.url}/calendar/pcal_[\\w-]{43}\\.ics$`));
    expect(await admin.getByTestId('calendar-own-webcal').getAttribute('href')).toBe(first.replace(/^http:\/\//, 'webcal://'));
    await admin.getByTestId('calendar-own-copy').click();
    await expect.poll(() => admin.getByTestId('calendar-own-copy').textContent()).toBe('Address copied.');
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(first);
    const feed = await fetchFeed(first);
    expect(feed.status).toBe(200);
    expect(feed.text).toContain('Passerelle: my actions and deadlines');

    // A reload shows the feed exists, but never its address again.
    await admin.reload();
    await expect.poll(() => own.getAttribute('data-state')).toBe('active');
    expect(await admin.getByTestId('calendar-own-url').count()).toBe(0);
    await admin.getByTestId('calendar-own-renew').click();
    const renewed = await admin.getByTestId('calendar-own-url').inputValue();
    expect(renewed).not.toBe(first);
    expect((await fetchFeed(first)).status).toBe(404);
    expect((await fetchFeed(renewed)).status).toBe(200);

    await admin.getByTestId('calendar-own-revoke').click();
    await admin.getByTestId('calendar-own-revoked').waitFor();
    expect(await own.getAttribute('data-state')).toBe('none');
    expect((await fetchFeed(renewed)).status).toBe(404);
  });

  it('subscribes to a board from its bar, with the board’s dated items in the feed, listed in the settings and hidden from another member', async () => {
    await admin.goto(`${e2e.server.url}/boards/${boardId}`);
    await admin.getByTestId('calendar-open').click();
    const dialog = admin.getByTestId('calendar-dialog');
    await dialog.getByTestId('calendar-board-create').click();
    const address = await dialog.getByTestId('calendar-board-url').inputValue();
    const feed = await fetchFeed(address);
    expect(feed.status).toBe(200);
    expect(feed.events.length).toBeGreaterThan(0);
    for (const event of feed.events) {
      const url = typeof event.url === 'string' ? event.url : (event.url as unknown as { val: string }).val;
      expect(url.startsWith(`${e2e.server.url}/boards/${boardId}?`)).toBe(true);
    }
    await dialog.getByTestId('calendar-close').click();

    await admin.goto(`${e2e.server.url}/settings/calendars`);
    await expect.poll(() => admin.getByTestId(`calendar-board-${boardId}`).getAttribute('data-state')).toBe('active');

    // Another member at their own computer: their settings list none of the administrator's feeds.
    const colleague = await e2e.newPage({ width: 1440, height: 900, locale: 'en-GB' });
    try {
      const email = 'colleague@example.org';
      const password = 'a-long-password-for-colleague';
      expect(
        await admin.evaluate(
          async ({ email, password }) =>
            (await fetch('/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, name: 'Colleague', departments: ['studies'] }) })).status,
          { email, password },
        ),
      ).toBe(201);
      await signIn(colleague, e2e.server.url, { email, password });
      await colleague.goto(`${e2e.server.url}/settings/calendars`);
      await colleague.getByTestId('calendar-own').waitFor();
      expect(await colleague.locator('[data-testid^=calendar-board-]').count()).toBe(0);
      expect(await colleague.getByTestId('calendar-own').getAttribute('data-state')).toBe('none');
    } finally {
      await colleague.context().close();
    }
  });

  it('lays out the settings page and the board’s dialog at a phone’s and a desktop’s width, in both languages', async () => {
    const problems: string[] = [];
    for (const locale of ['en', 'fr'] as const) {
      await setLocale(admin, locale);
      for (const viewport of VIEWPORTS.filter((candidate) => candidate.width === 390 || candidate.width === 1440)) {
        await admin.setViewportSize({ width: viewport.width, height: viewport.height });
        await admin.goto(`${e2e.server.url}/settings/calendars`);
        await admin.getByTestId('calendar-own').waitFor();
        // With an address shown: the longest state of the page.
        await admin.locator('[data-testid=calendar-own-create], [data-testid=calendar-own-renew]').first().click();
        await admin.getByTestId('calendar-own-url').waitFor();
        await admin.waitForTimeout(200);
        await admin.screenshot({ path: `${SHOTS}/settings-${locale}-${viewport.width}.png`, fullPage: true });
        for (const problem of await layoutProblems(admin, { overlap: [CONTROLS], text: [TEXTS], onScreen: [CONTROLS] })) problems.push(`settings ${locale} ${viewport.width}: ${problem.detail}`);

        await admin.goto(`${e2e.server.url}/boards/${boardId}`);
        await admin.getByTestId('calendar-open').click();
        const dialog = admin.getByTestId('calendar-dialog');
        await dialog.locator('[data-testid=calendar-board-create], [data-testid=calendar-board-renew]').first().click();
        await dialog.getByTestId('calendar-board-url').waitFor();
        await admin.waitForTimeout(200);
        await admin.screenshot({ path: `${SHOTS}/dialog-${locale}-${viewport.width}.png` });
        for (const problem of await layoutProblems(admin, { overlap: ['dialog a[href], dialog button, dialog input, dialog h2, dialog h3'], text: ['dialog h2, dialog h3, dialog button, dialog a[href], dialog label'], onScreen: ['dialog button, dialog input, dialog a[href]'] })) {
          problems.push(`dialog ${locale} ${viewport.width}: ${problem.detail}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The French page speaks French.
    await admin.goto(`${e2e.server.url}/settings/calendars`);
    await expect.poll(() => admin.locator('main h1').textContent()).toBe('Flux d’agenda');
  });
});
