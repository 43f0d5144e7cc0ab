/** English messages of sheets. Keys are shared with `sheets.fr.ts`. */
export const enSheets = {
} as const;
