import type { enLayout } from './layout.en.js';

/** Messages français : mêmes clés que `layout.en.ts`. */
export const frLayout: Record<keyof typeof enLayout, string> = {
  'layout.board.column.renameHint': '{title} — cliquer pour renommer la colonne',
  'layout.board.card.partners': 'Partenaires\u00a0: {names}',
  'layout.pages.menu.label': 'Menu : rubriques et recherche',
  'layout.pages.menu.short': 'Menu',
  'layout.pages.scrollBox': 'Tableau large, défile horizontalement',
  'layout.pages.proposalBar.more': 'Plus d’options d’édition',
};
