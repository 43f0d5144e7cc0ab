import type { enEwp } from './ewp.en.js';

/** Messages français : mêmes clés que `ewp.en.ts`. */
export const frEwp: Record<keyof typeof enEwp, string> = {
};
