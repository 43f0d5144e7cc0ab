/**
 * Single sign-on in Debian's Chromium against the built server and a real OpenID provider
 * (`oidc-provider` with its login form): a colleague of the admissions office signs in through the
 * school's provider and lands in the admissions department; a student in no mapped group is refused
 * with a message in French; signing out offers to sign out of the provider too.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Me } from '@passerelle/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SCREENSHOT_DIR, startBrowserRun, type BrowserRun } from '../helpers/browser.js';
import { VIEWPORTS, layoutProblems } from '../helpers/layout.js';
import { TestOidcProvider, oidcEnv } from '../helpers/oidc-provider.js';

describe('signing in through the school’s OpenID provider', () => {
  let provider: TestOidcProvider;
  let run: BrowserRun;
  let page: Page;

  beforeAll(async () => {
    provider = await TestOidcProvider.start();
    provider.people.set('lea.admissions', { email: 'lea.girard@ecole.example', name: 'Léa Girard', groups: ['admissions-office', 'all-staff'] });
    provider.people.set('student', { email: 'tom@etu.ecole.example', name: 'Tom', groups: ['students'] });
    run = await startBrowserRun(
      oidcEnv(provider.issuer, { OIDC_GROUP_MAP: JSON.stringify({ 'admissions-office': ['admissions'], 'ri-staff': ['sri'] }), OIDC_REQUIRE_GROUP: 'true' }),
    );
    provider.registerClient(run.server.url);
    page = await run.newPage({ width: 1280, height: 850, locale: 'fr-FR' });
  });

  afterAll(async () => {
    await run?.stop();
    await provider?.close();
  });

  async function throughProvider(login: string): Promise<void> {
    await page.goto(`${run.server.url}/login`);
    await page.getByTestId('sso-sign-in').click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('mot de passe de l’école');
    await page.locator('button[type="submit"]').click();
  }

  it('shows the provider’s button on the sign-in page, by its display name', async () => {
    await page.goto(`${run.server.url}/login`);
    const button = page.getByTestId('sso-sign-in');
    await button.waitFor();
    expect((await button.textContent())?.trim()).toBe('Se connecter avec École SSO');
  });

  it('signs a colleague in through the provider, into the department of their group', async () => {
    await throughProvider('lea.admissions');
    await page.waitForURL(`${run.server.url}/`);
    await page.getByTestId('account-menu').waitFor();
    const me = (await page.evaluate(async () => (await fetch('/api/auth/me')).json())) as Me;
    expect(me).toMatchObject({ email: 'lea.girard@ecole.example', name: 'Léa Girard', departments: ['admissions'], isAdmin: false });
  });

  it('signs out of Passerelle and offers to sign out of the provider too', async () => {
    await page.getByTestId('account-menu').click();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sso-end-session').click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    // The provider asks to confirm, then sends the person back to Passerelle's sign-in page.
    await page.locator('button[name="logout"]').click();
    await page.waitForURL(`${run.server.url}/login`);
    expect(await page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
  });

  it('refuses a person in no group that gives access, saying why in their language', async () => {
    await throughProvider('student');
    await page.waitForURL(`${run.server.url}/login?sso=no_group`);
    const refusal = page.getByTestId('sso-refused');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('aucun groupe donnant accès à Passerelle');
    expect(await page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
  });

  it('lays the sign-in page out with the provider’s button and a refusal at every width', async () => {
    const problems: string[] = [];
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      await page.goto(`${run.server.url}/login?sso=no_group&signedOut=1`);
      await page.getByTestId('sso-end-session').waitFor();
      const found = await layoutProblems(page, {
        overlap: ['[data-testid=sso-sign-in], [data-testid=sso-refused], [data-testid=sso-signed-out], [data-testid=login-form]'],
        text: ['[data-testid=sso-sign-in]'],
        onScreen: ['[data-testid=sso-sign-in]', '[data-testid=login-submit]'],
      });
      problems.push(...found.map((problem) => `${viewport.name} ${problem.kind}: ${problem.detail}`));
      await page.screenshot({ path: join(SCREENSHOT_DIR, `sso-login-${viewport.name}.png`), fullPage: true });
    }
    expect(problems).toEqual([]);
    // Nothing in the way of a screen reader or keyboard user either (WCAG 2.1 AA, serious and critical).
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    expect(axe.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  });
});
