/**
 * `GET /metrics`: the server's metrics in the Prometheus text format (`server/src/observability/metrics.ts`).
 *
 * They tell how busy the server is and who fails to sign in, so they are never public:
 * - with `METRICS_TOKEN`, `/metrics` answers on the public port to `Authorization: Bearer <token>`
 *   only (401 otherwise, the token compared in constant time);
 * - without it, `/metrics` is 404 on the public port;
 * - with `METRICS_PORT`, a listener of its own on `METRICS_HOST` (default 127.0.0.1, loopback)
 *   serves `/metrics` and nothing else, to whoever can reach that address, or to the bearer of
 *   `METRICS_TOKEN` when one is set.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.js';

/** Who may scrape: anyone who reaches the listener (null), or the bearer of this token. */
export interface MetricsAccess {
  token: string | null;
}

/**
 * Whether a request carries the token as `Authorization: Bearer <token>`. Both sides are hashed
 * first, so the comparison takes the same time whatever the length or content of a wrong token.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/** Answers one scrape on a plain Node response: 401 without the token (when one is required), else the metrics. */
async function answer(request: IncomingMessage, response: ServerResponse, metrics: Metrics, access: MetricsAccess, logger?: Logger): Promise<void> {
  response.setHeader('Cache-Control', 'no-store');
  if (access.token !== null && !bearerMatches(request.headers.authorization, access.token)) {
    response.statusCode = 401;
    response.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    response.setHeader('Content-Type', 'text/plain; charset=utf-8');
    response.end('A bearer token is required.\n');
    return;
  }
  try {
    const body = await metrics.scrape();
    response.statusCode = 200;
    response.setHeader('Content-Type', metrics.contentType);
    response.end(request.method === 'HEAD' ? undefined : body);
  } catch (error) {
    logger?.error({ err: error }, 'metrics could not be collected');
    response.statusCode = 500;
    response.setHeader('Content-Type', 'text/plain; charset=utf-8');
    response.end('Metrics could not be collected.\n');
  }
}

/**
 * `/metrics` on the public port: served to the bearer of `token`; without a token, 404 as if
 * there were no such path (it is then served on `METRICS_PORT` only, if at all).
 */
export function publicMetricsHandler(metrics: Metrics, options: { token: string | null; logger?: Logger }): RequestHandler {
  return (request, response) => {
    if (options.token === null) {
      response.status(404).type('text/plain').send('Not Found\n');
      return;
    }
    void answer(request, response, metrics, { token: options.token }, options.logger);
  };
}

/** The listener of `METRICS_PORT`: serves `/metrics` (GET and HEAD) and answers 404 to anything else. */
export interface MetricsListener {
  /** Starts listening; resolves with its base URL, e.g. http://127.0.0.1:9464. */
  listen(): Promise<string>;
  /** Stops listening and ends its connections. */
  close(): Promise<void>;
}

export function createMetricsListener(options: { metrics: Metrics; host: string; port: number; token: string | null; logger?: Logger }): MetricsListener {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.statusCode = path === '/metrics' ? 405 : 404;
      if (response.statusCode === 405) response.setHeader('Allow', 'GET, HEAD');
      response.setHeader('Content-Type', 'text/plain; charset=utf-8');
      response.end(response.statusCode === 405 ? 'Method Not Allowed\n' : 'Not Found\n');
      return;
    }
    void answer(request, response, options.metrics, { token: options.token }, options.logger);
  });
  // A scraper keeps its connection open between scrapes; closing must not wait for it.
  server.keepAliveTimeout = 5_000;
  let listening = false;
  return {
    listen: () =>
      new Promise<string>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          listening = true;
          const { port } = server.address() as AddressInfo;
          const host = options.host.includes(':') ? `[${options.host}]` : options.host;
          const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
          options.logger?.info({ url: `${url}/metrics` }, 'metrics are served on their own port');
          resolve(url);
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (!listening) return resolve();
        listening = false;
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
