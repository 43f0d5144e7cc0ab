import { createClient, type RedisClientType } from 'redis';
import { afterAll } from 'vitest';
import { startRedisServer, type RedisServer } from './redis-server.js';

/**
 * One real redis-server for a whole test file, started by the first test that needs it and stopped
 * after the file; `freshPrefix` gives each fixture its own key prefix, which makes it a fresh,
 * empty store. Call at the top level of a test file (it registers the file's `afterAll`).
 */
export function redisForThisFile(): { server(): Promise<RedisServer>; freshPrefix(): string } {
  let started: Promise<RedisServer> | undefined;
  let prefixes = 0;
  afterAll(async () => {
    // A failed start (redis-server missing) has nothing to stop; the tests already failed with its message.
    await (await started?.catch(() => undefined))?.stop();
  });
  return {
    server: () => (started ??= startRedisServer()),
    freshPrefix: () => `passerelle-test-${process.pid}-${++prefixes}:`,
  };
}

/** A plain client on `url`, to look at (or tamper with) the keys a store wrote; the caller destroys it. */
export async function openInspector(url: string): Promise<RedisClientType> {
  const inspector: RedisClientType = createClient({ url });
  inspector.on('error', () => {});
  await inspector.connect();
  return inspector;
}
