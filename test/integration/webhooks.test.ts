import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WEBHOOK_HEADERS, type RestCard, type WebhookCreated, type WebhookDeliveryView } from '@passerelle/shared';
import { verifySignature } from '../../server/src/webhooks/signing.js';
import { peopleWithBoardPerTest, serverPerTest } from '../helpers/per-test.js';
import { api, eventually, joinAsGuest } from '../helpers/test-server.js';

/** One request a receiver got: its headers and its raw body. */
interface Received {
  event: string;
  delivery: string;
  signature: string;
  body: string;
}

/** A real HTTP receiver on a free port: answers each request with the next status of `answers` (then 204). */
async function startReceiver(answers: number[] = []): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const header = (name: string) => String(request.headers[name.toLowerCase()] ?? '');
      received.push({ event: header(WEBHOOK_HEADERS.event), delivery: header(WEBHOOK_HEADERS.delivery), signature: header(WEBHOOK_HEADERS.signature), body: Buffer.concat(chunks).toString() });
      response.statusCode = answers.shift() ?? 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('webhooks', () => {
  // The receiver is on this machine: the tests allow loopback addresses, which a server refuses by default.
  const ctx = serverPerTest({ env: { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' }, webhookTiming: { retryDelaysMs: [200, 200], pollMs: 50, coalesceMs: 50 } });
  const workflow = peopleWithBoardPerTest(ctx, { reader: [] }, 'Mobilités');
  const { people } = workflow;
  const receivers: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });
  const url = () => ctx.server.url;
  const admin = () => ({ token: people.sri.token });
  const receiver = async (answers: number[] = []) => {
    const started = await startReceiver(answers);
    receivers.push(started);
    return started;
  };
  const register = async (body: Record<string, unknown>) => {
    const created = await api<WebhookCreated>(url(), '/api/webhooks', { method: 'POST', ...admin(), body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  };
  const proposalWithBudget = async () => {
    const sri = await workflow.open('sri');
    const columnId = sri.board.addColumn('Pistes');
    await eventually(async () => (await api<{ columns: unknown[] }>(url(), `/api/boards/${workflow.boardId}/columns`, admin())).body.columns.length === 1, 5000, 'column stored');
    const created = await api<RestCard>(url(), `/api/boards/${workflow.boardId}/cards`, { method: 'POST', ...admin(), body: { columnId, title: 'Échange avec Porto', kind: 'proposal', internal: { budgetEstimate: 12000 } } });
    expect(created.status).toBe(201);
    return created.body;
  };

  it('signs each delivery, retries after a failing answer, and keeps internal content from a hook not marked internal', async () => {
    const target = await receiver([500]);
    const hook = await register({ url: target.url, scope: { kind: 'board', boardId: workflow.boardId }, events: ['card.created', 'card.internal_changed'] });
    expect(hook.secret).toMatch(/^whsec_/);
    const card = await proposalWithBudget();

    await eventually(() => target.received.length >= 2, 10_000, 'the failed try and its retry');
    const [first, retry] = target.received;
    expect(retry.delivery).toBe(first.delivery);
    expect(retry.event).toBe('card.created');
    expect(verifySignature(hook.secret, retry.signature, retry.body)).toBe(true);
    expect(verifySignature('whsec_another', retry.signature, retry.body)).toBe(false);
    expect(verifySignature(hook.secret, retry.signature, retry.body.replace('Porto', 'Lisboa'))).toBe(false);
    const body = JSON.parse(retry.body) as { event: string; boardId: string; actor: { id: string }; data: { card: RestCard; internal?: unknown } };
    expect(body).toMatchObject({ event: 'card.created', boardId: workflow.boardId, actor: { id: people.sri.id }, data: { card: { id: card.id, title: 'Échange avec Porto' } } });
    // Nothing internal, in any delivery: neither the budget nor the internal-only event.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(target.received.every((request) => !request.body.includes('12000') && !request.body.includes('"internal"'))).toBe(true);
    expect(target.received.map((request) => request.event)).not.toContain('card.internal_changed');

    const log = await api<{ deliveries: WebhookDeliveryView[] }>(url(), `/api/webhooks/${hook.id}/deliveries`, admin());
    expect(log.body.deliveries).toHaveLength(1);
    expect(log.body.deliveries[0]).toMatchObject({ event: 'card.created', status: 'delivered', attempts: 2, lastStatus: 204 });
  });

  it('gives the internal content to a hook marked internal', async () => {
    const target = await receiver();
    await register({ url: target.url, events: ['card.created', 'card.internal_changed'], internal: true });
    const card = await proposalWithBudget();
    await eventually(() => target.received.some((request) => request.event === 'card.internal_changed'), 10_000, 'the internal change');
    // The card is created before its internal fields are written: its creation carries the internal part as it was then.
    const created = JSON.parse(target.received.find((request) => request.event === 'card.created')!.body) as { data: { internal?: { fields: { budgetEstimate: number | null } } } };
    expect(created.data.internal?.fields).toHaveProperty('budgetEstimate');
    const internal = JSON.parse(target.received.find((request) => request.event === 'card.internal_changed')!.body) as { data: { card: { id: string }; internal: { fields: { budgetEstimate: number } } } };
    expect(internal.data).toMatchObject({ card: { id: card.id }, internal: { fields: { budgetEstimate: 12000 } } });
  });

  it('tells of moves, stages, comments and agreements made in a browser, and only the events asked for', async () => {
    const target = await receiver();
    await register({ url: target.url, events: ['card.moved', 'card.comment_added', 'agreement.changed'] });
    const sri = await workflow.open('sri');
    const first = sri.board.addColumn('A');
    const second = sri.board.addColumn('B');
    const cardId = sri.board.addProposal(first, { title: 'Summer school', createdBy: people.sri.id });
    sri.board.moveCard(cardId, second, 0);
    sri.board.addComment(cardId, { authorId: people.sri.id, authorName: 'sri', text: 'Budget validé ?' });
    const created = await api<{ id: string }>(url(), '/api/workspace/agreements', { method: 'POST', ...admin(), body: { type: 'cooperation', title: 'Accord-cadre' } });
    await eventually(() => ['card.moved', 'card.comment_added', 'agreement.changed'].every((event) => target.received.some((request) => request.event === event)), 10_000, 'the three events');
    expect(target.received.map((request) => request.event)).not.toContain('card.created');
    const comment = JSON.parse(target.received.find((request) => request.event === 'card.comment_added')!.body) as { data: { comment: { text: string } } };
    expect(comment.data.comment.text).toBe('Budget validé ?');
    expect(created.status).toBe(201);
    const agreement = JSON.parse(target.received.find((request) => request.event === 'agreement.changed')!.body) as { data: { action: string; record: { id: string } } };
    expect(agreement.data).toMatchObject({ action: 'created', record: { id: created.body.id } });
  });

  it('sends a test event on request, and is for administrators only', async () => {
    const target = await receiver();
    const hook = await register({ url: target.url, events: ['card.created'] });
    expect((await api(url(), `/api/webhooks/${hook.id}/test`, { method: 'POST', ...admin() })).status).toBe(202);
    await eventually(() => target.received.some((request) => request.event === 'ping'), 10_000, 'the test event');
    expect((await api(url(), '/api/webhooks', { token: people.reader.token })).status).toBe(403);
    expect((await api(url(), `/api/webhooks/${hook.id}/test`, { method: 'POST', token: people.reader.token })).status).toBe(403);
    const guest = await joinAsGuest({ serverUrl: url(), as: admin(), boardId: workflow.boardId, role: 'editor' });
    expect((await api(url(), '/api/webhooks', { cookie: guest.cookie, headers: { origin: url() } })).status).toBe(403);
    const listed = await api<{ webhooks: Record<string, unknown>[] }>(url(), '/api/webhooks', admin());
    expect(listed.body.webhooks).toHaveLength(1);
    expect(listed.body.webhooks[0]).not.toHaveProperty('secret');
  });
});

describe('webhook addresses', () => {
  const ctx = serverPerTest();
  const workflow = peopleWithBoardPerTest(ctx, {}, 'Mobilités');

  it('refuses loopback, private and link-local addresses unless the server allows them, in the administrator’s language', async () => {
    for (const address of ['https://127.0.0.1/hooks', 'https://10.1.2.3/hooks', 'https://169.254.169.254/latest', 'https://[::1]/hooks', 'https://localhost/hooks']) {
      const refused = await api<{ error: { code: string; details: { message: string }[] } }>(ctx.server.url, '/api/webhooks', {
        method: 'POST',
        token: workflow.people.sri.token,
        headers: { 'accept-language': 'fr' },
        body: { url: address, events: ['card.created'] },
      });
      expect(refused.status, address).toBe(400);
      expect(refused.body.error.code).toBe('webhook_address_refused');
      expect(refused.body.error.details[0].message).toContain('réseau');
    }
    const plain = await api<{ error: { code: string } }>(ctx.server.url, '/api/webhooks', { method: 'POST', token: workflow.people.sri.token, body: { url: 'http://partners.example.org/hooks', events: ['card.created'] } });
    expect(plain.body.error.code).toBe('webhook_address_refused');
    expect((await api<{ webhooks: unknown[] }>(ctx.server.url, '/api/webhooks', { token: workflow.people.sri.token })).body.webhooks).toEqual([]);
  });
});
