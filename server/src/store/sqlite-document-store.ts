import { open, type FileHandle } from 'node:fs/promises';
import type Database from 'better-sqlite3';
import type { DocumentStore, StoredDocument, StoredSummary } from './document-store.js';
import { pingDatabase } from './sqlite-database.js';

/** SQLite's `PRAGMA synchronous` levels this store tells apart. */
const SYNCHRONOUS_NORMAL = 1;
const SYNCHRONOUS_FULL = 2;

/**
 * The embedded `DocumentStore`: an update log and a snapshot per document, in SQLite.
 *
 * Appends are as durable as the database's `synchronous` setting makes its writes, but with `FULL`
 * (the server's default) the wait for the disk does not hold the event loop: better-sqlite3 runs a
 * commit's fsync on the calling thread, and on a busy disk one fsync per stored batch took 4 to
 * 20 ms, every batch, during which no frame of any board was read or sent (the tail of the fan-out
 * swung with the disk). So an append commits without the fsync (`synchronous = NORMAL` for that
 * transaction) and resolves only once the write-ahead log has been fsynced on the thread pool:
 * what is in the log at that moment, the append included, is on disk, as `FULL` would have made
 * it. Compactions and summaries need no fsync of their own: losing one to a power cut leaves the
 * updates it folded, or an older summary, which the next one replaces.
 */
export class SqliteDocumentStore implements DocumentStore {
  readonly #db: Database.Database;
  readonly #statements;
  /** The `synchronous` level the database was opened with, restored after each write made without fsync. */
  readonly #synchronous: number;
  /** Whether the database keeps a write-ahead log, the file an append's fsync is for. */
  readonly #walMode: boolean;
  /**
   * The write-ahead log's file handle (`FULL` and up, on a file), opened with the store so that the
   * server holds the same descriptors from its start on; opened again at the next append if that failed.
   */
  #wal: Promise<FileHandle> | null = null;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#synchronous = db.pragma('synchronous', { simple: true }) as number;
    this.#walMode = !db.memory && db.pragma('journal_mode', { simple: true }) === 'wal';
    this.#statements = {
      snapshot: db.prepare<[string], { data: Buffer; through_seq: number; schema_version: number | null }>(
        'SELECT data, through_seq, schema_version FROM doc_snapshots WHERE doc = ?',
      ),
      // Append and compact only need the sequence number: reading `data` too would copy the whole
      // snapshot (megabytes for a large board) out of SQLite on every append.
      snapshotThroughSeq: db.prepare<[string], { through_seq: number }>('SELECT through_seq FROM doc_snapshots WHERE doc = ?'),
      updatesAfter: db.prepare<[string, number], { seq: number; data: Buffer }>('SELECT seq, data FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq'),
      lastSeq: db.prepare<[string], { seq: number | null }>('SELECT MAX(seq) AS seq FROM doc_updates WHERE doc = ?'),
      insertUpdate: db.prepare<[string, number, Uint8Array]>('INSERT INTO doc_updates (doc, seq, data) VALUES (?, ?, ?)'),
      upsertSnapshot: db.prepare<[string, Uint8Array, number, number | null]>(
        'INSERT INTO doc_snapshots (doc, data, through_seq, schema_version) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT(doc) DO UPDATE SET data = excluded.data, through_seq = excluded.through_seq, schema_version = excluded.schema_version',
      ),
      deleteUpdatesThrough: db.prepare<[string, number]>('DELETE FROM doc_updates WHERE doc = ? AND seq <= ?'),
      deleteUpdates: db.prepare<[string]>('DELETE FROM doc_updates WHERE doc = ?'),
      deleteSnapshot: db.prepare<[string]>('DELETE FROM doc_snapshots WHERE doc = ?'),
      // A summary built from an older state than the stored one's leaves it in place.
      upsertSummary: db.prepare<[string, string, number]>(
        'INSERT INTO doc_summaries (doc, data, through_seq) VALUES (?, ?, ?) ' +
          'ON CONFLICT(doc) DO UPDATE SET data = excluded.data, through_seq = excluded.through_seq WHERE excluded.through_seq >= doc_summaries.through_seq',
      ),
      summary: db.prepare<[string], { data: string; through_seq: number }>('SELECT data, through_seq FROM doc_summaries WHERE doc = ?'),
      deleteSummary: db.prepare<[string]>('DELETE FROM doc_summaries WHERE doc = ?'),
      // UNION removes duplicates: a document with a snapshot and updates is listed once.
      names: db.prepare<[], { doc: string }>('SELECT doc FROM doc_snapshots UNION SELECT doc FROM doc_updates'),
    };
    if (this.#fsyncsWal()) this.#openWal();
  }

  /** The write-ahead log's handle, opening it if needed; a failed open is forgotten, to be tried again. */
  #openWal(): Promise<FileHandle> {
    if (this.#wal) return this.#wal;
    const wal = open(`${this.#db.name}-wal`, 'r');
    this.#wal = wal;
    wal.catch(() => {
      if (this.#wal === wal) this.#wal = null;
    });
    return wal;
  }

  async load(docName: string): Promise<StoredDocument> {
    return this.#db.transaction(() => {
      const snapshot = this.#statements.snapshot.get(docName);
      const throughSeq = snapshot?.through_seq ?? 0;
      const rows = this.#statements.updatesAfter.all(docName, throughSeq);
      const updates = rows.map((row) => new Uint8Array(row.data));
      if (snapshot) updates.unshift(new Uint8Array(snapshot.data));
      const lastSeq = Math.max(throughSeq, rows.at(-1)?.seq ?? 0);
      return { updates, lastSeq, pendingUpdates: rows.length, snapshotSchemaVersion: snapshot?.schema_version ?? null };
    })();
  }

  async append(docName: string, update: Uint8Array): Promise<number> {
    if (!this.#fsyncsWal()) return this.#appendNow(docName, update);
    const seq = this.#withoutFsync(() => this.#appendNow(docName, update));
    // A failure is the append's (the room then drops its state, as for any failed write); the next one opens the file again.
    await (await this.#openWal()).sync();
    return seq;
  }

  /** Whether appends are fsynced here, off the event loop: a database on a file in WAL mode, opened with `FULL` or `EXTRA`. */
  #fsyncsWal(): boolean {
    return this.#synchronous >= SYNCHRONOUS_FULL && this.#walMode;
  }

  /** Runs one write transaction committed without waiting for the disk (`synchronous = NORMAL`), then restores the database's level. */
  #withoutFsync<T>(write: () => T): T {
    if (this.#synchronous <= SYNCHRONOUS_NORMAL || !this.#walMode) return write();
    this.#db.pragma(`synchronous = ${SYNCHRONOUS_NORMAL}`);
    try {
      return write();
    } finally {
      this.#db.pragma(`synchronous = ${this.#synchronous}`);
    }
  }

  #appendNow(docName: string, update: Uint8Array): number {
    return this.#db.transaction(() => {
      // The snapshot's through_seq counts too: compaction may have removed every logged update.
      const fromLog = this.#statements.lastSeq.get(docName)?.seq ?? 0;
      const fromSnapshot = this.#statements.snapshotThroughSeq.get(docName)?.through_seq ?? 0;
      const seq = Math.max(fromLog, fromSnapshot) + 1;
      this.#statements.insertUpdate.run(docName, seq, update);
      return seq;
    }).immediate();
  }

  async compact(docName: string, snapshot: Uint8Array, throughSeq: number, schemaVersion: number | null = null): Promise<void> {
    // Without an fsync: a compaction lost to a power cut leaves the updates it folded in place.
    this.#withoutFsync(() => this.#compactNow(docName, snapshot, throughSeq, schemaVersion));
  }

  #compactNow(docName: string, snapshot: Uint8Array, throughSeq: number, schemaVersion: number | null): void {
    this.#db.transaction(() => {
      // A compaction older than the stored snapshot would drop updates that snapshot holds.
      const current = this.#statements.snapshotThroughSeq.get(docName)?.through_seq ?? 0;
      if (current >= throughSeq && current > 0) return;
      this.#statements.upsertSnapshot.run(docName, snapshot, throughSeq, schemaVersion);
      this.#statements.deleteUpdatesThrough.run(docName, throughSeq);
    }).immediate();
  }

  async putSummary(docName: string, summary: string, throughSeq: number): Promise<void> {
    this.#withoutFsync(() => this.#statements.upsertSummary.run(docName, summary, throughSeq));
  }

  async loadSummary(docName: string): Promise<StoredSummary | null> {
    const row = this.#statements.summary.get(docName);
    return row ? { summary: row.data, throughSeq: row.through_seq } : null;
  }

  async delete(docName: string): Promise<void> {
    this.#db.transaction(() => {
      this.#statements.deleteUpdates.run(docName);
      this.#statements.deleteSnapshot.run(docName);
      this.#statements.deleteSummary.run(docName);
    })();
  }

  async list(): Promise<string[]> {
    return this.#statements.names.all().map((row) => row.doc);
  }

  async ping(): Promise<void> {
    pingDatabase(this.#db);
  }

  async close(): Promise<void> {
    // The database is owned by whoever opened it; only the log's file handle is ours.
    const wal = this.#wal;
    this.#wal = null;
    await (await wal?.catch(() => null))?.close();
  }
}
