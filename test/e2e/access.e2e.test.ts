/**
 * Access control in Debian's Chromium against the built server, with three separate browser contexts
 * (separate cookies): an administrator invites a colleague and shares a board with a partner guest;
 * the colleague accepts the invitation; the guest joins by link, sees only that board, and is sent to
 * the access-ended page as soon as the administrator revokes the link.
 *
 * The steps run in order and share one server: each `it` names the behaviour it proves.
 */
import { join } from 'node:path';
import type { BoardSummary, Me } from '@passerelle/shared';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, signIn, browserRunPerFile, waitSynced } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';

const COLLEAGUE = { email: 'ines.moreau@example.org', password: 'platanes-de-la-loire', name: 'Inès Moreau' } as const;
const GUEST = { name: 'Ana Ribeiro', organisation: 'Universidade do Porto' } as const;
const BOARD_TITLE = 'Double diplôme Porto 2026';
const INVITE_LABEL = 'Universidade do Porto — réunion du 12 mars';

describe('invitations, board sharing and partner guests', () => {
  const e2e = browserRunPerFile();
  let admin: Page;
  let colleague: Page;
  let guest: Page;
  let invitationUrl: string;
  let guestInviteUrl: string;
  let boardId: string;

  beforeAll(async () => {
    // The school works in French; the colleague and the partner read English.
    admin = await e2e.newPage({ width: 1280, height: 900, locale: 'fr-FR' });
    colleague = await e2e.newPage({ width: 1280, height: 800, locale: 'en-GB' });
    guest = await e2e.newPage({ width: 1280, height: 800, locale: 'en-GB' });
  });

  it('an administrator invites a colleague and gets the link once, listed as pending', async () => {
    await signIn(admin, e2e.server.url, ADMIN);
    await admin.getByTestId('account-menu').click();
    await admin.getByTestId('people-link').click();
    await admin.getByTestId('people').waitFor();

    const form = admin.getByTestId('invite-form');
    await form.getByTestId('invite-email').fill(COLLEAGUE.email);
    await form.getByTestId('invite-department-studies').check();
    await form.getByTestId('invite-days').fill('10');
    await form.getByTestId('invite-submit').click();

    invitationUrl = (await admin.getByTestId('invite-url').textContent())!.trim();
    expect(invitationUrl).toMatch(new RegExp(`^${escape(e2e.server.url)}/join/[^/]+$`));
    const row = admin.getByTestId('invitation-row').filter({ hasText: COLLEAGUE.email });
    expect(await row.getAttribute('data-status')).toBe('pending');
    await screenshot(admin, '01-invitation-created-fr');
  });

  it('the colleague opens the link in another browser, creates the account and lands signed in', async () => {
    await colleague.goto(invitationUrl);
    await colleague.getByTestId('invitation-preview').waitFor();
    expect(await colleague.getByTestId('invitation-preview').textContent()).toContain(COLLEAGUE.email);
    await screenshot(colleague, '02-join-en');

    // Too short a password is refused before asking the server.
    await colleague.getByTestId('join-name').fill(COLLEAGUE.name);
    await colleague.getByTestId('join-password').fill('short');
    await colleague.getByTestId('join-submit').click();
    await colleague.getByTestId('join-password-error').waitFor();

    await colleague.getByTestId('join-password').fill(COLLEAGUE.password);
    await colleague.getByTestId('join-submit').click();
    await colleague.waitForURL(`${e2e.server.url}/`);
    await colleague.getByTestId('me-name').waitFor();
    expect(await colleague.getByTestId('me-name').textContent()).toBe(COLLEAGUE.name);
    const me = await meOf(colleague);
    expect(me).toMatchObject({ email: COLLEAGUE.email, departments: ['studies'], isAdmin: false, active: true, guest: null });

    // The link served once: opened again, it says so instead of showing the form.
    const again = await guest.context().newPage();
    await again.goto(invitationUrl);
    await again.getByTestId('invitation-dead').waitFor();
    await again.close();

    await admin.reload();
    const row = admin.getByTestId('invitation-row').filter({ hasText: COLLEAGUE.email });
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('accepted');
    await admin.getByTestId('person-row').filter({ hasText: COLLEAGUE.email }).waitFor();
    await screenshot(admin, '03-invitation-accepted-fr');
  });

  it('a deactivated colleague is sent at once to a page that says so, and can sign in again once reactivated', async () => {
    const row = admin.getByTestId('person-row').filter({ hasText: COLLEAGUE.email });
    await row.getByTestId('deactivate-person').click();
    await admin.getByTestId('activation-dialog').getByTestId('confirm-activation').click();
    await admin.locator(`[data-testid="person-row"][data-active="false"]`).filter({ hasText: COLLEAGUE.email }).waitFor();
    await row.getByTestId('person-inactive').waitFor();
    await screenshot(admin, '03b-deactivated-fr');

    await colleague.getByTestId('access-ended').waitFor({ timeout: 5_000 });
    expect(await colleague.getByTestId('access-ended').getAttribute('data-reason')).toBe('deactivated');
    await screenshot(colleague, '03c-deactivated-en');

    await row.getByTestId('reactivate-person').click();
    await admin.getByTestId('activation-dialog').getByTestId('confirm-activation').click();
    await admin.locator(`[data-testid="person-row"][data-active="true"]`).filter({ hasText: COLLEAGUE.email }).waitFor();
    await signIn(colleague, e2e.server.url, COLLEAGUE);
    expect((await meOf(colleague)).active).toBe(true);
  });

  it('an owner creates a guest link from the sharing dialog, shown once with what guests never see', async () => {
    await admin.goto(`${e2e.server.url}/`);
    await admin.getByTestId('new-board-title').fill(BOARD_TITLE);
    await admin.getByTestId('create-board').click();
    // Creating a board opens it; the list shows it on the way back.
    await admin.waitForURL(/\/boards\/[A-Za-z0-9_-]{8,64}$/);
    await admin.goBack();
    const item = admin.getByTestId('board-item').filter({ hasText: BOARD_TITLE });
    await item.waitFor();
    boardId = (await item.getAttribute('data-board-id'))!;
    expect(await item.getByTestId('board-role').getAttribute('data-role')).toBe('owner');

    await item.getByTestId('board-link').click();
    await admin.waitForURL(`${e2e.server.url}/boards/${boardId}`);
    await admin.getByTestId('share-board').click();
    const dialog = admin.getByTestId('sharing-dialog');
    await dialog.getByTestId('guest-notice').waitFor();
    expect(await dialog.getByTestId('guest-notice').textContent()).toContain(
      'Les notes internes, le budget et la discussion des validations ne sont jamais partagés avec les invités.',
    );

    await dialog.getByTestId('guest-invite-label').fill(INVITE_LABEL);
    await dialog.getByTestId('guest-invite-role').selectOption('commenter');
    await dialog.getByTestId('guest-invite-submit').click();
    guestInviteUrl = (await dialog.getByTestId('guest-invite-url').textContent())!.trim();
    expect(guestInviteUrl).toMatch(new RegExp(`^${escape(e2e.server.url)}/guest/[^/]+$`));
    const inviteRow = dialog.getByTestId('guest-invite-row').filter({ hasText: INVITE_LABEL });
    expect(await inviteRow.getAttribute('data-status')).toBe('active');
    await screenshot(admin, '04-sharing-dialog-fr');
  });

  it('an unknown guest link says so and shows nothing of the school', async () => {
    await guest.goto(`${e2e.server.url}/guest/not-a-real-link`);
    await guest.getByTestId('guest-link-dead').waitFor();
    expect(await guest.getByTestId('guest-link-dead').getAttribute('data-reason')).toBe('not_found');
    expect(await guest.getByTestId('guest-join-form').count()).toBe(0);
    expect(await guest.getByTestId('guest-link-dead').textContent()).toContain('Ask the person who invited you for a new link.');
  });

  it('the guest link previews the board in French for a French reader, without joining', async () => {
    const preview = await admin.context().newPage();
    await preview.goto(guestInviteUrl);
    await preview.getByTestId('guest-preview-board').waitFor();
    expect(await preview.getByTestId('guest-preview').textContent()).toContain('Commentateur');
    await screenshot(preview, '05b-guest-join-fr');
    await preview.close();
  });

  it('a guest joins by the link and sees that board only, without the workspace navigation', async () => {
    await guest.goto(guestInviteUrl);
    await guest.getByTestId('guest-preview-board').waitFor();
    expect(await guest.getByTestId('guest-preview-board').textContent()).toBe(BOARD_TITLE);
    expect(await guest.getByTestId('guest-preview').textContent()).toContain(INVITE_LABEL);
    await screenshot(guest, '05-guest-join-en');

    await guest.getByTestId('guest-name').fill(GUEST.name);
    await guest.getByTestId('guest-organisation').fill(GUEST.organisation);
    await guest.getByTestId('guest-join-submit').click();
    await guest.waitForURL(`${e2e.server.url}/boards/${boardId}`);

    const banner = guest.getByTestId('guest-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(BOARD_TITLE);
    expect(await banner.textContent()).toContain(GUEST.organisation);
    for (const testId of ['nav-boards', 'nav-partners', 'nav-mobility', 'nav-table', 'header-search', 'settings-link', 'people-link', 'tokens-link', 'calendars-link', 'calendar-open', 'share-board']) {
      expect(await guest.getByTestId(testId).count(), testId).toBe(0);
    }
    await screenshot(guest, '06-guest-board-en');

    // Every other page of the app leads back to the board.
    for (const path of ['/', '/partners', '/settings/workspace']) {
      await guest.goto(`${e2e.server.url}${path}`);
      await guest.waitForURL(`${e2e.server.url}/boards/${boardId}`);
    }
    await guest.getByTestId('guest-banner').waitFor();
    const boards = await guest.evaluate(async () => (await (await fetch('/api/boards')).json()) as { boards: BoardSummary[] });
    expect(boards.boards.map((board) => board.id)).toEqual([boardId]);
    // And the board itself opens for the guest: connected, with its stored content.
    await waitSynced(guest);
  });

  it('the owner sees the guest who joined, revokes the link, and the guest’s page explains the access ended', async () => {
    await admin.reload();
    await admin.getByTestId('share-board').click();
    const dialog = admin.getByTestId('sharing-dialog');
    await dialog.getByTestId('guest-row').filter({ hasText: GUEST.name }).waitFor();
    const inviteRow = dialog.getByTestId('guest-invite-row').filter({ hasText: INVITE_LABEL });
    expect(await inviteRow.textContent()).toContain('invités venus : 1');

    await inviteRow.getByTestId('revoke-guest-invite').click();
    await inviteRow.getByTestId('confirm-revoke').click();
    await dialog.locator('[data-testid="guest-invite-row"][data-status="revoked"]').waitFor();
    await screenshot(admin, '07-invite-revoked-fr');

    await guest.getByTestId('access-ended').waitFor({ timeout: 5_000 });
    expect(await guest.getByTestId('access-ended').getAttribute('data-reason')).toBe('revoked');
    expect(guest.url()).toBe(`${e2e.server.url}/access-ended?reason=revoked`);
    await screenshot(guest, '08-access-ended-en');

    // The revoked link no longer opens anything.
    await guest.goto(guestInviteUrl);
    await guest.getByTestId('guest-link-dead').waitFor();
  });

  it('repeated wrong passwords lock the email, and the sign-in page says so in the person’s language', async () => {
    const page = await guest.context().newPage();
    await page.goto(`${e2e.server.url}/login`);
    await page.getByTestId('login-email').fill('nobody@example.org');
    await page.getByTestId('login-password').fill('not-the-password');
    const attempt = async () => {
      const answered = page.waitForResponse((response) => response.url().endsWith('/api/auth/login'));
      await page.getByTestId('login-submit').click();
      return (await answered).status();
    };
    for (let failure = 1; failure <= 5; failure += 1) {
      expect(await attempt()).toBe(401);
      await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('Wrong email or password.');
    }
    expect(await attempt()).toBe(429);
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('Too many failed sign-in attempts. Try again in a few minutes.');
    await screenshot(page, '09-login-locked-en');
    await page.close();
  });

  it('the audit log lists these events, newest first, filtered by type and translated', async () => {
    await admin.goto(`${e2e.server.url}/settings/audit`);
    await admin.getByTestId('audit-row').first().waitFor();
    const rows = await admin
      .getByTestId('audit-row')
      .evaluateAll((elements) => elements.map((row) => ({ id: Number(row.getAttribute('data-event-id')), type: row.getAttribute('data-type') })));
    const ids = rows.map((row) => row.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(rows.map((row) => row.type)).toEqual(
      expect.arrayContaining([
        'login_locked',
        'login_failed',
        'guest_invite_revoked',
        'guest_joined',
        'guest_invite_created',
        'member_reactivated',
        'member_deactivated',
        'invitation_accepted',
        'invitation_created',
        'login_succeeded',
      ]),
    );
    await screenshot(admin, '10-audit-fr');

    await admin.getByTestId('audit-type').selectOption('guest_joined');
    await expect
      .poll(async () => admin.getByTestId('audit-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type'))))
      .toEqual(['guest_joined']);
    expect(await admin.getByTestId('audit-row').textContent()).toContain('Invité venu');

    await admin.getByTestId('locale-switch').selectOption('en');
    await expect.poll(() => admin.getByTestId('audit-row').textContent()).toContain('Guest joined');
    await screenshot(admin, '11-audit-en');
    await admin.getByTestId('locale-switch').selectOption('fr');
  });

  it('a person not signed in is asked once who they are, the sign-in page asks what it offers all at once, and signing out asks nothing more', async () => {
    const page = await e2e.newPage({ width: 1280, height: 800, locale: 'en-GB' });
    const exchanges: string[] = [];
    const auth = (url: string) => (new URL(url).pathname.startsWith('/api/auth/') ? new URL(url).pathname : null);
    page.on('request', (request) => auth(request.url()) && exchanges.push(`asked ${request.method()} ${auth(request.url())}`));
    page.on('response', (response) => auth(response.url()) && exchanges.push(`answered ${response.status()} ${auth(response.url())}`));
    const offers = ['/api/auth/methods', '/api/auth/setup-status', '/api/auth/password-reset'];
    const answeredOffers = () => exchanges.filter((exchange) => exchange.startsWith('answered') && offers.some((offer) => exchange.endsWith(offer))).length;

    await page.goto(`${e2e.server.url}/partners`);
    await page.waitForURL(`${e2e.server.url}/login?next=%2Fpartners`);
    await expect.poll(answeredOffers).toBe(3);
    expect(exchanges.filter((exchange) => exchange.endsWith('/api/auth/me'))).toEqual(['asked GET /api/auth/me', 'answered 401 /api/auth/me']);
    // The three questions leave before the first answer comes back: one round trip, not three.
    const afterMe = exchanges.slice(exchanges.indexOf('answered 401 /api/auth/me') + 1);
    expect(afterMe.slice(0, 3).sort()).toEqual(offers.map((offer) => `asked GET ${offer}`).sort());

    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${e2e.server.url}/partners`);
    exchanges.length = 0;
    await page.getByTestId('account-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/login/);
    await expect.poll(answeredOffers).toBe(3);
    expect(exchanges.filter((exchange) => exchange.endsWith('/api/auth/me'))).toEqual([]);
    await page.context().close();
  });
});

/** `GET /api/auth/me` with this browser's session cookie. */
function meOf(page: Page): Promise<Me> {
  return page.evaluate(async () => (await fetch('/api/auth/me', { headers: { accept: 'application/json' } })).json() as Promise<Me>);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `access-${name}.png`), fullPage: true });
}
