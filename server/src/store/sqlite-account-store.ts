import type Database from 'better-sqlite3';
import {
  BoardRole,
  Department,
  GuestRole,
  WorkspaceAccess,
  type ApiTokenSummary,
  type AppNotification,
  type AuditEvent,
  type AuditEventType,
  type BoardSummary,
  type HistoryEntry,
  type Locale,
  type NotificationKind,
} from '@passerelle/shared';
import {
  EmailTakenError,
  type AccountStore,
  type BoardAccessRecord,
  type GuestInviteRecord,
  type GuestRecord,
  type InvitationRecord,
  type NewAuditEvent,
  type UserRecord,
} from './account-store.js';
import { pingDatabase } from './sqlite-database.js';

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  is_admin: number;
  locale: string | null;
  departments: string;
  created_at: string;
  deactivated_at: string | null;
}

interface BoardRow {
  id: string;
  title: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  name: row.name,
  passwordHash: row.password_hash,
  isAdmin: row.is_admin === 1,
  locale: row.locale === 'fr' || row.locale === 'en' ? row.locale : null,
  departments: parseDepartments(row.departments),
  createdAt: row.created_at,
  deactivatedAt: row.deactivated_at,
});

const asLocale = (value: string | null): Locale | null => (value === 'fr' || value === 'en' ? value : null);

interface InvitationRow {
  id: string;
  token_hash: string;
  email: string;
  departments: string;
  is_admin: number;
  created_by: string;
  created_by_name: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

const toInvitation = (row: InvitationRow): InvitationRecord => ({
  id: row.id,
  tokenHash: row.token_hash,
  email: row.email,
  departments: parseDepartments(row.departments),
  isAdmin: row.is_admin === 1,
  createdBy: row.created_by,
  createdByName: row.created_by_name ?? '',
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  acceptedAt: row.accepted_at,
  revokedAt: row.revoked_at,
});

interface GuestInviteRow {
  id: string;
  board_id: string;
  token_hash: string;
  role: string;
  label: string;
  created_by: string;
  created_by_name: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  guest_count: number;
}

const toGuestInvite = (row: GuestInviteRow): GuestInviteRecord => ({
  id: row.id,
  boardId: row.board_id,
  tokenHash: row.token_hash,
  // An unknown stored role grants the least.
  role: GuestRole.safeParse(row.role).data ?? 'viewer',
  label: row.label,
  createdBy: row.created_by,
  createdByName: row.created_by_name ?? '',
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  guestCount: row.guest_count,
});

interface GuestRow {
  id: string;
  invite_id: string;
  name: string;
  organisation: string | null;
  locale: string | null;
  joined_at: string;
  revoked_at: string | null;
}

const toGuest = (row: GuestRow): GuestRecord => ({
  id: row.id,
  inviteId: row.invite_id,
  name: row.name,
  organisation: row.organisation,
  locale: asLocale(row.locale),
  joinedAt: row.joined_at,
  revokedAt: row.revoked_at,
});

const GUEST_INVITE_SELECT = `
  SELECT gi.*, u.name AS created_by_name, (SELECT COUNT(*) FROM guests g WHERE g.invite_id = gi.id) AS guest_count
  FROM guest_invites gi LEFT JOIN users u ON u.id = gi.created_by`;

/** A JSON object of scalars as stored; anything else reads as empty. */
function parseDetails(json: string): AuditEvent['details'] {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as AuditEvent['details']) : {};
  } catch {
    return {};
  }
}

function parseStrings(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** Departments as stored (a JSON array); unknown values are dropped rather than trusted. */
function parseDepartments(json: string): Department[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((d): d is Department => Department.safeParse(d).success) : [];
  } catch {
    return [];
  }
}

const toBoard = (row: BoardRow): BoardSummary => ({
  id: row.id,
  title: row.title,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The embedded `AccountStore`, in the same SQLite database as the documents. */
export class SqliteAccountStore implements AccountStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  async countUsers(): Promise<number> {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  #insertUser(user: UserRecord): void {
    try {
      this.#db
        .prepare('INSERT INTO users (id, email, name, password_hash, is_admin, locale, departments, created_at, deactivated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(user.id, user.email, user.name, user.passwordHash, user.isAdmin ? 1 : 0, user.locale, JSON.stringify(user.departments), user.createdAt, user.deactivatedAt);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new EmailTakenError();
      throw error;
    }
  }

  async createUser(user: UserRecord): Promise<void> {
    this.#insertUser(user);
  }

  async createFirstUser(user: UserRecord): Promise<boolean> {
    // IMMEDIATE: two concurrent setups cannot both see an empty table.
    return this.#db.transaction(() => {
      const { n } = this.#db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number };
      if (n > 0) return false;
      this.#insertUser(user);
      return true;
    }).immediate();
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    const row = this.#db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined;
    return row && toUser(row);
  }

  async findUserById(id: string): Promise<UserRecord | undefined> {
    const row = this.#db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  async updateUser(
    id: string,
    patch: { name?: string; locale?: Locale | null; departments?: Department[]; isAdmin?: boolean; deactivatedAt?: string | null },
  ): Promise<UserRecord | undefined> {
    // One transaction: a patch applies whole or not at all.
    this.#db.transaction(() => {
      if (patch.departments !== undefined) {
        this.#db.prepare('UPDATE users SET departments = ? WHERE id = ?').run(JSON.stringify([...new Set(patch.departments)]), id);
      }
      if (patch.name !== undefined) this.#db.prepare('UPDATE users SET name = ? WHERE id = ?').run(patch.name, id);
      if (patch.locale !== undefined) this.#db.prepare('UPDATE users SET locale = ? WHERE id = ?').run(patch.locale, id);
      if (patch.isAdmin !== undefined) this.#db.prepare('UPDATE users SET is_admin = ? WHERE id = ?').run(patch.isAdmin ? 1 : 0, id);
      if (patch.deactivatedAt !== undefined) this.#db.prepare('UPDATE users SET deactivated_at = ? WHERE id = ?').run(patch.deactivatedAt, id);
    })();
    return this.findUserById(id);
  }

  /** Sessions, tokens, board roles and notifications follow the row (ON DELETE CASCADE). */
  async deleteImportedUser(id: string): Promise<boolean> {
    return this.#db.prepare('DELETE FROM users WHERE id = ?').run(id).changes > 0;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (this.#db.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map(toUser);
  }

  async createSession(tokenHash: string, userId: string, expiresAt: string): Promise<void> {
    this.#db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, userId, new Date().toISOString(), expiresAt);
  }

  async findSession(tokenHash: string): Promise<{ userId: string; expiresAt: string } | undefined> {
    const row = this.#db.prepare('SELECT user_id, expires_at FROM sessions WHERE token_hash = ?').get(tokenHash) as
      | { user_id: string; expires_at: string }
      | undefined;
    return row && { userId: row.user_id, expiresAt: row.expires_at };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.#db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    this.#db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }

  async createApiToken(token: { id: string; userId: string; name: string; tokenHash: string; createdAt: string }): Promise<void> {
    this.#db
      .prepare('INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(token.id, token.userId, token.name, token.tokenHash, token.createdAt);
  }

  async findApiToken(tokenHash: string): Promise<{ id: string; userId: string } | undefined> {
    const row = this.#db.prepare('SELECT id, user_id FROM api_tokens WHERE token_hash = ?').get(tokenHash) as
      | { id: string; user_id: string }
      | undefined;
    return row && { id: row.id, userId: row.user_id };
  }

  async touchApiToken(id: string, usedAt: string): Promise<void> {
    this.#db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(usedAt, id);
  }

  async listApiTokens(userId: string): Promise<ApiTokenSummary[]> {
    const rows = this.#db
      .prepare('SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY created_at')
      .all(userId) as { id: string; name: string; created_at: string; last_used_at: string | null }[];
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at }));
  }

  async deleteApiToken(userId: string, id: string): Promise<boolean> {
    return this.#db.prepare('DELETE FROM api_tokens WHERE id = ? AND user_id = ?').run(id, userId).changes > 0;
  }

  async createBoard(board: BoardSummary): Promise<void> {
    this.#db
      .prepare('INSERT INTO boards (id, title, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(board.id, board.title, board.createdBy, board.createdAt, board.updatedAt);
  }

  async getBoard(id: string): Promise<BoardSummary | undefined> {
    const row = this.#db.prepare('SELECT * FROM boards WHERE id = ?').get(id) as BoardRow | undefined;
    return row && toBoard(row);
  }

  async listBoards(): Promise<BoardSummary[]> {
    return (this.#db.prepare('SELECT * FROM boards ORDER BY updated_at DESC').all() as BoardRow[]).map(toBoard);
  }

  async renameBoard(id: string, title: string, updatedAt: string): Promise<BoardSummary | undefined> {
    this.#db.prepare('UPDATE boards SET title = ?, updated_at = ? WHERE id = ?').run(title, updatedAt, id);
    return this.getBoard(id);
  }

  async deleteBoard(id: string): Promise<boolean> {
    return this.#db.prepare('DELETE FROM boards WHERE id = ?').run(id).changes > 0;
  }

  async getBoardAccess(boardId: string): Promise<BoardAccessRecord | undefined> {
    const board = this.#db.prepare('SELECT workspace_access FROM boards WHERE id = ?').get(boardId) as { workspace_access: string } | undefined;
    if (!board) return undefined;
    const members = this.#db.prepare('SELECT user_id, role FROM board_members WHERE board_id = ?').all(boardId) as { user_id: string; role: string }[];
    return {
      workspaceAccess: WorkspaceAccess.safeParse(board.workspace_access).data ?? 'none',
      members: members.flatMap((m) => {
        const role = BoardRole.safeParse(m.role);
        return role.success ? [{ userId: m.user_id, role: role.data }] : [];
      }),
    };
  }

  async workspaceAccessOf(boardIds: readonly string[]): Promise<Map<string, WorkspaceAccess>> {
    const rows = this.#db
      .prepare('SELECT id, workspace_access FROM boards WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(boardIds)) as { id: string; workspace_access: string }[];
    return new Map(rows.map((row) => [row.id, WorkspaceAccess.safeParse(row.workspace_access).data ?? 'none']));
  }

  async setWorkspaceAccess(boardId: string, access: WorkspaceAccess): Promise<void> {
    this.#db.prepare('UPDATE boards SET workspace_access = ? WHERE id = ?').run(access, boardId);
  }

  async setBoardMember(boardId: string, userId: string, role: BoardRole | null): Promise<void> {
    if (role === null) this.#db.prepare('DELETE FROM board_members WHERE board_id = ? AND user_id = ?').run(boardId, userId);
    else {
      this.#db
        .prepare('INSERT INTO board_members (board_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT (board_id, user_id) DO UPDATE SET role = excluded.role')
        .run(boardId, userId, role);
    }
  }

  async boardRolesOf(userId: string): Promise<Map<string, BoardRole>> {
    const rows = this.#db.prepare('SELECT board_id, role FROM board_members WHERE user_id = ?').all(userId) as { board_id: string; role: string }[];
    const roles = new Map<string, BoardRole>();
    for (const row of rows) {
      const role = BoardRole.safeParse(row.role);
      if (role.success) roles.set(row.board_id, role.data);
    }
    return roles;
  }

  async createInvitation(invitation: Omit<InvitationRecord, 'createdByName'>): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO invitations (id, token_hash, email, departments, is_admin, created_by, created_at, expires_at, accepted_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        invitation.id,
        invitation.tokenHash,
        invitation.email,
        JSON.stringify(invitation.departments),
        invitation.isAdmin ? 1 : 0,
        invitation.createdBy,
        invitation.createdAt,
        invitation.expiresAt,
        invitation.acceptedAt,
        invitation.revokedAt,
      );
  }

  #invitationWhere(where: string, ...params: unknown[]): InvitationRow[] {
    return this.#db
      .prepare(`SELECT i.*, u.name AS created_by_name FROM invitations i LEFT JOIN users u ON u.id = i.created_by ${where}`)
      .all(...params) as InvitationRow[];
  }

  async findInvitationByToken(tokenHash: string): Promise<InvitationRecord | undefined> {
    const [row] = this.#invitationWhere('WHERE i.token_hash = ?', tokenHash);
    return row && toInvitation(row);
  }

  async listInvitations(): Promise<InvitationRecord[]> {
    return this.#invitationWhere('ORDER BY i.created_at DESC').map(toInvitation);
  }

  async acceptInvitation(id: string, at: string): Promise<boolean> {
    return this.#db.prepare('UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL').run(at, id).changes > 0;
  }

  async revokeInvitation(id: string, at: string): Promise<boolean> {
    return this.#db.prepare('UPDATE invitations SET revoked_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL').run(at, id).changes > 0;
  }

  async createGuestInvite(invite: Omit<GuestInviteRecord, 'createdByName' | 'guestCount'>): Promise<void> {
    this.#db
      .prepare('INSERT INTO guest_invites (id, board_id, token_hash, role, label, created_by, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(invite.id, invite.boardId, invite.tokenHash, invite.role, invite.label, invite.createdBy, invite.createdAt, invite.expiresAt, invite.revokedAt);
  }

  async findGuestInviteByToken(tokenHash: string): Promise<GuestInviteRecord | undefined> {
    const row = this.#db.prepare(`${GUEST_INVITE_SELECT} WHERE gi.token_hash = ?`).get(tokenHash) as GuestInviteRow | undefined;
    return row && toGuestInvite(row);
  }

  async getGuestInvite(id: string): Promise<GuestInviteRecord | undefined> {
    const row = this.#db.prepare(`${GUEST_INVITE_SELECT} WHERE gi.id = ?`).get(id) as GuestInviteRow | undefined;
    return row && toGuestInvite(row);
  }

  async listGuestInvites(boardId: string): Promise<GuestInviteRecord[]> {
    return (this.#db.prepare(`${GUEST_INVITE_SELECT} WHERE gi.board_id = ? ORDER BY gi.created_at DESC`).all(boardId) as GuestInviteRow[]).map(toGuestInvite);
  }

  async revokeGuestInvite(id: string, at: string): Promise<boolean> {
    return this.#db.prepare('UPDATE guest_invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0;
  }

  async createGuest(guest: GuestRecord): Promise<void> {
    this.#db
      .prepare('INSERT INTO guests (id, invite_id, name, organisation, locale, joined_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(guest.id, guest.inviteId, guest.name, guest.organisation, guest.locale, guest.joinedAt, guest.revokedAt);
  }

  async getGuest(id: string): Promise<GuestRecord | undefined> {
    const row = this.#db.prepare('SELECT * FROM guests WHERE id = ?').get(id) as GuestRow | undefined;
    return row && toGuest(row);
  }

  async listGuests(boardId: string): Promise<GuestRecord[]> {
    const rows = this.#db
      .prepare('SELECT g.* FROM guests g JOIN guest_invites gi ON gi.id = g.invite_id WHERE gi.board_id = ? ORDER BY g.joined_at DESC')
      .all(boardId) as GuestRow[];
    return rows.map(toGuest);
  }

  async revokeGuest(id: string, at: string): Promise<boolean> {
    return this.#db.prepare('UPDATE guests SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0;
  }

  async createGuestSession(tokenHash: string, guestId: string): Promise<void> {
    this.#db.prepare('INSERT INTO guest_sessions (token_hash, guest_id, created_at) VALUES (?, ?, ?)').run(tokenHash, guestId, new Date().toISOString());
  }

  async findGuestSession(tokenHash: string): Promise<{ guestId: string } | undefined> {
    const row = this.#db.prepare('SELECT guest_id FROM guest_sessions WHERE token_hash = ?').get(tokenHash) as { guest_id: string } | undefined;
    return row && { guestId: row.guest_id };
  }

  async deleteGuestSession(tokenHash: string): Promise<void> {
    this.#db.prepare('DELETE FROM guest_sessions WHERE token_hash = ?').run(tokenHash);
  }

  async recordAudit(event: NewAuditEvent): Promise<void> {
    this.#db
      .prepare('INSERT INTO audit_events (at, type, actor_id, actor_name, target, details, ip) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(event.at ?? new Date().toISOString(), event.type, event.actorId, event.actorName, event.target, JSON.stringify(event.details), event.ip);
  }

  async listAudit(query: { type?: AuditEventType; before?: number; limit: number }): Promise<AuditEvent[]> {
    const rows = this.#db
      .prepare(
        `SELECT * FROM audit_events WHERE (? IS NULL OR type = ?) AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?`,
      )
      .all(query.type ?? null, query.type ?? null, query.before ?? null, query.before ?? null, query.limit) as {
      id: number;
      at: string;
      type: AuditEventType;
      actor_id: string | null;
      actor_name: string | null;
      target: string | null;
      details: string;
      ip: string | null;
    }[];
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      type: row.type,
      actorId: row.actor_id,
      actorName: row.actor_name,
      target: row.target,
      details: parseDetails(row.details),
      ip: row.ip,
    }));
  }

  async createNotification(userId: string, n: AppNotification): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO notifications (id, user_id, kind, at, board_id, board_title, card_id, subject, actor_id, actor_name, excerpt, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(n.id, userId, n.kind, n.at, n.boardId, n.boardTitle, n.cardId, n.subject, n.actorId, n.actorName, n.excerpt, n.readAt);
  }

  async listNotifications(userId: string, limit: number): Promise<AppNotification[]> {
    const rows = this.#db.prepare('SELECT * FROM notifications WHERE user_id = ? ORDER BY at DESC, id LIMIT ?').all(userId, limit) as {
      id: string;
      kind: NotificationKind;
      at: string;
      board_id: string;
      board_title: string;
      card_id: string | null;
      subject: string;
      actor_id: string | null;
      actor_name: string | null;
      excerpt: string;
      read_at: string | null;
    }[];
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      at: row.at,
      boardId: row.board_id,
      boardTitle: row.board_title,
      cardId: row.card_id,
      subject: row.subject,
      actorId: row.actor_id,
      actorName: row.actor_name,
      excerpt: row.excerpt,
      readAt: row.read_at,
    }));
  }

  async countUnreadNotifications(userId: string): Promise<number> {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL').get(userId) as { n: number }).n;
  }

  async markNotificationsRead(userId: string, ids: string[] | null, at: string): Promise<void> {
    if (ids === null) {
      this.#db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(at, userId);
      return;
    }
    const mark = this.#db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND id = ? AND read_at IS NULL');
    this.#db.transaction(() => {
      for (const id of ids) mark.run(at, userId, id);
    })();
  }

  async appendHistory(boardId: string, entries: Omit<HistoryEntry, 'id'>[]): Promise<void> {
    const insert = this.#db.prepare(
      'INSERT INTO board_history (board_id, at, actor_id, actor_name, card_id, subject_kind, subject, action, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#db.transaction(() => {
      for (const e of entries) insert.run(boardId, e.at, e.actorId, e.actorName, e.cardId, e.subjectKind, e.subject, e.action, JSON.stringify(e.fields));
    })();
  }

  async listHistory(boardId: string, query: { cardId?: string; before?: number; limit: number }): Promise<HistoryEntry[]> {
    const rows = this.#db
      .prepare(
        'SELECT * FROM board_history WHERE board_id = ? AND (? IS NULL OR card_id = ?) AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?',
      )
      .all(boardId, query.cardId ?? null, query.cardId ?? null, query.before ?? null, query.before ?? null, query.limit) as {
      id: number;
      at: string;
      actor_id: string;
      actor_name: string;
      card_id: string | null;
      subject_kind: HistoryEntry['subjectKind'];
      subject: string;
      action: HistoryEntry['action'];
      fields: string;
    }[];
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      actorId: row.actor_id,
      actorName: row.actor_name,
      cardId: row.card_id,
      subjectKind: row.subject_kind,
      subject: row.subject,
      action: row.action,
      fields: parseStrings(row.fields),
    }));
  }

  async ping(): Promise<void> {
    pingDatabase(this.#db);
  }

  async close(): Promise<void> {}
}
