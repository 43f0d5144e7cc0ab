import type { enRecords } from './records.en.js';

/** Messages français : mêmes clés que `records.en.ts`. */
export const frRecords: Record<keyof typeof enRecords, string> = {
};
