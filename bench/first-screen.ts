/**
 * A 5,000-card board opened after a server restart, in a fresh browser: how soon the first card is
 * painted, three ways in the same invocation:
 * - `page`: as the server sends the board's page, with its first screen drawn in (painted before
 *   the app's scripts run);
 * - `app`: the page without that drawing (taken away as the page is parsed), the app drawing the
 *   stored first screen it asks for once it runs;
 * - `reference`: neither (the app is also told there is no first screen), so the page waits for
 *   the whole board to sync;
 * and how soon the live board is interactive in each.
 *
 * Every sample restarts the server (a fresh process on the same data directory: the board is
 * stored, with its first screen, and not loaded) and opens the board in a new browser context (no
 * local copy, no HTTP cache). The two ways alternate, so that drift of the machine affects both.
 *
 * With `--latency <ms>` and `--throughput <kbit/s>`, the page's requests go through Chromium's
 * network emulation (a round trip added to each, the bandwidth shared), as over the Internet.
 *
 *   npm run build && npm run bench:first-screen [-- --runs 5 --cards 5000 --latency 40 --throughput 10000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser.js';
import { startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';
import { api, login } from '../test/helpers/test-server.js';
import { seedBenchBoard } from './lib/board-content.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) || fallback : fallback;
}
const runs = option('runs', 5);
const cards = option('cards', 5000);
const latencyMs = option('latency', 0);
const throughputKbps = option('throughput', 0);

type Way = 'page' | 'app' | 'reference';

interface Sample {
  /**
   * Navigation start to the first card's title (stored or live) painted, as the browser reports it
   * (Element Timing: the frame that showed it, not the one after it was added).
   */
  firstCardMs: number;
  /** Navigation start to the frame after the first card was added to the page (earlier when painting it takes long). */
  cardInPageMs: number;
  /** Navigation start to the live board synced, every card counted, a card in every column, then a free frame. */
  interactiveMs: number;
  /** Whether the first card painted was one of the stored first screen. */
  fromFirstScreen: boolean;
  /** Whether it was drawn by the server into the page. */
  fromPage: boolean;
  /** Navigation start to the frame after the board's title was in the page: the app's own start, the floor of the above. */
  titleMs: number;
  /** Navigation start to the page's last byte received. */
  pageReceivedMs: number;
}

/**
 * Records, in the page, when the first card appears and when a first card is painted: a
 * MutationObserver started before the app's scripts marks the first card's title for the
 * browser's Element Timing as it is added (before any frame can show it), and marks the new first
 * card if that one goes before it was painted (a stored first screen the live board replaced).
 */
const FIRST_CARD_PROBE = () => {
  const probe = { firstCardMs: -1, cardInPageMs: -1, fromFirstScreen: false, fromPage: false, titleMs: -1 };
  (window as unknown as { __firstCard: typeof probe }).__firstCard = probe;
  let titleSeen = false;
  let marked: Element | null = null;
  const observer = new MutationObserver(() => {
    if (!titleSeen && document.querySelector('[data-testid="board-title"], [data-testid="preview-board-title"]')) {
      titleSeen = true;
      requestAnimationFrame(() => (probe.titleMs = performance.now()));
    }
    if (probe.firstCardMs >= 0 && titleSeen) return observer.disconnect();
    if (marked?.isConnected) return;
    const card = document.querySelector('[data-testid="first-screen-card"], [data-testid="card"]');
    if (!card) return;
    if (!marked) requestAnimationFrame(() => (probe.cardInPageMs = performance.now()));
    probe.fromFirstScreen = card.getAttribute('data-testid') === 'first-screen-card';
    probe.fromPage = card.closest('#pre-first-screen') !== null;
    marked = card.querySelector('[data-testid="card-title"]') ?? card;
    marked.setAttribute('elementtiming', 'first-card');
  });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { identifier: string; renderTime: number })[]) {
      if (entry.identifier === 'first-card' && probe.firstCardMs < 0) probe.firstCardMs = entry.renderTime || entry.startTime;
    }
  }).observe({ type: 'element', buffered: true });
  observer.observe(document, { childList: true, subtree: true });
};

/**
 * Takes the first screen the server drew into the page away as the page is parsed, before its
 * first frame (markup and data): what the app does without it. A page answered by the browser
 * itself (Playwright's routing) could not reach a local server's sockets.
 */
const WITHOUT_DRAWN_FIRST_SCREEN = () => {
  const observer = new MutationObserver(() => {
    for (const id of ['pre-first-screen', 'pre-first-screen-data']) document.getElementById(id)?.remove();
  });
  observer.observe(document, { childList: true, subtree: true });
  addEventListener('DOMContentLoaded', () => observer.disconnect());
};

async function measure(browser: Browser, server: ServerProcess, boardId: string, way: Way): Promise<Sample> {
  // A fresh process on the same data: the board is stored and not loaded.
  await server.restart();
  const [name, value] = (await login(server.url)).split('=') as [string, string];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
  try {
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    if (latencyMs > 0 || throughputKbps > 0) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      const bytesPerSecond = throughputKbps > 0 ? (throughputKbps * 1000) / 8 : -1;
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: latencyMs, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
    }
    // First, so that the drawing is gone before the probe looks.
    if (way !== 'page') await page.addInitScript(WITHOUT_DRAWN_FIRST_SCREEN);
    await page.addInitScript(FIRST_CARD_PROBE);
    // The reference: the same page, told the board has no first screen, waits for the whole sync.
    if (way === 'reference') await page.route('**/api/boards/*/first-screen', (route) => route.fulfill({ status: 204 }));
    await page.goto(`${server.url}/boards/${boardId}`);
    const interactiveAt = await page.waitForFunction(
      (n) => {
        if (!document.querySelector('[data-testid="connection-status"][data-synced="true"]')) return false;
        const counted = [...document.querySelectorAll('[data-testid="column-count"]')].reduce((sum, pill) => sum + Number(pill.textContent), 0);
        const columns = [...document.querySelectorAll('[data-testid="column"]')];
        return counted === n && columns.length > 0 && columns.every((column) => column.querySelector('[data-testid="card"]')) && performance.now();
      },
      cards,
      { timeout: 120_000, polling: 'raf' },
    );
    const satisfied = (await interactiveAt.jsonValue()) as number;
    // Interactive: the next frame after the cards are there (the main thread is free to paint).
    const interactiveMs = await page.evaluate(
      (at) => new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(Math.max(at, performance.now())), 0))),
      satisfied,
    );
    const pageReceivedMs = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseEnd);
    type Probe = Omit<Sample, 'interactiveMs' | 'pageReceivedMs'>;
    // The paint is reported once the frame is presented: by the time the board is interactive.
    const painted = await page.waitForFunction(() => {
      const probe = (window as unknown as { __firstCard: Probe }).__firstCard;
      return probe.firstCardMs >= 0 && probe;
    }, undefined, { timeout: 10_000 });
    const probe = (await painted.jsonValue()) as Probe;
    return { ...probe, interactiveMs, pageReceivedMs };
  } finally {
    await context.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const load = () => loadavg().map((value) => value.toFixed(2)).join(' / ');

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-bench-'));
  const server = await startServerProcess({ dataDir, env: { LOG_LEVEL: 'warn' } });
  const browser = await launchChromium();
  const loadBefore = load();
  try {
    const cookie = await login(server.url);
    const { body } = await api<{ token: string }>(server.url, '/api/tokens', { method: 'POST', body: { name: 'bench' }, cookie });
    const boardId = await seedBenchBoard(server.url, body.token, cards);

    const ways: Way[] = ['page', 'app', 'reference'];
    const samples: Record<Way, Sample[]> = { page: [], app: [], reference: [] };
    // One warm-up of each (the browser's first start of the app), not counted.
    for (const way of ways) await measure(browser, server, boardId, way);
    for (let run = 0; run < runs; run++) {
      // Turning which goes first, so that none always follows another.
      for (const way of [...ways.slice(run % 3), ...ways.slice(0, run % 3)]) samples[way].push(await measure(browser, server, boardId, way));
    }
    const summary = (way: Way) => ({
      firstCardMs: Math.round(median(samples[way].map((sample) => sample.firstCardMs))),
      interactiveMs: Math.round(median(samples[way].map((sample) => sample.interactiveMs))),
      titleMs: Math.round(median(samples[way].map((sample) => sample.titleMs))),
      firstCardRuns: samples[way].map((sample) => Math.round(sample.firstCardMs)),
      cardInPageMs: Math.round(median(samples[way].map((sample) => sample.cardInPageMs))),
      pageReceivedMs: Math.round(median(samples[way].map((sample) => sample.pageReceivedMs))),
      interactiveRuns: samples[way].map((sample) => Math.round(sample.interactiveMs)),
      fromFirstScreen: samples[way].filter((sample) => sample.fromFirstScreen).length,
      fromPage: samples[way].filter((sample) => sample.fromPage).length,
    });
    const results = { page: summary('page'), app: summary('app'), reference: summary('reference') };
    const { page, app, reference } = results;
    const ratio = (value: number) => `×${(value / reference.firstCardMs).toFixed(2)}`;
    console.log(`A ${cards.toLocaleString('en')}-card board after a server restart, in a fresh Chromium context; median of ${runs} runs in turn`);
    if (latencyMs > 0 || throughputKbps > 0) console.log(`  network: ${latencyMs} ms added to each round trip, ${throughputKbps > 0 ? `${throughputKbps} kbit/s` : 'no bandwidth limit'}`);
    console.log(`  machine: ${cpus().length} cores, load average (1/5/15 min) ${loadBefore} before, ${load()} after`);
    console.log(`  first card painted: ${page.firstCardMs} ms drawn into the page (${page.fromPage}/${runs} from it, ${ratio(page.firstCardMs)})`);
    console.log(`                      ${app.firstCardMs} ms drawn by the app (${app.fromFirstScreen}/${runs} from the stored first screen, ${ratio(app.firstCardMs)})`);
    console.log(`                      ${reference.firstCardMs} ms waiting for the sync (reference)`);
    console.log(`  page received (its last byte): ${page.pageReceivedMs}, ${app.pageReceivedMs} and ${reference.pageReceivedMs} ms`);
    console.log(`  first card in the page (the frame after): ${page.cardInPageMs}, ${app.cardInPageMs} and ${reference.cardInPageMs} ms`);
    console.log(`  board title painted: ${page.titleMs}, ${app.titleMs} and ${reference.titleMs} ms`);
    console.log(`  interactive (live board synced): ${page.interactiveMs}, ${app.interactiveMs} and ${reference.interactiveMs} ms (×${(page.interactiveMs / reference.interactiveMs).toFixed(2)} for the page)`);
    console.log(JSON.stringify({ bench: 'first-screen', cards, runs, latencyMs, throughputKbps, load: { before: loadBefore, after: load() }, ...results }));
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
