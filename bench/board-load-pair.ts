/**
 * Two builds of Passerelle opening the same boards in turn, in one browser: this checkout's build
 * and another checkout's (built, with its own `node_modules`), each on its own server and in its own
 * browser context, loads alternating (A then B, then B then A) after one warm-up load each. On a
 * machine whose speed drifts, the paired difference shows what a change gains where two separate
 * invocations of `board-load.ts` would mostly show the drift.
 *
 *   git worktree add /tmp/before <commit> && (cd /tmp/before && npm ci && npm run build)
 *   npm run build && node --import tsx bench/board-load-pair.ts --against /tmp/before [--runs 9] [--sizes 50,1000,5000] [--moves 16] [--latency 60]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, signIn } from '../test/helpers/browser.js';
import { ADMIN, startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';
import { api, login } from '../test/helpers/test-server.js';
import { seedBenchBoard } from './lib/board-content.js';
import { timeKeyboardMoves } from './lib/board-moves.js';
import { interactiveMs, installLoadProbe } from './lib/load-probe.js';

const option = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : fallback);
const against = option('--against', '');
if (!against) throw new Error('--against <the other checkout, built> is required');
const runs = Number(option('--runs', '9'));
const sizes = option('--sizes', '50,1000,5000').split(',').map(Number);
const moveRounds = Number(option('--moves', '0'));
/** Round-trip time added to every request the page sends to the network (not those its service worker's cache answers), as over the Internet. */
const latencyMs = Number(option('--latency', '0'));

interface Side {
  server: ServerProcess;
  dataDir: string;
  boards: Record<number, string>;
  page: Page;
}

/** A server of one build with the benchmark's boards, and a signed-in page for it. */
async function openSide(browser: Browser, start: typeof startServerProcess): Promise<Side> {
  const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-pair-'));
  const server = await start({ dataDir, env: { LOG_LEVEL: 'warn' } });
  const cookie = await login(server.url);
  const { body } = await api<{ token: string }>(server.url, '/api/tokens', { method: 'POST', body: { name: 'bench' }, cookie });
  const boards: Record<number, string> = {};
  for (const cards of sizes) boards[cards] = await seedBenchBoard(server.url, body.token, cards);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
  await installLoadProbe(context, Object.fromEntries(sizes.map((cards) => [`/boards/${boards[cards]}`, { view: 'board', items: cards }])));
  const page = await context.newPage();
  if (latencyMs > 0) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: latencyMs, downloadThroughput: -1, uploadThroughput: -1 });
  }
  await signIn(page, server.url, ADMIN);
  return { server, dataDir, boards, page };
}

async function load(side: Side, cards: number): Promise<number> {
  await side.page.goto('about:blank');
  await side.page.goto(`${side.server.url}/boards/${side.boards[cards]}`);
  return interactiveMs(side.page);
}


const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const { startServerProcess: startOther } = (await import(pathToFileURL(resolve(against, 'test/helpers/server-process.ts')).href)) as { startServerProcess: typeof startServerProcess };
const browser = await launchChromium();
const sides: Side[] = [];
try {
  const a = await openSide(browser, startOther);
  sides.push(a);
  const b = await openSide(browser, startServerProcess);
  sides.push(b);
  for (const cards of sizes) {
    await load(a, cards);
    await load(b, cards);
  }
  console.log(`Board loads in pairs, ${runs} per size: A = ${against}, B = this checkout${latencyMs > 0 ? `, ${latencyMs} ms added to each round trip` : ''}`);
  for (const cards of sizes) {
    const times = { a: [] as number[], b: [] as number[] };
    for (let run = 0; run < runs; run++) {
      for (const [side, list] of run % 2 === 0 ? ([[a, times.a], [b, times.b]] as const) : ([[b, times.b], [a, times.a]] as const)) list.push(await load(side, cards));
    }
    const differences = times.a.map((timeA, i) => times.b[i]! - timeA);
    console.log(
      `  ${cards} cards: A ${Math.round(median(times.a))} ms, B ${Math.round(median(times.b))} ms, B − A (paired, median) ${Math.round(median(differences))} ms, B faster in ${differences.filter((d) => d < 0).length} of ${runs}`,
    );
  }
  if (moveRounds > 0) {
    // Each round opens the board again on both sides: the first move after a load (the target
    // column scrolled to its end and drawn there, the move's code run for the first time) is paired
    // apart from the moves after it.
    const cards = sizes.at(-1)!;
    const first = { a: [] as number[], b: [] as number[] };
    const later = { a: [] as number[], b: [] as number[] };
    for (let round = 0; round < moveRounds; round++) {
      for (const [side, key] of round % 2 === 0 ? ([[a, 'a'], [b, 'b']] as const) : ([[b, 'b'], [a, 'a']] as const)) {
        await load(side, cards);
        const [firstMove, ...rest] = await timeKeyboardMoves(side.page, 4, 100);
        first[key].push(firstMove!);
        later[key].push(...rest);
      }
    }
    const differences = first.a.map((timeA, i) => first.b[i]! - timeA);
    console.log(
      `  first move after a load, ${cards} cards (${moveRounds} each): A ${median(first.a).toFixed(1)} ms, B ${median(first.b).toFixed(1)} ms, B − A (paired, median) ${median(differences).toFixed(1)} ms, B faster in ${differences.filter((d) => d < 0).length} of ${moveRounds}`,
    );
    console.log(`  the moves after it (${later.a.length} each): A ${median(later.a).toFixed(1)} ms, B ${median(later.b).toFixed(1)} ms (medians)`);
  }
} finally {
  await browser.close();
  for (const side of sides) {
    await side.server.stop();
    rmSync(side.dataDir, { recursive: true, force: true });
  }
}
process.exit(0);
