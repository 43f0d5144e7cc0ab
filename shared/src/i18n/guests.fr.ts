import type { enGuests } from './guests.en.js';

/** Messages français : mêmes clés que `guests.en.ts`. */
export const frGuests: Record<keyof typeof enGuests, string> = {
};
