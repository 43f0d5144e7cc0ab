/** The webhooks API (`/api/webhooks`), for the administrators' webhooks page. */
import type { CreateWebhookRequest, UpdateWebhookRequest, WebhookCreated, WebhookDeliveryView, WebhookView } from '@passerelle/shared';
import { request } from '#lib/api.js';

const path = (webhookId: string) => `/api/webhooks/${encodeURIComponent(webhookId)}`;

export const webhooksApi = {
  list: () => request<{ webhooks: WebhookView[] }>('GET', '/api/webhooks'),
  create: (body: CreateWebhookRequest) => request<WebhookCreated>('POST', '/api/webhooks', body),
  update: (webhookId: string, body: UpdateWebhookRequest) => request<WebhookView>('PATCH', path(webhookId), body),
  remove: (webhookId: string) => request<void>('DELETE', path(webhookId)),
  sendTest: (webhookId: string) => request<{ deliveryId: string }>('POST', `${path(webhookId)}/test`),
  deliveries: (webhookId: string) => request<{ deliveries: WebhookDeliveryView[] }>('GET', `${path(webhookId)}/deliveries`),
};
