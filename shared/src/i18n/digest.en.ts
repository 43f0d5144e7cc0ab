/** English messages of digest. Keys are shared with `digest.fr.ts`. */
export const enDigest = {
} as const;
