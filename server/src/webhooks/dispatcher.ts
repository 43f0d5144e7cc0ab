/**
 * Delivers the queued webhook deliveries: takes what is due from the store (leased, so that
 * several processes share the queue without sending anything twice), sends each, and records the
 * try; a failed try waits before the next (`retryDelaysMs`), and after the last it is failed for good.
 */
import type { Logger } from 'pino';
import { sendDelivery, type SendOptions } from './sender.js';
import type { WebhookDelivery, WebhookStore } from './webhook-store.js';

/** Waits before each retry (default): 10 s, 1 min, 5 min, 30 min, 2 h, 6 h; seven tries over about nine hours. */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [10_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000];

export interface DispatcherOptions {
  store: WebhookStore;
  logger: Logger;
  send: SendOptions;
  retryDelaysMs?: readonly number[];
  /** How often the queue is read (default 1 s); a new delivery also wakes it at once. */
  pollMs?: number;
  /** How long a taken delivery is this process's before another may take it (default 60 s, past the send time limit). */
  leaseMs?: number;
}

export class WebhookDispatcher {
  readonly #options: DispatcherOptions;
  readonly #delays: readonly number[];
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #closed = false;

  constructor(options: DispatcherOptions) {
    this.#options = options;
    this.#delays = options.retryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS;
    this.#schedule();
  }

  /** Reads the queue now (a delivery was just queued). */
  wake(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#drain()
      .catch((error: unknown) => this.#options.logger.error({ err: error }, 'webhook deliveries could not be read'))
      .finally(() => {
        this.#running = null;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  async #drain(): Promise<void> {
    const { store } = this.#options;
    for (;;) {
      const now = Date.now();
      const due = await store.claimDue(new Date(now).toISOString(), new Date(now + (this.#options.leaseMs ?? 60_000)).toISOString(), 20);
      if (due.length === 0 || this.#closed) return;
      await Promise.all(due.map((delivery) => this.#deliver(delivery)));
    }
  }

  async #deliver(delivery: WebhookDelivery): Promise<void> {
    const { store, logger } = this.#options;
    const webhook = await store.getWebhook(delivery.webhookId);
    const at = () => new Date().toISOString();
    if (!webhook || !webhook.active) {
      await store.recordFailure(delivery.id, at(), { status: null, error: webhook ? 'webhook inactive' : 'webhook deleted' }, null);
      return;
    }
    const result = await sendDelivery(webhook, delivery, this.#options.send);
    if (result.ok) {
      await store.recordDelivered(delivery.id, at(), result.status);
      return;
    }
    const delay = this.#delays[delivery.attempts];
    const retryAt = delay === undefined ? null : new Date(Date.now() + delay).toISOString();
    logger.info({ webhookId: webhook.id, deliveryId: delivery.id, attempt: delivery.attempts + 1, error: result.error, retryAt }, 'webhook delivery failed');
    await store.recordFailure(delivery.id, at(), { status: result.status, error: result.error }, retryAt);
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.wake();
      if (!this.#closed) this.#schedule();
    }, this.#options.pollMs ?? 1000);
    this.#timer.unref();
  }

  /** Stops reading the queue and waits for the tries under way (what is left stays queued). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }
}
