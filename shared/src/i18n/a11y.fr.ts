import type { enA11y } from './a11y.en.js';

/** Messages français : mêmes clés que `a11y.en.ts`. */
export const frA11y: Record<keyof typeof enA11y, string> = {
  'a11y.skipLink': 'Aller au contenu',
  'a11y.search.header': 'Rechercher depuis n’importe quelle page',
  'a11y.search.partners': 'Filtrer les partenaires',
  'a11y.scrollBox.table': '{title}\u00a0: tableau large, défile horizontalement',
};
