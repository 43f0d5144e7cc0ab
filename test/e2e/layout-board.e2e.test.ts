/**
 * The demo board at a phone's, a tablet's and a desktop's width, in French and in English, measured
 * as a person sees it: the page never scrolls sideways (the board, its stages and its tables scroll
 * inside their own box), no two columns, stages or cards overlap, a card stays inside its stage, a
 * vote's dots stay on their own card, a column's or a card's title is either whole on screen or
 * given whole by its title, and on a phone the card drawer fills the screen and the meeting's
 * controls sit at the bottom. Each view is saved under `test-results/screenshots/layout-board/`.
 *
 * One browser and one page per language, resized from width to width, as the administrator (a
 * member of every board); the views are switched with their tabs, as a person does.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { browserRunPerFile, SCREENSHOT_DIR, signIn, waitSynced } from '../helpers/browser.js';
import { layoutProblems, offScreen, type LayoutProblem, VIEWPORTS } from '../helpers/layout.js';
import { ADMIN } from '../helpers/server-process.js';

const SHOTS = `${SCREENSHOT_DIR}/layout-board`;
/** Up to this width (30rem) a screen is a phone's; up to 48rem, an upright tablet's. */
const PHONE_MAX = 480;
const TABLET_MAX = 768;

type Viewport = (typeof VIEWPORTS)[number];

/** Each element matching `selector` whose box leaves the box of its closest `boxSelector` ancestor sideways. */
async function outsideTheirBox(page: Page, selector: string, boxSelector: string): Promise<LayoutProblem[]> {
  const found = await page.evaluate(
    ({ selector, boxSelector }) => {
      const problems: string[] = [];
      for (const element of document.querySelectorAll<HTMLElement>(selector)) {
        const box = element.closest(boxSelector);
        if (!box) continue;
        const inner = element.getBoundingClientRect();
        const outer = box.getBoundingClientRect();
        if (inner.left < outer.left - 1 || inner.right > outer.right + 1) {
          problems.push(`“${(element.textContent ?? '').trim().slice(0, 40)}” spans ${Math.round(inner.left)}…${Math.round(inner.right)}px, its box ${Math.round(outer.left)}…${Math.round(outer.right)}px`);
        }
      }
      return problems;
    },
    { selector, boxSelector },
  );
  return found.map((detail) => ({ kind: 'overlap' as const, detail }));
}

/** Vote dots that leave their own card or touch another card. */
async function strayDots(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const cards = [...document.querySelectorAll<HTMLElement>('[data-testid="card"][data-card-id]')];
    for (const dots of document.querySelectorAll<HTMLElement>('[data-testid="card-dots"]')) {
      const d = dots.getBoundingClientRect();
      for (const card of cards) {
        const c = card.getBoundingClientRect();
        const own = card.dataset.cardId === dots.dataset.cardId;
        const title = card.getAttribute('aria-label')?.slice(0, 30);
        if (own && (d.left < c.left || d.right > c.right || d.top < c.top || d.bottom > c.bottom)) problems.push(`dots leave their card “${title}”`);
        const dx = Math.min(d.right, c.right) - Math.max(d.left, c.left);
        const dy = Math.min(d.bottom, c.bottom) - Math.max(d.top, c.top);
        if (!own && dx > 0 && dy > 0) problems.push(`dots of another card cover “${title}” by ${Math.round(dx)}×${Math.round(dy)}px`);
      }
    }
    return problems;
  });
}

/** Each column title whose hover text does not give the title whole. */
async function columnTitlesWithoutHover(page: Page): Promise<string[]> {
  return page.locator('[data-testid="column-title"]').evaluateAll((titles) =>
    titles.filter((title) => !(title.getAttribute('title') ?? '').includes((title.textContent ?? '').trim())).map((title) => (title.textContent ?? '').trim()),
  );
}

/** Closes the meeting tools with the × in their header. */
async function closeTools(page: Page) {
  await page.getByTestId('meeting-tools').locator('header button').click();
  await page.getByTestId('meeting-tools').waitFor({ state: 'detached' });
}

describe('the demo board at phone, tablet and desktop widths', () => {
  const e2e = browserRunPerFile({ DEMO_WORKSPACE: 'true' });
  const pages: Page[] = [];
  let boardPath = '';

  afterAll(async () => {
    await Promise.all(pages.map((page) => page.context().close()));
  });

  async function openBoard(locale: string): Promise<Page> {
    mkdirSync(SHOTS, { recursive: true });
    const page = await e2e.newPage({ width: 1440, height: 900, locale });
    pages.push(page);
    await signIn(page, e2e.server.url, ADMIN);
    boardPath ||= (await page.getByTestId('board-link').first().getAttribute('href'))!;
    await page.goto(`${e2e.server.url}${boardPath}`);
    await waitSynced(page);
    await page.getByTestId('card').first().waitFor();
    return page;
  }

  async function showView(page: Page, view: 'board' | 'pipeline' | 'roadmap' | 'actions') {
    await page.getByTestId(`view-tab-${view}`).click();
    await page.waitForURL(new RegExp(`view=${view}`));
  }

  describe.each([
    { language: 'French', locale: 'fr-FR', tag: 'fr' },
    { language: 'English', locale: 'en-GB', tag: 'en' },
  ])('in $language', ({ locale, tag }) => {
    let page: Page;

    it.each(VIEWPORTS)('every view fits, nothing overlaps and every title reads whole at $name width ($width px)', async (viewport: Viewport) => {
      page ??= await openBoard(locale);
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${tag}-${viewport.name}-${name}.png` });

      // The columns: side by side in their own scrolling box, titles on up to three lines.
      await showView(page, 'board');
      await page.getByTestId('card').first().waitFor();
      await shot('columns');
      expect(
        await layoutProblems(page, {
          overlap: ['[data-testid="column"]', '[data-testid="card"]'],
          text: ['[data-testid="column-title"]', '[data-testid="card-title"]'],
        }),
      ).toEqual([]);
      expect(await columnTitlesWithoutHover(page)).toEqual([]);
      // On a desktop the demo's columns and the add-column field are all on screen, none of them cut.
      if (viewport.width > TABLET_MAX) expect(await offScreen(page, '[data-testid="column"], [data-testid="add-column-input"]')).toEqual([]);
      // Scrolled to its end, the board shows the add-column field whole.
      await page.getByTestId('columns').evaluate((columns) => columns.scrollTo({ left: columns.scrollWidth, behavior: 'instant' }));
      expect(await outsideTheirBox(page, '[data-testid="add-column-input"]', '[data-testid="columns"]')).toEqual([]);
      await shot('columns-end');
      const columns = await page.getByTestId('columns').evaluate((element) => ({
        snap: getComputedStyle(element).scrollSnapType,
        visibleWidth: element.clientWidth,
        widest: Math.max(...[...element.querySelectorAll('[data-testid="column"]')].map((column) => column.getBoundingClientRect().width)),
      }));
      expect(columns.widest).toBeLessThan(columns.visibleWidth);
      // A phone or an upright tablet moves one column per flick.
      if (viewport.width <= TABLET_MAX) expect(columns.snap).toBe('x mandatory');

      // The pipeline: every card inside its stage, its partners given whole on hover.
      await showView(page, 'pipeline');
      await page.getByTestId('pipeline-card').first().waitFor();
      await shot('pipeline');
      expect(
        await layoutProblems(page, {
          overlap: ['[data-testid="pipeline-stage"]', '[data-testid="pipeline-card"]'],
          text: ['[data-testid="pipeline-card-title"]', '[data-testid="card-partners"]'],
        }),
      ).toEqual([]);
      expect(await outsideTheirBox(page, '[data-testid="pipeline-card"]', '[data-testid="pipeline-stage"]')).toEqual([]);
      // On a desktop the seven stages are all on screen.
      if (viewport.width > TABLET_MAX) expect(await offScreen(page, '[data-testid="pipeline-stage"]')).toEqual([]);

      // The roadmap and the actions: their tables scroll inside their own box.
      for (const view of ['roadmap', 'actions'] as const) {
        await showView(page, view);
        await shot(view);
        expect(await layoutProblems(page, {})).toEqual([]);
      }

      // A proposal's drawer: beside the board on a desktop, the whole screen on a phone or tablet.
      await showView(page, 'board');
      await page.locator('[data-testid="card"][data-kind="proposal"]').first().click();
      const drawer = page.getByTestId('proposal-detail');
      await drawer.waitFor();
      await shot('drawer');
      expect(await layoutProblems(page, {})).toEqual([]);
      if (viewport.width <= TABLET_MAX) {
        expect(await drawer.boundingBox()).toEqual({ x: 0, y: 0, width: viewport.width, height: viewport.height });
      }
      await page.getByTestId('card-close').click();
    });
  });

  describe('during a meeting with a vote open', () => {
    let page: Page;

    it.each(VIEWPORTS)('vote dots stay on their own card, and the meeting controls are within reach at $name width ($width px)', async (viewport: Viewport) => {
      if (!page) {
        page = await openBoard('fr-FR');
        await page.getByTestId('meeting-start').click();
        await page.getByTestId('vote-start').click();
        await page.getByTestId('vote-add').first().waitFor();
        await page.getByTestId('vote-add').first().click();
        await closeTools(page);
      }
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      await expect.poll(() => page.getByTestId('card-dots').count()).toBeGreaterThan(0);
      await page.screenshot({ path: `${SHOTS}/fr-${viewport.name}-meeting.png` });
      expect(await strayDots(page)).toEqual([]);
      expect(await layoutProblems(page, { overlap: ['[data-testid="card"]'] })).toEqual([]);

      const bar = (await page.getByTestId('meeting-bar').boundingBox())!;
      if (viewport.width <= PHONE_MAX) {
        // The meeting strip is the bottom of the screen, the tools button in it.
        expect(bar.y + bar.height).toBeGreaterThan(viewport.height - 2);
        const tools = (await page.getByTestId('meeting-tools-toggle').boundingBox())!;
        expect(tools.y).toBeGreaterThan(viewport.height / 2);
        await page.getByTestId('meeting-tools-toggle').click();
        const sheet = (await page.getByTestId('meeting-tools').boundingBox())!;
        await page.screenshot({ path: `${SHOTS}/fr-${viewport.name}-meeting-tools.png` });
        expect(sheet.x).toBe(0);
        expect(sheet.width).toBe(viewport.width);
        expect(sheet.y + sheet.height).toBeGreaterThan(viewport.height - 2);
        expect(await layoutProblems(page, {})).toEqual([]);
        await closeTools(page);
      }
    });
  });
});
