/**
 * A bound on how fast one client address may open connections to the server, checked when the TCP
 * connection is accepted, before anything is parsed. Every request, WebSocket upgrade or not, costs
 * the server its parsing and the memory that goes with it; a loop of them from one address (a few
 * thousand a second on a fast network) is turned away at the door instead. Connections from the
 * trusted proxies (`TRUST_PROXY`) are never limited: behind a balancer, every client arrives from
 * its address, and the balancer bounds each client itself (`deploy/nginx.conf`).
 */
import type { Socket } from 'node:net';
import { TokenBucket } from '../sync/sync-budget.js';

export interface ConnectionLimits {
  /** New connections one address may open per second (bursts of `burst`). */
  perSecond: number;
  /** New connections one address may open at once. */
  burst: number;
  /** Whether an address is a trusted proxy's, whose connections are not limited. */
  isTrusted(address: string): boolean;
}

/**
 * Addresses remembered at most (default 100,000, a few megabytes): beyond, the ones idle longest
 * are forgotten first, so that a client cycling through addresses cannot grow the table.
 */
export const MAX_TRACKED_ADDRESSES = 100_000;

/** How often addresses whose budget is full again are forgotten. */
const SWEEP_INTERVAL_MS = 10_000;

/** Builds the `connection` listener of the HTTP server; `stop` ends its sweep timer. */
export function createConnectionLimiter(limits: ConnectionLimits): { onConnection: (socket: Socket) => void; stop: () => void; turnedAway: () => number } {
  const buckets = new Map<string, TokenBucket>();
  let turnedAway = 0;
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const [address, bucket] of buckets) if (bucket.balance(now) >= bucket.capacity) buckets.delete(address);
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  const onConnection = (socket: Socket): void => {
    const address = socket.remoteAddress;
    if (!address || limits.isTrusted(address)) return;
    let bucket = buckets.get(address);
    if (bucket) {
      // Most recently seen last: the oldest entries are the first to go when the table is full.
      buckets.delete(address);
    } else {
      bucket = new TokenBucket(limits.perSecond, limits.burst);
      if (buckets.size >= MAX_TRACKED_ADDRESSES) buckets.delete(buckets.keys().next().value!);
    }
    buckets.set(address, bucket);
    if (bucket.take()) return;
    turnedAway += 1;
    socket.destroy();
  };
  return { onConnection, stop: () => clearInterval(sweep), turnedAway: () => turnedAway };
}
