import type { enSearch } from './search.en.js';

/** Messages français : mêmes clés que `search.en.ts`. */
export const frSearch: Record<keyof typeof enSearch, string> = {
};
