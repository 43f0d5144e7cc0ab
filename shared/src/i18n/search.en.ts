/** English messages of search across the workspace. Keys are shared with `search.fr.ts`. */
export const enSearch = {
} as const;
