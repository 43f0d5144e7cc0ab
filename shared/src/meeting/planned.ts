/**
 * Planned meetings of a board: when and where the next meetings take place, kept in the board
 * document so that everyone who sees the board sees them, and read by the calendar feeds and the
 * reminders. A date and a start time are the school's wall clock (its time zone, `MAIL_TIME_ZONE`
 * on the server): "10:00" stays 10:00 in Paris whether the meeting falls in winter or in summer.
 *
 * Layout: `plannedMeetings: Y.Map<meetingId, PlannedMeeting>`, each meeting one plain value rather
 * than a map of fields. A meeting is planned and changed as a whole through a form, so one value
 * makes each change land whole, and lets the server put back exactly what stood before a change it
 * refuses (a partner guest's): a shared type, once removed, could not be put back.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { validate, ValidationError } from '../domain/collection.js';
import { IsoDate } from '../domain/identifiers.js';
import { newId } from '../ids.js';

/** Longest planned meeting, in minutes: a whole day's workshop. */
export const MAX_PLANNED_MINUTES = 12 * 60;

/** `HH:MM` on a 24-hour clock. */
export const WallTime = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'validation.time');

/** A meeting planned on a board. */
export const PlannedMeeting = z.object({
  title: z.string().trim().min(1, 'validation.required').max(200),
  /** `YYYY-MM-DD`, the school's calendar day. */
  date: IsoDate,
  /** `HH:MM`, the school's wall clock. */
  start: WallTime,
  minutes: z.number().int().min(1).max(MAX_PLANNED_MINUTES).default(60),
  /** A room, an address or a video link, as typed. */
  place: z.string().trim().max(500).default(''),
  /** What the meeting is for, or what to prepare. */
  note: z.string().trim().max(2000).default(''),
});
export type PlannedMeeting = z.infer<typeof PlannedMeeting>;
export type PlannedMeetingInput = z.input<typeof PlannedMeeting>;
export type StoredPlannedMeeting = PlannedMeeting & { id: string };

/** The board's planned meetings, each stored as one value (see above). */
export class PlannedMeetings {
  constructor(readonly map: Y.Map<unknown>) {}

  /** Every valid meeting, soonest first (a value that does not parse is left out). */
  list(): StoredPlannedMeeting[] {
    const result: StoredPlannedMeeting[] = [];
    this.map.forEach((value, id) => {
      const parsed = PlannedMeeting.safeParse(value);
      if (parsed.success) result.push({ ...parsed.data, id });
    });
    return result.sort(bySchedule);
  }

  get(id: string): StoredPlannedMeeting | undefined {
    const parsed = PlannedMeeting.safeParse(this.map.get(id));
    return parsed.success ? { ...parsed.data, id } : undefined;
  }

  /** Validates and plans a meeting; returns its id. Throws `ValidationError`. */
  create(input: PlannedMeetingInput, id: string = newId()): string {
    this.map.set(id, validate(PlannedMeeting, input));
    return id;
  }

  /** Validates the meeting with `patch` applied and stores it. Throws `ValidationError`. */
  update(id: string, patch: Partial<PlannedMeetingInput>): void {
    const current = this.get(id);
    if (!current) throw new ValidationError([{ path: '', message: 'validation.notFound' }]);
    const { id: _id, ...fields } = current;
    this.map.set(id, validate(PlannedMeeting, { ...fields, ...patch }));
  }

  /** Cancels a meeting: it leaves the board, the feeds and the reminders. */
  delete(id: string): void {
    this.map.delete(id);
  }
}

/** Soonest first; at the same time, by title. */
export function bySchedule(a: PlannedMeeting, b: PlannedMeeting): number {
  return a.date.localeCompare(b.date) || a.start.localeCompare(b.start) || a.title.localeCompare(b.title);
}

/** One formatter per time zone: building one costs far more than using it. */
const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClockOf(timeZone: string): Intl.DateTimeFormat {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    wallClocks.set(timeZone, format);
  }
  return format;
}

/** Minutes east of UTC of `timeZone` at `instant` (Paris: 60 in winter, 120 in summer). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const parts = wallClockOf(timeZone).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((candidate) => candidate.type === type)?.value ?? 0);
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall-clock time of `timeZone` names. A time the clocks skip (02:30 on the night
 * summer time begins) is read with the offset before the change, so it lands an hour later, as a
 * clock put forward shows it; a time that happens twice (autumn) is its first occurrence.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offset an hour either side of the guess: the earlier one first, so that a repeated hour is its first occurrence.
  const before = zoneOffsetMinutes(new Date(wall - 3 * 3600_000), timeZone);
  const after = zoneOffsetMinutes(new Date(wall + 3 * 3600_000), timeZone);
  for (const offset of [before, after]) {
    const candidate = new Date(wall - offset * 60_000);
    if (zoneOffsetMinutes(candidate, timeZone) === offset) return candidate;
  }
  return new Date(wall - before * 60_000);
}

/** When a planned meeting starts and ends, as instants. */
export function plannedMeetingSpan(meeting: Pick<PlannedMeeting, 'date' | 'start' | 'minutes'>, timeZone: string): { start: Date; end: Date } {
  const start = zonedInstant(meeting.date, meeting.start, timeZone);
  return { start, end: new Date(start.getTime() + meeting.minutes * 60_000) };
}

/** A wall-clock time (`HH:MM`) as `locale` writes it (as the web app does without a regional preference): « 09:05 », "09:05". */
export function formatWallTime(time: string, locale: 'fr' | 'en'): string {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, 0, 1, hour, minute)));
}
