/**
 * The web app's pages as the server sends them. Every page is the app's shell (`ssr = false`),
 * but a board's page carries the board's first screen when the server put one on the request
 * (`firstScreenPage`, server side): drawn here into the page, the browser paints it with its first
 * frame, before the app's scripts have loaded; the app takes it over (`pre-first-screen.ts`).
 * That page also carries its stylesheets in itself (the server hands their text over): its first
 * frame then waits for no stylesheet request. Their links stay, disabled, as SvelteKit leaves
 * those of styles it inlines, so that the app does not add them again. And it names none of the
 * app's modules for the browser to fetch ahead (`modulepreload`): fetched and compiled as they
 * arrive, they held the main thread while it had the drawing to lay out and paint (the first card
 * painted a third sooner without them, bench/RESULTS.md); the app's start asks for them itself.
 */
import type { Handle } from '@sveltejs/kit/hooks';
import { drawFirstScreenPage } from './routes/(app)/boards/[boardId=id]/first-screen/first-screen-page.js';

const BODY = '<div style="display: contents">';
const STYLESHEET_LINK = /<link href="([^"]+\.css)" rel="stylesheet">/g;
const MODULE_PRELOAD_LINK = /<link href="[^"]+" rel="modulepreload">/g;

export const handle: Handle = async ({ event, resolve }) => {
  const request = event.platform?.req;
  const firstScreen = request?.firstScreenPage;
  if (!firstScreen) return resolve(event);
  const drawn = drawFirstScreenPage(firstScreen);
  const stylesheet = request.pageStylesheet;
  return resolve(event, {
    // Functions, so that no `$` in what people wrote (or in a stylesheet) is read as a replacement pattern.
    // The links first: they are looked for in SvelteKit's page, never in what people wrote.
    transformPageChunk: ({ html }) => {
      const page = html.replace(MODULE_PRELOAD_LINK, '');
      return (stylesheet ? withStylesIn(page, stylesheet) : page).replace(BODY, () => `${BODY}${drawn}`);
    },
  });
};

/** The page with the text of each of its stylesheets in one `<style>` before the first of their links. */
function withStylesIn(html: string, stylesheet: (href: string) => string | undefined): string {
  const styles: string[] = [];
  let first = -1;
  const linked = html.replace(STYLESHEET_LINK, (link, href: string, offset: number) => {
    const text = stylesheet(href);
    // A stylesheet's text never ends the style element early.
    if (text === undefined || /<\/style/i.test(text)) return link;
    styles.push(text);
    if (first < 0) first = offset;
    return `<link href="${href}" rel="stylesheet" disabled media="(max-width: 0)">`;
  });
  if (first < 0) return html;
  // Links before the first inlined one are unchanged, so `first` is still its place.
  return `${linked.slice(0, first)}<style>${styles.join('\n')}</style>${linked.slice(first)}`;
}
