/**
 * The contract every `InvitationStore` passes (member invitations, guest invites, guests, guest
 * sessions): each test proves one rule of the doc comments in `server/src/store/account-store.ts`, or one rule
 * the SQLite schema enforces, or the order a list comes back in. `account-store.test.ts` runs it
 * over every implementation.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { user, other, board, invitation, guestInvite, guest, useAccountStores, type AccountStoreFixture } from './account-fixtures.js';

export function describeInvitationStoreContract(name: string, factory: () => Promise<AccountStoreFixture>): void {
  describe(`InvitationStore contract: ${name}`, () => {
    const opened = useAccountStores(name, factory);

    describe('member invitations', () => {
      opened.withPeople(user());

      it('finds an invitation by its token hash with its creator’s current name', async () => {
        await opened.invitations.createInvitation(invitation('inv-1', '2026-01-05T00:00:00.000Z'));
        expect(await opened.invitations.findInvitationByToken('hash-inv-1')).toEqual({ ...invitation('inv-1', '2026-01-05T00:00:00.000Z'), createdByName: 'Camille' });
        await opened.people.updateUser('user-camille', { name: 'Camille M.' });
        expect(await opened.invitations.findInvitationByToken('hash-inv-1')).toMatchObject({ createdByName: 'Camille M.' });
        expect(await opened.invitations.findInvitationByToken('hash-unknown')).toBeUndefined();
      });

      it('lists invitations newest first, ties in creation order', async () => {
        await opened.invitations.createInvitation(invitation('inv-old', '2026-01-01T00:00:00.000Z'));
        await opened.invitations.createInvitation(invitation('inv-new', '2026-01-03T00:00:00.000Z'));
        await opened.invitations.createInvitation(invitation('inv-mid-2', '2026-01-02T00:00:00.000Z'));
        await opened.invitations.createInvitation(invitation('inv-mid-1', '2026-01-02T00:00:00.000Z'));
        expect((await opened.invitations.listInvitations()).map((listed) => listed.id)).toEqual(['inv-new', 'inv-mid-2', 'inv-mid-1', 'inv-old']);
      });

      it('refuses an invitation whose token hash is taken, or from someone who does not exist', async () => {
        await opened.invitations.createInvitation(invitation('inv-1', '2026-01-01T00:00:00.000Z'));
        await expect(opened.invitations.createInvitation({ ...invitation('inv-2', '2026-01-01T00:00:00.000Z'), tokenHash: 'hash-inv-1' })).rejects.toThrow();
        await expect(opened.invitations.createInvitation({ ...invitation('inv-3', '2026-01-01T00:00:00.000Z'), createdBy: 'user-nobody' })).rejects.toThrow(/FOREIGN KEY/);
        expect((await opened.invitations.listInvitations()).map((listed) => listed.id)).toEqual(['inv-1']);
      });

      it('accepts an invitation once, and never once revoked', async () => {
        await opened.invitations.createInvitation(invitation('inv-1', '2026-01-01T00:00:00.000Z'));
        await opened.invitations.createInvitation(invitation('inv-2', '2026-01-01T00:00:00.000Z'));
        expect(await opened.invitations.acceptInvitation('inv-1', '2026-01-02T00:00:00.000Z')).toBe(true);
        expect(await opened.invitations.acceptInvitation('inv-1', '2026-01-03T00:00:00.000Z')).toBe(false);
        expect(await opened.invitations.revokeInvitation('inv-1', '2026-01-03T00:00:00.000Z')).toBe(false);
        expect(await opened.invitations.findInvitationByToken('hash-inv-1')).toMatchObject({ acceptedAt: '2026-01-02T00:00:00.000Z', revokedAt: null });

        expect(await opened.invitations.revokeInvitation('inv-2', '2026-01-02T00:00:00.000Z')).toBe(true);
        expect(await opened.invitations.revokeInvitation('inv-2', '2026-01-03T00:00:00.000Z')).toBe(false);
        expect(await opened.invitations.acceptInvitation('inv-2', '2026-01-03T00:00:00.000Z')).toBe(false);
        expect(await opened.invitations.findInvitationByToken('hash-inv-2')).toMatchObject({ acceptedAt: null, revokedAt: '2026-01-02T00:00:00.000Z' });

        expect(await opened.invitations.acceptInvitation('inv-unknown', '2026-01-03T00:00:00.000Z')).toBe(false);
        expect(await opened.invitations.revokeInvitation('inv-unknown', '2026-01-03T00:00:00.000Z')).toBe(false);
      });
    });

    describe('partner guests', () => {
      beforeEach(async () => {
        await opened.people.createUser(user());
        await opened.directory.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await opened.directory.createBoard(board('b2', '2026-01-01T00:00:00.000Z'));
      });

      it('finds a guest invite by id and by token hash, with its creator’s name and how many joined', async () => {
        await opened.invitations.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        const expected = { ...guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'), createdByName: 'Camille', guestCount: 0 };
        expect(await opened.invitations.getGuestInvite('gi-1')).toEqual(expected);
        expect(await opened.invitations.findGuestInviteByToken('hash-gi-1')).toEqual(expected);
        expect(await opened.invitations.getGuestInvite('gi-unknown')).toBeUndefined();
        expect(await opened.invitations.findGuestInviteByToken('hash-unknown')).toBeUndefined();

        await opened.invitations.createGuest(guest('g-1', 'gi-1', '2026-01-04T00:00:00.000Z'));
        await opened.invitations.createGuest(guest('g-2', 'gi-1', '2026-01-05T00:00:00.000Z'));
        expect(await opened.invitations.getGuestInvite('gi-1')).toMatchObject({ guestCount: 2 });
      });

      it('refuses a guest invite for a board that does not exist, or whose token hash is taken', async () => {
        await opened.invitations.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        await expect(opened.invitations.createGuestInvite(guestInvite('gi-2', 'missing', '2026-01-03T00:00:00.000Z'))).rejects.toThrow(/FOREIGN KEY/);
        await expect(opened.invitations.createGuestInvite({ ...guestInvite('gi-3', 'b1', '2026-01-03T00:00:00.000Z'), tokenHash: 'hash-gi-1' })).rejects.toThrow();
        expect((await opened.invitations.listGuestInvites('b1')).map((listed) => listed.id)).toEqual(['gi-1']);
        expect(await opened.invitations.getGuestInvite('gi-2')).toBeUndefined();
      });

      it('lists a board’s guest invites newest first, ties in creation order, and no other board’s', async () => {
        await opened.invitations.createGuestInvite(guestInvite('gi-old', 'b1', '2026-01-01T00:00:00.000Z'));
        await opened.invitations.createGuestInvite(guestInvite('gi-new', 'b1', '2026-01-03T00:00:00.000Z'));
        await opened.invitations.createGuestInvite(guestInvite('gi-mid-2', 'b1', '2026-01-02T00:00:00.000Z'));
        await opened.invitations.createGuestInvite(guestInvite('gi-mid-1', 'b1', '2026-01-02T00:00:00.000Z'));
        await opened.invitations.createGuestInvite(guestInvite('gi-other', 'b2', '2026-01-02T00:00:00.000Z'));
        expect((await opened.invitations.listGuestInvites('b1')).map((listed) => listed.id)).toEqual(['gi-new', 'gi-mid-2', 'gi-mid-1', 'gi-old']);
        expect(await opened.invitations.listGuestInvites('missing')).toEqual([]);
      });

      it('revokes a guest invite and a guest once each', async () => {
        await opened.invitations.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        await opened.invitations.createGuest(guest('g-1', 'gi-1', '2026-01-04T00:00:00.000Z'));
        expect(await opened.invitations.revokeGuestInvite('gi-1', '2026-01-05T00:00:00.000Z')).toBe(true);
        expect(await opened.invitations.revokeGuestInvite('gi-1', '2026-01-06T00:00:00.000Z')).toBe(false);
        expect(await opened.invitations.getGuestInvite('gi-1')).toMatchObject({ revokedAt: '2026-01-05T00:00:00.000Z' });
        expect(await opened.invitations.revokeGuest('g-1', '2026-01-05T00:00:00.000Z')).toBe(true);
        expect(await opened.invitations.revokeGuest('g-1', '2026-01-06T00:00:00.000Z')).toBe(false);
        expect(await opened.invitations.getGuest('g-1')).toEqual(guest('g-1', 'gi-1', '2026-01-04T00:00:00.000Z', { revokedAt: '2026-01-05T00:00:00.000Z' }));
        expect(await opened.invitations.revokeGuestInvite('gi-unknown', '2026-01-06T00:00:00.000Z')).toBe(false);
        expect(await opened.invitations.revokeGuest('g-unknown', '2026-01-06T00:00:00.000Z')).toBe(false);
      });

      it('stores a guest with every field, nulls included, and refuses one for an invite that does not exist', async () => {
        await opened.invitations.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        const anonymous = guest('g-1', 'gi-1', '2026-01-04T00:00:00.000Z', { organisation: null, locale: null });
        await opened.invitations.createGuest(anonymous);
        expect(await opened.invitations.getGuest('g-1')).toEqual(anonymous);
        expect(await opened.invitations.getGuest('g-unknown')).toBeUndefined();
        await expect(opened.invitations.createGuest(guest('g-2', 'gi-unknown', '2026-01-04T00:00:00.000Z'))).rejects.toThrow(/FOREIGN KEY/);
        expect(await opened.invitations.getGuest('g-2')).toBeUndefined();
      });

      it('saves and clears a guest’s chosen language, and creates no guest for an unknown id', async () => {
        await opened.invitations.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        await opened.invitations.createGuest(guest('g-1', 'gi-1', '2026-01-04T00:00:00.000Z', { locale: null }));
        expect(await opened.invitations.setGuestLocale('g-1', 'en')).toEqual(guest('g-1', 'gi-1', '2026-01-04T00:00:00.000Z', { locale: 'en' }));
        expect(await opened.invitations.getGuest('g-1')).toMatchObject({ locale: 'en' });
        expect(await opened.invitations.setGuestLocale('g-1', null)).toMatchObject({ locale: null });
        expect(await opened.invitations.setGuestLocale('g-unknown', 'fr')).toBeUndefined();
        expect(await opened.invitations.getGuest('g-unknown')).toBeUndefined();
      });

      it('lists a board’s guests across its invites, newest first, ties invite by invite', async () => {
        await opened.invitations.createGuestInvite(guestInvite('gi-3', 'b1', '2026-01-03T00:00:00.000Z'));
        await opened.invitations.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        await opened.invitations.createGuestInvite(guestInvite('gi-2', 'b1', '2026-01-03T00:00:00.000Z'));
        await opened.invitations.createGuestInvite(guestInvite('gi-other', 'b2', '2026-01-03T00:00:00.000Z'));
        await opened.invitations.createGuest(guest('q3', 'gi-2', '2026-01-04T00:00:00.000Z'));
        await opened.invitations.createGuest(guest('q1', 'gi-1', '2026-01-04T00:00:00.000Z'));
        await opened.invitations.createGuest(guest('q2', 'gi-3', '2026-01-04T00:00:00.000Z'));
        await opened.invitations.createGuest(guest('q0', 'gi-1', '2026-01-04T00:00:00.000Z'));
        await opened.invitations.createGuest(guest('q-latest', 'gi-2', '2026-01-09T00:00:00.000Z'));
        await opened.invitations.createGuest(guest('q-other', 'gi-other', '2026-01-09T00:00:00.000Z'));
        expect((await opened.invitations.listGuests('b1')).map((listed) => listed.id)).toEqual(['q-latest', 'q2', 'q1', 'q0', 'q3']);
      });

      it('finds a guest session until it is deleted, and refuses one for a guest who does not exist', async () => {
        await opened.invitations.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-03T00:00:00.000Z'));
        await opened.invitations.createGuest(guest('g-1', 'gi-1', '2026-01-04T00:00:00.000Z'));
        await opened.invitations.createGuestSession('guest-hash-1', 'g-1');
        expect(await opened.invitations.findGuestSession('guest-hash-1')).toEqual({ guestId: 'g-1' });
        expect(await opened.invitations.findGuestSession('unknown')).toBeUndefined();
        await expect(opened.invitations.createGuestSession('guest-hash-2', 'g-unknown')).rejects.toThrow(/FOREIGN KEY/);

        await opened.invitations.deleteGuestSession('guest-hash-1');
        expect(await opened.invitations.findGuestSession('guest-hash-1')).toBeUndefined();
        await opened.invitations.deleteGuestSession('guest-hash-1');
      });
    });
  });
}
