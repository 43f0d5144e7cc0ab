/**
 * Preloaded into each server process by the sync benchmark with `--loop-delay`
 * (`node --import ./bench/loop-hook.mjs`), never by the server itself: once a second it prints, as
 * one JSON line on stderr, how late the event loop ran over that second (p99 and max of
 * `monitorEventLoopDelay`) and the garbage collections that ended in it (count, total and longest
 * pause, and the longest major one), so that a fan-out run's tail can be laid against what stalled
 * the server. Neither server is changed for this.
 */
import { monitorEventLoopDelay, PerformanceObserver, constants } from 'node:perf_hooks';

const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
let gc = { count: 0, ms: 0, max: 0, majorMax: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.count += 1;
    gc.ms += entry.duration;
    gc.max = Math.max(gc.max, entry.duration);
    if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.majorMax = Math.max(gc.majorMax, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

setInterval(() => {
  const line = {
    benchLoop: {
      // CLOCK_MONOTONIC in ms, the clock the benchmark's windows are in.
      at: Number(process.hrtime.bigint()) / 1e6,
      p99: loop.percentile(99) / 1e6,
      max: loop.max / 1e6,
      gcCount: gc.count,
      gcMs: gc.ms,
      gcMax: gc.max,
      gcMajorMax: gc.majorMax,
      // The heap at the end of the second (MiB): what a major collection has to mark.
      heapUsedMiB: process.memoryUsage().heapUsed / 1024 / 1024,
    },
  };
  loop.reset();
  gc = { count: 0, ms: 0, max: 0, majorMax: 0 };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}, 1_000).unref();
