/** Runs the `DocumentStore` contract over every implementation. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryDocumentStore } from '../../server/src/store/memory-document-store.js';
import { openDatabase } from '../../server/src/store/sqlite-database.js';
import { SqliteDocumentStore } from '../../server/src/store/sqlite-document-store.js';
import { describeDocumentStoreContract, type DocumentStoreFixture } from './document-store.contract.js';

async function memoryStore(): Promise<DocumentStoreFixture> {
  const store = new MemoryDocumentStore();
  return { store, cleanup: () => store.close() };
}

/** A SQLite store in a fresh directory; `reopen` closes the database and opens the same files again. */
async function sqliteStore(): Promise<DocumentStoreFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'passerelle-document-store-'));
  let db = openDatabase(dataDir);
  let store = new SqliteDocumentStore(db);
  return {
    store,
    async reopen() {
      await store.close();
      db.close();
      db = openDatabase(dataDir);
      store = new SqliteDocumentStore(db);
      return store;
    },
    async cleanup() {
      await store.close();
      db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const implementations: { name: string; factory: () => Promise<DocumentStoreFixture> }[] = [
  { name: 'MemoryDocumentStore', factory: memoryStore },
  { name: 'SqliteDocumentStore', factory: sqliteStore },
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
