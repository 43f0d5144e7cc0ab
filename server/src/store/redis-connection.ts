import { createClient, type RedisScripts } from 'redis';

/**
 * How every Redis-backed store connects (documents, accounts, versions, meetings): the same
 * settings with the same defaults, so that every store of a process behaves alike when Redis is
 * missing at start or restarts.
 */
export interface RedisStoreOptions {
  /** `redis://[[user]:password@]host[:port][/db]` (or `rediss://` for TLS). */
  url: string;
  /**
   * Prepended to every key (default `passerelle:`), so that one Redis can hold other data, or
   * several deployments, side by side. Must not contain `{` or `}`: the keys carry a hash tag.
   */
  keyPrefix?: string;
  /** Told about connection errors between commands (default: ignored); the client reconnects by itself. */
  onError?: (error: Error) => void;
  /**
   * Connection attempts before giving up on the first connection (default 10, about 10 seconds with
   * the backoff), so that a wrong `REDIS_URL` stops the server at start.
   */
  initialConnectAttempts?: number;
}

/** Thrown when a Redis-backed store cannot connect, or Redis returns what the store never writes. */
export class RedisStoreError extends Error {
  override readonly name = 'RedisStoreError';
}

/**
 * The start of every key of a store: the prefix, then `{<hashTag>}:`. One hash tag per store puts
 * all of its keys in one Redis Cluster slot, so that a script may touch any of them (cascades read
 * which keys to delete from other keys).
 */
export function storeKeyBase(options: RedisStoreOptions, hashTag: string): string {
  return `${keyPrefixOf(options, () => new RedisStoreError('keyPrefix must not contain { or }: the keys carry a hash tag'))}{${hashTag}}:`;
}

/**
 * The prefix of a store's keys (default `passerelle:`). A brace in it would break the hash tag its
 * keys carry, so it is refused with the store's own error, `refused()`.
 */
export function keyPrefixOf(options: RedisStoreOptions, refused: () => Error): string {
  const keyPrefix = options.keyPrefix ?? 'passerelle:';
  if (/[{}]/.test(keyPrefix)) throw refused();
  return keyPrefix;
}

/**
 * A store's client: bounded first connection, jittered backoff afterwards (so that processes do not
 * all reconnect at the same instant after a Redis restart),
 * and no offline queue (a command sent while Redis is unreachable rejects at once rather than
 * resolving later, so that a write that resolved is in Redis). Starts connecting at once;
 * `connected` settles when the first connection is made or given up.
 */
export function openStoreClient<S extends RedisScripts>(options: RedisStoreOptions, scripts: S) {
  const initialConnectAttempts = options.initialConnectAttempts ?? 10;
  let everReady = false;
  const client = createClient({
    url: options.url,
    socket: {
      reconnectStrategy: (retries: number, cause: Error) =>
        !everReady && retries + 1 >= initialConnectAttempts
          ? new RedisStoreError(`could not connect to Redis after ${initialConnectAttempts} attempts: ${cause.message}`)
          : Math.min(2 ** retries * 50, 2000) + Math.floor(Math.random() * 200),
    },
    disableOfflineQueue: true,
    scripts,
  });
  client.on('ready', () => (everReady = true));
  // Without a listener, an 'error' event would crash the process (EventEmitter semantics).
  client.on('error', (error: Error) => options.onError?.(error));
  const connected = client.connect();
  // Reported by the operation that awaits it; avoids an unhandled rejection when none does.
  connected.catch(() => {});
  return { client, connected };
}

/** Closes a client from `openStoreClient`, letting replies to commands already sent arrive. */
export async function closeStoreClient(client: { isOpen: boolean; isReady: boolean; close(): Promise<void>; destroy(): void }, connected: Promise<unknown>): Promise<void> {
  await connected.catch(() => {});
  if (!client.isOpen) return;
  if (client.isReady) await client.close();
  else client.destroy();
}

/**
 * The end of every Redis store's `connect`: resolves with the store once `ready` (connected, then
 * answered a PING) did, so that a wrong `REDIS_URL` stops the server at start; otherwise closes
 * the store, which stops its reconnection, and rethrows.
 */
export async function readyOrClosed<T extends { close(): Promise<void> }>(store: T, ready: () => Promise<unknown>): Promise<T> {
  try {
    await ready();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * Asks a Redis client whether Redis answers now (readiness). A client that is not connected fails at
 * once without sending: one with an offline queue would otherwise hold the PING until Redis is back.
 */
export async function pingRedis(client: { isReady: boolean; ping(): Promise<unknown> }): Promise<void> {
  if (!client.isReady) throw new RedisStoreError('not connected to Redis');
  await client.ping();
}

/**
 * One store's connection to Redis (`openStoreClient`): its client, the first connection, and what
 * every Redis store does with them alike: check at start, answer readiness, close.
 */
export class StoreConnection<S extends RedisScripts> {
  readonly client: ReturnType<typeof openStoreClient<S>>['client'];
  /** Settles when the first connection is made or given up; every operation awaits it first. */
  readonly connected: Promise<unknown>;

  /** Starts connecting at once. */
  constructor(options: RedisStoreOptions, scripts: S) {
    const { client, connected } = openStoreClient(options, scripts);
    this.client = client;
    this.connected = connected;
  }

  /**
   * For a store's `connect`: resolves with the store once connected and Redis answered a PING, so
   * that a wrong `REDIS_URL` stops the server at start; otherwise closes the store and rethrows.
   */
  ready<T extends { close(): Promise<void> }>(store: T): Promise<T> {
    return readyOrClosed(store, () => this.connected.then(() => this.client.ping()));
  }

  /** Resolves when Redis answers now, rejects otherwise (readiness). */
  async ping(): Promise<void> {
    await pingRedis(this.client);
  }

  /** Closes the client, letting replies to commands already sent arrive. */
  async close(): Promise<void> {
    await closeStoreClient(this.client, this.connected);
  }
}
