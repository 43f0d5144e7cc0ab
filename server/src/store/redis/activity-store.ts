import type { AppNotification, AuditEvent, AuditEventType, HistoryEntry, NotificationKind } from '@passerelle/shared';
import type { ActivityStore, NewAuditEvent } from '../account-store.js';
import { objectOf, storedObject, stringOrNull, stringsOf } from '../stored-values.js';
import { nullable, pairsOf, required, compareText, type AccountsKeyspace, type Fields } from './accounts-keyspace.js';

function toNotification(fields: Fields): AppNotification {
  return {
    id: required(fields, 'id', 'notification'),
    // As stored, like the SQLite store: the kind was validated when the notification was made.
    kind: required(fields, 'kind', 'notification') as NotificationKind,
    at: required(fields, 'at', 'notification'),
    boardId: required(fields, 'boardId', 'notification'),
    boardTitle: required(fields, 'boardTitle', 'notification'),
    cardId: nullable(fields, 'cardId'),
    subject: required(fields, 'subject', 'notification'),
    actorId: nullable(fields, 'actorId'),
    actorName: nullable(fields, 'actorName'),
    excerpt: required(fields, 'excerpt', 'notification'),
    readAt: nullable(fields, 'readAt'),
  };
}

/** Reads one audit event written by `recordAudit`. */
function toAuditEvent(id: number, json: string): AuditEvent {
  const stored = storedObject(json);
  const details = objectOf(stored.details) as AuditEvent['details'];
  return {
    id,
    at: String(stored.at ?? ''),
    // As stored, like the SQLite store: the type was one of AuditEventType when it was recorded.
    type: stored.type as AuditEventType,
    actorId: stringOrNull(stored.actorId),
    actorName: stringOrNull(stored.actorName),
    target: stringOrNull(stored.target),
    details,
    ip: stringOrNull(stored.ip),
  };
}

/** Reads one history entry written by `appendHistory`. */
function toHistoryEntry(id: number, json: string): HistoryEntry {
  const stored = storedObject(json);
  return {
    id,
    at: String(stored.at ?? ''),
    actorId: String(stored.actorId ?? ''),
    actorName: String(stored.actorName ?? ''),
    cardId: stringOrNull(stored.cardId),
    subjectKind: stored.subjectKind as HistoryEntry['subjectKind'],
    subject: String(stored.subject ?? ''),
    action: stored.action as HistoryEntry['action'],
    fields: stringsOf(stored.fields),
  };
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
    return ids.flatMap((id, i) => (typeof stored[i] === 'string' ? [toAuditEvent(Number(id), stored[i])] : []));
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
    const notifications = (await this.#ks.records(ids, (id) => this.#ks.key('notification', id))).map(toNotification);
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
      JSON.stringify({ at: e.at, actorId: e.actorId, actorName: e.actorName, cardId: e.cardId, subjectKind: e.subjectKind, subject: e.subject, action: e.action, fields: e.fields }),
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
    return ids.flatMap((id, i) => (typeof stored[i] === 'string' ? [toHistoryEntry(Number(id), stored[i])] : []));
  }
}
