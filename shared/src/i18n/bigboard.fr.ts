import type { enBigboard } from './bigboard.en.js';

/** Messages français : mêmes clés que `bigboard.en.ts`. */
export const frBigboard: Record<keyof typeof enBigboard, string> = {
};
