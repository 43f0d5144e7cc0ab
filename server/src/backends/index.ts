import type { Config } from '../config.js';
import type { Backend, BackendParts } from './backend.js';
import { createEmbeddedBackend } from './embedded.js';
import { createRedisBackend } from './redis.js';

export type { Backend, BackendParts } from './backend.js';
export { createEmbeddedBackend } from './embedded.js';
export { createRedisBackend } from './redis.js';

/** The backend the configuration asks for: Redis when `REDIS_URL` is set, else the embedded SQLite one. */
export async function createBackend(config: Config, parts: BackendParts): Promise<Backend> {
  return config.redisUrl ? createRedisBackend({ ...config, redisUrl: config.redisUrl }, parts) : createEmbeddedBackend(config, parts);
}
