import type Database from 'better-sqlite3';
import type { GuestInviteRecord, GuestRecord, InvitationRecord, InvitationStore } from '../account-store.js';
import { storedDepartments, storedGuestRole, storedLocale } from '../stored-values.js';

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
  departments: storedDepartments(row.departments),
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
  role: storedGuestRole(row.role),
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
  locale: storedLocale(row.locale),
  joinedAt: row.joined_at,
  revokedAt: row.revoked_at,
});

const GUEST_INVITE_SELECT = `
  SELECT gi.*, u.name AS created_by_name, (SELECT COUNT(*) FROM guests g WHERE g.invite_id = gi.id) AS guest_count
  FROM guest_invites gi LEFT JOIN users u ON u.id = gi.created_by`;

/** Member invitations, guest invites, guests and guest sessions in SQLite. */
export class SqliteInvitationStore implements InvitationStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
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
}
