/**
 * Planning a meeting in Debian's Chromium against the built server, in French at a phone's width:
 * the board's planned meetings open from the meeting bar, a meeting is planned with the date typed
 * the French way and a time typed « 10h », it is listed with its date and times written in French,
 * the bar names it as the next meeting, and the board's calendar feed holds it at the right instant.
 * The panel is laid out right at 390 px, and Escape closes it back to its button. A partner guest
 * invited as an editor reads the meeting in English, with nothing to change it with.
 */
import { mkdirSync } from 'node:fs';
import ical, { type VEvent } from 'node-ical';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, browserRunPerFile, signIn, waitSynced } from '../helpers/browser.js';
import { layoutProblems } from '../helpers/layout.js';
import { ADMIN } from '../helpers/server-process.js';

const SHOTS = `${SCREENSHOT_DIR}/planned-meetings`;
const DRAWER = '[data-testid=planned-meetings]';

describe('planned meetings on a board, in French on a phone', () => {
  const e2e = browserRunPerFile();
  let page: Page;
  let boardId: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    page = await e2e.newPage({ width: 390, height: 844, locale: 'fr-FR' });
    await signIn(page, e2e.server.url, ADMIN);
    boardId = await page.evaluate(async () => {
      await fetch('/api/auth/me', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'fr' }) });
      localStorage.setItem('passerelle.locale', 'fr');
      const response = await fetch('/api/boards', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Alliance Porto' }) });
      return ((await response.json()) as { id: string }).id;
    });
  });

  afterAll(async () => {
    await page?.context().close();
  });

  it('plans a meeting with the date and time typed the French way, lists it in French and puts it in the board’s feed', async () => {
    await page.goto(`${e2e.server.url}/boards/${boardId}`);
    const opener = page.getByTestId('planned-meetings-open');
    await expect.poll(() => opener.textContent()).toBe('Réunions prévues');
    await opener.click();
    const drawer = page.locator(DRAWER);
    await expect.poll(() => drawer.getByTestId('planned-meetings-empty').textContent()).toBe('Aucune réunion prévue.');

    await drawer.getByTestId('planned-meeting-new').click();
    await drawer.getByTestId('planned-meeting-title').fill('Comité de pilotage');
    await drawer.getByTestId('planned-meeting-date').fill('17/03/2031');
    // A time that is no time of day is refused, in French.
    await drawer.getByTestId('planned-meeting-start').fill('midi');
    await drawer.getByTestId('planned-meeting-save').click();
    await expect.poll(() => drawer.locator('.error').allTextContents()).toEqual(['Saisissez une heure comme 14:30.']);
    await drawer.getByTestId('planned-meeting-start').fill('10h');
    await drawer.getByTestId('planned-meeting-minutes').fill('90');
    await drawer.getByTestId('planned-meeting-place-input').fill('Salle B12');
    await drawer.getByTestId('planned-meeting-note').fill('Budget 2032');
    await drawer.getByTestId('planned-meeting-save').click();

    const listed = drawer.getByTestId('planned-meeting');
    await expect.poll(() => listed.count()).toBe(1);
    expect(await listed.getByTestId('planned-meeting-when').textContent()).toBe('lundi 17 mars 2031, 10:00 – 11:30');
    expect(await listed.getByTestId('planned-meeting-place').textContent()).toBe('Salle B12');
    await expect.poll(() => page.getByTestId('next-planned-meeting').textContent()).toMatch(/^Prochaine réunion : lun\.? 17 mars 10:00 · Comité de pilotage$/);

    await page.screenshot({ path: `${SHOTS}/listed-fr-390.png` });
    const problems = await layoutProblems(page, {
      overlap: [`${DRAWER} button, ${DRAWER} h2, ${DRAWER} h3`],
      text: [`${DRAWER} h2, ${DRAWER} h3, ${DRAWER} button, ${DRAWER} [data-testid=planned-meeting-when]`],
      onScreen: [`${DRAWER} button`],
    });
    expect(problems.map((problem) => problem.detail)).toEqual([]);

    // The board's feed, as a calendar application reads it: 10:00 in Paris in March 2031 (winter time) is 09:00 UTC.
    const address = await page.evaluate(async (board) => {
      const response = await fetch('/api/calendar-feeds', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ boardId: board }) });
      return ((await response.json()) as { url: string }).url;
    }, boardId);
    const events = Object.values(ical.sync.parseICS(await (await fetch(address)).text())).filter((entry): entry is VEvent => entry?.type === 'VEVENT');
    expect(events.map((event) => [event.summary, event.start.toISOString(), event.end!.toISOString(), event.location])).toEqual([
      ['Réunion : Comité de pilotage', '2031-03-17T09:00:00.000Z', '2031-03-17T10:30:00.000Z', 'Salle B12'],
    ]);
  });

  it('changes the meeting from its entry, the day picked on the calendar, and closes with Escape back to its button', async () => {
    const drawer = page.locator(DRAWER);
    await drawer.getByTestId('planned-meeting-edit').click();
    expect(await drawer.getByTestId('planned-meeting-start').inputValue()).toBe('10:00');
    // The form opens at its first field, and fits a phone.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('planned-meeting-title');
    await page.screenshot({ path: `${SHOTS}/form-fr-390.png` });
    const formProblems = await layoutProblems(page, {
      overlap: [`${DRAWER} form input, ${DRAWER} form textarea, ${DRAWER} form button, ${DRAWER} form label`],
      text: [`${DRAWER} form label, ${DRAWER} form button`],
      onScreen: [`${DRAWER} form input, ${DRAWER} form button`],
    });
    expect(formProblems.map((problem) => problem.detail)).toEqual([]);
    // The next day, picked on the calendar with the keyboard.
    await drawer.getByTestId('planned-meeting-date-calendar').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-date'))).toBe('2031-03-17');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect.poll(() => drawer.getByTestId('planned-meeting-date').inputValue()).toBe('18/03/2031');
    await drawer.getByTestId('planned-meeting-start').fill('14:30');
    await drawer.getByTestId('planned-meeting-start').press('Enter');
    await expect.poll(() => drawer.getByTestId('planned-meeting-when').textContent()).toBe('mardi 18 mars 2031, 14:30 – 16:00');
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('planned-meetings-open');
    await page.screenshot({ path: `${SHOTS}/bar-fr-390.png` });
    const barProblems = await layoutProblems(page, { overlap: ['[data-testid=meeting-bar] button, [data-testid=meeting-bar] span'], onScreen: ['[data-testid=meeting-bar] button'] });
    expect(barProblems.map((problem) => problem.detail)).toEqual([]);
  });

  it('shows a partner guest with an editor’s role the meeting in English, read-only', async () => {
    const inviteUrl = await page.evaluate(async (board) => {
      const response = await fetch(`/api/boards/${board}/guest-invites`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'editor', label: 'FEUP', expiresInHours: 24 }),
      });
      return ((await response.json()) as { url: string }).url;
    }, boardId);
    const guest = await e2e.newPage({ width: 390, height: 844, locale: 'en-GB' });
    try {
      await guest.goto(inviteUrl);
      await guest.getByTestId('guest-name').fill('Ana Sousa');
      await guest.getByTestId('guest-join-submit').click();
      await guest.waitForURL(`${e2e.server.url}/boards/${boardId}`);
      await waitSynced(guest);
      await guest.getByTestId('planned-meetings-open').click();
      const drawer = guest.locator(DRAWER);
      await expect.poll(() => drawer.getByTestId('planned-meeting-when').textContent()).toMatch(/^Tuesday,? 18 March 2031, 14:30 – 16:00$/);
      expect(await drawer.getByText('The board’s editors and owners plan its meetings.').count()).toBe(1);
      expect(await drawer.locator('[data-testid=planned-meeting-edit], [data-testid=planned-meeting-cancel], [data-testid=planned-meeting-new]').count()).toBe(0);
      await guest.screenshot({ path: `${SHOTS}/guest-en-390.png` });
    } finally {
      await guest.context().close();
    }
  });
});
