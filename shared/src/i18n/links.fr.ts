import type { enLinks } from './links.en.js';

/** Messages français : mêmes clés que `links.en.ts`. */
export const frLinks: Record<keyof typeof enLinks, string> = {
};
