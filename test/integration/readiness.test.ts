/**
 * `/readyz` answers 200 only while every store answers, and 503 naming the parts that do not;
 * `/healthz` stays a liveness check that answers either way. Embedded mode (SQLite) and Redis mode
 * (a real redis-server, stopped while the server runs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { PasserelleServer } from '../../server/src/app.js';
import { checkReadiness } from '../../server/src/http/readiness.js';
import { openDatabase } from '../../server/src/store/sqlite-database.js';
import { SqliteAccountStores } from '../../server/src/store/sqlite-account-store.js';
import { SqliteDocumentStore } from '../../server/src/store/sqlite-document-store.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { eventually, startTestServer, tempDataDir } from '../helpers/test-server.js';

/** Every part that lives in Redis in Redis mode, by the name `/readyz` gives it. */
const REDIS_PARTS = ['documents', 'accounts', 'versions', 'search', 'fanout', 'meetings', 'socketio'];

async function probe(url: string, path: '/readyz' | '/healthz'): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * A bare redis-server on a given port (no persistence), for Redis to come back where the stopped
 * one was; resolves once it accepts connections.
 */
function redisOnPort(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${output}`)));
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('readiness in embedded mode', () => {
  it('answers 200 ready while SQLite answers, without signing in', async () => {
    const data = tempDataDir();
    cleanups.push(data.remove);
    const server = await startTestServer({ dataDir: data.dir });
    cleanups.push(() => server.close());

    const ready = await probe(server.url, '/readyz');
    expect(ready).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('answers 503 naming the SQLite-backed parts once the database is closed, while /healthz still answers', async () => {
    const data = tempDataDir();
    cleanups.push(data.remove);
    const database = openDatabase(data.dir);
    const server = await startTestServer({ dataDir: data.dir, documents: new SqliteDocumentStore(database), accounts: new SqliteAccountStores(database) });
    cleanups.push(() => server.close());
    expect((await probe(server.url, '/readyz')).status).toBe(200);

    database.close();

    // Exactly the names: the reasons (which may name a path or a host) stay in the log.
    expect(await probe(server.url, '/readyz')).toEqual({ status: 503, body: { status: 'unavailable', failing: ['documents', 'accounts'] } });
    expect((await probe(server.url, '/healthz')).status).toBe(200);
  });

  it('counts a part that does not answer within the timeout as failing, without waiting for it', async () => {
    const started = Date.now();
    const { readiness } = await checkReadiness(
      { stuck: { ping: () => new Promise<void>(() => {}) }, fine: { ping: async () => {} }, memory: {} },
      100,
    );
    expect(readiness).toEqual({ status: 'unavailable', failing: ['stuck'] });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('readiness in Redis mode', () => {
  let redis: RedisServer;
  let server: PasserelleServer;

  it('answers 200 while Redis answers, 503 naming every Redis-backed part within seconds of Redis stopping (/healthz still answering), and 200 again once Redis is back', async () => {
    redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    const data = tempDataDir();
    cleanups.push(data.remove);
    server = await startTestServer({ dataDir: data.dir, env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'readiness:' } });
    cleanups.push(() => server.close());

    expect(await probe(server.url, '/readyz')).toEqual({ status: 200, body: { status: 'ready' } });

    await redis.stop();

    let last: Awaited<ReturnType<typeof probe>> | undefined;
    await eventually(
      async () => {
        last = await probe(server.url, '/readyz');
        return last.status === 503 && (last.body.failing as string[]).length === REDIS_PARTS.length;
      },
      3_000,
      '/readyz to name every Redis-backed part',
    );
    expect(last).toEqual({ status: 503, body: { status: 'unavailable', failing: REDIS_PARTS } });
    expect((await probe(server.url, '/healthz')).status).toBe(200);

    // Redis back on the same port: every part reconnects by itself and the process is ready again.
    const revived = await redisOnPort(Number(new URL(redis.url).port));
    // Stopped last, after the server closed (its clients quit over a live connection).
    cleanups.unshift(async () => {
      revived.kill('SIGKILL');
      if (revived.exitCode === null && revived.signalCode === null) await new Promise((resolve) => revived.once('exit', resolve));
    });
    await eventually(async () => (await probe(server.url, '/readyz')).status === 200, 10_000, '/readyz to be 200 once Redis is back');
  });
});
