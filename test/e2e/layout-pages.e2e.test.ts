/**
 * Every page other than the board views, in Debian's Chromium against the built server with the demo
 * workspace, at a phone's, a tablet's and a desktop's width, in French and in English: as the
 * administrator (home, partners, mobility, table, search, notifications, settings, a proposal) and as a
 * partner guest (their board's page frame and the proposal). On each, nothing scrolls sideways, no
 * control overlaps another, no title is cut without a way to read it whole, and nothing sticks out of
 * the screen, and nothing the page runs breaks its Content-Security-Policy. On phones and tablets the
 * header's sections fold into a menu that opens, is walked by keyboard, navigates, and closes on
 * Escape with the focus back on its button.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, browserRunPerFile, signIn } from '../helpers/browser.js';
import { VIEWPORTS, boxScrollsSideways, layoutProblems, unlabelledScrollBoxes, type LayoutProblem } from '../helpers/layout.js';
import { ADMIN } from '../helpers/server-process.js';

const SHOTS = `${SCREENSHOT_DIR}/layout-pages`;
const LOCALES = ['en', 'fr'] as const;
type Viewport = (typeof VIEWPORTS)[number];

/** What a person clicks, types in or reads as a heading: none may overlap another, or leave the screen. */
const CONTROLS = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=tab], h1, h2, h3';
/** Titles and labels that may be cut only with a way to read them whole. */
const TEXTS = 'h1, h2, h3, a[href], button, th, label, summary, .ellipsis, [data-testid=me-name]';
/** `selectors` (a list) limited to what is inside `scopes` (a list). */
const within = (scopes: string, selectors: string) =>
  scopes
    .split(',')
    .flatMap((scope) => selectors.split(',').map((selector) => `${scope.trim()} ${selector.trim()}`))
    .join(', ');
/** What the app's frame draws around a board for a guest: the header and the guest's banner (the board view itself is checked by the board's own layout test). */
const FRAME = '.app-header, [data-testid=guest-banner]';
/** A layout problem, or something the page's Content-Security-Policy refused. */
type PageProblem = LayoutProblem | { kind: 'policy-violation'; detail: string };

describe('every page other than the board views, at every width, in both languages', () => {
  const e2e = browserRunPerFile({ DEMO_WORKSPACE: 'true' });
  let admin: Page;
  let guest: Page;
  let boardId: string;
  let cardId: string;

  /** The layout problems of the page as it is now, without those inside a region that scrolls on purpose. */
  async function problemsOf(page: Page): Promise<LayoutProblem[]> {
    return [
      ...(await layoutProblems(page, { overlap: [CONTROLS], text: [TEXTS], onScreen: [CONTROLS] })),
      // The app's frame scrolls its content area, not the document: that area must not scroll sideways either.
      ...(await boxScrollsSideways(page, '.shell > .content')),
      ...(await unlabelledScrollBoxes(page, 'main *')),
    ];
  }

  async function setLocale(page: Page, locale: (typeof LOCALES)[number]): Promise<void> {
    await page.evaluate(async (locale) => {
      await fetch('/api/auth/me', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale }) });
      localStorage.setItem('passerelle.locale', locale);
    }, locale);
  }

  /**
   * Lists in the page, from each navigation on, what its Content-Security-Policy refused (a
   * `securitypolicyviolation` event is fired even for a refusal the code catches).
   */
  async function recordPolicyViolations(page: Page): Promise<void> {
    await page.context().addInitScript(() => {
      const refused: string[] = [];
      (window as unknown as { policyViolations: string[] }).policyViolations = refused;
      document.addEventListener('securitypolicyviolation', (event) => refused.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
  }

  /** Opens `path` at `viewport`, waits for `ready`, saves a screenshot and returns its problems (in `scope` when given). */
  async function visit(page: Page, who: string, locale: string, viewport: Viewport, name: string, path: string, ready: string, scope?: string): Promise<PageProblem[]> {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await page.goto(`${e2e.server.url}${path}`);
    await page.locator(ready).first().waitFor({ timeout: 15_000 });
    // Fonts, charts and lists settle after the first paint.
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/${who}-${name}-${locale}-${viewport.width}.png`, fullPage: false });
    const refused = await page.evaluate(() => (window as unknown as { policyViolations?: string[] }).policyViolations ?? []);
    const problems: PageProblem[] = refused.map((detail) => ({ kind: 'policy-violation', detail }));
    problems.push(...(scope
      ? [
          ...(await boxScrollsSideways(page, '.shell > .content')),
          ...(await layoutProblems(page, { overlap: [within(scope, CONTROLS)], text: [within(scope, TEXTS)], onScreen: [within(scope, CONTROLS)] })),
        ]
      : await problemsOf(page)));
    return problems.map((problem) => ({ ...problem, detail: `${who} ${name} ${locale} ${viewport.width}px: ${problem.detail}` }));
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    admin = await e2e.newPage({ width: 1440, height: 900, locale: 'en-GB' });
    await recordPolicyViolations(admin);
    await signIn(admin, e2e.server.url, ADMIN);
    ({ boardId, cardId } = await admin.evaluate(async () => {
      const boards = ((await (await fetch('/api/boards')).json()) as { boards: { id: string }[] }).boards;
      for (const board of boards) {
        const list = (await (await fetch(`/api/boards/${board.id}/proposals`)).json()) as { proposals: { cardId: string; progress: { sections: number } }[] };
        // The proposal with the most drafted sections: the longest page to lay out.
        const drafted = list.proposals.filter((proposal) => proposal.progress.sections > 0).sort((a, b) => b.progress.sections - a.progress.sections)[0];
        if (drafted) return { boardId: board.id, cardId: drafted.cardId };
      }
      throw new Error('the demo workspace has no drafted proposal');
    }));
    const url = await admin.evaluate(async (boardId) => {
      const response = await fetch(`/api/boards/${boardId}/guest-invites`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'editor', label: 'Universidade do Porto', expiresInHours: 48 }),
      });
      return ((await response.json()) as { url: string }).url;
    }, boardId);
    guest = await e2e.newPage({ width: 1440, height: 900, locale: 'en-GB' });
    await recordPolicyViolations(guest);
    await guest.goto(url);
    await guest.getByTestId('guest-name').fill('Maria Fernanda de Albuquerque Gonçalves');
    await guest.getByTestId('guest-organisation').fill('Universidade do Porto, Faculdade de Engenharia');
    await guest.getByTestId('guest-join-submit').click();
    await guest.waitForURL(`${e2e.server.url}/boards/${boardId}`);
  });

  afterAll(async () => {
    await admin?.context().close();
    await guest?.context().close();
  });

  const memberPages = () => [
    { name: 'home', path: '/', ready: '[data-testid=board-item]' },
    { name: 'proposals', path: '/proposals', ready: '[data-testid=proposals-row]' },
    { name: 'partners', path: '/partners', ready: 'main h1' },
    { name: 'mobility', path: '/mobility', ready: 'main h1' },
    { name: 'table', path: '/table', ready: 'main h1' },
    { name: 'search', path: '/search?q=Porto', ready: 'main h1' },
    { name: 'notifications', path: '/notifications', ready: 'main h1' },
    { name: 'settings-workspace', path: '/settings/workspace', ready: 'main h1' },
    { name: 'settings-people', path: '/settings/people', ready: 'main h1' },
    { name: 'settings-audit', path: '/settings/audit', ready: 'main h1' },
    { name: 'settings-templates', path: '/settings/templates', ready: 'main h1' },
    { name: 'settings-tokens', path: '/settings/tokens', ready: 'main h1' },
    { name: 'settings-webhooks', path: '/settings/webhooks', ready: 'main h1' },
    { name: 'settings-account', path: '/settings/account', ready: '[data-testid=mail-preferences]' },
    { name: 'settings-mail', path: '/settings/mail', ready: '[data-testid=mail-disabled]' },
    { name: 'proposal', path: `/boards/${boardId}/proposals/${cardId}`, ready: '[data-testid=proposal-sections]' },
  ];

  /** Tables that a desktop's width shows whole, by page. */
  const WHOLE_ON_DESKTOP: Record<string, string[]> = { mobility: ['flow-table', 'target-table'], proposals: ['proposals-table'] };

  for (const locale of LOCALES) {
    it(`the member's pages are right at every width in ${locale}`, async () => {
      await setLocale(admin, locale);
      const problems: PageProblem[] = [];
      for (const viewport of VIEWPORTS) {
        for (const page of memberPages()) {
          problems.push(...(await visit(admin, 'member', locale, viewport, page.name, page.path, page.ready)));
          // A proposal's agreements, one under the other (the demo's short study mobility led to two).
          if (page.name === 'proposals') {
            const cells = await admin.getByTestId('proposals-row-agreements').evaluateAll((elements) =>
              elements.map((cell) => [...cell.querySelectorAll('a')].map((link) => ({ top: link.getBoundingClientRect().top, bottom: link.getBoundingClientRect().bottom }))),
            );
            expect(Math.max(...cells.map((links) => links.length))).toBe(2);
            for (const links of cells) {
              if (links.some((link, index) => index > 0 && link.top < links[index - 1]!.bottom)) problems.push({ kind: 'overlap', detail: `member proposals ${locale} ${viewport.width}px: agreements share a line` });
            }
          }
          // On a desktop the mobility flows and the list of all proposals fit the page whole: no table to scroll there.
          if (viewport.name === 'desktop') {
            for (const table of WHOLE_ON_DESKTOP[page.name] ?? []) {
              const box = await admin.getByTestId(table).evaluate((element) => ({ content: element.parentElement!.scrollWidth, box: element.parentElement!.clientWidth }));
              if (box.content > box.box + 1) problems.push({ kind: 'sideways-scroll', detail: `member ${page.name} ${locale} 1440px: ${table} is ${box.content}px wide in ${box.box}px` });
            }
          }
        }
      }
      expect(problems.map((problem) => `${problem.kind}: ${problem.detail}`)).toEqual([]);
    }, 180_000);

    it(`the partner guest's pages are right at every width in ${locale}`, async () => {
      await setLocale(guest, locale);
      const problems: PageProblem[] = [];
      for (const viewport of VIEWPORTS) {
        problems.push(...(await visit(guest, 'guest', locale, viewport, 'board', `/boards/${boardId}`, '[data-testid=guest-banner]', FRAME)));
        problems.push(...(await visit(guest, 'guest', locale, viewport, 'proposal', `/boards/${boardId}/proposals/${cardId}`, '[data-testid=proposal-sections]')));
      }
      expect(problems.map((problem) => `${problem.kind}: ${problem.detail}`)).toEqual([]);
    }, 120_000);
  }

  it('on a phone and a tablet the sections fold into a menu that opens, is walked by keyboard, navigates and closes on Escape', async () => {
    await setLocale(admin, 'en');
    const toggle = admin.getByTestId('main-menu-toggle');
    const focused = () => admin.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
    for (const viewport of VIEWPORTS.filter((viewport) => viewport.name !== 'desktop')) {
      await admin.setViewportSize({ width: viewport.width, height: viewport.height });
      await admin.goto(`${e2e.server.url}/partners`);
      await admin.getByTestId('partners').waitFor();
      expect(await toggle.isVisible()).toBe(true);
      expect(await toggle.getAttribute('aria-label')).toBe('Menu: sections and search');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await admin.getByTestId('nav-mobility').isVisible()).toBe(false);

      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      await admin.getByTestId('nav-mobility').waitFor();
      await admin.screenshot({ path: `${SHOTS}/member-menu-open-en-${viewport.width}.png` });
      const open = await layoutProblems(admin, { overlap: [within('.app-header', CONTROLS)], text: [within('.app-header', TEXTS)], onScreen: [within('.app-header', CONTROLS)] });
      expect(open.map((problem) => problem.detail)).toEqual([]);

      // The links follow the button in the keyboard's order, then Escape closes and gives the focus back.
      await toggle.focus();
      await admin.keyboard.press('Tab');
      expect(await focused()).toBe('nav-boards');
      for (const testId of ['nav-proposals', 'nav-partners', 'nav-mobility', 'nav-table', 'header-search']) {
        await admin.keyboard.press('Tab');
        expect(await focused()).toBe(testId);
      }
      await admin.keyboard.press('Escape');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await admin.getByTestId('nav-mobility').isVisible()).toBe(false);
      expect(await focused()).toBe('main-menu-toggle');

      // Opened from the keyboard, a section's link navigates and the menu closes behind it.
      await admin.keyboard.press('Enter');
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      await admin.getByTestId('nav-mobility').click();
      await admin.waitForURL(`${e2e.server.url}/mobility`);
      await admin.getByTestId('mobility').waitFor();
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await admin.getByTestId('nav-mobility').isVisible()).toBe(false);
    }

    // On a desktop the sections stand in the header and there is no menu to open.
    await admin.setViewportSize({ width: 1440, height: 900 });
    expect(await toggle.isVisible()).toBe(false);
    expect(await admin.getByTestId('nav-mobility').isVisible()).toBe(true);
    expect(await admin.getByTestId('nav-mobility').getAttribute('aria-current')).toBe('page');
  });

  it('on a phone the proposal bar keeps one line, its options folded behind a button that Escape closes', async () => {
    await setLocale(admin, 'fr');
    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.goto(`${e2e.server.url}/boards/${boardId}/proposals/${cardId}`);
    await admin.getByTestId('proposal-sections').waitFor();
    const bar = admin.getByTestId('proposal-bar');
    const more = admin.getByTestId('proposal-bar-more');
    // One line of tools: the buttons' height and the bar's padding, not three rows.
    expect((await bar.boundingBox())!.height).toBeLessThan(60);
    expect(await admin.getByTestId('view-both').isVisible()).toBe(false);
    expect(await more.getAttribute('aria-label')).toBe('Plus d’options d’édition');

    await more.click();
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    await admin.getByTestId('proposal-versions-open').waitFor();
    await admin.screenshot({ path: `${SHOTS}/member-proposal-options-fr-390.png` });
    const open = await layoutProblems(admin, { overlap: [within('[data-testid=proposal-bar]', CONTROLS)], onScreen: [within('[data-testid=proposal-bar]', CONTROLS)] });
    expect(open.map((problem) => problem.detail)).toEqual([]);
    await admin.keyboard.press('Escape');
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    expect(await admin.getByTestId('proposal-versions-open').isVisible()).toBe(false);
    expect(await admin.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('proposal-bar-more');

    // On a desktop the options stand in the bar, with no button to open.
    await admin.setViewportSize({ width: 1440, height: 900 });
    expect(await more.isVisible()).toBe(false);
    expect(await admin.getByTestId('proposal-versions-open').isVisible()).toBe(true);
  });
});
