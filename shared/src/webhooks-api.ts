/**
 * Webhooks (`/api/webhooks`, administrators only): what an administrator registers, the events a
 * webhook may ask for, and the delivery log. The signature of each delivery is described in
 * `docs/api.md` ("Webhooks").
 */
import { z } from 'zod';

/** The events a webhook may ask for. `ping` is the test event, always sent when asked for by its button. */
export const WebhookEvent = z.enum([
  'card.created',
  'card.updated',
  'card.moved',
  'card.deleted',
  'card.stage_changed',
  'card.sign_off_given',
  'card.comment_added',
  /** Internal content of a card changed (budget, internal notes, sign-off discussion): internal webhooks only. */
  'card.internal_changed',
  'partner.changed',
  'agreement.changed',
  'mobility.changed',
  'ping',
]);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

/** The events an administrator may pick (the test event is not one of them). */
export const WEBHOOK_EVENTS = WebhookEvent.options.filter((event) => event !== 'ping');

/** Where a webhook listens: the whole workspace, or one board's events only. */
export const WebhookScope = z.discriminatedUnion('kind', [z.object({ kind: z.literal('workspace') }), z.object({ kind: z.literal('board'), boardId: z.string().min(1).max(64) })]);
export type WebhookScope = z.infer<typeof WebhookScope>;

const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/ }));

/** `POST /api/webhooks`. */
export const CreateWebhookRequest = z
  .object({
    url: webhookUrl,
    description: z.string().trim().max(200).default(''),
    scope: WebhookScope.default({ kind: 'workspace' }),
    events: z.array(WebhookEvent.exclude(['ping'])).min(1).max(WEBHOOK_EVENTS.length),
    /** Whether deliveries carry internal content (budgets, internal notes); never for a board's guests' eyes. */
    internal: z.boolean().default(false),
    active: z.boolean().default(true),
  })
  .strict();
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequest>;

/** `PATCH /api/webhooks/{webhookId}`: only the fields given change. */
export const UpdateWebhookRequest = z
  .object({
    url: webhookUrl.optional(),
    description: z.string().trim().max(200).optional(),
    events: z.array(WebhookEvent.exclude(['ping'])).min(1).max(WEBHOOK_EVENTS.length).optional(),
    internal: z.boolean().optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type UpdateWebhookRequest = z.infer<typeof UpdateWebhookRequest>;

/** A webhook as the API shows it (never its secret, except once at creation). */
export const WebhookView = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  scope: WebhookScope,
  events: z.array(WebhookEvent),
  internal: z.boolean(),
  active: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type WebhookView = z.infer<typeof WebhookView>;

export const WebhookCreated = WebhookView.extend({ secret: z.string() });
export type WebhookCreated = z.infer<typeof WebhookCreated>;
export const WebhookList = z.object({ webhooks: z.array(WebhookView) });

export const WebhookDeliveryStatus = z.enum(['pending', 'delivered', 'failed']);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>;

/** One delivery of one event to one webhook, with its tries. */
export const WebhookDeliveryView = z.object({
  id: z.string(),
  webhookId: z.string(),
  event: WebhookEvent,
  createdAt: z.string(),
  status: WebhookDeliveryStatus,
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  /** The HTTP status of the last answer, null when there was none (refused address, network error, timeout). */
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
});
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryView>;
export const WebhookDeliveryList = z.object({ deliveries: z.array(WebhookDeliveryView) });

/** The headers of a delivery: its event, its id, and its signature over `<timestamp>.<body>`. */
export const WEBHOOK_HEADERS = {
  event: 'X-Passerelle-Event',
  delivery: 'X-Passerelle-Delivery',
  /** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the webhook's secret>`. */
  signature: 'X-Passerelle-Signature',
} as const;
