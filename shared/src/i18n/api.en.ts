/** English messages of api. Keys are shared with `api.fr.ts`. */
export const enApi = {
} as const;
