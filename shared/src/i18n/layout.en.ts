/** English messages of board and page layout: menus, labels for cut titles, small screens. Keys are shared with `layout.fr.ts`. */
export const enLayout = {
  'layout.board.column.renameHint': '{title} — click to rename the column',
  'layout.board.card.partners': 'Partners: {names}',
  'layout.pages.menu.label': 'Menu: sections and search',
  'layout.pages.menu.short': 'Menu',
  'layout.pages.scrollBox': 'Wide table, scrolls sideways',
  'layout.pages.proposalBar.more': 'More editing options',
} as const;
