/** English messages of partner guests' own settings and meeting outputs. Keys are shared with `guests.fr.ts`. */
export const enGuests = {
} as const;
