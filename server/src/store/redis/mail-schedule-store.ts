import type { MailScheduleStore } from '../account-store.js';
import { RedisStoreError } from '../redis-connection.js';
import type { AccountsKeyspace } from './accounts-keyspace.js';

/**
 * Reminders and digests already claimed, in Redis: the hash `mail-reminders` (key to when), and per
 * person `user:<id>:digest` (the last day claimed and when), claimed by HSETNX and by a script.
 */
export class RedisMailScheduleStore implements MailScheduleStore {
  readonly #ks: AccountsKeyspace;

  constructor(keyspace: AccountsKeyspace) {
    this.#ks = keyspace;
  }

  async claimReminder(key: string, at: string): Promise<boolean> {
    await this.#ks.connected;
    return Boolean(await this.#ks.client.hSetNX(this.#ks.key('mail-reminders'), key, at));
  }

  async claimDigest(userId: string, day: string, at: string): Promise<{ previousAt: string | null } | null> {
    const reply = (await this.#ks.run('CLAIM_DIGEST', [this.#ks.key('user', userId, 'digest')], [day, at])) as string[];
    if (reply[0] === 'taken') return null;
    if (reply[0] !== 'claimed') throw new RedisStoreError(`unexpected reply claiming a digest: ${String(reply[0])}`);
    return { previousAt: reply[1] ? reply[1] : null };
  }
}
