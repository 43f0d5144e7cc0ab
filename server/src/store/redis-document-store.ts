import { defineScript, RESP_TYPES, type CommandParser } from 'redis';
import { keyPrefixOf, StoreConnection, type RedisStoreOptions } from './redis-connection.js';
import type { DocumentStore, StoredDocument, StoredSummary } from './document-store.js';

/**
 * The `DocumentStore` for several Passerelle processes serving the same boards: each document is an
 * update log and a snapshot in Redis. Key layout, persistence settings and how compaction is
 * coordinated: `docs/redis.md`.
 *
 * Every operation that touches more than one key is one Lua script, which Redis runs to completion
 * before any other command: two processes appending to, or compacting, the same document are
 * serialised by Redis itself, with no lock to expire and no retry loop. A script is also written to
 * the AOF (and to replicas) as one MULTI/EXEC block, so a restart never replays half of one.
 */
/**
 * Connection settings as for every Redis store (`RedisStoreOptions`: a first connection bounded in
 * attempts, so that a wrong `REDIS_URL` stops the server at start; no offline queue, so that an
 * append that resolved is in Redis). The key prefix must not contain `{` or `}`: the keys' hash tag
 * is the document name (see `docs/redis.md`).
 */
export type RedisDocumentStoreOptions = RedisStoreOptions;

/** Thrown when what Redis returns for a document is not what this store writes. */
export class RedisDocumentStoreError extends Error {
  override readonly name = 'RedisDocumentStoreError';
}

/**
 * Appends one update. The sequence number is the document's `seq` plus one, and the update is the
 * stream entry `<seq>-0`: a stream refuses an ID that is not past its last one, so if `seq` were
 * ever lost (eviction, a hand-edited key) the append fails instead of overwriting an update. `seq`
 * is written last, so a failed XADD leaves nothing changed.
 */
const APPEND = defineScript({
  NUMBER_OF_KEYS: 2,
  SCRIPT: `
    local seq = tonumber(redis.call('GET', KEYS[1]) or '0') + 1
    redis.call('XADD', KEYS[2], string.format('%d-0', seq), 'u', ARGV[1])
    redis.call('SET', KEYS[1], string.format('%d', seq))
    return seq`,
  parseCommand(parser: CommandParser, seqKey: string, updatesKey: string, update: Buffer) {
    parser.pushKeys([seqKey, updatesKey]);
    parser.push(update);
  },
  transformReply: undefined as unknown as () => number,
});

/**
 * Replaces the snapshot and trims the log through `throughSeq`, unless the stored snapshot already
 * reaches that far: a compaction built from an older read would otherwise drop updates that the
 * stored snapshot holds. `seq` is raised to `throughSeq` so that numbering stays past the snapshot.
 * The snapshot's schema version is the hash's `version` field, written (or removed, when not given)
 * in the same script, so it always describes the `data` next to it.
 */
const COMPACT = defineScript({
  NUMBER_OF_KEYS: 3,
  SCRIPT: `
    local through = tonumber(ARGV[2])
    local current = redis.call('HGET', KEYS[3], 'through')
    if current and tonumber(current) >= through then return 0 end
    redis.call('HSET', KEYS[3], 'data', ARGV[1], 'through', ARGV[2])
    if ARGV[3] == '' then redis.call('HDEL', KEYS[3], 'version') else redis.call('HSET', KEYS[3], 'version', ARGV[3]) end
    redis.call('XTRIM', KEYS[2], 'MINID', string.format('%d-0', through + 1))
    if tonumber(redis.call('GET', KEYS[1]) or '0') < through then redis.call('SET', KEYS[1], ARGV[2]) end
    return 1`,
  parseCommand(parser: CommandParser, seqKey: string, updatesKey: string, snapshotKey: string, snapshot: Buffer, throughSeq: number, schemaVersion: number | null) {
    parser.pushKeys([seqKey, updatesKey, snapshotKey]);
    parser.push(snapshot, String(throughSeq), schemaVersion === null ? '' : String(schemaVersion));
  },
  transformReply: undefined as unknown as () => number,
});

/**
 * Reads a document as one consistent view (no compaction can fall between reading the snapshot and
 * reading the log): `[lastSeq, hasSnapshot, snapshot, snapshotSchemaVersion (-1: none), ...updates after it]`.
 */
const LOAD = defineScript({
  NUMBER_OF_KEYS: 3,
  SCRIPT: `
    local snapshot = redis.call('HMGET', KEYS[3], 'data', 'version')
    local data, version = snapshot[1], snapshot[2]
    local reply = { tonumber(redis.call('GET', KEYS[1]) or '0'), data and 1 or 0, data or '', data and version and tonumber(version) or -1 }
    for _, entry in ipairs(redis.call('XRANGE', KEYS[2], '-', '+')) do reply[#reply + 1] = entry[2][2] end
    return reply`,
  parseCommand(parser: CommandParser, seqKey: string, updatesKey: string, snapshotKey: string) {
    parser.pushKeys([seqKey, updatesKey, snapshotKey]);
  },
  transformReply: undefined as unknown as () => unknown[],
});

/**
 * Keeps a document's summary (hash `data`, `through`) unless the stored one reflects a later
 * update: two processes storing summaries of the same document keep the newer whatever their order.
 */
const PUT_SUMMARY = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `
    local current = redis.call('HGET', KEYS[1], 'through')
    if current and tonumber(current) > tonumber(ARGV[2]) then return 0 end
    redis.call('HSET', KEYS[1], 'data', ARGV[1], 'through', ARGV[2])
    return 1`,
  parseCommand(parser: CommandParser, summaryKey: string, summary: string, throughSeq: number) {
    parser.pushKeys([summaryKey]);
    parser.push(summary, String(throughSeq));
  },
  transformReply: undefined as unknown as () => number,
});

const SCRIPTS = { APPEND, COMPACT, LOAD, PUT_SUMMARY };

/** Copies into a Buffer: the caller may reuse its array once the call returns, before the bytes are sent. */
const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes);

/** Copies out of the reply into a plain Uint8Array, as the other stores return, not keeping the reply's memory alive. */
const toUint8Array = (value: unknown): Uint8Array => {
  if (!Buffer.isBuffer(value)) throw new RedisDocumentStoreError(`expected a binary value from Redis, got ${typeof value}`);
  return Uint8Array.from(value);
};

/** A `DocumentStore` on Redis, shared by every process that uses the same Redis and key prefix. */
export class RedisDocumentStore implements DocumentStore {
  /** The connection, and the same client reading binary replies as Buffers (every command goes through it). */
  readonly #redis: StoreConnection<typeof SCRIPTS>;
  readonly #client: ReturnType<StoreConnection<typeof SCRIPTS>['client']['withTypeMapping']>;
  readonly #keyPrefix: string;

  /** Starts connecting at once; the first operation waits for the connection (see `connect` to fail fast). */
  constructor(options: RedisDocumentStoreOptions) {
    this.#keyPrefix = keyPrefixOf(options, () => new RedisDocumentStoreError('keyPrefix must not contain { or }: the hash tag is the document name'));
    this.#redis = new StoreConnection(options, SCRIPTS);
    // Updates are binary; without this the client would decode them as UTF-8 strings.
    this.#client = this.#redis.client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  }

  /** Opens a store and resolves once Redis answered, so that a wrong `REDIS_URL` stops the server at start. */
  static async connect(options: RedisDocumentStoreOptions): Promise<RedisDocumentStore> {
    const store = new RedisDocumentStore(options);
    return store.#redis.ready(store);
  }

  /**
   * The keys of one document. The name is the hash tag (`{...}`): all the keys of a document hash
   * to the same Redis Cluster slot, which a script touching them requires.
   */
  #keys(docName: string) {
    const base = `${this.#keyPrefix}doc:{${docName}}:`;
    return { seq: `${base}seq`, updates: `${base}updates`, snapshot: `${base}snapshot`, summary: `${base}summary` };
  }

  async load(docName: string): Promise<StoredDocument> {
    await this.#redis.connected;
    const keys = this.#keys(docName);
    const reply: unknown = await this.#client.LOAD(keys.seq, keys.updates, keys.snapshot);
    // Validate at the edge: a storage read that is not what we write is an error, not a document.
    if (
      !Array.isArray(reply) ||
      reply.length < 4 ||
      typeof reply[0] !== 'number' ||
      (reply[1] !== 0 && reply[1] !== 1) ||
      !Number.isSafeInteger(reply[3]) ||
      (reply[3] as number) < -1
    ) {
      throw new RedisDocumentStoreError(`unexpected reply loading ${docName}`);
    }
    const [lastSeq, hasSnapshot, snapshot, schemaVersion, ...logged] = reply as [number, 0 | 1, unknown, number, ...unknown[]];
    const updates = logged.map(toUint8Array);
    if (hasSnapshot) updates.unshift(toUint8Array(snapshot));
    return { updates, lastSeq, pendingUpdates: logged.length, snapshotSchemaVersion: schemaVersion === -1 ? null : schemaVersion };
  }

  async append(docName: string, update: Uint8Array): Promise<number> {
    const bytes = toBuffer(update);
    await this.#redis.connected;
    const keys = this.#keys(docName);
    // Resolves once Redis replied, i.e. once the update is in its dataset and AOF buffer; how soon
    // the AOF reaches the disk is Redis's `appendfsync` (docs/redis.md).
    const seq: unknown = await this.#client.APPEND(keys.seq, keys.updates, bytes);
    if (typeof seq !== 'number') throw new RedisDocumentStoreError(`unexpected reply appending to ${docName}`);
    return seq;
  }

  async compact(docName: string, snapshot: Uint8Array, throughSeq: number, schemaVersion: number | null = null): Promise<void> {
    if (!Number.isSafeInteger(throughSeq) || throughSeq < 0) throw new RangeError(`throughSeq must be a non-negative integer, got ${throughSeq}`);
    if (schemaVersion !== null && (!Number.isSafeInteger(schemaVersion) || schemaVersion < 0)) {
      throw new RangeError(`schemaVersion must be a non-negative integer or null, got ${schemaVersion}`);
    }
    const bytes = toBuffer(snapshot);
    await this.#redis.connected;
    const keys = this.#keys(docName);
    await this.#client.COMPACT(keys.seq, keys.updates, keys.snapshot, bytes, throughSeq, schemaVersion);
  }

  async putSummary(docName: string, summary: string, throughSeq: number): Promise<void> {
    if (!Number.isSafeInteger(throughSeq) || throughSeq < 0) throw new RangeError(`throughSeq must be a non-negative integer, got ${throughSeq}`);
    await this.#redis.connected;
    await this.#redis.client.PUT_SUMMARY(this.#keys(docName).summary, summary, throughSeq);
  }

  async loadSummary(docName: string): Promise<StoredSummary | null> {
    await this.#redis.connected;
    const [summary, through] = await this.#redis.client.HMGET(this.#keys(docName).summary, ['data', 'through']);
    if (summary === null && through === null) return null;
    const throughSeq = Number(through);
    // Validate at the edge: what this store did not write is an error, not a summary.
    if (typeof summary !== 'string' || !Number.isSafeInteger(throughSeq) || throughSeq < 0) throw new RedisDocumentStoreError(`unexpected summary stored for ${docName}`);
    return { summary, throughSeq };
  }

  async delete(docName: string): Promise<void> {
    await this.#redis.connected;
    const keys = this.#keys(docName);
    // One command, so atomic; UNLINK frees a large log in the background instead of blocking Redis.
    await this.#client.unlink([keys.seq, keys.updates, keys.snapshot, keys.summary]);
  }

  async list(): Promise<string[]> {
    await this.#redis.connected;
    const start = `${this.#keyPrefix}doc:{`;
    // SCAN pages through the keyspace without blocking Redis as KEYS would on a large one.
    const pattern = `${start.replace(/[*?[\]\\]/g, (special) => `\\${special}`)}*`;
    const names = new Set<string>();
    for await (const keys of this.#redis.client.scanIterator({ MATCH: pattern, COUNT: 1000 })) {
      for (const key of keys) {
        const name = /^(.*)\}:(?:seq|updates|snapshot)$/s.exec(key.slice(start.length))?.[1];
        if (name !== undefined) names.add(name);
      }
    }
    return [...names];
  }

  async ping(): Promise<void> {
    await this.#redis.ping();
  }

  async close(): Promise<void> {
    await this.#redis.close();
  }
}
