/**
 * The e-mail outbox against a real SMTP server: a message is written before it is sent, a refused
 * one is retried until the server accepts it, one refused every time is given up, and
 * administrators see the failures and can send themselves a test message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailSettings } from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { ADMIN, api, eventually, login } from '../helpers/test-server.js';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
});

describe('the e-mail outbox', () => {
  const ctx = serverPerTest(() => ({
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Passerelle <passerelle@school.example>' },
    mailRetryDelaysMs: [200, 200, 200],
  }));

  const settings = async (cookie: string) => (await api<MailSettings>(ctx.server.url, '/api/mail', { cookie })).body;

  it('sends an administrator’s test message in their language', async () => {
    const cookie = await login(ctx.server.url, ADMIN);
    smtp.received.length = 0;
    const sent = await api<{ id: string }>(ctx.server.url, '/api/mail/test', { method: 'POST', cookie, headers: { 'accept-language': 'fr-FR' } });
    expect(sent.status).toBe(202);
    const mail = await smtp.mailTo(ADMIN.email);
    expect(mail.subject).toBe('Message d’essai de Passerelle');
    expect(mail.text).toContain('Si vous le lisez');
    expect(mail.html).toContain('Si vous le lisez');
    // Recorded once the mail server's acceptance has reached the sender, just after it has the message.
    await eventually(async () => (await ctx.server.accounts.mail.getMessage(sent.body.id))?.status === 'sent', 5000, 'the message recorded as sent');
    expect(await ctx.server.accounts.mail.getMessage(sent.body.id)).toMatchObject({ status: 'sent', attempts: 1, kind: 'test' });
    expect(await settings(cookie)).toEqual({ enabled: true, from: 'Passerelle <passerelle@school.example>', failures: [] });
  });

  it('retries a message the SMTP server refuses until it accepts it, listing the failure meanwhile', async () => {
    const cookie = await login(ctx.server.url, ADMIN);
    smtp.received.length = 0;
    smtp.refuseNext(2);
    const sent = await api<{ id: string }>(ctx.server.url, '/api/mail/test', { method: 'POST', cookie });
    // Written before any try: it is in the outbox whatever happens next.
    expect(await ctx.server.accounts.mail.getMessage(sent.body.id)).toBeDefined();
    await eventually(async () => (await settings(cookie)).failures.length === 1, 5000, 'the failure listed');
    const [failure] = (await settings(cookie)).failures;
    expect(failure).toMatchObject({ id: sent.body.id, kind: 'test', to: ADMIN.email, status: 'pending' });
    expect(failure.lastError).toMatch(/451/);

    const mail = await smtp.mailTo(ADMIN.email);
    expect(mail.subject).toBe('Passerelle test message');
    expect(smtp.received).toHaveLength(1);
    await eventually(async () => (await ctx.server.accounts.mail.getMessage(sent.body.id))?.status === 'sent', 5000, 'the message recorded as sent');
    expect(await ctx.server.accounts.mail.getMessage(sent.body.id)).toMatchObject({ status: 'sent', attempts: 3 });
    expect((await settings(cookie)).failures).toEqual([]);
  });

  it('gives a message up after its last retry and keeps it listed as failed', async () => {
    const cookie = await login(ctx.server.url, ADMIN);
    smtp.received.length = 0;
    smtp.refuseNext(4);
    const sent = await api<{ id: string }>(ctx.server.url, '/api/mail/test', { method: 'POST', cookie });
    await eventually(async () => (await ctx.server.accounts.mail.getMessage(sent.body.id))?.status === 'failed', 10_000, 'the message given up');
    expect((await settings(cookie)).failures).toEqual([expect.objectContaining({ id: sent.body.id, status: 'failed', attempts: 4, nextAttemptAt: null })]);
    smtp.refuseNext(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.received).toHaveLength(0);
  });

  it('shows the mail settings to administrators only', async () => {
    await api(ctx.server.url, '/api/users', { method: 'POST', cookie: await login(ctx.server.url, ADMIN), body: { email: 'lea@example.org', password: 'lea-password-1', name: 'Léa' } });
    const member = await login(ctx.server.url, { email: 'lea@example.org', password: 'lea-password-1' });
    expect((await api(ctx.server.url, '/api/mail', { cookie: member })).status).toBe(403);
    expect((await api(ctx.server.url, '/api/mail/test', { method: 'POST', cookie: member })).status).toBe(403);
  });
});

describe('without SMTP_URL', () => {
  const ctx = serverPerTest();

  it('says e-mail is off and refuses a test message', async () => {
    const cookie = await login(ctx.server.url, ADMIN);
    expect((await api<MailSettings>(ctx.server.url, '/api/mail', { cookie })).body).toEqual({ enabled: false, from: null, failures: [] });
    const refused = await api<{ error: { code: string } }>(ctx.server.url, '/api/mail/test', { method: 'POST', cookie });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('mail_not_configured');
  });
});
