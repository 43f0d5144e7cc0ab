/** English messages of accessibility (skip link, focus, announcements). Keys are shared with `a11y.fr.ts`. */
export const enA11y = {
  'a11y.skipLink': 'Skip to content',
} as const;
