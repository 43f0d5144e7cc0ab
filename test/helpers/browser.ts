import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll } from 'vitest';
import { madeBeforeAll } from './hook-value.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

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

/** The built server in a process of its own on a fresh data directory, and Chromium: what an end-to-end file runs against. */
export interface BrowserRun {
  readonly server: ServerProcess;
  readonly browser: Browser;
  /** A page in a browser context of its own (its own cookies): one person at their own computer. */
  newPage(options: { width: number; height: number; locale: string }): Promise<Page>;
  /** Closes Chromium, stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/** Starts the built server (logging warnings, with `env` over that) on a fresh data directory, then Chromium. */
export async function startBrowserRun(env: Record<string, string> = {}): Promise<BrowserRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-e2e-'));
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    server = await startServerProcess({ dataDir, env: { LOG_LEVEL: 'warn', ...env } });
    browser = await launchChromium();
  } catch (error) {
    await stop();
    throw error;
  }
  const started = { server, browser };
  return {
    ...started,
    newPage: async ({ width, height, locale }) => (await started.browser.newContext({ viewport: { width, height }, locale })).newPage(),
    stop,
  };
}

/**
 * Registers, in the enclosing `describe`, a `BrowserRun` (`startBrowserRun(env)`) started before its
 * tests and stopped after them (after the `describe`'s own `afterAll`); the getters answer once it
 * has started.
 */
export function browserRunPerFile(env: Record<string, string> = {}): { readonly run: BrowserRun; readonly server: ServerProcess; newPage: BrowserRun['newPage'] } {
  const run = madeBeforeAll('browser run', () => startBrowserRun(env));
  afterAll(async () => {
    await run.ifMade()?.stop();
  });
  return {
    get run() {
      return run();
    },
    get server() {
      return run().server;
    },
    newPage: (options) => run().newPage(options),
  };
}
