/** English messages of phones, links and dates on every page. Keys are shared with `polish.fr.ts`. */
export const enPolish = {
} as const;
