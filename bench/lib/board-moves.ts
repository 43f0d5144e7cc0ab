/** Keyboard moves on an open board, timed in the page: the shared measure of the board benchmarks. */
import type { Page } from 'playwright-core';

/**
 * `count` moves back and forth between the first two columns (Alt+→ on the first card of the first,
 * then Alt+← on the first of the second…), each from the key press to the frame in which the card is
 * drawn in the other column; with `pauseMs` before every move but the first (NaN for a move not
 * seen within 10 s). Written without named functions: the benchmarks run through tsx, whose name
 * helper does not exist in the page.
 */
export function timeKeyboardMoves(page: Page, count: number, pauseMs: number): Promise<number[]> {
  return page.evaluate(
    async ({ total, pause }) => {
      const columns = document.querySelectorAll('[data-testid="column"]');
      const times: number[] = [];
      for (let move = 0; move < total; move++) {
        const from = move % 2;
        const card = columns[from].querySelector<HTMLElement>('[data-testid="card"]')!;
        const id = card.dataset.cardId!;
        card.focus();
        if (move > 0 && pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
        const t0 = performance.now();
        card.dispatchEvent(new KeyboardEvent('keydown', { key: from === 0 ? 'ArrowRight' : 'ArrowLeft', altKey: true, bubbles: true, cancelable: true }));
        for (;;) {
          await new Promise((resolve) => requestAnimationFrame(resolve));
          if (columns[1 - from].querySelector(`[data-testid="card"][data-card-id="${id}"]`)) break;
          if (performance.now() - t0 > 10_000) {
            times.push(Number.NaN);
            return times;
          }
        }
        times.push(performance.now() - t0);
      }
      return times;
    },
    { total: count, pause: pauseMs },
  );
}
