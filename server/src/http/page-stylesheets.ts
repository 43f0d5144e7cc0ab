/**
 * The web app's built stylesheets, read for a page that carries them in itself (a board's page
 * with its first screen drawn in: its first frame then waits for no stylesheet request, which
 * would queue behind the page's scripts on the browser's few connections). Only the build's own
 * files (`/_app/immutable/assets/<name>.css`, content-hashed, so each is read once and kept).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const BUILD_STYLESHEET = /^\/_app\/immutable\/assets\/[\w-]+(?:\.[\w-]+)*\.css$/;

/** Returns the text of a build stylesheet by its address in the page, or undefined (not one, not there). */
export function buildStylesheets(clientDir: string): (href: string) => string | undefined {
  const read = new Map<string, string | undefined>();
  return (href) => {
    if (!BUILD_STYLESHEET.test(href)) return undefined;
    if (!read.has(href)) {
      let text: string | undefined;
      try {
        text = readFileSync(join(clientDir, href), 'utf8');
      } catch {
        text = undefined;
      }
      read.set(href, text);
    }
    return read.get(href);
  };
}
