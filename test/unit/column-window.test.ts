import { describe, expect, it } from 'vitest';
import { WINDOW_FROM, columnIndexForDrawnIndex, estimatedCardHeight } from '../../web/src/routes/(app)/boards/[boardId=id]/columns/column-window.js';

const column = Array.from({ length: 200 }, (_, i) => `c${i}`);

describe('a drop among the drawn cards of a long column', () => {
  it('lands just after the drawn card above it, counted in the whole column', () => {
    // Cards c100..c120 are drawn; c150 is dropped between c104 and c105.
    const drawn = ['c100', 'c101', 'c102', 'c103', 'c104', 'c150', 'c105'];
    expect(columnIndexForDrawnIndex(column, drawn, 'c150', 5)).toBe(105);
  });

  it('counts the whole column without the card when it moves down within the drawn cards', () => {
    const drawn = ['c100', 'c102', 'c103', 'c101', 'c104'];
    // c101 dropped after c103: among the others (c101 left out) c103 is at index 102.
    expect(columnIndexForDrawnIndex(column, drawn, 'c101', 3)).toBe(103);
  });

  it('lands just before the drawn card below it when dropped first', () => {
    const drawn = ['x', 'c100', 'c101'];
    expect(columnIndexForDrawnIndex(column, drawn, 'x', 0)).toBe(100);
  });

  it('follows the neighbours, not the offset, when the column changed during the drag', () => {
    // c0..c9 were deleted by someone else while the drag went on: c104 is now at index 94.
    const now = column.slice(10);
    expect(columnIndexForDrawnIndex(now, ['c103', 'c104', 'x', 'c105'], 'x', 2)).toBe(95);
  });

  it('falls back to where the card is, or the column’s end, when no drawn neighbour is left', () => {
    expect(columnIndexForDrawnIndex(column, ['c7'], 'c7', 0)).toBe(7);
    expect(columnIndexForDrawnIndex(column, ['x'], 'x', 0)).toBe(200);
    expect(columnIndexForDrawnIndex([], ['x'], 'x', 0)).toBe(0);
  });
});

describe('what a long column expects before it measures', () => {
  it('draws every card of a short column and expects a proposal to be taller than a note', () => {
    expect(WINDOW_FROM).toBeGreaterThanOrEqual(40);
    expect(estimatedCardHeight('proposal')).toBeGreaterThan(estimatedCardHeight('note'));
  });
});
