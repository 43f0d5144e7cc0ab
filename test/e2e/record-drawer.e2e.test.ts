/**
 * A workspace record's drawer and the workspace's versions in Debian's Chromium, three people in
 * separate browser contexts against the built server: an agreements manager edits a partner, the
 * drawer's history says who changed what, and their undo puts the value back live in another
 * browser; a member without the capability sees the fields read-only; an administrator names a
 * version, previews it and restores it, and the others see the old values live. The Versions panel
 * closes with Escape, gives the focus back, and fits a 390 px wide phone. The steps run in order.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, browserRunPerFile, signIn } from '../helpers/browser.js';
import { covered } from '../helpers/layout.js';
import { ADMIN } from '../helpers/server-process.js';
import { apiWithCookie, createUser, login } from '../helpers/test-server.js';

const BRUNO = { email: 'bruno.lefevre@example.org', password: 'tulipe-de-delft-2025', name: 'Bruno Lefèvre' } as const;
const CHLOE = { email: 'chloe.martin@example.org', password: 'moulin-de-kinderdijk-2025', name: 'Chloé Martin' } as const;

/** How long a change may take to cross from one browser to another. */
const SYNC_TIMEOUT = 10_000;

describe('the record drawer and the workspace’s versions, live in three browsers', () => {
  const e2e = browserRunPerFile({ DEMO_WORKSPACE: 'false' });
  let admin: Page;
  let bruno: Page;
  let chloe: Page;

  beforeAll(async () => {
    const adminCookie = await login(e2e.server.url);
    const brunoId = await createUser(e2e.server.url, adminCookie, BRUNO);
    const granted = await apiWithCookie(e2e.server.url, adminCookie)(`/api/users/${brunoId}`, { method: 'PATCH', body: { managesAgreements: true } });
    if (granted.status !== 200) throw new Error(`granting the agreements manager capability failed: ${granted.status}`);
    await createUser(e2e.server.url, adminCookie, CHLOE);
    admin = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    bruno = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    chloe = await e2e.newPage({ width: 1280, height: 800, locale: 'en-GB' });
    await signIn(admin, e2e.server.url, ADMIN);
    await signIn(bruno, e2e.server.url, BRUNO);
    await signIn(chloe, e2e.server.url, CHLOE);
    for (const page of [admin, bruno, chloe]) await page.goto(`${e2e.server.url}/partners`);
  });

  it('an administrator creates a partner and names a version of the records; Escape closes the panel and the focus returns', async () => {
    await admin.getByTestId('partner-new').click();
    const form = admin.getByTestId('partner-form');
    await form.getByTestId('partner-name').fill('Universidade do Porto');
    await form.getByTestId('partner-country').fill('PT');
    await form.getByTestId('partner-city').fill('Porto');
    await form.getByTestId('partner-save').click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => partnerCard(bruno, 'Universidade do Porto').count(), { timeout: SYNC_TIMEOUT }).toBe(1);

    await admin.getByTestId('workspace-versions-open').click();
    const panel = admin.getByTestId('workspace-versions-panel');
    await panel.getByTestId('workspace-version-name-input').fill('Avant la révision');
    await panel.getByTestId('workspace-version-name-submit').click();
    await admin.getByTestId('workspace-version-saved-toast').waitFor();
    // Said over the open panel, not under it, and its buttons can be used.
    expect(await covered(admin, '[data-testid="workspace-version-saved-toast"]')).toEqual([]);
    await expect.poll(() => panel.getByTestId('workspace-version-item').first().textContent()).toContain('Avant la révision');
    await admin.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    await expect.poll(() => admin.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('workspace-versions-open');
  });

  it('an agreements manager edits the partner, the drawer’s history says who changed which field, and their undo puts it back live elsewhere', async () => {
    await partnerCard(bruno, 'Universidade do Porto').getByTestId('partner-edit').click();
    let form = bruno.getByTestId('partner-form');
    expect(await form.getAttribute('data-read-only')).toBe('false');
    await form.getByTestId('partner-city').fill('Vila Nova de Gaia');
    await form.getByTestId('partner-save').click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => partnerCard(admin, 'Universidade do Porto').textContent(), { timeout: SYNC_TIMEOUT }).toContain('Vila Nova de Gaia');

    // The administrator's drawer names Bruno and the field he changed.
    await partnerCard(admin, 'Universidade do Porto').getByTestId('partner-edit').click();
    const entries = admin.getByTestId('record-history-entry');
    await expect.poll(() => entries.first().textContent(), { timeout: SYNC_TIMEOUT }).toContain('Bruno Lefèvre');
    // The field is named as the form names it, in the person's language.
    expect(await entries.first().textContent()).toContain('Ville');
    expect(await entries.first().textContent()).not.toContain('city');
    await screenshot(admin, 'history-fr');
    await admin.keyboard.press('Escape');
    await admin.getByTestId('partner-form').waitFor({ state: 'detached' });

    // Bruno undoes his change: the administrator's page shows the city as it was, live.
    await partnerCard(bruno, 'Universidade do Porto').getByTestId('partner-edit').click();
    form = bruno.getByTestId('partner-form');
    // Undo closes the form: its fields held the value from before the undo, which saving would write back.
    await bruno.getByTestId('record-undo').click();
    await form.waitFor({ state: 'detached', timeout: 5000 });
    await expect.poll(() => partnerCard(bruno, 'Universidade do Porto').textContent(), { timeout: SYNC_TIMEOUT }).toContain('Porto, PT');
    await expect.poll(() => partnerCard(admin, 'Universidade do Porto').textContent(), { timeout: SYNC_TIMEOUT }).toContain('Porto, PT');
  });

  it('a member without the capability sees the partner’s fields read-only', async () => {
    await partnerCard(chloe, 'Universidade do Porto').getByTestId('partner-edit').click();
    const form = chloe.getByTestId('partner-form');
    expect(await form.getAttribute('data-read-only')).toBe('true');
    await form.getByTestId('record-read-only').waitFor();
    expect(await form.getByTestId('partner-name').isEditable()).toBe(false);
    expect(await form.getByTestId('partner-city').isEditable()).toBe(false);
    await expect.poll(() => chloe.getByTestId('record-history-entry').count(), { timeout: SYNC_TIMEOUT }).toBeGreaterThan(0);
    await chloe.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
  });

  it('an administrator previews the named version and restores it; the others see the old values live', async () => {
    await partnerCard(bruno, 'Universidade do Porto').getByTestId('partner-edit').click();
    const form = bruno.getByTestId('partner-form');
    await form.getByTestId('partner-name').fill('Universidade do Porto (FEUP)');
    await form.getByTestId('partner-save').click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => partnerNames(chloe), { timeout: SYNC_TIMEOUT }).toEqual(['Universidade do Porto (FEUP)']);

    await admin.getByTestId('workspace-versions-open').click();
    const panel = admin.getByTestId('workspace-versions-panel');
    const named = panel.getByTestId('workspace-version-item').filter({ hasText: 'Avant la révision' });
    await named.getByTestId('workspace-version-view').click();
    const preview = panel.getByTestId('workspace-version-preview');
    await expect.poll(() => preview.getByTestId('workspace-version-partners-item').allTextContents()).toEqual(['Universidade do Porto']);
    await screenshot(admin, 'version-preview-fr');
    await panel.getByTestId('workspace-version-restore').click();
    await panel.getByTestId('workspace-version-restore-confirm-button').click();
    await admin.getByTestId('workspace-version-restored-toast').waitFor();

    await expect.poll(() => partnerNames(bruno), { timeout: SYNC_TIMEOUT }).toEqual(['Universidade do Porto']);
    await expect.poll(() => partnerNames(chloe), { timeout: SYNC_TIMEOUT }).toEqual(['Universidade do Porto']);

    // An administrator deletes a named version they no longer need; the records stay as they are.
    const versionCount = await panel.getByTestId('workspace-version-item').count();
    await named.getByTestId('workspace-version-delete').click();
    await named.getByTestId('workspace-version-delete-confirm-button').click();
    await admin.getByTestId('workspace-version-deleted-toast').waitFor();
    await expect.poll(() => panel.getByTestId('workspace-version-item').count()).toBe(versionCount - 1);
    expect(await partnerNames(bruno)).toEqual(['Universidade do Porto']);
    await admin.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });

    // The restore is the administrator's change in the partner's history.
    await partnerCard(chloe, 'Universidade do Porto').getByTestId('partner-edit').click();
    const entries = chloe.getByTestId('record-history-entry');
    await expect.poll(() => entries.first().textContent(), { timeout: SYNC_TIMEOUT }).toContain('Name');
    expect(await entries.first().textContent()).not.toContain('Bruno Lefèvre');
    await chloe.keyboard.press('Escape');
    await chloe.getByTestId('partner-form').waitFor({ state: 'detached' });
  });

  it('a change the server refuses is told in the person’s language and rolled back on their screen', async () => {
    await partnerCard(bruno, 'Universidade do Porto').getByTestId('partner-edit').click();
    const form = bruno.getByTestId('partner-form');
    expect(await form.getAttribute('data-read-only')).toBe('false');
    // The administrator takes the capability back while Bruno's form is open, and his page cannot
    // read his account again (as when the server is out of reach): only the server's refusal tells him.
    await bruno.route('**/api/auth/me', (route) => route.abort());
    const adminCookie = await login(e2e.server.url);
    const people = await apiWithCookie(e2e.server.url, adminCookie)<{ users: { id: string; email: string }[] }>('/api/users');
    const brunoId = people.body.users.find((person) => person.email === BRUNO.email)!.id;
    expect((await apiWithCookie(e2e.server.url, adminCookie)(`/api/users/${brunoId}`, { method: 'PATCH', body: { managesAgreements: false } })).status).toBe(200);
    await bruno.waitForTimeout(1000);
    await form.getByTestId('partner-name').fill('Porto, renamed without the right');
    await form.getByTestId('partner-save').click();
    const notice = bruno.getByTestId('workspace-refused-toast');
    await notice.waitFor({ timeout: SYNC_TIMEOUT });
    expect(await notice.textContent()).toContain('vous pouvez seulement consulter');
    await screenshot(bruno, 'refused-fr');
    await expect.poll(() => partnerNames(bruno), { timeout: SYNC_TIMEOUT }).toEqual(['Universidade do Porto']);
    expect(await partnerNames(admin)).toEqual(['Universidade do Porto']);
    await bruno.unroute('**/api/auth/me');
    await bruno.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    // The refused change is not kept in the browser's copy either: it does not come back with a reload.
    await bruno.reload();
    await partnerCard(bruno, 'Universidade do Porto').waitFor({ timeout: SYNC_TIMEOUT });
    expect(await partnerNames(bruno)).toEqual(['Universidade do Porto']);
  });

  it('an open form follows the capability an administrator gives and takes back, without a reload', async () => {
    const adminCookie = await login(e2e.server.url);
    const people = await apiWithCookie(e2e.server.url, adminCookie)<{ users: { id: string; email: string }[] }>('/api/users');
    const brunoId = people.body.users.find((person) => person.email === BRUNO.email)!.id;
    const grant = async (managesAgreements: boolean) =>
      expect((await apiWithCookie(e2e.server.url, adminCookie)(`/api/users/${brunoId}`, { method: 'PATCH', body: { managesAgreements } })).status).toBe(200);

    await grant(true);
    await partnerCard(bruno, 'Universidade do Porto').getByTestId('partner-edit').click();
    const form = bruno.getByTestId('partner-form');
    await expect.poll(() => form.getAttribute('data-read-only'), { timeout: SYNC_TIMEOUT }).toBe('false');
    await grant(false);
    await expect.poll(() => form.getAttribute('data-read-only'), { timeout: SYNC_TIMEOUT }).toBe('true');
    expect(await form.getByTestId('partner-name').isEditable()).toBe(false);
    await bruno.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
  });

  it('on a 390 px phone, a member reads the versions in English, without a restore, within the screen', async () => {
    await chloe.setViewportSize({ width: 390, height: 844 });
    await chloe.getByTestId('workspace-versions-open').click();
    const panel = chloe.getByTestId('workspace-versions-panel');
    await panel.getByTestId('workspace-versions-admin-only').waitFor();
    expect(await panel.getByTestId('workspace-versions-admin-only').textContent()).toContain('Only administrators restore a version');
    await expect.poll(() => panel.getByTestId('workspace-version-item').count()).toBeGreaterThan(0);
    expect(await panel.getByTestId('workspace-version-restore').count()).toBe(0);
    // A member who may change no record does not name versions either.
    expect(await panel.getByTestId('workspace-version-name-input').count()).toBe(0);
    await panel.getByTestId('workspace-version-view').first().click();
    await panel.getByTestId('workspace-version-preview').waitFor();
    const box = await panel.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    expect(await panel.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    await screenshot(chloe, 'versions-390-en');
    await chloe.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    await expect.poll(() => chloe.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('workspace-versions-open');
  });
});

function partnerCard(page: Page, name: string): Locator {
  return page.getByTestId('partner-card').filter({ has: page.getByTestId('partner-card-name').getByText(name, { exact: true }) });
}

function partnerNames(page: Page): Promise<string[]> {
  return page.getByTestId('partner-card-name').allTextContents();
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `record-drawer-${name}.png`) });
}
