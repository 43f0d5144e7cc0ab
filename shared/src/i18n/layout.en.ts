/** English messages of board and page layout: menus, labels for cut titles, small screens. Keys are shared with `layout.fr.ts`. */
export const enLayout = {
  'layout.board.column.renameHint': '{title} — click to rename the column',
  'layout.board.card.partners': 'Partners: {names}',
} as const;
