import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { LoginLimiter } from '../auth/login-limiter.js';
import { ResetLimiter } from '../auth/password-reset.js';
import type { Config } from '../config.js';
import { RedisMeetingStateStore } from '../meeting/redis-meeting-state.js';
import { RedisSearchIndex } from '../search/redis-search-index.js';
import { RedisWebhookStore } from '../webhooks/redis-webhook-store.js';
import { RedisAccountStores } from '../store/redis-account-store.js';
import { pingRedis } from '../store/redis-connection.js';
import { RedisDocumentStore } from '../store/redis-document-store.js';
import { RedisFanout } from '../sync/fanout.js';
import { RedisVersionStore } from '../versions/index.js';
import type { Backend, BackendParts } from './backend.js';

/**
 * Every piece of shared state in Redis, so that any process can serve any request and none shares
 * a disk with another: no SQLite database is opened at all (docs/redis.md). Resolves once every
 * connection answered: a wrong `REDIS_URL` stops the server at start rather than failing on the
 * first edit.
 */
export async function createRedisBackend(config: Pick<Config, 'redisUrl' | 'redisKeyPrefix'> & { redisUrl: string }, parts: BackendParts): Promise<Backend> {
  const { logger } = parts;
  const onError = (error: Error) => logger.warn({ err: error }, 'redis connection error');
  const redis = { url: config.redisUrl, keyPrefix: config.redisKeyPrefix, onError };

  const documents = parts.documents ?? (await RedisDocumentStore.connect(redis));
  const fanout = new RedisFanout(redis);
  await fanout.ready;
  const accounts = parts.accounts ?? (await RedisAccountStores.connect(redis));
  const versions = await RedisVersionStore.connect(redis);
  const search = parts.search ?? (await RedisSearchIndex.connect(redis));
  const webhooks = await RedisWebhookStore.connect(redis);
  // socket.io events (board lists, refusals, notifications, meetings) reach clients connected to any process.
  const publisher = createClient({ url: config.redisUrl });
  const subscriber = createClient({ url: config.redisUrl });
  publisher.on('error', onError);
  subscriber.on('error', onError);
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const meetingState = await RedisMeetingStateStore.connect(redis);

  return {
    kind: 'redis',
    clustered: true,
    documents,
    accounts,
    versions,
    search,
    webhooks,
    meetingState,
    fanout,
    socketIoAdapter: createAdapter(publisher, subscriber, { key: `${config.redisKeyPrefix}socket.io` }),
    // Failed sign-ins count across processes.
    loginLimiter: LoginLimiter.onRedis(publisher, config.redisKeyPrefix),
    resetLimiter: new ResetLimiter({}, { client: publisher, keyPrefix: config.redisKeyPrefix }),
    // Every process prints the same setup link, which works whichever process serves the setup page.
    setupLinks: accounts instanceof RedisAccountStores ? { agree: (secret) => accounts.agreeOnSetupSecret(secret) } : undefined,
    readiness: {
      documents,
      accounts,
      versions,
      search,
      fanout,
      meetings: meetingState,
      // The adapter's subscriber takes no PING while subscribed: its state tells whether it is up.
      socketio: {
        ping: async () => {
          if (!subscriber.isReady) throw new Error('socket.io subscriber not connected to Redis');
          await pingRedis(publisher);
        },
      },
    },
    async close() {
      await documents.close();
      await fanout.close();
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
      await accounts.close();
      await versions.close();
      await search.close();
      await webhooks.close();
    },
  };
}
