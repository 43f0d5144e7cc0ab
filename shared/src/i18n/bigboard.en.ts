/** English messages of large boards (windowed columns). Keys are shared with `bigboard.fr.ts`. */
export const enBigboard = {
} as const;
