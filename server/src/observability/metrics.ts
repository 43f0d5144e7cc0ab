/**
 * The server's metrics, in the Prometheus text format (`GET /metrics`, `server/src/http/metrics.ts`).
 *
 * Each server (`createApp`) owns its registry, never prom-client's global one, so that servers
 * started side by side in one process (tests, tools) count apart. Process metrics (CPU, memory,
 * event loop lag, garbage collection, descriptors) are the process's: they are collected once per
 * process, in a registry of their own that every server's scrape includes, because what
 * prom-client starts for them (a GC observer, an event loop delay monitor) cannot be stopped, and
 * a server that closes must leave nothing running behind it.
 *
 * The sync rooms report on their hot path: there a counter is a number added to a field (copied
 * into prom-client when scraped) and a histogram one observation; the rest (open boards, live
 * connections, meetings) is read from its owner when scraped.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The kind of document a sync path names, by its name (`board`, `internal`, `workspace`, ...): the
 * kinds are described in `server/src/documents/` (`DOCUMENT_KINDS`), and the metrics label
 * documents by whichever kinds the sync endpoint counts, so a new kind needs nothing here.
 */
export type SyncDocumentKind = string;

/** Where a document update applied in a room came from: a sync connection, the server itself (API, meetings, guards, migrations), or another process (Redis mode). */
export type UpdateSource = 'client' | 'server' | 'remote';

/** Why a sign-in failed: a wrong email or password, or an attempt refused while throttled (`server/src/auth/login-limiter.ts`). */
export type LoginFailure = 'invalid_credentials' | 'too_many_attempts';

/** What the sync endpoint and its rooms record. Every method is cheap enough for the path of each update. */
export interface SyncMetrics {
  /** One document update applied in a room. */
  updateReceived(source: UpdateSource): void;
  /** Update messages handed to connections by one fan-out. */
  updatesRelayed(messages: number): void;
  /** Time from an update's arrival in its room to the last message of the fan-out that relayed it, in seconds. */
  fanoutDelay(seconds: number): void;
  /** Duration of one append to the document store (a fan-out's batch), in seconds. */
  storeAppend(seconds: number): void;
  /** A document's update log folded into a snapshot. */
  compaction(): void;
  /** A sync connection turned away or closed by the server, with its close code. */
  connectionRefused(code: number): void;
}

/** Records nothing: for rooms and sync servers built without metrics. */
export const NO_SYNC_METRICS: SyncMetrics = {
  updateReceived() {},
  updatesRelayed() {},
  fanoutDelay() {},
  storeAppend() {},
  compaction() {},
  connectionRefused() {},
};

/** What is read when scraped, from the parts that own it; each part is added once it exists. */
export interface MetricsSources {
  /** Documents loaded in memory (rooms), by kind: every kind, those with none at zero. */
  openDocuments(): Record<SyncDocumentKind, number>;
  /** Admitted sync connections, by the kind of document they sync: every kind, those with none at zero. */
  syncConnections(): Record<SyncDocumentKind, number>;
  /** Connected socket.io sockets. */
  socketIoConnections(): number;
  /** Meetings running that someone attends through this process, and the sockets attending them. */
  meetings(): { running: number; attendees: number };
}

const LOGIN_FAILURES: readonly LoginFailure[] = ['invalid_credentials', 'too_many_attempts'];

/**
 * Fan-out delay buckets (seconds): a quiet board relays within a millisecond or two plus the store's
 * append (an fsync with SQLite's FULL), a busy one waits for its pacing (`MAX_FANOUT_INTERVAL_MS`,
 * 25 ms); beyond a quarter of a second people notice.
 */
const FANOUT_DELAY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Store append buckets (seconds): from a page-cache write to a slow disk's fsync or a distant Redis. */
const STORE_APPEND_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/**
 * A metric its owner keeps and this reads when scraped: one number, or numbers by the value of one
 * label (as many as its owner names: a document kind, an update's source; none before the owner
 * is there). A counter's number is the total so far, a gauge's the value now.
 */
function scraped(
  type: 'counter' | 'gauge',
  registers: Registry[],
  metric: { name: string; help: string; label?: string; read: () => number | Readonly<Record<string, number>> | undefined },
): void {
  const { name, help, label, read } = metric;
  const record = (into: Counter<string> | Gauge<string>, labels: Record<string, string>, value: number) => {
    if (type === 'counter') (into as Counter<string>).inc(labels, value);
    else (into as Gauge<string>).set(labels, value);
  };
  const collect = function (this: Counter<string> | Gauge<string>) {
    this.reset();
    const value = read();
    if (typeof value === 'number') record(this, {}, value);
    else for (const [labelValue, count] of Object.entries(value ?? {})) record(this, { [label!]: labelValue }, count);
  };
  const configuration = { name, help, registers, labelNames: label === undefined ? [] : [label], collect };
  if (type === 'counter') new Counter(configuration);
  else new Gauge(configuration);
}

let processRegistry: Registry | null = null;

/** The process metrics (prom-client's default set, under its usual names), collected from the first call on. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The metrics of one server: its registry, what its parts record, and what it reads when scraped. */
export class Metrics {
  /** What a scrape returns: this server's metrics and the process's. */
  readonly registry: Registry;
  readonly sync: SyncMetrics;
  readonly #sources: Partial<MetricsSources> = {};
  /** Counts kept as plain numbers on the hot path, copied into their counters when scraped. */
  readonly #received: Record<UpdateSource, number> = { client: 0, server: 0, remote: 0 };
  #relayed = 0;
  #compactions = 0;
  readonly #loginFailures: Counter<'reason'>;
  readonly #refused: Counter<'code'>;

  constructor() {
    const own = new Registry();
    const registers = [own];
    const received = this.#received;
    scraped('counter', registers, {
      name: 'passerelle_sync_updates_received_total',
      help: 'Document updates applied in a room, by source: client (a sync connection), server (API, meetings, guards, migrations), remote (another process, Redis mode).',
      label: 'source',
      read: () => received,
    });
    scraped('counter', registers, {
      name: 'passerelle_sync_updates_relayed_total',
      help: 'Update messages sent to sync connections: one per connection per fan-out, each carrying the updates of that fan-out merged.',
      read: () => this.#relayed,
    });
    const fanoutDelay = new Histogram({
      name: 'passerelle_sync_fanout_delay_seconds',
      help: "Time from a document update's arrival in its room to the last message of the fan-out relaying it (the store's append included).",
      buckets: FANOUT_DELAY_BUCKETS,
      registers,
    });
    const storeAppend = new Histogram({
      name: 'passerelle_store_append_duration_seconds',
      help: 'Duration of one append of a batch of updates to the document store (SQLite, or Redis in Redis mode).',
      buckets: STORE_APPEND_BUCKETS,
      registers,
    });
    scraped('counter', registers, {
      name: 'passerelle_sync_compactions_total',
      help: "Compactions: a document's update log folded into one snapshot (past COMPACT_THRESHOLD, after a migration, on unload).",
      read: () => this.#compactions,
    });
    this.#refused = new Counter({
      name: 'passerelle_sync_connections_refused_total',
      help: 'Sync connections the server turned away or closed, by close code: at admission (4400, 4401, 4403, 4404, 1011, 1012), for what they sent (4400, 4413, 4429, 1009), for falling behind (1013), when access ended or changed (4410, 4001).',
      labelNames: ['code'],
      registers,
    });
    this.#loginFailures = new Counter({
      name: 'passerelle_login_failures_total',
      help: 'Failed sign-ins, by reason: invalid_credentials (unknown email or wrong password), too_many_attempts (refused while throttled).',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of LOGIN_FAILURES) this.#loginFailures.inc({ reason }, 0);

    const sources = this.#sources;
    scraped('gauge', registers, {
      name: 'passerelle_open_boards',
      help: 'Documents loaded in memory with their sync room, by kind: board, internal (a board\'s internal document), workspace (partners, agreements, mobility).',
      label: 'kind',
      read: () => sources.openDocuments?.(),
    });
    scraped('gauge', registers, {
      name: 'passerelle_sync_connections',
      help: 'Live sync (y-websocket) connections, by the kind of document they sync: board, internal, workspace.',
      label: 'kind',
      read: () => sources.syncConnections?.(),
    });
    scraped('gauge', registers, {
      name: 'passerelle_socketio_connections',
      help: 'Connected socket.io clients (board lists, notifications, meetings).',
      read: () => sources.socketIoConnections?.() ?? 0,
    });
    scraped('gauge', registers, {
      name: 'passerelle_meetings_running',
      help: 'Meetings running with at least one participant connected to this process.',
      read: () => sources.meetings?.().running ?? 0,
    });
    scraped('gauge', registers, {
      name: 'passerelle_meeting_participants',
      help: "socket.io connections of this process that joined a board's meeting (running, or not started yet).",
      read: () => sources.meetings?.().attendees ?? 0,
    });

    this.registry = Registry.merge([own, processMetrics()]);
    const refused = this.#refused;
    this.sync = {
      updateReceived: (source) => {
        received[source] += 1;
      },
      updatesRelayed: (messages) => {
        this.#relayed += messages;
      },
      fanoutDelay: (seconds) => fanoutDelay.observe(seconds),
      storeAppend: (seconds) => storeAppend.observe(seconds),
      compaction: () => {
        this.#compactions += 1;
      },
      // Rare (a refusal), so the label's lookup is no concern here.
      connectionRefused: (code) => refused.inc({ code: String(code) }),
    };
  }

  /** Adds what is read when scraped; a part not given yet reads as zero. */
  observe(sources: Partial<MetricsSources>): void {
    Object.assign(this.#sources, sources);
  }

  /** A failed sign-in. */
  loginFailed(reason: LoginFailure): void {
    this.#loginFailures.inc({ reason });
  }

  /** The content type of a scrape: the Prometheus text format, version 0.0.4. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric, in the Prometheus text format. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
