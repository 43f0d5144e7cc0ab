/**
 * Webhooks over HTTP (`/api/webhooks`), for administrators only: register, change and delete
 * webhooks, send a test event, read the delivery log. A webhook calls only the address an
 * administrator entered, checked when it is entered and again at each connection (`address-guard.ts`).
 */
import express, { type Request } from 'express';
import {
  CreateWebhookRequest,
  UpdateWebhookRequest,
  isId,
  newId,
  translate,
  type WebhookCreated,
  type WebhookView,
} from '@passerelle/shared';
import type { Audit } from '../http/audit.js';
import { ApiError, parseBody, requestLocale } from '../http/errors.js';
import { memberOf, requireAdmin } from '../http/guards.js';
import type { BoardDirectory } from '../store/account-store.js';
import { checkWebhookHost } from './address-guard.js';
import { newWebhookSecret } from './signing.js';
import type { WebhookService } from './webhook-service.js';
import type { WebhookRecord } from './webhook-store.js';

export interface WebhookRouterOptions {
  webhooks: WebhookService;
  directory: Pick<BoardDirectory, 'getBoard'>;
  audit: Pick<Audit, 'record'>;
  allowPrivateAddresses: boolean;
}

/** A webhook without its secret. */
function viewOf({ secret: _secret, ...webhook }: WebhookRecord): WebhookView {
  return webhook;
}

/** How many deliveries the log shows. */
const DELIVERY_LOG_LIMIT = 100;

export function createWebhookRouter(options: WebhookRouterOptions): express.Router {
  const { webhooks, directory, audit } = options;
  const store = webhooks.store;
  const router = express.Router();

  /** Refuses an address the server will not call, saying why in the administrator's language. */
  const checkAddress = async (request: Request, url: string) => {
    const locale = requestLocale(request);
    if (new URL(url).protocol !== 'https:' && !options.allowPrivateAddresses) throw new ApiError('webhook_address_refused', [{ path: 'url', message: translate(locale, 'api.error.httpsRequired') }]);
    const checked = await checkWebhookHost(url, options.allowPrivateAddresses);
    if (checked.ok) return;
    const message = checked.address === null ? translate(locale, 'api.error.addressUnresolved') : translate(locale, 'api.error.addressRefused', { address: checked.address });
    throw new ApiError('webhook_address_refused', [{ path: 'url', message }]);
  };
  const webhookOf = async (request: Request) => {
    const webhook = await store.getWebhook(String(request.params.webhookId));
    if (!webhook) throw new ApiError('not_found');
    return webhook;
  };

  router.get('/webhooks', requireAdmin, async (_request, response) => {
    response.json({ webhooks: (await store.listWebhooks()).map(viewOf) });
  });

  router.post('/webhooks', requireAdmin, async (request, response) => {
    const input = parseBody(CreateWebhookRequest, request.body);
    if (input.scope.kind === 'board' && !(isId(input.scope.boardId) && (await directory.getBoard(input.scope.boardId)))) throw new ApiError('invalid_request', [{ path: 'scope.boardId', message: 'unknown board' }]);
    await checkAddress(request, input.url);
    const webhook: WebhookRecord = { id: newId(), ...input, secret: newWebhookSecret(), createdBy: memberOf(request).id, createdAt: new Date().toISOString() };
    await store.createWebhook(webhook);
    await audit.record(request, 'webhook_created', { target: webhook.id, details: { url: webhook.url, internal: webhook.internal } });
    response.status(201).json({ ...viewOf(webhook), secret: webhook.secret } satisfies WebhookCreated);
  });

  router.get('/webhooks/:webhookId', requireAdmin, async (request, response) => {
    response.json(viewOf(await webhookOf(request)));
  });

  router.patch('/webhooks/:webhookId', requireAdmin, async (request, response) => {
    const patch = parseBody(UpdateWebhookRequest, request.body);
    const current = await webhookOf(request);
    if (patch.url !== undefined && patch.url !== current.url) await checkAddress(request, patch.url);
    const updated = await store.updateWebhook(current.id, patch);
    if (!updated) throw new ApiError('not_found');
    await audit.record(request, 'webhook_changed', { target: current.id, details: { url: updated.url, internal: updated.internal, active: updated.active } });
    response.json(viewOf(updated));
  });

  router.delete('/webhooks/:webhookId', requireAdmin, async (request, response) => {
    const current = await webhookOf(request);
    await store.deleteWebhook(current.id);
    await audit.record(request, 'webhook_deleted', { target: current.id, details: { url: current.url } });
    response.status(204).end();
  });

  router.post('/webhooks/:webhookId/test', requireAdmin, async (request, response) => {
    const webhook = await webhookOf(request);
    const principal = request.principal!;
    const deliveryId = await webhooks.sendTest(webhook, { id: principal.id, name: principal.name, kind: principal.kind });
    response.status(202).json({ deliveryId });
  });

  router.get('/webhooks/:webhookId/deliveries', requireAdmin, async (request, response) => {
    const webhook = await webhookOf(request);
    response.json({ deliveries: await store.listDeliveries(webhook.id, DELIVERY_LOG_LIMIT) });
  });

  return router;
}
