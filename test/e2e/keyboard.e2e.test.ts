/**
 * Moving cards with the keyboard and the panels beside the board, in Debian's Chromium against the
 * built server, with two people in two separate browser contexts (no BroadcastChannel between
 * them). Alice works with the keyboard alone; Bruno's browser shows what reaches everyone else.
 *
 * The steps run in order and share one board: each `it` names the behaviour it proves.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, signIn, browserRunPerFile, waitSynced } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';
import { createUser, login } from '../helpers/test-server.js';
import { addCard, card, column } from '../helpers/board-page.js';

const BRUNO = { email: 'bruno.keyboard@example.org', password: 'clavier-de-delft-2026', name: 'Bruno Lefèvre' } as const;

/** How long a change may take to cross from one browser to the other. */
const SYNC_TIMEOUT = 10_000;

/** A board as a person sees it: column titles in order, each with its card titles in order. */
type BoardContent = { column: string; cards: string[] }[];

describe('keyboard moves and side panels on a board', () => {
  const e2e = browserRunPerFile();
  let alice: Page;
  let bruno: Page;

  beforeAll(async () => {
    await createUser(e2e.server.url, await login(e2e.server.url), BRUNO);
    alice = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
    bruno = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
  });

  afterAll(async () => {
    await e2e.run.browser.close();
  });

  it('both people open a board with two columns and three cards', async () => {
    await signIn(alice, e2e.server.url, ADMIN);
    await signIn(bruno, e2e.server.url, BRUNO);
    const created = await alice.evaluate(async (title) => {
      const response = await fetch('/api/boards', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) });
      return (await response.json()) as { id: string };
    }, 'Mobilités au clavier');
    await alice.goto(`${e2e.server.url}/boards/${created.id}`);
    await bruno.goto(`${e2e.server.url}/boards/${created.id}`);
    // A loaded machine may take a while to serve a first board page.
    await Promise.all([waitSynced(alice, 30_000), waitSynced(bruno, 30_000)]);

    for (const title of ['À étudier', 'En cours']) {
      await alice.getByTestId('add-column-input').fill(title);
      await alice.getByTestId('add-column-input').press('Enter');
    }
    for (const title of ['Porto', 'Delft', 'Montréal']) await addCard(alice, 'À étudier', title);
    const start = [
      { column: 'À étudier', cards: ['Porto', 'Delft', 'Montréal'] },
      { column: 'En cours', cards: [] },
    ];
    await expectBoard(alice, start);
    await expectBoard(bruno, start);
  });

  it('Space picks a card up and says so in French; Down and Right move it, Space drops it, and the other browser sees it in the next column', async () => {
    await card(alice, 'Porto').focus();
    await alice.keyboard.press('Space');
    await expect.poll(() => pickedTitles(alice)).toEqual(['Porto']);
    expect(await announcement(alice)).toBe('Carte Porto saisie, colonne À étudier, position 1 sur 3.');

    await alice.keyboard.press('ArrowDown');
    await expectBoard(alice, [
      { column: 'À étudier', cards: ['Delft', 'Porto', 'Montréal'] },
      { column: 'En cours', cards: [] },
    ]);
    expect(await announcement(alice)).toBe('Carte Porto déplacée, colonne À étudier, position 2 sur 3.');

    await alice.keyboard.press('ArrowRight');
    await expectBoard(alice, [
      { column: 'À étudier', cards: ['Delft', 'Montréal'] },
      { column: 'En cours', cards: ['Porto'] },
    ]);
    expect(await announcement(alice)).toBe('Carte Porto déplacée, colonne En cours, position 1 sur 1.');
    // The card keeps the focus in its new column, still picked up.
    expect(await focusedCardTitle(alice)).toBe('Porto');
    expect(await pickedTitles(alice)).toEqual(['Porto']);
    await screenshot(alice, '01-picked-up-next-column');

    await alice.keyboard.press('Space');
    await expect.poll(() => pickedTitles(alice)).toEqual([]);
    expect(await announcement(alice)).toBe('Carte Porto déposée, colonne En cours, position 1 sur 1.');
    const moved = [
      { column: 'À étudier', cards: ['Delft', 'Montréal'] },
      { column: 'En cours', cards: ['Porto'] },
    ];
    await expectBoard(bruno, moved);
    await expectBoard(alice, moved);
    // Dropped, the arrows no longer move it.
    await alice.keyboard.press('ArrowLeft');
    await alice.waitForTimeout(300);
    await expectBoard(alice, moved);
  });

  it('Tab during a pick-up puts the card back and leaves no drag mode; Escape does the same', async () => {
    const moved = [
      { column: 'À étudier', cards: ['Delft', 'Montréal'] },
      { column: 'En cours', cards: ['Porto'] },
    ];
    await card(alice, 'Porto').focus();
    await alice.keyboard.press('Space');
    await alice.keyboard.press('ArrowLeft');
    // Sideways, the card keeps its row: the first.
    await expectBoard(alice, [
      { column: 'À étudier', cards: ['Porto', 'Delft', 'Montréal'] },
      { column: 'En cours', cards: [] },
    ]);
    await alice.keyboard.press('Tab');
    await expectBoard(alice, moved);
    expect(await pickedTitles(alice)).toEqual([]);
    expect(await announcement(alice)).toBe('Déplacement annulé : la carte Porto est revenue dans la colonne En cours, position 1 sur 1.');
    expect(await focusedCardTitle(alice)).toBe('Porto');
    // No drag mode left: the arrows do nothing, and nothing was written for the other browser.
    await alice.keyboard.press('ArrowLeft');
    await alice.waitForTimeout(300);
    await expectBoard(alice, moved);
    await expectBoard(bruno, moved);
    expect(await alice.locator('.drop-target').count()).toBe(0);

    await alice.keyboard.press('Space');
    await alice.keyboard.press('ArrowLeft');
    await expect.poll(() => cardTitlesIn(alice, 'À étudier')).toContain('Porto');
    await alice.keyboard.press('Escape');
    await expectBoard(alice, moved);
    expect(await pickedTitles(alice)).toEqual([]);
    expect(await focusedCardTitle(alice)).toBe('Porto');
  });

  it('focus leaving a picked-up card puts it back', async () => {
    const moved = [
      { column: 'À étudier', cards: ['Delft', 'Montréal'] },
      { column: 'En cours', cards: ['Porto'] },
    ];
    await card(alice, 'Porto').focus();
    await alice.keyboard.press('Space');
    await alice.keyboard.press('ArrowLeft');
    await expect.poll(() => cardTitlesIn(alice, 'À étudier')).toContain('Porto');
    await alice.getByTestId('add-column-input').focus();
    await expectBoard(alice, moved);
    expect(await pickedTitles(alice)).toEqual([]);
    await expectBoard(bruno, moved);
  });

  it('History and Versions open one at a time, never beside a card; Escape closes each and gives the focus back to its button', async () => {
    const history = alice.getByTestId('board-history');
    const versions = alice.getByTestId('versions-panel');
    const detail = alice.getByTestId('card-detail');

    await alice.getByTestId('board-history-open').click();
    await history.waitFor();
    await alice.getByTestId('versions-open').click();
    await versions.waitFor();
    expect(await history.count()).toBe(0);
    await screenshot(alice, '02-versions-alone');

    await alice.keyboard.press('Escape');
    await versions.waitFor({ state: 'detached' });
    expect(await focusedTestId(alice)).toBe('versions-open');

    await alice.getByTestId('board-history-open').click();
    await history.waitFor();
    await alice.keyboard.press('Escape');
    await history.waitFor({ state: 'detached' });
    expect(await focusedTestId(alice)).toBe('board-history-open');

    // A card's drawer takes the panel's place, and a panel the drawer's.
    await alice.getByTestId('board-history-open').click();
    await history.waitFor();
    await card(alice, 'Delft').click();
    await detail.waitFor();
    expect(await history.count()).toBe(0);
    await alice.getByTestId('versions-open').click();
    await versions.waitFor();
    expect(await detail.count()).toBe(0);
    await alice.getByTestId('versions-close').click();
    await versions.waitFor({ state: 'detached' });
    expect(await focusedTestId(alice)).toBe('versions-open');
  });

  it('in the pipeline, Space picks a proposal up, Right moves it to the next stage, Enter drops it for everyone and Escape puts it back', async () => {
    await column(alice, 'À étudier').getByTestId('add-proposal-button').click();
    await alice.getByTestId('new-proposal-title').fill('Alliance Porto');
    await alice.getByTestId('new-proposal-type').selectOption('knowledge_alliance');
    await alice.getByTestId('new-proposal-submit').click();
    await alice.getByTestId('proposal-detail').waitFor();
    await alice.getByTestId('card-close').click();
    await alice.getByTestId('view-tab-pipeline').click();
    const proposal = alice.getByTestId('pipeline-card').filter({ hasText: 'Alliance Porto' });
    await proposal.waitFor();

    await proposal.focus();
    await alice.keyboard.press('Space');
    expect(await announcement(alice)).toBe('Proposition Alliance Porto saisie, étape Soumis.');
    await alice.keyboard.press('ArrowRight');
    await expect.poll(() => stageOf(alice, 'Alliance Porto')).toBe('sri_review');
    expect(await announcement(alice)).toMatch(/^Proposition Alliance Porto déplacée, étape /);
    await screenshot(alice, '03-pipeline-picked-up');
    await alice.keyboard.press('Enter');
    await expect.poll(() => alice.locator('[data-testid="pipeline-card"][data-picked]').count()).toBe(0);
    // Written: the other browser's card shows the new stage.
    const brunoChip = card(bruno, 'Alliance Porto').getByTestId('proposal-stage-chip');
    await expect.poll(() => brunoChip.getAttribute('data-stage'), { timeout: SYNC_TIMEOUT }).toBe('sri_review');

    await proposal.focus();
    await alice.keyboard.press('Space');
    await alice.keyboard.press('ArrowRight');
    await expect.poll(() => stageOf(alice, 'Alliance Porto')).toBe('departmental_framing');
    await alice.keyboard.press('Escape');
    await expect.poll(() => stageOf(alice, 'Alliance Porto')).toBe('sri_review');
    expect(await announcement(alice)).toMatch(/^Déplacement annulé : la proposition Alliance Porto est revenue à l’étape /);
    expect(await brunoChip.getAttribute('data-stage')).toBe('sri_review');
  });

  it('with the keyboard alone, Alice creates two columns, adds a card, opens it, renames it, closes it, moves it, changes views and deletes it', async () => {
    const boardId = await alice.evaluate(async () => {
      const response = await fetch('/api/boards', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Sans souris' }) });
      return ((await response.json()) as { id: string }).id;
    });
    await alice.goto(`${e2e.server.url}/boards/${boardId}`);
    await bruno.goto(`${e2e.server.url}/boards/${boardId}`);
    await Promise.all([waitSynced(alice, 30_000), waitSynced(bruno, 30_000)]);

    // The skip link first, then on into the board to the field that adds a column.
    await alice.keyboard.press('Tab');
    expect(await focusedTestId(alice)).toBe('skip-link');
    await alice.keyboard.press('Enter');
    await tabUntil(alice, '[data-testid="add-column-input"]');
    for (const title of ['Idées', 'Retenues']) {
      await alice.keyboard.type(title);
      await alice.keyboard.press('Enter');
    }
    await expectBoard(alice, [
      { column: 'Idées', cards: [] },
      { column: 'Retenues', cards: [] },
    ]);

    // Back into the first column, to its field that adds a card.
    const ideas = await column(alice, 'Idées').getAttribute('data-column-id');
    await tabUntil(alice, `[data-column-id="${ideas}"] [data-testid="add-card-input"]`, { backwards: true });
    await alice.keyboard.type('Porto');
    await alice.keyboard.press('Enter');
    await expectBoard(alice, [
      { column: 'Idées', cards: ['Porto'] },
      { column: 'Retenues', cards: [] },
    ]);

    // Enter opens the card on its title; the title is rewritten, Escape closes it and the card has the focus again.
    await tabUntil(alice, '[data-testid="card"]', { backwards: true });
    await alice.keyboard.press('Enter');
    await alice.getByTestId('card-detail').waitFor();
    expect(await focusedTestId(alice)).toBe('card-title-input');
    await alice.keyboard.press('ControlOrMeta+A');
    await alice.keyboard.type('Porto, FEUP');
    await expectBoard(alice, [
      { column: 'Idées', cards: ['Porto, FEUP'] },
      { column: 'Retenues', cards: [] },
    ]);
    await alice.keyboard.press('Escape');
    await alice.getByTestId('card-detail').waitFor({ state: 'detached' });
    expect(await focusedCardTitle(alice)).toBe('Porto, FEUP');

    // Space picks it up, Right carries it to the next column, Space puts it down there.
    await alice.keyboard.press('Space');
    await alice.keyboard.press('ArrowRight');
    await alice.keyboard.press('Space');
    const moved = [
      { column: 'Idées', cards: [] },
      { column: 'Retenues', cards: ['Porto, FEUP'] },
    ];
    await expectBoard(alice, moved);
    await expectBoard(bruno, moved);

    // The view tabs: back up to them, Enter shows the pipeline, Tab and Enter the roadmap, and back to the board.
    await tabUntil(alice, '[data-testid="view-tab-pipeline"]', { backwards: true });
    await alice.keyboard.press('Enter');
    await alice.waitForURL(/view=pipeline/);
    await alice.getByTestId('pipeline-stage').first().waitFor();
    expect(await focusedTestId(alice)).toBe('view-tab-pipeline');
    await alice.keyboard.press('Tab');
    expect(await focusedTestId(alice)).toBe('view-tab-roadmap');
    await alice.keyboard.press('Enter');
    await alice.waitForURL(/view=roadmap/);
    expect(await alice.getByTestId('view-tab-roadmap').getAttribute('aria-current')).toBe('page');
    await tabUntil(alice, '[data-testid="view-tab-board"]', { backwards: true });
    await alice.keyboard.press('Enter');
    await alice.waitForURL(/view=board/);
    await expectBoard(alice, moved);
    await screenshot(alice, '04-keyboard-only');

    // Deleted from its drawer: the focus lands in its column, on the field that adds a card.
    await tabUntil(alice, '[data-testid="card"]');
    await alice.keyboard.press('Enter');
    await alice.getByTestId('card-detail').waitFor();
    await tabUntil(alice, '[data-testid="card-delete"]');
    await alice.keyboard.press('Enter');
    const empty = [
      { column: 'Idées', cards: [] },
      { column: 'Retenues', cards: [] },
    ];
    await expectBoard(alice, empty);
    await expectBoard(bruno, empty);
    const retenues = await column(alice, 'Retenues').getAttribute('data-column-id');
    expect(await alice.evaluate((id) => document.activeElement?.matches(`[data-column-id="${id}"] [data-testid="add-card-input"]`), retenues)).toBe(true);
  });
});

/** The stage whose column shows a proposal in the pipeline. */
function stageOf(page: Page, title: string): Promise<string | null> {
  return page
    .getByTestId('pipeline-stage')
    .filter({ has: page.getByTestId('pipeline-card').filter({ hasText: title }) })
    .getAttribute('data-stage', { timeout: 1000 })
    .catch(() => null);
}

/** The board as rendered: column titles and card titles, in display order. */
function boardContent(page: Page): Promise<BoardContent> {
  return page.getByTestId('column').evaluateAll((columns) =>
    columns.map((element) => ({
      column: element.querySelector('[data-testid="column-title"]')?.textContent?.trim() ?? '',
      cards: Array.from(element.querySelectorAll('[data-testid="card"] [data-testid="card-title"]')).map((title) => title.textContent?.trim() ?? ''),
    })),
  );
}

async function expectBoard(page: Page, expected: BoardContent): Promise<void> {
  await expect.poll(() => boardContent(page), { timeout: SYNC_TIMEOUT }).toEqual(expected);
}

async function cardTitlesIn(page: Page, columnTitle: string): Promise<string[]> {
  return (await boardContent(page)).find((entry) => entry.column === columnTitle)?.cards ?? [];
}

/** The titles of the cards shown as picked up. */
function pickedTitles(page: Page): Promise<string[]> {
  return page.locator('[data-testid="card"][data-picked]').evaluateAll((cards) => cards.map((element) => element.querySelector('[data-testid="card-title"]')?.textContent?.trim() ?? ''));
}

/** What the live region last said. */
async function announcement(page: Page): Promise<string> {
  return ((await page.getByTestId('move-announcement').textContent()) ?? '').trim();
}

function focusedCardTitle(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const active = document.activeElement;
    return active?.matches('[data-testid="card"]') ? (active.querySelector('[data-testid="card-title"]')?.textContent?.trim() ?? '') : null;
  });
}

/** Presses Tab (Shift+Tab when `backwards`) until the focused element matches `selector`. */
async function tabUntil(page: Page, selector: string, { backwards = false, max = 60 } = {}): Promise<void> {
  for (let step = 0; step < max; step++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    if (await page.evaluate((selector) => document.activeElement?.matches(selector) ?? false, selector)) return;
  }
  throw new Error(`${selector} is not reached with the keyboard in ${max} presses`);
}

function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `keyboard-${name}.png`) });
}
