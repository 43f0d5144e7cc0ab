import { RedisStoreError, StoreConnection, storeKeyBase, type RedisStoreOptions } from '../redis-connection.js';
import { SCRIPTS } from './account-scripts.js';

/** A write refused because it would break a rule of the stored data, as SQLite's constraints refuse it. */
export class AccountConstraintError extends Error {
  override readonly name = 'AccountConstraintError';
  constructor(
    /** Which kind of rule: a reference to a row that does not exist, or a second row with a unique value. */
    readonly constraint: 'FOREIGN KEY' | 'UNIQUE',
    detail: string,
  ) {
    super(`${constraint} constraint failed: ${detail}`);
  }
}

export type Fields = Record<string, string>;
/** A record's fields to write: null and undefined values are left out (absent field = null). */
export type Writable = Record<string, string | null | undefined>;

/** Field/value pairs of the present values, as HSET takes them. */
export function pairsOf(record: Writable): string[] {
  return Object.entries(record).flatMap(([field, value]) => (value === null || value === undefined ? [] : [field, value]));
}

/** SQLite compares text byte by byte (BINARY collation): UTF-8 byte order, which UTF-16 `<` is not. */
export function compareText(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Sorts stably (ties keep their insertion order, as SQLite's rowid order) by one text key. */
export function sortByText<T>(items: T[], key: (item: T) => string, direction: 'asc' | 'desc'): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return items.sort((a, b) => sign * compareText(key(a), key(b)));
}

/** A field every stored record of this kind has; its absence means Redis holds something we did not write. */
export function required(fields: Fields, field: string, what: string): string {
  const value = fields[field];
  if (value === undefined) throw new RedisStoreError(`stored ${what} ${fields.id ?? '?'} has no ${field}`);
  return value;
}

export const exists = (fields: Fields): boolean => Object.keys(fields).length > 0;

/**
 * The accounts' keyspace, `<prefix>{accounts}:`, and the one client every account store of a
 * process reads and writes it with. One hash tag for all of them: a script of one store may take
 * keys of another with it (deleting a board takes its guest invites), as SQLite's cascades do.
 */
export class AccountsKeyspace extends StoreConnection<typeof SCRIPTS> {
  /** `<prefix>{accounts}:`: the start of every key. */
  readonly #base: string;

  /** Starts connecting at once; refuses a key prefix with a brace, which would break the hash tag. */
  constructor(options: RedisStoreOptions) {
    const base = storeKeyBase(options, 'accounts');
    super(options, SCRIPTS);
    this.#base = base;
  }

  /** The key `<base><parts joined by :>`. */
  key(...parts: string[]): string {
    return this.#base + parts.join(':');
  }

  /** Runs a script once connected; its first argument is always the key base. */
  async run<Name extends keyof typeof SCRIPTS>(name: Name, keys: string[], args: string[]): Promise<unknown> {
    await this.connected;
    return this.client[name](keys, [this.#base, ...args]);
  }

  /** Turns a script's status word into the error SQLite would have thrown. */
  check(status: unknown, refs: string[], what: string): void {
    if (status === 'ok') return;
    if (typeof status === 'string' && status.startsWith('missing:')) {
      throw new AccountConstraintError('FOREIGN KEY', `${what} refers to ${refs[Number(status.slice('missing:'.length)) - 1] ?? 'a missing record'}, which does not exist`);
    }
    if (status === 'taken') throw new AccountConstraintError('UNIQUE', `${what} already exists`);
    throw new RedisStoreError(`unexpected reply writing ${what}: ${String(status)}`);
  }

  /** A record's fields; empty when it does not exist. */
  async hash(key: string): Promise<Fields> {
    await this.connected;
    return this.client.hGetAll(key);
  }

  /** The records behind a list of ids, in the list's order, without those deleted meanwhile. */
  async records(ids: string[], keyOf: (id: string) => string): Promise<Fields[]> {
    await this.connected;
    const records = await Promise.all(ids.map((id) => this.client.hGetAll(keyOf(id))));
    return records.filter(exists);
  }

  /** Members of a sorted set in score order (for lists: insertion order). */
  async members(key: string): Promise<string[]> {
    await this.connected;
    return this.client.zRange(key, 0, -1);
  }

  /** Who a record names as its creator, as the SQLite store's LEFT JOIN on users gives it: '' when unknown. */
  async namesOf(userIds: string[]): Promise<Map<string, string>> {
    await this.connected;
    const unique = [...new Set(userIds)];
    const names = await Promise.all(unique.map((id) => this.client.hGet(this.key('user', id), 'name')));
    return new Map(unique.map((id, index) => [id, names[index] ?? '']));
  }

  /** Applies a patch whole to an existing record: undefined leaves a field, null removes it. 1 when the record exists. */
  async patch(key: string, patch: Writable): Promise<boolean> {
    const set = Object.entries(patch).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    const removed = Object.entries(patch).filter(([, value]) => value === null).map(([field]) => field);
    return (await this.run('PATCH', [key], [String(set.length), ...set.flat(), ...removed])) === 1;
  }
}
