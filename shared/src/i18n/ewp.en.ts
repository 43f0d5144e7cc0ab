/** English messages of ewp. Keys are shared with `ewp.fr.ts`. */
export const enEwp = {
} as const;
