import type { Locale } from '@passerelle/shared';
import type { GuestInviteRecord, GuestRecord, InvitationRecord, InvitationStore } from '../account-store.js';
import { storedGuest, storedGuestInvite, storedGuestSession, storedInvitation } from '../stored-records.js';
import { SqliteStore } from './sqlite-store.js';

const GUEST_INVITE_SELECT = `
  SELECT gi.*, u.name AS created_by_name, (SELECT COUNT(*) FROM guests g WHERE g.invite_id = gi.id) AS guest_count
  FROM guest_invites gi LEFT JOIN users u ON u.id = gi.created_by`;

/** Member invitations, guest invites, guests and guest sessions in SQLite. */
export class SqliteInvitationStore extends SqliteStore implements InvitationStore {
  async createInvitation(invitation: Omit<InvitationRecord, 'createdByName'>): Promise<void> {
    this.sql(
      'INSERT INTO invitations (id, token_hash, email, departments, is_admin, created_by, created_at, expires_at, accepted_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
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

  #invitationWhere(where: string, ...params: unknown[]): InvitationRecord[] {
    return this.rows(storedInvitation, `SELECT i.*, u.name AS created_by_name FROM invitations i LEFT JOIN users u ON u.id = i.created_by ${where}`, ...params);
  }

  async findInvitationByToken(tokenHash: string): Promise<InvitationRecord | undefined> {
    const [invitation] = this.#invitationWhere('WHERE i.token_hash = ?', tokenHash);
    return invitation;
  }

  async listInvitations(): Promise<InvitationRecord[]> {
    return this.#invitationWhere('ORDER BY i.created_at DESC');
  }

  async acceptInvitation(id: string, at: string): Promise<boolean> {
    return this.sql('UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL').run(at, id).changes > 0;
  }

  async revokeInvitation(id: string, at: string): Promise<boolean> {
    return this.sql('UPDATE invitations SET revoked_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL').run(at, id).changes > 0;
  }

  async createGuestInvite(invite: Omit<GuestInviteRecord, 'createdByName' | 'guestCount'>): Promise<void> {
    this.sql('INSERT INTO guest_invites (id, board_id, token_hash, role, label, created_by, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      invite.id, invite.boardId, invite.tokenHash, invite.role, invite.label, invite.createdBy, invite.createdAt, invite.expiresAt, invite.revokedAt,
    );
  }

  async findGuestInviteByToken(tokenHash: string): Promise<GuestInviteRecord | undefined> {
    return this.row(storedGuestInvite, `${GUEST_INVITE_SELECT} WHERE gi.token_hash = ?`, tokenHash);
  }

  async getGuestInvite(id: string): Promise<GuestInviteRecord | undefined> {
    return this.row(storedGuestInvite, `${GUEST_INVITE_SELECT} WHERE gi.id = ?`, id);
  }

  async listGuestInvites(boardId: string): Promise<GuestInviteRecord[]> {
    return this.rows(storedGuestInvite, `${GUEST_INVITE_SELECT} WHERE gi.board_id = ? ORDER BY gi.created_at DESC`, boardId);
  }

  async revokeGuestInvite(id: string, at: string): Promise<boolean> {
    return this.sql('UPDATE guest_invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0;
  }

  async createGuest(guest: GuestRecord): Promise<void> {
    this.sql('INSERT INTO guests (id, invite_id, name, organisation, locale, joined_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(guest.id, guest.inviteId, guest.name, guest.organisation, guest.locale, guest.joinedAt, guest.revokedAt);
  }

  async getGuest(id: string): Promise<GuestRecord | undefined> {
    return this.row(storedGuest, 'SELECT * FROM guests WHERE id = ?', id);
  }

  async setGuestLocale(id: string, locale: Locale | null): Promise<GuestRecord | undefined> {
    this.sql('UPDATE guests SET locale = ? WHERE id = ?').run(locale, id);
    return this.getGuest(id);
  }

  async listGuests(boardId: string): Promise<GuestRecord[]> {
    return this.rows(storedGuest, 'SELECT g.* FROM guests g JOIN guest_invites gi ON gi.id = g.invite_id WHERE gi.board_id = ? ORDER BY g.joined_at DESC', boardId);
  }

  async revokeGuest(id: string, at: string): Promise<boolean> {
    return this.sql('UPDATE guests SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0;
  }

  async createGuestSession(tokenHash: string, guestId: string): Promise<void> {
    this.sql('INSERT INTO guest_sessions (token_hash, guest_id, created_at) VALUES (?, ?, ?)').run(tokenHash, guestId, new Date().toISOString());
  }

  async findGuestSession(tokenHash: string): Promise<{ guestId: string } | undefined> {
    return this.row(storedGuestSession, 'SELECT guest_id FROM guest_sessions WHERE token_hash = ?', tokenHash);
  }

  async deleteGuestSession(tokenHash: string): Promise<void> {
    this.sql('DELETE FROM guest_sessions WHERE token_hash = ?').run(tokenHash);
  }
}
