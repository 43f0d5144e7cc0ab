/**
 * With single sign-on required, in Debian's Chromium against the built server: the sign-in page
 * offers the provider and the break-glass password form, but no "Forgot password" link, since
 * everyone else's password is the provider's; the break-glass administrator still reaches the reset
 * form by its address.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserRun, type BrowserRun } from '../helpers/browser.js';
import { TestOidcProvider, oidcEnv } from '../helpers/oidc-provider.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';

describe('the sign-in page when single sign-on is required', () => {
  let provider: TestOidcProvider;
  let smtp: TestSmtpServer;
  let run: BrowserRun;
  let page: Page;

  beforeAll(async () => {
    provider = await TestOidcProvider.start();
    smtp = await startSmtpServer();
    run = await startBrowserRun({ ...oidcEnv(provider.issuer), AUTH_REQUIRE_SSO: 'true', SMTP_URL: smtp.url, MAIL_FROM: 'passerelle@school.example' });
    provider.registerClient(run.server.url);
    page = await run.newPage({ width: 1280, height: 850, locale: 'fr-FR' });
  });

  afterAll(async () => {
    await run?.stop();
    await provider?.close();
    await smtp?.close();
  });

  it('offers no « Mot de passe oublié » link, though this server sends e-mail', async () => {
    await page.goto(`${run.server.url}/login`);
    await page.getByTestId('sso-sign-in').waitFor();
    // Every question the page asks at start is answered before the link's absence counts.
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('login-submit').count()).toBe(1);
    expect(await page.getByTestId('forgot-link').count()).toBe(0);
  });

  it('still opens the reset form at its address, for the break-glass administrator', async () => {
    await page.goto(`${run.server.url}/forgot`);
    await page.getByTestId('forgot-email').waitFor();
  });
});
