/** Milliseconds on CLOCK_MONOTONIC (`process.hrtime` on Linux): the same clock in every process of the machine. */
export function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
