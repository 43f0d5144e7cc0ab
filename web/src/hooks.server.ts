/**
 * The web app's pages as the server sends them. Every page is the app's shell (`ssr = false`),
 * but a board's page carries the board's first screen when the server put one on the request
 * (`firstScreenPage`, server side): drawn here into the page, the browser paints it with its first
 * frame, before the app's scripts have loaded; the app takes it over (`pre-first-screen.ts`).
 */
import type { Handle } from '@sveltejs/kit/hooks';
import { drawFirstScreenPage } from './routes/(app)/boards/[boardId=id]/first-screen/first-screen-page.js';

const BODY = '<div style="display: contents">';

export const handle: Handle = async ({ event, resolve }) => {
  const firstScreen = event.platform?.req?.firstScreenPage;
  if (!firstScreen) return resolve(event);
  const drawn = drawFirstScreenPage(firstScreen);
  return resolve(event, {
    // A function, so that no `$` in what people wrote is read as a replacement pattern.
    transformPageChunk: ({ html }) => html.replace(BODY, () => `${BODY}${drawn}`),
  });
};
