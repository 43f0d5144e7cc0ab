import type { MailOutbox, NewOutboxMessage, OutboxMessage, OutboxStatus } from '../account-store.js';
import { RedisStoreError } from '../redis-connection.js';
import { exists, pairsOf, required, type AccountsKeyspace, type Fields } from './accounts-keyspace.js';

/**
 * Moves the due messages of `mail:due` to their lease, in one step so that two processes never take
 * the same one: keys: `mail:due`; args: now (ms), lease end (ms), limit. Returns the ids taken.
 */
const CLAIM_DUE = `
  local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
  for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], ARGV[2], id) end
  return ids`;

function fromFields(fields: Fields): OutboxMessage {
  const what = 'outbox message';
  return {
    id: required(fields, 'id', what),
    kind: required(fields, 'kind', what),
    to: required(fields, 'to', what),
    subject: required(fields, 'subject', what),
    text: required(fields, 'text', what),
    html: required(fields, 'html', what),
    headers: JSON.parse(fields.headers ?? '{}') as Record<string, string>,
    createdAt: required(fields, 'createdAt', what),
    status: required(fields, 'status', what) as OutboxStatus,
    attempts: Number(required(fields, 'attempts', what)),
    nextAttemptAt: required(fields, 'nextAttemptAt', what),
    lastAttemptAt: fields.lastAttemptAt ?? null,
    lastError: fields.lastError ?? null,
    sentAt: fields.sentAt ?? null,
  };
}

/**
 * The e-mail outbox in Redis: a hash per message (`mail:<id>`), the pending ones in the sorted set
 * `mail:due` by when they may be tried (ms), and those whose last try failed in `mail:failures` by
 * that try's time.
 */
export class RedisMailOutbox implements MailOutbox {
  readonly #ks: AccountsKeyspace;

  constructor(keyspace: AccountsKeyspace) {
    this.#ks = keyspace;
  }

  async enqueue(message: NewOutboxMessage): Promise<void> {
    await this.#ks.connected;
    const fields = pairsOf({ ...message, headers: JSON.stringify(message.headers), status: 'pending', attempts: '0', nextAttemptAt: message.createdAt });
    const added = await this.#ks.client.hSetNX(this.#ks.key('mail', message.id), 'id', message.id);
    if (!added) throw new RedisStoreError(`outbox message ${message.id} already exists`);
    await this.#ks.client.multi().hSet(this.#ks.key('mail', message.id), fields).zAdd(this.#ks.key('mail', 'due'), { score: Date.parse(message.createdAt), value: message.id }).exec();
  }

  async getMessage(id: string): Promise<OutboxMessage | undefined> {
    const fields = await this.#ks.hash(this.#ks.key('mail', id));
    return exists(fields) ? fromFields(fields) : undefined;
  }

  async claimDue(now: string, leaseUntil: string, limit: number): Promise<OutboxMessage[]> {
    await this.#ks.connected;
    const ids = (await this.#ks.client.eval(CLAIM_DUE, {
      keys: [this.#ks.key('mail', 'due')],
      arguments: [String(Date.parse(now)), String(Date.parse(leaseUntil)), String(limit)],
    })) as string[];
    const claimed: OutboxMessage[] = [];
    for (const id of ids) {
      await this.#ks.client.hSet(this.#ks.key('mail', id), 'nextAttemptAt', leaseUntil);
      const message = await this.getMessage(id);
      if (message) claimed.push(message);
    }
    return claimed;
  }

  async recordSent(id: string, at: string): Promise<void> {
    await this.#ks.connected;
    await this.#ks.client
      .multi()
      .hSet(this.#ks.key('mail', id), { status: 'sent', sentAt: at, lastAttemptAt: at })
      .hIncrBy(this.#ks.key('mail', id), 'attempts', 1)
      .zRem(this.#ks.key('mail', 'due'), id)
      .zRem(this.#ks.key('mail', 'failures'), id)
      .exec();
  }

  async recordFailure(id: string, at: string, error: string, retryAt: string | null): Promise<void> {
    await this.#ks.connected;
    const key = this.#ks.key('mail', id);
    const transaction = this.#ks.client
      .multi()
      .hSet(key, { status: retryAt === null ? 'failed' : 'pending', lastAttemptAt: at, lastError: error, ...(retryAt === null ? {} : { nextAttemptAt: retryAt }) })
      .hIncrBy(key, 'attempts', 1)
      .zAdd(this.#ks.key('mail', 'failures'), { score: Date.parse(at), value: id });
    if (retryAt === null) transaction.zRem(this.#ks.key('mail', 'due'), id);
    else transaction.zAdd(this.#ks.key('mail', 'due'), { score: Date.parse(retryAt), value: id });
    await transaction.exec();
  }

  async listFailures(limit: number): Promise<OutboxMessage[]> {
    await this.#ks.connected;
    const ids = await this.#ks.client.zRange(this.#ks.key('mail', 'failures'), 0, limit - 1, { REV: true });
    const records = await this.#ks.records(ids, (id) => this.#ks.key('mail', id));
    return records.map(fromFields);
  }
}
