import { describe, expect, it } from 'vitest';
import { keepUnchanged, sameItems } from '../../web/src/routes/(app)/boards/[boardId=id]/common/steady-lists.js';

const a = { id: 'a' };
const b = { id: 'b' };
const c = { id: 'c' };

describe('lists kept while they hold the same items', () => {
  it('compares the items themselves, in order', () => {
    expect(sameItems([a, b], [a, b])).toBe(true);
    expect(sameItems([], [])).toBe(true);
    expect(sameItems([a, b], [b, a])).toBe(false);
    expect(sameItems([a, b], [a, b, c])).toBe(false);
    // An item changed is a new object: the list is not the same.
    expect(sameItems([a, b], [a, { id: 'b' }])).toBe(false);
  });

  it('keeps the previous array of each key whose items are unchanged, and takes the new one of any other', () => {
    const first = new Map([
      ['todo', [a, b]],
      ['done', [c]],
      ['empty', []],
    ]);
    const kept = keepUnchanged(new Map(), first);
    const todo = kept.get('todo')!;
    const done = kept.get('done')!;
    const empty = kept.get('empty')!;
    // b moved from todo to done: both change, the empty list is kept.
    const second = keepUnchanged(
      kept,
      new Map([
        ['todo', [a]],
        ['done', [c, b]],
        ['empty', []],
      ]),
    );
    expect(second.get('todo')).not.toBe(todo);
    expect(second.get('todo')).toEqual([a]);
    expect(second.get('done')).toEqual([c, b]);
    expect(second.get('empty')).toBe(empty);
    // Nothing moved: every array is the previous one.
    const third = keepUnchanged(
      second,
      new Map([
        ['todo', [a]],
        ['done', [c, b]],
        ['empty', []],
        ['new', [a]],
      ]),
    );
    expect(third.get('todo')).toBe(second.get('todo'));
    expect(third.get('done')).toBe(second.get('done'));
    expect(third.get('empty')).toBe(empty);
    expect(third.get('new')).toEqual([a]);
    expect(done).not.toBe(second.get('done'));
  });
});
