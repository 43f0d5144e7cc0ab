/**
 * A forgotten password, reset in Debian's Chromium against the built server from the e-mail a real
 * SMTP server received: the sign-in page offers the reset, the e-mail's link opens the reset page,
 * and the new password signs in while the old one no longer does.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, signIn, startBrowserRun, type BrowserRun } from '../helpers/browser.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { ADMIN, api, login } from '../helpers/test-server.js';

const AMINA = { email: 'amina.diallo@example.org', password: 'baobab-de-dakar', name: 'Amina Diallo' } as const;
const NEW_PASSWORD = 'fromager-du-sine';

describe('resetting a forgotten password from the e-mail', () => {
  let smtp: TestSmtpServer;
  let run: BrowserRun;
  let page: Page;
  let resetLink: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    run = await startBrowserRun({ SMTP_URL: smtp.url, MAIL_FROM: 'Passerelle <passerelle@school.example>' });
    const admin = await login(run.server.url, ADMIN);
    expect((await api(run.server.url, '/api/users', { method: 'POST', cookie: admin, body: { ...AMINA, locale: 'en' } })).status).toBe(201);
    page = await run.newPage({ width: 1280, height: 800, locale: 'en-GB' });
  });

  afterAll(async () => {
    await run?.stop();
    await smtp?.close();
  });

  it('the sign-in page leads to the reset form, which says a link is on its way', async () => {
    await page.goto(`${run.server.url}/login`);
    await page.getByTestId('forgot-link').click();
    await page.waitForURL(/\/forgot$/);
    await page.getByTestId('forgot-email').fill(AMINA.email);
    await page.getByTestId('forgot-submit').click();
    await expect.poll(() => page.getByTestId('forgot-sent').textContent()).toContain(AMINA.email);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'password-reset-sent.png') });
  });

  it('the e-mail arrives in the person’s language with a link to the reset page', async () => {
    const mail = await smtp.mailTo(AMINA.email, 20_000);
    expect(mail.subject).toBe('Reset your Passerelle password');
    resetLink = linkIn(mail, `${run.server.url}/reset?token=`);
    expect(mail.html).toContain('Choose a new password');
  });

  it('the link sets a new password that signs in, and the old one no longer does', async () => {
    await page.goto(resetLink);
    await page.getByTestId('reset-password').fill(NEW_PASSWORD);
    await page.getByTestId('reset-submit').click();
    await page.getByTestId('reset-done').waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'password-reset-done.png') });

    await expect(login(run.server.url, AMINA)).rejects.toThrow(/401/);
    await page.getByTestId('reset-sign-in').click();
    await signIn(page, run.server.url, { email: AMINA.email, password: NEW_PASSWORD });
    await expect.poll(() => page.getByTestId('me-name').textContent()).toBe(AMINA.name);
  });

  it('the same link used again is refused with a way to ask for a new one', async () => {
    const other = await run.newPage({ width: 1280, height: 800, locale: 'en-GB' });
    await other.goto(resetLink);
    await other.getByTestId('reset-password').fill('another-password-3');
    await other.getByTestId('reset-submit').click();
    await expect.poll(() => other.getByTestId('reset-error').textContent()).toContain('no longer valid');
  });
});
