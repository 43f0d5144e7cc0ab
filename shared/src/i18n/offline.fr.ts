import type { enOffline } from './offline.en.js';

/** Messages français : mêmes clés que `offline.en.ts`. */
export const frOffline: Record<keyof typeof enOffline, string> = {
};
