/**
 * A partner guest's own view of a board, in Debian's Chromium against the built server, beside the
 * SRI in a browser context of their own: the guest reads the board in their browser's language and
 * changes it for good, is shown by their name's initials, is offered nothing they may not do (no
 * partners page to visit, no edit column), and a meeting's tools close on both screens when it ends.
 * The steps run in order on one board.
 */
import { BoardDoc, type Me } from '@passerelle/shared';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserRunPerFile, SCREENSHOT_DIR, signIn, waitSynced } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';
import { adminToken, api, connectClient, createBoard, eventually, login, synced } from '../helpers/test-server.js';

const SYNC_TIMEOUT = 10_000;
const GUEST_NAME = 'Ana Silva (FEUP)';
const PROPOSAL = 'Double diplôme génie des procédés';
const ACTION = 'Envoyer la maquette';

describe('a partner guest on their board', () => {
  const ctx = browserRunPerFile();
  let boardId: string;
  let cardId: string;
  let inviteUrl: string;
  let guest: Page;
  let sri: Page;

  beforeAll(async () => {
    const url = ctx.server.url;
    const me = (await api<Me>(url, '/api/auth/me', { cookie: await login(url) })).body;
    const token = await adminToken(url);
    boardId = await createBoard(url, token, 'Coopération Porto');
    const client = connectClient(url, boardId, token);
    await synced(client.provider);
    const board = new BoardDoc(client.doc);
    const columnId = board.addColumn('Pistes de coopération');
    cardId = board.addProposal(columnId, { title: PROPOSAL, createdBy: me.id });
    board.actions.create({ title: ACTION, ownerId: null, ownerName: 'Ana', department: null, dueDate: null, source: 'manual', sourceId: null, sourceLabel: '' });
    const check = connectClient(url, boardId, token);
    await eventually(() => new BoardDoc(check.doc).actions.list().length === 1 && new BoardDoc(check.doc).listColumns().length === 1, SYNC_TIMEOUT, 'board stored');
    client.provider.destroy();
    check.provider.destroy();
    const invite = await api<{ url: string }>(url, `/api/boards/${boardId}/guest-invites`, {
      method: 'POST',
      token,
      body: { role: 'commenter', label: 'FEUP', expiresInHours: 24 },
    });
    expect(invite.status).toBe(201);
    inviteUrl = invite.body.url;
    guest = await ctx.newPage({ width: 1440, height: 900, locale: 'en-GB' });
    // The SRI reads the interface in English; the board is written in French (the workspace's language).
    sri = await ctx.newPage({ width: 1440, height: 900, locale: 'en-GB' });
  });

  it('the guest joins in their browser’s language and is shown by their name’s initials', async () => {
    await guest.goto(inviteUrl);
    await guest.getByTestId('guest-name').fill(GUEST_NAME);
    await guest.getByTestId('guest-join-submit').click();
    await guest.waitForURL(`${ctx.server.url}/boards/${boardId}`);
    await waitSynced(guest);
    expect(await guest.evaluate(() => document.documentElement.lang)).toBe('en');
    const me = guest.locator('[data-testid="avatar"][data-me="true"]');
    await me.waitFor();
    expect((await me.textContent())?.trim()).toBe('AS');
    await shoot(guest, '01-guest-board-en-1440');
  });

  it('the guest switches to French without a refusal, and keeps it after a reload', async () => {
    const patch = guest.waitForResponse((response) => response.url().endsWith('/api/auth/me') && response.request().method() === 'PATCH');
    await guest.getByTestId('locale-switch').selectOption('fr');
    expect((await patch).status()).toBe(200);
    await settle(guest);
    expect(await guest.getByTestId('error-toast').count()).toBe(0);
    // Saved for the guest on the server, not only in this browser: forget the browser's copy first.
    await guest.evaluate(() => localStorage.clear());
    await guest.reload();
    await waitSynced(guest);
    expect(await guest.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await guest.getByTestId('locale-switch').inputValue()).toBe('fr');
  });

  it('the guest’s proposal drawer sends them to no page they cannot open', async () => {
    await guest.locator(`[data-testid="card"][data-card-id="${cardId}"]`).click();
    const drawer = guest.getByTestId('proposal-detail');
    await drawer.waitFor();
    await guest.getByTestId('proposal-priorities').waitFor();
    expect(await drawer.getByTestId('proposal-partners-field').count()).toBe(0);
    const text = (await drawer.textContent()) ?? '';
    expect(text).not.toContain('page des partenaires');
    expect(text).not.toContain('partners page');
    await shoot(guest, '02-guest-proposal-fr-1440');
    await guest.setViewportSize({ width: 390, height: 844 });
    await shoot(guest, '03-guest-proposal-fr-390');
    await guest.getByTestId('card-close').click();
  });

  it('the guest’s actions table has no edit-or-delete column', async () => {
    await guest.getByTestId('view-tab-actions').click();
    const row = guest.getByTestId('action-row');
    await expect.poll(() => row.getByTestId('action-row-title').allTextContents(), { timeout: SYNC_TIMEOUT }).toEqual([ACTION]);
    expect(await guest.getByTestId('actions-row-actions-heading').count()).toBe(0);
    expect(await guest.locator('[data-testid="actions"] thead th').count()).toBe(6);
    expect(await row.locator('td').count()).toBe(6);
    expect(await guest.getByTestId('actions').textContent()).not.toMatch(/Modifier ou supprimer|Edit or delete/);
    await shoot(guest, '04-guest-actions-fr-390');
    await guest.getByTestId('locale-switch').selectOption('en');
    await shoot(guest, '05-guest-actions-en-390');
    await guest.setViewportSize({ width: 1440, height: 900 });
    await shoot(guest, '06-guest-actions-en-1440');
    await guest.getByTestId('view-tab-board').click();
  });

  it('a capture names the column it went into; ending the meeting closes its tools on both screens', async () => {
    await signIn(sri, ctx.server.url, ADMIN);
    await sri.goto(`${ctx.server.url}/boards/${boardId}`);
    await waitSynced(sri);
    await sri.getByTestId('meeting-start').click();
    await sri.getByTestId('meeting-tools').waitFor();
    await guest.getByTestId('meeting-tools-toggle').waitFor({ timeout: SYNC_TIMEOUT });
    await guest.getByTestId('meeting-tools-toggle').click();
    await guest.getByTestId('meeting-tools').waitFor();

    await sri.getByTestId('capture-title').fill('Renouveler l’accord');
    await sri.getByTestId('capture-submit').click();
    const toast = sri.getByTestId('capture-toast');
    await toast.waitFor();
    // The board is French: the column is « Décisions », and the English toast names it as it is.
    expect(await toast.textContent()).toContain('Recorded in the “Décisions” column.');
    const decisions = sri.getByTestId('column-title').getByText('Décisions', { exact: true });
    await decisions.waitFor({ timeout: SYNC_TIMEOUT });
    await shoot(sri, '07-sri-capture-en-1440');
    await shoot(guest, '08-guest-tools-en-1440');

    sri.once('dialog', (dialog) => void dialog.accept());
    await sri.getByTestId('meeting-end').click();
    await expect.poll(() => sri.getByTestId('meeting-tools').count(), { timeout: SYNC_TIMEOUT }).toBe(0);
    await expect.poll(() => guest.getByTestId('meeting-tools').count(), { timeout: SYNC_TIMEOUT }).toBe(0);
    await shoot(guest, '09-guest-meeting-ended-en-1440');
  });
});

/** Lets the page handle what it has received: a task and two animation frames. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => resolve())), 0)));
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `guest-${name}.png`) });
}
