/**
 * The contract of what a scheduler of e-mail records, `MailScheduleStore`, and of the links between
 * accounts and their identity at a single sign-on provider (`PeopleStore.findUserByExternalId`,
 * `linkExternalId`): each test proves one rule of the doc comments in `server/src/store/account-store.ts`.
 */
import { describe, expect, it } from 'vitest';
import { other, user, useAccountStores, type AccountStoreFixture } from './account-fixtures.js';

const ISSUER = 'https://login.school.example/realms/staff';

export function describeMailScheduleStoreContract(name: string, factory: () => Promise<AccountStoreFixture>): void {
  describe(`MailScheduleStore contract: ${name}`, () => {
    const opened = useAccountStores(name, factory);
    opened.withPeople(user(), other());

    it('records a reminder once: the first claim wins, every later one is refused, after a reopen too', async (context) => {
      const key = 'action:board-1:action-1:2026-12-03:user-camille';
      expect(await opened.accounts.mailSchedule.claimReminder(key, '2026-12-02T07:00:00.000Z')).toBe(true);
      expect(await opened.accounts.mailSchedule.claimReminder(key, '2026-12-02T07:01:00.000Z')).toBe(false);
      expect(await opened.accounts.mailSchedule.claimReminder('action:board-1:action-1:2026-12-04:user-camille', '2026-12-02T07:01:00.000Z')).toBe(true);
      await opened.reopen(context);
      expect(await opened.accounts.mailSchedule.claimReminder(key, '2026-12-02T08:00:00.000Z')).toBe(false);
    });

    it('hands one of two stores over the same storage each reminder and each digest', async (context) => {
      const [first, second] = await opened.twoStores(context);
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, index) => (index % 2 ? first : second).mailSchedule.claimReminder('section:b:p:s:2026-12-03:user-camille', `2026-12-02T07:00:0${index}.000Z`)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      const digests = await Promise.all([first, second, first, second].map((store) => store.mailSchedule.claimDigest('user-camille', '2026-12-02', '2026-12-02T07:00:00.000Z')));
      expect(digests.filter((claim) => claim !== null)).toEqual([{ previousAt: null }]);
    });

    it('claims a person’s digest once a day, says when the previous one was, and refuses an earlier day', async (context) => {
      const schedule = opened.accounts.mailSchedule;
      expect(await schedule.claimDigest('user-camille', '2026-12-01', '2026-12-01T07:00:00.000Z')).toEqual({ previousAt: null });
      expect(await schedule.claimDigest('user-camille', '2026-12-01', '2026-12-01T07:05:00.000Z')).toBeNull();
      expect(await schedule.claimDigest('user-other', '2026-12-01', '2026-12-01T07:00:30.000Z')).toEqual({ previousAt: null });
      expect(await schedule.claimDigest('user-camille', '2026-12-03', '2026-12-03T07:00:00.000Z')).toEqual({ previousAt: '2026-12-01T07:00:00.000Z' });
      expect(await schedule.claimDigest('user-camille', '2026-12-02', '2026-12-03T07:10:00.000Z')).toBeNull();
      await opened.reopen(context);
      expect(await opened.accounts.mailSchedule.claimDigest('user-camille', '2026-12-03', '2026-12-03T08:00:00.000Z')).toBeNull();
      expect(await opened.accounts.mailSchedule.claimDigest('user-camille', '2026-12-04', '2026-12-04T07:00:00.000Z')).toEqual({ previousAt: '2026-12-03T07:00:00.000Z' });
    });

    describe('external identities', () => {
      it('finds an account by its issuer and subject once linked, and no other', async (context) => {
        expect(await opened.people.findUserByExternalId(ISSUER, 'sub-1')).toBeUndefined();
        expect(await opened.people.linkExternalId('user-camille', ISSUER, 'sub-1')).toBe(true);
        expect(await opened.people.findUserByExternalId(ISSUER, 'sub-1')).toEqual(user());
        expect(await opened.people.findUserByExternalId('https://other.example', 'sub-1')).toBeUndefined();
        expect(await opened.people.findUserByExternalId(ISSUER, 'sub-2')).toBeUndefined();
        // Linking again to the same identity changes nothing.
        expect(await opened.people.linkExternalId('user-camille', ISSUER, 'sub-1')).toBe(true);
        await opened.reopen(context);
        await expect(opened.people.findUserByExternalId(ISSUER, 'sub-1')).resolves.toMatchObject({ id: 'user-camille' });
      });

      it('refuses an identity already another account’s, and a second subject of one issuer for an account', async () => {
        await opened.people.linkExternalId('user-camille', ISSUER, 'sub-1');
        expect(await opened.people.linkExternalId('user-other', ISSUER, 'sub-1')).toBe(false);
        expect(await opened.people.linkExternalId('user-camille', ISSUER, 'sub-2')).toBe(false);
        expect(await opened.people.findUserByExternalId(ISSUER, 'sub-2')).toBeUndefined();
        expect((await opened.people.findUserByExternalId(ISSUER, 'sub-1'))?.id).toBe('user-camille');
        // Another issuer is another identity.
        expect(await opened.people.linkExternalId('user-other', 'https://other.example', 'sub-1')).toBe(true);
      });

      it('refuses to link an unknown person', async () => {
        await expect(opened.people.linkExternalId('user-nobody', ISSUER, 'sub-1')).rejects.toThrow(/FOREIGN KEY/);
        expect(await opened.people.findUserByExternalId(ISSUER, 'sub-1')).toBeUndefined();
      });

      it('forgets the links of an imported account removed', async () => {
        await opened.people.createUser(user({ id: 'user-imported', email: 'imported@example.org', deactivatedAt: '2026-01-01T00:00:00.000Z' }));
        await opened.people.linkExternalId('user-imported', ISSUER, 'sub-9');
        expect(await opened.people.deleteImportedUser('user-imported')).toBe(true);
        expect(await opened.people.findUserByExternalId(ISSUER, 'sub-9')).toBeUndefined();
        expect(await opened.people.linkExternalId('user-other', ISSUER, 'sub-9')).toBe(true);
      });
    });
  });
}
