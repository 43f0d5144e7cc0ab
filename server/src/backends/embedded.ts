import { LoginLimiter } from '../auth/login-limiter.js';
import { ResetLimiter } from '../auth/password-reset.js';
import type { Config } from '../config.js';
import Database from 'better-sqlite3';
import { SqliteSearchIndex } from '../search/sqlite-search-index.js';
import { WalCheckpointer } from '../store/sqlite-checkpointer.js';
import { SqliteWebhookStore } from '../webhooks/sqlite-webhook-store.js';
import { openDatabase } from '../store/sqlite-database.js';
import { SqliteAccountStores } from '../store/sqlite-account-store.js';
import { SqliteDocumentStore } from '../store/sqlite-document-store.js';
import { MemoryVersionStore, SqliteVersionStore, type VersionStore } from '../versions/index.js';
import type { Backend, BackendParts } from './backend.js';

/**
 * One process with everything in one SQLite database in the data directory; meetings, socket.io
 * rooms and sign-in counts live in memory. When a caller supplies both the documents and the
 * accounts, no database is opened and versions are kept in memory.
 */
export function createEmbeddedBackend(config: Pick<Config, 'dataDir' | 'sqliteSynchronous'>, parts: BackendParts): Backend {
  const database = parts.accounts && parts.documents ? null : openDatabase(config.dataDir, { synchronous: config.sqliteSynchronous });
  // Checkpoints of the database's log off the event loop (`sqlite-checkpointer.ts`).
  const checkpointer = database ? new WalCheckpointer(database, parts.logger) : null;
  const documents = parts.documents ?? new SqliteDocumentStore(database!);
  const accounts = parts.accounts ?? new SqliteAccountStores(database!);
  const versions: VersionStore = database ? new SqliteVersionStore(database) : new MemoryVersionStore();
  // Without the database (stores supplied by the caller), the index lives in memory, as versions do.
  const searchDatabase = parts.search || database ? null : new Database(':memory:');
  const search = parts.search ?? new SqliteSearchIndex((database ?? searchDatabase)!);
  // Without the server's database (tests that bring their own stores), webhooks live in memory.
  const webhookDatabase = database ? null : new Database(':memory:');
  const webhooks = new SqliteWebhookStore((database ?? webhookDatabase)!);
  return {
    kind: 'embedded',
    clustered: false,
    documents,
    accounts,
    versions,
    search,
    webhooks,
    loginLimiter: new LoginLimiter(),
    resetLimiter: new ResetLimiter(),
    readiness: { documents, accounts, versions },
    async close() {
      await documents.close();
      await accounts.close();
      await versions.close();
      await search.close();
      searchDatabase?.close();
      await checkpointer?.stop();
      await webhooks.close();
      webhookDatabase?.close();
      database?.close();
    },
  };
}
