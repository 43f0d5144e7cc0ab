/** Runs the `DocumentStore` contract over every implementation. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { MemoryDocumentStore } from '../../server/src/store/memory-document-store.js';
import { RedisDocumentStore } from '../../server/src/store/redis-document-store.js';
import { openDatabase } from '../../server/src/store/sqlite-database.js';
import { SqliteDocumentStore } from '../../server/src/store/sqlite-document-store.js';
import { openInspector, redisForThisFile } from '../helpers/redis-fixture.js';
import { redisStoreFixture, sqliteStoreFixture } from '../helpers/store-fixture.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { describeDocumentStoreContract, type DocumentStoreFixture } from './document-store.contract.js';

async function memoryStore(): Promise<DocumentStoreFixture> {
  const store = new MemoryDocumentStore();
  return { store, cleanup: () => store.close() };
}

/** One real redis-server (AOF on) for this file; each fixture gets its own key prefix. */
const redis = redisForThisFile();
const { server: sharedRedis, freshPrefix } = redis;

const implementations: { name: string; factory: () => Promise<DocumentStoreFixture> }[] = [
  { name: 'MemoryDocumentStore', factory: memoryStore },
  // A fresh directory; `reopen` closes the database and opens the same files again.
  { name: 'SqliteDocumentStore', factory: () => sqliteStoreFixture('document-store', (db) => new SqliteDocumentStore(db)) },
  // A fresh key prefix; `reopen` closes the client and opens a new one on the same server.
  { name: 'RedisDocumentStore', factory: () => redisStoreFixture(redis, (options) => RedisDocumentStore.connect(options)) },
];

describe.each(implementations)('$name', ({ name, factory }) => {
  describeDocumentStoreContract(name, factory);
});

describe('SqliteDocumentStore durability without a clean close', () => {
  it('has an append on disk when it resolves: a second connection opened meanwhile reads it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'passerelle-document-store-'));
    const writerDb = openDatabase(dataDir);
    try {
      const writer = new SqliteDocumentStore(writerDb);
      await writer.append('board', Uint8Array.from([1, 2, 3]));
      // The writer is never closed: a second process opening the files is what a restart after a
      // crash looks like, and what it reads must already be committed.
      const readerDb = openDatabase(dataDir);
      try {
        const loaded = await new SqliteDocumentStore(readerDb).load('board');
        expect(loaded.updates.map((update) => Array.from(update))).toEqual([[1, 2, 3]]);
        expect(loaded.lastSeq).toBe(1);
      } finally {
        readerDb.close();
      }
    } finally {
      writerDb.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('SqliteDocumentStore on a database opened with synchronous=FULL', () => {
  it('has each append, made while other work goes on, on disk when it resolves, and leaves the database at FULL for every other write', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'passerelle-document-store-'));
    const writerDb = openDatabase(dataDir, { synchronous: 'FULL' });
    try {
      const writer = new SqliteDocumentStore(writerDb);
      const seqs = await Promise.all([1, 2, 3].map((value) => writer.append('board', Uint8Array.from([value]))));
      await writer.compact('board', Uint8Array.from([9]), 2, 3);
      await writer.putSummary('board', '{"columns":[]}', 2);
      expect(seqs).toEqual([1, 2, 3]);
      expect(writerDb.pragma('synchronous', { simple: true })).toBe(2);
      const readerDb = openDatabase(dataDir);
      try {
        const loaded = await new SqliteDocumentStore(readerDb).load('board');
        expect(loaded.updates.map((update) => Array.from(update))).toEqual([[9], [3]]);
        expect(loaded.lastSeq).toBe(3);
      } finally {
        readerDb.close();
      }
      await writer.close();
    } finally {
      writerDb.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

/** An update from its own Y.Doc (its own client) that adds `item` to the `items` array. */
function itemUpdate(item: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getArray<string>('items').push([item]);
  return Y.encodeStateAsUpdate(doc);
}

/** The items a fresh Y.Doc holds after applying `updates`, sorted. */
function itemsOf(updates: Uint8Array[]): string[] {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getArray<string>('items').toArray().sort();
}

const itemNames = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);

/**
 * Compacts as a process that does not hold every update in memory must: from what the store holds.
 * `buildMs` stands for the time building the snapshot takes, during which other processes go on.
 */
async function compactFromStore(store: RedisDocumentStore, docName: string, buildMs = 0): Promise<void> {
  const loaded = await store.load(docName);
  const snapshot = Y.mergeUpdates(loaded.updates);
  if (buildMs > 0) await sleep(buildMs);
  await store.compact(docName, snapshot, loaded.lastSeq);
}

describe('RedisDocumentStore shared by several processes', () => {
  // Two stores on the same Redis and key prefix stand for two Passerelle processes.
  async function twoProcesses(): Promise<[RedisDocumentStore, RedisDocumentStore]> {
    const { url } = await sharedRedis();
    const keyPrefix = freshPrefix();
    return [await RedisDocumentStore.connect({ url, keyPrefix }), await RedisDocumentStore.connect({ url, keyPrefix })];
  }

  it('gives appends from two processes to one document distinct sequence numbers with no gap', async () => {
    const [first, second] = await twoProcesses();
    try {
      const seqs = await Promise.all([
        ...itemNames('first', 50).map((item) => first.append('board', itemUpdate(item))),
        ...itemNames('second', 50).map((item) => second.append('board', itemUpdate(item))),
      ]);
      expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(itemsOf((await first.load('board')).updates)).toEqual([...itemNames('first', 50), ...itemNames('second', 50)].sort());
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('loses no update when two processes compact the same document concurrently while both keep appending', async () => {
    const [first, second] = await twoProcesses();
    try {
      // Each process appends its items one at a time while, alongside, it compacts over and over,
      // taking a few milliseconds to build each snapshot: compactions of the two processes overlap
      // each other and the appends, and many finish after a newer one (and must then be ignored).
      const appending = (store: RedisDocumentStore, prefix: string) => async () => {
        for (const item of itemNames(prefix, 60)) await store.append('board', itemUpdate(item));
      };
      const compactingUntil = (store: RedisDocumentStore, done: Promise<unknown>, buildMs: number[]) => async () => {
        let finished = false;
        void done.then(() => (finished = true));
        for (let round = 0; !finished; round++) await compactFromStore(store, 'board', buildMs[round % buildMs.length]);
      };
      const appends = Promise.all([appending(first, 'first')(), appending(second, 'second')()]);
      await Promise.all([appends, compactingUntil(first, appends, [1, 4, 2])(), compactingUntil(second, appends, [3, 1, 5, 2])()]);

      const loaded = await second.load('board');
      expect(loaded.lastSeq).toBe(120);
      expect(itemsOf(loaded.updates)).toEqual([...itemNames('first', 60), ...itemNames('second', 60)].sort());
      expect(loaded.pendingUpdates).toBeLessThan(120);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('keeps the newer snapshot when a process compacts from an older read after another compacted', async () => {
    const [first, second] = await twoProcesses();
    try {
      for (const item of itemNames('early', 3)) await first.append('board', itemUpdate(item));
      const staleRead = await first.load('board');
      for (const item of itemNames('late', 2)) await second.append('board', itemUpdate(item));
      await compactFromStore(second, 'board');
      // The first process finishes its compaction last, from the read made before the late items.
      await first.compact('board', Y.mergeUpdates(staleRead.updates), staleRead.lastSeq);

      const loaded = await first.load('board');
      expect(loaded).toMatchObject({ lastSeq: 5, pendingUpdates: 0 });
      expect(itemsOf(loaded.updates)).toEqual([...itemNames('early', 3), ...itemNames('late', 2)].sort());
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('keeps a document in three keys under the prefix with the name as hash tag, as docs/redis.md describes', async () => {
    const { url } = await sharedRedis();
    const keyPrefix = freshPrefix();
    const store = await RedisDocumentStore.connect({ url, keyPrefix });
    const inspector = await openInspector(url);
    try {
      await store.append('board-7/internal', itemUpdate('a'));
      await store.append('board-7/internal', itemUpdate('b'));
      await compactFromStore(store, 'board-7/internal');
      const base = `${keyPrefix}doc:{board-7/internal}:`;
      expect((await inspector.keys(`${keyPrefix}*`)).sort()).toEqual([`${base}seq`, `${base}snapshot`, `${base}updates`]);
      expect([await inspector.type(`${base}seq`), await inspector.type(`${base}snapshot`), await inspector.type(`${base}updates`)]).toEqual([
        'string',
        'hash',
        'stream',
      ]);

      await store.delete('board-7/internal');
      expect(await inspector.keys(`${keyPrefix}*`)).toEqual([]);
    } finally {
      inspector.destroy();
      await store.close();
    }
  });

  it('rejects connect with a clear error when Redis cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there.
    await expect(RedisDocumentStore.connect({ url: 'redis://127.0.0.1:1', initialConnectAttempts: 2 })).rejects.toThrow(
      /could not connect to Redis after 2 attempts/,
    );
  });
});

describe('RedisDocumentStore durability across a Redis restart (AOF)', () => {
  let redis: RedisServer | undefined;

  afterEach(async () => {
    await redis?.stop();
    redis = undefined;
  });

  it('has every acknowledged update, the snapshot and the sequence after Redis shuts down and starts on the same directory', async () => {
    redis = await startRedisServer();
    const writer = await RedisDocumentStore.connect({ url: redis.url });
    try {
      for (const item of itemNames('before', 10)) await writer.append('board', itemUpdate(item));
      await compactFromStore(writer, 'board');
      await Promise.all(itemNames('after', 10).map((item) => writer.append('board', itemUpdate(item))));
      await writer.append('board/internal', itemUpdate('budget'));

      await redis.restart('shutdown');

      const reader = await RedisDocumentStore.connect({ url: redis.url });
      try {
        const loaded = await reader.load('board');
        expect(loaded).toMatchObject({ lastSeq: 20, pendingUpdates: 10 });
        expect(itemsOf(loaded.updates)).toEqual([...itemNames('before', 10), ...itemNames('after', 10)].sort());
        expect(itemsOf((await reader.load('board/internal')).updates)).toEqual(['budget']);
        expect(await reader.append('board', itemUpdate('next'))).toBe(21);
      } finally {
        await reader.close();
      }

      // The store that was open across the restart reconnects by itself.
      await vi.waitFor(() => writer.append('board', itemUpdate('reconnected')), { timeout: 10_000, interval: 100 });
      expect(itemsOf((await writer.load('board')).updates)).toContain('reconnected');
    } finally {
      await writer.close();
    }
  });

  it('has every acknowledged update after Redis is killed (SIGKILL) when it fsyncs each write (appendfsync always)', async () => {
    redis = await startRedisServer();
    const writer = await RedisDocumentStore.connect({ url: redis.url });
    const acknowledged: string[] = [];
    try {
      await Promise.all(
        itemNames('edit', 100).map(async (item) => {
          await writer.append('board', itemUpdate(item));
          acknowledged.push(item);
        }),
      );
      await redis.restart('kill');
    } finally {
      await writer.close();
    }

    const reader = await RedisDocumentStore.connect({ url: redis.url });
    try {
      const loaded = await reader.load('board');
      expect(acknowledged).toHaveLength(100);
      expect(itemsOf(loaded.updates)).toEqual(acknowledged.sort());
      expect(loaded.lastSeq).toBe(100);
    } finally {
      await reader.close();
    }
  });
});
