/** The French catalog reads as French: elision, typographic apostrophes, one term per concept. */
import { describe, expect, it } from 'vitest';
import { catalogs, type MessageKey } from '../../shared/src/index.js';

const french = Object.entries(catalogs.fr) as [MessageKey, string][];

/** A value without its `{placeholder}` names, which are code, not French. */
const prose = (message: string) => message.replace(/\{\w+\}/g, '{}');

/** Placeholders that hold a figure or a date, never a word: « de {count} » stays « de ». */
const FIGURES = new Set(['count', 'limit', 'over', 'from', 'to', 'at', 'date', 'shown', 'total', 'year', 'days', 'hours', 'minutes', 'n', 'size', 'max', 'min', 'seconds', 'percent', 'time', 'boards', 'versions', 'created', 'matched', 'number']);

/** « de {name} »: the name may start with a vowel (« de Alice », « de Enseignants… »), so the sentence must not hang an unelidable « de » on it. */
function elisionHazards(message: string): string[] {
  return [...message.matchAll(/(?<![\p{L}’'-])(de|que|le|la|ne|se|je|jusque) \{(\w+)\}/giu)].filter((match) => !FIGURES.has(match[2])).map((match) => match[0]);
}

/** Words after « de », « le », « la »… that start with a vowel sound but take no elision (h aspiré, « oui », « un » as a figure…). */
const NO_ELISION = /^(?:de|que|le|la|ne|se|je|me|te|jusque) (?:oui|onze|onzième|ouate|yaourt|h(?:aut|ors|aute|ors|aine|ameau|asard|ausse|iérarchie|uit)\w*)/i;

/** Finds « de », « que », « le », « la », « ne », « se », « je »… before a word that starts with a vowel (or a mute h): they take an elision. */
function missingElisions(message: string): string[] {
  const found = [...prose(message).matchAll(/(?<![\p{L}’'-])(de|que|le|la|ne|se|je|me|te|jusque) ((?:[aeiouyàâäéèêëîïôöûüœæ]|h[aeiouéèêôîâû])[\p{L}’-]*)/giu)];
  return found.map((match) => match[0]).filter((phrase) => !NO_ELISION.test(phrase));
}

/** Concepts the interface names, each with the one French term it uses and the other names it must not use for it. */
const ONE_TERM_PER_CONCEPT: { concept: string; term: RegExp; others: RegExp[] }[] = [
  { concept: 'the world region of a partner or a proposal', term: /^Région du monde$/, others: [/zone géographique/i] },
];

describe('the French catalog', () => {
  it('elides « de », « que », « le »… before a vowel (« d’administrateur », not « de administrateur »)', () => {
    const wrong = french.flatMap(([key, message]) => [...missingElisions(message), ...elisionHazards(message)].map((phrase) => `${key}: ${phrase}`));
    expect(wrong).toEqual([]);
  });

  it('uses the typographic apostrophe ’, never a straight one', () => {
    const straight = french.filter(([, message]) => prose(message).includes("'")).map(([key, message]) => `${key}: ${message}`);
    expect(straight).toEqual([]);
  });

  it('names each concept with one term', () => {
    const clashes = ONE_TERM_PER_CONCEPT.flatMap(({ concept, others }) =>
      french.filter(([, message]) => others.some((other) => other.test(message))).map(([key, message]) => `${concept} — ${key}: ${message}`),
    );
    expect(clashes).toEqual([]);
    for (const { term } of ONE_TERM_PER_CONCEPT) expect(french.some(([, message]) => term.test(message))).toBe(true);
  });

  it('gives the boards, the board view and the table view three different names', () => {
    const fr = catalogs.fr;
    const names = [fr['boards.title'], fr['views.board'], fr['ws.nav.table']];
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(3);
    // The table view's title and the page's own title agree with its menu entry.
    expect(fr['ws.table.title']).toBe(fr['ws.nav.table']);
    // Nothing else calls itself « Tableau » alone: that word, bare, would be ambiguous.
    const bare = french.filter(([key, message]) => message === 'Tableau' && !['ws.table.board', 'ws.search.kind.board'].includes(key)).map(([key]) => key);
    expect(bare).toEqual([]);
  });
});

describe('elisionHazards', () => {
  it('flags « de » before a name and leaves it before a figure', () => {
    expect(elisionHazards('Rôle de {name}')).toEqual(['de {name}']);
    expect(elisionHazards('Limite de {limit} caractères, du {at}')).toEqual([]);
  });
});

describe('missingElisions', () => {
  it.each([
    ['Droits de admin', ['de admin']],
    ['Le rôle de éditeur', ['de éditeur']],
    ['Pas de hôte', ['de hôte']],
    ['Droits d’administrateur', []],
    ['de hors-série', []],
    ['Liste de {count} éléments', []],
    ['le 3 de octobre', ['de octobre']],
  ])('%s', (message, expected) => {
    expect(missingElisions(message)).toEqual(expected);
  });
});
