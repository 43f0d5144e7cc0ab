/**
 * A board's page as the server sends it, in Debian's Chromium against the built server, after a
 * restart: the page carries the board's first screen, drawn by the server, so that it is painted
 * with the page's first frame, before any of the app's scripts has run (here they are kept from
 * loading). Then, scripts allowed and the board's connection held back, the app draws the page in
 * its place: the header, the board's bar, the columns and their cards stand exactly where the
 * server's drawing had them, at 1440, 768 and 390 px; let through, the live board follows.
 *
 * Who gets it: a member who may read the board, or a partner guest of the board (with their banner),
 * in their language; no one else (an outsider, a visitor without a session), and not in another
 * view. No cache keeps such a
 * page, the service worker's shell included, and what people wrote reaches the page as text.
 *
 * The steps run in order and share one board.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, browserRunPerFile, signIn, waitSynced } from '../helpers/browser.js';
import { sidewaysScroll } from '../helpers/layout.js';
import { ADMIN } from '../helpers/server-process.js';
import { api, createMember, joinAsGuest, login } from '../helpers/test-server.js';
import { holdSync, storedBoard } from '../helpers/stored-board.js';

/** Eight columns of 20 cards, every third a proposal. */
const CARDS = 160;
/** Markup, and what a text replacement would read as patterns (`$&`, `$'`): the page shows them as written. */
const TITLE = "Mobilités sortantes 2027 $' $& </script><script>alert(1)</script>";

type Box = { x: number; y: number; width: number };

/** The boxes of what must not move when the app takes the server's drawing's place, rounded to the pixel. */
async function landmarks(page: Page, within: string): Promise<Record<string, Box[]>> {
  return page.evaluate((within) => {
    const box = (element: Element): Box => {
      const rect = element.getBoundingClientRect();
      return { x: Math.round(rect.x), y: Math.round(rect.y), width: Math.round(rect.width) };
    };
    const root = document.querySelector(within)!;
    const all = (selector: string) => [...root.querySelectorAll(selector)].map(box);
    return {
      title: all('h1'),
      connection: all('[data-testid="connection-status"]'),
      tabs: all('.tabs'),
      columns: all('[data-testid="first-screen-column"]'),
      // Each column's first card: where a card starts does not depend on what the cards above show.
      firstCards: [...root.querySelectorAll('[data-testid="first-screen-column"]')].map((column) => box(column.querySelector('[data-testid="first-screen-card"]')!)),
    };
  }, within);
}

describe('a board’s page carries its first screen', () => {
  const e2e = browserRunPerFile();
  let boardId: string;
  let token: string;

  beforeAll(async () => {
    ({ boardId, token } = await storedBoard(e2e.server, TITLE, CARDS));
  });

  afterAll(async () => {
    await e2e.run.browser.close();
  });

  /** A page whose scripts can be kept from loading: no service worker would serve them from its cache. */
  const pageWithoutWorker = async (viewport: { width: number; height: number }, locale: string) =>
    (await e2e.run.browser.newContext({ viewport, locale, serviceWorkers: 'block' })).newPage();

  for (const width of [1440, 768, 390]) {
    it(`at ${width} px, is painted before the app runs, and the app takes its place without a jump`, async () => {
      // The app's scripts kept from loading: what the page itself paints.
      const drawn = await pageWithoutWorker({ width, height: 800 }, 'fr-FR');
      await signIn(drawn, e2e.server.url, ADMIN);
      await drawn.route('**/_app/immutable/**/*.js', (route) => route.abort());
      await drawn.goto(`${e2e.server.url}/boards/${boardId}`);
      const overlay = drawn.getByTestId('pre-first-screen');
      await overlay.waitFor();
      expect(await overlay.getByTestId('preview-board-title').textContent()).toBe(TITLE);
      expect(await overlay.getByTestId('first-screen-column').count()).toBe(8);
      expect(await overlay.getByTestId('first-screen-card').first().getByTestId('card-title').textContent()).toBe('Proposition 0');
      expect(await overlay.getByTestId('first-screen-status').textContent()).toBe('Chargement des dernières modifications…');
      expect(await sidewaysScroll(drawn)).toEqual([]);
      // Nothing written by a person ran as a script.
      expect(await drawn.evaluate(() => document.querySelectorAll('script:not([type="application/json"])').length)).toBeLessThanOrEqual(1);
      const before = await landmarks(drawn, '#pre-first-screen');
      await drawn.screenshot({ path: join(SCREENSHOT_DIR, `first-screen-page-${width}-drawn.png`) });
      await drawn.context().close();

      // Scripts allowed, the board's connection held back: the app's own page, where the drawing stood.
      const app = await e2e.newPage({ width, height: 800, locale: 'fr-FR' });
      await signIn(app, e2e.server.url, ADMIN);
      const gate = await holdSync(app);
      await app.goto(`${e2e.server.url}/boards/${boardId}`);
      await app.getByTestId('board-title').waitFor();
      // The app's own first screen drawn, the server's drawing gone.
      await expect.poll(() => app.getByTestId('pre-first-screen').count(), { timeout: 10_000 }).toBe(0);
      await app.getByTestId('first-screen').waitFor();
      expect(await landmarks(app, '#main-content')).toEqual(before);
      await app.screenshot({ path: join(SCREENSHOT_DIR, `first-screen-page-${width}-app.png`) });

      await gate.release();
      await waitSynced(app, 30_000);
      expect(await app.getByTestId('first-screen').count()).toBe(0);
      expect(await app.getByTestId('column').count()).toBe(8);
      // Connected now, the bar has kept its rows: the live board's columns stand where the drawing's did.
      expect(await app.getByTestId('connection-status').getAttribute('data-status')).toBe('online');
      const liveColumns = await app.evaluate(() =>
        [...document.querySelectorAll('[data-testid="column"]')].map((column) => {
          const rect = column.getBoundingClientRect();
          return { x: Math.round(rect.x), y: Math.round(rect.y), width: Math.round(rect.width) };
        }),
      );
      expect(liveColumns).toEqual(before.columns);
      expect((await landmarks(app, '#main-content')).connection).toEqual(before.connection);
      await app.context().close();
    });
  }

  it('is drawn in the member’s own language', async () => {
    const origin = { origin: e2e.server.url };
    // From here, only those the board is shared with may open it.
    const closed = await api(e2e.server.url, `/api/boards/${boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'none' }, token, headers: origin });
    expect(closed.status).toBe(204);
    const member = await createMember(e2e.server.url, 'ana.first.screen', ['studies']);
    const added = await api(e2e.server.url, `/api/boards/${boardId}/members/${member.id}`, { method: 'PUT', token, headers: origin, body: { role: 'viewer' } });
    expect(added.status).toBe(204);
    const page = await pageWithoutWorker({ width: 1280, height: 800 }, 'en-GB');
    await signIn(page, e2e.server.url, { email: 'ana.first.screen@example.org', password: 'a-long-password' });
    await page.route('**/_app/immutable/**/*.js', (route) => route.abort());
    await page.goto(`${e2e.server.url}/boards/${boardId}`);
    const overlay = page.getByTestId('pre-first-screen');
    await overlay.waitFor();
    expect(await overlay.getByTestId('first-screen-status').textContent()).toBe('Loading the latest changes…');
    // A viewer: the read-only badge, no field to add a card.
    expect(await overlay.getByTestId('read-only-badge').textContent()).toBe('Read only');
    expect(await overlay.locator('.add-card').count()).toBe(0);
    await page.context().close();
  });

  it('is for those who may read the board only, a partner guest with the card faces alone; never kept by a cache', async () => {
    const pageOf = async (cookie: string | null, path = `/boards/${boardId}`) => {
      const response = await fetch(`${e2e.server.url}${path}`, { headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
      return { html: await response.text(), cacheControl: response.headers.get('cache-control') };
    };
    const member = await pageOf(await login(e2e.server.url));
    expect(member.html).toContain('Proposition 0');
    expect(member.cacheControl).toBe('private, no-store');
    // Titles reach the page as text: the title's markup is escaped in the drawing and in the data.
    expect(member.html).not.toContain('<script>alert(1)');

    const guest = await pageOf((await joinAsGuest({ serverUrl: e2e.server.url, as: { token }, boardId })).cookie);
    expect(guest.html).toContain('Proposition 0');
    expect(guest.html).toContain('data-testid="guest-banner"');
    expect(guest.cacheControl).toBe('private, no-store');

    await createMember(e2e.server.url, 'bruno.first.screen', ['admissions']);
    const outsiderCookie = await login(e2e.server.url, { email: 'bruno.first.screen@example.org', password: 'a-long-password' });
    for (const [who, cookie] of [
      ['nobody signed in', null],
      ['a member the board is not shared with', outsiderCookie],
    ] as const) {
      const answer = await pageOf(cookie);
      expect(answer.html, who).not.toContain('pre-first-screen');
      expect(answer.html, who).not.toContain('Proposition 0');
      expect(answer.cacheControl, who).not.toBe('private, no-store');
    }
    // Another view of the board: its page is the app's.
    expect((await pageOf(await login(e2e.server.url), `/boards/${boardId}?view=pipeline`)).html).not.toContain('pre-first-screen');
  });

  it('carries its stylesheets in itself and names none of the app’s modules ahead, where any other page links them', async () => {
    const htmlOf = async (path: string) => (await fetch(`${e2e.server.url}${path}`, { headers: { accept: 'text/html', cookie: await login(e2e.server.url) } })).text();
    const stylesheetLinks = (html: string) => [...html.matchAll(/<link href="[^"]+\.css" rel="stylesheet"[^>]*>/g)].map(([link]) => link);
    const drawn = await htmlOf(`/boards/${boardId}`);
    expect(drawn).toContain('pre-first-screen');
    const drawnLinks = stylesheetLinks(drawn);
    expect(drawnLinks.length).toBeGreaterThan(3);
    // Each left disabled (the browser asks for none of them), its rules in the page before them.
    for (const link of drawnLinks) expect(link).toContain('disabled media="(max-width: 0)"');
    const style = drawn.indexOf('<style>');
    expect(style).toBeGreaterThan(-1);
    expect(style).toBeLessThan(drawn.indexOf(drawnLinks[0]!));
    expect(drawn.slice(style, drawn.indexOf('</style>', style))).toContain('.board-card');
    // The app's modules are fetched as its start asks for them, not while the drawing is laid out and painted.
    const modulePreloads = (html: string) => html.match(/rel="modulepreload"/g)?.length ?? 0;
    expect(modulePreloads(drawn)).toBe(0);

    // The same board in another view: the app's page, its stylesheets linked and asked for.
    const linked = stylesheetLinks(await htmlOf(`/boards/${boardId}?view=pipeline`));
    expect(linked.length).toBeGreaterThan(3);
    for (const link of linked) expect(link).not.toContain('disabled');
    expect(modulePreloads(await htmlOf(`/boards/${boardId}?view=pipeline`))).toBeGreaterThan(10);
  });

  it('reaches the browser compressed, and whole', async () => {
    // The page as the network brings it: once the service worker has the page in hand (it may, after
    // signing in), the browser reports the sizes of the worker's answer instead.
    const page = await pageWithoutWorker({ width: 1440, height: 800 }, 'fr-FR');
    await signIn(page, e2e.server.url, ADMIN);
    const answer = await page.goto(`${e2e.server.url}/boards/${boardId}`);
    expect((await answer!.allHeaders())['content-encoding']).toBe('br');
    await page.getByTestId('pre-first-screen').or(page.getByTestId('board-title')).first().waitFor();
    const sizes = await page.evaluate(() => {
      const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { encoded: entry.encodedBodySize, decoded: entry.decodedBodySize };
    });
    // The drawing, its data and the stylesheets: over 100 KB as written, a fifth of it or less on the wire.
    expect(sizes.decoded).toBeGreaterThan(100_000);
    expect(sizes.encoded).toBeLessThan(sizes.decoded / 5);
    await waitSynced(page, 30_000);
    expect(await page.getByTestId('column').count()).toBe(8);
    await page.context().close();
  });

  it('a partner guest’s banner says until when in the guest’s own time zone and date order, drawn as the app then draws it', async () => {
    const joined = await joinAsGuest({ serverUrl: e2e.server.url, as: { token }, boardId, name: 'Mere Tane', organisation: 'University of Auckland', locale: 'en' });
    const [name, value] = joined.cookie.split('=') as [string, string];
    // A partner in New Zealand, whose browser writes dates in its own English (en-NZ); the server's zone is not theirs.
    const context = await e2e.run.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-NZ', timezoneId: 'Pacific/Auckland', serviceWorkers: 'block' });
    await context.addCookies([{ name, value, url: e2e.server.url }]);
    const page = await context.newPage();
    const scripts = '**/_app/immutable/**/*.js';
    const drawnBanner = async () => {
      await page.route(scripts, (route) => route.abort());
      await page.goto(`${e2e.server.url}/boards/${boardId}`);
      const text = await page.getByTestId('pre-first-screen').getByTestId('guest-banner').textContent();
      await page.unroute(scripts);
      return text;
    };

    // Before the app has ever run in this browser, the server cannot know the zone: the date names the one it is in.
    expect(await drawnBanner()).toMatch(/access until .+ (UTC|GMT)/);

    await page.goto(`${e2e.server.url}/boards/${boardId}`);
    await expect.poll(() => page.getByTestId('pre-first-screen').count(), { timeout: 10_000 }).toBe(0);
    const app = (await page.getByTestId('guest-banner').textContent())!;
    const expiresAt = new Date(joined.invite.expiresAt);
    const inAuckland = new Intl.DateTimeFormat('en-NZ', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Pacific/Auckland' }).format(expiresAt);
    expect(app).toContain(inAuckland);

    // Once it has (it tells its zone once the page is idle): the drawn banner says what the app says, word for word.
    await expect
      .poll(async () => (await context.cookies()).find((cookie) => cookie.name === 'passerelle_tz')?.value, { timeout: 10_000 })
      .toBe(encodeURIComponent('Pacific/Auckland'));
    expect(await drawnBanner()).toBe(app);
    await context.close();
  });

  it('is not drawn for someone who shows the board in lanes on this browser: the board never jumps from columns into lanes', async () => {
    const joined = await joinAsGuest({ serverUrl: e2e.server.url, as: { token }, boardId, name: 'Joana Costa', organisation: 'FEUP', locale: 'en' });
    const [name, value] = joined.cookie.split('=') as [string, string];
    const context = await e2e.run.browser.newContext({ viewport: { width: 1440, height: 800 }, locale: 'en-GB' });
    await context.addCookies([{ name, value, url: e2e.server.url }]);
    const page = await context.newPage();
    // Whether a first screen (the server's or the app's) was ever in the page during a load.
    await page.addInitScript(() => {
      const seen = { firstScreen: false };
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      new MutationObserver(() => {
        if (document.querySelector('#pre-first-screen, [data-testid="first-screen"]')) seen.firstScreen = true;
      }).observe(document, { childList: true, subtree: true });
    });
    const open = async () => {
      const answer = await page.goto(`${e2e.server.url}/boards/${boardId}`);
      const html = await answer!.text();
      await waitSynced(page, 30_000);
      const seen = await page.evaluate(() => (window as unknown as { __seen: { firstScreen: boolean } }).__seen.firstScreen);
      return { drawnInPage: html.includes('id="pre-first-screen"'), seen };
    };

    expect(await open()).toEqual({ drawnInPage: true, seen: true });
    await page.getByTestId('board-lanes-select').selectOption('actionType');
    await expect.poll(() => page.getByTestId('columns').getAttribute('data-lanes')).toBe('actionType');
    // Each of the eight columns in more than one lane.
    await expect.poll(() => page.getByTestId('column-lane').count()).toBeGreaterThan(8);

    // Reloaded in lanes: no first screen without them, the lanes as chosen once synced; the
    // stored one is not even asked for.
    const firstScreenAsked: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (new URL(request.url()).pathname === `/api/boards/${boardId}/first-screen`) firstScreenAsked.push(request.url());
    };
    page.on('request', onRequest);
    expect(await open()).toEqual({ drawnInPage: false, seen: false });
    page.off('request', onRequest);
    expect(firstScreenAsked).toEqual([]);
    expect(await page.getByTestId('columns').getAttribute('data-lanes')).toBe('actionType');
    expect(await page.getByTestId('column-lane').count()).toBeGreaterThan(8);
    // Only for this board, and until the browser session ends (the choice is a guest's).
    const lanes = (await context.cookies()).find((cookie) => cookie.name === 'passerelle_lanes')!;
    expect([lanes.path, lanes.expires, decodeURIComponent(lanes.value)]).toEqual([`/boards/${boardId}`, -1, joined.me.id]);

    // Back to columns: the first screen is drawn again.
    await page.getByTestId('board-lanes-select').selectOption('none');
    expect(await open()).toEqual({ drawnInPage: true, seen: true });
    await context.close();
  });

  it('a partner guest’s, on a phone in English, has their banner and the board’s face, and the app takes its place without a jump', async () => {
    const joined = await joinAsGuest({ serverUrl: e2e.server.url, as: { token }, boardId, role: 'commenter', name: 'Ana Silva', locale: 'en' });
    const [name, value] = joined.cookie.split('=') as [string, string];
    const open = async (scripts: boolean) => {
      const page = await pageWithoutWorker({ width: 390, height: 800 }, 'en-GB');
      await page.context().addCookies([{ name, value, url: e2e.server.url }]);
      if (!scripts) await page.route('**/_app/immutable/**/*.js', (route) => route.abort());
      return page;
    };
    const drawn = await open(false);
    await drawn.goto(`${e2e.server.url}/boards/${boardId}`);
    const overlay = drawn.getByTestId('pre-first-screen');
    await overlay.waitFor();
    expect(await overlay.getByTestId('guest-banner').textContent()).toContain('Commenter');
    expect(await overlay.getByTestId('first-screen-status').textContent()).toBe('Loading the latest changes…');
    expect(await overlay.getByTestId('read-only-badge').textContent()).toBe('Read and comment');
    // Nothing of the school's own: no way back to its boards, no internal notes, no calendar.
    expect(await overlay.locator('.back, .internal-look, [data-testid="calendar-open"]').count()).toBe(0);
    expect(await sidewaysScroll(drawn)).toEqual([]);
    const before = { ...(await landmarks(drawn, '#pre-first-screen')), banner: await drawn.getByTestId('guest-banner').boundingBox() };
    await drawn.screenshot({ path: join(SCREENSHOT_DIR, 'first-screen-page-guest-390-drawn.png') });
    await drawn.context().close();

    const app = await open(true);
    const gate = await holdSync(app);
    await app.goto(`${e2e.server.url}/boards/${boardId}`);
    await app.getByTestId('board-title').waitFor();
    await expect.poll(() => app.getByTestId('pre-first-screen').count(), { timeout: 10_000 }).toBe(0);
    await app.getByTestId('first-screen').waitFor();
    expect({ ...(await landmarks(app, '#main-content')), banner: await app.getByTestId('guest-banner').boundingBox() }).toEqual(before);
    await gate.release();
    await waitSynced(app, 30_000);
    await app.context().close();
  });

  /** A member's page with the service worker in place; the board's page then goes through it. */
  async function boardThroughWorker(): Promise<Page> {
    const page = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    await signIn(page, e2e.server.url, ADMIN);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.goto(`${e2e.server.url}/boards/${boardId}`);
    await page.getByTestId('board-title').waitFor();
    return page;
  }

  it('takes the build’s scripts and styles from the worker’s cache without waiting for the worker', async () => {
    const page = await boardThroughWorker();
    // How each file of the build reached the page: by the static route to the cache, not through the worker's `fetch` handler.
    const sources = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as (PerformanceResourceTiming & { workerMatchedSourceType?: string; deliveryType?: string })[])
        .filter((entry) => new URL(entry.name).pathname.startsWith('/_app/immutable/'))
        .map((entry) => `${entry.workerMatchedSourceType ?? 'none'} ${entry.deliveryType}`),
    );
    expect(sources.length).toBeGreaterThan(10);
    expect(new Set(sources)).toEqual(new Set(['cache cache-storage']));
    await page.context().close();
  });

  it('is not what the service worker keeps as the app’s shell', async () => {
    const page = await boardThroughWorker();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const shell = await page.evaluate(async () => {
      for (const name of await caches.keys()) {
        const kept = await (await caches.open(name)).match('/');
        if (kept) return kept.text();
      }
      return null;
    });
    expect(shell).not.toBeNull();
    expect(shell).not.toContain('pre-first-screen');
    expect(shell).not.toContain('Proposition 0');
    await page.context().close();
  });
});
