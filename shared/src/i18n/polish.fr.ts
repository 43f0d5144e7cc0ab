import type { enPolish } from './polish.en.js';

/** Messages français : mêmes clés que `polish.en.ts`. */
export const frPolish: Record<keyof typeof enPolish, string> = {
};
