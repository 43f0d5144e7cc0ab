/** English messages of phones, links and dates on every page. Keys are shared with `polish.fr.ts`. */
export const enPolish = {
  'polish.calendar.label': 'Pick a date',
  'polish.calendar.previous': 'Previous month',
  'polish.waiting.short': '{count} waiting',
  'polish.waiting.sending': 'Sending {count}…',
  'polish.calendar.next': 'Next month',
} as const;
