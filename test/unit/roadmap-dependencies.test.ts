/** Checks of the dependencies between roadmap items: circles, and items starting before what they wait for ends. */
import { describe, expect, it } from 'vitest';
import { checkDependencies, dependencyCycles, earlyStarts, wouldCloseCycle, type DependencyItem } from '../../shared/src/index.js';

const item = (id: string, dependsOn: string[] = [], startDate: string | null = null, endDate: string | null = null): DependencyItem => ({ id, dependsOn, startDate, endDate });

describe('dependencyCycles', () => {
  it('finds no circle in a chain or a diamond', () => {
    expect(dependencyCycles([item('a'), item('b', ['a']), item('c', ['a']), item('d', ['b', 'c'])])).toEqual([]);
  });

  it('finds a circle of two and of three items, each listed in the roadmap’s order', () => {
    expect(dependencyCycles([item('a', ['b']), item('b', ['a']), item('c', ['a'])])).toEqual([['a', 'b']]);
    expect(dependencyCycles([item('x'), item('c', ['b']), item('a', ['c']), item('b', ['a', 'x'])])).toEqual([['c', 'a', 'b']]);
  });

  it('finds separate circles apart, and an item that waits for itself', () => {
    expect(dependencyCycles([item('a', ['b']), item('b', ['a']), item('c', ['d']), item('d', ['c']), item('e', ['e'])])).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('ignores dependencies on deleted items', () => {
    expect(dependencyCycles([item('a', ['gone']), item('b', ['a', 'gone'])])).toEqual([]);
  });

  it('walks a chain of thousands of items without running out of stack', () => {
    const chain = Array.from({ length: 20_000 }, (_, index) => item(`i${index}`, index > 0 ? [`i${index - 1}`] : ['i19999']));
    const cycles = dependencyCycles(chain);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(20_000);
  });
});

describe('earlyStarts', () => {
  it('flags an item starting before, or on the last day of, an item it waits for', () => {
    const items = [item('a', [], '2026-09-01', '2027-08-31'), item('b', ['a'], '2027-08-31'), item('c', ['a'], '2027-09-01'), item('d', ['a'], '2027-01-15')];
    expect(earlyStarts(items)).toEqual([
      { itemId: 'b', dependencyId: 'a' },
      { itemId: 'd', dependencyId: 'a' },
    ]);
  });

  it('cannot check an undated item or a dependency without an end', () => {
    expect(earlyStarts([item('a', [], '2026-01-01'), item('b', ['a'], '2025-01-01'), item('c', ['b'])])).toEqual([]);
  });
});

describe('checkDependencies', () => {
  it('gathers each item’s issues', () => {
    const check = checkDependencies([item('a', ['b'], '2026-01-01', '2026-06-30'), item('b', ['a'], '2026-03-01', '2026-12-31'), item('c')]);
    expect(check.cycles).toEqual([['a', 'b']]);
    expect(check.byItem.get('a')).toEqual([
      { kind: 'cycle', itemId: 'a', cycle: ['a', 'b'] },
      { kind: 'startsEarly', itemId: 'a', dependencyId: 'b' },
    ]);
    expect(check.byItem.get('b')).toEqual([
      { kind: 'cycle', itemId: 'b', cycle: ['a', 'b'] },
      { kind: 'startsEarly', itemId: 'b', dependencyId: 'a' },
    ]);
    expect(check.byItem.has('c')).toBe(false);
  });
});

describe('wouldCloseCycle', () => {
  it('says whether waiting for an item would close a circle', () => {
    const items = [item('a'), item('b', ['a']), item('c', ['b'])];
    expect(wouldCloseCycle(items, 'a', 'c')).toBe(true);
    expect(wouldCloseCycle(items, 'a', 'a')).toBe(true);
    expect(wouldCloseCycle(items, 'c', 'a')).toBe(false);
  });
});
