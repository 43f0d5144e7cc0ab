/** Calendar dates written and read in the interface language's order, whatever the browser's. */
import { describe, expect, it } from 'vitest';
import { formatCalendarDate, parseCalendarDate, patternHint, datePattern } from '../../web/src/lib/dates/calendar-date.js';

describe('calendar dates in a locale’s figures', () => {
  it.each([
    ['fr-FR', '15/03/2027', 'jj/mm/aaaa'],
    ['en-GB', '15/03/2027', 'dd/mm/yyyy'],
    ['en-US', '03/15/2027', 'mm/dd/yyyy'],
    ['de-DE', '15.03.2027', 'dd.mm.yyyy'],
  ])('%s writes 2027-03-15 as %s', (tag, written, hint) => {
    expect(formatCalendarDate('2027-03-15', tag)).toBe(written);
    const words = tag === 'fr-FR' ? { day: 'jj', month: 'mm', year: 'aaaa' } : { day: 'dd', month: 'mm', year: 'yyyy' };
    expect(patternHint(datePattern(tag), words)).toBe(hint);
    expect(parseCalendarDate(written, tag)).toBe('2027-03-15');
  });

  it('reads the day first in French and the month first in US English', () => {
    expect(parseCalendarDate('04/03/2027', 'fr-FR')).toBe('2027-03-04');
    expect(parseCalendarDate('04/03/2027', 'en-US')).toBe('2027-04-03');
    expect(parseCalendarDate('4.3.2027', 'fr-FR')).toBe('2027-03-04');
  });

  it('takes an ISO date in any locale, an empty text as no date, and refuses days that do not exist', () => {
    expect(parseCalendarDate('2027-03-04', 'en-US')).toBe('2027-03-04');
    expect(parseCalendarDate('  ', 'fr-FR')).toBe('');
    expect(parseCalendarDate('31/02/2027', 'fr-FR')).toBeNull();
    expect(parseCalendarDate('15/13/2027', 'fr-FR')).toBeNull();
    expect(parseCalendarDate('15/03/27', 'fr-FR')).toBeNull();
    expect(parseCalendarDate('le 15 mars', 'fr-FR')).toBeNull();
  });

  it('shows nothing for no date, and an unreadable stored value as it is', () => {
    expect(formatCalendarDate(null, 'fr-FR')).toBe('');
    expect(formatCalendarDate('bientôt', 'fr-FR')).toBe('bientôt');
  });
});
