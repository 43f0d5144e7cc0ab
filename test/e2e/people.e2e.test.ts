/**
 * An administrator manages people on `/settings/people` in Debian's Chromium, against the built
 * server, while the person concerned works in a separate browser context (separate cookies).
 *
 * The steps run in order and share one server: each `it` names the behaviour it proves.
 */
import { join } from 'node:path';
import type { Me } from '@passerelle/shared';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, signIn, browserRunPerFile } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';

const CLAIRE = { email: 'claire.dubois@example.org', password: 'tournesol-de-nantes', name: 'Claire Dubois' } as const;

describe('people and their departments, managed by an administrator', () => {
  const e2e = browserRunPerFile();
  let admin: Page;
  let claire: Page;
  let claireId: string;

  beforeAll(async () => {
    admin = await e2e.newPage({ width: 1280, height: 900, locale: 'fr-FR' });
    claire = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
  });

  it('the administrator adds a person with two departments from the people page', async () => {
    await signIn(admin, e2e.server.url, ADMIN);
    await admin.getByTestId('account-menu').click();
    await admin.getByTestId('people-link').click();
    await admin.getByTestId('people').waitFor();

    const form = admin.getByTestId('person-form');
    await form.getByTestId('person-name').fill(CLAIRE.name);
    await form.getByTestId('person-email').fill(CLAIRE.email);
    await form.getByTestId('person-password').fill(CLAIRE.password);
    await form.getByTestId('person-department-studies').check();
    await form.getByTestId('person-department-research').check();
    await form.getByTestId('person-submit').click();

    const row = admin.getByTestId('person-row').filter({ hasText: CLAIRE.email });
    await row.waitFor();
    claireId = (await row.getAttribute('data-person-id'))!;
    expect(await admin.getByTestId(`department-${claireId}-studies`).isChecked()).toBe(true);
    expect(await admin.getByTestId(`department-${claireId}-research`).isChecked()).toBe(true);
    expect(await admin.getByTestId(`department-${claireId}-sri`).isChecked()).toBe(false);
    await screenshot(admin, '01-added');
  });

  it('an email already in use is refused next to the email field, in the person’s language', async () => {
    const form = admin.getByTestId('person-form');
    await form.getByTestId('person-name').fill('Claire Bis');
    await form.getByTestId('person-email').fill(CLAIRE.email);
    await form.getByTestId('person-password').fill(CLAIRE.password);
    await form.getByTestId('person-submit').click();
    await expect.poll(() => form.getByTestId('person-error-email').textContent()).toBe('Un compte utilise déjà cette adresse e-mail.');
  });

  it('the new person signs in with those departments and sees no administration', async () => {
    await signIn(claire, e2e.server.url, CLAIRE);
    expect((await me(claire)).departments).toEqual(['studies', 'research']);
    expect(await claire.getByTestId('people-link').count()).toBe(0);

    await claire.goto(`${e2e.server.url}/settings/people`);
    await claire.getByTestId('people-admin-only').waitFor();
    expect(await claire.getByTestId('person-row').count()).toBe(0);
  });

  it('a department change by the administrator is saved at once and seen by the person after a reload', async () => {
    await admin.getByTestId(`department-${claireId}-research`).uncheck();
    await admin.getByTestId(`department-${claireId}-sri`).check();
    await admin.locator(`[data-testid="department-status-${claireId}"][data-state="saved"]`).waitFor();
    await screenshot(admin, '02-department-saved');

    await claire.reload();
    await claire.getByTestId('people-admin-only').waitFor();
    expect((await me(claire)).departments).toEqual(['sri', 'studies']);

    // The administrator's own page shows the saved state after a reload too.
    await admin.reload();
    await admin.getByTestId(`department-${claireId}-sri`).waitFor();
    expect(await admin.getByTestId(`department-${claireId}-sri`).isChecked()).toBe(true);
    expect(await admin.getByTestId(`department-${claireId}-research`).isChecked()).toBe(false);
  });
});

/** `GET /api/auth/me` with this browser's session cookie. */
function me(page: Page): Promise<Me> {
  return page.evaluate(async () => (await fetch('/api/auth/me', { headers: { accept: 'application/json' } })).json() as Promise<Me>);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `people-${name}.png`), fullPage: true });
}
