import type { enSuggestions } from './suggestions.en.js';

/** Messages français : suggestions (mode suggestion) dans les documents de projet. Mêmes clés que `suggestions.en.ts`. */
export const frSuggestions: Record<keyof typeof enSuggestions, string> = {};
