/**
 * The VTIMEZONE of a feed's time zone, read from the runtime's time zone data (`Intl`), so that a
 * meeting written `DTSTART;TZID=Europe/Paris:20270315T100000` means the same instant to every
 * calendar application, those that know no IANA names included. The changes of offset are listed
 * one by one for the years the feed's events span, rather than as rules: what the data says, with
 * nothing to get wrong in translating it.
 */
import { zoneOffsetMinutes } from '@passerelle/shared';

const DAY_MS = 24 * 3600_000;

/** `+0100`, `-0430`. */
function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const size = Math.abs(minutes);
  return `${sign}${String(Math.floor(size / 60)).padStart(2, '0')}${String(size % 60).padStart(2, '0')}`;
}

/** `YYYYMMDDTHHMMSS` of the wall clock at `instant` with `offset` minutes. */
function wallText(instant: number, offset: number): string {
  return new Date(instant + offset * 60_000).toISOString().slice(0, 19).replace(/[-:]/g, '');
}

/** The instant `timeZone` changes offset between `from` (offset `before`) and `to`, to the minute. */
function changeBetween(from: number, to: number, before: number, timeZone: string): number {
  let low = from;
  let high = to;
  while (high - low > 60_000) {
    const middle = low + Math.floor((high - low) / 120_000) * 60_000;
    if (zoneOffsetMinutes(new Date(middle), timeZone) === before) low = middle;
    else high = middle;
  }
  return high;
}

/** The VTIMEZONE component of `timeZone` covering the years `fromYear` to `toYear`. */
export function vtimezone(timeZone: string, fromYear: number, toYear: number): string {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear + 1, 0, 1);
  let offset = zoneOffsetMinutes(new Date(start), timeZone);
  const changes: { at: number; from: number; to: number }[] = [];
  for (let day = start; day < end; day += DAY_MS) {
    const next = zoneOffsetMinutes(new Date(day + DAY_MS), timeZone);
    if (next === offset) continue;
    changes.push({ at: changeBetween(day, day + DAY_MS, offset, timeZone), from: offset, to: next });
    offset = next;
  }
  // Summer time is the larger offset of the period; a zone that never changes has standard time only.
  const standard = Math.min(...changes.map((change) => Math.min(change.from, change.to)), zoneOffsetMinutes(new Date(start), timeZone));
  const first = zoneOffsetMinutes(new Date(start), timeZone);
  const observance = (kind: 'STANDARD' | 'DAYLIGHT', at: number, from: number, to: number) =>
    [`BEGIN:${kind}`, `DTSTART:${wallText(at, from)}`, `TZOFFSETFROM:${offsetText(from)}`, `TZOFFSETTO:${offsetText(to)}`, `END:${kind}`];
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${timeZone}`,
    ...observance(first > standard ? 'DAYLIGHT' : 'STANDARD', start, first, first),
    ...changes.flatMap((change) => observance(change.to > standard ? 'DAYLIGHT' : 'STANDARD', change.at, change.from, change.to)),
    'END:VTIMEZONE',
  ].join('\r\n');
}

/**
 * A Date whose local fields (in this process's own time zone) read `instant`'s wall clock in
 * `timeZone`: how `ical-generator` takes the time of an event written with a TZID.
 */
export function wallClockDate(instant: Date, timeZone: string): Date {
  const wall = new Date(instant.getTime() + zoneOffsetMinutes(instant, timeZone) * 60_000);
  return new Date(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate(), wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds());
}

/** A Date whose local fields read the calendar day `day` (`YYYY-MM-DD`), for an all-day event of a calendar with a time zone. */
export function localDay(day: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date);
}
