/**
 * Calendar dates (`YYYY-MM-DD`, no time, no zone) written and read the way a locale writes them in
 * figures: "15/03/2027" in French, "03/15/2027" in US English, "15/03/2027" in British English.
 * Pure functions over `Intl.DateTimeFormat`, so that every locale's own order and separators are used
 * without a table of our own.
 */

/** How a locale writes a date in figures: the order of its parts and what separates them. */
export interface DatePattern {
  order: readonly ('day' | 'month' | 'year')[];
  separator: string;
}

const patterns = new Map<string, DatePattern>();

/** The pattern of `localeTag` (read once from Intl, then remembered). */
export function datePattern(localeTag: string): DatePattern {
  const known = patterns.get(localeTag);
  if (known) return known;
  const parts = new Intl.DateTimeFormat(localeTag, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).formatToParts(new Date(Date.UTC(2027, 2, 15)));
  const order = parts.filter((part) => part.type === 'day' || part.type === 'month' || part.type === 'year').map((part) => part.type as 'day' | 'month' | 'year');
  const separator = parts.find((part) => part.type === 'literal')?.value.trim() || '/';
  const pattern = { order: order.length === 3 ? order : (['day', 'month', 'year'] as const), separator };
  patterns.set(localeTag, pattern);
  return pattern;
}

/** The pattern as a person reads it ("jj/mm/aaaa"), from the words for day, month and year. */
export function patternHint(pattern: DatePattern, words: Record<'day' | 'month' | 'year', string>): string {
  return pattern.order.map((part) => words[part]).join(pattern.separator);
}

/** A `YYYY-MM-DD` date in figures, in the locale's order ("15/03/2027"); '' for none, the text itself if it is not a date. */
export function formatCalendarDate(isoDate: string | null | undefined, localeTag: string): string {
  if (!isoDate) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  const [, year, month, day] = match;
  const { order, separator } = datePattern(localeTag);
  const values = { day, month, year };
  return order.map((part) => values[part]).join(separator);
}

/** Whether year, month and day name a day that exists. */
function isRealDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Reads what a person typed: the locale's order with any of / . - or spaces between the figures
 * ("15/3/2027", "15.03.2027"), or an ISO date ("2027-03-15", which no locale's order makes
 * ambiguous). Returns `YYYY-MM-DD`, '' for an empty text, or null when it is not a real day.
 */
export function parseCalendarDate(text: string, localeTag: string): string | null {
  const typed = text.trim();
  if (!typed) return '';
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(typed);
  let year: number, month: number, day: number;
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const figures = typed.split(/[\s/.\-]+/);
    if (figures.length !== 3 || figures.some((figure) => !/^\d+$/.test(figure))) return null;
    const { order } = datePattern(localeTag);
    const value = (part: 'day' | 'month' | 'year') => figures[order.indexOf(part)];
    const yearText = value('year');
    if (yearText.length !== 4) return null;
    [year, month, day] = [Number(yearText), Number(value('month')), Number(value('day'))];
  }
  if (!isRealDay(year, month, day)) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
