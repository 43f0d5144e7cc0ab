/**
 * Two people use the workspace views (partners, agreements, mobility, table, search) at the same
 * time in Debian's Chromium, in two separate browser contexts, against the built server started
 * with an empty workspace. The steps run in order and share one workspace: each `it` names the
 * behaviour it proves.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, signIn, browserRunPerFile } from '../helpers/browser.js';
import { holdSync } from '../helpers/stored-board.js';
import { ADMIN } from '../helpers/server-process.js';
import { adminToken, apiWithCookie, connectClient, createBoard, createUser, login, synced } from '../helpers/test-server.js';
import { BoardDoc } from '@passerelle/shared';

const BRUNO = { email: 'bruno.lefevre@example.org', password: 'tulipe-de-delft-2025', name: 'Bruno Lefèvre' } as const;

/** How long a change may take to cross from one browser to the other. */
const SYNC_TIMEOUT = 10_000;

describe('the workspace views, live in two browsers', () => {
  const e2e = browserRunPerFile({ DEMO_WORKSPACE: 'false' });
  let alice: Page;
  let bruno: Page;

  beforeAll(async () => {
    await createPerson(e2e.server.url);
    alice = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    bruno = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    await signIn(alice, e2e.server.url, ADMIN);
    await signIn(bruno, e2e.server.url, BRUNO);
  });

  it('a partner created in one browser appears live in the other’s directory, under its region', async () => {
    await alice.goto(`${e2e.server.url}/partners`);
    await bruno.goto(`${e2e.server.url}/partners`);
    await bruno.getByTestId('partners-empty').waitFor({ timeout: SYNC_TIMEOUT });

    await createPartner(alice, { name: 'Technische Universiteit Delft', country: 'NL', city: 'Delft', specialties: 'Génie des procédés, Chimie verte', pic: '999976790' });
    await createPartner(alice, { name: 'Université Laval', country: 'CA', city: 'Québec', specialties: 'Chimie verte' });

    const europe = bruno.locator('[data-testid="region-group"][data-region="eu"]');
    await expect.poll(() => europe.getByTestId('partner-card-name').allTextContents(), { timeout: SYNC_TIMEOUT }).toEqual(['Technische Universiteit Delft']);
    const northAmerica = bruno.locator('[data-testid="region-group"][data-region="north_america"]');
    await expect.poll(() => northAmerica.getByTestId('partner-card-name').allTextContents(), { timeout: SYNC_TIMEOUT }).toEqual(['Université Laval']);
    expect(await europe.getByTestId('partner-card-pic').textContent()).toBe('999976790');
    await screenshot(bruno, 'partners-live-fr');
  });

  it('the directory filters partners by region and by specialty, and shows them all again once cleared', async () => {
    const names = () => bruno.getByTestId('partner-card-name').allTextContents();
    await bruno.getByTestId('partner-filter-region').selectOption('north_america');
    await expect.poll(names, { timeout: SYNC_TIMEOUT }).toEqual(['Université Laval']);
    await bruno.getByTestId('partner-filter-region').selectOption('');
    await bruno.getByTestId('partner-filter-specialty').selectOption('Génie des procédés');
    await expect.poll(names, { timeout: SYNC_TIMEOUT }).toEqual(['Technische Universiteit Delft']);
    await bruno.getByTestId('partner-filter-specialty').selectOption('');
    await expect.poll(async () => (await names()).sort(), { timeout: SYNC_TIMEOUT }).toEqual(['Technische Universiteit Delft', 'Université Laval']);
  });

  it('an invalid PIC shows the translated message next to the field and is not saved', async () => {
    await alice.getByTestId('partner-new').click();
    const form = alice.getByTestId('partner-form');
    await form.getByTestId('partner-name').fill('Universidade Estadual de Campinas');
    await form.getByTestId('partner-country').fill('BR');
    await form.getByTestId('partner-pic').fill('12345');
    await expect.poll(() => form.getByTestId('field-error-pic').textContent()).toBe('Un PIC compte 9 chiffres.');
    await screenshot(alice, 'partner-invalid-pic-fr');

    await form.getByTestId('partner-save').click();
    await expect.poll(() => form.getByTestId('form-error').isVisible()).toBe(true);
    await alice.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    await alice.waitForTimeout(500);
    expect(await partnerNames(bruno)).toEqual(['Technische Universiteit Delft', 'Université Laval']);
  });

  it('a double-degree plan with 2 semesters in France shows the failing CTI explanation, and passes with 3', async () => {
    await partnerCard(alice, 'Université Laval').getByTestId('partner-add-agreement').click();
    const form = alice.getByTestId('agreement-form');
    await form.getByTestId('agreement-title').fill('Double diplôme ESCOM – Laval');
    await form.getByTestId('agreement-type').selectOption('double_degree');
    await form.getByTestId('agreement-status').selectOption('negotiation');
    await setPlan(form, ['france', 'france', 'partner', 'partner']);

    const check = form.getByTestId('cti-check');
    await expect.poll(() => check.getAttribute('data-ok')).toBe('false');
    expect(await check.textContent()).toContain('Seulement 2 semestres en France : la CTI en exige au moins 3.');
    await screenshot(alice, 'cti-failing-fr');

    await form.getByTestId('semester-select').nth(2).selectOption('france');
    await expect.poll(() => check.getAttribute('data-ok')).toBe('true');
    expect(await check.textContent()).toContain('3 semestres en France (au moins 3), 1 chez le partenaire');
    await form.getByTestId('agreement-save').click();
    await form.waitFor({ state: 'detached' });

    const brunoAgreement = partnerCard(bruno, 'Université Laval').getByTestId('agreement-item');
    await expect.poll(() => brunoAgreement.getByTestId('agreement-title-text').allTextContents(), { timeout: SYNC_TIMEOUT }).toEqual(['Double diplôme ESCOM – Laval']);
    expect(await brunoAgreement.getByTestId('cti-check').getAttribute('data-ok')).toBe('true');
  });

  it('the CTI minimum changed in the workspace settings re-checks every plan live', async () => {
    await bruno.goto(`${e2e.server.url}/settings/workspace`);
    await bruno.getByTestId('cti-min-semesters').fill('4');
    await bruno.getByTestId('cti-min-semesters').press('Tab');
    const aliceCheck = partnerCard(alice, 'Université Laval').getByTestId('cti-check');
    await expect.poll(() => aliceCheck.getAttribute('data-ok'), { timeout: SYNC_TIMEOUT }).toBe('false');
    await screenshot(bruno, 'settings-fr');
    await bruno.getByTestId('cti-min-semesters').fill('3');
    await bruno.getByTestId('cti-min-semesters').press('Tab');
    await expect.poll(() => aliceCheck.getAttribute('data-ok'), { timeout: SYNC_TIMEOUT }).toBe('true');
  });

  it('the settings can be changed only once the stored ones are here, and a change made then is kept', async () => {
    // A browser with no copy of the workspace, whose connection is held: the stored settings are not here yet.
    const carla = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    try {
      const held = await holdSync(carla);
      await signIn(carla, e2e.server.url, BRUNO);
      await carla.goto(`${e2e.server.url}/settings/workspace`);
      const minimum = carla.getByTestId('cti-min-semesters');
      await minimum.waitFor();
      await expect.poll(() => held.held).toBeGreaterThan(0);
      // Defaults shown meanwhile cannot be typed over (a value written then could lose to the stored one).
      for (const testId of ['cti-min-semesters', 'content-language', 'institution-name', 'institution-schac', 'institution-erasmus-code']) {
        expect(await carla.getByTestId(testId).isDisabled(), testId).toBe(true);
      }
      await held.release();
      await expect.poll(() => minimum.isEnabled(), { timeout: SYNC_TIMEOUT }).toBe(true);
      expect(await minimum.inputValue()).toBe('3');
      // Each section drawn alike: headings of one size, and the institution's fields apart from each other.
      const headings = await carla.getByTestId('workspace-settings').locator('.surface-card h2').evaluateAll((titles) => titles.map((title) => getComputedStyle(title).fontSize));
      expect(headings.length).toBeGreaterThan(2);
      expect(new Set(headings).size).toBe(1);
      const fields = await carla.getByTestId('ewp-institution').locator('label.field').evaluateAll((labels) => labels.map((label) => label.getBoundingClientRect()));
      for (let i = 1; i < fields.length; i++) expect(fields[i]!.top - fields[i - 1]!.bottom).toBeGreaterThanOrEqual(8);
      await minimum.fill('5');
      await minimum.press('Tab');
      const aliceCheck = partnerCard(alice, 'Université Laval').getByTestId('cti-check');
      await expect.poll(() => aliceCheck.getAttribute('data-ok'), { timeout: SYNC_TIMEOUT }).toBe('false');
      await minimum.fill('3');
      await minimum.press('Tab');
      await expect.poll(() => aliceCheck.getAttribute('data-ok'), { timeout: SYNC_TIMEOUT }).toBe('true');
    } finally {
      await carla.context().close();
    }
  });

  it('a mobility flow added in one browser updates the dashboard in the other', async () => {
    await alice.goto(`${e2e.server.url}/mobility`);
    await bruno.goto(`${e2e.server.url}/mobility`);
    await addFlow(alice, { year: '2024/2025', direction: 'outgoing', population: 'student', purpose: 'study', planned: 6, realised: 6 });
    await addFlow(alice, { year: '2024/2025', direction: 'outgoing', population: 'student', purpose: 'internship', planned: 30, realised: 28 });

    const plannedRealised = bruno.locator('[data-testid="mobility-chart"][data-chart="planned-realised"]');
    await expect.poll(() => chartRow(plannedRealised, '2024/2025'), { timeout: SYNC_TIMEOUT }).toEqual(['36', '34']);
    // No target yet: no chart against targets.
    expect(await bruno.locator('[data-testid="mobility-chart"][data-chart="targets"]').count()).toBe(0);

    // A target for outgoing study mobility is measured against those flows only, not the internships.
    await alice.getByTestId('target-new').click();
    const targetForm = alice.getByTestId('target-form');
    await targetForm.getByTestId('target-year').selectOption('2024/2025');
    await targetForm.getByTestId('target-direction').selectOption('outgoing');
    await targetForm.getByTestId('target-population').selectOption('student');
    await targetForm.getByTestId('target-purpose').selectOption('study');
    await targetForm.getByTestId('target-value').fill('8');
    await targetForm.getByTestId('target-save').click();
    await targetForm.waitFor({ state: 'detached' });
    const againstTargets = bruno.locator('[data-testid="mobility-chart"][data-chart="targets"]');
    await expect.poll(() => chartRow(againstTargets, '2024/2025'), { timeout: SYNC_TIMEOUT }).toEqual(['6', '6', '8']);
    expect(await chartRow(plannedRealised, '2024/2025')).toEqual(['36', '34']);
    const targetRow = bruno.getByTestId('target-row');
    expect(await targetRow.getByTestId('target-planned').textContent()).toBe('6');
    expect(await targetRow.getByTestId('target-realised').textContent()).toBe('6');

    await addFlow(alice, { year: '2025/2026', direction: 'outgoing', population: 'apprentice', purpose: 'internship', planned: 4 });
    const apprentices = bruno.locator('[data-testid="mobility-chart"][data-chart="apprentices"]');
    await expect.poll(() => chartRow(apprentices, '2025/2026'), { timeout: SYNC_TIMEOUT }).toEqual(['4', '–']);
    expect(await bruno.getByTestId('flow-row').count()).toBe(3);
    expect(await apprentices.getByTestId('chart-summary').getAttribute('aria-label')).toContain('2025/2026');
    await bruno.waitForTimeout(400);
    await screenshot(bruno, 'mobility-live-fr');
  });

  it('the table sorts by a clicked column and groups by a closed-list column with counts', async () => {
    await alice.goto(`${e2e.server.url}/table?type=flows`);
    const table = alice.getByTestId('record-table');
    await table.getByTestId('sort-planned').click();
    expect(await columnValues(table, 7)).toEqual(['4', '6', '30']);
    await table.getByTestId('sort-planned').click();
    expect(await columnValues(table, 7)).toEqual(['30', '6', '4']);

    await alice.getByTestId('table-group-by').selectOption('purpose');
    const groups = table.getByTestId('table-group');
    await expect.poll(() => groups.evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-group')}:${row.getAttribute('data-count')}`))).toEqual([
      'study:1',
      'internship:2',
    ]);
    expect(await groups.first().textContent()).toContain('Études');
    await screenshot(alice, 'table-grouped-fr');

    await alice.getByTestId('table-type-partners').click();
    await table.getByTestId('column-filter-region').selectOption('north_america');
    await expect.poll(() => columnValues(table, 0)).toEqual(['Université Laval']);
  });

  it('search finds the partner from the header search box, and links to it', async () => {
    await alice.getByTestId('header-search').fill('delft');
    await alice.getByTestId('header-search').press('Enter');
    await alice.waitForURL(/\/search\?q=delft/);
    const result = alice.locator('[data-testid="search-result"][data-kind="partner"]');
    await expect.poll(() => result.allTextContents()).toEqual([expect.stringContaining('Technische Universiteit Delft')]);
    // The matched word is marked, as written (in the name and in the city).
    const marks = await result.locator('mark').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    expect(new Set(marks)).toEqual(new Set(['Delft']));
    await screenshot(alice, 'search-fr');
    await result.getByRole('link').click();
    await alice.waitForURL(/\/partners\?partner=/);
    await alice.getByTestId('partners').waitFor();
  });

  it('board content written by a sync client is found by search, opens its card, and lists live in the table', async () => {
    const token = await adminToken(e2e.server.url);
    const boardId = await createBoard(e2e.server.url, token, 'Afrique centrale');
    const writer = connectClient(e2e.server.url, boardId, token);
    try {
      await synced(writer.provider);
      const board = new BoardDoc(writer.doc);
      const column = board.addColumn('Propositions');
      const cardId = board.addProposal(column, {
        title: 'Double diplôme avec l’ENSP de Yaoundé',
        createdBy: 'script',
        fields: { actionType: 'double_degree' },
        sections: { objectives: 'Une filière commune en génie des procédés, réalisée avec le Cameroun.' },
      });
      board.addCard(column, { title: '<i>Réalisée</i> sans balise', createdBy: 'script' });

      // The index follows a board a moment after its changes reach the server (debounced); the page
      // asks once, when it opens.
      await expect
        .poll(async () => JSON.stringify(await (await bruno.request.get(`${e2e.server.url}/api/search?q=realisee`)).json()), { timeout: SYNC_TIMEOUT })
        .toContain(cardId);
      // Accents ignored: "realisee" finds "réalisée" in a proposal section.
      await bruno.goto(`${e2e.server.url}/search?q=realisee`);
      const hit = bruno.locator('[data-testid="search-board-group"] [data-testid="search-result"][data-kind="proposal"]');
      await expect.poll(() => hit.allTextContents(), { timeout: SYNC_TIMEOUT }).toEqual([expect.stringContaining('réalisée avec le Cameroun')]);
      // Only the matched word is marked, and markup in a title stays text.
      expect(await hit.locator('mark').allTextContents()).toEqual(['réalisée']);
      const note = bruno.locator('[data-testid="search-result"][data-kind="note"]');
      expect(await note.locator('a').textContent()).toBe('<i>Réalisée</i> sans balise');
      expect(await note.locator('i').count()).toBe(0);
      expect(await note.locator('mark').allTextContents()).toEqual(['Réalisée']);
      await hit.getByRole('link').click();
      await bruno.waitForURL(new RegExp(`/boards/${boardId}\\?card=${cardId}`));
      await expect.poll(() => bruno.getByTestId('card-title-input').inputValue(), { timeout: SYNC_TIMEOUT }).toBe('Double diplôme avec l’ENSP de Yaoundé');

      await bruno.goto(`${e2e.server.url}/table?type=proposals&board=${boardId}`);
      const rows = bruno.getByTestId('table-row');
      await expect.poll(() => rows.allTextContents(), { timeout: SYNC_TIMEOUT }).toEqual([expect.stringContaining('Double diplôme avec l’ENSP de Yaoundé')]);
      board.updateProposal(cardId, { region: 'africa' });
      await bruno.getByTestId('table-group-by').selectOption('region');
      await expect.poll(() => bruno.getByTestId('table-group').getAttribute('data-group'), { timeout: SYNC_TIMEOUT }).toBe('africa');
      await screenshot(bruno, 'table-proposals-fr');
    } finally {
      writer.provider.destroy();
    }
  });

  it('every workspace page renders in French and in English', async () => {
    const pages = [
      ['partners', '/partners', 'Partenaires', 'Partners'],
      ['mobility', '/mobility', 'Mobilité', 'Mobility'],
      ['table', '/table?type=agreements', 'Listes', 'Table'],
      ['search', '/search?q=chimie', 'Recherche', 'Search'],
      ['settings', '/settings/workspace', 'Réglages de l’espace de travail', 'Workspace settings'],
    ] as const;
    for (const [name, path, french] of pages) {
      await alice.goto(`${e2e.server.url}${path}`);
      await expect.poll(() => alice.locator('h1').first().textContent()).toBe(french);
      await alice.waitForTimeout(300);
      await screenshot(alice, `${name}-fr`);
    }
    await alice.getByTestId('locale-switch').selectOption('en');
    for (const [name, path, , english] of pages) {
      await alice.goto(`${e2e.server.url}${path}`);
      await expect.poll(() => alice.locator('h1').first().textContent()).toBe(english);
      await alice.waitForTimeout(300);
      await screenshot(alice, `${name}-en`);
    }
    expect(await alice.getByTestId('nav-partners').textContent()).toBe('Partners');
  });
});

/** Bruno, a colleague an administrator made an agreements manager: he keeps the workspace's settings. */
async function createPerson(baseUrl: string): Promise<void> {
  const admin = await login(baseUrl);
  const id = await createUser(baseUrl, admin, BRUNO);
  const granted = await apiWithCookie(baseUrl, admin)(`/api/users/${id}`, { method: 'PATCH', body: { managesAgreements: true } });
  if (granted.status !== 200) throw new Error(`granting the agreements manager capability failed: ${granted.status}`);
}

async function createPartner(page: Page, partner: { name: string; country: string; city: string; specialties: string; pic?: string }): Promise<void> {
  await page.getByTestId('partner-new').click();
  const form = page.getByTestId('partner-form');
  await form.getByTestId('partner-name').fill(partner.name);
  await form.getByTestId('partner-country').fill(partner.country);
  await form.getByTestId('partner-city').fill(partner.city);
  await form.getByTestId('partner-specialties').fill(partner.specialties);
  if (partner.pic) await form.getByTestId('partner-pic').fill(partner.pic);
  await form.getByTestId('partner-save').click();
  await form.waitFor({ state: 'detached' });
}

function partnerCard(page: Page, name: string): Locator {
  return page.getByTestId('partner-card').filter({ has: page.getByTestId('partner-card-name').getByText(name, { exact: true }) });
}

function partnerNames(page: Page): Promise<string[]> {
  return page.getByTestId('partner-card-name').allTextContents();
}

/** Sets a double-degree plan semester by semester (the form starts with six). */
async function setPlan(form: Locator, plan: ('france' | 'partner')[]): Promise<void> {
  const selects = form.getByTestId('semester-select');
  while ((await selects.count()) > plan.length) await form.getByTestId('semester-remove').click();
  for (const [index, place] of plan.entries()) await selects.nth(index).selectOption(place);
}

async function addFlow(
  page: Page,
  flow: { year: string; direction: string; population: string; purpose: string; planned: number; realised?: number },
): Promise<void> {
  await page.getByTestId('flow-new').click();
  const form = page.getByTestId('flow-form');
  await form.getByTestId('flow-year').selectOption(flow.year);
  await form.getByTestId('flow-direction').selectOption(flow.direction);
  await form.getByTestId('flow-population').selectOption(flow.population);
  await form.getByTestId('flow-purpose').selectOption(flow.purpose);
  await form.getByTestId('flow-planned').fill(String(flow.planned));
  if (flow.realised !== undefined) await form.getByTestId('flow-realised').fill(String(flow.realised));
  await form.getByTestId('flow-save').click();
  await form.waitFor({ state: 'detached' });
}

/** The figures of a chart's text table for one academic year, series in order. */
function chartRow(chart: Locator, year: string): Promise<string[]> {
  return chart
    .locator(`[data-testid="chart-table"] tr[data-year="${year}"] td`)
    .evaluateAll((cells) => cells.map((cell) => cell.textContent?.trim() ?? ''))
    .catch(() => []);
}

/** The texts of one column of the record table, in display order. */
function columnValues(table: Locator, column: number): Promise<string[]> {
  return table
    .getByTestId('table-row')
    .evaluateAll((rows, index) => rows.map((row) => row.querySelectorAll('td')[index]?.textContent?.trim() ?? ''), column);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `workspace-${name}.png`) });
}
