import { en, type MessageKey } from './en.js';
import { fr } from './fr.js';
import type { Locale } from '../api.js';

export type { MessageKey };
export const LOCALES: readonly Locale[] = ['fr', 'en'];
export const catalogs: Record<Locale, Record<MessageKey, string>> = { fr, en };

/** The supported locale that best matches an Accept-Language header or `navigator.languages`. */
export function pickLocale(preferred: readonly string[] | string | undefined | null, fallback: Locale = 'fr'): Locale {
  const list = typeof preferred === 'string' ? byQuality(preferred) : preferred ?? [];
  for (const tag of list) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return fallback;
}

/**
 * The browser's own regional form of `locale` among its preferred languages ("en-NZ" for English),
 * if the runtime formats dates for it; null otherwise. What the app finds in `navigator.languages`,
 * for the server, from `Accept-Language`.
 */
export function regionalTag(preferred: readonly string[] | string | undefined | null, locale: Locale): string | null {
  const list = typeof preferred === 'string' ? byQuality(preferred) : preferred ?? [];
  const tag = list.find((candidate) => candidate.toLowerCase().startsWith(`${locale}-`));
  if (!tag) return null;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0 ? tag : null;
  } catch {
    return null;
  }
}

let textCollator: Intl.Collator | null = null;

/**
 * Orders two texts as `a.localeCompare(b)` does, through one collator made on first use and kept
 * for every comparison after it (setting one up reads the language's collation data: about 20 ms
 * in a browser, paid once).
 */
export function compareText(a: string, b: string): number {
  textCollator ??= new Intl.Collator();
  return textCollator.compare(a, b);
}

/** Whether `value` is a time zone this runtime knows by its IANA name (`Europe/Paris`), checked before use as one. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The message for `key` in `locale`, with `{name}` placeholders replaced from `params`. */
export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const template = catalogs[locale][key] ?? en[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/** The language tags of an Accept-Language header, most preferred first (`q` weights, then order). */
function byQuality(header: string): string[] {
  return header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.tag);
}
