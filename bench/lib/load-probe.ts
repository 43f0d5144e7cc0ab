/**
 * When a board became interactive, read in the page itself. Playwright's own waits poll on a
 * backoff that reaches 500 ms between checks, so a time taken when they return can be late by as
 * much; this probe, started before the app's scripts, checks on every frame and records the frame
 * after the one in which the board was all there (the main thread free to paint again), in the
 * page's clock (navigation start = 0).
 */
import type { BrowserContext, Page } from 'playwright-core';

/** What counts as "all there": every card or proposal counted and the first of each list drawn. */
export type LoadedWhen = { view: 'board' | 'pipeline'; items: number };

/**
 * Installed in every page of the context: checks each frame whether the board at this path is all
 * there. Plain JavaScript in a string: the benchmark runs through tsx, which would wrap named
 * arrow functions in a helper the page does not have.
 */
const PROBE_SOURCE = `(expected) => {
  const when = expected[location.pathname];
  const probe = { interactiveMs: -1 };
  window.__loadProbe = probe;
  if (!when) return;
  const loaded = () => {
    if (!document.querySelector('[data-testid="connection-status"][data-synced="true"]')) return false;
    if (when.view === 'pipeline') {
      const stages = [...document.querySelectorAll('[data-testid="pipeline-stage"]')];
      const counted = stages.reduce((sum, stage) => sum + Number(stage.querySelector('.stage-count')?.textContent ?? 0), 0);
      return counted === when.items && stages.every((stage) => stage.querySelector('.stage-count')?.textContent === '0' || stage.querySelector('[data-testid="pipeline-card"]'));
    }
    const counted = [...document.querySelectorAll('[data-testid="column-count"]')].reduce((sum, pill) => sum + Number(pill.textContent), 0);
    const columns = [...document.querySelectorAll('[data-testid="column"]')];
    return counted === when.items && columns.length > 0 && columns.every((column) => column.querySelector('[data-testid="card"]'));
  };
  const frame = () => {
    if (!loaded()) return requestAnimationFrame(frame);
    requestAnimationFrame(() => setTimeout(() => (probe.interactiveMs = performance.now()), 0));
  };
  requestAnimationFrame(frame);
}`;

/** Makes every page of `context` record when the boards of `expected` (by path) become interactive. */
export async function installLoadProbe(context: BrowserContext, expected: Record<string, LoadedWhen>): Promise<void> {
  await context.addInitScript({ content: `(${PROBE_SOURCE})(${JSON.stringify(expected)});` });
}

/** Waits until the open page's probe has recorded its time and returns it (ms since navigation start). */
export async function interactiveMs(page: Page): Promise<number> {
  const handle = await page.waitForFunction(() => {
    const ms = (window as unknown as { __loadProbe?: { interactiveMs: number } }).__loadProbe?.interactiveMs ?? -1;
    return ms >= 0 && ms;
  }, undefined, { timeout: 120_000, polling: 'raf' });
  return (await handle.jsonValue()) as number;
}
