import { describe, expect, it } from 'vitest';
import { arrange, nextPlace } from '../../web/src/routes/(app)/boards/[boardId=id]/common/keyboard-move.js';

describe('keyboard moves of a picked-up card', () => {
  const zones = ['todo', 'doing', 'done'];
  /** Items in each zone other than the picked-up card. */
  const others: Record<string, number> = { todo: 2, doing: 1, done: 0 };
  const othersIn = (zone: string) => others[zone]!;

  it('Left and Right go to the neighbouring zone, keeping the row where there is one, and stop at the edges', () => {
    expect(nextPlace({ zone: 'todo', index: 2 }, 'ArrowRight', zones, othersIn, true)).toEqual({ zone: 'doing', index: 1 });
    expect(nextPlace({ zone: 'doing', index: 0 }, 'ArrowLeft', zones, othersIn, true)).toEqual({ zone: 'todo', index: 0 });
    expect(nextPlace({ zone: 'doing', index: 1 }, 'ArrowRight', zones, othersIn, true)).toEqual({ zone: 'done', index: 0 });
    expect(nextPlace({ zone: 'todo', index: 0 }, 'ArrowLeft', zones, othersIn, true)).toBeNull();
    expect(nextPlace({ zone: 'done', index: 0 }, 'ArrowRight', zones, othersIn, true)).toBeNull();
  });

  it('Up and Down move within the zone when it keeps an order, and nowhere otherwise', () => {
    expect(nextPlace({ zone: 'todo', index: 0 }, 'ArrowDown', zones, othersIn, true)).toEqual({ zone: 'todo', index: 1 });
    expect(nextPlace({ zone: 'todo', index: 2 }, 'ArrowDown', zones, othersIn, true)).toBeNull();
    expect(nextPlace({ zone: 'todo', index: 0 }, 'ArrowUp', zones, othersIn, true)).toBeNull();
    expect(nextPlace({ zone: 'todo', index: 1 }, 'ArrowDown', zones, othersIn, false)).toBeNull();
    expect(nextPlace({ zone: 'todo', index: 1 }, 'ArrowRight', zones, othersIn, false)).toEqual({ zone: 'doing', index: 0 });
  });

  it('shows the card at its place: gone from its own zone, inserted in the one it is moved to', () => {
    const todo = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const doing = [{ id: 'd' }];
    const picked = { item: todo[0]!, place: { zone: 'doing', index: 1 } };
    expect(arrange(todo, 'todo', picked).map((item) => item.id)).toEqual(['b', 'c']);
    expect(arrange(doing, 'doing', picked).map((item) => item.id)).toEqual(['d', 'a']);
    expect(arrange(todo, 'todo', { item: todo[0]!, place: { zone: 'todo', index: 2 } }).map((item) => item.id)).toEqual(['b', 'c', 'a']);
    // Nothing picked up: the document's own list, unchanged.
    expect(arrange(todo, 'todo', null)).toBe(todo);
  });
});
