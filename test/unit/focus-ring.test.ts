/**
 * The app's one focus ring (`:focus-visible` in `web/src/lib/styles/base.css`, WCAG 2.4.7) is never
 * taken away: no stylesheet of the web app, global or a component's, removes an outline or makes it
 * transparent. (The e2e accessibility test checks the ring drawn on the controls a keyboard reaches.)
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const WEB_SRC = fileURLToPath(new URL('../../web/src/', import.meta.url));

/** Every stylesheet and component under `dir`. */
function styledFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return styledFiles(path);
    return /\.(css|svelte)$/.test(entry.name) ? [path] : [];
  });
}

/** Declarations that hide an outline: none, zero width, or a transparent colour. */
const REMOVES_OUTLINE = /outline(?:-style|-width|-color)?\s*:\s*(?:none|0(?:px)?|transparent)\s*[;}!]/g;

describe('the focus ring', () => {
  it('is drawn by the global stylesheet on every element reached by the keyboard', () => {
    const base = readFileSync(join(WEB_SRC, 'lib/styles/base.css'), 'utf8');
    expect(base).toMatch(/:focus-visible\s*\{\s*outline:\s*2px solid var\(--focus\);/);
  });

  it('is removed nowhere in the web app', () => {
    const found = styledFiles(WEB_SRC).flatMap((path) =>
      [...readFileSync(path, 'utf8').matchAll(REMOVES_OUTLINE)].map((match) => `${relative(WEB_SRC, path)}: ${match[0]}`),
    );
    expect(found).toEqual([]);
  });
});
