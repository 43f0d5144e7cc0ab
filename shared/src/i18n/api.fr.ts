import type { enApi } from './api.en.js';

/** Messages français : mêmes clés que `api.en.ts`. */
export const frApi: Record<keyof typeof enApi, string> = {
};
