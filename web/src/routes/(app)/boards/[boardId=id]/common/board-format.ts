/**
 * Formatting shared by the board's views: calendar dates, months, euros and lists of departments in
 * the current locale, and the sentences that explain a gate's missing sign-offs.
 */
import { ValidationError, type Department, type MessageKey, type MissingGate } from '@passerelle/shared';
import { dateLocaleTag, t } from '#lib/i18n.svelte.js';

const localeTag = dateLocaleTag;

/** A `YYYY-MM-DD` date as "12 mars 2026" / "12 Mar 2026"; calendar dates are read in UTC so they never shift a day. */
export function formatDay(isoDate: string | null | undefined): string {
  if (!isoDate) return '';
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(localeTag(), { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A month's short name on the roadmap timeline ("janv.", "Jan"), `month` from 0 to 11. */
export function formatMonth(month: number): string {
  return new Intl.DateTimeFormat(localeTag(), { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month, 1)));
}

/** An amount in euros, without cents ("12 500 €" / "€12,500"). */
export function formatEuros(amount: number): string {
  return new Intl.NumberFormat(localeTag(), { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(amount);
}

/** "Alex, Sam and Noor": people's names as one list, in the current language. */
export function nameList(names: readonly string[]): string {
  return new Intl.ListFormat(localeTag(), { style: 'long', type: 'conjunction' }).format(names);
}

/** "Studies directorate, Specialty teachers and Research directorate", in the current language. */
export function departmentList(departments: readonly Department[], short = false): string {
  const labels = departments.map((department) => t(short ? `department.short.${department}` : `department.${department}`));
  return new Intl.ListFormat(localeTag(), { style: 'long', type: 'conjunction' }).format(labels);
}

/**
 * One sentence per gate that still lacks sign-offs, naming the stage they are needed to leave (a gate
 * is the exit of its stage: "Sign-offs missing to leave “SRI review”: …").
 */
export function gateSentences(missing: readonly MissingGate[]): string[] {
  return missing.map((gate) => t('gate.missing', { stage: t(`stage.${gate.gate}`), departments: departmentList(gate.departments) }));
}

/**
 * A validation failure as field → translated message. Messages of `ValidationError` are catalog keys;
 * one this version does not know is shown as "not valid" rather than as a raw key.
 */
export function fieldErrors(error: ValidationError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.message.startsWith('validation.') ? (issue.message as MessageKey) : 'validation.invalid';
    const message = t(key);
    errors[issue.path || 'record'] ??= message === key ? t('validation.invalid') : message;
  }
  return errors;
}
