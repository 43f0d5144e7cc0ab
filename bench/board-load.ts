/**
 * How a large board behaves in Chromium: load-to-interactive and a card move, for boards of
 * 1,000 and 5,000 cards against a reference board of 50 cards measured in the same invocation
 * (same machine, same server, same browser), so the ratio shows what size costs. A move is measured
 * as the first after the load, and as the median of the eight after it (a move's code compiled). With
 * `--view pipeline`, the same for the pipeline of 1,000 and 5,000 proposals against 50, the move
 * being a proposal picked up with the keyboard and dropped in the next stage.
 *
 *   npm run build && node --import tsx bench/board-load.ts [--runs 5] [--view pipeline]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, signIn } from '../test/helpers/browser.js';
import { ADMIN, startServerProcess } from '../test/helpers/server-process.js';
import { api, login } from '../test/helpers/test-server.js';
import { seedBenchBoard, writeBenchProposals } from './lib/board-content.js';
import { timeKeyboardMoves } from './lib/board-moves.js';
import { interactiveMs, installLoadProbe } from './lib/load-probe.js';
import { measurePipeline } from './lib/pipeline-load.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
/** Moves measured after the first on the board view, back and forth between the first two columns. */
const LATER_MOVES = 8;
const pipeline = process.argv.includes('--view') && process.argv[process.argv.indexOf('--view') + 1] === 'pipeline';

interface Sample {
  loadMs: number;
  /** The first move after the load. */
  moveMs: number;
  /** The median of the moves after it (the board view only). */
  laterMoveMs: number;
  /** Cards in the DOM once interactive (a long column renders only what is on screen). */
  rendered: number;
}

/**
 * Opens the board fresh and measures navigation start → synced, every card counted in its column
 * and every column showing its first cards, then a free frame (read in the page by the load
 * probe); then a keyboard move.
 */
async function measure(page: Page, url: string): Promise<Sample> {
  await page.goto('about:blank');
  await page.goto(url);
  const loadMs = await interactiveMs(page);
  const rendered = await page.locator('[data-testid="card"]').count();

  // The first move after the load, then more of them back and forth (the code of a move is compiled
  // at its first use: later moves show what moving costs once the page has done it once).
  const moves = await timeKeyboardMoves(page, 1 + LATER_MOVES, 100);
  const moveMs = moves[0]!;
  const laterMoveMs = median(moves.slice(1));
  return { loadMs, moveMs, laterMoveMs, rendered };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-bench-'));
  const server = await startServerProcess({ dataDir, env: { LOG_LEVEL: 'warn' } });
  const browser = await launchChromium();
  try {
    const cookie = await login(server.url);
    const { body } = await api<{ token: string }>(server.url, '/api/tokens', { method: 'POST', body: { name: 'bench' }, cookie });
    const sizes = { reference: 50, large: 1000, huge: 5000 } as const;
    type Size = keyof typeof sizes;
    const keys = Object.keys(sizes) as Size[];
    const boards = {} as Record<Size, string>;
    for (const key of keys) {
      // A third of the cards proposals over eight columns; for the pipeline, every card a proposal.
      boards[key] = await seedBenchBoard(server.url, body.token, sizes[key], pipeline ? (doc) => writeBenchProposals(doc, sizes[key]) : undefined);
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
    await installLoadProbe(context, Object.fromEntries(keys.map((key) => [`/boards/${boards[key]}`, { view: pipeline ? 'pipeline' : 'board', items: sizes[key] }])));
    const page = await context.newPage();
    await signIn(page, server.url, ADMIN);

    const samples: Record<Size, Sample[]> = { reference: [], large: [], huge: [] };
    // Interleaved, so that drift of the machine affects every size alike.
    for (let run = 0; run < runs; run++) {
      for (const key of keys) {
        const url = `${server.url}/boards/${boards[key]}`;
        samples[key].push(pipeline ? { ...(await measurePipeline(page, `${url}?view=pipeline`)), laterMoveMs: Number.NaN } : await measure(page, url));
      }
    }
    const summary = (key: Size) => ({
      cards: sizes[key],
      loadMs: Math.round(median(samples[key].map((s) => s.loadMs))),
      moveMs: Math.round(median(samples[key].map((s) => s.moveMs)) * 10) / 10,
      laterMoveMs: Math.round(median(samples[key].map((s) => s.laterMoveMs)) * 10) / 10,
      rendered: median(samples[key].map((s) => s.rendered)),
      loadsMs: samples[key].map((s) => Math.round(s.loadMs)),
    });
    const results = Object.fromEntries(keys.map((key) => [key, summary(key)])) as Record<Size, ReturnType<typeof summary>>;
    const reference = results.reference;
    const unit = pipeline ? 'proposals' : 'cards';
    console.log(`${pipeline ? 'Pipeline' : 'Board'} in Chromium, median of ${runs} interleaved runs`);
    for (const key of keys) {
      const result = results[key];
      const later = pipeline ? '' : `, later moves ${result.laterMoveMs} ms`;
      const ratio =
        key === 'reference'
          ? ''
          : `  (load ×${(result.loadMs / reference.loadMs).toFixed(2)}, move ×${(result.moveMs / reference.moveMs).toFixed(2)}${pipeline ? '' : `, later ×${(result.laterMoveMs / reference.laterMoveMs).toFixed(2)}`})`;
      console.log(
        `  ${key} (${result.cards} ${unit}, ${result.rendered} in the DOM): load-to-interactive ${result.loadMs} ms (runs: ${result.loadsMs.join(', ')}), ${pipeline ? 'stage' : 'card'} move ${result.moveMs} ms${later}${ratio}`,
      );
    }
    console.log(JSON.stringify({ bench: pipeline ? 'pipeline-load' : 'board-load', runs, ...results }));
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
// Everything the run started is stopped; the server modules the test helpers import may keep the
// process waiting on handles of their own.
process.exit(0);
