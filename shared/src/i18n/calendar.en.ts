/** English messages of calendar feeds. Keys are shared with `calendar.fr.ts`. */
export const enCalendar = {
} as const;
