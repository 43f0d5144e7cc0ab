/**
 * Links that open what they name, and dates in the interface's language, in Debian's Chromium
 * against the built server started with the demo workspace: the first start's welcome, a card's
 * address (opened, closed with Back, pasted in another browser), partners' and agreements' links,
 * links to things that are not there, and dates typed and shown in French and in English in a US
 * English browser.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, browserRunPerFile, signIn, waitSynced } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';

/** How long the interface may take to show a change on a busy machine. */
const UI_TIMEOUT = 10_000;

describe('links and dates in the demo workspace', () => {
  const e2e = browserRunPerFile({ DEMO_WORKSPACE: 'true', DEMO_LANGUAGE: 'fr' });
  let admin: Page;
  let other: Page;
  let boardPath: string;

  beforeAll(async () => {
    // A US English browser: its own date format is mm/dd/yyyy, which the French interface must not use.
    admin = await e2e.newPage({ width: 1280, height: 860, locale: 'en-US' });
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.server.url });
    await signIn(admin, e2e.server.url, ADMIN);
    await setLanguage(admin, 'fr');
    other = await e2e.newPage({ width: 1280, height: 860, locale: 'fr-FR' });
    await signIn(other, e2e.server.url, ADMIN);
  });

  it('the first start welcomes with what the demo holds and where, in both languages, until dismissed', async () => {
    const welcome = admin.getByTestId('demo-welcome');
    await welcome.waitFor();
    expect(await welcome.locator('h2').textContent()).toBe('Bienvenue dans Passerelle');
    expect(await welcome.textContent()).toContain('le tableau « Stratégie internationale ESCOM »');
    expect(await welcome.getByTestId('welcome-partners').getAttribute('href')).toBe('/partners');
    expect(await welcome.getByTestId('welcome-mobility').getAttribute('href')).toBe('/mobility');
    boardPath = (await welcome.getByTestId('welcome-board').getAttribute('href'))!;
    expect(boardPath).toMatch(/^\/boards\/[A-Za-z0-9_-]{8,64}$/);
    await screenshot(admin, 'welcome-fr');

    await setLanguage(admin, 'en');
    await expect.poll(() => welcome.locator('h2').textContent(), { timeout: UI_TIMEOUT }).toBe('Welcome to Passerelle');
    expect(await welcome.textContent()).toContain('the board “Stratégie internationale ESCOM”');
    await screenshot(admin, 'welcome-en');

    await welcome.getByTestId('welcome-dismiss').click();
    await expect.poll(() => welcome.count(), { timeout: UI_TIMEOUT }).toBe(0);
    await admin.reload();
    await admin.getByTestId('board-item').first().waitFor();
    expect(await welcome.count()).toBe(0);
    // Each person dismisses it for themselves.
    await other.getByTestId('demo-welcome').waitFor();
    await setLanguage(admin, 'fr');
  });

  it('opening a card puts it in the address, Back closes it, and the copied link opens it in another browser', async () => {
    await admin.goto(`${e2e.server.url}${boardPath}`);
    await waitSynced(admin);
    const card = admin.locator('[data-testid="card"]').first();
    const cardId = (await card.getAttribute('data-card-id'))!;
    await card.click();
    await admin.getByTestId('card-detail').or(admin.getByTestId('proposal-detail')).first().waitFor();
    await admin.waitForURL(`${e2e.server.url}${boardPath}?card=${cardId}`);

    const link = `${e2e.server.url}${boardPath}?card=${cardId}`;
    const copy = admin.getByTestId('card-copy-link');
    expect(await copy.textContent()).toBe('Copier le lien');
    expect(await copy.getAttribute('href')).toBe(link);
    await copy.click();
    await admin.getByTestId('link-copied').waitFor();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await screenshot(admin, 'card-link-fr');

    await admin.goBack();
    await admin.waitForURL(`${e2e.server.url}${boardPath}`);
    await expect.poll(() => admin.getByTestId('card-close').count(), { timeout: UI_TIMEOUT }).toBe(0);
    await admin.goForward();
    await admin.getByTestId('card-close').waitFor();

    // Closing with its button leaves the address of the board alone, and Back does not reopen it.
    await admin.getByTestId('card-close').click();
    await admin.waitForURL(`${e2e.server.url}${boardPath}`);
    await expect.poll(() => admin.getByTestId('card-close').count(), { timeout: UI_TIMEOUT }).toBe(0);

    await other.goto(link);
    await waitSynced(other);
    await other.getByTestId('card-close').waitFor();
    expect(await other.locator(`[data-testid="card"][data-card-id="${cardId}"]`).count()).toBe(1);
    // A pasted link has no entry to go back to inside the board: closing keeps the person on the board.
    await other.getByTestId('card-close').click();
    await other.waitForURL(`${e2e.server.url}${boardPath}`);
  });

  it('a link to a card or a board that is not there says so in the person’s language', async () => {
    await admin.goto(`${e2e.server.url}${boardPath}?card=AAAAAAAAAAAAAAAAAAAAAA`);
    const missing = admin.getByTestId('card-link-missing');
    await missing.waitFor();
    expect(await missing.textContent()).toContain('Ce lien mène à une carte qui n’est pas sur ce tableau');
    await admin.waitForURL(`${e2e.server.url}${boardPath}`);
    await screenshot(admin, 'card-link-missing-fr');

    await admin.goto(`${e2e.server.url}/boards/AAAAAAAAAAAAAAAAAAAAAA`);
    await admin.getByTestId('not-found-hint').waitFor();
    await screenshot(admin, 'board-missing-fr');
    await expect.poll(() => admin.locator('h1').textContent(), { timeout: UI_TIMEOUT }).toBe('Introuvable.');
    expect(await admin.getByTestId('not-found-hint').textContent()).toContain('Le lien est peut-être mal recopié');
    await admin.goto(`${e2e.server.url}/`);
    await setLanguage(admin, 'en');
    await admin.goto(`${e2e.server.url}${boardPath}?card=AAAAAAAAAAAAAAAAAAAAAA`);
    await expect.poll(() => admin.getByTestId('card-link-missing').textContent(), { timeout: UI_TIMEOUT }).toContain('This link leads to a card that is not on this board');
    await setLanguage(admin, 'fr');
  });

  it('a partner’s and an agreement’s copied links show them on the partners page; an unknown one says so', async () => {
    await admin.goto(`${e2e.server.url}/partners`);
    const partner = admin.getByTestId('partner-card').filter({ hasText: 'Technische Universität Dortmund' });
    await partner.waitFor();
    const partnerId = (await partner.getAttribute('data-partner-id'))!;
    const partnerLink = (await partner.getByTestId('partner-copy-link').getAttribute('href'))!;
    expect(partnerLink).toBe(`${e2e.server.url}/partners?partner=${partnerId}`);
    const agreement = partner.getByTestId('agreement-item').first();
    const agreementLink = (await agreement.getByTestId('agreement-copy-link').getAttribute('href'))!;
    expect(agreementLink).toMatch(new RegExp(`^${e2e.server.url}/partners\\?agreement=[A-Za-z0-9_-]+$`));

    await other.goto(partnerLink);
    await shownOrScreenshot(other, 'partner-link-fr');
    const shown = other.locator(`[data-testid="partner-card"][data-partner-id="${partnerId}"]`);
    await expect.poll(() => shown.getAttribute('class'), { timeout: UI_TIMEOUT }).toContain('highlighted');
    expect(await shown.isVisible()).toBe(true);
    await other.goto(agreementLink);
    
    await expect.poll(() => other.locator('[data-testid="agreement-item"].highlighted').count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await other.locator('[data-testid="agreement-item"].highlighted').getByTestId('agreement-title-text').textContent()).toBe(
      'Accord Erasmus+ avec la Technische Universität Dortmund',
    );
    await screenshot(other, 'agreement-link-fr');

    await other.goto(`${e2e.server.url}/partners?partner=AAAAAAAAAAAAAAAAAAAAAA`);
    await expect.poll(() => other.getByTestId('link-missing').textContent(), { timeout: UI_TIMEOUT }).toContain('Ce lien mène à un partenaire absent de l’espace de travail');
    await screenshot(other, 'partner-link-missing-fr');
  });

  it('a due date is typed and shown as dd/mm/yyyy in French in a US browser, and in the US order in English', async () => {
    await admin.goto(`${e2e.server.url}${boardPath}?view=actions`);
    await waitSynced(admin);
    const row = admin.getByTestId('action-row').filter({ hasText: 'Sherbrooke' }).first();
    expect(await row.getByTestId('action-row-due').textContent()).toContain('15 déc. 2026');

    await row.getByTestId('action-edit').click();
    const due = admin.getByTestId('action-due');
    expect(await due.getAttribute('placeholder')).toBe('jj/mm/aaaa');
    expect(await due.inputValue()).toBe('15/12/2026');
    await due.fill('04/03/2027');
    await due.blur();
    expect(await due.inputValue()).toBe('04/03/2027');
    await screenshot(admin, 'date-field-fr');
    await admin.getByTestId('action-save').click();
    await expect.poll(() => row.getByTestId('action-row-due').textContent(), { timeout: UI_TIMEOUT }).toContain('4 mars 2027');

    // A date that does not exist is refused with the pattern to follow.
    await row.getByTestId('action-edit').click();
    await due.fill('31/02/2027');
    await due.blur();
    expect(await admin.getByTestId('action-due-invalid').textContent()).toBe('Saisissez une date au format jj/mm/aaaa.');
    await admin.keyboard.press('Escape');

    await setLanguage(admin, 'en');
    await expect.poll(() => row.getByTestId('action-row-due').textContent(), { timeout: UI_TIMEOUT }).toContain('Mar 4, 2027');
    await row.getByTestId('action-edit').click();
    expect(await due.getAttribute('placeholder')).toBe('mm/dd/yyyy');
    expect(await due.inputValue()).toBe('03/04/2027');
    await due.fill('04/30/2027');
    await due.blur();
    await screenshot(admin, 'date-field-en');
    await admin.getByTestId('action-save').click();
    await expect.poll(() => row.getByTestId('action-row-due').textContent(), { timeout: UI_TIMEOUT }).toContain('Apr 30, 2027');
    await setLanguage(admin, 'fr');
    await expect.poll(() => row.getByTestId('action-row-due').textContent(), { timeout: UI_TIMEOUT }).toContain('30 avr. 2027');
  });
});

async function setLanguage(page: Page, language: 'fr' | 'en'): Promise<void> {
  await page.getByTestId('locale-switch').selectOption(language);
  await page.waitForFunction((wanted) => document.documentElement.lang === wanted, language);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `links-${name}.png`) });
}

async function shownOrScreenshot(page: Page, name: string): Promise<void> {
  await page.getByTestId('partner-card').first().waitFor();
  await screenshot(page, name);
}
