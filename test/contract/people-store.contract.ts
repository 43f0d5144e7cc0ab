/**
 * The contract every `PeopleStore` passes (people, sessions, API tokens): each test proves one rule of the doc comments in `server/src/store/account-store.ts`, or one rule
 * the SQLite schema enforces, or the order a list comes back in. `account-store.test.ts` runs it
 * over every implementation.
 */
import { describe, expect, it } from 'vitest';
import { EmailTakenError } from '../../server/src/store/account-store.js';
import { user, other, EXPIRES_FEB, EXPIRES_MAR, useAccountStores, type AccountStoreFixture } from './account-fixtures.js';

export function describePeopleStoreContract(name: string, factory: () => Promise<AccountStoreFixture>): void {
  describe(`PeopleStore contract: ${name}`, () => {
    const opened = useAccountStores(name, factory);

    describe('users', () => {
      it('creates a user and finds it by email and by id with every field', async () => {
        const camille = user({ isAdmin: true, locale: 'en' });
        await opened.people.createUser(camille);
        expect(await opened.people.findUserByEmail('camille@example.org')).toEqual(camille);
        expect(await opened.people.findUserById('user-camille')).toEqual(camille);
        expect(await opened.people.countUsers()).toBe(1);
      });

      it('stores a user without a locale or departments as null and []', async () => {
        await opened.people.createUser(user({ locale: null, departments: [] }));
        expect(await opened.people.findUserById('user-camille')).toMatchObject({ locale: null, departments: [], deactivatedAt: null });
      });

      it('finds nobody for an unknown email or id', async () => {
        await opened.people.createUser(user());
        expect(await opened.people.findUserByEmail('someone@example.org')).toBeUndefined();
        expect(await opened.people.findUserById('user-nobody')).toBeUndefined();
      });

      it('rejects a second account with the same email with EmailTakenError and keeps the first', async () => {
        await opened.people.createUser(user());
        await expect(opened.people.createUser(user({ id: 'user-other', name: 'Other' }))).rejects.toBeInstanceOf(EmailTakenError);
        expect(await opened.people.countUsers()).toBe(1);
        expect((await opened.people.findUserByEmail('camille@example.org'))?.name).toBe('Camille');
        expect(await opened.people.findUserById('user-other')).toBeUndefined();
      });

      it('rejects a second account with the same id and keeps the first', async () => {
        await opened.people.createUser(user());
        await expect(opened.people.createUser(user({ email: 'again@example.org', name: 'Again' }))).rejects.toThrow();
        expect(await opened.people.countUsers()).toBe(1);
        expect(await opened.people.findUserByEmail('again@example.org')).toBeUndefined();
        expect((await opened.people.findUserById('user-camille'))?.name).toBe('Camille');
      });

      it('creates the first user only once', async () => {
        expect(await opened.people.createFirstUser(user({ isAdmin: true }))).toBe(true);
        expect(await opened.people.createFirstUser(user({ id: 'user-second', email: 'second@example.org', isAdmin: true }))).toBe(false);
        expect(await opened.people.countUsers()).toBe(1);
        expect(await opened.people.findUserById('user-second')).toBeUndefined();
      });

      it('does not create a first user once any account exists', async () => {
        await opened.people.createUser(user());
        expect(await opened.people.createFirstUser(user({ id: 'user-admin', email: 'admin@example.org', isAdmin: true }))).toBe(false);
        expect(await opened.people.findUserById('user-admin')).toBeUndefined();
      });

      it('updates only the fields given', async () => {
        await opened.people.createUser(user());
        expect(await opened.people.updateUser('user-camille', { locale: 'en' })).toMatchObject({ name: 'Camille', locale: 'en' });
        expect(await opened.people.updateUser('user-camille', { name: 'Camille M.' })).toMatchObject({ name: 'Camille M.', locale: 'en' });
        expect(await opened.people.updateUser('user-camille', { locale: null })).toMatchObject({ name: 'Camille M.', locale: null });
        expect(await opened.people.updateUser('user-nobody', { name: 'x' })).toBeUndefined();
        expect(await opened.people.findUserById('user-nobody')).toBeUndefined();
      });

      it('updates departments without duplicates, the administrator flag, and sets and clears deactivation', async () => {
        await opened.people.createUser(user());
        expect(await opened.people.updateUser('user-camille', { departments: ['sri', 'research', 'sri'], isAdmin: true })).toMatchObject({
          departments: ['sri', 'research'],
          isAdmin: true,
        });
        expect(await opened.people.updateUser('user-camille', { deactivatedAt: '2026-03-01T00:00:00.000Z' })).toMatchObject({ deactivatedAt: '2026-03-01T00:00:00.000Z' });
        expect(await opened.people.updateUser('user-camille', { deactivatedAt: null, isAdmin: false })).toEqual(
          user({ departments: ['sri', 'research'], isAdmin: false, deactivatedAt: null }),
        );
        expect(await opened.people.findUserByEmail('camille@example.org')).toMatchObject({ departments: ['sri', 'research'] });
      });

      it('gives and takes the agreements manager capability, which nobody holds unless given', async (context) => {
        await opened.people.createUser(user());
        expect(await opened.people.findUserById('user-camille')).toMatchObject({ managesAgreements: false });
        expect(await opened.people.updateUser('user-camille', { managesAgreements: true })).toMatchObject({ managesAgreements: true, isAdmin: false });
        await opened.reopen(context);
        expect(await opened.people.findUserById('user-camille')).toEqual(user({ managesAgreements: true }));
        expect(await opened.people.updateUser('user-camille', { managesAgreements: false })).toEqual(user());
      });

      it('lists users by name, in byte order as SQLite compares text, ties in creation order', async () => {
        await opened.people.createUser(user({ id: 'u-z', email: 'z@example.org', name: 'Zoé' }));
        await opened.people.createUser(user({ id: 'u-a', email: 'a@example.org', name: 'Aline' }));
        await opened.people.createUser(user({ id: 'u-e', email: 'e@example.org', name: 'Élodie' }));
        await opened.people.createUser(user({ id: 'u-same-2', email: 's2@example.org', name: 'Sam' }));
        await opened.people.createUser(user({ id: 'u-same-1', email: 's1@example.org', name: 'Sam' }));
        await opened.people.createUser(user({ id: 'u-lower', email: 'l@example.org', name: 'aline' }));
        expect((await opened.people.listUsers()).map((listed) => listed.id)).toEqual(['u-a', 'u-same-2', 'u-same-1', 'u-z', 'u-lower', 'u-e']);
      });
    });

    describe('sessions', () => {
      opened.withPeople(user(), other());

      it('finds a session by its token hash until it is deleted', async () => {
        await opened.people.createSession('hash-1', 'user-camille', EXPIRES_FEB);
        await opened.people.createSession('hash-2', 'user-camille', EXPIRES_MAR);
        expect(await opened.people.findSession('hash-1')).toEqual({ userId: 'user-camille', expiresAt: EXPIRES_FEB });

        await opened.people.deleteSession('hash-1');
        expect(await opened.people.findSession('hash-1')).toBeUndefined();
        expect(await opened.people.findSession('hash-2')).toEqual({ userId: 'user-camille', expiresAt: EXPIRES_MAR });
        await opened.people.deleteSession('hash-1');
      });

      it('finds no session for an unknown hash', async () => {
        expect(await opened.people.findSession('unknown')).toBeUndefined();
      });

      it('refuses a session for a user that does not exist', async () => {
        await expect(opened.people.createSession('hash-x', 'user-nobody', EXPIRES_FEB)).rejects.toThrow(/FOREIGN KEY/);
        expect(await opened.people.findSession('hash-x')).toBeUndefined();
      });

      it('refuses a second session with the same token hash and keeps the first', async () => {
        await opened.people.createSession('hash-1', 'user-camille', EXPIRES_FEB);
        await expect(opened.people.createSession('hash-1', 'user-other', EXPIRES_MAR)).rejects.toThrow();
        expect(await opened.people.findSession('hash-1')).toEqual({ userId: 'user-camille', expiresAt: EXPIRES_FEB });
      });

      it('ends every session of one person, and only theirs', async () => {
        await opened.people.createSession('hash-1', 'user-camille', EXPIRES_FEB);
        await opened.people.createSession('hash-2', 'user-camille', EXPIRES_MAR);
        await opened.people.createSession('hash-3', 'user-other', EXPIRES_FEB);
        await opened.people.deleteSessionsOf('user-camille');
        expect(await opened.people.findSession('hash-1')).toBeUndefined();
        expect(await opened.people.findSession('hash-2')).toBeUndefined();
        expect(await opened.people.findSession('hash-3')).toEqual({ userId: 'user-other', expiresAt: EXPIRES_FEB });

        // A session opened after still works.
        await opened.people.createSession('hash-4', 'user-camille', EXPIRES_FEB);
        expect(await opened.people.findSession('hash-4')).toMatchObject({ userId: 'user-camille' });
      });
      it('ends every session of one person but the one kept', async () => {
        await opened.people.createSession('hash-1', 'user-camille', EXPIRES_FEB);
        await opened.people.createSession('hash-2', 'user-camille', EXPIRES_MAR);
        await opened.people.createSession('hash-3', 'user-other', EXPIRES_FEB);
        await opened.people.deleteSessionsOf('user-camille', { except: 'hash-2' });
        expect(await opened.people.findSession('hash-1')).toBeUndefined();
        expect(await opened.people.findSession('hash-2')).toEqual({ userId: 'user-camille', expiresAt: EXPIRES_MAR });
        expect(await opened.people.findSession('hash-3')).toEqual({ userId: 'user-other', expiresAt: EXPIRES_FEB });

        // The kept one is still theirs to end with the others later.
        await opened.people.deleteSessionsOf('user-camille');
        expect(await opened.people.findSession('hash-2')).toBeUndefined();
      });
    });

    describe('passwords and reset links', () => {
      opened.withPeople(user(), other());

      it('replaces the password hash of one person only', async () => {
        const before = await opened.people.findUserById('user-other');
        expect(await opened.people.setPasswordHash('user-camille', 'new-hash')).toBe(true);
        expect((await opened.people.findUserById('user-camille'))?.passwordHash).toBe('new-hash');
        expect(await opened.people.findUserById('user-other')).toEqual(before);
        expect(await opened.people.setPasswordHash('user-nobody', 'new-hash')).toBe(false);
        expect(await opened.people.findUserById('user-nobody')).toBeUndefined();
      });

      it('gives a reset link once, and takes the person’s other links with it', async () => {
        await opened.people.createPasswordReset({ tokenHash: 'reset-1', userId: 'user-camille', expiresAt: EXPIRES_FEB });
        await opened.people.createPasswordReset({ tokenHash: 'reset-2', userId: 'user-camille', expiresAt: EXPIRES_MAR });
        await opened.people.createPasswordReset({ tokenHash: 'reset-3', userId: 'user-other', expiresAt: EXPIRES_FEB });
        expect(await opened.people.takePasswordReset('reset-1')).toEqual({ tokenHash: 'reset-1', userId: 'user-camille', expiresAt: EXPIRES_FEB });
        expect(await opened.people.takePasswordReset('reset-1')).toBeUndefined();
        expect(await opened.people.takePasswordReset('reset-2')).toBeUndefined();
        expect(await opened.people.takePasswordReset('reset-3')).toEqual({ tokenHash: 'reset-3', userId: 'user-other', expiresAt: EXPIRES_FEB });
        expect(await opened.people.takePasswordReset('reset-unknown')).toBeUndefined();
      });

      it('gives a reset link to only one of two concurrent uses', async () => {
        await opened.people.createPasswordReset({ tokenHash: 'reset-1', userId: 'user-camille', expiresAt: EXPIRES_FEB });
        const taken = await Promise.all([opened.people.takePasswordReset('reset-1'), opened.people.takePasswordReset('reset-1')]);
        expect(taken.filter((reset) => reset !== undefined)).toHaveLength(1);
      });

      it('refuses a reset link for a person who does not exist', async () => {
        await expect(opened.people.createPasswordReset({ tokenHash: 'reset-1', userId: 'user-nobody', expiresAt: EXPIRES_FEB })).rejects.toThrow(/FOREIGN KEY/);
        expect(await opened.people.takePasswordReset('reset-1')).toBeUndefined();
      });
    });

    describe('e-mail preferences', () => {
      opened.withPeople(user(), other());

      it('keeps each person’s choice per kind, the last one written', async () => {
        expect(await opened.people.getMailPreferences('user-camille')).toEqual({});
        await opened.people.setMailPreference('user-camille', 'mention', 'never');
        await opened.people.setMailPreference('user-camille', 'assignment', 'never');
        await opened.people.setMailPreference('user-camille', 'assignment', 'immediate');
        await opened.people.setMailPreference('user-other', 'sign_off_request', 'never');
        expect(await opened.people.getMailPreferences('user-camille')).toEqual({ mention: 'never', assignment: 'immediate' });
        expect(await opened.people.getMailPreferences('user-other')).toEqual({ sign_off_request: 'never' });
        await expect(opened.people.setMailPreference('user-nobody', 'mention', 'never')).rejects.toThrow(/FOREIGN KEY/);
      });

      it('keeps the first secret offered for a person’s links', async () => {
        expect(await opened.people.mailLinkSecret('user-camille', 'secret-1')).toBe('secret-1');
        expect(await opened.people.mailLinkSecret('user-camille', 'secret-2')).toBe('secret-1');
        expect(await opened.people.mailLinkSecret('user-other', 'secret-3')).toBe('secret-3');
        await expect(opened.people.mailLinkSecret('user-nobody', 'secret-4')).rejects.toThrow(/FOREIGN KEY/);
      });

      it('forgets the choices, the link secret and the calendar feeds of an account an undone import removes', async () => {
        await opened.people.setMailPreference('user-camille', 'mention', 'never');
        expect(await opened.people.mailLinkSecret('user-camille', 'secret-1')).toBe('secret-1');
        await opened.accounts.calendars.putFeed({ id: 'feed-1', userId: 'user-camille', boardId: null, tokenHash: 'hash-feed-1', createdAt: '2026-01-01T00:00:00.000Z' });
        await opened.people.setMailPreference('user-other', 'mention', 'never');

        expect(await opened.people.deleteImportedUser('user-camille')).toBe(true);
        expect(await opened.accounts.calendars.findFeedByToken('hash-feed-1')).toBeUndefined();
        // An account made again with the same id starts afresh.
        await opened.people.createUser(user());
        expect(await opened.people.getMailPreferences('user-camille')).toEqual({});
        expect(await opened.people.mailLinkSecret('user-camille', 'secret-2')).toBe('secret-2');
        expect(await opened.accounts.calendars.listFeeds('user-camille')).toEqual([]);
        expect(await opened.people.getMailPreferences('user-other')).toEqual({ mention: 'never' });
      });
    });

    describe('API tokens', () => {
      opened.withPeople(user(), other());

      const token = (id: string, createdAt: string, userId = 'user-camille') => ({ id, userId, name: `token ${id}`, tokenHash: `hash-${id}`, createdAt });

      it('finds a token by hash and lists its owner’s tokens in creation order', async () => {
        await opened.people.createApiToken(token('t2', '2026-01-02T00:00:00.000Z'));
        await opened.people.createApiToken(token('t1', '2026-01-01T00:00:00.000Z'));
        await opened.people.createApiToken(token('t3', '2026-01-03T00:00:00.000Z', 'user-other'));
        await opened.people.createApiToken(token('t0', '2026-01-02T00:00:00.000Z'));

        expect(await opened.people.findApiToken('hash-t1')).toEqual({ id: 't1', userId: 'user-camille' });
        expect(await opened.people.findApiToken('hash-unknown')).toBeUndefined();
        expect(await opened.people.listApiTokens('user-camille')).toEqual([
          { id: 't1', name: 'token t1', createdAt: '2026-01-01T00:00:00.000Z', lastUsedAt: null },
          { id: 't2', name: 'token t2', createdAt: '2026-01-02T00:00:00.000Z', lastUsedAt: null },
          { id: 't0', name: 'token t0', createdAt: '2026-01-02T00:00:00.000Z', lastUsedAt: null },
        ]);
      });

      it('records when a token was last used', async () => {
        await opened.people.createApiToken(token('t1', '2026-01-01T00:00:00.000Z'));
        await opened.people.touchApiToken('t1', '2026-01-09T12:00:00.000Z');
        await opened.people.touchApiToken('t-unknown', '2026-01-09T12:00:00.000Z');
        expect((await opened.people.listApiTokens('user-camille'))[0].lastUsedAt).toBe('2026-01-09T12:00:00.000Z');
        expect(await opened.people.findApiToken('hash-t-unknown')).toBeUndefined();
      });

      it('refuses a token with a hash that is taken, or for a user that does not exist', async () => {
        await opened.people.createApiToken(token('t1', '2026-01-01T00:00:00.000Z'));
        await expect(opened.people.createApiToken({ ...token('t2', '2026-01-02T00:00:00.000Z'), tokenHash: 'hash-t1' })).rejects.toThrow();
        await expect(opened.people.createApiToken(token('t3', '2026-01-02T00:00:00.000Z', 'user-nobody'))).rejects.toThrow(/FOREIGN KEY/);
        expect(await opened.people.findApiToken('hash-t1')).toEqual({ id: 't1', userId: 'user-camille' });
        expect((await opened.people.listApiTokens('user-camille')).map((listed) => listed.id)).toEqual(['t1']);
      });

      it('deletes a token only for its owner', async () => {
        await opened.people.createApiToken(token('t1', '2026-01-01T00:00:00.000Z'));
        expect(await opened.people.deleteApiToken('user-other', 't1')).toBe(false);
        expect(await opened.people.findApiToken('hash-t1')).toEqual({ id: 't1', userId: 'user-camille' });

        expect(await opened.people.deleteApiToken('user-camille', 't1')).toBe(true);
        expect(await opened.people.findApiToken('hash-t1')).toBeUndefined();
        expect(await opened.people.listApiTokens('user-camille')).toEqual([]);
        expect(await opened.people.deleteApiToken('user-camille', 't1')).toBe(false);
      });
    });
  });
}
