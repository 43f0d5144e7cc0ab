/** Fractional position keys: `positionAt` places an item, `byPosition` orders items the same everywhere. */
import { describe, expect, it } from 'vitest';
import { byPosition, positionAt, type Positioned } from '../../shared/src/index.js';

const item = (id: string, position: string): Positioned => ({ id, position });

/** Inserts a new item at `index` and returns the ids in display order. */
function insertAt(siblings: Positioned[], id: string, index: number): string[] {
  const next = [...siblings, item(id, positionAt(siblings, index))];
  return next.sort(byPosition).map((entry) => entry.id);
}

describe('byPosition', () => {
  it('orders by position first', () => {
    const sorted = [item('a', 'a2'), item('b', 'a0'), item('c', 'a1')].sort(byPosition);
    expect(sorted.map((entry) => entry.id)).toEqual(['b', 'c', 'a']);
  });

  it('breaks ties between equal positions by id, whatever the input order', () => {
    const one = [item('zeta', 'a0'), item('alpha', 'a0'), item('mid', 'a0')].sort(byPosition);
    const other = [item('mid', 'a0'), item('zeta', 'a0'), item('alpha', 'a0')].sort(byPosition);
    expect(one.map((entry) => entry.id)).toEqual(['alpha', 'mid', 'zeta']);
    expect(other).toEqual(one);
  });

  it('compares position strings by code unit, as fractional-indexing keys require', () => {
    // 'Z' < 'a' in code units; a locale-aware comparison would put them the other way round.
    expect(byPosition(item('x', 'Zz'), item('y', 'a0'))).toBeLessThan(0);
    expect(byPosition(item('x', 'a0'), item('x', 'a0'))).toBe(0);
  });
});

describe('positionAt', () => {
  const three = [item('a', 'a0'), item('b', 'a1'), item('c', 'a2')];

  it('gives a first key when there are no siblings', () => {
    expect(typeof positionAt([], 0)).toBe('string');
    expect(positionAt([], 0).length).toBeGreaterThan(0);
  });

  it('places an item at the start, between two siblings and at the end', () => {
    expect(insertAt(three, 'new', 0)).toEqual(['new', 'a', 'b', 'c']);
    expect(insertAt(three, 'new', 1)).toEqual(['a', 'new', 'b', 'c']);
    expect(insertAt(three, 'new', 2)).toEqual(['a', 'b', 'new', 'c']);
    expect(insertAt(three, 'new', 3)).toEqual(['a', 'b', 'c', 'new']);
  });

  it('clamps an index out of range to the nearest end', () => {
    expect(insertAt(three, 'new', -5)).toEqual(['new', 'a', 'b', 'c']);
    expect(insertAt(three, 'new', 99)).toEqual(['a', 'b', 'c', 'new']);
  });

  it('returns a key strictly between its neighbours', () => {
    const key = positionAt(three, 2);
    expect(key > 'a1' && key < 'a2').toBe(true);
  });

  it('keeps finding room after many inserts at the same place', () => {
    let siblings = [item('first', positionAt([], 0))];
    siblings.push(item('last', positionAt(siblings, 1)));
    for (let i = 0; i < 50; i++) {
      siblings = [...siblings, item(`n${String(i).padStart(2, '0')}`, positionAt(siblings, 1))].sort(byPosition);
    }
    const ids = siblings.map((entry) => entry.id);
    expect(ids[0]).toBe('first');
    expect(ids.at(-1)).toBe('last');
    // Each insert went right after 'first', so the newest comes first.
    expect(ids.slice(1, 4)).toEqual(['n49', 'n48', 'n47']);
    expect(new Set(siblings.map((entry) => entry.position)).size).toBe(siblings.length);
  });

  it('does not fail when the neighbours have equal keys, and goes right after them', () => {
    // Two replicas generated the same key concurrently: 'x' and 'y' both sit at 'a0'.
    const tied = [item('x', 'a0'), item('y', 'a0'), item('z', 'a1')];
    const key = positionAt(tied, 1);
    expect(key > 'a0' && key < 'a1').toBe(true);
    expect(insertAt(tied, 'new', 1)).toEqual(['x', 'y', 'new', 'z']);
  });

  it('does not fail when every following sibling shares the key before the index', () => {
    const tied = [item('x', 'a0'), item('y', 'a0')];
    const key = positionAt(tied, 1);
    expect(key > 'a0').toBe(true);
    expect(insertAt(tied, 'new', 1)).toEqual(['x', 'y', 'new']);
  });
});
