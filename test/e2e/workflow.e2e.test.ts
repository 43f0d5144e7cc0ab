/**
 * A proposal goes through the SRI's workflow with the services that must sign it off, each person
 * in their own browser context (separate cookies), against the built server. The SRI (the
 * administrator) submits a knowledge alliance, reviews it, and the studies directorate, the specialty
 * teachers, the research directorate and the company-relations service sign off the framing; the
 * moves the gates forbid are refused with the missing departments named.
 *
 * The steps run in order and share one board: each `it` names the behaviour it proves.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, signIn, browserRunPerFile, waitSynced } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';
import { apiWithCookie, createUser, login } from '../helpers/test-server.js';

/** How long a change may take to cross from one browser to the others. */
const SYNC_TIMEOUT = 10_000;

const PROPOSAL = 'Alliance de la connaissance en chimie verte';

/** The services that sign off the departmental framing of a knowledge alliance, one person each. */
const SIGNERS = [
  { key: 'studies', department: 'studies', label: 'Direction des études', email: 'claire.martin@example.org', name: 'Claire Martin' },
  { key: 'specialty', department: 'specialty_teachers', label: 'Enseignants des spécialités', email: 'paul.bernard@example.org', name: 'Paul Bernard' },
  { key: 'research', department: 'research', label: 'Direction de la recherche', email: 'remi.durand@example.org', name: 'Rémi Durand' },
  { key: 'company', department: 'company_relations', label: 'Relations entreprises et stages', email: 'capucine.roux@example.org', name: 'Capucine Roux' },
] as const;
const PASSWORD = 'chimie-verte-2026';

type Signer = (typeof SIGNERS)[number];

describe('a proposal signed off by each service in its own browser', () => {
  const e2e = browserRunPerFile();
  /** The SRI: the administrator, who belongs to the international relations office. */
  let sri: Page;
  const pages = new Map<Signer['key'], Page>();
  let boardUrl: string;

  const everyone = () => [sri, ...pages.values()];

  beforeAll(async () => {
    const cookie = await login(e2e.server.url);
    for (const signer of SIGNERS) await createPerson(e2e.server.url, cookie, signer);
    const board = await apiWithCookie(e2e.server.url, cookie)<{ id: string }>('/api/boards', { method: 'POST', body: { title: 'Stratégie internationale' } });
    expect(board.status).toBe(201);
    boardUrl = `${e2e.server.url}/boards/${board.body.id}`;

    const open = () => e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
    sri = await open();
    for (const signer of SIGNERS) pages.set(signer.key, await open());
  });

  it('everyone signs in and opens the same board', async () => {
    await signIn(sri, e2e.server.url, ADMIN);
    for (const signer of SIGNERS) await signIn(pages.get(signer.key)!, e2e.server.url, { email: signer.email, password: PASSWORD });
    for (const page of everyone()) {
      await page.goto(boardUrl);
      await waitSynced(page);
    }
  });

  it('the SRI creates a knowledge alliance proposal, and the others see it live with its summary', async () => {
    await sri.getByTestId('add-column-input').fill('Propositions 2026');
    await sri.getByTestId('add-column-input').press('Enter');
    await sri.getByTestId('add-proposal-button').click();
    await sri.getByTestId('new-proposal-title').fill(PROPOSAL);
    await sri.getByTestId('new-proposal-type').selectOption('knowledge_alliance');
    await sri.getByTestId('new-proposal-submit').click();
    await sri.getByTestId('proposal-detail').waitFor();
    await expectStage(sri, 'submitted');

    for (const page of pages.values()) {
      const summary = proposalCard(page).getByTestId('proposal-summary');
      await summary.waitFor({ timeout: SYNC_TIMEOUT });
      expect(await summary.getByTestId('proposal-type-chip').textContent()).toBe('Alliance de la connaissance');
      expect(await summary.getByTestId('proposal-stage-chip').getAttribute('data-stage')).toBe('submitted');
    }
    // Every signer follows the proposal in its detail panel from now on.
    for (const page of pages.values()) await proposalCard(page).click();
    await screenshot(sri, 'proposal-created-sri');
  });

  it('the move past the SRI review is refused, naming the SRI, until the SRI signs off', async () => {
    await sri.getByTestId('stage-next').click();
    await expectStage(sri, 'sri_review');
    for (const page of pages.values()) await expectStage(page, 'sri_review');

    await sri.getByTestId('stage-next').click();
    const explanation = sri.getByTestId('proposal-detail').getByTestId('gate-explanation');
    await explanation.waitFor();
    expect(await explanation.textContent()).toContain('Service des relations internationales (SRI)');
    await expectStage(sri, 'sri_review');
    await screenshot(sri, 'sri-review-blocked');

    // Only the SRI may sign for the SRI.
    for (const page of pages.values()) expect(await page.getByTestId('sign-off-sri').count()).toBe(0);

    await sri.getByTestId('sign-off-sri').click();
    for (const page of everyone()) await expectSignOff(page, 'sri_review', 'sri', 'signed');
    await sri.getByTestId('stage-next').click();
    for (const page of everyone()) await expectStage(page, 'departmental_framing');
  });

  it('at the departmental framing, the move to partner framing is refused and names every missing department', async () => {
    await sri.getByTestId('stage-next').click();
    const explanation = sri.getByTestId('proposal-detail').getByTestId('gate-explanation');
    await explanation.waitFor();
    const text = (await explanation.textContent()) ?? '';
    for (const signer of SIGNERS) expect(text).toContain(signer.label);
    expect(text).not.toContain('Service des admissions');
    await expectStage(sri, 'departmental_framing');

    // The SRI has no button for departments it does not belong to.
    for (const signer of SIGNERS) expect(await sri.getByTestId(`sign-off-${signer.department}`).count()).toBe(0);
    await screenshot(sri, 'departmental-framing-blocked');
  });

  it('each service signs off in its own browser, only for its own department, and everyone sees it live', async () => {
    for (const signer of SIGNERS) {
      const page = pages.get(signer.key)!;
      for (const other of SIGNERS) {
        const button = page.getByTestId(`sign-off-${other.department}`);
        if (other.key === signer.key) await button.waitFor();
        else expect(await button.count()).toBe(0);
      }
      await page.getByTestId(`sign-off-${signer.department}`).click();
      for (const viewer of everyone()) await expectSignOff(viewer, 'departmental_framing', signer.department, 'signed');
      const row = signOffRow(sri, 'departmental_framing', signer.department);
      expect(await row.textContent()).toContain(signer.name);
    }
    // The explanation the SRI saw follows the sign-offs: nothing is missing any more.
    expect(await sri.getByTestId('proposal-detail').getByTestId('gate-explanation').textContent()).not.toContain('Direction des études');
    await screenshot(pages.get('research')!, 'all-signed-research');
  });

  it('once every department has signed, the move succeeds and everyone sees the new stage', async () => {
    await sri.getByTestId('stage-next').click();
    for (const page of everyone()) await expectStage(page, 'partner_framing');
    expect(await sri.getByTestId('proposal-detail').getByTestId('gate-explanation').count()).toBe(0);
    await screenshot(sri, 'partner-framing-sri');
    await screenshot(pages.get('company')!, 'partner-framing-company');
  });

  it('the pipeline shows the proposal in its stage, in French and in English', async () => {
    await sri.getByTestId('card-close').click();
    await sri.getByTestId('view-tab-pipeline').click();
    const pipeline = sri.getByTestId('pipeline');
    await pipeline.waitFor();
    expect(await pipeline.getByTestId('pipeline-stage').count()).toBe(7);
    const stage = pipeline.locator('[data-testid="pipeline-stage"][data-stage="partner_framing"]');
    await expect.poll(() => stage.getByTestId('pipeline-card-title').allTextContents()).toEqual([PROPOSAL]);
    await sri.getByTestId('swimlane-select').selectOption('actionType');
    await expect.poll(() => pipeline.getByTestId('swimlane').allTextContents()).toEqual(['Alliance de la connaissance']);
    expect(await sri.getByTestId('view-tab-pipeline').textContent()).toBe('Pipeline');
    await inFrenchThenEnglish(sri, 'pipeline', async () => {
      await expect.poll(() => pipeline.getByTestId('swimlane').allTextContents()).toEqual(['Knowledge alliance']);
      expect(await stage.locator('h2').textContent()).toContain('Partner framing');
    });
  });

  it('the roadmap lists an item by horizon with its linked proposal, in French and in English', async () => {
    await sri.getByTestId('view-tab-roadmap').click();
    await sri.getByTestId('roadmap').waitFor();
    await sri.getByTestId('roadmap-add').click();
    await sri.getByTestId('roadmap-title').fill('Alliance avec les industriels picards');
    await sri.getByTestId('roadmap-horizon').selectOption('medium');
    await sri.getByTestId('roadmap-phase').fill('Pilote');
    await sri.getByTestId('roadmap-start').fill('2027-01-01');
    await sri.getByTestId('roadmap-end').fill('2026-06-30');
    await sri.getByTestId('roadmap-save').click();
    expect(await sri.getByTestId('roadmap-error-end').textContent()).toBe('La date de fin précède la date de début.');
    await sri.getByTestId('roadmap-end').fill('2027-12-31');
    await sri.getByTestId('roadmap-proposal-option').check();
    await sri.getByTestId('roadmap-save').click();

    const lane = sri.locator('[data-testid="roadmap-lane"][data-horizon="medium"]');
    await expect.poll(() => lane.getByTestId('roadmap-item-title').allTextContents()).toEqual(['Alliance avec les industriels picards']);
    expect(await lane.getByTestId('roadmap-proposal-chip').textContent()).toBe(PROPOSAL);
    await lane.getByTestId('roadmap-bar').waitFor();
    // Another person sees the item live.
    const studies = pages.get('studies')!;
    await studies.getByTestId('view-tab-roadmap').click();
    await expect
      .poll(() => studies.locator('[data-testid="roadmap-lane"][data-horizon="medium"]').getByTestId('roadmap-item-title').allTextContents(), {
        timeout: SYNC_TIMEOUT,
      })
      .toEqual(['Alliance avec les industriels picards']);
    expect(await lane.locator('h2').textContent()).toContain('Moyen terme');
    await inFrenchThenEnglish(sri, 'roadmap', async () => {
      await expect.poll(() => lane.locator('h2').textContent()).toContain('Medium term');
    });

    // A linked proposal's chip opens it.
    await lane.getByTestId('roadmap-proposal-chip').click();
    await expectStage(sri, 'partner_framing');
    await sri.getByTestId('card-close').click();
  });

  it('the actions list shows an owned action with its due date, in French and in English', async () => {
    await sri.getByTestId('view-tab-actions').click();
    const actions = sri.getByTestId('actions');
    await actions.waitFor();
    await sri.getByTestId('action-add').click();
    await sri.getByTestId('action-save').click();
    expect(await sri.getByTestId('action-error-title').textContent()).toBe('Obligatoire.');
    await sri.getByTestId('action-title').fill('Organiser la réunion de cadrage avec les partenaires');
    await sri.getByTestId('action-owner').selectOption({ label: 'Capucine Roux' });
    await sri.getByTestId('action-due').fill('2027-03-15');
    await sri.getByTestId('action-source').selectOption('proposal');
    await sri.getByTestId('action-source-id').selectOption({ label: PROPOSAL });
    await sri.getByTestId('action-save').click();

    const row = actions.getByTestId('action-row');
    await expect.poll(() => row.getByTestId('action-row-title').allTextContents()).toEqual(['Organiser la réunion de cadrage avec les partenaires']);
    expect(await row.textContent()).toContain('Capucine Roux');
    expect(await row.getByTestId('action-row-due').textContent()).toContain('15 mars 2027');
    // Her service is filled in from the people directory.
    expect(await row.textContent()).toContain('Entreprises et stages');
    await inFrenchThenEnglish(sri, 'actions', async () => {
      await expect.poll(() => row.getByTestId('action-row-due').textContent()).toContain('15 Mar 2027');
    });

    // Done: it leaves the "to do" list, for everyone.
    await row.getByTestId('action-done').click();
    await expect.poll(() => row.count()).toBe(0);
    const company = pages.get('company')!;
    await company.getByTestId('view-tab-actions').click();
    await company.getByTestId('actions-filter-done').click();
    await expect.poll(() => company.getByTestId('action-row').getAttribute('data-done'), { timeout: SYNC_TIMEOUT }).toBe('true');
  });
});

/** Creates a person in one department through the admin-only API. */
async function createPerson(baseUrl: string, cookie: string, signer: Signer): Promise<void> {
  await createUser(baseUrl, cookie, { email: signer.email, password: PASSWORD, name: signer.name, departments: [signer.department] });
}

function proposalCard(page: Page): Locator {
  return page.locator('[data-testid="card"][data-kind="proposal"]').filter({ has: page.getByTestId('card-title').getByText(PROPOSAL, { exact: true }) });
}

/** Waits until the open proposal detail shows `stage`. */
async function expectStage(page: Page, stage: string): Promise<void> {
  await expect
    .poll(() => page.getByTestId('proposal-detail').getByTestId('proposal-stage').getAttribute('data-stage'), { timeout: SYNC_TIMEOUT })
    .toBe(stage);
}

function signOffRow(page: Page, gate: string, department: string): Locator {
  return page.locator(`[data-testid="sign-off-gate"][data-gate="${gate}"] [data-testid="sign-off-row"][data-department="${department}"]`);
}

async function expectSignOff(page: Page, gate: string, department: string, state: 'signed' | 'missing'): Promise<void> {
  await expect.poll(() => signOffRow(page, gate, department).getAttribute('data-state'), { timeout: SYNC_TIMEOUT }).toBe(state);
}

async function switchLocale(page: Page, locale: 'fr' | 'en'): Promise<void> {
  await page.getByTestId('locale-switch').selectOption(locale);
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(locale);
}

/**
 * Screenshots the page as `<name>-fr`, switches it to English, runs `inEnglish` (the checks of the
 * English labels), screenshots it as `<name>-en`, and switches it back to French.
 */
async function inFrenchThenEnglish(page: Page, name: string, inEnglish: () => Promise<void>): Promise<void> {
  await screenshot(page, `${name}-fr`);
  await switchLocale(page, 'en');
  await inEnglish();
  await screenshot(page, `${name}-en`);
  await switchLocale(page, 'fr');
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `workflow-${name}.png`) });
}
