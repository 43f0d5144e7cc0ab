/**
 * Checkpoints of the embedded database's write-ahead log, run on a thread of their own. SQLite runs
 * a checkpoint by default inside the commit that grows the log past 1,000 pages: it copies the log
 * into the database file and fsyncs both, on the committing thread, which is the server's event
 * loop. On a busy disk that took from tens of milliseconds to seconds, every few thousand stored
 * batches, during which no board's frame was read or sent. Here the server's connection never
 * checkpoints (`wal_autocheckpoint = 0`) and a worker thread, with its own connection, runs a
 * PASSIVE checkpoint every `intervalMs`: it never waits for the server's writers, which keep
 * appending to the log meanwhile.
 *
 * Should the worker stop, the connection checkpoints by itself again, as SQLite does by default.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';

/** How often the worker checkpoints (default 1 s): at a board's pace of stored batches the log stays a few hundred pages. */
export const CHECKPOINT_INTERVAL_MS = 1_000;

/** SQLite's default `wal_autocheckpoint`, restored when the worker is gone. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1_000;

// The server is bundled into one file: the worker is a script given as text, CommonJS, loading
// better-sqlite3 from where this module resolves it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ failed: String(error && error.message) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export class WalCheckpointer {
  readonly #db: Database.Database;
  readonly #worker: Worker;
  #stopped = false;

  /** Starts checkpointing `db` (a file database in WAL mode) from a worker thread. */
  constructor(db: Database.Database, logger: Pick<Logger, 'warn' | 'error'>, intervalMs = CHECKPOINT_INTERVAL_MS) {
    this.#db = db;
    db.pragma('wal_autocheckpoint = 0');
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path: db.name, intervalMs } });
    this.#worker.on('message', (message: { failed?: string }) => {
      if (message.failed) logger.warn({ reason: message.failed }, 'checkpoint of the database log failed; the next one tries again');
    });
    this.#worker.on('error', (error) => {
      logger.error({ err: error }, 'database checkpoints stopped; the server checkpoints as it writes');
      this.#fallBack();
    });
    this.#worker.on('exit', () => this.#fallBack());
    // The process does not stay up for the checkpoints alone.
    this.#worker.unref();
  }

  /** Runs a last checkpoint and stops the worker (before the database closes). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const exited = new Promise((resolve) => this.#worker.once('exit', resolve));
    // Kept alive until its last checkpoint is done.
    this.#worker.ref();
    this.#worker.postMessage('stop');
    await exited;
  }

  /** The worker is gone: the connection checkpoints as it writes again, unless the database is closing. */
  #fallBack(): void {
    if (this.#stopped || !this.#db.open) return;
    this.#stopped = true;
    this.#db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  }
}
