/**
 * Times of day (`HH:MM`, a wall clock, no zone) read the many ways people type them ("14:30",
 * "14h30", "9.05", "2:30 pm", "14") and written the way the interface's locale writes them.
 */

/** `HH:MM` from what a person typed, or null when it is no time of day. */
export function parseWallTime(text: string): string | null {
  const match = /^\s*(\d{1,2})(?:\s*[:hH.]\s*(\d{2})?)?\s*(am|pm|a\.m\.|p\.m\.)?\s*$/i.exec(text);
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? '0');
  const meridiem = match[3]?.toLowerCase().replace(/\./g, '');
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** `HH:MM` as `localeTag` writes a time of day: "09:05" in French or British English, "9:05 AM" in US English. */
export function formatWallTime(time: string, localeTag: string): string {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) return time;
  // A 24-hour clock writes its hours in two figures ("09:05"); a 12-hour one does not ("9:05 am").
  const twelve = new Intl.DateTimeFormat(localeTag, { hour: 'numeric' }).resolvedOptions().hour12 === true;
  return new Intl.DateTimeFormat(localeTag, { hour: twelve ? 'numeric' : '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2000, 0, 1, Number(match[1]), Number(match[2]))),
  );
}

/** `HH:MM` `minutes` later, on a clock (past midnight it goes round). */
export function wallTimeAfter(time: string, minutes: number): string {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const total = (((hour * 60 + minute + minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}
