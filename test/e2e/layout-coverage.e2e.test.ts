/**
 * The demo board's priorities view and its roadmap's dependency arrows at a phone's, a tablet's and
 * a desktop's width, in French and in English: the page never scrolls sideways, priorities and
 * objectives do not overlap, their titles read whole, and every arrow runs from the end of the item
 * waited for to the start of the item that waits, also once the roadmap is scrolled, once the text
 * is made larger while it is open, and once the item form narrows it. Each view is saved under `test-results/screenshots/layout-coverage/`.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { browserRunPerFile, SCREENSHOT_DIR, signIn, waitSynced } from '../helpers/browser.js';
import { layoutProblems, VIEWPORTS } from '../helpers/layout.js';
import { ADMIN } from '../helpers/server-process.js';

const SHOTS = `${SCREENSHOT_DIR}/layout-coverage`;

/**
 * Each arrow whose ends are more than 2 px from where they belong: its start on the right edge of
 * the bar of the item waited for, at mid-height; its end on the left edge of the waiting item's bar.
 */
async function misplacedArrows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const svg = document.querySelector<SVGSVGElement>('[data-testid="roadmap-arrows"]')!;
    const origin = svg.getBoundingClientRect();
    const bar = (id: string) => document.querySelector(`[data-testid="roadmap-item"][data-item-id="${id}"] [data-testid="roadmap-bar"]`)!.getBoundingClientRect();
    for (const arrow of document.querySelectorAll<SVGPathElement>('[data-testid="roadmap-arrow"]')) {
      const from = bar(arrow.dataset.from!);
      const to = bar(arrow.dataset.to!);
      const start = arrow.getPointAtLength(0);
      const end = arrow.getPointAtLength(arrow.getTotalLength());
      const near = (x: number, y: number, wantX: number, wantY: number) => Math.abs(x - wantX) <= 2 && Math.abs(y - wantY) <= 2;
      if (!near(origin.left + start.x, origin.top + start.y, from.right, from.top + from.height / 2)) {
        problems.push(`arrow ${arrow.dataset.from}→${arrow.dataset.to} starts at ${Math.round(origin.left + start.x)},${Math.round(origin.top + start.y)}, its item ends at ${Math.round(from.right)},${Math.round(from.top + from.height / 2)}`);
      }
      if (!near(origin.left + end.x, origin.top + end.y, to.left, to.top + to.height / 2)) {
        problems.push(`arrow ${arrow.dataset.from}→${arrow.dataset.to} ends at ${Math.round(origin.left + end.x)},${Math.round(origin.top + end.y)}, its item starts at ${Math.round(to.left)},${Math.round(to.top + to.height / 2)}`);
      }
    }
    return problems;
  });
}

describe('the priorities view and the roadmap’s arrows at phone, tablet and desktop widths', () => {
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
    return page;
  }

  describe.each([
    { language: 'French', locale: 'fr-FR', tag: 'fr' },
    { language: 'English', locale: 'en-GB', tag: 'en' },
  ])('in $language', ({ locale, tag }) => {
    let page: Page;

    it.each(VIEWPORTS)('the priorities fit and read whole, and the arrows join their items at $name width ($width px)', async (viewport) => {
      page ??= await openBoard(locale);
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${tag}-${viewport.name}-${name}.png` });

      await page.getByTestId('view-tab-priorities').click();
      await page.waitForURL(/view=priorities/);
      await page.getByTestId('coverage-priority').first().waitFor();
      await shot('priorities');
      expect(
        await layoutProblems(page, {
          overlap: ['[data-testid="coverage-priority"]', '[data-testid="coverage-objective"]', '[data-testid="coverage-link"]'],
          text: ['[data-testid="coverage-priority"] h2', '[data-testid="coverage-objective"] h3', '[data-testid="coverage-open"]', '[data-testid="coverage-summary"]'],
        }),
      ).toEqual([]);
      // Every one of the five priorities and fifteen objectives is there, the gaps marked.
      expect(await page.getByTestId('coverage-priority').count()).toBe(5);
      expect(await page.getByTestId('coverage-objective').count()).toBe(15);
      expect(await page.getByTestId('coverage-gap').count()).toBe(3);

      await page.getByTestId('view-tab-roadmap').click();
      await page.waitForURL(/view=roadmap/);
      await expect.poll(() => page.getByTestId('roadmap-arrow').count()).toBe(5);
      await shot('roadmap');
      expect(await layoutProblems(page, { overlap: ['[data-testid="roadmap-bar"]'] })).toEqual([]);
      await expect.poll(() => misplacedArrows(page)).toEqual([]);

      // Scrolled to its end inside its own box, the arrows move with the bars.
      await page.getByTestId('roadmap').evaluate((box) => box.scrollTo({ left: box.scrollWidth, top: box.scrollHeight, behavior: 'instant' }));
      await shot('roadmap-end');
      expect(await misplacedArrows(page)).toEqual([]);
      await page.getByTestId('roadmap').evaluate((box) => box.scrollTo({ left: 0, top: 0, behavior: 'instant' }));

      // A larger text size (a person's browser setting) widens the labels and months while the view
      // stays open: the bars move, and the arrows follow them.
      await page.evaluate(() => (document.documentElement.style.fontSize = '20px'));
      await expect.poll(() => misplacedArrows(page)).toEqual([]);
      await page.evaluate(() => (document.documentElement.style.fontSize = ''));
      await expect.poll(() => misplacedArrows(page)).toEqual([]);

      // The item form beside (or above) the timeline changes its width: the arrows follow.
      await page.getByTestId('roadmap-edit').first().click();
      await page.getByTestId('roadmap-form').waitFor();
      await shot('roadmap-form');
      expect(await layoutProblems(page, {})).toEqual([]);
      await expect.poll(() => misplacedArrows(page)).toEqual([]);
      await page.getByTestId('roadmap-title').press('Escape');
      await page.getByTestId('roadmap-form').waitFor({ state: 'detached' });
      await expect.poll(() => misplacedArrows(page)).toEqual([]);
    });
  });
});
