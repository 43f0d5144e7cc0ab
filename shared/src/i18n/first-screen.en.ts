/** English messages for this part; the French catalog (`first-screen.fr.ts`) has the same keys. */
export const enFirstScreen = {
} as const;
