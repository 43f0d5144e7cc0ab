/**
 * A board at its cap of named versions, in Debian's Chromium against the built server started with
 * `VERSION_MAX_NAMED_PER_BOARD=1`: naming a second version is refused with a message in the
 * person's language that says what to do, and deleting the first (confirmed) makes room. Run in
 * French on a desktop and in English on a phone, where the confirmation must fit the panel.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, signIn, browserRunPerFile, waitSynced } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';

const CASES = [
  { locale: 'fr-FR', width: 1440, height: 900, refused: 'plus de place', deleted: 'a été supprimée' },
  { locale: 'en-GB', width: 390, height: 844, refused: 'no room', deleted: 'was deleted' },
] as const;

describe('versions at their cap', () => {
  const e2e = browserRunPerFile({ VERSION_MAX_NAMED_PER_BOARD: '1' });

  async function nameVersion(page: Page, name: string): Promise<void> {
    await page.getByTestId('version-name-input').fill(name);
    await page.getByTestId('version-name-submit').click();
  }

  for (const view of CASES) {
    it(`${view.locale} at ${view.width} px: a second named version is refused with what to do, and deleting the first makes room`, async () => {
      const page = await e2e.newPage({ width: view.width, height: view.height, locale: view.locale });
      try {
        await signIn(page, e2e.server.url, ADMIN);
        const created = await page.evaluate(async (title) => {
          const response = await fetch('/api/boards', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) });
          return (await response.json()) as { id: string };
        }, `Partenariats stratégiques ${view.locale}`);
        await page.goto(`${e2e.server.url}/boards/${created.id}`);
        await waitSynced(page);
        await page.getByTestId('versions-open').click();
        await page.getByTestId('versions-panel').waitFor();

        await nameVersion(page, 'Avant la réunion du comité');
        await page.getByTestId('version-saved-toast').filter({ hasText: 'Avant' }).waitFor();
        await nameVersion(page, 'Après la réunion du comité');
        const refusal = page.getByTestId('error-toast');
        await refusal.waitFor();
        expect((await refusal.textContent())!.toLowerCase()).toContain(view.refused);
        await page.screenshot({ path: `${SCREENSHOT_DIR}/versions-cap-refused-${view.locale}-${view.width}.png` });

        await page.getByTestId('version-delete').click();
        await page.getByTestId('version-delete-confirm').waitFor();
        // The confirmation and its buttons fit the panel.
        const panel = await page.getByTestId('versions-panel').boundingBox();
        const confirm = await page.getByTestId('version-delete-confirm').boundingBox();
        expect(confirm!.x).toBeGreaterThanOrEqual(panel!.x - 1);
        expect(confirm!.x + confirm!.width).toBeLessThanOrEqual(panel!.x + panel!.width + 1);
        for (const button of await page.getByTestId('version-delete-confirm').getByRole('button').all()) {
          const box = (await button.boundingBox())!;
          expect(box.x + box.width).toBeLessThanOrEqual(confirm!.x + confirm!.width + 1);
        }
        await page.screenshot({ path: `${SCREENSHOT_DIR}/versions-delete-confirm-${view.locale}-${view.width}.png` });
        await page.getByTestId('version-delete-confirm-button').click();
        expect((await page.getByTestId('version-deleted-toast').textContent())!).toContain(view.deleted);
        await page.getByTestId('versions-empty').waitFor();

        await nameVersion(page, 'Après la réunion du comité');
        await page.getByTestId('version-saved-toast').filter({ hasText: 'Après' }).waitFor();
        await page.getByTestId('version-name').filter({ hasText: 'Après la réunion du comité' }).waitFor();
      } finally {
        await page.context().close();
      }
    });
  }
});
