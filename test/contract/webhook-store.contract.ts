/**
 * The contract every `WebhookStore` passes: each test proves one rule of the doc comments in
 * `server/src/webhooks/webhook-store.ts`. `webhook-store.test.ts` runs it over every implementation.
 */
import { describe, expect, it } from 'vitest';
import type { NewWebhookDelivery, WebhookRecord, WebhookStore } from '../../server/src/webhooks/webhook-store.js';
import { storePerTest, type DurableStoreFixture } from '../helpers/store-fixture.js';

export type WebhookStoreFixture = DurableStoreFixture<WebhookStore>;

const webhook = (id: string, createdAt: string, overrides: Partial<WebhookRecord> = {}): WebhookRecord => ({
  id,
  url: `https://partners.example.org/hooks/${id}`,
  description: 'MoveON',
  scope: { kind: 'workspace' },
  events: ['card.created', 'agreement.changed'],
  internal: false,
  active: true,
  secret: `whsec_${id}`,
  createdBy: 'admin',
  createdAt,
  ...overrides,
});

const delivery = (id: string, webhookId: string, createdAt: string): NewWebhookDelivery => ({ id, webhookId, event: 'card.created', body: `{"id":"${id}"}`, createdAt });

export function describeWebhookStoreContract(name: string, factory: () => Promise<WebhookStoreFixture>): void {
  describe(`WebhookStore contract: ${name}`, () => {
    const opened = storePerTest(name, factory);
    const store = () => opened.store;

    it('keeps webhooks as registered, oldest first, and survives reopening', async () => {
      await store().createWebhook(webhook('w2', '2026-03-01T10:00:01.000Z', { scope: { kind: 'board', boardId: 'b1' }, internal: true }));
      await store().createWebhook(webhook('w1', '2026-03-01T10:00:00.000Z'));
      expect((await store().listWebhooks()).map((hook) => hook.id)).toEqual(['w1', 'w2']);
      const reopened = await opened.fixture.reopen();
      expect(await reopened.getWebhook('w2')).toEqual(webhook('w2', '2026-03-01T10:00:01.000Z', { scope: { kind: 'board', boardId: 'b1' }, internal: true }));
      expect(await reopened.getWebhook('unknown')).toBeUndefined();
    });

    it('changes only the fields given, and deletes a webhook with its deliveries', async () => {
      await store().createWebhook(webhook('w1', '2026-03-01T10:00:00.000Z'));
      const updated = await store().updateWebhook('w1', { active: false, events: ['card.moved'] });
      expect(updated).toEqual(webhook('w1', '2026-03-01T10:00:00.000Z', { active: false, events: ['card.moved'] }));
      expect(await store().getWebhook('w1')).toEqual(updated);
      expect(await store().updateWebhook('unknown', { active: false })).toBeUndefined();
      await store().enqueue(delivery('d1', 'w1', '2026-03-01T10:00:00.000Z'));
      expect(await store().deleteWebhook('w1')).toBe(true);
      expect(await store().deleteWebhook('w1')).toBe(false);
      expect(await store().listDeliveries('w1', 10)).toEqual([]);
      expect(await store().claimDue('2026-03-01T11:00:00.000Z', '2026-03-01T11:01:00.000Z', 10)).toEqual([]);
    });

    it('hands out due deliveries oldest first, up to the limit, each once until its lease ends, even to a second process', async () => {
      await store().createWebhook(webhook('w1', '2026-03-01T10:00:00.000Z'));
      await store().enqueue(delivery('d2', 'w1', '2026-03-01T10:00:02.000Z'));
      await store().enqueue(delivery('d1', 'w1', '2026-03-01T10:00:01.000Z'));
      await store().enqueue(delivery('d3', 'w1', '2026-03-01T12:00:00.000Z'));
      const now = '2026-03-01T11:00:00.000Z';
      const lease = '2026-03-01T11:00:30.000Z';
      const first = await store().claimDue(now, lease, 1);
      expect(first.map((taken) => [taken.id, taken.body, taken.nextAttemptAt])).toEqual([['d1', '{"id":"d1"}', lease]]);
      const other = await opened.fixture.openAnother();
      expect((await other.claimDue(now, lease, 10)).map((taken) => taken.id)).toEqual(['d2']);
      expect(await store().claimDue(now, lease, 10)).toEqual([]);
      // Both leases end together: either order.
      expect((await store().claimDue(lease, '2026-03-01T11:01:00.000Z', 10)).map((taken) => taken.id).sort()).toEqual(['d1', 'd2']);
    });

    it('records tries: a failure waits until its retry, a last failure and a delivery are never handed out again', async () => {
      await store().createWebhook(webhook('w1', '2026-03-01T10:00:00.000Z'));
      await store().enqueue(delivery('d1', 'w1', '2026-03-01T10:00:00.000Z'));
      await store().enqueue(delivery('d2', 'w1', '2026-03-01T10:00:01.000Z'));
      await store().claimDue('2026-03-01T10:00:05.000Z', '2026-03-01T10:00:35.000Z', 10);
      await store().recordFailure('d1', '2026-03-01T10:00:06.000Z', { status: 503, error: 'HTTP 503' }, '2026-03-01T10:01:00.000Z');
      await store().recordDelivered('d2', '2026-03-01T10:00:06.000Z', 204);
      expect(await store().claimDue('2026-03-01T10:00:59.000Z', '2026-03-01T10:02:00.000Z', 10)).toEqual([]);
      const retried = await store().claimDue('2026-03-01T10:01:00.000Z', '2026-03-01T10:02:00.000Z', 10);
      expect(retried.map((taken) => [taken.id, taken.attempts, taken.lastStatus, taken.lastError])).toEqual([['d1', 1, 503, 'HTTP 503']]);
      await store().recordFailure('d1', '2026-03-01T10:01:01.000Z', { status: null, error: 'timeout' }, null);
      expect(await store().claimDue('2026-03-02T00:00:00.000Z', '2026-03-02T00:01:00.000Z', 10)).toEqual([]);
      const log = await store().listDeliveries('w1', 10);
      expect(log.map((entry) => [entry.id, entry.status, entry.attempts, entry.lastStatus, entry.lastError])).toEqual([
        ['d2', 'delivered', 1, 204, null],
        ['d1', 'failed', 2, null, 'timeout'],
      ]);
      expect(log[0]).not.toHaveProperty('body');
      expect(await store().listDeliveries('w1', 1)).toHaveLength(1);
    });
  });
}
