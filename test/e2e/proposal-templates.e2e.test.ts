/**
 * An administrator adapts a proposal template on `/settings/templates` in Debian's Chromium, against
 * the built server, on a wide screen and a phone; a proposal created from it shows its progress on
 * its card, which follows a change made by another client live.
 *
 * The steps run in order and share one server: each `it` names the behaviour it proves.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ProposalDoc, proposalDocName } from '@passerelle/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, browserRunPerFile, signIn, waitSynced } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';
import { stockClient, synced, syncUrlOf } from '../helpers/stock-client.js';
import { api, apiWithCookie, eventually, login } from '../helpers/test-server.js';

const SHIPPED_ID = 'cooperation-partnership-hed';
const COPY_ID = `${SHIPPED_ID}-copy`;

describe('proposal templates adapted by an administrator, and the progress on a proposal’s card', () => {
  const e2e = browserRunPerFile();
  let admin: Page;
  let boardId: string;
  let token: string;

  beforeAll(async () => {
    const cookie = await login(e2e.server.url);
    const board = await apiWithCookie(e2e.server.url, cookie)<{ id: string }>('/api/boards', { method: 'POST', body: { title: 'Partenariats 2027' } });
    expect(board.status).toBe(201);
    boardId = board.body.id;
    token = (await api<{ token: string }>(e2e.server.url, '/api/tokens', { method: 'POST', body: { name: 'e2e' }, cookie })).body.token;
    admin = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
  });

  it('the administrator finds the shipped templates, read-only, from the administration tabs', async () => {
    await signIn(admin, e2e.server.url, ADMIN);
    await admin.goto(`${e2e.server.url}/settings/people`);
    await admin.getByTestId('admin-tab-templates').click();
    await admin.getByTestId('templates-page').waitFor();
    const shipped = admin.locator('[data-testid="template-card"][data-built-in="true"]');
    await expect.poll(() => shipped.count()).toBe(5);
    expect(await shipped.first().getByTestId('template-edit').count()).toBe(0);
    expect(await shipped.first().getByTestId('template-delete').count()).toBe(0);
  });

  it('copies a shipped template, and a bad limit is refused in French next to its field', async () => {
    await admin.locator(`[data-template-id="${SHIPPED_ID}"]`).getByTestId('template-copy').click();
    const editor = admin.getByTestId('template-editor');
    await editor.waitFor();
    await editor.getByTestId('template-name-fr').fill('Partenariat ESCOM – chimie verte');
    await editor.getByTestId('template-name-en').fill('ESCOM partnership – green chemistry');
    await editor.getByTestId('template-add-section').click();
    const added = editor.getByTestId('template-section').last();
    await added.getByTestId('template-section-title-fr').fill('Plan de mobilité');
    await added.getByTestId('template-section-title-en').fill('Mobility plan');
    await added.getByTestId('template-section-guidance-fr').fill('Les flux prévus par année et par niveau.');
    await added.getByTestId('template-section-guidance-en').fill('The planned flows per year and level.');
    await added.getByTestId('template-section-limit').fill('beaucoup');
    await editor.getByTestId('template-save').click();
    await expect.poll(() => added.locator('.field-error').first().textContent()).toBe('La limite de caractères est un nombre entier de 1 à 1\u202f000\u202f000, ou vide s’il n’y en a pas.');
    await screenshot(admin, '01-refused-1440');

    await added.getByTestId('template-section-limit').fill('1500');
    await added.getByTestId('template-section-up').click();
    await editor.getByTestId('template-save').click();
    await admin.getByTestId('template-saved').waitFor();
    const copy = admin.locator(`[data-template-id="${COPY_ID}"]`);
    await copy.waitFor();
    // The copy was listed under its first name as soon as it was made: the list follows the save.
    await expect.poll(() => copy.locator('h2').textContent(), { timeout: 10_000 }).toBe('Partenariat ESCOM – chimie verte');
    await screenshot(admin, '02-list-1440');
  });

  it('reads and works on a phone’s width without scrolling sideways', async () => {
    const phone = await e2e.newPage({ width: 390, height: 844, locale: 'en-GB' });
    await signIn(phone, e2e.server.url, ADMIN);
    await phone.goto(`${e2e.server.url}/settings/templates`);
    await phone.locator(`[data-template-id="${COPY_ID}"]`).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, '03-list-390');
    await phone.locator(`[data-template-id="${COPY_ID}"]`).getByTestId('template-edit').click();
    await phone.getByTestId('template-editor').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, '04-editor-390');
  });

  it('a proposal created from the copy shows its progress on its card, and follows another client’s change live', async () => {
    const sectionCount = (await api<{ template: { sections: unknown[] } }>(e2e.server.url, `/api/templates/${COPY_ID}`, { token })).body.template.sections.length;
    await admin.goto(`${e2e.server.url}/boards/${boardId}`);
    await waitSynced(admin);
    await admin.getByTestId('add-column-input').fill('Projets');
    await admin.getByTestId('add-column-input').press('Enter');
    await admin.getByTestId('add-proposal-button').click();
    await admin.getByTestId('new-proposal-title').fill('GREENPATH');
    await admin.getByTestId('new-proposal-template').selectOption(COPY_ID);
    await admin.getByTestId('new-proposal-submit').click();
    await admin.getByTestId('proposal-detail').waitFor();
    expect(await admin.getByTestId('proposal-template').inputValue()).toBe(COPY_ID);

    const card = admin.locator('[data-testid="card"][data-kind="proposal"]');
    const progress = card.getByTestId('proposal-progress');
    await expect.poll(() => progress.textContent(), { timeout: 10_000 }).toContain(`0/${sectionCount} terminées`);
    const cardId = (await card.getAttribute('data-card-id'))!;

    // Another client opens the proposal's document (its sections come from the copy) and marks one done.
    const client = stockClient(syncUrlOf(e2e.server.url), proposalDocName(boardId, cardId), { params: { token } });
    try {
      await synced(client.provider);
      const proposal = new ProposalDoc(client.doc);
      await eventually(() => proposal.list().length > 0, 5000, 'sections created');
      expect(proposal.templateId).toBe(COPY_ID);
      proposal.setStatus(proposal.list()[0]!.id, 'done');
      await expect.poll(() => progress.textContent(), { timeout: 10_000 }).toContain(`1/${sectionCount} terminées`);
      // Once the document exists the drawer names the template instead of offering a choice.
      await admin.getByTestId('proposal-template-locked').waitFor();
      await screenshot(admin, '05-card-progress-1440');
    } finally {
      client.provider.destroy();
    }

    // The pipeline's card shows it too, and so does a phone.
    await admin.goto(`${e2e.server.url}/boards/${boardId}?view=pipeline`);
    await expect.poll(() => admin.getByTestId('pipeline-card').getByTestId('proposal-progress').textContent(), { timeout: 10_000 }).toContain(`1/${sectionCount} terminées`);
    const phone = await e2e.newPage({ width: 390, height: 844, locale: 'en-GB' });
    await signIn(phone, e2e.server.url, ADMIN);
    await phone.goto(`${e2e.server.url}/boards/${boardId}`);
    await expect.poll(() => phone.getByTestId('proposal-progress').textContent(), { timeout: 10_000 }).toContain(`1/${sectionCount} done`);
    await screenshot(phone, '06-card-progress-390');
  });

  it('deletes the copy after confirming, saying proposals keep their sections', async () => {
    await admin.goto(`${e2e.server.url}/settings/templates`);
    await admin.locator(`[data-template-id="${COPY_ID}"]`).getByTestId('template-delete').click();
    const dialog = admin.getByTestId('template-delete-dialog');
    expect(await dialog.textContent()).toContain('gardent leurs sections');
    await dialog.getByTestId('template-delete-confirm').click();
    await admin.getByTestId('template-deleted').waitFor();
    await expect.poll(() => admin.locator(`[data-template-id="${COPY_ID}"]`).count()).toBe(0);
  });

  it('the audit log lists the administrator’s copy, edit and deletion of the template, the refused edit left out', async () => {
    await admin.goto(`${e2e.server.url}/settings/audit`);
    const rows = admin.getByTestId('audit-row');
    const templateRows = () => rows.evaluateAll((found) => found.map((row) => row.getAttribute('data-type')).filter((type) => type?.startsWith('template_')));
    await expect.poll(templateRows, { timeout: 10_000 }).toEqual(['template_deleted', 'template_edited', 'template_copied']);
    const edited = rows.filter({ has: admin.locator('[data-kind]', { hasText: 'Modèle de projet modifié' }) });
    expect(await edited.count()).toBe(1);
    expect(await edited.textContent()).toContain('modèle : Partenariat ESCOM – chimie verte');
    expect(await rows.filter({ hasText: 'Modèle de projet copié' }).textContent()).toContain(SHIPPED_ID);
    await admin.getByTestId('audit-type').selectOption('template_deleted');
    await expect.poll(async () => rows.evaluateAll((found) => found.map((row) => row.getAttribute('data-type')))).toEqual(['template_deleted']);
    await screenshot(admin, '05-audit-fr');
  });
});

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `templates-${name}.png`), fullPage: true });
}
