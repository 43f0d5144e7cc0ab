/**
 * Preloaded into each server process by the benchmarks (`node --expose-gc --import ./bench/gc-hook.mjs`),
 * never by the server itself: on SIGUSR2 it runs a full garbage collection and prints the process's
 * memory as one JSON line on stderr, so that the unload benchmark measures what is still reachable
 * rather than what the collector has not got round to yet. Neither server is changed for this.
 */
process.on('SIGUSR2', () => {
  if (typeof globalThis.gc === 'function') {
    // Twice: the first pass may only make weakly held objects collectable.
    globalThis.gc();
    globalThis.gc();
  }
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  process.stderr.write(`${JSON.stringify({ benchMemory: { rss, heapUsed, heapTotal, external, arrayBuffers, gc: typeof globalThis.gc === 'function' } })}\n`);
});
