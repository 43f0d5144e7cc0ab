import type { enSso } from './sso.en.js';

/** Messages français : mêmes clés que `sso.en.ts`. */
export const frSso: Record<keyof typeof enSso, string> = {
};
