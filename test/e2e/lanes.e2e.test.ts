/**
 * Swimlanes on the free board and the pipeline, and the list of every proposal, in Debian's
 * Chromium against the built server, with two people in two separate browser contexts: Alice (the
 * administrator, in French) cuts her board into lanes, moves a card within its lane with the
 * keyboard and finds her lanes again after a reload; Bruno (a member, in English) sees her move and
 * finds, in his list of all proposals, the proposal Alice has just created on her board, with the
 * agreement she says it led to. A partner guest's lanes last for their browser session only. The
 * board with lanes and the list are then measured at a phone's, a tablet's and a desktop's width
 * in both languages.
 *
 * The steps run in order and share one board: each `it` names the behaviour it proves.
 */
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, signIn, browserRunPerFile, waitSynced } from '../helpers/browser.js';
import { layoutProblems, VIEWPORTS } from '../helpers/layout.js';
import { ADMIN } from '../helpers/server-process.js';
import { createUser, login } from '../helpers/test-server.js';
import { card, column } from '../helpers/board-page.js';

const BRUNO = { email: 'bruno.lanes@example.org', password: 'couloirs-de-nantes-2026', name: 'Bruno Lefèvre' } as const;
const SHOTS = `${SCREENSHOT_DIR}/lanes`;
/** How long a change may take to cross from one browser to the other. */
const SYNC_TIMEOUT = 10_000;

describe('swimlanes and the list of all proposals', () => {
  const e2e = browserRunPerFile();
  let alice: Page;
  let bruno: Page;
  let boardId: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await createUser(e2e.server.url, await login(e2e.server.url), BRUNO);
    alice = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
    bruno = await e2e.newPage({ width: 1280, height: 800, locale: 'en-GB' });
    await signIn(alice, e2e.server.url, ADMIN);
    await signIn(bruno, e2e.server.url, BRUNO);
  });

  afterAll(async () => {
    await e2e.run.browser.close();
  });

  it('Alice makes a board of two columns with a note and three proposals of two action types', async () => {
    boardId = await alice.evaluate(async (title) => {
      const response = await fetch('/api/boards', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) });
      return ((await response.json()) as { id: string }).id;
    }, 'Couloirs de Nantes');
    await alice.goto(`${e2e.server.url}/boards/${boardId}`);
    await bruno.goto(`${e2e.server.url}/boards/${boardId}`);
    await Promise.all([waitSynced(alice, 30_000), waitSynced(bruno, 30_000)]);
    for (const title of ['À étudier', 'En cours']) {
      await alice.getByTestId('add-column-input').fill(title);
      await alice.getByTestId('add-column-input').press('Enter');
    }
    await addProposal(alice, 'Double diplôme Porto', 'double_degree');
    await addProposal(alice, 'Alliance Delft', 'knowledge_alliance');
    await addProposal(alice, 'Double diplôme Montréal', 'double_degree');
    const note = column(alice, 'À étudier').getByTestId('add-card-input');
    await note.fill('Relancer Sherbrooke');
    await note.press('Enter');
    await expect.poll(() => cardTitlesIn(bruno, 'À étudier'), { timeout: SYNC_TIMEOUT }).toEqual(['Double diplôme Porto', 'Alliance Delft', 'Double diplôme Montréal', 'Relancer Sherbrooke']);
  });

  it('lanes by action type cut every column into the same rows, notes last, and stay chosen after a reload', async () => {
    await alice.getByTestId('board-lanes-select').selectOption('actionType');
    await expect.poll(() => lanesOf(alice, 'À étudier')).toEqual([
      { lane: 'knowledge_alliance', cards: ['Alliance Delft'] },
      { lane: 'double_degree', cards: ['Double diplôme Porto', 'Double diplôme Montréal'] },
      { lane: 'notes', cards: ['Relancer Sherbrooke'] },
    ]);
    // An empty column has a cell in every lane, so that a lane is one row across the board.
    expect((await lanesOf(alice, 'En cours')).map((lane) => lane.lane)).toEqual(['knowledge_alliance', 'double_degree', 'notes']);
    await alice.reload();
    await waitSynced(alice, 30_000);
    expect(await alice.getByTestId('board-lanes-select').inputValue()).toBe('actionType');
    await expect.poll(() => lanesOf(alice, 'À étudier')).toHaveLength(3);
    // Bruno's browser keeps its own choice: none.
    expect(await bruno.getByTestId('board-lanes-select').inputValue()).toBe('none');
    await alice.screenshot({ path: `${SHOTS}/board-lanes-1440-fr.png` });
  });

  it('with lanes on, the keyboard moves a card within its lane and to the next column, keeping its action type', async () => {
    await card(alice, 'Double diplôme Montréal').focus();
    await alice.keyboard.press('Space');
    expect(await announcement(alice)).toBe('Carte Double diplôme Montréal saisie, colonne À étudier, position 2 sur 2.');
    // Up moves it past the lane's previous card, not past the other lane's.
    await alice.keyboard.press('ArrowUp');
    await expect.poll(async () => (await lanesOf(alice, 'À étudier'))[1]!.cards).toEqual(['Double diplôme Montréal', 'Double diplôme Porto']);
    await alice.keyboard.press('ArrowUp');
    await alice.keyboard.press('Space');
    await expect.poll(() => cardTitlesIn(bruno, 'À étudier'), { timeout: SYNC_TIMEOUT }).toEqual(['Double diplôme Montréal', 'Double diplôme Porto', 'Alliance Delft', 'Relancer Sherbrooke']);

    await card(alice, 'Double diplôme Porto').focus();
    await alice.keyboard.press('Space');
    await alice.keyboard.press('ArrowRight');
    await expect.poll(async () => (await lanesOf(alice, 'En cours'))[1]!.cards).toEqual(['Double diplôme Porto']);
    await alice.keyboard.press('Space');
    await expect.poll(() => cardTitlesIn(bruno, 'En cours'), { timeout: SYNC_TIMEOUT }).toEqual(['Double diplôme Porto']);
    // Still a double degree: the move changed its column, never its action type.
    await card(bruno, 'Double diplôme Porto').click();
    await expect.poll(() => bruno.getByTestId('proposal-action-type').inputValue()).toBe('double_degree');
    await bruno.getByTestId('card-close').click();
  });

  it('with lanes on, the pointer drags a card into its own lane of another column, and another lane does not take it', async () => {
    const enCours = (lane: string) => column(alice, 'En cours').locator(`[data-testid="column-cards"][data-lane="${lane}"]`);
    await dragCard(alice, card(alice, 'Alliance Delft'), enCours('knowledge_alliance'));
    await expect.poll(() => cardTitlesIn(bruno, 'En cours'), { timeout: SYNC_TIMEOUT }).toEqual(['Double diplôme Porto', 'Alliance Delft']);
    expect((await lanesOf(alice, 'En cours'))[0]).toEqual({ lane: 'knowledge_alliance', cards: ['Alliance Delft'] });

    await dragCard(alice, card(alice, 'Double diplôme Montréal'), enCours('knowledge_alliance'));
    await alice.waitForTimeout(500);
    expect(await lanesOf(alice, 'En cours')).toEqual([
      { lane: 'knowledge_alliance', cards: ['Alliance Delft'] },
      { lane: 'double_degree', cards: ['Double diplôme Porto'] },
      { lane: 'notes', cards: [] },
    ]);
    expect(await cardTitlesIn(bruno, 'En cours')).toEqual(['Double diplôme Porto', 'Alliance Delft']);
    expect(await cardTitlesIn(bruno, 'À étudier')).toEqual(['Double diplôme Montréal', 'Relancer Sherbrooke']);
  });

  it('the pipeline remembers its own lanes for this person and this board', async () => {
    await alice.getByTestId('view-tab-pipeline').click();
    await alice.getByTestId('swimlane-select').selectOption('leadDepartment');
    await alice.getByTestId('swimlane').first().waitFor();
    await alice.reload();
    await waitSynced(alice, 30_000);
    expect(await alice.getByTestId('swimlane-select').inputValue()).toBe('leadDepartment');
    await alice.getByTestId('view-tab-board').click();
    expect(await alice.getByTestId('board-lanes-select').inputValue()).toBe('actionType');
  });

  it('a partner guest’s lanes last as long as their browser session, and stay out of the browser’s lasting storage', async () => {
    const url = await alice.evaluate(async (id) => {
      const response = await fetch(`/api/boards/${id}/guest-invites`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'viewer', label: 'Universidade do Porto', expiresInHours: 24 }),
      });
      return ((await response.json()) as { url: string }).url;
    }, boardId);
    const guest = await e2e.newPage({ width: 1280, height: 800, locale: 'en-GB' });
    try {
      await guest.goto(url);
      await guest.getByTestId('guest-name').fill('Ana Sousa');
      await guest.getByTestId('guest-organisation').fill('Universidade do Porto');
      await guest.getByTestId('guest-join-submit').click();
      await guest.waitForURL(`${e2e.server.url}/boards/${boardId}`);
      await waitSynced(guest, 30_000);
      await guest.getByTestId('board-lanes-select').selectOption('leadDepartment');
      await guest.reload();
      await waitSynced(guest, 30_000);
      expect(await guest.getByTestId('board-lanes-select').inputValue()).toBe('leadDepartment');
      expect(await guest.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('passerelle.lanes.')))).toEqual([]);
    } finally {
      await guest.context().close();
    }
  });

  it('a proposal Alice creates on her board appears in Bruno’s list of all proposals, whose row opens its card', async () => {
    await bruno.goto(`${e2e.server.url}/proposals`);
    await bruno.getByTestId('proposals-table').waitFor();
    await expect.poll(() => listTitles(bruno)).toEqual(expect.arrayContaining(['Double diplôme Porto', 'Alliance Delft', 'Double diplôme Montréal']));
    expect(await listTitles(bruno)).not.toContain('Relancer Sherbrooke');

    await addProposal(alice, 'Mobilité Sherbrooke', 'mobility_agreement');
    await expect
      .poll(
        async () => {
          await bruno.getByTestId('proposals-refresh').click();
          return listTitles(bruno);
        },
        { timeout: SYNC_TIMEOUT },
      )
      .toContain('Mobilité Sherbrooke');
    const row = bruno.getByTestId('proposals-row').filter({ hasText: 'Mobilité Sherbrooke' });
    expect(await row.getByTestId('proposals-row-board').textContent()).toBe('Couloirs de Nantes');
    expect(await row.getByTestId('proposals-row-stage').textContent()).toBe('Submitted');
    expect(await row.getByTestId('proposals-row-document').getAttribute('href')).toMatch(new RegExp(`^/boards/${boardId}/proposals/`));
    // A mobility agreement has no programme template: its text has no section to count yet.
    expect((await row.getByTestId('proposals-row-progress').textContent())?.trim()).toBe('No sections yet');
    const porto = bruno.getByTestId('proposals-row').filter({ hasText: 'Double diplôme Porto' });
    expect((await porto.getByTestId('proposals-row-progress').textContent())?.trim()).toMatch(/^\d+ of [1-9]\d*$/);

    // Sorted by title, then filtered by action type.
    await bruno.getByTestId('proposals-sort-title').click();
    expect(await listTitles(bruno)).toEqual(['Alliance Delft', 'Double diplôme Montréal', 'Double diplôme Porto', 'Mobilité Sherbrooke']);
    await bruno.getByTestId('proposals-sort-title').click();
    expect(await listTitles(bruno)).toEqual(['Mobilité Sherbrooke', 'Double diplôme Porto', 'Double diplôme Montréal', 'Alliance Delft']);
    await bruno.getByTestId('proposals-filter-action-type').selectOption('double_degree');
    expect(await listTitles(bruno)).toEqual(['Double diplôme Porto', 'Double diplôme Montréal']);

    await bruno.getByTestId('proposals-row').filter({ hasText: 'Double diplôme Porto' }).getByTestId('proposals-row-card').click();
    await bruno.waitForURL(new RegExp(`/boards/${boardId}\\?card=`));
    await expect.poll(() => bruno.getByTestId('proposal-detail').getByTestId('card-title-input').inputValue().catch(() => null), { timeout: SYNC_TIMEOUT }).toBe('Double diplôme Porto');
  });

  it('a proposal names the agreement it led to: a link in its drawer and in the list, and the agreement names the proposal back', async () => {
    await alice.goto(`${e2e.server.url}/partners`);
    await alice.getByTestId('agreement-new').click();
    const form = alice.getByTestId('agreement-form');
    await form.getByTestId('agreement-title').fill('Accord double diplôme Porto');
    await form.getByTestId('agreement-save').click();
    await form.waitFor({ state: 'detached' });

    await alice.goto(`${e2e.server.url}/boards/${boardId}`);
    await waitSynced(alice, 30_000);
    await card(alice, 'Double diplôme Porto').click();
    const agreements = alice.getByTestId('proposal-agreements');
    await agreements.getByText('Accord double diplôme Porto').click();
    const link = alice.getByTestId('proposal-agreement-link');
    await expect.poll(() => link.textContent()).toBe('Accord double diplôme Porto');
    expect(await link.getAttribute('href')).toMatch(/^\/partners\?agreement=/);
    const agreementHref = (await link.getAttribute('href'))!;

    await bruno.goto(`${e2e.server.url}/proposals`);
    const row = bruno.getByTestId('proposals-row').filter({ hasText: 'Double diplôme Porto' });
    await expect
      .poll(
        async () => {
          await bruno.getByTestId('proposals-refresh').click();
          return row.getByTestId('proposals-row-agreements').locator('a').getAttribute('href', { timeout: 1000 }).catch(() => null);
        },
        { timeout: SYNC_TIMEOUT },
      )
      .toBe(agreementHref);
    expect(await row.getByTestId('proposals-row-agreements').textContent()).toContain('Accord double diplôme Porto');

    await row.getByTestId('proposals-row-agreements').locator('a').click();
    await bruno.waitForURL(/\/partners\?agreement=/);
    const origin = bruno.getByTestId('agreement-origin');
    await expect.poll(() => origin.textContent().then((text) => text?.replace(/\s+/g, ' ').trim())).toBe('From the proposal: Double diplôme Porto');
    expect(await origin.locator('a').getAttribute('href')).toMatch(new RegExp(`^/boards/${boardId}\\?card=`));
  });

  it('with lanes on, a lane is as tall as its fullest cell, and the pointer reorders a card within it', async () => {
    await alice.goto(`${e2e.server.url}/boards/${boardId}`);
    await bruno.goto(`${e2e.server.url}/boards/${boardId}`);
    await Promise.all([waitSynced(alice, 30_000), waitSynced(bruno, 30_000)]);
    if ((await alice.getByTestId('board-lanes-select').inputValue()) !== 'actionType') await alice.getByTestId('board-lanes-select').selectOption('actionType');
    await addProposal(alice, 'Double diplôme Sherbrooke', 'double_degree');
    const doubleDegrees = async () => (await lanesOf(alice, 'À étudier')).find((lane) => lane.lane === 'double_degree')?.cards;
    await expect.poll(doubleDegrees).toEqual(['Double diplôme Montréal', 'Double diplôme Sherbrooke']);
    // A lane with more cards in one column than in the others is as tall as that column's cell.
    await alice.waitForTimeout(200);
    expect(await layoutProblems(alice, { overlap: ['[data-testid="card"]', '[data-testid="column-lane-label"]'] })).toEqual([]);
    await dragCard(alice, card(alice, 'Double diplôme Sherbrooke'), card(alice, 'Double diplôme Montréal'));
    await expect.poll(doubleDegrees).toEqual(['Double diplôme Sherbrooke', 'Double diplôme Montréal']);
    await expect
      .poll(async () => (await cardTitlesIn(bruno, 'À étudier')).filter((title) => title.startsWith('Double diplôme')), { timeout: SYNC_TIMEOUT })
      .toEqual(['Double diplôme Sherbrooke', 'Double diplôme Montréal']);
  });

  for (const locale of ['fr-FR', 'en-GB'] as const) {
    it(`the board with lanes and the list of proposals hold at a phone’s, a tablet’s and a desktop’s width (${locale})`, async () => {
      const page = locale === 'fr-FR' ? alice : bruno;
      await page.goto(`${e2e.server.url}/boards/${boardId}`);
      await waitSynced(page, 30_000);
      if ((await page.getByTestId('board-lanes-select').inputValue()) !== 'leadDepartment') await page.getByTestId('board-lanes-select').selectOption('leadDepartment');
      await page.getByTestId('column-lane-label').first().waitFor();
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await page.waitForTimeout(150);
        expect(await layoutProblems(page, { overlap: ['[data-testid="column"]', '[data-testid="card"]', '[data-testid="column-lane-label"]'] }), `board ${viewport.name} ${locale}`).toEqual([]);
        const columns = await page.getByTestId('columns').evaluate((element) => ({ scrolls: element.scrollWidth > element.clientWidth, snap: getComputedStyle(element).scrollSnapType }));
        if (viewport.width < 768) {
          // The columns scroll inside their own box, one column per flick.
          expect(columns.scrolls).toBe(true);
          expect(columns.snap).toBe('x mandatory');
        }
        await page.screenshot({ path: `${SHOTS}/board-${viewport.width}-${locale}.png` });
      }
      await page.goto(`${e2e.server.url}/proposals`);
      await page.getByTestId('proposals-row').first().waitFor();
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await page.waitForTimeout(150);
        expect(await layoutProblems(page, { overlap: ['[data-testid="proposals-row"] td', '.toolbar > *'] }), `list ${viewport.name} ${locale}`).toEqual([]);
        await page.screenshot({ path: `${SHOTS}/list-${viewport.width}-${locale}.png`, fullPage: true });
      }
    });
  }
});

async function addProposal(page: Page, title: string, actionType: string): Promise<void> {
  await column(page, 'À étudier').getByTestId('add-proposal-button').click();
  await page.getByTestId('new-proposal-title').fill(title);
  await page.getByTestId('new-proposal-type').selectOption(actionType);
  await page.getByTestId('new-proposal-submit').click();
  await page.getByTestId('proposal-detail').waitFor();
  await page.getByTestId('card-close').click();
  await page.getByTestId('proposal-detail').waitFor({ state: 'detached' });
}

/** Drags with real mouse events, in small steps, as svelte-dnd-action expects from a person. */
async function dragCard(page: Page, source: Locator, target: Locator): Promise<void> {
  const from = (await source.boundingBox())!;
  const to = (await target.boundingBox())!;
  const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
  const end = { x: to.x + to.width / 2, y: to.y + Math.min(to.height / 2, 24) };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const steps = 20;
  for (let step = 1; step <= steps; step++) {
    await page.mouse.move(start.x + ((end.x - start.x) * step) / steps, start.y + ((end.y - start.y) * step) / steps);
  }
  await page.waitForTimeout(200);
  await page.mouse.up();
}

/** A column's cards in display order. */
async function cardTitlesIn(page: Page, columnTitle: string): Promise<string[]> {
  return column(page, columnTitle).evaluate((element) => Array.from(element.querySelectorAll('[data-testid="card"] [data-testid="card-title"]')).map((title) => title.textContent?.trim() ?? ''));
}

/** A column's lanes, each with its cards in display order. */
async function lanesOf(page: Page, columnTitle: string): Promise<{ lane: string; cards: string[] }[]> {
  return column(page, columnTitle).evaluate((element) =>
    Array.from(element.querySelectorAll<HTMLElement>('[data-testid="column-lane"]')).map((lane) => ({
      lane: lane.dataset.lane ?? '',
      cards: Array.from(lane.querySelectorAll('[data-testid="card"] [data-testid="card-title"]')).map((title) => title.textContent?.trim() ?? ''),
    })),
  );
}

/** The titles of the list's rows, in display order. */
async function listTitles(page: Page): Promise<string[]> {
  return page.getByTestId('proposals-row-card').evaluateAll((links) => links.map((link) => link.textContent?.trim() ?? ''));
}

/** What the live region last said. */
async function announcement(page: Page): Promise<string> {
  return ((await page.getByTestId('move-announcement').textContent()) ?? '').trim();
}
