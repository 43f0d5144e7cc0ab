import type { enLayout } from './layout.en.js';

/** Messages français : mêmes clés que `layout.en.ts`. */
export const frLayout: Record<keyof typeof enLayout, string> = {
  'layout.board.column.renameHint': '{title} — cliquer pour renommer la colonne',
  'layout.board.card.partners': 'Partenaires\u00a0: {names}',
};
