import { WebhookEvent, WebhookScope, type WebhookDeliveryStatus, type WebhookDeliveryView } from '@passerelle/shared';
import { RedisStoreError, StoreConnection, storeKeyBase, type RedisStoreOptions } from '../store/redis-connection.js';
import type { NewWebhookDelivery, WebhookDelivery, WebhookRecord, WebhookStore } from './webhook-store.js';

/**
 * Moves the due deliveries of `due` to their lease, in one step so that two processes never take
 * the same one: keys: `due`; args: now (ms), lease end (ms), limit. Returns the ids taken.
 */
const CLAIM_DUE = `
  local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
  for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], ARGV[2], id) end
  return ids`;

type Fields = Record<string, string>;

function webhookOf(fields: Fields): WebhookRecord {
  return {
    id: fields.id,
    url: fields.url,
    description: fields.description ?? '',
    scope: WebhookScope.parse(JSON.parse(fields.scope)),
    events: (JSON.parse(fields.events) as unknown[]).flatMap((event) => (WebhookEvent.safeParse(event).success ? [event as WebhookEvent] : [])),
    internal: fields.internal === '1',
    active: fields.active === '1',
    secret: fields.secret,
    createdBy: fields.createdBy,
    createdAt: fields.createdAt,
  };
}

function deliveryOf(fields: Fields): WebhookDelivery {
  const number = (value: string | undefined) => (value === undefined || value === '' ? null : Number(value));
  return {
    id: fields.id,
    webhookId: fields.webhookId,
    event: WebhookEvent.catch('ping').parse(fields.event),
    body: fields.body,
    createdAt: fields.createdAt,
    status: fields.status as WebhookDeliveryStatus,
    attempts: Number(fields.attempts ?? 0),
    nextAttemptAt: fields.nextAttemptAt,
    lastAttemptAt: fields.lastAttemptAt || null,
    lastStatus: number(fields.lastStatus),
    lastError: fields.lastError || null,
  };
}

/**
 * Webhooks and their deliveries in Redis, under `<prefix>{webhooks}:` — `hook:<id>` (hash),
 * `hooks` (sorted set of ids by creation), `delivery:<id>` (hash), `due` (sorted set of pending
 * delivery ids by when they may be tried, ms), `log:<webhookId>` (sorted set of its deliveries by
 * creation, ms).
 */
export class RedisWebhookStore implements WebhookStore {
  readonly #base: string;
  readonly #redis: StoreConnection<Record<string, never>>;

  constructor(options: RedisStoreOptions) {
    this.#base = storeKeyBase(options, 'webhooks');
    this.#redis = new StoreConnection(options, {});
  }

  /** Opens the store and resolves once Redis answered. */
  static async connect(options: RedisStoreOptions): Promise<RedisWebhookStore> {
    const store = new RedisWebhookStore(options);
    return store.#redis.ready(store);
  }

  #key(...parts: string[]): string {
    return this.#base + parts.join(':');
  }

  get #client() {
    return this.#redis.client;
  }

  async createWebhook(webhook: WebhookRecord): Promise<void> {
    await this.#redis.connected;
    const added = await this.#client.hSetNX(this.#key('hook', webhook.id), 'id', webhook.id);
    if (!added) throw new RedisStoreError(`webhook ${webhook.id} already exists`);
    await this.#client
      .multi()
      .hSet(this.#key('hook', webhook.id), this.#hookFields(webhook))
      .zAdd(this.#key('hooks'), { score: Date.parse(webhook.createdAt), value: webhook.id })
      .exec();
  }

  #hookFields(webhook: WebhookRecord): Fields {
    return {
      id: webhook.id,
      url: webhook.url,
      description: webhook.description,
      scope: JSON.stringify(webhook.scope),
      events: JSON.stringify(webhook.events),
      internal: webhook.internal ? '1' : '0',
      active: webhook.active ? '1' : '0',
      secret: webhook.secret,
      createdBy: webhook.createdBy,
      createdAt: webhook.createdAt,
    };
  }

  async getWebhook(id: string): Promise<WebhookRecord | undefined> {
    await this.#redis.connected;
    const fields = await this.#client.hGetAll(this.#key('hook', id));
    return fields.id ? webhookOf(fields) : undefined;
  }

  async listWebhooks(): Promise<WebhookRecord[]> {
    await this.#redis.connected;
    const ids = await this.#client.zRange(this.#key('hooks'), 0, -1);
    const webhooks: WebhookRecord[] = [];
    for (const id of ids) {
      const webhook = await this.getWebhook(id);
      if (webhook) webhooks.push(webhook);
    }
    return webhooks;
  }

  async updateWebhook(id: string, patch: Parameters<WebhookStore['updateWebhook']>[1]): Promise<WebhookRecord | undefined> {
    const current = await this.getWebhook(id);
    if (!current) return undefined;
    const next = { ...current, ...patch };
    await this.#client.hSet(this.#key('hook', id), this.#hookFields(next));
    return next;
  }

  async deleteWebhook(id: string): Promise<boolean> {
    await this.#redis.connected;
    const deliveries = await this.#client.zRange(this.#key('log', id), 0, -1);
    const transaction = this.#client.multi().del(this.#key('hook', id)).zRem(this.#key('hooks'), id).del(this.#key('log', id));
    for (const delivery of deliveries) transaction.del(this.#key('delivery', delivery)).zRem(this.#key('due'), delivery);
    const replies = await transaction.exec();
    return Number(replies[0]) > 0;
  }

  async enqueue(delivery: NewWebhookDelivery): Promise<void> {
    await this.#redis.connected;
    const at = Date.parse(delivery.createdAt);
    await this.#client
      .multi()
      .hSet(this.#key('delivery', delivery.id), { ...delivery, status: 'pending', attempts: '0', nextAttemptAt: delivery.createdAt })
      .zAdd(this.#key('due'), { score: at, value: delivery.id })
      .zAdd(this.#key('log', delivery.webhookId), { score: at, value: delivery.id })
      .exec();
  }

  async claimDue(now: string, leaseUntil: string, limit: number): Promise<WebhookDelivery[]> {
    await this.#redis.connected;
    const ids = (await this.#client.eval(CLAIM_DUE, { keys: [this.#key('due')], arguments: [String(Date.parse(now)), String(Date.parse(leaseUntil)), String(limit)] })) as string[];
    const claimed: WebhookDelivery[] = [];
    for (const id of ids) {
      await this.#client.hSet(this.#key('delivery', id), 'nextAttemptAt', leaseUntil);
      const fields = await this.#client.hGetAll(this.#key('delivery', id));
      if (fields.id) claimed.push(deliveryOf(fields));
    }
    return claimed;
  }

  async recordDelivered(id: string, at: string, status: number): Promise<void> {
    await this.#redis.connected;
    await this.#client
      .multi()
      .hSet(this.#key('delivery', id), { status: 'delivered', lastAttemptAt: at, lastStatus: String(status), lastError: '' })
      .hIncrBy(this.#key('delivery', id), 'attempts', 1)
      .zRem(this.#key('due'), id)
      .exec();
  }

  async recordFailure(id: string, at: string, failure: { status: number | null; error: string }, retryAt: string | null): Promise<void> {
    await this.#redis.connected;
    const key = this.#key('delivery', id);
    const transaction = this.#client
      .multi()
      .hSet(key, { status: retryAt === null ? 'failed' : 'pending', lastAttemptAt: at, lastStatus: failure.status === null ? '' : String(failure.status), lastError: failure.error, ...(retryAt === null ? {} : { nextAttemptAt: retryAt }) })
      .hIncrBy(key, 'attempts', 1);
    if (retryAt === null) transaction.zRem(this.#key('due'), id);
    else transaction.zAdd(this.#key('due'), { score: Date.parse(retryAt), value: id });
    await transaction.exec();
  }

  async listDeliveries(webhookId: string, limit: number): Promise<WebhookDeliveryView[]> {
    await this.#redis.connected;
    const ids = await this.#client.zRange(this.#key('log', webhookId), 0, limit - 1, { REV: true });
    const deliveries: WebhookDeliveryView[] = [];
    for (const id of ids) {
      const fields = await this.#client.hGetAll(this.#key('delivery', id));
      if (!fields.id) continue;
      const { body: _body, ...view } = deliveryOf(fields);
      deliveries.push(view);
    }
    return deliveries;
  }

  async close(): Promise<void> {
    await this.#redis.close();
  }
}
