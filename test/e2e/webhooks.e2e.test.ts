/**
 * An administrator adds a webhook on `/settings/webhooks` in Debian's Chromium, against the built
 * server, sends a test event to a real receiver and reads its delivery log.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_HEADERS } from '@passerelle/shared';
import { SCREENSHOT_DIR, browserRunPerFile, signIn } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';
import { VIEWPORTS, layoutProblems } from '../helpers/layout.js';
import { eventually } from '../helpers/test-server.js';

describe('webhooks set up by an administrator', () => {
  // The receiver listens on this machine: the server is told it may call such an address.
  const e2e = browserRunPerFile({ WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' });
  let admin: Page;
  let receiver: Server;
  let receiverUrl: string;
  const received: { event: string; signature: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      received.push({ event: String(request.headers[WEBHOOK_HEADERS.event.toLowerCase()]), signature: String(request.headers[WEBHOOK_HEADERS.signature.toLowerCase()]) });
      request.resume();
      request.on('end', () => response.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/moveon`;
    admin = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('adds a webhook from the administration tabs and is shown its secret once', async () => {
    await signIn(admin, e2e.server.url, ADMIN);
    await admin.goto(`${e2e.server.url}/settings/people`);
    await admin.getByTestId('admin-tab-webhooks').click();
    await admin.getByTestId('webhooks-page').waitFor();
    await admin.getByTestId('webhook-url').fill(receiverUrl);
    await admin.getByTestId('webhook-description').fill('MoveON');
    await admin.getByTestId('webhook-event-agreement.changed').check();
    await admin.getByTestId('create-webhook').click();
    await admin.getByTestId('webhook-secret').waitFor();
    expect(await admin.getByTestId('webhook-row').count()).toBe(1);
    expect(await admin.getByTestId('webhook-row').textContent()).toContain('Accord modifié');
  });

  it('sends a test event, which the receiver gets signed and the log shows delivered', async () => {
    await admin.getByTestId('webhook-test').click();
    await eventually(() => received.some((request) => request.event === 'ping'), 10_000, 'the test event');
    expect(received[0].signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    await expect.poll(() => admin.locator('[data-testid="webhook-delivery"][data-status="delivered"]').count(), { timeout: 10_000 }).toBe(1);
    expect(await admin.getByTestId('webhook-delivery').textContent()).toContain('Événement de test');
    await admin.screenshot({ path: join(SCREENSHOT_DIR, 'webhooks-1440.png'), fullPage: true });
  });

  it('reads right at every width, with the webhook and its log, and has no serious accessibility problem', async () => {
    for (const viewport of VIEWPORTS) {
      await admin.setViewportSize(viewport);
      await admin.waitForTimeout(200);
      const problems = await layoutProblems(admin, { text: ['[data-testid=webhook-row] .actions button', 'main h1'], onScreen: ['[data-testid=create-webhook]'] });
      expect(problems, viewport.name).toEqual([]);
      const axe = await new AxeBuilder({ page: admin }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      const blocking = axe.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
      expect(blocking, viewport.name).toEqual([]);
    }
    await admin.setViewportSize(VIEWPORTS[0]);
    await admin.screenshot({ path: join(SCREENSHOT_DIR, 'webhooks-390.png'), fullPage: true });
  });
});
