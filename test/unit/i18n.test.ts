/** Message catalogs and locale negotiation. */
import { describe, expect, it } from 'vitest';
import { ApiErrorCode, catalogs, compareText, isTimeZone, LOCALES, pickLocale, regionalTag, translate, type MessageKey } from '../../shared/src/index.js';

const placeholders = (message: string): string[] => [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('message catalogs', () => {
  it('has a catalog for every supported locale', () => {
    expect([...LOCALES].sort()).toEqual(Object.keys(catalogs).sort());
  });

  it('has the same keys in French and English', () => {
    expect(Object.keys(catalogs.fr).sort()).toEqual(Object.keys(catalogs.en).sort());
  });

  it.each(LOCALES)('has no empty message in %s', (locale) => {
    const empty = Object.entries(catalogs[locale]).filter(([, message]) => message.trim() === '');
    expect(empty).toEqual([]);
  });

  it('uses in French every placeholder the English message has, for each key', () => {
    const mismatches = (Object.keys(catalogs.en) as MessageKey[])
      .filter((key) => placeholders(catalogs.en[key]).join() !== placeholders(catalogs.fr[key]).join())
      .map((key) => ({ key, en: placeholders(catalogs.en[key]), fr: placeholders(catalogs.fr[key]) }));
    expect(mismatches).toEqual([]);
  });

  it('has a message for every API error code', () => {
    for (const locale of LOCALES) {
      for (const code of ApiErrorCode) expect(catalogs[locale]).toHaveProperty([`error.${code}`]);
    }
  });
});

describe('pickLocale', () => {
  it.each([
    ['en-US,en;q=0.9,fr;q=0.8', 'en'],
    ['fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7', 'fr'],
    ['fr-CA', 'fr'],
    ['EN-gb', 'en'],
    ['de-DE, de;q=0.9, en;q=0.5', 'en'],
    ['nl, fr-BE;q=0.7', 'fr'],
  ] as const)('picks the first supported language of %j', (header, expected) => {
    expect(pickLocale(header)).toBe(expected);
  });

  it('reads a list such as navigator.languages', () => {
    expect(pickLocale(['de-AT', 'en-GB', 'fr'])).toBe('en');
  });

  it('falls back to French by default when nothing matches', () => {
    expect(pickLocale('de-DE,es;q=0.8')).toBe('fr');
    expect(pickLocale('*')).toBe('fr');
    expect(pickLocale('')).toBe('fr');
    expect(pickLocale(undefined)).toBe('fr');
    expect(pickLocale(null)).toBe('fr');
    expect(pickLocale([])).toBe('fr');
  });

  it('uses the given fallback when nothing matches', () => {
    expect(pickLocale('ja', 'en')).toBe('en');
    expect(pickLocale('fr', 'en')).toBe('fr');
  });

  it('does not take a language whose name merely starts like a supported one', () => {
    expect(pickLocale('frr, enm', 'en')).toBe('en');
    expect(pickLocale('frr, enm', 'fr')).toBe('fr');
  });
});

describe('translate', () => {
  it('returns the message of the locale', () => {
    expect(translate('en', 'auth.login.title')).toBe('Sign in');
    expect(translate('fr', 'auth.login.title')).toBe('Connexion');
  });

  it('replaces placeholders with string and number parameters', () => {
    expect(translate('en', 'boards.delete.confirm', { title: 'Erasmus 2026' })).toBe('Delete the board “Erasmus 2026” for everyone?');
    expect(translate('fr', 'board.cardCount', { count: 3 })).toBe('3 cartes');
    expect(translate('en', 'board.presence.viewing', { name: 'Camille' })).toBe('Camille has this card open');
  });

  it('leaves a placeholder whose parameter is missing visible rather than printing undefined', () => {
    expect(translate('en', 'boards.updated', { other: 'x' })).toBe('Updated {date}');
    expect(translate('en', 'boards.updated')).toBe('Updated {date}');
  });

  it('does not interpret replacement patterns inside parameter values', () => {
    expect(translate('en', 'boards.delete.confirm', { title: "$& and $' {date}" })).toBe("Delete the board “$& and $' {date}” for everyone?");
  });
});

describe('what the server knows of a browser, for the dates it draws', () => {
  it('finds the browser’s regional form of the interface language in Accept-Language, if dates can be written in it', () => {
    expect(regionalTag('en-NZ,en;q=0.9,fr;q=0.5', 'en')).toBe('en-NZ');
    expect(regionalTag('fr-CA,en-US;q=0.8', 'en')).toBe('en-US');
    expect(regionalTag('en-NZ,en;q=0.9', 'fr')).toBeNull();
    expect(regionalTag(undefined, 'fr')).toBeNull();
    expect(regionalTag('fr-!!', 'fr')).toBeNull();
  });

  it('takes a time zone only by a name the runtime knows', () => {
    expect(isTimeZone('Pacific/Auckland')).toBe(true);
    expect(isTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isTimeZone('Etc/GMT+3')).toBe(true);
    for (const wrong of ['Not/A_Zone', '../../etc/passwd', '', 'Europe/Paris; Path=/', 'A'.repeat(80), 42, null]) {
      expect(isTimeZone(wrong), String(wrong)).toBe(false);
    }
  });
});

describe('compareText', () => {
  it('orders texts as localeCompare does, accents and case included', () => {
    const titles = ['Zeta', 'école', 'Ecole', 'ecole', 'Éducation', 'double diplôme', 'Double diplôme', '2) Mobilité', '10) Suivi', 'a', ''];
    expect([...titles].sort(compareText)).toEqual([...titles].sort((a, b) => a.localeCompare(b)));
    expect(compareText('Porto', 'Porto')).toBe(0);
    expect(Math.sign(compareText('Lisbonne', 'Porto'))).toBe(-1);
  });
});
