/**
 * Spreadsheets in and out, in Debian's Chromium with two people in separate browser contexts: one
 * downloads the partners as XLSX, changes a row in the file, imports it back with a dry run that
 * shows the change, applies it, and the other sees the change live in their directory.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_DOC, WorkspaceDoc } from '@passerelle/shared';
import { SCREENSHOT_DIR, browserRunPerFile, signIn } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';
import { adminToken, connectClient, createUser, login, synced } from '../helpers/test-server.js';

const BRUNO = { email: 'bruno.lefevre@example.org', password: 'tulipe-de-delft-2025', name: 'Bruno Lefèvre' } as const;
const SYNC_TIMEOUT = 10_000;

describe('partners exported to XLSX, changed and imported back', () => {
  const e2e = browserRunPerFile({ DEMO_WORKSPACE: 'false' });
  const files = mkdtempSync(join(tmpdir(), 'passerelle-sheets-'));
  let alice: Page;
  let bruno: Page;

  beforeAll(async () => {
    const url = e2e.server.url;
    await createUser(url, await login(url), BRUNO);
    // The workspace's partners, written as a colleague's browser would.
    const client = connectClient(url, WORKSPACE_DOC, await adminToken(url));
    await synced(client.provider);
    const workspace = new WorkspaceDoc(client.doc);
    workspace.partners.create({ name: 'Universidade do Porto', region: 'eu', country: 'PT', city: 'Porto', erasmusCode: 'P  PORTO02', specialties: ['Chimie'] });
    workspace.partners.create({ name: 'Université Laval', region: 'north_america', country: 'CA', city: 'Québec' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    client.provider.destroy();

    alice = await e2e.newPage({ width: 1280, height: 900, locale: 'fr-FR' });
    bruno = await e2e.newPage({ width: 1280, height: 900, locale: 'fr-FR' });
    await signIn(alice, url, ADMIN);
    await signIn(bruno, url, BRUNO);
  });
  afterAll(() => rmSync(files, { recursive: true, force: true }));

  it('exports the partners to XLSX, imports a changed row with a dry run, applies it, and the change shows live in another browser', async () => {
    await alice.goto(`${e2e.server.url}/partners`);
    await bruno.goto(`${e2e.server.url}/partners`);
    const porto = (page: Page) => page.getByTestId('partner-card').filter({ has: page.getByTestId('partner-card-name').getByText('Universidade do Porto', { exact: true }) });
    await porto(bruno).waitFor({ timeout: SYNC_TIMEOUT });

    const [download] = await Promise.all([alice.waitForEvent('download'), alice.getByTestId('sheet-download-partners-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^Partenaires \d{4}-\d{2}-\d{2}\.xlsx$/);
    const exported = join(files, 'partenaires.xlsx');
    await download.saveAs(exported);

    // The person edits the file in their spreadsheet: the city of Porto's row.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(exported) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const headings = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headings.slice(0, 2)).toEqual(['Nom', 'Nom dans sa langue']);
    const cityColumn = headings.indexOf('Ville') + 1;
    let portoRow = 0;
    sheet.eachRow((row, number) => {
      if (row.getCell(1).value === 'Universidade do Porto') portoRow = number;
    });
    expect(portoRow).toBeGreaterThan(1);
    sheet.getRow(portoRow).getCell(cityColumn).value = 'Porto (Asprela)';
    const changed = join(files, 'partenaires-modifiés.xlsx');
    writeFileSync(changed, Buffer.from(await workbook.xlsx.writeBuffer()));

    await alice.getByTestId('sheet-import-partners').click();
    const dialog = alice.getByTestId('sheet-import');
    await dialog.getByTestId('sheet-import-file').setInputFiles(changed);
    await expect.poll(() => dialog.getByTestId('sheet-import-map-0').inputValue(), { timeout: SYNC_TIMEOUT }).toBe('name');
    expect(await dialog.getByTestId(`sheet-import-map-${cityColumn - 1}`).inputValue()).toBe('city');
    await expect.poll(() => dialog.getByTestId('sheet-import-apply').isDisabled()).toBe(true);
    // The person leaves the PIC out of this import; their choice is remembered for the next one.
    const picColumn = headings.findIndex((heading) => String(heading).startsWith('PIC'));
    await dialog.getByTestId(`sheet-import-map-${picColumn}`).selectOption('');

    await dialog.getByTestId('sheet-import-dry-run').click();
    await expect.poll(() => dialog.getByTestId('sheet-import-summary').textContent(), { timeout: SYNC_TIMEOUT }).toBe('0 à créer, 1 à modifier, 1 inchangées, 0 en erreur');
    const update = dialog.locator('[data-testid="sheet-import-row"][data-action="update"]');
    expect(await update.textContent()).toContain('Ville : « Porto » → « Porto (Asprela) »');
    await alice.screenshot({ path: join(SCREENSHOT_DIR, 'sheets-import-dry-run-fr.png') });
    // Nothing changed yet, for anyone.
    expect(await porto(bruno).locator('.place').textContent()).toContain('Porto, PT');

    await dialog.getByTestId('sheet-import-apply').click();
    await expect.poll(() => dialog.getByTestId('sheet-import-applied').textContent(), { timeout: SYNC_TIMEOUT }).toBe('Import appliqué : 0 créations, 1 modifications.');
    await expect.poll(() => porto(bruno).locator('.place').textContent(), { timeout: SYNC_TIMEOUT }).toContain('Porto (Asprela), PT');
    await bruno.screenshot({ path: join(SCREENSHOT_DIR, 'sheets-import-live-fr.png') });

    // The next import of partners starts from this person's own choice of columns.
    await alice.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await alice.getByTestId('sheet-import-partners').click();
    await dialog.getByTestId('sheet-import-file').setInputFiles(changed);
    await expect.poll(() => dialog.getByTestId('sheet-import-map-0').inputValue(), { timeout: SYNC_TIMEOUT }).toBe('name');
    expect(await dialog.getByTestId(`sheet-import-map-${picColumn}`).inputValue()).toBe('');
  });
});
