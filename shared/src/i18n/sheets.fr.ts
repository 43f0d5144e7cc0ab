import type { enSheets } from './sheets.en.js';

/** Messages français : mêmes clés que `sheets.en.ts`. */
export const frSheets: Record<keyof typeof enSheets, string> = {
};
