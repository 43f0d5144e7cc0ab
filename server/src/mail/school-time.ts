/**
 * The school's calendar day and hour at an instant, in its time zone (`MAIL_TIME_ZONE`): reminders
 * and digests follow the day people live in, not UTC's, which in Paris turns an hour or two early.
 */

/** A day and an hour of the school's clock. */
export interface SchoolTime {
  /** `YYYY-MM-DD`. */
  day: string;
  /** 0 to 23. */
  hour: number;
}

/** The school's day and hour at `instant` in `timeZone` (an IANA name, `Europe/Paris`). */
export function schoolTime(instant: Date, timeZone: string): SchoolTime {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return { day: `${part('year')}-${part('month')}-${part('day')}`, hour: Number(part('hour')) };
}

/** `day` moved by `days` (negative: earlier). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
