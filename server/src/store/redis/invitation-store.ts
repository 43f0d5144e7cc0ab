import type { Locale } from '@passerelle/shared';
import type { GuestInviteRecord, GuestRecord, InvitationRecord, InvitationStore } from '../account-store.js';
import { storedGuest, storedGuestInvite, storedGuestSession, storedInvitation } from '../stored-records.js';
import { exists, pairsOf, required, sortByText, type AccountsKeyspace } from './accounts-keyspace.js';

/** Member invitations, guest invites, guests and guest sessions in Redis. */
export class RedisInvitationStore implements InvitationStore {
  readonly #ks: AccountsKeyspace;

  constructor(keyspace: AccountsKeyspace) {
    this.#ks = keyspace;
  }

  // ---- Member invitations ------------------------------------------------------------------------

  async createInvitation(invitation: Omit<InvitationRecord, 'createdByName'>): Promise<void> {
    const status = await this.#ks.run(
      'INSERT',
      [this.#ks.key('invitation', invitation.id), this.#ks.key('invitations'), this.#ks.key('seq'), this.#ks.key('invitations', 'by-token'), this.#ks.key('user', invitation.createdBy)],
      [
        invitation.id,
        invitation.tokenHash,
        '1',
        ...pairsOf({
          id: invitation.id,
          tokenHash: invitation.tokenHash,
          email: invitation.email,
          departments: JSON.stringify(invitation.departments),
          isAdmin: invitation.isAdmin ? '1' : '0',
          createdBy: invitation.createdBy,
          createdAt: invitation.createdAt,
          expiresAt: invitation.expiresAt,
          acceptedAt: invitation.acceptedAt,
          revokedAt: invitation.revokedAt,
        }),
      ],
    );
    this.#ks.check(status, [`user ${invitation.createdBy}`], `invitation ${invitation.id}`);
  }

  async #invitations(ids: string[]): Promise<InvitationRecord[]> {
    const records = await this.#ks.records(ids, (id) => this.#ks.key('invitation', id));
    const names = await this.#ks.namesOf(records.map((fields) => required(fields, 'createdBy', 'invitation')));
    return records.map((fields) => storedInvitation.fromFields({ ...fields, createdByName: names.get(fields.createdBy!) }));
  }

  async findInvitationByToken(tokenHash: string): Promise<InvitationRecord | undefined> {
    await this.#ks.connected;
    const id = await this.#ks.client.hGet(this.#ks.key('invitations', 'by-token'), tokenHash);
    if (id === null || id === undefined) return undefined;
    const [invitation] = await this.#invitations([id]);
    return invitation;
  }

  async listInvitations(): Promise<InvitationRecord[]> {
    const invitations = await this.#invitations(await this.#ks.members(this.#ks.key('invitations')));
    return sortByText(invitations, (invitation) => invitation.createdAt, 'desc');
  }

  /** Atomic across processes: of concurrent acceptances (or an acceptance and a revocation), one wins. */
  async acceptInvitation(id: string, at: string): Promise<boolean> {
    return (await this.#ks.run('SET_ONCE', [this.#ks.key('invitation', id)], ['acceptedAt', at, 'acceptedAt', 'revokedAt'])) === 1;
  }

  async revokeInvitation(id: string, at: string): Promise<boolean> {
    return (await this.#ks.run('SET_ONCE', [this.#ks.key('invitation', id)], ['revokedAt', at, 'acceptedAt', 'revokedAt'])) === 1;
  }

  // ---- Partner guests ----------------------------------------------------------------------------

  async createGuestInvite(invite: Omit<GuestInviteRecord, 'createdByName' | 'guestCount'>): Promise<void> {
    const status = await this.#ks.run(
      'INSERT',
      [
        this.#ks.key('guest-invite', invite.id),
        this.#ks.key('board', invite.boardId, 'guest-invites'),
        this.#ks.key('seq'),
        this.#ks.key('guest-invites', 'by-token'),
        this.#ks.key('board', invite.boardId),
        this.#ks.key('user', invite.createdBy),
      ],
      [
        invite.id,
        invite.tokenHash,
        '2',
        ...pairsOf({
          id: invite.id,
          boardId: invite.boardId,
          tokenHash: invite.tokenHash,
          role: invite.role,
          label: invite.label,
          createdBy: invite.createdBy,
          createdAt: invite.createdAt,
          expiresAt: invite.expiresAt,
          revokedAt: invite.revokedAt,
        }),
      ],
    );
    this.#ks.check(status, [`board ${invite.boardId}`, `user ${invite.createdBy}`], `guest invite ${invite.id}`);
  }

  /** Guest invites with their creator's name and how many guests joined through each. */
  async #guestInvites(ids: string[]): Promise<GuestInviteRecord[]> {
    const records = await this.#ks.records(ids, (id) => this.#ks.key('guest-invite', id));
    const [names, counts] = await Promise.all([
      this.#ks.namesOf(records.map((fields) => required(fields, 'createdBy', 'guest invite'))),
      Promise.all(records.map((fields) => this.#ks.client.zCard(this.#ks.key('guest-invite', fields.id!, 'guests')))),
    ]);
    return records.map((fields, index) => storedGuestInvite.fromFields({ ...fields, createdByName: names.get(fields.createdBy!), guestCount: counts[index] }));
  }

  async findGuestInviteByToken(tokenHash: string): Promise<GuestInviteRecord | undefined> {
    await this.#ks.connected;
    const id = await this.#ks.client.hGet(this.#ks.key('guest-invites', 'by-token'), tokenHash);
    return id === null || id === undefined ? undefined : this.getGuestInvite(id);
  }

  async getGuestInvite(id: string): Promise<GuestInviteRecord | undefined> {
    await this.#ks.connected;
    const [invite] = await this.#guestInvites([id]);
    return invite;
  }

  async listGuestInvites(boardId: string): Promise<GuestInviteRecord[]> {
    const invites = await this.#guestInvites(await this.#ks.members(this.#ks.key('board', boardId, 'guest-invites')));
    return sortByText(invites, (invite) => invite.createdAt, 'desc');
  }

  async revokeGuestInvite(id: string, at: string): Promise<boolean> {
    return (await this.#ks.run('SET_ONCE', [this.#ks.key('guest-invite', id)], ['revokedAt', at, 'revokedAt'])) === 1;
  }

  async createGuest(guest: GuestRecord): Promise<void> {
    const guestKey = this.#ks.key('guest', guest.id);
    const status = await this.#ks.run(
      'INSERT',
      // No unique value besides the id: the record itself stands in for the index (never read, as the value is '').
      [guestKey, this.#ks.key('guest-invite', guest.inviteId, 'guests'), this.#ks.key('seq'), guestKey, this.#ks.key('guest-invite', guest.inviteId)],
      [
        guest.id,
        '',
        '1',
        ...pairsOf({
          id: guest.id,
          inviteId: guest.inviteId,
          name: guest.name,
          organisation: guest.organisation,
          locale: guest.locale,
          joinedAt: guest.joinedAt,
          revokedAt: guest.revokedAt,
        }),
      ],
    );
    this.#ks.check(status, [`guest invite ${guest.inviteId}`], `guest ${guest.id}`);
  }

  async setGuestLocale(id: string, locale: Locale | null): Promise<GuestRecord | undefined> {
    // `patch` writes nothing to a key that does not exist, so an unknown guest is not created here.
    if (!(await this.#ks.patch(this.#ks.key('guest', id), { locale }))) return undefined;
    return this.getGuest(id);
  }

  async getGuest(id: string): Promise<GuestRecord | undefined> {
    const fields = await this.#ks.hash(this.#ks.key('guest', id));
    return exists(fields) ? storedGuest.fromFields(fields) : undefined;
  }

  async listGuests(boardId: string): Promise<GuestRecord[]> {
    // Invite by invite, each invite's guests in the order they joined, then by joinedAt: SQLite's
    // order for ties, as it walks the board's invites and then each invite's guests.
    const inviteIds = await this.#ks.members(this.#ks.key('board', boardId, 'guest-invites'));
    const guestIds = (await Promise.all(inviteIds.map((id) => this.#ks.members(this.#ks.key('guest-invite', id, 'guests'))))).flat();
    const records = await this.#ks.records(guestIds, (id) => this.#ks.key('guest', id));
    return sortByText(records.map(storedGuest.fromFields), (guest) => guest.joinedAt, 'desc');
  }

  async revokeGuest(id: string, at: string): Promise<boolean> {
    return (await this.#ks.run('SET_ONCE', [this.#ks.key('guest', id)], ['revokedAt', at, 'revokedAt'])) === 1;
  }

  async createGuestSession(tokenHash: string, guestId: string): Promise<void> {
    const status = await this.#ks.run(
      'CREATE_GUEST_SESSION',
      [this.#ks.key('guest', guestId), this.#ks.key('guest-session', tokenHash), this.#ks.key('guest', guestId, 'sessions')],
      [tokenHash, guestId, new Date().toISOString()],
    );
    this.#ks.check(status, [`guest ${guestId}`], 'guest session');
  }

  async findGuestSession(tokenHash: string): Promise<{ guestId: string } | undefined> {
    const fields = await this.#ks.hash(this.#ks.key('guest-session', tokenHash));
    return exists(fields) ? storedGuestSession.fromFields(fields) : undefined;
  }

  async deleteGuestSession(tokenHash: string): Promise<void> {
    await this.#ks.run('DELETE_GUEST_SESSION', [this.#ks.key('guest-session', tokenHash)], [tokenHash]);
  }
}
