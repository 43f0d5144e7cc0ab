/** English messages of suggestions (suggesting mode) in proposal documents. Keys are shared with `suggestions.fr.ts`. */
export const enSuggestions = {} as const;
