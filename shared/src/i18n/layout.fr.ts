import type { enLayout } from './layout.en.js';

/** Messages français : mêmes clés que `layout.en.ts`. */
export const frLayout: Record<keyof typeof enLayout, string> = {
};
