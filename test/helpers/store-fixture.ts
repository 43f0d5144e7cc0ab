/**
 * Fixtures for the storage contracts: a fresh store per test from an implementation's factory, and
 * factories over real SQLite files and a real Redis that reopen the same storage or open a second
 * handle on it, as a restarted or a second process would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, type TestContext } from 'vitest';
import { openDatabase } from '../../server/src/store/sqlite-database.js';
import type { redisForThisFile } from './redis-fixture.js';

/** What every store under test can do: be closed. */
export interface Closable {
  close(): Promise<void> | void;
}

/** What an implementation's factory gives a contract: a fresh, empty store and how to clean it up. */
export interface StoreFixture<S> {
  store: S;
  /** Closes the store and opens a new one over the same storage; absent for stores without durability. */
  reopen?: () => Promise<S>;
  cleanup: () => Promise<void>;
}

/** A fixture over storage that outlives the store: it can be reopened, and opened again alongside. */
export interface DurableStoreFixture<S> extends StoreFixture<S> {
  reopen: () => Promise<S>;
  /** Opens another store over the same storage, as a second process would; `cleanup` closes it. */
  openAnother: () => Promise<S>;
}

/**
 * Opens a fresh fixture before each test of the calling suite and cleans it up after it. The
 * getters answer for the current test; `reopen` skips the test for implementations that cannot.
 */
export function storePerTest<F extends StoreFixture<unknown>>(name: string, factory: () => Promise<F>) {
  let fixture: F;
  let store: F['store'];

  beforeEach(async () => {
    fixture = await factory();
    store = fixture.store;
  });

  afterEach(async () => {
    await fixture?.cleanup();
  });

  return {
    get fixture(): F {
      return fixture;
    },
    get store(): F['store'] {
      return store;
    },
    /** Reopens the store, or skips the test for stores that cannot be reopened. */
    async reopen(context: TestContext): Promise<void> {
      if (!fixture.reopen) {
        context.skip(`${name} has no durable storage to reopen`);
        return;
      }
      store = (await fixture.reopen()) as F['store'];
    },
  };
}

/**
 * A store over SQLite files in a fresh directory (`passerelle-<kind>-…`), removed by `cleanup`;
 * `db` is the connection the current store uses.
 */
export async function sqliteStoreFixture<S extends Closable>(
  kind: string,
  open: (db: Database.Database) => S,
): Promise<DurableStoreFixture<S> & { readonly db: Database.Database }> {
  const dataDir = await mkdtemp(join(tmpdir(), `passerelle-${kind}-`));
  let db = openDatabase(dataDir);
  let store = open(db);
  const others: Database.Database[] = [];
  return {
    store,
    get db() {
      return db;
    },
    async reopen() {
      await store.close();
      db.close();
      db = openDatabase(dataDir);
      store = open(db);
      return store;
    },
    async openAnother() {
      const otherDb = openDatabase(dataDir);
      others.push(otherDb);
      return open(otherDb);
    },
    async cleanup() {
      await store.close();
      for (const otherDb of others) otherDb.close();
      db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A store on the file's Redis under a fresh key prefix; every store it connected is closed by `cleanup`. */
export async function redisStoreFixture<S extends Closable>(
  redis: ReturnType<typeof redisForThisFile>,
  connect: (options: { url: string; keyPrefix: string }) => Promise<S>,
): Promise<DurableStoreFixture<S>> {
  const { url } = await redis.server();
  const keyPrefix = redis.freshPrefix();
  let store = await connect({ url, keyPrefix });
  const others: S[] = [];
  return {
    store,
    async reopen() {
      await store.close();
      store = await connect({ url, keyPrefix });
      return store;
    },
    async openAnother() {
      const another = await connect({ url, keyPrefix });
      others.push(another);
      return another;
    },
    async cleanup() {
      await Promise.all([store.close(), ...others.map((another) => another.close())]);
    },
  };
}
