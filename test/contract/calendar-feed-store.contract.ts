/**
 * The contract every `CalendarFeedStore` passes: each test proves one rule of its doc comments in
 * `server/src/store/account-store.ts`. `account-store.test.ts` runs it over every implementation.
 */
import { describe, expect, it } from 'vitest';
import { board, other, user, useAccountStores, type AccountStoreFixture } from './account-fixtures.js';

const feed = (id: string, boardId: string | null, createdAt: string, userId = 'user-camille') => ({ id, userId, boardId, tokenHash: `hash-${id}`, createdAt });
const listed = ({ tokenHash: _, ...record }: ReturnType<typeof feed>) => record;

export function describeCalendarFeedStoreContract(name: string, factory: () => Promise<AccountStoreFixture>): void {
  describe(`CalendarFeedStore contract: ${name}`, () => {
    const opened = useAccountStores(name, factory);
    opened.withPeople(user(), other());

    describe('feeds', () => {
      it('finds a feed by its secret’s hash and lists a person’s feeds in creation order', async () => {
        await opened.directory.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await opened.accounts.calendars.putFeed(feed('f2', 'b1', '2026-01-02T00:00:00.000Z'));
        await opened.accounts.calendars.putFeed(feed('f1', null, '2026-01-01T00:00:00.000Z'));
        await opened.accounts.calendars.putFeed(feed('f3', null, '2026-01-03T00:00:00.000Z', 'user-other'));

        expect(await opened.accounts.calendars.findFeedByToken('hash-f2')).toEqual(listed(feed('f2', 'b1', '2026-01-02T00:00:00.000Z')));
        expect(await opened.accounts.calendars.findFeedByToken('hash-f1')).toEqual(listed(feed('f1', null, '2026-01-01T00:00:00.000Z')));
        expect(await opened.accounts.calendars.findFeedByToken('hash-unknown')).toBeUndefined();
        expect((await opened.accounts.calendars.listFeeds('user-camille')).map((found) => found.id)).toEqual(['f1', 'f2']);
        expect((await opened.accounts.calendars.listFeeds('user-other')).map((found) => found.id)).toEqual(['f3']);
      });

      it('renews a feed: a second one for the same person and board replaces it and its secret', async () => {
        await opened.directory.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await opened.accounts.calendars.putFeed(feed('own-1', null, '2026-01-01T00:00:00.000Z'));
        await opened.accounts.calendars.putFeed(feed('board-1', 'b1', '2026-01-01T00:00:00.000Z'));
        await opened.accounts.calendars.putFeed(feed('own-2', null, '2026-01-02T00:00:00.000Z'));
        await opened.accounts.calendars.putFeed(feed('board-2', 'b1', '2026-01-03T00:00:00.000Z'));

        expect(await opened.accounts.calendars.findFeedByToken('hash-own-1')).toBeUndefined();
        expect(await opened.accounts.calendars.findFeedByToken('hash-board-1')).toBeUndefined();
        expect((await opened.accounts.calendars.listFeeds('user-camille')).map((found) => found.id)).toEqual(['own-2', 'board-2']);
      });

      it('refuses a feed for a person or a board that does not exist, or with a secret that is taken', async () => {
        await expect(opened.accounts.calendars.putFeed(feed('f1', null, '2026-01-01T00:00:00.000Z', 'user-nobody'))).rejects.toThrow(/FOREIGN KEY/);
        await expect(opened.accounts.calendars.putFeed(feed('f2', 'b-nowhere', '2026-01-01T00:00:00.000Z'))).rejects.toThrow(/FOREIGN KEY/);
        await opened.accounts.calendars.putFeed(feed('f3', null, '2026-01-01T00:00:00.000Z'));
        await expect(opened.accounts.calendars.putFeed({ ...feed('f4', null, '2026-01-01T00:00:00.000Z', 'user-other'), tokenHash: 'hash-f3' })).rejects.toThrow();
        expect(await opened.accounts.calendars.findFeedByToken('hash-f3')).toMatchObject({ id: 'f3', userId: 'user-camille' });
        expect(await opened.accounts.calendars.listFeeds('user-other')).toEqual([]);
      });

      it('revokes a feed only for its owner', async () => {
        await opened.accounts.calendars.putFeed(feed('f1', null, '2026-01-01T00:00:00.000Z'));
        expect(await opened.accounts.calendars.deleteFeed('user-other', 'f1')).toBe(false);
        expect(await opened.accounts.calendars.findFeedByToken('hash-f1')).toMatchObject({ id: 'f1' });

        expect(await opened.accounts.calendars.deleteFeed('user-camille', 'f1')).toBe(true);
        expect(await opened.accounts.calendars.findFeedByToken('hash-f1')).toBeUndefined();
        expect(await opened.accounts.calendars.listFeeds('user-camille')).toEqual([]);
        expect(await opened.accounts.calendars.deleteFeed('user-camille', 'f1')).toBe(false);
        // The slot is free again.
        await opened.accounts.calendars.putFeed(feed('f2', null, '2026-01-02T00:00:00.000Z'));
        expect((await opened.accounts.calendars.listFeeds('user-camille')).map((found) => found.id)).toEqual(['f2']);
      });

      it('takes a deleted board’s feeds with it, and only those', async () => {
        await opened.directory.createBoard(board('b1', '2026-01-01T00:00:00.000Z'));
        await opened.directory.createBoard(board('b2', '2026-01-01T00:00:00.000Z'));
        await opened.accounts.calendars.putFeed(feed('own', null, '2026-01-01T00:00:00.000Z'));
        await opened.accounts.calendars.putFeed(feed('b1-old', 'b1', '2026-01-02T00:00:00.000Z'));
        // Renewed: the board's feed is the newer one.
        await opened.accounts.calendars.putFeed(feed('b1-camille', 'b1', '2026-01-03T00:00:00.000Z'));
        await opened.accounts.calendars.putFeed(feed('b1-other', 'b1', '2026-01-03T00:00:00.000Z', 'user-other'));
        await opened.accounts.calendars.putFeed(feed('b2-camille', 'b2', '2026-01-04T00:00:00.000Z'));

        expect(await opened.directory.deleteBoard('b1')).toBe(true);

        for (const gone of ['b1-old', 'b1-camille', 'b1-other']) expect(await opened.accounts.calendars.findFeedByToken(`hash-${gone}`)).toBeUndefined();
        expect((await opened.accounts.calendars.listFeeds('user-camille')).map((found) => found.id)).toEqual(['own', 'b2-camille']);
        expect(await opened.accounts.calendars.listFeeds('user-other')).toEqual([]);
        // A board made again with the same id starts without feeds, and takes new ones.
        await opened.directory.createBoard(board('b1', '2026-02-01T00:00:00.000Z'));
        await opened.accounts.calendars.putFeed(feed('b1-new', 'b1', '2026-02-01T00:00:00.000Z', 'user-other'));
        expect((await opened.accounts.calendars.listFeeds('user-other')).map((found) => found.id)).toEqual(['b1-new']);
        expect(await opened.accounts.calendars.findFeedByToken('hash-b2-camille')).toMatchObject({ id: 'b2-camille' });
      });
    });

    describe('event stamps', () => {
      it('starts an event at sequence 0, keeps its stamp while it is unchanged and raises it by one when it changes', async () => {
        const calendars = () => opened.accounts.calendars;
        const first = await calendars().stampEvents([{ uid: 'a', fingerprint: 'x' }, { uid: 'b', fingerprint: 'y' }], '2026-01-01T00:00:00.000Z');
        expect(Object.fromEntries(first)).toEqual({ a: { sequence: 0, modifiedAt: '2026-01-01T00:00:00.000Z' }, b: { sequence: 0, modifiedAt: '2026-01-01T00:00:00.000Z' } });

        const second = await calendars().stampEvents([{ uid: 'a', fingerprint: 'x' }, { uid: 'b', fingerprint: 'z' }], '2026-01-02T00:00:00.000Z');
        expect(Object.fromEntries(second)).toEqual({ a: { sequence: 0, modifiedAt: '2026-01-01T00:00:00.000Z' }, b: { sequence: 1, modifiedAt: '2026-01-02T00:00:00.000Z' } });

        const third = await calendars().stampEvents([{ uid: 'b', fingerprint: 'y' }], '2026-01-03T00:00:00.000Z');
        expect(third.get('b')).toEqual({ sequence: 2, modifiedAt: '2026-01-03T00:00:00.000Z' });
        expect((await calendars().stampEvents([], '2026-01-04T00:00:00.000Z')).size).toBe(0);
      });
    });
  });
}
