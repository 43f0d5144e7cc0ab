/**
 * A board's page with its first screen in it (server side): `PreFirstScreen` drawn in the person's
 * language, and the first screen itself as data, which the app reads instead of asking for it
 * (`takeSentFirstScreen`).
 */
import type { FirstScreenPage } from '@passerelle/shared';
import { render } from 'svelte/server';
import { drawnFor, locale } from '#lib/i18n.svelte.js';
import { FIRST_SCREEN_DATA_ID } from '#lib/pre-first-screen.js';
import PreFirstScreen from './PreFirstScreen.svelte';
import { BOARD_VIEWS } from './views.js';

/** The first screen's markup and data, to put at the start of the page's body. */
export function drawFirstScreenPage(page: FirstScreenPage): string {
  // The drawing is synchronous: no other page's drawing can see this language in between.
  const before = locale.current;
  locale.current = page.locale;
  drawnFor.dateLocale = page.dateLocale;
  try {
    const { head, body } = render(PreFirstScreen, { props: { page, views: BOARD_VIEWS } });
    // In a data block `<` is the only character that could end it early.
    const data = JSON.stringify({ boardId: page.boardId, screen: page.screen }).replaceAll('<', '\\u003c');
    return `${head}${body}<script type="application/json" id="${FIRST_SCREEN_DATA_ID}">${data}</script>`;
  } finally {
    locale.current = before;
    drawnFor.dateLocale = null;
  }
}
