/**
 * The priorities view and the roadmap's dependencies, live for two people in two browser contexts
 * on the demo board: an objective Alice names on a proposal stops being a gap on Bruno's screen,
 * and the circle Alice closes between two roadmap items shows on Bruno's roadmap as a warning on
 * both items, in the summary, and as a red arrow. The steps run in order on one board.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserRunPerFile, SCREENSHOT_DIR, signIn, waitSynced } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';
import { createUser, login } from '../helpers/test-server.js';

const BRUNO = { email: 'bruno.lefevre@example.org', password: 'tulipe-de-delft-2025', name: 'Bruno Lefèvre' } as const;
/** How long a change may take to cross from one browser to the other. */
const SYNC_TIMEOUT = 10_000;

/** Two items of the demo's roadmap (written in the workspace's language, French). */
const MOBILITY = 'Développer la mobilité entrante et sortante (étudiants, enseignants-chercheurs, personnels)';
const STRATEGIC = 'Partenariats stratégiques';

/** The priorities view's objective `id` ("1.3"). */
const objective = (page: Page, id: string) => page.locator(`[data-testid="coverage-objective"][data-objective="${id}"]`);
/** A roadmap item's row, by its title. */
const roadmapItem = (page: Page, title: string) =>
  page.getByTestId('roadmap-item').filter({ has: page.getByTestId('roadmap-item-title').getByText(title, { exact: true }) });

describe('priorities coverage and roadmap dependencies, live in two browsers', () => {
  const e2e = browserRunPerFile({ DEMO_WORKSPACE: 'true' });
  let alice: Page;
  let bruno: Page;
  let boardPath = '';

  beforeAll(async () => {
    await createUser(e2e.server.url, await login(e2e.server.url), BRUNO);
    alice = await e2e.newPage({ width: 1440, height: 900, locale: 'en-GB' });
    bruno = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    await signIn(alice, e2e.server.url, ADMIN);
    await signIn(bruno, e2e.server.url, BRUNO);
    boardPath = (await alice.getByTestId('board-link').first().getAttribute('href'))!;
  });

  afterAll(async () => {
    await Promise.all([alice, bruno].map((page) => page?.context().close()));
  });

  it('shows the demo’s priorities with its three gaps, and an objective Alice names on a proposal stops being a gap for Bruno', async () => {
    await bruno.goto(`${e2e.server.url}${boardPath}?view=priorities`);
    await waitSynced(bruno);
    const summary = bruno.getByTestId('coverage-summary');
    await expect.poll(() => summary.getAttribute('data-covered')).toBe('12');
    expect(await summary.getAttribute('data-total')).toBe('15');
    const gaps = await bruno.locator('[data-testid="coverage-objective"][data-gap="true"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-objective')));
    expect(gaps).toEqual(['1.3', '2.1', '2.3']);
    expect(await objective(bruno, '1.3').getByTestId('coverage-gap').isVisible()).toBe(true);

    // The double degree already advances objective 1.2: its link on Bruno's screen names its card.
    const doubleDegree = objective(bruno, '1.2').locator('[data-testid="coverage-link"][data-kind="proposal"]').filter({ hasText: 'Sherbrooke' });
    const cardId = (await doubleDegree.getAttribute('data-item-id'))!;

    // Alice opens that proposal and ticks objective 1.3 (preparing for the doctorate) in its priority 1.
    await alice.goto(`${e2e.server.url}${boardPath}?card=${cardId}`);
    await waitSynced(alice);
    const drawer = alice.getByTestId('proposal-detail');
    await drawer.waitFor();
    await drawer.locator('[data-testid="proposal-objective"][data-objective="1.3"]').check();

    await expect.poll(() => objective(bruno, '1.3').getAttribute('data-gap'), { timeout: SYNC_TIMEOUT }).toBe('false');
    await expect.poll(() => summary.getAttribute('data-covered')).toBe('13');
    const link = objective(bruno, '1.3').getByTestId('coverage-link');
    expect(await link.evaluateAll((links) => links.map((element) => [element.getAttribute('data-kind'), element.getAttribute('data-item-id')]))).toEqual([
      ['proposal', cardId],
      // The roadmap item that carries the proposal advances the objective through it.
      ['roadmap', expect.any(String)],
      // So does the action that came from the proposal (preparing the framing meeting).
      ['action', expect.any(String)],
    ]);
    await bruno.screenshot({ path: `${SCREENSHOT_DIR}/coverage-priorities-bruno.png`, fullPage: true });

    // Each item opens its card: the address names it, and the drawer shows it.
    await link.first().getByTestId('coverage-open').click();
    await bruno.waitForURL(new RegExp(`[?&]card=${cardId}`));
    await bruno.getByTestId('proposal-detail').waitFor();
    expect(new URL(bruno.url()).searchParams.get('view')).toBe('priorities');
    await bruno.getByTestId('card-close').click();
  });

  it('a circle Alice closes between two roadmap items shows on Bruno’s roadmap, on both items, in the summary and as red arrows', async () => {
    await bruno.getByTestId('view-tab-roadmap').click();
    await bruno.waitForURL(/view=roadmap/);
    await expect.poll(() => bruno.getByTestId('roadmap-arrow').count()).toBe(5);
    expect(await bruno.getByTestId('roadmap-deps-summary').count()).toBe(0);
    expect(await bruno.locator('[data-testid="roadmap-arrow"][data-warn="true"]').count()).toBe(0);

    await alice.getByTestId('view-tab-roadmap').click();
    await alice.waitForURL(/view=roadmap/);
    // Mobility (short term) made to wait for the strategic partnerships, which already wait for it.
    const strategicId = (await roadmapItem(alice, STRATEGIC).getAttribute('data-item-id'))!;
    await roadmapItem(alice, MOBILITY).getByTestId('roadmap-edit').click();
    const form = alice.getByTestId('roadmap-form');
    const optionSelector = `[data-testid="roadmap-depends-option"][data-item-id="${strategicId}"]`;
    const option = form.locator(optionSelector);
    // The form says so before anything is saved, next to that item and to the one that waits for it in turn (capacity building).
    expect(await form.locator('label').filter({ has: alice.locator(optionSelector) }).getByTestId('roadmap-closes-cycle').count()).toBe(1);
    expect(await form.getByTestId('roadmap-closes-cycle').count()).toBe(2);
    await option.check();
    await form.getByTestId('roadmap-save').click();

    const summary = bruno.getByTestId('roadmap-deps-summary');
    await summary.waitFor({ timeout: SYNC_TIMEOUT });
    // The circle, and the mobility item now starting (2026) before the partnerships it waits for end (2030).
    expect(await summary.getByTestId('roadmap-deps-summary-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')))).toEqual(['cycle', 'startsEarly']);
    expect(await summary.textContent()).toContain(`${MOBILITY} → ${STRATEGIC}`);
    const warnings = (title: string) => roadmapItem(bruno, title).getByTestId('roadmap-dep-warning').evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')));
    expect(await warnings(MOBILITY)).toEqual(['cycle', 'startsEarly']);
    expect(await warnings(STRATEGIC)).toEqual(['cycle']);
    expect(await warnings('Alliance de la connaissance en chimie')).toEqual([]);
    // One arrow more, and the two arrows of the circle in red; the others stay as they were.
    await expect.poll(() => bruno.getByTestId('roadmap-arrow').count()).toBe(6);
    const red = await bruno.locator('[data-testid="roadmap-arrow"][data-warn="true"]').evaluateAll((arrows) => arrows.map((arrow) => `${arrow.getAttribute('data-from')}>${arrow.getAttribute('data-to')}`).sort());
    const mobilityId = (await roadmapItem(bruno, MOBILITY).getAttribute('data-item-id'))!;
    expect(red).toEqual([`${mobilityId}>${strategicId}`, `${strategicId}>${mobilityId}`].sort());
    await bruno.screenshot({ path: `${SCREENSHOT_DIR}/coverage-roadmap-cycle-bruno.png` });
  });

  // Priority 1 holds the alliance too, through its objective 1.4, though its own priorities are 2, 4 and 5.
  it('the table groups a board’s proposals by priority, a proposal under each of its priorities, and follows an objective named in another browser', async () => {
    const boardId = boardPath.split('/').pop()!;
    await alice.goto(`${e2e.server.url}/table?type=proposals&board=${boardId}`);
    await alice.getByTestId('table-row').first().waitFor();
    await alice.getByTestId('table-group-by').selectOption('priorities');
    const groups = () =>
      alice.getByTestId('table-group').evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-group'), row.getAttribute('data-count')]));
    await expect.poll(groups).toEqual([
      ['1', '4'],
      ['2', '1'],
      ['3', '4'],
      ['4', '2'],
      ['5', '1'],
    ]);
    expect(await alice.getByTestId('table-group').first().textContent()).toContain('Priority 1 · Skills, programmes and quality of training');

    // Bruno names objective 2.1 on the capacity-building proposal: it joins priority 2 in Alice's table.
    await bruno.getByTestId('view-tab-priorities').click();
    const capacity = bruno.locator('[data-testid="coverage-whole"] [data-testid="coverage-link"][data-kind="proposal"]').filter({ hasText: 'Cameroun' }).first();
    await capacity.getByTestId('coverage-open').click();
    const drawer = bruno.getByTestId('proposal-detail');
    await drawer.waitFor();
    await drawer.locator('[data-testid="proposal-priorities"] .priority').nth(1).locator('summary').click();
    await drawer.locator('[data-testid="proposal-objective"][data-objective="2.1"]').check();

    await expect.poll(groups, { timeout: SYNC_TIMEOUT }).toEqual([
      ['1', '4'],
      ['2', '2'],
      ['3', '4'],
      ['4', '2'],
      ['5', '1'],
    ]);
    await bruno.getByTestId('card-close').click();
  });
});
