import type { enCoverage } from './coverage.en.js';

/** Messages français : mêmes clés que `coverage.en.ts`. */
export const frCoverage: Record<keyof typeof enCoverage, string> = {
};
