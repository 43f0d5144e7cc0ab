import { defineScript, RESP_TYPES, type CommandParser } from 'redis';
import type { VersionSummary } from '@passerelle/shared';
import { RedisStoreError, StoreConnection, storeKeyBase, type RedisStoreOptions } from '../store/redis-connection.js';
import { BOARD_TARGET, storedVersionSummary, VersionLimitError, versionBytes, type StoredVersion, type VersionLimits, type VersionStore, type VersionTarget } from './version-store.js';

/**
 * Versions in Redis, for several Passerelle processes (`REDIS_URL`), beside `RedisAccountStore`. A
 * version is one hash holding its metadata and both Yjs states as raw bytes; each board has a sorted
 * set of its versions in the order they were stored, whatever they are of (the caps count them all);
 * a hash's `target` field says what a version is of, absent for the board's own. Key layout: `docs/redis.md`.
 *
 * Nothing here follows the board row as SQLite's ON DELETE CASCADE does: the application deletes a
 * board's versions itself (`VersionService.forgetBoard`), as it does for the in-memory store.
 */
export type RedisVersionStoreOptions = RedisStoreOptions;

/**
 * Stores a version unless its id is taken by any board's version, within the board's limits (see
 * `versionsToPrune`, which this follows step for step): keys: `ids`, `board:<boardId>`,
 * `version:<id>`, `seq`; args: key base, id, board id, kind, the version's bytes, the most named
 * versions and the most bytes (-1: no limit), then the hash's fields (binary safe). Oldest means
 * by `at`, then in the order stored, as `list` orders them. Replies `{'ok', pruned}`, `{'taken'}`,
 * or `{'named'}` / `{'bytes'}` when a limit refuses it, having then changed nothing.
 */
const INSERT = defineScript({
  NUMBER_OF_KEYS: 4,
  SCRIPT: `
    if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then return {'taken'} end
    local maxNamed, maxBytes = tonumber(ARGV[6]), tonumber(ARGV[7])
    local doomed = {}
    if maxNamed >= 0 or maxBytes >= 0 then
      local entries = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
      local versions, named, total = {}, 0, tonumber(ARGV[5])
      for i = 1, #entries, 2 do
        local key = ARGV[1] .. 'version:' .. entries[i]
        local meta = redis.call('HMGET', key, 'kind', 'at')
        local bytes = redis.call('HSTRLEN', key, 'boardState') + redis.call('HSTRLEN', key, 'internalState')
        total = total + bytes
        if meta[1] == 'named' then named = named + 1 end
        versions[#versions + 1] = { id = entries[i], named = meta[1] == 'named', at = meta[2] or '', seq = tonumber(entries[i + 1]), bytes = bytes }
      end
      if ARGV[4] == 'named' and maxNamed >= 0 and named >= maxNamed then return {'named'} end
      if maxBytes >= 0 and total > maxBytes then
        table.sort(versions, function(a, b)
          if a.at ~= b.at then return a.at < b.at end
          return a.seq < b.seq
        end)
        for _, version in ipairs(versions) do
          if total <= maxBytes then break end
          if not version.named then
            doomed[#doomed + 1] = version.id
            total = total - version.bytes
          end
        end
        if total > maxBytes then return {'bytes'} end
      end
    end
    for _, id in ipairs(doomed) do
      redis.call('ZREM', KEYS[2], id)
      redis.call('DEL', ARGV[1] .. 'version:' .. id)
      redis.call('HDEL', KEYS[1], id)
    end
    redis.call('HSET', KEYS[3], unpack(ARGV, 8))
    redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
    redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), ARGV[2])
    return {'ok', #doomed}`,
  parseCommand(parser: CommandParser, keys: [string, string, string, string], args: (string | Buffer)[]) {
    parser.pushKeys(keys);
    parser.push(...args);
  },
  transformReply: undefined as unknown as () => [string, number?],
});

/**
 * Deletes versions of one board that are still there: keys: `ids`, `board:<boardId>`; args: the
 * key base, then version ids. Replies how many it deleted, so that two processes pruning at once
 * count each version once.
 */
const DELETE_VERSIONS = defineScript({
  NUMBER_OF_KEYS: 2,
  SCRIPT: `
    local deleted = 0
    for i = 2, #ARGV do
      if redis.call('ZREM', KEYS[2], ARGV[i]) == 1 then
        redis.call('DEL', ARGV[1] .. 'version:' .. ARGV[i])
        redis.call('HDEL', KEYS[1], ARGV[i])
        deleted = deleted + 1
      end
    end
    return deleted`,
  parseCommand(parser: CommandParser, keys: [string, string], base: string, ids: string[]) {
    parser.pushKeys(keys);
    parser.push(base, ...ids);
  },
  transformReply: undefined as unknown as () => number,
});

/** Deletes every version of a board: keys: `ids`, `board:<boardId>`; args: the key base. */
const DELETE_BOARD = defineScript({
  NUMBER_OF_KEYS: 2,
  SCRIPT: `
    for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
      redis.call('DEL', ARGV[1] .. 'version:' .. id)
      redis.call('HDEL', KEYS[1], id)
    end
    redis.call('DEL', KEYS[2])
    return 1`,
  parseCommand(parser: CommandParser, keys: [string, string], base: string) {
    parser.pushKeys(keys);
    parser.push(base);
  },
  transformReply: undefined as unknown as () => number,
});

const SCRIPTS = { INSERT, DELETE_VERSIONS, DELETE_BOARD };

/** The metadata fields of a version hash, in this order (`HMGET` for lists, without the states). */
const SUMMARY_FIELDS = ['id', 'boardId', 'at', 'kind', 'name', 'createdById', 'createdByName', 'editors'] as const;

/** What a version hash is of: its `target` field, absent for the board's own versions (and those stored before targets). */
const targetOf = (stored: string | null | undefined): string => stored ?? BOARD_TARGET;

/** A `VersionStore` on Redis, shared by every process that uses the same Redis and key prefix. */
export class RedisVersionStore implements VersionStore {
  readonly #redis: StoreConnection<typeof SCRIPTS>;
  /** `<prefix>{versions}:`: the start of every key; one hash tag, so the scripts' keys share a slot. */
  readonly #base: string;

  /** Starts connecting at once; the first operation waits for the connection (see `connect` to fail fast). */
  constructor(options: RedisVersionStoreOptions) {
    this.#base = storeKeyBase(options, 'versions');
    this.#redis = new StoreConnection(options, SCRIPTS);
  }

  /** Opens a store and resolves once Redis answered, so that a wrong `REDIS_URL` stops the server at start. */
  static async connect(options: RedisVersionStoreOptions): Promise<RedisVersionStore> {
    const store = new RedisVersionStore(options);
    return store.#redis.ready(store);
  }

  #keys(boardId: string) {
    return { ids: `${this.#base}ids`, board: `${this.#base}board:${boardId}`, seq: `${this.#base}seq` };
  }

  #versionKey(id: string): string {
    return `${this.#base}version:${id}`;
  }

  async insert(version: StoredVersion, limits?: VersionLimits, target: VersionTarget = BOARD_TARGET): Promise<{ pruned: number }> {
    const fields: (string | Buffer)[] = [
      'id', version.id,
      'boardId', version.boardId,
      ...(target === BOARD_TARGET ? [] : ['target', target]),
      'at', version.at,
      'kind', version.kind,
      ...(version.name === null ? [] : ['name', version.name]),
      ...(version.createdBy === null ? [] : ['createdById', version.createdBy.id, 'createdByName', version.createdBy.name]),
      'editors', JSON.stringify(version.editors),
      // Copies: the caller may reuse its arrays once the call returns, before the bytes are sent.
      'boardState', Buffer.from(version.boardState),
      'internalState', Buffer.from(version.internalState),
    ];
    await this.#redis.connected;
    const keys = this.#keys(version.boardId);
    const [status, pruned] = await this.#redis.client.INSERT([keys.ids, keys.board, this.#versionKey(version.id), keys.seq], [
      this.#base,
      version.id,
      version.boardId,
      version.kind,
      String(versionBytes(version)),
      String(limits?.maxNamed ?? -1),
      String(limits?.maxBytes ?? -1),
      ...fields,
    ]);
    if (status === 'taken') throw new RedisStoreError(`version ${version.id} exists`);
    if (status === 'named') throw new VersionLimitError('named', limits!.maxNamed);
    if (status === 'bytes') throw new VersionLimitError('bytes', limits!.maxBytes);
    return { pruned: Number(pruned ?? 0) };
  }

  async delete(boardId: string, versionId: string, target: VersionTarget = BOARD_TARGET): Promise<boolean> {
    await this.#redis.connected;
    // A version's board and target never change: read before the script, they still hold in it.
    const [storedBoard, storedTarget] = await this.#redis.client.hmGet(this.#versionKey(versionId), ['boardId', 'target']);
    if (storedBoard !== boardId || targetOf(storedTarget) !== target) return false;
    const keys = this.#keys(boardId);
    return (await this.#redis.client.DELETE_VERSIONS([keys.ids, keys.board], this.#base, [versionId])) === 1;
  }

  async list(boardId: string, target: VersionTarget = BOARD_TARGET): Promise<VersionSummary[]> {
    await this.#redis.connected;
    // Stored order reversed, then a stable sort by `at`: newest first, and among versions of the
    // same instant the one stored last first (SQLite: ORDER BY at DESC, rowid DESC).
    const ids = (await this.#redis.client.zRange(this.#keys(boardId).board, 0, -1)).reverse();
    const rows = await Promise.all(ids.map((id) => this.#redis.client.hmGet(this.#versionKey(id), [...SUMMARY_FIELDS, 'target'])));
    return rows
      .filter((values) => values[0] !== null && values[0] !== undefined && targetOf(values[SUMMARY_FIELDS.length]) === target)
      .map((values) => storedVersionSummary.fromFields(Object.fromEntries(SUMMARY_FIELDS.map((field, i) => [field, values[i]]))))
      .sort((a, b) => Buffer.compare(Buffer.from(b.at), Buffer.from(a.at)));
  }

  async get(boardId: string, versionId: string, target: VersionTarget = BOARD_TARGET): Promise<StoredVersion | undefined> {
    await this.#redis.connected;
    // States are binary: read them as Buffers, not decoded as UTF-8.
    const stored = await this.#redis.client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).hGetAll(this.#versionKey(versionId));
    const text = (field: string): string | null => (Buffer.isBuffer(stored[field]) ? stored[field].toString('utf8') : null);
    if (text('boardId') !== boardId || targetOf(text('target')) !== target) return undefined;
    const { boardState, internalState } = stored;
    if (!Buffer.isBuffer(boardState) || !Buffer.isBuffer(internalState)) throw new RedisStoreError(`version ${versionId} has no states`);
    const summary = storedVersionSummary.fromFields(Object.fromEntries(SUMMARY_FIELDS.map((field) => [field, text(field)])));
    // Copied out of the reply into plain Uint8Arrays, as the other stores return them.
    return { ...summary, boardState: Uint8Array.from(boardState), internalState: Uint8Array.from(internalState) };
  }

  async claimAutomatic(boardId: string, forMs: number): Promise<number> {
    await this.#redis.connected;
    const key = `${this.#base}auto-claim:${boardId}`;
    if ((await this.#redis.client.set(key, '1', { condition: 'NX', expiration: { type: 'PX', value: Math.max(1, Math.round(forMs)) } })) === 'OK') return 0;
    // Gone between the two commands (-2) or without expiry (-1, never written so): try again soon.
    return Math.max(1, await this.#redis.client.pTTL(key));
  }

  async pruneAuto(boardId: string, keep: number, target: VersionTarget = BOARD_TARGET): Promise<number> {
    const doomed = (await this.list(boardId, target)).filter((version) => version.kind === 'auto').slice(Math.max(keep, 0));
    if (doomed.length === 0) return 0;
    const keys = this.#keys(boardId);
    return this.#redis.client.DELETE_VERSIONS([keys.ids, keys.board], this.#base, doomed.map((version) => version.id));
  }

  async deleteBoard(boardId: string): Promise<void> {
    await this.#redis.connected;
    const keys = this.#keys(boardId);
    await this.#redis.client.DELETE_BOARD([keys.ids, keys.board], this.#base);
  }

  async ping(): Promise<void> {
    await this.#redis.ping();
  }

  async close(): Promise<void> {
    await this.#redis.close();
  }
}
