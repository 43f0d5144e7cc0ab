/**
 * Preloaded into each server process by the benchmarks (`node --expose-gc --import ./bench/gc-hook.mjs`),
 * never by the server itself: on SIGUSR2 it runs a full garbage collection and prints the process's
 * memory as one JSON line on stderr, so that the unload benchmark measures what is still reachable
 * rather than what the collector has not got round to yet. Neither server is changed for this.
 *
 * V8 gives freed pages back to the system from background tasks after a collection, so RSS read at
 * once still counts them: the reading is taken after a settling pause and a second collection, the
 * same for every server measured.
 */
const SETTLE_MS = 2_000;

const collect = () => {
  if (typeof globalThis.gc !== 'function') return;
  // Twice: the first pass may only make weakly held objects collectable.
  globalThis.gc();
  globalThis.gc();
};

process.on('SIGUSR2', () => {
  collect();
  setTimeout(() => {
    collect();
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    process.stderr.write(`${JSON.stringify({ benchMemory: { rss, heapUsed, heapTotal, external, arrayBuffers, gc: typeof globalThis.gc === 'function', settleMs: SETTLE_MS } })}\n`);
  }, SETTLE_MS).unref();
});
