import type { MailOutbox, NewOutboxMessage, OutboxMessage, OutboxStatus } from '../account-store.js';
import { SqliteStore } from './sqlite-store.js';

interface OutboxRow {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  headers: string;
  created_at: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_attempt_at: string | null;
  last_error: string | null;
  sent_at: string | null;
}

function fromRow(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    kind: row.kind,
    to: row.recipient,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    headers: JSON.parse(row.headers) as Record<string, string>,
    createdAt: row.created_at,
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastError: row.last_error,
    sentAt: row.sent_at,
  };
}

/** The e-mail outbox in SQLite. Times are ISO strings, which sort as the times they name. */
export class SqliteMailOutbox extends SqliteStore implements MailOutbox {
  async enqueue(message: NewOutboxMessage): Promise<void> {
    this.sql(
      'INSERT INTO mail_outbox (id, kind, recipient, subject, text_body, html_body, headers, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(message.id, message.kind, message.to, message.subject, message.text, message.html, JSON.stringify(message.headers), message.createdAt, message.createdAt);
  }

  async getMessage(id: string): Promise<OutboxMessage | undefined> {
    const row = this.sql('SELECT * FROM mail_outbox WHERE id = ?').get(id) as OutboxRow | undefined;
    return row && fromRow(row);
  }

  async claimDue(now: string, leaseUntil: string, limit: number): Promise<OutboxMessage[]> {
    // IMMEDIATE: two processes on the same file cannot both read a message as due.
    return this.db.transaction(() => {
      const rows = this.sql("SELECT * FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?").all(now, limit) as OutboxRow[];
      for (const row of rows) this.sql('UPDATE mail_outbox SET next_attempt_at = ? WHERE id = ?').run(leaseUntil, row.id);
      return rows.map((row) => ({ ...fromRow(row), nextAttemptAt: leaseUntil }));
    }).immediate();
  }

  async recordSent(id: string, at: string): Promise<void> {
    this.sql("UPDATE mail_outbox SET status = 'sent', sent_at = ?, last_attempt_at = ?, attempts = attempts + 1 WHERE id = ?").run(at, at, id);
  }

  async recordFailure(id: string, at: string, error: string, retryAt: string | null): Promise<void> {
    this.sql('UPDATE mail_outbox SET status = ?, attempts = attempts + 1, last_attempt_at = ?, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?').run(
      retryAt === null ? 'failed' : 'pending',
      at,
      error,
      retryAt,
      id,
    );
  }

  async listFailures(limit: number): Promise<OutboxMessage[]> {
    const rows = this.sql("SELECT * FROM mail_outbox WHERE last_error IS NOT NULL AND status != 'sent' ORDER BY last_attempt_at DESC, rowid DESC LIMIT ?").all(limit) as OutboxRow[];
    return rows.map(fromRow);
  }
}
