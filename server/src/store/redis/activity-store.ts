import type { AppNotification, AuditEvent, AuditEventType, HistoryEntry } from '@passerelle/shared';
import type { ActivityStore, NewAuditEvent } from '../account-store.js';
import { storedAuditEvent, storedHistoryEntry, storedNotification } from '../stored-records.js';
import { storedJsonFields, type StoredRecord } from '../stored-values.js';
import { pairsOf, compareText, type AccountsKeyspace } from './accounts-keyspace.js';

/** Reads one entry of a numbered log (the audit log, a board's history): its JSON, numbered by the log. */
function logEntry<T>(record: StoredRecord<T>, what: string, id: string, json: string): T {
  return record.fromFields({ ...storedJsonFields(json, what, id), id: Number(id) });
}

/** `ZRANGE ... BYSCORE REV LIMIT` bounds for "ids below `before`, newest first, at most `limit`" (SQLite: LIMIT < 0 is all). */
function pageOf(query: { before?: number; limit: number }) {
  return {
    max: query.before === undefined ? '+inf' : `(${query.before}`,
    count: query.limit < 0 ? -1 : query.limit,
  };
}

/** The audit log, notifications and board history in Redis. */
export class RedisActivityStore implements ActivityStore {
  readonly #ks: AccountsKeyspace;

  constructor(keyspace: AccountsKeyspace) {
    this.#ks = keyspace;
  }

  // ---- Audit log, notifications, history ----------------------------------------------------------

  async recordAudit(event: NewAuditEvent): Promise<void> {
    const stored = {
      at: event.at ?? new Date().toISOString(),
      type: event.type,
      actorId: event.actorId,
      actorName: event.actorName,
      target: event.target,
      details: event.details,
      ip: event.ip,
    };
    await this.#ks.run('APPEND_LOG', [this.#ks.key('seq', 'audit'), this.#ks.key('audit', 'events'), this.#ks.key('audit')], [this.#ks.key('audit', 'type', ''), event.type, JSON.stringify(stored)]);
  }

  async listAudit(query: { type?: AuditEventType; before?: number; limit: number }): Promise<AuditEvent[]> {
    const index = query.type === undefined ? this.#ks.key('audit') : this.#ks.key('audit', 'type', query.type);
    const ids = await this.#newestIds(index, query);
    if (ids.length === 0) return [];
    const stored = await this.#ks.client.hmGet(this.#ks.key('audit', 'events'), ids);
    return ids.flatMap((id, i) => (typeof stored[i] === 'string' ? [logEntry(storedAuditEvent, 'audit event', id, stored[i])] : []));
  }

  /** Ids of a numbered log below `before`, newest first, at most `limit`. */
  async #newestIds(index: string, query: { before?: number; limit: number }): Promise<string[]> {
    if (query.limit === 0) return [];
    await this.#ks.connected;
    const { max, count } = pageOf(query);
    return this.#ks.client.zRange(index, max, '-inf', { BY: 'SCORE', REV: true, LIMIT: { offset: 0, count } });
  }

  async createNotification(userId: string, n: AppNotification): Promise<void> {
    const status = await this.#ks.run(
      'CREATE_NOTIFICATION',
      [this.#ks.key('user', userId), this.#ks.key('notification', n.id), this.#ks.key('user', userId, 'notifications'), this.#ks.key('user', userId, 'notifications', 'unread')],
      [
        n.id,
        `${n.at}\u0000${n.id}`,
        n.readAt === null ? '1' : '0',
        ...pairsOf({
          id: n.id,
          kind: n.kind,
          at: n.at,
          boardId: n.boardId,
          boardTitle: n.boardTitle,
          cardId: n.cardId,
          subject: n.subject,
          actorId: n.actorId,
          actorName: n.actorName,
          excerpt: n.excerpt,
          readAt: n.readAt,
        }),
      ],
    );
    this.#ks.check(status, [`user ${userId}`], `notification ${n.id}`);
  }

  async listNotifications(userId: string, limit: number): Promise<AppNotification[]> {
    if (limit === 0) return [];
    const members = (await this.#ks.run('NEWEST_NOTIFICATIONS', [this.#ks.key('user', userId, 'notifications')], [String(limit < 0 ? -1 : limit)])) as string[];
    const ids = members.map((member) => member.slice(member.indexOf('\u0000') + 1));
    const notifications = (await this.#ks.records(ids, (id) => this.#ks.key('notification', id))).map(storedNotification.fromFields);
    // ORDER BY at DESC, id: newest first, and among those of one instant by id.
    const ordered = notifications.sort((a, b) => compareText(b.at, a.at) || compareText(a.id, b.id));
    return limit < 0 ? ordered : ordered.slice(0, limit);
  }

  async countUnreadNotifications(userId: string): Promise<number> {
    await this.#ks.connected;
    return this.#ks.client.sCard(this.#ks.key('user', userId, 'notifications', 'unread'));
  }

  async markNotificationsRead(userId: string, ids: string[] | null, at: string): Promise<void> {
    // An empty list marks none (the script reads "no ids" as all).
    if (ids !== null && ids.length === 0) return;
    await this.#ks.run('MARK_READ', [this.#ks.key('user', userId, 'notifications', 'unread')], [at, ...(ids ?? [])]);
  }

  async appendHistory(boardId: string, entries: Omit<HistoryEntry, 'id'>[]): Promise<void> {
    if (entries.length === 0) return;
    const args = entries.flatMap((e) => [
      e.cardId === null ? '' : e.cardId,
      JSON.stringify({ at: e.at, actorId: e.actorId, actorName: e.actorName, cardId: e.cardId, subjectKind: e.subjectKind, subject: e.subject, action: e.action, fields: e.fields, coActors: e.coActors }),
    ]);
    await this.#ks.run(
      'APPEND_LOG',
      [this.#ks.key('seq', 'history'), this.#ks.key('history', boardId, 'entries'), this.#ks.key('history', boardId)],
      [this.#ks.key('history', boardId, 'card', ''), ...args],
    );
  }

  async listHistory(boardId: string, query: { cardId?: string; before?: number; limit: number }): Promise<HistoryEntry[]> {
    const index = query.cardId === undefined ? this.#ks.key('history', boardId) : this.#ks.key('history', boardId, 'card', query.cardId);
    const ids = await this.#newestIds(index, query);
    if (ids.length === 0) return [];
    const stored = await this.#ks.client.hmGet(this.#ks.key('history', boardId, 'entries'), ids);
    return ids.flatMap((id, i) => (typeof stored[i] === 'string' ? [logEntry(storedHistoryEntry, 'history entry', id, stored[i])] : []));
  }
}
