/**
 * An agreement in the EWP network, in Debian's Chromium against the built server with the demo
 * workspace: what approval still needs, in French and in English; the IIA downloaded and read back
 * with no difference; a partner's changed file shown beside ours and applied only on request; a
 * bad file refused with a message in the person's language.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, signIn, browserRunPerFile } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';

const PORTO = 'Universidade do Porto – Faculdade de Engenharia';
const DORTMUND = 'Technische Universität Dortmund';
/** How long the synced workspace and the server's answers may take on a loaded machine. */
const UI_TIMEOUT = 15_000;

function partnerCard(page: Page, name: string): Locator {
  return page.getByTestId('partner-card').filter({ has: page.getByTestId('partner-card-name').getByText(name, { exact: true }) });
}

async function openAgreement(page: Page, baseUrl: string, partner: string): Promise<Locator> {
  await page.goto(`${baseUrl}/partners`);
  await partnerCard(page, partner).getByTestId('agreement-edit').first().click();
  const form = page.getByTestId('agreement-form');
  await form.waitFor();
  return form;
}

describe('agreements in EWP, in the browser', () => {
  const e2e = browserRunPerFile({ DEMO_WORKSPACE: 'true', DEMO_LANGUAGE: 'fr' });
  let page: Page;

  beforeAll(async () => {
    page = await e2e.newPage({ width: 1280, height: 900, locale: 'fr-FR' });
    await signIn(page, e2e.server.url, ADMIN);
  });

  it('lists what an agreement still lacks before approval, in French and in English', async () => {
    const form = await openAgreement(page, e2e.server.url, DORTMUND);
    await expect.poll(() => form.getByTestId('ewp-missing').locator('li').allTextContents(), { timeout: UI_TIMEOUT }).toEqual(['L’identifiant de cet accord chez le partenaire']);
    await form.getByTestId('partnerSide-iia-id').fill('tu-do 17');
    await expect.poll(() => form.getByTestId('ewp-missing').locator('li').allTextContents(), { timeout: UI_TIMEOUT }).toEqual(['L’identifiant de cet accord chez le partenaire']);
    await form.getByTestId('partnerSide-iia-id').fill('tudo-17');
    await form.getByTestId('ewp-missing-none').waitFor({ timeout: UI_TIMEOUT });

    const english = await e2e.newPage({ width: 1280, height: 900, locale: 'en-GB' });
    await signIn(english, e2e.server.url, ADMIN);
    const englishForm = await openAgreement(english, e2e.server.url, DORTMUND);
    await expect.poll(() => englishForm.getByTestId('ewp-missing').locator('li').allTextContents(), { timeout: UI_TIMEOUT }).toEqual(['The partner’s id of this agreement']);
    await english.context().close();
  });

  it('downloads the agreement’s IIA and reads it back with no difference, then shows a partner’s change and applies it only on request', async () => {
    const form = await openAgreement(page, e2e.server.url, PORTO);
    await form.getByTestId('ewp-missing-none').waitFor({ timeout: UI_TIMEOUT });
    const [download] = await Promise.all([page.waitForEvent('download'), form.getByTestId('iia-export').click()]);
    const ours = readFileSync((await download.path())!, 'utf8');
    expect(ours).toContain('<hei-id>up.pt</hei-id>');

    await form.getByTestId('iia-import').setInputFiles({ name: 'porto.xml', mimeType: 'application/xml', buffer: Buffer.from(ours) });
    await expect.poll(() => form.getByTestId('iia-difference-count').textContent(), { timeout: UI_TIMEOUT }).toBe('« porto.xml » correspond à notre accord : aucune différence.');
    expect(await form.getByTestId('iia-row-differs').count()).toBe(0);
    expect(await form.getByTestId('iia-apply').isDisabled()).toBe(true);

    const theirs = ours.replace('<total-months-per-year>10</total-months-per-year>', '<total-months-per-year>12</total-months-per-year>');
    const file = join(tmpdir(), `porto-partner-${Date.now()}.xml`);
    writeFileSync(file, theirs);
    await form.getByTestId('iia-import').setInputFiles(file);
    await expect.poll(() => form.getByTestId('iia-difference-count').textContent(), { timeout: UI_TIMEOUT }).toMatch(/^1 différence\(s\) avec/);
    expect(await form.getByTestId('iia-row-differs').locator('td').allTextContents()).toEqual(['10', '12']);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'agreements-ewp-comparison-fr.png'), fullPage: true });

    // Nothing is written by the comparison itself.
    const before = await (await page.request.get(`${e2e.server.url}/api/agreements`)).json();
    const portoId = (before as { agreements: { id: string; partner: { name: string } | null }[] }).agreements.find((a) => a.partner?.name === PORTO)!.id;
    expect(await (await page.request.get(`${e2e.server.url}/api/agreements/${portoId}/iia.xml`)).text()).toBe(ours);

    await form.getByTestId('iia-apply').click();
    await page.getByTestId('iia-applied').waitFor();
    await expect.poll(async () => (await page.request.get(`${e2e.server.url}/api/agreements/${portoId}/iia.xml`)).text()).toContain('<total-months-per-year>12</total-months-per-year>');
  });

  it('refuses a file that is not an IIA with a message in French', async () => {
    const form = await openAgreement(page, e2e.server.url, PORTO);
    await form.getByTestId('iia-import').setInputFiles({ name: 'notes.xml', mimeType: 'application/xml', buffer: Buffer.from('<notes><note>x</note>') });
    await expect.poll(() => form.getByTestId('iia-import-problems').textContent(), { timeout: UI_TIMEOUT }).toContain('Le fichier n’est pas un XML bien formé');
    expect(await form.getByTestId('iia-comparison').count()).toBe(0);
  });
});
