/**
 * SAML single sign-on in Debian's Chromium against the built server and a real SAML identity
 * provider (the test provider signing assertions with a key made for the run, as a university's
 * Shibboleth would): a colleague of the international relations office signs in through the
 * federation and lands in its department; a student in no mapped group is refused with a message in
 * French; signing out offers the provider's single logout.
 */
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Me } from '@passerelle/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, startBrowserRun, type BrowserRun } from '../helpers/browser.js';
import { VIEWPORTS, layoutProblems } from '../helpers/layout.js';
import { TestOidcProvider, oidcEnv } from '../helpers/oidc-provider.js';
import { TestSamlIdp, samlEnv } from '../helpers/saml-idp.js';

describe('signing in through the school’s SAML identity provider', () => {
  let idp: TestSamlIdp;
  let run: BrowserRun;
  let page: Page;

  beforeAll(async () => {
    idp = await TestSamlIdp.start();
    idp.people.set('ines.dri', {
      mail: 'ines.moreau@ecole.fr',
      displayName: 'Inès Moreau',
      eduPersonAffiliation: ['staff', 'member'],
      isMemberOf: ['cn=dri-personnels,ou=groups,dc=ecole,dc=fr'],
    });
    idp.people.set('etudiant', { mail: 'tom@etu.ecole.fr', displayName: 'Tom', eduPersonAffiliation: ['student', 'member'] });
    run = await startBrowserRun(samlEnv(idp, { SAML_GROUP_MAP: JSON.stringify({ 'cn=dri-personnels,ou=groups,dc=ecole,dc=fr': ['sri'] }), SAML_REQUIRE_GROUP: 'true' }));
    page = await run.newPage({ width: 1280, height: 850, locale: 'fr-FR' });
  });

  afterAll(async () => {
    await run?.stop();
    await idp?.close();
  });

  async function throughIdp(login: string): Promise<void> {
    await page.goto(`${run.server.url}/login`);
    await page.getByTestId('saml-sign-in').click();
    await page.waitForURL((url) => url.origin === idp.url);
    await page.getByTestId('idp-login').fill(login);
    await page.getByTestId('idp-submit').click();
  }

  it('shows the federation’s button on the sign-in page, by its display name', async () => {
    await page.goto(`${run.server.url}/login`);
    const button = page.getByTestId('saml-sign-in');
    await button.waitFor();
    expect((await button.textContent())?.trim()).toBe('Se connecter avec Fédération Éducation-Recherche');
    expect(await page.getByTestId('sso-sign-in').count()).toBe(0);
  });

  it('signs a colleague in through the identity provider, into the department of their group', async () => {
    await throughIdp('ines.dri');
    await page.waitForURL(`${run.server.url}/`);
    await page.getByTestId('account-menu').waitFor();
    const me = (await page.evaluate(async () => (await fetch('/api/auth/me')).json())) as Me;
    expect(me).toMatchObject({ email: 'ines.moreau@ecole.fr', name: 'Inès Moreau', departments: ['sri'], isAdmin: false });
  });

  it('signs out of Passerelle and offers the identity provider’s single logout', async () => {
    await page.getByTestId('account-menu').click();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('saml-end-session').click();
    await page.waitForURL((url) => url.origin === idp.url && url.pathname === '/slo');
    expect(await page.textContent('body')).toContain('signed out');
    expect(idp.logoutRequests).toHaveLength(1);
    expect(idp.logoutRequests[0]!.xml).toContain(idp.sessions.at(-1)!.nameId);
    await page.goto(`${run.server.url}/login`);
    expect(await page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
  });

  it('refuses a student in no group that gives access, saying why in their language', async () => {
    await throughIdp('etudiant');
    await page.waitForURL(`${run.server.url}/login?sso=no_group`);
    const refusal = page.getByTestId('sso-refused');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('aucun groupe donnant accès à Passerelle');
    expect(await page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
  });
});

describe('a sign-in page offering both an OpenID provider and a SAML federation', () => {
  let idp: TestSamlIdp;
  let provider: TestOidcProvider;
  let run: BrowserRun;
  let page: Page;

  beforeAll(async () => {
    idp = await TestSamlIdp.start();
    provider = await TestOidcProvider.start();
    run = await startBrowserRun({ ...oidcEnv(provider.issuer), ...samlEnv(idp) });
    provider.registerClient(run.server.url);
    page = await run.newPage({ width: 1280, height: 850, locale: 'en-GB' });
  });

  afterAll(async () => {
    await run?.stop();
    await provider?.close();
    await idp?.close();
  });

  it('shows both buttons and both sign-outs, laid out at every width', async () => {
    const problems: string[] = [];
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      await page.goto(`${run.server.url}/login?sso=failed&signedOut=1`);
      await page.getByTestId('saml-end-session').waitFor();
      expect((await page.getByTestId('sso-sign-in').textContent())?.trim()).toBe('Sign in with École SSO');
      expect((await page.getByTestId('saml-sign-in').textContent())?.trim()).toBe('Sign in with Fédération Éducation-Recherche');
      expect((await page.getByTestId('saml-end-session').textContent())?.trim()).toBe('Sign out of Fédération Éducation-Recherche too');
      const found = await layoutProblems(page, {
        overlap: ['[data-testid=sso-sign-in], [data-testid=saml-sign-in], [data-testid=sso-refused], [data-testid=sso-signed-out], [data-testid=login-form]'],
        text: ['[data-testid=sso-sign-in]', '[data-testid=saml-sign-in]'],
        onScreen: ['[data-testid=sso-sign-in]', '[data-testid=saml-sign-in]', '[data-testid=login-submit]'],
      });
      problems.push(...found.map((problem) => `${viewport.name} ${problem.kind}: ${problem.detail}`));
      await page.screenshot({ path: join(SCREENSHOT_DIR, `saml-login-${viewport.name}.png`), fullPage: true });
    }
    expect(problems).toEqual([]);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    expect(axe.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  });
});
