/** Identifiers: random, URL-safe, and recognised by the `[boardId=id]` matcher. */
import { describe, expect, it } from 'vitest';
import { isId, newId } from '../../shared/src/index.js';

describe('newId', () => {
  it('makes 21 URL-safe characters', () => {
    expect(newId()).toMatch(/^[A-Za-z0-9_-]{21}$/);
  });

  it('does not repeat itself', () => {
    const ids = new Set(Array.from({ length: 10_000 }, newId));
    expect(ids.size).toBe(10_000);
  });

  it('makes ids that isId accepts', () => {
    for (let i = 0; i < 100; i++) expect(isId(newId())).toBe(true);
  });
});

describe('isId', () => {
  it('accepts URL-safe strings of 8 to 64 characters', () => {
    expect(isId('abcdefgh')).toBe(true);
    expect(isId('A-b_C'.repeat(12) + 'abcd')).toBe(true);
  });

  it.each([
    ['too short', 'abcdefg'],
    ['too long', 'a'.repeat(65)],
    ['empty', ''],
    ['a slash', 'abcd/efgh'],
    ['a dot segment', '../../etc'],
    ['a space', 'abcd efgh'],
    ['a percent escape', 'abcd%20efgh'],
    ['a trailing newline', 'abcdefgh\n'],
    ['non-ASCII letters', 'éèàçùâêî'],
    ['the workspace document’s name', 'workspace'],
    ['a reserved name in another case', 'WorkSpace'],
    ['the internal document’s suffix', 'internal'],
  ])('rejects %s', (_label, value) => {
    expect(isId(value)).toBe(false);
  });
});
