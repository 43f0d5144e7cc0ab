/** English messages for this part; the French catalog (`lane-window.fr.ts`) has the same keys. */
export const enLaneWindow = {
} as const;
