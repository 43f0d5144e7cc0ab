/**
 * Accessibility (RGAA, that is WCAG 2.1 AA), in Debian's Chromium against the built server with the
 * demo workspace. axe-core checks every main view — the boards list, a board in each of its views, a
 * card's drawer, a proposal's document, the workspace's pages and settings, a partner guest's board,
 * and the sign-in page — in French and in English, on a phone (390 px) and a desktop (1440 px): no
 * serious or critical violation. Then what axe cannot see: a skip link first in the keyboard's order on every
 * page, a visible focus ring, the focus given back when a drawer or a dialog closes, and no motion
 * for someone who asks their system for less.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserRunPerFile, signIn, waitSynced } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';

const LOCALES = ['fr', 'en'] as const;
const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1440, height: 900 },
] as const;
/** The rules of WCAG 2.0 and 2.1, levels A and AA (what the RGAA is built on), and axe's best practices. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
/** What must never be found: an impact below these is a hint, not a barrier. */
const BLOCKING = new Set(['serious', 'critical']);

type Locale = (typeof LOCALES)[number];
/** A page to check: its address, what shows once it is ready, whether it is a live board to wait for, and whether it opens with a field focused. */
type View = { name: string; path: string; ready: string; board?: boolean; opensFocused?: boolean };
const SKIP_TEXT: Record<Locale, string> = { fr: 'Aller au contenu', en: 'Skip to content' };

describe('accessibility of every main view, in both languages, on a phone and a desktop', () => {
  const e2e = browserRunPerFile({ DEMO_WORKSPACE: 'true' });
  let admin: Page;
  let guest: Page;
  let boardId: string;
  let cardId: string;

  /** Sets this person's language on the server and in this browser. */
  async function setLocale(page: Page, locale: Locale): Promise<void> {
    await page.evaluate(async (locale) => {
      await fetch('/api/auth/me', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale }) });
      localStorage.setItem('passerelle.locale', locale);
    }, locale);
  }

  beforeAll(async () => {
    admin = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
    await signIn(admin, e2e.server.url, ADMIN);
    ({ boardId, cardId } = await admin.evaluate(async () => {
      const boards = ((await (await fetch('/api/boards')).json()) as { boards: { id: string }[] }).boards;
      for (const board of boards) {
        const list = (await (await fetch(`/api/boards/${board.id}/proposals`)).json()) as { proposals: { cardId: string; progress: { sections: number } }[] };
        const drafted = list.proposals.find((proposal) => proposal.progress.sections > 0);
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
    guest = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
    await guest.goto(url);
    await guest.getByTestId('guest-name').fill('Ana Silva');
    await guest.getByTestId('guest-organisation').fill('Universidade do Porto');
    await guest.getByTestId('guest-join-submit').click();
    await guest.waitForURL(`${e2e.server.url}/boards/${boardId}`);
  });

  afterAll(async () => {
    await admin?.context().close();
    await guest?.context().close();
  });

  const memberViews = (): View[] => [
    { name: 'boards', path: '/', ready: '[data-testid=board-item]' },
    { name: 'board', path: `/boards/${boardId}?view=board`, ready: '[data-testid=column]', board: true },
    { name: 'pipeline', path: `/boards/${boardId}?view=pipeline`, ready: '[data-testid=pipeline-stage]', board: true },
    { name: 'roadmap', path: `/boards/${boardId}?view=roadmap`, ready: '[data-testid=view-tab-roadmap][aria-current=page]', board: true },
    { name: 'actions', path: `/boards/${boardId}?view=actions`, ready: '[data-testid=view-tab-actions][aria-current=page]', board: true },
    { name: 'priorities', path: `/boards/${boardId}?view=priorities`, ready: '[data-testid=view-tab-priorities][aria-current=page]', board: true },
    { name: 'card', path: `/boards/${boardId}?card=${cardId}`, ready: '[data-testid=proposal-detail]', board: true, opensFocused: true },
    { name: 'proposal', path: `/boards/${boardId}/proposals/${cardId}`, ready: '[data-testid=proposal-sections]' },
    { name: 'proposals', path: '/proposals', ready: 'main h1' },
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
  ];
  const guestViews = (): View[] => [
    { name: 'guest-board', path: `/boards/${boardId}`, ready: '[data-testid=column]', board: true },
    { name: 'guest-card', path: `/boards/${boardId}?card=${cardId}`, ready: '[data-testid=proposal-detail]', board: true, opensFocused: true },
    { name: 'guest-proposal', path: `/boards/${boardId}/proposals/${cardId}`, ready: '[data-testid=proposal-sections]' },
  ];

  /**
   * Opens each view and returns what is wrong with it: axe's serious and critical violations, and,
   * on a view that opens with nothing focused, a first Tab that does not reach the skip link or a
   * skip link that does not bring the focus to the page's main content.
   */
  async function scan(page: Page, locale: Locale, size: (typeof WIDTHS)[number], views: View[]): Promise<string[]> {
    await page.setViewportSize(size);
    const found: string[] = [];
    for (const view of views) {
      const label = `${view.name} ${locale} ${size.width}px`;
      await page.goto(`${e2e.server.url}${view.path}`);
      if (view.board) await waitSynced(page, 30_000);
      await page.locator(view.ready).first().waitFor({ timeout: 15_000 });
      // Lists, charts and fonts settle after the first paint.
      await page.waitForTimeout(200);
      if (!view.opensFocused) found.push(...(await skipLinkProblems(page, locale, label)));
      found.push(...(await violations(page, label)));
    }
    return found;
  }

  /** The first Tab reaches the skip link, shown on screen in the page's language; Enter on it focuses `<main>`. */
  async function skipLinkProblems(page: Page, locale: Locale, label: string): Promise<string[]> {
    await page.keyboard.press('Tab');
    const link = await page.evaluate(() => {
      const active = document.activeElement as HTMLElement | null;
      const box = active?.getBoundingClientRect();
      return {
        testId: active?.getAttribute('data-testid') ?? active?.tagName ?? null,
        text: active?.textContent?.trim() ?? '',
        onScreen: !!box && box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.width > 0,
      };
    });
    if (link.testId !== 'skip-link') return [`${label}: the first Tab reaches ${link.testId}, not the skip link`];
    const problems: string[] = [];
    if (link.text !== SKIP_TEXT[locale]) problems.push(`${label}: the skip link says “${link.text}”`);
    if (!link.onScreen) problems.push(`${label}: the focused skip link is not on screen`);
    await page.keyboard.press('Enter');
    const focused = await page.evaluate(() => document.activeElement?.id ?? '');
    if (focused !== 'main-content') problems.push(`${label}: the skip link leaves the focus on #${focused}`);
    return problems;
  }

  it('the sign-in page, before anyone is signed in, has its skip link and no serious or critical violation in either language', async () => {
    const found: string[] = [];
    for (const locale of LOCALES) {
      const visitor = await e2e.newPage({ width: 390, height: 844, locale: locale === 'fr' ? 'fr-FR' : 'en-GB' });
      await visitor.goto(`${e2e.server.url}/login`);
      await visitor.getByTestId('login-email').waitFor();
      found.push(...(await skipLinkProblems(visitor, locale, `login ${locale}`)), ...(await violations(visitor, `login ${locale}`)));
      await visitor.context().close();
    }
    expect(found).toEqual([]);
  });

  for (const locale of LOCALES) {
    for (const size of WIDTHS) {
      it(`axe finds no serious or critical violation in ${locale} at ${size.width} px, for a member and for a partner guest`, async () => {
        await setLocale(admin, locale);
        await setLocale(guest, locale);
        const found = [...(await scan(admin, locale, size, memberViews())), ...(await scan(guest, locale, size, guestViews()))];
        expect(found).toEqual([]);
      }, 240_000);
    }
  }
});

describe('focus and motion', () => {
  const e2e = browserRunPerFile({ DEMO_WORKSPACE: 'true' });
  let page: Page;
  let boardId: string;

  beforeAll(async () => {
    page = await e2e.newPage({ width: 1440, height: 900, locale: 'en-GB' });
    await signIn(page, e2e.server.url, ADMIN);
    boardId = await page.evaluate(async () => {
      const boards = ((await (await fetch('/api/boards')).json()) as { boards: { id: string }[] }).boards;
      for (const board of boards) {
        const list = (await (await fetch(`/api/boards/${board.id}/proposals`)).json()) as { proposals: unknown[] };
        if (list.proposals.length > 0) return board.id;
      }
      throw new Error('the demo workspace has no board with proposals');
    });
  });

  afterAll(async () => {
    await page?.context().close();
  });

  it('every control the keyboard reaches on a board, in a card and on the boards list shows the focus ring', async () => {
    const missing: string[] = [];
    const walk = async (where: string, steps: number) => {
      for (let step = 0; step < steps; step++) {
        await page.keyboard.press('Tab');
        const ring = await focusRing(page);
        if (ring && !ring.drawn) missing.push(`${where}: ${ring.element} (outline ${ring.outline})`);
      }
    };
    await page.goto(`${e2e.server.url}/boards/${boardId}`);
    await waitSynced(page, 30_000);
    await walk('board', 60);
    await page.goto(`${e2e.server.url}/boards/${boardId}?view=roadmap`);
    await waitSynced(page, 30_000);
    await walk('roadmap', 40);
    await tabTo(page, 'roadmap-proposal-chip');
    await page.keyboard.press('Enter');
    await page.getByTestId('proposal-detail').waitFor();
    await walk('card', 30);
    await page.goto(`${e2e.server.url}/`);
    await page.getByTestId('board-item').first().waitFor();
    await walk('boards', 30);
    expect(missing).toEqual([]);
  });

  it('closing a card opened from the board or from the roadmap gives the focus back to what opened it', async () => {
    await page.goto(`${e2e.server.url}/boards/${boardId}`);
    await waitSynced(page, 30_000);
    await tabTo(page, 'card');
    const cardId = await page.evaluate(() => document.activeElement?.getAttribute('data-card-id'));
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=card-detail], [data-testid=proposal-detail]').first().waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-card-id'))).toBe(cardId);

    // From the roadmap: the drawer's close button, reached and pressed with the keyboard.
    await page.goto(`${e2e.server.url}/boards/${boardId}?view=roadmap`);
    await waitSynced(page, 30_000);
    await tabTo(page, 'roadmap-proposal-chip');
    const chip = await page.evaluate(() => document.activeElement?.textContent?.trim());
    await page.keyboard.press('Enter');
    await page.getByTestId('proposal-detail').waitFor();
    await tabTo(page, 'card-close', { backwards: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('proposal-detail').waitFor({ state: 'detached' });
    await expect.poll(() => focused(page)).toEqual({ testId: 'roadmap-proposal-chip', text: chip });
  });

  it('closing the sharing dialog or a confirmation gives the focus back to its button, and axe finds nothing serious in them', async () => {
    await page.evaluate(async (boardId) => {
      await fetch(`/api/boards/${boardId}/guest-invites`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'commenter', label: 'TU Delft', expiresInHours: 48 }),
      });
    }, boardId);
    await page.goto(`${e2e.server.url}/boards/${boardId}`);
    await waitSynced(page, 30_000);
    await tabTo(page, 'share-board');
    await page.keyboard.press('Enter');
    await page.getByTestId('sharing-dialog').waitFor();
    await page.getByTestId('revoke-guest-invite').first().waitFor();
    expect(await violations(page, 'sharing dialog')).toEqual([]);
    // Revoke asks again: the confirmation takes the focus, and Cancel gives it back to Revoke.
    await tabTo(page, 'revoke-guest-invite');
    await page.keyboard.press('Enter');
    expect((await focused(page))?.testId).toBe('confirm-revoke');
    await page.keyboard.press('Tab');
    expect((await focused(page))?.testId).toBe('cancel-revoke');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page))?.testId).toBe('revoke-guest-invite');
    await page.keyboard.press('Escape');
    await page.getByTestId('sharing-dialog').waitFor({ state: 'detached' });
    expect((await focused(page))?.testId).toBe('share-board');
    // Its own Close button.
    await page.keyboard.press('Enter');
    await page.getByTestId('sharing-dialog').waitFor();
    await tabTo(page, 'sharing-close', { backwards: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('sharing-dialog').waitFor({ state: 'detached' });
    expect((await focused(page))?.testId).toBe('share-board');

    // A confirmation: deleting a board, cancelled with Escape, then with its Cancel button.
    await page.goto(`${e2e.server.url}/`);
    await page.getByTestId('board-item').first().waitFor();
    await tabTo(page, 'delete-board');
    await page.keyboard.press('Enter');
    await page.getByTestId('confirm-dialog').waitFor();
    expect(await violations(page, 'confirmation')).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    expect((await focused(page))?.testId).toBe('delete-board');
    await page.keyboard.press('Enter');
    await page.getByTestId('confirm-dialog').waitFor();
    await tabTo(page, 'confirm-cancel', { backwards: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    expect((await focused(page))?.testId).toBe('delete-board');
    expect(await page.getByTestId('board-item').count()).toBeGreaterThan(0);
  });

  it('asking the system for less motion stops transitions and animations and makes cards jump instead of glide', async () => {
    // A board of its own with two cards, to move one with the keyboard.
    const moveBoard = await page.evaluate(async () => {
      const response = await fetch('/api/boards', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Motion' }) });
      return ((await response.json()) as { id: string }).id;
    });
    await page.goto(`${e2e.server.url}/boards/${moveBoard}`);
    await waitSynced(page, 30_000);
    await page.getByTestId('add-column-input').fill('Ideas');
    await page.getByTestId('add-column-input').press('Enter');
    for (const title of ['Porto', 'Delft']) {
      await page.getByTestId('add-card-input').fill(title);
      await page.getByTestId('add-card-input').press('Enter');
    }
    await expect.poll(() => page.getByTestId('card').count()).toBe(2);

    /** Moves the first card down with the keyboard and returns the durations of the animations the page started meanwhile. */
    const moveAndRecord = async (person: Page) => {
      await person.evaluate(() => ((window as unknown as { animations: number[] }).animations = []));
      await person.getByTestId('card').first().focus();
      await person.keyboard.press('Space');
      await person.keyboard.press('ArrowDown');
      await person.keyboard.press('Space');
      await person.waitForTimeout(300);
      return person.evaluate(() => (window as unknown as { animations: number[] }).animations);
    };
    const recordAnimations = () => {
      const animate = Element.prototype.animate;
      (window as unknown as { animations: number[] }).animations = [];
      Element.prototype.animate = function (keyframes, options) {
        const duration = typeof options === 'number' ? options : Number(options?.duration ?? 0);
        (window as unknown as { animations: number[] }).animations.push(duration);
        return animate.call(this, keyframes, options);
      };
    };

    // Without the preference, cards glide: the probe sees their animation.
    await page.context().addInitScript(recordAnimations);
    await page.reload();
    await waitSynced(page, 30_000);
    expect((await moveAndRecord(page)).filter((duration) => duration > 0).length).toBeGreaterThan(0);

    const context = await e2e.run.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB', reducedMotion: 'reduce' });
    await context.addInitScript(recordAnimations);
    const calm = await context.newPage();
    await signIn(calm, e2e.server.url, ADMIN);
    await calm.goto(`${e2e.server.url}/boards/${moveBoard}`);
    await waitSynced(calm, 30_000);
    expect((await moveAndRecord(calm)).filter((duration) => duration > 0)).toEqual([]);
    await expect.poll(() => calm.getByTestId('card-title').allTextContents()).toEqual(['Porto', 'Delft']);

    // No CSS transition or animation lasts on the board, the boards list or the mobility chart's page.
    const moving: string[] = [];
    for (const path of [`/boards/${moveBoard}`, `/boards/${boardId}?view=pipeline`, '/', '/mobility']) {
      await calm.goto(`${e2e.server.url}${path}`);
      await calm.locator('main h1').first().waitFor();
      moving.push(...(await lastingMotion(calm)).map((element) => `${path}: ${element}`));
    }
    expect(moving).toEqual([]);
    // A fading, spinning element added to the page: stopped with the preference, moving without it.
    expect(await lastingMotion(calm, true)).toEqual([]);
    expect(await lastingMotion(page, true)).toHaveLength(1);
    await context.close();
  });
});

/** The serious and critical violations axe finds on the page as it is now, one line each. */
async function violations(page: Page, label: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return results.violations
    .filter((violation) => BLOCKING.has(violation.impact ?? ''))
    .flatMap((violation) =>
      violation.nodes.map((node) => `${label}: ${violation.id} (${violation.impact}) at ${node.target.join(' ')}: ${node.failureSummary?.split('\n').slice(1).join(' ').trim()}`),
    );
}

/** The focused element's `data-testid` and text. */
function focused(page: Page): Promise<{ testId: string | null; text: string | undefined } | null> {
  return page.evaluate(() => {
    const active = document.activeElement;
    return active && active !== document.body ? { testId: active.getAttribute('data-testid'), text: active.textContent?.trim() } : null;
  });
}

/** Presses Tab (or Shift+Tab) until the element with `testId` has the focus. */
async function tabTo(page: Page, testId: string, { backwards = false, max = 150 } = {}): Promise<void> {
  for (let step = 0; step < max; step++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    if ((await focused(page))?.testId === testId) return;
  }
  throw new Error(`${testId} is not reached with the keyboard in ${max} presses`);
}

/** Whether the focused element draws the app's focus ring: a solid outline at least 2 px wide in the focus colour. */
function focusRing(page: Page): Promise<{ element: string; outline: string; drawn: boolean } | null> {
  return page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    if (!active || active === document.body) return null;
    const style = getComputedStyle(active);
    // The token, resolved to the colour the browser computes for it.
    const probe = document.createElement('span');
    probe.style.color = 'var(--focus)';
    document.body.append(probe);
    const focusColour = getComputedStyle(probe).color;
    probe.remove();
    return {
      element: `${active.tagName.toLowerCase()}${active.dataset.testid ? `[data-testid=${active.dataset.testid}]` : ''} “${(active.textContent ?? '').trim().slice(0, 30)}”`,
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      drawn: style.outlineStyle === 'solid' && parseFloat(style.outlineWidth) >= 2 && style.outlineColor === focusColour,
    };
  });
}

/** Elements whose CSS transitions or animations last longer than a hundredth of a second (with `probe`, of one element added with both). */
function lastingMotion(page: Page, probe = false): Promise<string[]> {
  return page.evaluate((probe) => {
    let scope = 'body *';
    if (probe) {
      const element = document.createElement('div');
      element.className = 'motion-probe';
      element.style.transition = 'opacity 400ms ease';
      element.style.animation = 'probe-spin 800ms linear infinite';
      document.body.append(element);
      scope = '.motion-probe';
    }
    const seconds = (value: string) => Math.max(...value.split(',').map((part) => (part.trim().endsWith('ms') ? parseFloat(part) / 1000 : parseFloat(part))));
    const found: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>(scope)) {
      const style = getComputedStyle(element);
      const transition = style.transitionProperty !== 'none' ? seconds(style.transitionDuration) : 0;
      const animation = style.animationName !== 'none' ? seconds(style.animationDuration) : 0;
      if (transition > 0.01 || animation > 0.01) found.push(`${element.tagName.toLowerCase()}.${[...element.classList].join('.')} (transition ${style.transitionDuration}, animation ${style.animationDuration})`);
    }
    document.querySelector('.motion-probe')?.remove();
    return found;
  }, probe);
}
