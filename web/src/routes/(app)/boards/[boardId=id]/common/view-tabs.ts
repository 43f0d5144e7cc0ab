/**
 * The view tabs: on a phone they scroll sideways in their own row, the current one kept in sight.
 * Measured in the next frame, when the page is laid out for painting anyway: measured as the view
 * is drawn, it would lay out the board's first drawing on its own (20 ms for a board's columns).
 */

/** Scrolls `row` so that `tab` is wholly in sight, in the next frame; returns how to cancel it. */
export function keepTabInSight(row: HTMLElement, tab: HTMLElement): () => void {
  const frame = requestAnimationFrame(() => {
    const left = tab.getBoundingClientRect().left - row.getBoundingClientRect().left + row.scrollLeft;
    // Only the row scrolls (never the page), and only when the tab is not wholly in sight.
    const width = tab.getBoundingClientRect().width;
    if (left < row.scrollLeft) row.scrollLeft = left - 16;
    else if (left + width > row.scrollLeft + row.clientWidth) row.scrollLeft = left + width - row.clientWidth + 16;
  });
  return () => cancelAnimationFrame(frame);
}
