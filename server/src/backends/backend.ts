import type { Logger } from 'pino';
import type { ServerOptions } from 'socket.io';
import type { SetupLinkRegistry } from '../auth/auth-service.js';
import type { LoginLimiter } from '../auth/login-limiter.js';
import type { ResetLimiter } from '../auth/password-reset.js';
import type { Pingable } from '../http/readiness.js';
import type { MeetingStateStore } from '../meeting/meeting-state-store.js';
import type { AccountStores } from '../store/account-store.js';
import type { SearchIndex } from '../search/search-index.js';
import type { DocumentStore } from '../store/document-store.js';
import type { DocumentFanout } from '../sync/fanout.js';
import type { VersionStore } from '../versions/index.js';
import type { WebhookStore } from '../webhooks/webhook-store.js';

/**
 * Where a server keeps its state and how it reaches the other processes serving the same
 * workspace: every store, the fan-out and the socket.io adapter, built together by one factory
 * (`createEmbeddedBackend` or `createRedisBackend`) and closed together by `close()`.
 */
export interface Backend {
  /** `embedded`: one process, SQLite on the data directory; `redis`: any number of processes sharing one Redis. */
  readonly kind: 'embedded' | 'redis';
  /**
   * True when other processes may serve the same workspace at the same time: access changes are
   * announced to them, and only the process that created the first administrator seeds the demo.
   */
  readonly clustered: boolean;
  readonly documents: DocumentStore;
  /** People, boards and their access, invitations and guests, activity: one store per concern, closed together. */
  readonly accounts: AccountStores;
  readonly versions: VersionStore;
  /** The search index (SQLite FTS5 in the database, or shared in Redis), kept by `SearchIndexer`. */
  readonly search: SearchIndex;
  /** Webhooks and their persistent delivery queue (`server/src/webhooks/`). */
  readonly webhooks: WebhookStore;
  /** Meetings' shared state; without it each process keeps its meetings in memory. */
  readonly meetingState?: MeetingStateStore;
  /** Live updates between processes; without it a board's room only has this process's clients. */
  readonly fanout?: DocumentFanout;
  /** socket.io's adapter, so that events reach clients connected to any process; without it, the in-memory one. */
  readonly socketIoAdapter?: ServerOptions['adapter'];
  /** Counts failed sign-ins (across processes when clustered). */
  readonly loginLimiter: LoginLimiter;
  /** Counts password reset requests (across processes when clustered). */
  readonly resetLimiter: ResetLimiter;
  /** How starting processes agree on one setup link; without it each process makes its own. */
  readonly setupLinks?: SetupLinkRegistry;
  /** What `/readyz` asks, by name, in the order it names failing parts. */
  readonly readiness: Readonly<Record<string, Pingable | undefined>>;
  /**
   * Closes every store and connection, the stores that others write through last. Call it after
   * every connection ended and every board was stored.
   */
  close(): Promise<void>;
}

/** What a backend factory is given besides the configuration. */
export interface BackendParts {
  logger: Logger;
  /** Stores a caller supplies instead of the backend's own (tests, tools); they are closed with the backend. */
  documents?: DocumentStore;
  accounts?: AccountStores;
  search?: SearchIndex;
}
