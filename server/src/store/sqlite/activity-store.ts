import type { AppNotification, AuditEvent, AuditEventType, HistoryEntry } from '@passerelle/shared';
import type { ActivityStore, NewAuditEvent } from '../account-store.js';
import { storedAuditEvent, storedHistoryEntry, storedNotification } from '../stored-records.js';
import { SqliteStore } from './sqlite-store.js';

/** The audit log, notifications and board history in SQLite. */
export class SqliteActivityStore extends SqliteStore implements ActivityStore {
  async recordAudit(event: NewAuditEvent): Promise<void> {
    this.sql('INSERT INTO audit_events (at, type, actor_id, actor_name, target, details, ip) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      event.at ?? new Date().toISOString(), event.type, event.actorId, event.actorName, event.target, JSON.stringify(event.details), event.ip,
    );
  }

  async listAudit(query: { type?: AuditEventType; before?: number; limit: number }): Promise<AuditEvent[]> {
    return this.rows(
      storedAuditEvent,
      'SELECT * FROM audit_events WHERE (? IS NULL OR type = ?) AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?',
      query.type ?? null, query.type ?? null, query.before ?? null, query.before ?? null, query.limit,
    );
  }

  async createNotification(userId: string, n: AppNotification): Promise<void> {
    this.sql(
      'INSERT INTO notifications (id, user_id, kind, at, board_id, board_title, card_id, subject, actor_id, actor_name, excerpt, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(n.id, userId, n.kind, n.at, n.boardId, n.boardTitle, n.cardId, n.subject, n.actorId, n.actorName, n.excerpt, n.readAt);
  }

  async listNotifications(userId: string, limit: number): Promise<AppNotification[]> {
    return this.rows(storedNotification, 'SELECT * FROM notifications WHERE user_id = ? ORDER BY at DESC, id LIMIT ?', userId, limit);
  }

  async countUnreadNotifications(userId: string): Promise<number> {
    return (this.sql('SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL').get(userId) as { n: number }).n;
  }

  async markNotificationsRead(userId: string, ids: string[] | null, at: string): Promise<void> {
    if (ids === null) {
      this.sql('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(at, userId);
      return;
    }
    const mark = this.sql('UPDATE notifications SET read_at = ? WHERE user_id = ? AND id = ? AND read_at IS NULL');
    this.db.transaction(() => {
      for (const id of ids) mark.run(at, userId, id);
    })();
  }

  async appendHistory(boardId: string, entries: Omit<HistoryEntry, 'id'>[]): Promise<void> {
    const insert = this.sql(
      'INSERT INTO board_history (board_id, at, actor_id, actor_name, card_id, subject_kind, subject, action, fields, co_actors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const e of entries) insert.run(boardId, e.at, e.actorId, e.actorName, e.cardId, e.subjectKind, e.subject, e.action, JSON.stringify(e.fields), JSON.stringify(e.coActors));
    })();
  }

  async listHistory(boardId: string, query: { cardId?: string; before?: number; limit: number }): Promise<HistoryEntry[]> {
    return this.rows(
      storedHistoryEntry,
      'SELECT * FROM board_history WHERE board_id = ? AND (? IS NULL OR card_id = ?) AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?',
      boardId, query.cardId ?? null, query.cardId ?? null, query.before ?? null, query.before ?? null, query.limit,
    );
  }
}
