/** English messages of accessibility (skip link, focus, announcements). Keys are shared with `a11y.fr.ts`. */
export const enA11y = {
  'a11y.skipLink': 'Skip to content',
  'a11y.search.header': 'Search from any page',
  'a11y.search.partners': 'Filter the partners',
  'a11y.scrollBox.table': '{title}: wide table, scrolls sideways',
} as const;
