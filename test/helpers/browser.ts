import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where end-to-end tests save their screenshots (kept as CI artifacts). */
export const SCREENSHOT_DIR = 'test-results/screenshots';

/** Debian's Chromium, headless, with nothing that reaches outside this machine. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Signs in through the login page and waits for the board list. */
export async function signIn(page: Page, baseUrl: string, credentials: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/login/);
  await page.getByTestId('login-email').fill(credentials.email);
  await page.getByTestId('login-password').fill(credentials.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(`${baseUrl}/`);
}

/** Waits until the open board is connected and its stored content has arrived. */
export async function waitSynced(page: Page, timeout = 10_000): Promise<void> {
  await page.locator('[data-testid="connection-status"][data-status="online"][data-synced="true"]').waitFor({ timeout });
}
