/** The pipeline's measure for `bench/board-load.ts --view pipeline`. */
import type { Page } from 'playwright-core';
import { interactiveMs } from './load-probe.js';

/**
 * Opens the pipeline fresh and measures navigation start → synced, every proposal counted in its
 * stage and every stage that has proposals showing its first (read in the page by the load probe);
 * then a proposal of the first stage picked up with the keyboard, moved one stage right and
 * dropped, until the next stage counts it.
 */
export async function measurePipeline(page: Page, url: string): Promise<{ loadMs: number; moveMs: number; rendered: number }> {
  await page.goto('about:blank');
  await page.goto(url);
  const loadMs = await interactiveMs(page);
  const rendered = await page.locator('[data-testid="pipeline-card"]').count();

  // Written without named functions: the benchmark runs through tsx, whose names would not exist in the page.
  const moveMs = await page.evaluate(async () => {
    const reviewCount = document.querySelector('[data-testid="pipeline-stage"][data-stage="sri_review"] .stage-count')!;
    const before = Number(reviewCount.textContent);
    const card = document.querySelector<HTMLElement>('[data-testid="pipeline-cell"][data-stage="submitted"] [data-testid="pipeline-card"]')!;
    card.focus();
    const t0 = performance.now();
    for (const key of [' ', 'ArrowRight']) document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    // The card is drawn in the next stage and focused there before it is dropped.
    for (let frame = 0; frame < 60 && (document.activeElement as HTMLElement | null)?.closest('[data-stage]')?.getAttribute('data-stage') !== 'sri_review'; frame++) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true }));
    for (;;) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      if (Number(reviewCount.textContent) === before + 1) return performance.now() - t0;
      if (performance.now() - t0 > 10_000) return Number.NaN;
    }
  });
  return { loadMs, moveMs, rendered };
}
