/** English messages of records. Keys are shared with `records.fr.ts`. */
export const enRecords = {
} as const;
