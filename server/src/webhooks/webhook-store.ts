/**
 * Where webhooks and their deliveries are kept: the webhooks an administrator registered, and a
 * persistent queue of deliveries with their tries, which is also the delivery log. Two
 * implementations (`SqliteWebhookStore`, `RedisWebhookStore`) pass one contract suite
 * (`test/contract/webhook-store.contract.ts`).
 */
import type { WebhookDeliveryView, WebhookEvent, WebhookScope } from '@passerelle/shared';

/** A registered webhook, with the secret its deliveries are signed with. */
export interface WebhookRecord {
  id: string;
  url: string;
  description: string;
  scope: WebhookScope;
  events: WebhookEvent[];
  internal: boolean;
  active: boolean;
  secret: string;
  createdBy: string;
  createdAt: string;
}

/** A delivery as queued: the event's JSON body, exactly as it is signed and sent. */
export interface NewWebhookDelivery {
  id: string;
  webhookId: string;
  event: WebhookEvent;
  body: string;
  createdAt: string;
}

export type WebhookDelivery = WebhookDeliveryView & { body: string };

export interface WebhookStore {
  createWebhook(webhook: WebhookRecord): Promise<void>;
  getWebhook(id: string): Promise<WebhookRecord | undefined>;
  /** Every webhook, oldest first. */
  listWebhooks(): Promise<WebhookRecord[]>;
  /** Writes the fields given; undefined when there is no such webhook. */
  updateWebhook(id: string, patch: Partial<Omit<WebhookRecord, 'id' | 'secret' | 'createdBy' | 'createdAt' | 'scope'>>): Promise<WebhookRecord | undefined>;
  /** Deletes a webhook and its deliveries; false when there was none. */
  deleteWebhook(id: string): Promise<boolean>;
  /** Queues a delivery, due at once. */
  enqueue(delivery: NewWebhookDelivery): Promise<void>;
  /**
   * Takes up to `limit` pending deliveries due at `now`, each leased until `leaseUntil` (due again
   * then, should this process die before recording the try): two processes never take the same one.
   */
  claimDue(now: string, leaseUntil: string, limit: number): Promise<WebhookDelivery[]>;
  recordDelivered(id: string, at: string, status: number): Promise<void>;
  /** A failed try: due again at `retryAt`, or failed for good when it is null. */
  recordFailure(id: string, at: string, failure: { status: number | null; error: string }, retryAt: string | null): Promise<void>;
  /** A webhook's deliveries, newest first. */
  listDeliveries(webhookId: string, limit: number): Promise<WebhookDeliveryView[]>;
  close(): Promise<void>;
}
