/**
 * The contract every `ActivityStore` passes (audit log, notifications, board history): each test proves one rule of the doc comments in `server/src/store/account-store.ts`, or one rule
 * the SQLite schema enforces, or the order a list comes back in. `account-store.test.ts` runs it
 * over every implementation.
 */
import { describe, expect, it } from 'vitest';
import { user, other, board, notification, historyEntry, useAccountStores, type AccountStoreFixture } from './account-fixtures.js';

export function describeActivityStoreContract(name: string, factory: () => Promise<AccountStoreFixture>): void {
  describe(`ActivityStore contract: ${name}`, () => {
    const opened = useAccountStores(name, factory);

    describe('audit log', () => {
      it('lists events newest first with every field, by type, and pages with `before`', async () => {
        await opened.activity.recordAudit({ type: 'login_succeeded', actorId: 'user-camille', actorName: 'Camille', target: 'camille@example.org', details: {}, ip: '127.0.0.1', at: '2026-01-01T00:00:00.000Z' });
        await opened.activity.recordAudit({ type: 'login_failed', actorId: null, actorName: null, target: 'nobody@example.org', details: { reason: 'unknown', attempt: 2, locked: false, extra: null }, ip: null });
        await opened.activity.recordAudit({ type: 'login_succeeded', actorId: 'user-other', actorName: 'Other', target: null, details: {}, ip: '::1', at: '2026-01-03T00:00:00.000Z' });
        await opened.activity.recordAudit({ type: 'export', actorId: 'user-camille', actorName: 'Camille', target: null, details: { boards: 3 }, ip: null, at: '2026-01-04T00:00:00.000Z' });

        const all = await opened.activity.listAudit({ limit: 10 });
        expect(all.map((event) => event.type)).toEqual(['export', 'login_succeeded', 'login_failed', 'login_succeeded']);
        const ids = all.map((event) => event.id);
        expect([...ids].sort((a, b) => b - a)).toEqual(ids);
        expect(new Set(ids).size).toBe(4);
        expect(all[3]).toEqual({ id: ids[3], type: 'login_succeeded', actorId: 'user-camille', actorName: 'Camille', target: 'camille@example.org', details: {}, ip: '127.0.0.1', at: '2026-01-01T00:00:00.000Z' });
        expect(all[2]).toMatchObject({ actorId: null, actorName: null, ip: null, details: { reason: 'unknown', attempt: 2, locked: false, extra: null } });
        // Without `at`, the store stamps the event with the time of recording.
        expect(Date.parse(all[2].at)).toBeGreaterThan(Date.parse('2026-01-01T00:00:00.000Z'));

        expect((await opened.activity.listAudit({ limit: 2 })).map((event) => event.id)).toEqual(ids.slice(0, 2));
        expect((await opened.activity.listAudit({ limit: 2, before: ids[1] })).map((event) => event.id)).toEqual(ids.slice(2, 4));
        expect((await opened.activity.listAudit({ limit: 10, type: 'login_succeeded' })).map((event) => event.id)).toEqual([ids[1], ids[3]]);
        expect((await opened.activity.listAudit({ limit: 10, type: 'login_succeeded', before: ids[1] })).map((event) => event.id)).toEqual([ids[3]]);
        expect(await opened.activity.listAudit({ limit: 10, type: 'logout' })).toEqual([]);
        expect(await opened.activity.listAudit({ limit: 10, before: ids[3] })).toEqual([]);
      });
    });

    describe('notifications', () => {
      opened.withPeople(user(), other());

      it('lists a person’s notifications newest first with every field, ties by id, up to the limit', async () => {
        await opened.activity.createNotification('user-camille', notification('n-b', '2026-01-01T00:00:00.000Z'));
        await opened.activity.createNotification('user-camille', notification('n-c', '2026-01-02T00:00:00.000Z', { kind: 'sign_off_request', cardId: null, actorId: null, actorName: null }));
        await opened.activity.createNotification('user-camille', notification('n-a', '2026-01-02T00:00:00.000Z'));
        await opened.activity.createNotification('user-camille', notification('n-b2', '2026-01-02T00:00:00.000Z', { readAt: '2026-01-02T01:00:00.000Z' }));
        await opened.activity.createNotification('user-camille', notification('n-z', '2026-01-03T00:00:00.000Z', { kind: 'assignment' }));
        await opened.activity.createNotification('user-other', notification('n-other', '2026-01-04T00:00:00.000Z'));

        expect((await opened.activity.listNotifications('user-camille', 10)).map((listed) => listed.id)).toEqual(['n-z', 'n-a', 'n-b2', 'n-c', 'n-b']);
        // The limit cuts into the notifications of one instant: the first ones by id are kept.
        expect((await opened.activity.listNotifications('user-camille', 3)).map((listed) => listed.id)).toEqual(['n-z', 'n-a', 'n-b2']);
        expect((await opened.activity.listNotifications('user-camille', 1)).map((listed) => listed.id)).toEqual(['n-z']);
        const listed = await opened.activity.listNotifications('user-camille', 10);
        expect(listed.find((n) => n.id === 'n-c')).toEqual(notification('n-c', '2026-01-02T00:00:00.000Z', { kind: 'sign_off_request', cardId: null, actorId: null, actorName: null }));
        expect(listed.find((n) => n.id === 'n-b2')).toEqual(notification('n-b2', '2026-01-02T00:00:00.000Z', { readAt: '2026-01-02T01:00:00.000Z' }));
        expect(await opened.activity.listNotifications('user-nobody', 10)).toEqual([]);
      });

      it('refuses a notification for a person who does not exist, or whose id is taken', async () => {
        await opened.activity.createNotification('user-camille', notification('n-1', '2026-01-01T00:00:00.000Z'));
        await expect(opened.activity.createNotification('user-nobody', notification('n-2', '2026-01-01T00:00:00.000Z'))).rejects.toThrow(/FOREIGN KEY/);
        await expect(opened.activity.createNotification('user-other', notification('n-1', '2026-01-02T00:00:00.000Z'))).rejects.toThrow();
        expect(await opened.activity.listNotifications('user-other', 10)).toEqual([]);
        expect(await opened.activity.countUnreadNotifications('user-camille')).toBe(1);
      });

      it('counts unread notifications and marks some, then all, of one person’s read', async () => {
        for (const id of ['n-1', 'n-2', 'n-3']) await opened.activity.createNotification('user-camille', notification(id, '2026-01-01T00:00:00.000Z'));
        await opened.activity.createNotification('user-other', notification('n-other', '2026-01-01T00:00:00.000Z'));
        expect(await opened.activity.countUnreadNotifications('user-camille')).toBe(3);

        // Another person's id, an unknown one and an empty list change nothing.
        await opened.activity.markNotificationsRead('user-camille', ['n-1', 'n-other', 'n-unknown'], '2026-01-05T00:00:00.000Z');
        await opened.activity.markNotificationsRead('user-camille', [], '2026-01-05T00:00:00.000Z');
        expect(await opened.activity.countUnreadNotifications('user-camille')).toBe(2);
        expect(await opened.activity.countUnreadNotifications('user-other')).toBe(1);
        // Marking read again keeps the first time.
        await opened.activity.markNotificationsRead('user-camille', ['n-1'], '2026-01-06T00:00:00.000Z');

        await opened.activity.markNotificationsRead('user-camille', null, '2026-01-07T00:00:00.000Z');
        expect(await opened.activity.countUnreadNotifications('user-camille')).toBe(0);
        expect(await opened.activity.countUnreadNotifications('user-other')).toBe(1);
        const readAt = Object.fromEntries((await opened.activity.listNotifications('user-camille', 10)).map((n) => [n.id, n.readAt]));
        expect(readAt).toEqual({ 'n-1': '2026-01-05T00:00:00.000Z', 'n-2': '2026-01-07T00:00:00.000Z', 'n-3': '2026-01-07T00:00:00.000Z' });
      });
    });

    describe('board history', () => {
      it('lists a board’s entries newest first with every field, by card, and pages with `before`', async () => {
        await opened.activity.appendHistory('b1', [historyEntry('card-1', 'Porto'), historyEntry(null, 'Partenaires')]);
        await opened.activity.appendHistory('b2', [historyEntry('card-1', 'Elsewhere')]);
        await opened.activity.appendHistory('b1', [historyEntry('card-2', 'Dortmund'), historyEntry('card-1', 'Porto renamed', '2026-02-02T10:00:00.000Z')]);
        await opened.activity.appendHistory('b1', []);

        const all = await opened.activity.listHistory('b1', { limit: 10 });
        expect(all.map((entry) => entry.subject)).toEqual(['Porto renamed', 'Dortmund', 'Partenaires', 'Porto']);
        const ids = all.map((entry) => entry.id);
        expect([...ids].sort((a, b) => b - a)).toEqual(ids);
        expect(all[0]).toEqual({ id: ids[0], ...historyEntry('card-1', 'Porto renamed', '2026-02-02T10:00:00.000Z') });
        expect(all[2]).toEqual({ id: ids[2], ...historyEntry(null, 'Partenaires') });

        expect((await opened.activity.listHistory('b1', { cardId: 'card-1', limit: 10 })).map((entry) => entry.subject)).toEqual(['Porto renamed', 'Porto']);
        expect((await opened.activity.listHistory('b1', { limit: 2 })).map((entry) => entry.id)).toEqual(ids.slice(0, 2));
        expect((await opened.activity.listHistory('b1', { limit: 2, before: ids[1] })).map((entry) => entry.id)).toEqual(ids.slice(2, 4));
        expect((await opened.activity.listHistory('b1', { cardId: 'card-1', limit: 10, before: ids[0] })).map((entry) => entry.subject)).toEqual(['Porto']);
        expect(await opened.activity.listHistory('b1', { cardId: 'card-unknown', limit: 10 })).toEqual([]);
        expect((await opened.activity.listHistory('b2', { limit: 10 })).map((entry) => entry.subject)).toEqual(['Elsewhere']);
        expect(await opened.activity.listHistory('b3', { limit: 10 })).toEqual([]);
      });
    });
  });
}
