/**
 * The contract every `MailOutbox` passes: each test proves one rule of the doc comments in
 * `server/src/store/account-store.ts`. `account-store.test.ts` runs it over every implementation.
 */
import { describe, expect, it } from 'vitest';
import type { NewOutboxMessage } from '../../server/src/store/account-store.js';
import { useAccountStores, type AccountStoreFixture } from './account-fixtures.js';

const message = (id: string, createdAt: string, overrides: Partial<NewOutboxMessage> = {}): NewOutboxMessage => ({
  id,
  kind: 'test',
  to: 'camille@example.org',
  subject: `Subject ${id}`,
  text: 'Bonjour,\n\nun message.',
  html: '<p>Bonjour, un message.</p>',
  headers: { 'List-Unsubscribe': '<https://passerelle.example/unsubscribe?token=x>' },
  createdAt,
  ...overrides,
});

export function describeMailOutboxContract(name: string, factory: () => Promise<AccountStoreFixture>): void {
  describe(`MailOutbox contract: ${name}`, () => {
    const opened = useAccountStores(name, factory);
    const outbox = () => opened.accounts.mail;

    it('keeps a message as written, pending and due at once', async () => {
      await outbox().enqueue(message('m1', '2026-03-01T10:00:00.000Z'));
      expect(await outbox().getMessage('m1')).toEqual({
        ...message('m1', '2026-03-01T10:00:00.000Z'),
        status: 'pending',
        attempts: 0,
        nextAttemptAt: '2026-03-01T10:00:00.000Z',
        lastAttemptAt: null,
        lastError: null,
        sentAt: null,
      });
      expect(await outbox().getMessage('unknown')).toBeUndefined();
    });

    it('hands out due messages oldest first, up to the limit, each once until its lease ends', async () => {
      await outbox().enqueue(message('m2', '2026-03-01T10:02:00.000Z'));
      await outbox().enqueue(message('m1', '2026-03-01T10:01:00.000Z'));
      await outbox().enqueue(message('later', '2026-03-01T12:00:00.000Z'));
      const claimed = await outbox().claimDue('2026-03-01T11:00:00.000Z', '2026-03-01T11:05:00.000Z', 10);
      expect(claimed.map((m) => m.id)).toEqual(['m1', 'm2']);
      expect(claimed[0].nextAttemptAt).toBe('2026-03-01T11:05:00.000Z');
      expect(await outbox().claimDue('2026-03-01T11:01:00.000Z', '2026-03-01T11:06:00.000Z', 10)).toEqual([]);
      // A sender that died: its lease ends and the message is due again.
      expect((await outbox().claimDue('2026-03-01T11:05:00.000Z', '2026-03-01T11:10:00.000Z', 1)).map((m) => m.id)).toEqual(['m1']);
    });

    it('hands a due message to only one of two concurrent senders', async () => {
      await outbox().enqueue(message('m1', '2026-03-01T10:00:00.000Z'));
      const [a, b] = await Promise.all([
        outbox().claimDue('2026-03-01T11:00:00.000Z', '2026-03-01T11:05:00.000Z', 10),
        outbox().claimDue('2026-03-01T11:00:00.000Z', '2026-03-01T11:05:00.000Z', 10),
      ]);
      expect([...a, ...b].map((m) => m.id)).toEqual(['m1']);
    });

    it('records a failure with its retry, then the sending, and lists only messages still failing', async () => {
      await outbox().enqueue(message('m1', '2026-03-01T10:00:00.000Z'));
      await outbox().enqueue(message('m2', '2026-03-01T10:00:01.000Z'));
      await outbox().recordFailure('m1', '2026-03-01T10:00:05.000Z', '451 Try again later', '2026-03-01T10:01:05.000Z');
      await outbox().recordFailure('m2', '2026-03-01T10:00:06.000Z', 'connection refused', '2026-03-01T10:01:06.000Z');
      expect(await outbox().getMessage('m1')).toMatchObject({ status: 'pending', attempts: 1, lastError: '451 Try again later', nextAttemptAt: '2026-03-01T10:01:05.000Z' });
      expect((await outbox().listFailures(10)).map((m) => m.id)).toEqual(['m2', 'm1']);
      expect(await outbox().claimDue('2026-03-01T10:01:00.000Z', '2026-03-01T10:06:00.000Z', 10)).toEqual([]);
      expect((await outbox().claimDue('2026-03-01T10:01:05.000Z', '2026-03-01T10:06:00.000Z', 10)).map((m) => m.id)).toEqual(['m1']);

      await outbox().recordSent('m1', '2026-03-01T10:01:06.000Z');
      expect(await outbox().getMessage('m1')).toMatchObject({ status: 'sent', attempts: 2, sentAt: '2026-03-01T10:01:06.000Z' });
      expect((await outbox().listFailures(10)).map((m) => m.id)).toEqual(['m2']);
      expect(await outbox().claimDue('2026-03-02T00:00:00.000Z', '2026-03-02T00:05:00.000Z', 10)).toEqual([expect.objectContaining({ id: 'm2' })]);
    });

    it('gives a message up: never handed out again, still listed as failed', async () => {
      await outbox().enqueue(message('m1', '2026-03-01T10:00:00.000Z'));
      await outbox().recordFailure('m1', '2026-03-01T10:00:05.000Z', '550 No such user', null);
      expect(await outbox().getMessage('m1')).toMatchObject({ status: 'failed', attempts: 1, lastError: '550 No such user' });
      expect(await outbox().claimDue('2026-03-09T00:00:00.000Z', '2026-03-09T00:05:00.000Z', 10)).toEqual([]);
      expect((await outbox().listFailures(1)).map((m) => m.id)).toEqual(['m1']);
    });
  });
}
