/** The build's stylesheets a page carries in itself: only the build's own, read once. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildStylesheets } from '../../server/src/http/page-stylesheets.js';

describe('buildStylesheets', () => {
  const root = mkdtempSync(join(tmpdir(), 'passerelle-styles-'));
  const client = join(root, 'client');
  mkdirSync(join(client, '_app/immutable/assets'), { recursive: true });
  writeFileSync(join(client, '_app/immutable/assets/5.Bl82N9PV.css'), '.board-card{color:red}');
  writeFileSync(join(root, 'secret.css'), 'not for pages');
  writeFileSync(join(client, 'robots.css'), 'not a build stylesheet');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const stylesheet = buildStylesheets(client);

  it("reads a build stylesheet by its address in the page, and keeps it", () => {
    expect(stylesheet('/_app/immutable/assets/5.Bl82N9PV.css')).toBe('.board-card{color:red}');
    writeFileSync(join(client, '_app/immutable/assets/5.Bl82N9PV.css'), 'changed');
    expect(stylesheet('/_app/immutable/assets/5.Bl82N9PV.css')).toBe('.board-card{color:red}');
  });

  it('reads nothing else: other files, other folders, paths that climb out, a file that is not there', () => {
    for (const href of [
      '/robots.css',
      '/_app/immutable/assets/../../../secret.css',
      '/_app/immutable/assets/..%2F..%2F..%2Fsecret.css',
      '/_app/immutable/assets/sub/5.Bl82N9PV.css',
      '/_app/immutable/assets/5.Bl82N9PV.js',
      '/_app/immutable/assets/missing.css',
      '//example.org/_app/immutable/assets/5.Bl82N9PV.css',
    ]) expect(stylesheet(href), href).toBeUndefined();
  });
});
