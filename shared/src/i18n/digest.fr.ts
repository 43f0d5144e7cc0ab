import type { enDigest } from './digest.en.js';

/** Messages français : mêmes clés que `digest.en.ts`. */
export const frDigest: Record<keyof typeof enDigest, string> = {
};
