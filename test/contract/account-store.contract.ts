/**
 * The contract the four account stores pass together over one storage: what survives reopening it,
 * and what two processes over the same storage see of each other's writes (uniqueness, single-use
 * invitations, numbering). `account-store.test.ts` runs it over every implementation.
 */
import { describe, expect, it } from 'vitest';
import { EmailTakenError } from '../../server/src/store/account-store.js';
import { user, other, board, invitation, guestInvite, guest, notification, historyEntry, race, EXPIRES_FEB, useAccountStores, type AccountStoreFixture } from './account-fixtures.js';

export function describeAccountStoreContract(name: string, factory: () => Promise<AccountStoreFixture>): void {
  describe(`AccountStore contract: ${name}`, () => {
    const opened = useAccountStores(name, factory);

    describe('durability', () => {
      it('keeps accounts, sessions, boards, access, invitations, guests, audit, notifications and history across reopening', async (context) => {
        await opened.people.createUser(user());
        await opened.directory.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await opened.directory.setBoardMember('b1', 'user-camille', 'owner');
        await opened.people.createSession('hash-1', 'user-camille', EXPIRES_FEB);
        await opened.people.createApiToken({ id: 't1', userId: 'user-camille', name: 'CI', tokenHash: 'hash-t1', createdAt: '2026-01-01T00:00:00.000Z' });
        await opened.invitations.createInvitation(invitation('inv-1', '2026-01-01T00:00:00.000Z'));
        await opened.invitations.createGuestInvite(guestInvite('gi-1', 'b1', '2026-01-01T00:00:00.000Z'));
        await opened.invitations.createGuest(guest('g-1', 'gi-1', '2026-01-02T00:00:00.000Z'));
        await opened.invitations.createGuestSession('guest-hash-1', 'g-1');
        await opened.activity.recordAudit({ type: 'login_succeeded', actorId: 'user-camille', actorName: 'Camille', target: null, details: {}, ip: null });
        await opened.activity.createNotification('user-camille', notification('n-1', '2026-01-01T00:00:00.000Z'));
        await opened.activity.appendHistory('b1', [historyEntry('card-1', 'Porto')]);

        await opened.reopen(context);

        expect(await opened.people.findUserById('user-camille')).toEqual(user());
        expect(await opened.people.findUserByEmail('camille@example.org')).toEqual(user());
        expect(await opened.directory.getBoard('b1')).toEqual(board('b1', '2026-01-01T00:00:00.000Z'));
        expect(await opened.directory.boardRolesOf('user-camille')).toEqual(new Map([['b1', 'owner']]));
        expect(await opened.people.findSession('hash-1')).toEqual({ userId: 'user-camille', expiresAt: EXPIRES_FEB });
        expect(await opened.people.findApiToken('hash-t1')).toEqual({ id: 't1', userId: 'user-camille' });
        expect(await opened.invitations.findInvitationByToken('hash-inv-1')).toMatchObject({ id: 'inv-1', createdByName: 'Camille' });
        expect(await opened.invitations.getGuestInvite('gi-1')).toMatchObject({ guestCount: 1 });
        expect(await opened.invitations.findGuestSession('guest-hash-1')).toEqual({ guestId: 'g-1' });
        expect((await opened.activity.listAudit({ limit: 10 })).map((event) => event.type)).toEqual(['login_succeeded']);
        expect(await opened.activity.countUnreadNotifications('user-camille')).toBe(1);
        expect((await opened.activity.listHistory('b1', { limit: 10 })).map((entry) => entry.subject)).toEqual(['Porto']);
        // Uniqueness survives too.
        await expect(opened.people.createUser(user({ id: 'user-again' }))).rejects.toBeInstanceOf(EmailTakenError);
        expect(await opened.people.createFirstUser(user({ id: 'user-first', email: 'first@example.org' }))).toBe(false);
      });
    });

    describe('two stores over the same storage (two processes)', () => {
      it('sees what the other wrote at once', async (context) => {
        const [first, second] = await opened.twoStores(context);
        await first.people.createUser(user());
        await first.people.createSession('hash-1', 'user-camille', EXPIRES_FEB);
        expect(await second.people.findSession('hash-1')).toEqual({ userId: 'user-camille', expiresAt: EXPIRES_FEB });
        await second.people.deleteSession('hash-1');
        expect(await first.people.findSession('hash-1')).toBeUndefined();
      });

      it('creates exactly one account when both create the same email at once', async (context) => {
        const stores = await opened.twoStores(context);
        const results = await race(stores, 10, (store, index) => store.people.createUser(user({ id: `user-${index}`, name: `Person ${index}` })));
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(EmailTakenError);
        }
        expect(await stores[1].people.countUsers()).toBe(1);
        const winner = results.findIndex((result) => result.status === 'fulfilled');
        expect((await stores[0].people.findUserByEmail('camille@example.org'))?.id).toBe(`user-${winner}`);
        expect(await stores[1].people.listUsers()).toHaveLength(1);
      });

      it('creates exactly one first administrator when both set up at once', async (context) => {
        const stores = await opened.twoStores(context);
        const results = await race(stores, 10, (store, index) =>
          store.people.createFirstUser(user({ id: `user-admin-${index}`, email: `admin-${index}@example.org`, isAdmin: true })),
        );
        expect(results.map((result) => (result.status === 'fulfilled' ? result.value : result.reason))).toSatisfy(
          (values: unknown[]) => values.filter((value) => value === true).length === 1 && values.every((value) => typeof value === 'boolean'),
        );
        expect(await stores[0].people.countUsers()).toBe(1);
      });

      it('accepts an invitation exactly once when both accept it at once', async (context) => {
        const stores = await opened.twoStores(context);
        await stores[0].people.createUser(user());
        await stores[0].invitations.createInvitation(invitation('inv-1', '2026-01-01T00:00:00.000Z'));
        const results = await race(stores, 10, (store, index) => store.invitations.acceptInvitation('inv-1', `2026-01-02T00:00:0${index}.000Z`));
        const accepted = results.flatMap((result, index) => (result.status === 'fulfilled' && result.value ? [index] : []));
        expect(accepted).toHaveLength(1);
        expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
        expect(await stores[1].invitations.findInvitationByToken('hash-inv-1')).toMatchObject({ acceptedAt: `2026-01-02T00:00:0${accepted[0]}.000Z` });
      });

      it('lets exactly one of an acceptance and a revocation made at once win', async (context) => {
        const stores = await opened.twoStores(context);
        await stores[0].people.createUser(user());
        await stores[0].invitations.createInvitation(invitation('inv-1', '2026-01-01T00:00:00.000Z'));
        const [accepted, revoked] = await Promise.all([
          stores[0].invitations.acceptInvitation('inv-1', '2026-01-02T00:00:00.000Z'),
          stores[1].invitations.revokeInvitation('inv-1', '2026-01-02T00:00:00.000Z'),
        ]);
        expect(accepted !== revoked).toBe(true);
        const stored = await stores[1].invitations.findInvitationByToken('hash-inv-1');
        expect([stored?.acceptedAt !== null, stored?.revokedAt !== null]).toEqual([accepted, revoked]);
      });

      it('numbers audit events and history entries written at once by both without a gap or a repeat', async (context) => {
        const stores = await opened.twoStores(context);
        await race(stores, 20, (store, index) => store.activity.recordAudit({ type: 'login_succeeded', actorId: null, actorName: null, target: `t${index}`, details: {}, ip: null }));
        await race(stores, 20, (store, index) => store.activity.appendHistory('b1', [historyEntry('card-1', `s${index}`)]));
        const events = await stores[0].activity.listAudit({ limit: 100 });
        const entries = await stores[1].activity.listHistory('b1', { limit: 100 });
        expect(new Set(events.map((event) => event.id)).size).toBe(20);
        expect(new Set(events.map((event) => event.target)).size).toBe(20);
        expect(new Set(entries.map((entry) => entry.id)).size).toBe(20);
      });
    });
  });
}
