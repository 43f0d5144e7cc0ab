import type { enFirstScreen } from './first-screen.en.js';

/** Messages français : mêmes clés que `first-screen.en.ts`. */
export const frFirstScreen: Record<keyof typeof enFirstScreen, string> = {
  'firstScreen.updating': 'Chargement des dernières modifications…',
  'firstScreen.label': 'Le tableau tel qu’enregistré, pendant le chargement des dernières modifications',
};
