/** Presence read from awareness states, which other clients send and which are therefore untrusted. */
import { describe, expect, it } from 'vitest';
import { colorForUser, parsePresence } from '../../shared/src/index.js';

const user = { id: 'user-1', name: 'Camille', color: '#1f77b4' };

describe('parsePresence', () => {
  it('reads a well-formed presence', () => {
    expect(parsePresence({ user, openCardId: 'card-1' })).toEqual({ user, openCardId: 'card-1' });
  });

  it('reads a missing or non-string openCardId as null', () => {
    expect(parsePresence({ user })).toEqual({ user, openCardId: null });
    expect(parsePresence({ user, openCardId: 42 })).toEqual({ user, openCardId: null });
    expect(parsePresence({ user, openCardId: null })).toEqual({ user, openCardId: null });
  });

  it('keeps only the known user fields', () => {
    const parsed = parsePresence({ user: { ...user, isAdmin: true, token: 'secret' }, openCardId: null, extra: 1 });
    expect(parsed).toEqual({ user, openCardId: null });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'Camille'],
    ['a number', 7],
    ['an empty object (a client that has not published yet)', {}],
    ['a null user', { user: null, openCardId: null }],
    ['a string user', { user: 'Camille', openCardId: null }],
    ['a user without an id', { user: { name: 'Camille', color: '#fff' } }],
    ['a numeric user id', { user: { id: 1, name: 'Camille', color: '#fff' } }],
    ['a user without a name', { user: { id: 'u', color: '#fff' } }],
    ['a user without a colour', { user: { id: 'u', name: 'Camille' } }],
    ['a non-string colour', { user: { id: 'u', name: 'Camille', color: 0xff0000 } }],
  ])('returns null for %s', (_label, state) => {
    expect(parsePresence(state)).toBeNull();
  });
});

describe('colorForUser', () => {
  it('gives the same colour for the same person on every call', () => {
    const ids = ['user-1', 'V1StGXR8_Z5jdHi6B-myT', ''];
    expect(ids.map(colorForUser)).toEqual(ids.map(colorForUser));
  });

  it('returns a CSS hex colour', () => {
    for (const id of ['a', 'user-1', 'x'.repeat(200)]) expect(colorForUser(id)).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('spreads different people over several colours', () => {
    const colours = new Set(Array.from({ length: 40 }, (_, i) => colorForUser(`user-${i}`)));
    expect(colours.size).toBeGreaterThanOrEqual(5);
  });

  it('gives every colour a contrast of at least 4.5:1 with the white initials drawn on it (WCAG AA)', () => {
    const colours = new Set(Array.from({ length: 400 }, (_, i) => colorForUser(`user-${i}`)));
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((start) => {
        const channel = parseInt(hex.slice(start, start + 2), 16) / 255;
        return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const tooLight = [...colours].filter((colour) => 1.05 / (luminance(colour) + 0.05) < 4.5);
    expect(tooLight).toEqual([]);
  });
});
