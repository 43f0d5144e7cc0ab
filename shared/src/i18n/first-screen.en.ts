/** English messages for this part; the French catalog (`first-screen.fr.ts`) has the same keys. */
export const enFirstScreen = {
  'firstScreen.updating': 'Loading the latest changes…',
  'firstScreen.label': 'The board as last saved, while the latest changes load',
} as const;
