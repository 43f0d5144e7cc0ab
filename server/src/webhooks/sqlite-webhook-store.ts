import type Database from 'better-sqlite3';
import { WebhookEvent, WebhookScope, type WebhookDeliveryStatus, type WebhookDeliveryView } from '@passerelle/shared';
import type { NewWebhookDelivery, WebhookDelivery, WebhookRecord, WebhookStore } from './webhook-store.js';

/**
 * The store's own tables, created when missing: they reference no other table (a webhook outlives
 * the person who registered it, and a board's webhooks are removed by the board's deletion
 * through the service), so they need no place in the database's numbered migrations.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    scope TEXT NOT NULL,
    events TEXT NOT NULL,
    internal INTEGER NOT NULL,
    active INTEGER NOT NULL,
    secret TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_attempt_at TEXT,
    last_status INTEGER,
    last_error TEXT
  );
  CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
  CREATE INDEX IF NOT EXISTS webhook_deliveries_log ON webhook_deliveries(webhook_id, created_at);
`;

interface WebhookRow {
  id: string;
  url: string;
  description: string;
  scope: string;
  events: string;
  internal: number;
  active: number;
  secret: string;
  created_by: string;
  created_at: string;
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event: string;
  body: string;
  created_at: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
}

function webhookOf(row: WebhookRow): WebhookRecord {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    scope: WebhookScope.parse(JSON.parse(row.scope)),
    events: (JSON.parse(row.events) as unknown[]).flatMap((event) => (WebhookEvent.safeParse(event).success ? [event as WebhookEvent] : [])),
    internal: row.internal === 1,
    active: row.active === 1,
    secret: row.secret,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function deliveryOf(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    event: WebhookEvent.catch('ping').parse(row.event),
    body: row.body,
    createdAt: row.created_at,
    status: row.status as WebhookDeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
  };
}

/** Webhooks and their deliveries in SQLite (the server's database). Times are ISO strings, which sort as the times they name. */
export class SqliteWebhookStore implements WebhookStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
    db.exec(SCHEMA);
  }

  async createWebhook(webhook: WebhookRecord): Promise<void> {
    this.#db
      .prepare('INSERT INTO webhooks (id, url, description, scope, events, internal, active, secret, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(webhook.id, webhook.url, webhook.description, JSON.stringify(webhook.scope), JSON.stringify(webhook.events), webhook.internal ? 1 : 0, webhook.active ? 1 : 0, webhook.secret, webhook.createdBy, webhook.createdAt);
  }

  async getWebhook(id: string): Promise<WebhookRecord | undefined> {
    const row = this.#db.prepare('SELECT * FROM webhooks WHERE id = ?').get(id) as WebhookRow | undefined;
    return row && webhookOf(row);
  }

  async listWebhooks(): Promise<WebhookRecord[]> {
    return (this.#db.prepare('SELECT * FROM webhooks ORDER BY created_at, rowid').all() as WebhookRow[]).map(webhookOf);
  }

  async updateWebhook(id: string, patch: Parameters<WebhookStore['updateWebhook']>[1]): Promise<WebhookRecord | undefined> {
    const current = await this.getWebhook(id);
    if (!current) return undefined;
    const next = { ...current, ...patch };
    this.#db
      .prepare('UPDATE webhooks SET url = ?, description = ?, events = ?, internal = ?, active = ? WHERE id = ?')
      .run(next.url, next.description, JSON.stringify(next.events), next.internal ? 1 : 0, next.active ? 1 : 0, id);
    return next;
  }

  async deleteWebhook(id: string): Promise<boolean> {
    return this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM webhook_deliveries WHERE webhook_id = ?').run(id);
      return this.#db.prepare('DELETE FROM webhooks WHERE id = ?').run(id).changes > 0;
    })();
  }

  async enqueue(delivery: NewWebhookDelivery): Promise<void> {
    this.#db
      .prepare('INSERT INTO webhook_deliveries (id, webhook_id, event, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(delivery.id, delivery.webhookId, delivery.event, delivery.body, delivery.createdAt, delivery.createdAt);
  }

  async claimDue(now: string, leaseUntil: string, limit: number): Promise<WebhookDelivery[]> {
    // IMMEDIATE: two processes on the same file cannot both read a delivery as due.
    return this.#db
      .transaction(() => {
        const rows = this.#db.prepare("SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, rowid LIMIT ?").all(now, limit) as DeliveryRow[];
        for (const row of rows) this.#db.prepare('UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?').run(leaseUntil, row.id);
        return rows.map((row) => ({ ...deliveryOf(row), nextAttemptAt: leaseUntil }));
      })
      .immediate();
  }

  async recordDelivered(id: string, at: string, status: number): Promise<void> {
    this.#db.prepare("UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_attempt_at = ?, last_status = ?, last_error = NULL WHERE id = ?").run(at, status, id);
  }

  async recordFailure(id: string, at: string, failure: { status: number | null; error: string }, retryAt: string | null): Promise<void> {
    this.#db
      .prepare('UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_attempt_at = ?, last_status = ?, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?')
      .run(retryAt === null ? 'failed' : 'pending', at, failure.status, failure.error, retryAt, id);
  }

  async listDeliveries(webhookId: string, limit: number): Promise<WebhookDeliveryView[]> {
    const rows = this.#db.prepare('SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?').all(webhookId, limit) as DeliveryRow[];
    return rows.map((row) => {
      const { body: _body, ...view } = deliveryOf(row);
      return view;
    });
  }

  async close(): Promise<void> {}
}
