/**
 * The proposal editor in Debian's Chromium against the built server, for a 40-page proposal (about
 * 100,000 characters over the shared sections of a cooperation partnership, French and English)
 * against a reference proposal of about 5,000 characters, measured in the same invocation:
 *
 *   open   from navigation to the first screen editable (every section text on screen has its
 *          editor, editable), and to every section's editor editable, side by side (both
 *          languages), in a signed-in browser whose app code is cached (a person opening a proposal
 *          from the board); interleaved runs of both proposals. Editors off screen are made in idle
 *          moments after the first screen, so the second figure is when the last of them is. A
 *          browser that opened a proposal keeps a copy of its documents (IndexedDB) and shows it
 *          before the server answers; the third figure is the first screen without that copy;
 *   typing five co-authors, each in a browser context of their own, type at 5 characters a second
 *          each, each in a section of their own; every other browser records when each keystroke's
 *          character arrives in its copy (the section's live count), against the moment the typist's
 *          browser received the key: the delay a keystroke takes to reach the others. A short
 *          untimed round comes first, so that the first compilations weigh on neither proposal.
 *
 *   npm run build && node --import tsx bench/proposal-editor.ts [--runs 5] [--seconds 20] [--typists 5]
 *
 * `--typists 2` (one typist, one observer) shows the delay without the other browsers' load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BoardDoc } from '@passerelle/shared';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser.js';
import { ADMIN, startServerProcess } from '../test/helpers/server-process.js';
import { adminToken, connectClient, createBoard, synced } from '../test/helpers/test-server.js';
import { seedProposal } from './lib/proposal-seed.js';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? Number(process.argv[index + 1]) || fallback : fallback;
};
const runs = argument('--runs', 5);
const typingSeconds = argument('--seconds', 20);
const TYPISTS = argument('--typists', 5);
const CHARACTERS_PER_SECOND = 5;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const round = (value: number) => Math.round(value);

async function signedInPage(browser: Browser, baseUrl: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  const response = await page.request.post(`${baseUrl}/api/auth/login`, { data: ADMIN });
  if (!response.ok()) throw new Error(`sign-in: ${response.status()}`);
  return page;
}

/**
 * Navigates to a proposal and resolves with the milliseconds until the first screen is editable
 * (every section text whose box is on screen has its editor, editable; the texts are there) and
 * until every section's editors (both languages) are.
 */
async function openProposal(page: Page, url: string, sections: number): Promise<{ firstScreen: number; all: number }> {
  const started = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(
    () => {
      const boxes = [...document.querySelectorAll<HTMLElement>('[data-testid="section-text"]')];
      const onScreen = boxes.filter((box) => {
        const rect = box.getBoundingClientRect();
        return rect.bottom > 0 && rect.top < innerHeight;
      });
      return onScreen.length > 0 && onScreen.every((box) => box.querySelector('[data-testid="section-editor"][contenteditable="true"]'));
    },
    null,
    { polling: 'raf', timeout: 30_000 },
  );
  const firstScreen = performance.now() - started;
  await page.waitForFunction(
    (expected) => document.querySelectorAll('[data-testid="section-editor"][contenteditable="true"]').length === expected,
    sections * 2,
    { polling: 'raf', timeout: 30_000 },
  );
  return { firstScreen, all: performance.now() - started };
}

interface OpenFigures {
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

async function measureOpen(
  page: Page,
  urls: Record<'reference' | 'subject', { url: string; sections: number }>,
): Promise<Record<'reference' | 'subject', { firstScreen: OpenFigures; all: OpenFigures; firstScreenNoCopy: OpenFigures }>> {
  const empty = () => ({ firstScreen: [] as number[], all: [] as number[], firstScreenNoCopy: [] as number[] });
  const samples = { reference: empty(), subject: empty() };
  // Interleaved; the first run of each warms the browser's cache of the app.
  for (let run = 0; run <= runs; run++) {
    for (const key of ['reference', 'subject'] as const) {
      await page.goto('about:blank');
      const ms = await openProposal(page, urls[key].url, urls[key].sections);
      // Once more without the browser's local copy of the documents (a proposal never opened on this
      // computer): everything comes from the server.
      await page.evaluate(async () => {
        for (const database of await indexedDB.databases()) {
          await new Promise((resolve) => {
            const request = indexedDB.deleteDatabase(database.name!);
            request.onsuccess = request.onerror = request.onblocked = resolve;
          });
        }
      });
      await page.goto('about:blank');
      const noCopy = await openProposal(page, urls[key].url, urls[key].sections);
      if (run > 0) {
        samples[key].firstScreen.push(ms.firstScreen);
        samples[key].all.push(ms.all);
        samples[key].firstScreenNoCopy.push(noCopy.firstScreen);
      }
    }
  }
  const figures = (values: number[]): OpenFigures => ({ medianMs: round(percentile(values, 50)), p95Ms: round(percentile(values, 95)), maxMs: round(Math.max(...values)) });
  const both = (key: 'reference' | 'subject') => ({
    firstScreen: figures(samples[key].firstScreen),
    all: figures(samples[key].all),
    firstScreenNoCopy: figures(samples[key].firstScreenNoCopy),
  });
  return { reference: both('reference'), subject: both('subject') };
}

/** Five typists in one section each; resolves with every keystroke's delay to each other browser. */
async function measureTyping(pages: Page[], url: string, sectionCount: number, sectionIds: string[], seconds: number): Promise<{ delays: number[]; keystrokes: number; missing: number }> {
  for (const page of pages) await openProposal(page, url, sectionCount);
  // Each browser records when each section's count changes, and what it became; each typist, when its keys arrive.
  await Promise.all(
    pages.map((page) =>
      page.evaluate(() => {
        const arrivals: Record<string, [number, number][]> = {};
        const keys: number[] = [];
        (window as unknown as { bench: unknown }).bench = { arrivals, keys };
        for (const section of document.querySelectorAll<HTMLElement>('[data-testid="proposal-section"]')) {
          const count = section.querySelector<HTMLElement>('[data-testid="section-text"][data-language="fr"] [data-testid="section-count"]');
          if (!count) continue;
          const id = section.dataset.sectionId!;
          arrivals[id] = [[Date.now(), Number(count.dataset.count)]];
          new MutationObserver(() => arrivals[id]!.push([Date.now(), Number(count.dataset.count)])).observe(count, { attributes: true, attributeFilter: ['data-count'] });
        }
        // Only the keys that write a character (not the moves before typing).
        document.addEventListener('keydown', (event) => event.key.length === 1 && keys.push(Date.now()), { capture: true });
      }),
    ),
  );
  for (const [index, page] of pages.entries()) {
    const editor = page.locator(`[data-section-id="${sectionIds[index]}"] [data-testid="section-text"][data-language="fr"] [data-testid="section-editor"]`);
    await editor.click();
    await page.keyboard.press('Control+End');
  }
  const perTypist = seconds * CHARACTERS_PER_SECOND;
  const interval = 1000 / CHARACTERS_PER_SECOND;
  const alphabet = 'abcdefghij klmnopqrst uvwxyz ';
  await Promise.all(pages.map((page) => page.evaluate((expected) => ((window as unknown as { benchExpected: number }).benchExpected = expected), perTypist)));
  await Promise.all(
    pages.map(async (page, index) => {
      // Typists start out of phase, as people do.
      await new Promise((resolve) => setTimeout(resolve, (index * interval) / TYPISTS));
      const start = performance.now();
      for (let key = 0; key < perTypist; key++) {
        const due = start + key * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await page.keyboard.type(alphabet[key % alphabet.length]!);
      }
    }),
  );
  // Until every browser has every keystroke (a loaded browser may lag seconds behind), at most 30 s:
  // what has not arrived by then counts as missing.
  await Promise.all(
    pages.map((page) =>
      page
        .waitForFunction(
          (ids) => {
            const bench = (window as unknown as { bench: { arrivals: Record<string, [number, number][]> } }).bench;
            return ids.every((id) => {
              const seen = bench.arrivals[id]!;
              return seen.at(-1)![1] - seen[0]![1] >= (window as unknown as { benchExpected: number }).benchExpected;
            });
          },
          sectionIds,
          { polling: 100, timeout: 30_000 },
        )
        .catch(() => undefined),
    ),
  );
  const recorded = await Promise.all(
    pages.map((page) => page.evaluate(() => (window as unknown as { bench: { arrivals: Record<string, [number, number][]>; keys: number[] } }).bench)),
  );
  if (process.env.BENCH_DEBUG) {
    for (const sectionId of sectionIds) {
      const texts = await Promise.all(
        pages.map((page, index) =>
          page
            .locator(`[data-section-id="${sectionId}"] [data-testid="section-text"][data-language="fr"] [data-testid="section-editor"]`)
            .evaluate((editor) => editor.textContent!.slice(-60), null, { timeout: 2_000 })
            .catch(async () => {
              await page.screenshot({ path: `/tmp/bench-page-${index}.png` });
              return `no editor: ${page.url()} ${(await page.locator('main').innerText()).slice(0, 300)}`;
            }),
        ),
      );
      console.log(sectionId, JSON.stringify(texts));
    }
  }
  const delays: number[] = [];
  let missing = 0;
  for (const [typist, typed] of recorded.entries()) {
    const sectionId = sectionIds[typist]!;
    const own = typed.arrivals[sectionId]!;
    if (process.env.BENCH_DEBUG) console.log(`typist ${typist}: ${typed.keys.length} keys, own count ${own[0]![1]} -> ${own.at(-1)![1]}; others saw ${recorded.map((seen) => seen.arrivals[sectionId]!.at(-1)![1]).join(', ')}`);
    for (const [observer, seen] of recorded.entries()) {
      if (observer === typist) continue;
      const changes = seen.arrivals[sectionId]!;
      const base = changes[0]![1];
      typed.keys.forEach((sentAt, index) => {
        // The (index + 1)-th character has arrived once the count reached base + index + 1.
        const arrival = changes.find(([, count]) => count >= base + index + 1);
        if (arrival) delays.push(arrival[0] - sentAt);
        else missing++;
      });
    }
  }
  return { delays, keystrokes: recorded.reduce((sum, typed) => sum + typed.keys.length, 0), missing };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-bench-'));
  const server = await startServerProcess({ dataDir, env: { LOG_LEVEL: 'warn', DEMO_WORKSPACE: 'false' } });
  let browser: Browser | undefined;
  try {
    const token = await adminToken(server.url);
    const boardId = await createBoard(server.url, token, 'Bench proposal editor');
    const { doc, provider } = connectClient(server.url, boardId, token);
    await synced(provider);
    const board = new BoardDoc(doc);
    const seeded = {
      reference: await seedProposal(server.url, token, boardId, board, 5_000),
      subject: await seedProposal(server.url, token, boardId, board, 100_000),
    };
    provider.destroy();
    const list = (await (await fetch(`${server.url}/api/boards/${boardId}/proposals`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      proposals: { cardId: string; progress: { sections: number } }[];
    };
    const sectionsOf = (cardId: string) => list.proposals.find((proposal) => proposal.cardId === cardId)!.progress.sections;
    const urls = {
      reference: { url: `${server.url}/boards/${boardId}/proposals/${seeded.reference.cardId}`, sections: sectionsOf(seeded.reference.cardId) },
      subject: { url: `${server.url}/boards/${boardId}/proposals/${seeded.subject.cardId}`, sections: sectionsOf(seeded.subject.cardId) },
    };

    browser = await launchChromium();
    const opener = await signedInPage(browser, server.url);
    const open = await measureOpen(opener, urls);
    await opener.context().close();
    console.log(`Opening a proposal in Chromium (both languages side by side), ${runs} interleaved runs`);
    for (const key of ['reference', 'subject'] as const) {
      const { firstScreen, all, firstScreenNoCopy } = open[key];
      console.log(
        `  ${key} (${seeded[key].written.toLocaleString('en')} characters, ${urls[key].sections} sections): first screen editable median ${firstScreen.medianMs} ms, p95 ${firstScreen.p95Ms} ms, max ${firstScreen.maxMs} ms; every editor editable median ${all.medianMs} ms, p95 ${all.p95Ms} ms; first screen without a local copy median ${firstScreenNoCopy.medianMs} ms, p95 ${firstScreenNoCopy.p95Ms} ms`,
      );
    }
    console.log(`  ratio (first screen): median ×${(open.subject.firstScreen.medianMs / open.reference.firstScreen.medianMs).toFixed(2)}`);

    const typing: Record<string, { p50: number; p95: number; p99: number; max: number; samples: number; keystrokes: number; missing: number }> = {};
    // A short untimed round first, so that neither proposal's figures carry the server's and the
    // browser's first compilations of the code involved.
    for (const key of ['warm-up', 'reference', 'subject'] as const) {
      const target = key === 'warm-up' ? 'reference' : key;
      const pages = await Promise.all(Array.from({ length: TYPISTS }, () => signedInPage(browser!, server.url)));
      await openProposal(pages[0]!, urls[target].url, urls[target].sections);
      const ids = await pages[0]!.locator('[data-testid="proposal-section"]').evaluateAll((sections) => sections.map((section) => (section as HTMLElement).dataset.sectionId!));
      const result = await measureTyping(pages, urls[target].url, urls[target].sections, ids.slice(0, TYPISTS), key === 'warm-up' ? 3 : typingSeconds);
      if (key === 'warm-up') {
        for (const page of pages) await page.context().close();
        continue;
      }
      typing[key] = {
        p50: round(percentile(result.delays, 50)),
        p95: round(percentile(result.delays, 95)),
        p99: round(percentile(result.delays, 99)),
        max: round(Math.max(...result.delays)),
        samples: result.delays.length,
        keystrokes: result.keystrokes,
        missing: result.missing,
      };
      for (const page of pages) await page.context().close();
    }
    console.log(`${TYPISTS} co-authors typing ${CHARACTERS_PER_SECOND} characters a second each for ${typingSeconds} s: delay of a keystroke to each other browser`);
    for (const key of ['reference', 'subject'] as const) {
      const figures = typing[key]!;
      console.log(
        `  ${key}: p50 ${figures.p50} ms, p95 ${figures.p95} ms, p99 ${figures.p99} ms, max ${figures.max} ms (${figures.samples} arrivals of ${figures.keystrokes} keystrokes, ${figures.missing} missing)`,
      );
    }
    console.log(JSON.stringify({ bench: 'proposal-editor', runs, typingSeconds, open, typing }));
  } finally {
    if (process.env.BENCH_DEBUG) {
      for (const line of server.output.split('\n')) if (/"level":(40|50|60)/.test(line)) console.log('server:', line.slice(0, 400));
    }
    await browser?.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
