/**
 * A board of hundreds of proposals seen through its swimlanes and its pipeline, in Debian's Chromium
 * against the built server: a long lane's cell and a long pipeline stage draw only the cards in and
 * near view of the box that scrolls them with everything else (the board, the pipeline), every part
 * of them in view is drawn wherever it lies under the toolbar and the lanes above, and a card moved
 * with the keyboard or by drag and drop, or opened by a link, is drawn where it is. A second person,
 * in a separate browser context, sees the moves.
 *
 * The steps run in order and share one board.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc, type ProposalStage } from '@passerelle/shared';
import { SCREENSHOT_DIR, signIn, browserRunPerFile, waitSynced } from '../helpers/browser.js';
import { overlaps } from '../helpers/layout.js';
import { ADMIN } from '../helpers/server-process.js';
import { api, connectClient, createBoard, eventually, login, synced } from '../helpers/test-server.js';

/** Proposals `Proposition 000`…`599`: every fourth submitted, the others in SRI review; every third a knowledge alliance. */
const PROPOSALS = 600;
const NOTES = 200;
const SUBMITTED = PROPOSALS / 4;
const title = (i: number) => `Proposition ${String(i).padStart(3, '0')}`;

/**
 * The cells that draw part of their cards (`[data-windowed]`) whose part in view of the scroll box
 * is not covered by drawn cards: empty space where cards should be. Within `slack` px of an edge.
 */
async function uncoveredCells(page: Page, box: string, cardTestId: string, slack = 24): Promise<string[]> {
  return page.evaluate(
    ({ box, cardTestId, slack }) => {
      const view = document.querySelector<HTMLElement>(`[data-testid="${box}"]`)!.getBoundingClientRect();
      const problems: string[] = [];
      for (const cell of document.querySelectorAll<HTMLElement>('[data-windowed]')) {
        const rect = cell.getBoundingClientRect();
        if (rect.right < view.left || rect.left > view.right) continue;
        const drawn = [...cell.querySelectorAll(`[data-testid="${cardTestId}"]`)];
        const cards = drawn.map((card) => card.getBoundingClientRect());
        const first = cards[0];
        const last = cards.at(-1);
        // A cell may be taller than its cards (a lane is as tall as its longest cell): it ends with its last card.
        const lastDrawn = drawn.at(-1);
        const end = last && lastDrawn?.getAttribute('aria-posinset') === lastDrawn?.getAttribute('aria-setsize') ? last.bottom : rect.bottom;
        const top = Math.max(rect.top, view.top);
        const bottom = Math.min(end, view.bottom);
        if (bottom - top < slack * 2) continue;
        if (!first || !last || first.top > top + slack || last.bottom < bottom - slack) {
          problems.push(`${cell.dataset.lane ?? ''}/${cell.dataset.stage ?? ''}: seen ${Math.round(top)}–${Math.round(bottom)}, drawn ${Math.round(first?.top ?? 0)}–${Math.round(last?.bottom ?? 0)} DEBUG scrollTop=${document.querySelector<HTMLElement>(`[data-testid="${box}"]`)!.scrollTop} sh=${document.querySelector<HTMLElement>(`[data-testid="${box}"]`)!.scrollHeight} cellTop=${Math.round(rect.top)} cellH=${Math.round(rect.height)} above=${cell.style.getPropertyValue('--above')} below=${cell.style.getPropertyValue('--below')} idx=${[...cell.querySelectorAll(`[data-testid="${cardTestId}"]`)].map((c) => c.getAttribute('data-index') + ':' + Math.round(c.getBoundingClientRect().height)).join(',')}`);
        }
      }
      return problems;
    },
    { box, cardTestId, slack },
  );
}

/** Scrolls the box to `fraction` of its height and waits for the cells to draw what is in view. */
async function scrollTo(page: Page, box: string, fraction: number, cardTestId: string): Promise<void> {
  await page.getByTestId(box).evaluate((element, fraction) => (element.scrollTop = (element.scrollHeight - element.clientHeight) * fraction), fraction);
  await expect.poll(() => uncoveredCells(page, box, cardTestId), { timeout: 5_000 }).toEqual([]);
}

/** What has the focus: its title and where it stands. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    return {
      title: active?.getAttribute('aria-label'),
      stage: active?.closest<HTMLElement>('[data-testid="pipeline-cell"]')?.dataset.stage,
      column: active?.closest('[data-testid="column"]')?.querySelector('[data-testid="column-title"]')?.textContent,
      lane: active?.closest<HTMLElement>('[data-testid="column-cards"]')?.dataset.lane,
      posinset: active?.getAttribute('aria-posinset'),
      setsize: active?.getAttribute('aria-setsize'),
      inView: !!active && active.getBoundingClientRect().top >= 0 && active.getBoundingClientRect().bottom <= window.innerHeight,
    };
  });
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

describe('swimlanes and the pipeline of a board with hundreds of proposals', () => {
  const e2e = browserRunPerFile();
  let alice: Page;
  let bruno: Page;
  let boardId: string;
  let token: string;
  const ids = new Map<string, string>();

  const stageCount = (page: Page, stage: ProposalStage) => page.locator(`[data-testid="pipeline-stage"][data-stage="${stage}"] .stage-count`).textContent();
  const pipelineCard = (page: Page, name: string) => page.locator('[data-testid="pipeline-card"]', { has: page.getByText(name, { exact: true }) });
  const boardCard = (page: Page, name: string) => page.locator('[data-testid="card"]', { has: page.getByText(name, { exact: true }) });

  /** A column's cards as the document has them, read by a client of the test. */
  async function storedOrder(columnTitle: string): Promise<string[]> {
    const check = connectClient(e2e.server.url, boardId, token, new Y.Doc());
    await synced(check.provider);
    const board = new BoardDoc(check.doc);
    const column = board.listColumns().find((candidate) => candidate.title === columnTitle)!;
    const titles = board.listCards(column.id).map((card) => card.title);
    check.provider.destroy();
    return titles;
  }

  beforeAll(async () => {
    const cookie = await login(e2e.server.url);
    const { body } = await api<{ token: string }>(e2e.server.url, '/api/tokens', { method: 'POST', body: { name: 'big lanes' }, cookie });
    token = body.token;
    boardId = await createBoard(e2e.server.url, token, 'Mobilités 2028');
    const { doc, provider } = connectClient(e2e.server.url, boardId, token);
    await synced(provider);
    const board = new BoardDoc(doc);
    doc.transact(() => {
      const columns = [board.addColumn('Colonne 1'), board.addColumn('Colonne 2')];
      for (let i = 0; i < PROPOSALS; i++) {
        const fields = { actionType: i % 3 === 0 ? 'knowledge_alliance' : 'double_degree', stage: i % 4 === 0 ? 'submitted' : 'sri_review' } as const;
        ids.set(title(i), board.addProposal(columns[i % 2]!, { title: title(i), createdBy: 'e2e', fields }));
      }
      for (let i = 0; i < NOTES; i++) board.addCard(columns[0]!, { title: `Note ${String(i).padStart(3, '0')}`, createdBy: 'e2e' });
    });
    const check = connectClient(e2e.server.url, boardId, token, new Y.Doc());
    await synced(check.provider);
    await eventually(() => new BoardDoc(check.doc).cards.size === PROPOSALS + NOTES, 20_000, 'every card stored');
    check.provider.destroy();
    provider.destroy();
    alice = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
    bruno = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    await signIn(alice, e2e.server.url, ADMIN);
    await signIn(bruno, e2e.server.url, ADMIN);
  });

  afterAll(async () => {
    await e2e.run.browser.close();
  });

  it('a board cut into lanes counts every card and draws only those in and near view, all that is in view at any scroll', async () => {
    await alice.goto(`${e2e.server.url}/boards/${boardId}`);
    await bruno.goto(`${e2e.server.url}/boards/${boardId}`);
    await Promise.all([waitSynced(alice, 30_000), waitSynced(bruno, 30_000)]);
    await alice.getByTestId('board-lanes-select').selectOption('actionType');
    await expect.poll(() => alice.getByTestId('column-count').allTextContents(), { timeout: 20_000 }).toEqual([String(PROPOSALS / 2 + NOTES), String(PROPOSALS / 2)]);
    // Five long cells (two lanes in each column, the notes in the first).
    await expect.poll(() => alice.locator('[data-testid="column-cards"][data-windowed]').count()).toBe(5);
    const drawn = await alice.getByTestId('card').count();
    expect(drawn).toBeGreaterThan(4);
    expect(drawn).toBeLessThan((PROPOSALS + NOTES) / 5);
    const first = alice.getByTestId('card').first();
    expect(await first.getAttribute('aria-posinset')).toBe('1');
    expect(await first.getAttribute('aria-setsize')).toBe('100');
    // Each lane's row is as tall as its cards, drawn or not: nothing overflows into the lane below.
    const overflowing = await alice.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="column-cards"]')].filter((cell) => cell.scrollHeight > cell.getBoundingClientRect().height + 1).map((cell) => cell.dataset.lane),
    );
    expect(overflowing).toEqual([]);
    for (const fraction of [0, 0.15, 0.5, 0.8, 1]) await scrollTo(alice, 'columns', fraction, 'card');
    // At the bottom, the notes lane's last note is drawn, in view, and says where it stands.
    const lastNote = boardCard(alice, 'Note 199');
    expect(await lastNote.getAttribute('aria-posinset')).toBe(String(NOTES));
    expect(await lastNote.isVisible()).toBe(true);
    // Cards that moved on screen as their neighbours were measured glide there (150 ms) first.
    await expect.poll(() => overlaps(alice, '[data-testid="card"]'), { timeout: 2_000 }).toEqual([]);
    expect(await alice.getByTestId('card').count()).toBeLessThan((PROPOSALS + NOTES) / 5);
    await scrollTo(alice, 'columns', 0, 'card');
  });

  it('a card dropped by the pointer among the drawn cards of a long lane in another column lands between those it was dropped between', async () => {
    await scrollTo(alice, 'columns', 0, 'card');
    const isAlliance = (name: string) => name.startsWith('Proposition') && Number(name.slice(-3)) % 3 === 0;
    const laneIn = (column: number) => alice.locator('[data-testid="column"]').nth(column).locator('[data-testid="column-cards"][data-lane="knowledge_alliance"]');
    expect(await laneIn(1).getByTestId('card-title').first().textContent()).toBe(title(3));
    // Proposition 003, first of its lane in Colonne 2, dropped onto the third drawn card of the lane in Colonne 1.
    await dragCard(alice, laneIn(1).getByTestId('card').first(), laneIn(0).getByTestId('card').nth(2));
    await expect.poll(async () => (await storedOrder('Colonne 1')).filter(isAlliance).indexOf(title(3)), { timeout: 10_000 }).toBeGreaterThan(0);
    const stored = (await storedOrder('Colonne 1')).filter(isAlliance);
    expect(stored.indexOf(title(3))).toBeLessThan(4);
    // The document's order is the one the person saw where they let go.
    const shown = await laneIn(0).getByTestId('card-title').allTextContents();
    expect(stored.slice(0, 6)).toEqual(shown.slice(0, 6));
    expect(stored).toHaveLength(PROPOSALS / 6 + 1);
    await expect.poll(() => bruno.getByTestId('column-count').allTextContents(), { timeout: 10_000 }).toEqual([String(PROPOSALS / 2 + NOTES + 1), String(PROPOSALS / 2 - 1)]);
  });

  it('moves a card with Alt+→ to the end of its lane in the next column, far below, drawn there and focused; the other person sees it', async () => {
    await scrollTo(alice, 'columns', 0, 'card');
    const card = boardCard(alice, title(0));
    await card.focus();
    await card.press('Alt+ArrowRight');
    await expect.poll(() => focused(alice), { timeout: 5_000 }).toMatchObject({ title: title(0), column: 'Colonne 2', lane: 'knowledge_alliance', posinset: '100', setsize: '100', inView: true });
    await expect.poll(() => bruno.getByTestId('column-count').allTextContents(), { timeout: 10_000 }).toEqual([String(PROPOSALS / 2 + NOTES), String(PROPOSALS / 2)]);
    await alice.screenshot({ path: join(SCREENSHOT_DIR, 'big-lanes-moved.png') });
  });

  it('the pipeline’s long stages draw only the proposals in and near view, with their place in the whole stage', async () => {
    await alice.goto(`${e2e.server.url}/boards/${boardId}?view=pipeline`);
    await bruno.goto(`${e2e.server.url}/boards/${boardId}?view=pipeline`);
    await Promise.all([waitSynced(alice, 30_000), waitSynced(bruno, 30_000)]);
    await expect.poll(() => stageCount(alice, 'submitted'), { timeout: 20_000 }).toBe(String(SUBMITTED));
    expect(await stageCount(alice, 'sri_review')).toBe(String(PROPOSALS - SUBMITTED));
    expect(await alice.locator('[data-testid="pipeline-cell"][data-windowed]').count()).toBe(2);
    const drawn = await alice.getByTestId('pipeline-card').count();
    expect(drawn).toBeGreaterThan(4);
    expect(drawn).toBeLessThan(PROPOSALS / 5);
    const first = alice.locator('[data-testid="pipeline-cell"][data-stage="submitted"] [data-testid="pipeline-card"]').first();
    expect(await first.getAttribute('aria-posinset')).toBe('1');
    expect(await first.getAttribute('aria-setsize')).toBe(String(SUBMITTED));
    for (const fraction of [0, 0.2, 0.6, 1]) await scrollTo(alice, 'pipeline', fraction, 'pipeline-card');
    // The end of the pipeline moves as the proposals drawn on the way are measured: scrolled to until it stays.
    const last = pipelineCard(alice, title(599));
    await expect
      .poll(async () => {
        await alice.getByTestId('pipeline').evaluate((element) => (element.scrollTop = element.scrollHeight));
        return last.count();
      }, { timeout: 5_000 })
      .toBe(1);
    expect(await last.getAttribute('aria-posinset')).toBe(String(PROPOSALS - SUBMITTED));
    await expect.poll(() => overlaps(alice, '[data-testid="pipeline-card"]'), { timeout: 2_000 }).toEqual([]);
    expect(await alice.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1)).toBe(true);
  });

  it('a proposal picked up with the keyboard and moved a stage right is drawn and focused far below, and the other person sees it', async () => {
    // The submitted stage's last proposal, 596, falls in SRI review after 447 others.
    await alice.locator('[data-testid="pipeline-cell"][data-stage="submitted"]').evaluate((cell) => cell.scrollIntoView({ block: 'end' }));
    const card = pipelineCard(alice, title(596));
    await expect.poll(() => card.count(), { timeout: 5_000 }).toBe(1);
    await card.focus();
    await alice.keyboard.press('Space');
    await alice.keyboard.press('ArrowRight');
    await expect.poll(() => focused(alice), { timeout: 5_000 }).toMatchObject({ title: title(596), stage: 'sri_review', posinset: '448', setsize: String(PROPOSALS - SUBMITTED + 1), inView: true });
    await alice.keyboard.press('Space');
    await expect.poll(() => stageCount(bruno, 'sri_review'), { timeout: 10_000 }).toBe(String(PROPOSALS - SUBMITTED + 1));
    expect(await stageCount(bruno, 'submitted')).toBe(String(SUBMITTED - 1));
    expect((await focused(alice)).title).toBe(title(596));
  });

  it('a proposal dragged from one long stage to the next moves there, for both people', async () => {
    await scrollTo(alice, 'pipeline', 0, 'pipeline-card');
    const target = alice.locator('[data-testid="pipeline-cell"][data-stage="sri_review"] [data-testid="pipeline-card"]').nth(1);
    await dragCard(alice, pipelineCard(alice, title(4)), target);
    await expect.poll(() => stageCount(bruno, 'sri_review'), { timeout: 10_000 }).toBe(String(PROPOSALS - SUBMITTED + 2));
    await expect.poll(() => alice.locator('[data-testid="pipeline-cell"][data-stage="sri_review"] [data-testid="pipeline-card"]', { hasText: title(4) }).count()).toBe(1);
  });

  it('with lanes by action type, every long cell draws what is in view below the lanes above it', async () => {
    await alice.getByTestId('swimlane-select').selectOption('actionType');
    // Knowledge alliances in SRI review, double degrees submitted and in SRI review (50 alliances submitted are drawn whole).
    await expect.poll(() => alice.locator('[data-testid="pipeline-cell"][data-windowed]').count(), { timeout: 5_000 }).toBe(3);
    for (const fraction of [0, 0.1, 0.3, 0.5, 0.75, 1]) await scrollTo(alice, 'pipeline', fraction, 'pipeline-card');
    expect(await alice.getByTestId('pipeline-card').count()).toBeLessThan(PROPOSALS / 5);
    await expect.poll(() => overlaps(alice, '[data-testid="pipeline-card"]'), { timeout: 2_000 }).toEqual([]);
    // A filter keeps the lanes and the windows: what is drawn is among what it lets through, counted as such.
    await alice.getByTestId('filter-action-type').selectOption('double_degree');
    await expect.poll(() => alice.getByTestId('swimlane').count(), { timeout: 5_000 }).toBe(1);
    const review = alice.locator('[data-testid="pipeline-cell"][data-stage="sri_review"] [data-testid="pipeline-card"]');
    // 300 double degrees in review, and the two moved there above.
    expect(await review.first().getAttribute('aria-setsize')).toBe('302');
    await scrollTo(alice, 'pipeline', 0.5, 'pipeline-card');
    const found = await alice.getByTestId('pipeline-card-title').allTextContents();
    expect(found.length).toBeGreaterThan(4);
    expect(found.filter((name) => Number(name.slice(-3)) % 3 === 0)).toEqual([]);
    await alice.getByTestId('filter-clear').click();
    await alice.getByTestId('swimlane-select').selectOption('none');
  });

  it('a link to a proposal far down its stage opens it, draws it outlined behind the drawer, and gives it the focus when the drawer closes', async () => {
    await alice.goto(`${e2e.server.url}/boards/${boardId}?view=pipeline&card=${ids.get(title(598))}`);
    await waitSynced(alice, 30_000);
    await alice.getByTestId('proposal-detail').waitFor();
    const card = pipelineCard(alice, title(598));
    await expect.poll(() => card.count(), { timeout: 5_000 }).toBe(1);
    expect(await card.evaluate((element) => element.classList.contains('open'))).toBe(true);
    await alice.getByTestId('card-close').click();
    await expect.poll(() => focused(alice), { timeout: 5_000 }).toMatchObject({ title: title(598), stage: 'sri_review', inView: true });
  });
});
