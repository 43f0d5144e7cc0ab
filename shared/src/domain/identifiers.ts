/**
 * Formats of the identifiers the SRI records, as zod schemas that normalise and validate. Each
 * error message is a catalog key (`validation.<name>`) so that forms show it in the person's language.
 */
import { z } from 'zod';

/** Erasmus institutional code: country code (1-3 letters), spaces, city, 2-3 digits, e.g. `F  AMIENS07`, `D  BERLIN01`. */
export const ErasmusCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{1,3} +[A-Z][A-Z-]*\d{2,3}$/, 'validation.erasmusCode');

/** Participant Identification Code of the EU Funding & Tenders portal: 9 digits. */
export const Pic = z.string().trim().regex(/^\d{9}$/, 'validation.pic');

/** SCHAC home organisation: the institution's internet domain, e.g. `escom.fr`. */
export const SchacCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/, 'validation.schac');

/** Erasmus+ Organisation ID: `E` followed by 8 digits, e.g. `E10208527`. */
export const OrganisationId = z.string().trim().toUpperCase().regex(/^E\d{8}$/, 'validation.oid');

/** ISCED-F 2013 detailed field: 4 digits, e.g. `0531` (chemistry), `0711` (chemical and process engineering). */
export const IscedF = z.string().trim().regex(/^\d{4}$/, 'validation.iscedF');

/**
 * European Qualifications Framework level, 1 to 8 (6 bachelor, 7 master, 8 doctorate). Every check,
 * including the type and integer ones, carries the catalog key, so a form never shows zod's English.
 */
export const EqfLevel = z
  .number('validation.eqf')
  .int('validation.eqf')
  .min(1, 'validation.eqf')
  .max(8, 'validation.eqf');

/** ISO 3166-1 alpha-2 country code, e.g. `FR`, `CM`. */
export const CountryCode = z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'validation.country');

/** ISO 639-1 language code, e.g. `fr`, `en`. */
export const LanguageCode = z.string().trim().toLowerCase().regex(/^[a-z]{2}$/, 'validation.language');

/** Academic year as `2025/2026`: two consecutive years. */
export const AcademicYear = z
  .string()
  .trim()
  .regex(/^\d{4}\/\d{4}$/, 'validation.academicYear')
  .refine((value) => Number(value.slice(5)) === Number(value.slice(0, 4)) + 1, 'validation.academicYear');

/** A calendar date as `YYYY-MM-DD` that exists. */
export const IsoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.date')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'validation.date');

/** The academic year a date falls in (September to August). */
export function academicYearOf(date: Date): string {
  const year = date.getUTCFullYear();
  const start = date.getUTCMonth() >= 8 ? year : year - 1;
  return `${start}/${start + 1}`;
}
