/**
 * Helpers the workspace views share: numbers in the person's locale, catalog messages for
 * validation issues, academic years, and accent-insensitive text matching.
 */
import { academicYearOf, catalogs, type MessageKey } from '@passerelle/shared';
import { locale, t } from '#lib/i18n.svelte.js';

/** The Intl locale tag of the interface language. */
export function intlLocale(): string {
  return locale.current === 'fr' ? 'fr-FR' : 'en-GB';
}

/** A count or amount in the person's locale ("1 234" in French, "1,234" in English). */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(intlLocale()).format(value);
}

/** The message of a validation issue: its catalog key when it is one, a generic message otherwise (zod's own limits). */
export function validationMessage(key: string): string {
  return key in catalogs.en ? t(key as MessageKey) : t('validation.invalid');
}

/** Issues of a failed parse by field path (`pic`, `conditions.0.iscedF`), first message per field. */
export function issuesByPath(
  result: { success: true } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } },
): Record<string, string> {
  const issues: Record<string, string> = {};
  if (result.success) return issues;
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    if (!(path in issues)) issues[path] = issue.message;
  }
  return issues;
}

/** Empty text means "not given": the schemas store null rather than an empty identifier. */
export function blankToNull(value: string | null | undefined): string | null {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
}

/** The academic year `offset` years after `year` (`2025/2026`, 1 → `2026/2027`). */
export function shiftAcademicYear(year: string, offset: number): string {
  const start = Number(year.slice(0, 4)) + offset;
  return `${start}/${start + 1}`;
}

/** The current academic year (September to August). */
export function currentAcademicYear(): string {
  return academicYearOf(new Date());
}

/** Academic years offered in selects: a few past ones (the baseline) and the planning horizon ahead. */
export function academicYearChoices(extra: readonly (string | null | undefined)[] = []): string[] {
  const current = currentAcademicYear();
  const years = new Set<string>();
  for (let offset = -6; offset <= 6; offset++) years.add(shiftAcademicYear(current, offset));
  for (const year of extra) if (year) years.add(year);
  return [...years].sort();
}

/** Lower case without accents, so that "ecole" finds "École". */
export function normalizeText(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** True when every word of `query` appears in one of `fields`. */
export function matchesQuery(query: string, fields: readonly (string | null | undefined)[]): boolean {
  const words = normalizeText(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = normalizeText(fields.filter(Boolean).join(' \u0001 '));
  return words.every((word) => haystack.includes(word));
}

/**
 * The world region a country usually belongs to in the SRI's planning, to preselect the region when
 * a partner's country is typed. Only a suggestion: the person can change it.
 */
export function regionOfCountry(country: string): 'eu' | 'north_america' | 'latin_america' | 'south_east_asia' | 'africa' | 'north_africa' | null {
  const code = country.trim().toUpperCase();
  if (EU.has(code)) return 'eu';
  if (code === 'US' || code === 'CA') return 'north_america';
  if (LATIN_AMERICA.has(code)) return 'latin_america';
  if (SOUTH_EAST_ASIA.has(code)) return 'south_east_asia';
  if (NORTH_AFRICA.has(code)) return 'north_africa';
  if (AFRICA.has(code)) return 'africa';
  return null;
}

const EU = new Set('AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' '));
const LATIN_AMERICA = new Set('MX GT BZ HN SV NI CR PA CU DO HT CO VE EC PE BO BR PY UY AR CL'.split(' '));
const SOUTH_EAST_ASIA = new Set('BN KH ID LA MY MM PH SG TH TL VN'.split(' '));
const NORTH_AFRICA = new Set('MA DZ TN LY EG MR'.split(' '));
const AFRICA = new Set(
  'CM SN CI ML BF NE TD CF CG CD GA GQ GN GW SL LR GH TG BJ NG ET ER DJ SO KE UG RW BI TZ MZ MW ZM ZW AO NA BW ZA LS SZ MG MU SC KM CV ST SD SS'.split(' '),
);
