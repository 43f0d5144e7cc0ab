/**
 * The interface language. One instance for the whole app: `t()` reads `locale.current`, so every
 * template that calls it re-renders when the person switches language.
 */
import { LOCALES, pickLocale, regionalTag, translate, type Locale, type MessageKey } from '@passerelle/shared';
import { dateTimeFormat } from './intl-cache.js';

/** Remembers a choice made before signing in (on the login page), per browser. */
const STORAGE_KEY = 'passerelle.locale';

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function initialLocale(): Locale {
  if (typeof window === 'undefined') return 'fr';
  const stored = safeStorageGet();
  return isLocale(stored) ? stored : pickLocale(navigator.languages);
}

function safeStorageGet(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled (private mode, policies); the browser language is then the default.
    return null;
  }
}

class LocaleState {
  current = $state<Locale>(initialLocale());

  /** Switches the interface language and remembers it in this browser. */
  set(locale: Locale): void {
    this.current = locale;
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // Not remembering is harmless: the signed-in person's locale is saved on the server.
    }
  }

  /** The language chosen in this browser (the switch), or null when the browser's own is in use. */
  get chosen(): Locale | null {
    if (typeof window === 'undefined') return null;
    const stored = safeStorageGet();
    return isLocale(stored) ? stored : null;
  }

  /** Adopts a person's saved locale, or keeps the current one when they never chose. */
  adopt(saved: Locale | null): void {
    if (saved && saved !== this.current) this.set(saved);
  }
}

/** The app's current locale. */
export const locale = new LocaleState();

/** The message for `key` in the current locale. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(locale.current, key, params);
}

/**
 * The locale dates are written in: the interface language, in the browser's region when the browser
 * names one for that language (an English interface in a US browser writes 03/15/2027), else France
 * for French and Britain for English. Never the browser's language alone: a French interface in an
 * English browser writes dates in French.
 */
export function dateLocaleTag(): string {
  const language = locale.current;
  // Drawn by the server, the browser's languages are those its request gave (never the server's own).
  const regional = typeof window === 'undefined' ? drawnFor.dateLocale : regionalTag(navigator.languages, language);
  return regional ?? (language === 'fr' ? 'fr-FR' : 'en-GB');
}

/** Set by the server while it draws a page for one browser: that browser's regional form for dates. */
export const drawnFor: { dateLocale: string | null } = { dateLocale: null };

/**
 * Formats a date for the current locale ("12 mars 2025, 14:05"), in the browser's time zone, or in
 * `timeZone`; with `timeZone: null` (drawn by the server, which does not know the reader's zone),
 * in the server's zone, named ("12 mars 2025, 13:05 UTC").
 */
export function formatDate(iso: string, { timeZone }: { timeZone?: string | null } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (timeZone === null) {
    // Intl refuses `timeZoneName` beside `dateStyle`: the parts are spelt out.
    return dateTimeFormat(dateLocaleTag(), { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(date);
  }
  return dateTimeFormat(dateLocaleTag(), { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(date);
}
