/** Runs the `WebhookStore` contract over every implementation. */
import { describe } from 'vitest';
import { RedisWebhookStore } from '../../server/src/webhooks/redis-webhook-store.js';
import { SqliteWebhookStore } from '../../server/src/webhooks/sqlite-webhook-store.js';
import { redisForThisFile } from '../helpers/redis-fixture.js';
import { redisStoreFixture, sqliteStoreFixture } from '../helpers/store-fixture.js';
import { describeWebhookStoreContract, type WebhookStoreFixture } from './webhook-store.contract.js';

/** One real redis-server for this file; each fixture gets its own key prefix. */
const redis = redisForThisFile();

const implementations: { name: string; factory: () => Promise<WebhookStoreFixture> }[] = [
  { name: 'SqliteWebhookStore', factory: () => sqliteStoreFixture('webhook-store', (db) => new SqliteWebhookStore(db)) },
  { name: 'RedisWebhookStore', factory: () => redisStoreFixture(redis, (options) => RedisWebhookStore.connect(options)) },
];

describe.each(implementations)('$name', ({ name, factory }) => {
  describeWebhookStoreContract(name, factory);
});
