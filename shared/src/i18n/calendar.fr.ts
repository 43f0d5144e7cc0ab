import type { enCalendar } from './calendar.en.js';

/** Messages français : mêmes clés que `calendar.en.ts`. */
export const frCalendar: Record<keyof typeof enCalendar, string> = {
};
