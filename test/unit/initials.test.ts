/** Avatars' initials come from the letters of a person's name, for members and guests alike. */
import { describe, expect, it } from 'vitest';
import { initialsOf } from '../../web/src/routes/(app)/boards/[boardId=id]/common/initials.js';

describe('initialsOf', () => {
  it('takes the first and last name words, leaving out a bracketed organisation', () => {
    expect(initialsOf('Ana Silva (FEUP)')).toBe('AS');
    expect(initialsOf('Ana Silva [Porto]')).toBe('AS');
    expect(initialsOf('Camille Martin')).toBe('CM');
    expect(initialsOf('Jean-Luc de la Tour')).toBe('JT');
  });

  it('counts only words with letters, whatever stands around them', () => {
    expect(initialsOf('(FEUP) Ana Silva')).toBe('AS');
    expect(initialsOf('Ana - Silva 2')).toBe('AS');
    expect(initialsOf('"Ana" Silva!')).toBe('AS');
    expect(initialsOf('  élodie   ürsel ')).toBe('ÉÜ');
  });

  it('gives a one-word name its first two letters, and a name without letters a question mark', () => {
    expect(initialsOf('Ana (FEUP)')).toBe('AN');
    expect(initialsOf('Zoé')).toBe('ZO');
    expect(initialsOf('(FEUP)')).toBe('?');
    expect(initialsOf('  ')).toBe('?');
    expect(initialsOf('42')).toBe('?');
  });
});
