/** English messages of offline editing kept across reloads. Keys are shared with `offline.fr.ts`. */
export const enOffline = {
} as const;
