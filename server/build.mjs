// Bundles the server (and the shared package it imports as TypeScript) into dist/main.js.
// Runtime dependencies stay external and are loaded from node_modules; the workspace's own
// packages are TypeScript source and are bundled.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
  outfile: new URL('./dist/main.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: true,
  external: Object.keys(manifest.dependencies ?? {}).filter((name) => !name.startsWith('@passerelle/')),
  logLevel: 'warning',
});
