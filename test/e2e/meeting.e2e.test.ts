/**
 * A meeting with a partner, in Debian's Chromium against the built server, with two separate browser
 * contexts (separate cookies): the SRI facilitates in French; a partner guest joins from an invite
 * link in English, follows the presenter, votes, and sees the agreed action item appear. Everything
 * the guest's browser receives (every WebSocket frame, every HTTP body) is recorded from before it
 * loads anything, and the board's internal notes and budget must never be in it, while the
 * facilitator's browser does receive them (so the check can fail).
 *
 * The steps run in order and share one board: each `it` names the behaviour it proves. They run
 * twice: on one process, and on two processes sharing a Redis, the partner's browser on the other
 * process than the facilitator's (as a balancer may place them), where everything the meeting holds
 * (presenter, votes, contributions, participants) must cross processes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as encoding from 'lib0/encoding';
import { BoardDoc, InternalDoc, internalDocName, type Me } from '@passerelle/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOT_DIR, signIn, waitSynced } from '../helpers/browser.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { ADMIN, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { adminToken, api, connectClient, createBoard, eventually, login, synced } from '../helpers/test-server.js';

/** How long a change may take to cross from one browser to the other. */
const SYNC_TIMEOUT = 10_000;

const BOARD_TITLE = 'Réunion partenaires — Universidade do Porto';
const COLUMN_TITLE = 'Pistes de coopération';
const PROPOSALS = ['Double diplôme génie des procédés', 'École d’été chimie verte', 'Thèses en cotutelle'] as const;
const GUEST = { name: 'Ana Ribeiro', organisation: 'Universidade do Porto' } as const;
const INVITE_LABEL = 'Universidade do Porto — réunion de cadrage';

/** Only the internal document holds these: they must reach the facilitator and never the guest. */
const BOARD_NOTE_MARKER = 'SRI-INTERNE-7Q3X';
const PROPOSAL_NOTE_MARKER = 'PLAFOND-NEGO-K9W2';
const BUDGET = 741_852;

const ACTION = { title: 'Envoyer la maquette du double diplôme', owner: 'Ana Ribeiro', due: '2027-04-30' } as const;

/** Screenshots of the Redis run are kept beside those of the one-process run. */
let screenshotPrefix = '';

const DEPLOYMENTS = [
  { deployment: 'one process', onRedis: false },
  { deployment: 'two processes on Redis, the partner on the other one', onRedis: true },
] as const;

describe.each(DEPLOYMENTS)('a partner guest in a live meeting ($deployment)', ({ onRedis }) => {
  const dataDirs: string[] = [];
  let redis: RedisServer | undefined;
  /** The facilitator's process (and, on one process, the partner's). */
  let server: ServerProcess;
  /** The process the partner's browser reaches. */
  let guestServer: ServerProcess;
  let browser: Browser;
  /** The SRI, the administrator, who facilitates in French. */
  let facilitator: Page;
  /** The partner, in English, in a browser context of their own. */
  let guest: Page;
  let facilitatorWire: Wire;
  let guestWire: Wire;
  let adminName: string;
  let boardId: string;
  let boardUrl: string;
  let inviteUrl: string;
  /** The proposals' card ids, in `PROPOSALS` order. */
  let cardIds: string[];

  beforeAll(async () => {
    screenshotPrefix = onRedis ? 'redis-' : '';
    const dataDir = () => {
      const dir = mkdtempSync(join(tmpdir(), 'passerelle-meeting-'));
      dataDirs.push(dir);
      return dir;
    };
    if (onRedis) {
      redis = await startRedisServer();
      const env = { LOG_LEVEL: 'warn', REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'meeting-e2e:' };
      server = await startServerProcess({ dataDir: dataDir(), env });
      guestServer = await startServerProcess({ dataDir: dataDir(), env });
    } else {
      server = await startServerProcess({ dataDir: dataDir(), env: { LOG_LEVEL: 'warn' } });
      guestServer = server;
    }

    // Set-up through the API: the board, its proposals, its internal content and a guest link.
    const cookie = await login(server.url);
    const me = (await api<Me>(server.url, '/api/auth/me', { cookie })).body;
    adminName = me.name;
    const token = await adminToken(server.url);
    boardId = await createBoard(server.url, token, BOARD_TITLE);
    boardUrl = `${server.url}/boards/${boardId}`;

    const shared = connectClient(server.url, boardId, token);
    await synced(shared.provider);
    const board = new BoardDoc(shared.doc);
    const columnId = board.addColumn(COLUMN_TITLE);
    cardIds = PROPOSALS.map((title) => board.addProposal(columnId, { title, createdBy: me.id }));

    const internalClient = connectClient(server.url, internalDocName(boardId), token);
    await synced(internalClient.provider);
    const internal = new InternalDoc(internalClient.doc);
    internal.notes.insert(0, `Marge de négociation : ne pas dépasser 48 000 € (réf. ${BOARD_NOTE_MARKER})`);
    internal.updateProposal(cardIds[0], { budgetEstimate: BUDGET });
    internal.proposalNotesText(cardIds[1]).insert(0, `Financement région incertain (${PROPOSAL_NOTE_MARKER})`);

    // Read back by fresh clients: the server stored both documents before anyone opens them.
    const check = connectClient(server.url, boardId, token);
    const internalCheck = connectClient(server.url, internalDocName(boardId), token);
    await eventually(() => new BoardDoc(check.doc).listCards(columnId).length === PROPOSALS.length, SYNC_TIMEOUT, 'cards stored');
    await eventually(
      () => new InternalDoc(internalCheck.doc).proposalFields(cardIds[0]).budgetEstimate === BUDGET && new InternalDoc(internalCheck.doc).notes.toString().includes(BOARD_NOTE_MARKER),
      SYNC_TIMEOUT,
      'internal content stored',
    );
    for (const client of [shared, internalClient, check, internalCheck]) client.provider.destroy();

    const invite = await api<{ url: string }>(server.url, `/api/boards/${boardId}/guest-invites`, {
      method: 'POST',
      token,
      body: { role: 'commenter', label: INVITE_LABEL, expiresInHours: 24 },
    });
    expect(invite.status).toBe(201);
    // The link names the process that made it; the partner's browser reaches the other one.
    inviteUrl = invite.body.url.replace(server.url, guestServer.url);

    browser = await launchChromium();
    const facilitatorContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
    const guestContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
    facilitator = await facilitatorContext.newPage();
    guest = await guestContext.newPage();
    // Recording starts before either page loads anything.
    facilitatorWire = recordWire(facilitator);
    guestWire = recordWire(guest);
  });

  afterAll(async () => {
    await browser?.close();
    if (guestServer !== server) await guestServer?.stop();
    await server?.stop();
    await redis?.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('the facilitator opens the board and receives its internal notes and budget', async () => {
    await signIn(facilitator, server.url, ADMIN);
    await facilitator.goto(boardUrl);
    await waitSynced(facilitator);
    await expect.poll(() => facilitator.getByTestId('card-title').allTextContents()).toEqual([...PROPOSALS]);
    // The positive control for the guest's wire check: a member's browser does get all three.
    await expect.poll(() => facilitatorWire.framesContain(BOARD_NOTE_MARKER), { timeout: SYNC_TIMEOUT }).toBe(true);
    expect(facilitatorWire.framesContain(PROPOSAL_NOTE_MARKER)).toBe(true);
    expect(facilitatorWire.framesContain(encodedAny(BUDGET))).toBe(true);
    expect(facilitatorWire.socketPaths()).toContain(`/sync/${internalDocName(boardId)}`);
  });

  it('the partner joins from the invite link with a name and organisation, and lands on the board', async () => {
    await guest.goto(inviteUrl);
    await guest.getByTestId('guest-preview-board').waitFor();
    await guest.getByTestId('guest-name').fill(GUEST.name);
    await guest.getByTestId('guest-organisation').fill(GUEST.organisation);
    await screenshot(guest, '01-guest-join-en');
    await guest.getByTestId('guest-join-submit').click();
    await guest.waitForURL(`${guestServer.url}/boards/${boardId}`);
    await guest.getByTestId('guest-banner').waitFor();
    await waitSynced(guest);
    await expect.poll(() => guest.getByTestId('card-title').allTextContents()).toEqual([...PROPOSALS]);
    expect(await guest.getByTestId('board-internal-toggle').count()).toBe(0);
  });

  it('the facilitator starts a meeting, and the guest follows the open card and the view', async () => {
    await facilitator.getByTestId('meeting-start').click();
    await facilitator.getByTestId('meeting-presenting').waitFor();
    await facilitator.getByTestId('meeting-tools').waitFor();

    // Following is on as the meeting starts: the guest sees whom they follow.
    const following = guest.getByTestId('meeting-following');
    await following.waitFor({ timeout: SYNC_TIMEOUT });
    expect(await following.textContent()).toBe(`You follow ${adminName}’s screen`);
    expect(await guest.getByTestId('meeting-status').textContent()).toContain(`Facilitated by ${adminName}`);

    await cardOf(facilitator, cardIds[0]).click();
    await expect.poll(() => facilitator.getByTestId('proposal-detail').getAttribute('data-card-id')).toBe(cardIds[0]);
    await expect.poll(() => guest.getByTestId('proposal-detail').getAttribute('data-card-id'), { timeout: SYNC_TIMEOUT }).toBe(cardIds[0]);

    await facilitator.getByTestId('view-tab-pipeline').click();
    await facilitator.getByTestId('pipeline').waitFor();
    await expect.poll(() => viewOf(guest), { timeout: SYNC_TIMEOUT }).toBe('pipeline');
    await guest.getByTestId('pipeline').waitFor();
    expect(await guest.getByTestId('proposal-detail').getAttribute('data-card-id')).toBe(cardIds[0]);
    await screenshot(guest, '02-guest-follows-en');
    await screenshot(facilitator, '03-facilitator-presents-fr');
  });

  it('once the guest stops following, the presenter’s moves no longer move the guest’s view, until they follow again', async () => {
    await guest.getByTestId('meeting-stop-following').click();
    await guest.getByTestId('meeting-follow').waitFor();
    const stoppedAt = guestWire.mark();

    await facilitator.getByTestId('card-close').click();
    await facilitator.getByTestId('view-tab-roadmap').click();
    await facilitator.getByTestId('roadmap').waitFor();
    // The presenter's new view did reach the guest's page...
    await expect.poll(() => guestWire.socketIoFramesSince(stoppedAt).some((frame) => frame.includes('"view":"roadmap"')), { timeout: SYNC_TIMEOUT }).toBe(true);
    await settle(guest);
    // ...and the guest stayed where they were.
    expect(viewOf(guest)).toBe('pipeline');
    expect(await guest.getByTestId('proposal-detail').getAttribute('data-card-id')).toBe(cardIds[0]);
    await screenshot(guest, '04-guest-stopped-following-en');

    // Following again catches up with the presenter at once.
    await guest.getByTestId('meeting-follow').click();
    await guest.getByTestId('meeting-following').waitFor();
    await expect.poll(() => viewOf(guest), { timeout: SYNC_TIMEOUT }).toBe('roadmap');
    await expect.poll(() => guest.getByTestId('proposal-detail').count()).toBe(0);

    await facilitator.getByTestId('view-tab-board').click();
    await facilitator.getByTestId('columns').waitFor();
    await expect.poll(() => viewOf(guest), { timeout: SYNC_TIMEOUT }).toBe('board');
    await guest.getByTestId('columns').waitFor();
  });

  it('the guest votes; before the reveal the facilitator sees only the count, on screen and on the wire', async () => {
    await facilitator.getByTestId('vote-limit').fill('2');
    const voteOpenedAt = facilitatorWire.mark();
    await facilitator.getByTestId('vote-start').click();
    await facilitator.getByTestId('vote-reveal').waitFor();

    await guest.getByTestId('meeting-tools-toggle').click();
    const guestVotingFrom = guestWire.mark();
    const remaining = guest.getByTestId('votes-remaining');
    await expect.poll(() => remaining.textContent(), { timeout: SYNC_TIMEOUT }).toBe('Dots left: 2');
    const guestDots = dotsOf(guest, cardIds[1]);
    for (const count of [1, 2]) {
      await guestDots.getByTestId('vote-add').click();
      await expect.poll(() => guestDots.getByTestId('my-dots').getAttribute('data-count')).toBe(String(count));
    }
    await expect.poll(() => remaining.textContent()).toBe('Dots left: 0');
    await screenshot(guest, '05-guest-voted-en');

    // The facilitator sees that two dots were given by one person, and nothing of where.
    await expect.poll(() => facilitator.getByTestId('vote-progress').textContent(), { timeout: SYNC_TIMEOUT }).toBe('Gommettes posées : 2 · votants : 1');
    expect(await facilitator.getByTestId('vote-result').count()).toBe(0);
    expect(await facilitator.getByTestId('vote-results').count()).toBe(0);
    for (const cardId of cardIds) expect(await dotsOf(facilitator, cardId).getByTestId('my-dots').getAttribute('data-count')).toBe('0');
    expect(await facilitator.getByTestId('meeting-tools').textContent()).not.toContain(GUEST.name);
    // Nor a pointer: the guest's pointer resting on a card's "+" would say where the dots went.
    expect(await facilitator.getByTestId('live-cursor').count()).toBe(0);
    const presenceSent = guestWire.sentFramesSince(guestVotingFrom, `/sync/${boardId}`);
    expect(presenceSent.filter((frame) => frame.includes('"cursor":{'))).toEqual([]);
    await screenshot(facilitator, '06-facilitator-before-reveal-fr');
    // Nor did the facilitator's browser receive it: no meeting event since the vote opened names that card.
    const meetingEvents = facilitatorWire.socketIoFramesSince(voteOpenedAt);
    expect(meetingEvents.some((frame) => frame.includes('"votesCast":2'))).toBe(true);
    expect(meetingEvents.filter((frame) => frame.includes(cardIds[1]))).toEqual([]);
  });

  it('the facilitator reveals the votes, and both see the result on the card and in the tools', async () => {
    await facilitator.getByTestId('vote-reveal').click();
    for (const page of [facilitator, guest]) {
      const results = page.getByTestId('vote-results');
      await results.waitFor({ timeout: SYNC_TIMEOUT });
      const lines = await results.locator('li').allTextContents();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(PROPOSALS[1]);
      expect(lines[0]).toContain(`${GUEST.name} (2)`);
      await expect.poll(() => dotsOf(page, cardIds[1]).getByTestId('vote-result').textContent(), { timeout: SYNC_TIMEOUT }).toBe('2');
      expect(await page.getByTestId('vote-result').count()).toBe(1);
    }
    await screenshot(guest, '07-guest-results-en');
    await screenshot(facilitator, '08-facilitator-results-fr');
  });

  it('the facilitator captures an action item with an owner and a due date, and the guest sees it appear live', async () => {
    const newColumn = guest.getByTestId('column').filter({ has: guest.getByTestId('column-title').getByText('Décisions', { exact: true }) });
    expect(await newColumn.count()).toBe(0);
    // A mark on the guest's window: a reload would wipe it.
    await guest.evaluate(() => Object.assign(window, { passerelleNotReloaded: true }));

    await facilitator.getByTestId('capture-kind-action').check();
    await facilitator.getByTestId('capture-title').fill(ACTION.title);
    await facilitator.getByTestId('capture-owner-name').fill(ACTION.owner);
    await facilitator.getByTestId('capture-due').fill(ACTION.due);
    await facilitator.getByTestId('capture-submit').click();
    await facilitator.getByTestId('capture-toast').waitFor();

    // On the board: a card in the "Decisions" column, named after the facilitator's language.
    await newColumn.waitFor({ timeout: SYNC_TIMEOUT });
    await expect.poll(() => newColumn.getByTestId('card-title').allTextContents()).toEqual([`Action : ${ACTION.title}`]);
    await screenshot(guest, '09-guest-decision-card-en');

    // In the actions list, where the guest follows the presenter.
    const actionsOpenedAt = guestWire.responseCount();
    await facilitator.getByTestId('view-tab-actions').click();
    await expect.poll(() => viewOf(guest), { timeout: SYNC_TIMEOUT }).toBe('actions');
    const row = guest.getByTestId('action-row');
    await expect.poll(() => row.getByTestId('action-row-title').allTextContents(), { timeout: SYNC_TIMEOUT }).toEqual([ACTION.title]);
    expect(await row.textContent()).toContain(ACTION.owner);
    expect(await row.getByTestId('action-row-due').textContent()).toContain('30 Apr 2027');
    // A guest reads the list but may not tick or edit it.
    expect(await row.getByTestId('action-done').isDisabled()).toBe(true);
    expect(await row.getByTestId('action-edit').count()).toBe(0);
    // Without an error on the way: the guest's page asks for nothing it is refused. A request of the
    // page's own after the view opened has its answer once earlier ones (sent first) have theirs.
    await guest.evaluate(async () => void (await fetch('/healthz')));
    await settle(guest);
    expect(guestWire.refusedApiSince(actionsOpenedAt)).toEqual([]);
    expect(await guest.getByTestId('error-toast').count()).toBe(0);
    // Nothing was reloaded to get there.
    expect(await guest.evaluate(() => (window as unknown as { passerelleNotReloaded?: boolean }).passerelleNotReloaded)).toBe(true);
    await screenshot(guest, '10-guest-actions-en');
    await screenshot(facilitator, '11-facilitator-actions-fr');
  });

  it('the guest’s browser never received internal content, nor opened the internal or workspace documents', async () => {
    const paths = guestWire.socketPaths();
    expect(paths).toContain(`/sync/${boardId}`);
    expect(paths.filter((path) => path.startsWith('/sync/') && path !== `/sync/${boardId}`)).toEqual([]);
    expect(paths).not.toContain(`/sync/${internalDocName(boardId)}`);
    expect(paths).not.toContain('/sync/workspace');

    // The recording is real: the board's shared content did cross the guest's wire.
    expect(guestWire.framesContain(COLUMN_TITLE)).toBe(true);
    expect(guestWire.framesContain(ACTION.title)).toBe(true);

    for (const secret of [BOARD_NOTE_MARKER, PROPOSAL_NOTE_MARKER, encodedAny(BUDGET)]) {
      expect(guestWire.framesContain(secret), String(secret)).toBe(false);
    }
    const bodies = await guestWire.bodies();
    expect(bodies.unread.filter((url) => new URL(url).pathname.startsWith('/api/'))).toEqual([]);
    expect(bodies.read.some(({ url }) => new URL(url).pathname === `/api/boards/${boardId}`)).toBe(true);
    for (const { url, body } of bodies.read) {
      for (const secret of [Buffer.from(BOARD_NOTE_MARKER), Buffer.from(PROPOSAL_NOTE_MARKER), encodedAny(BUDGET)]) {
        expect(body.includes(secret), url).toBe(false);
      }
      expect(body.toString('utf8'), url).not.toContain(String(BUDGET));
    }
  });
});

/** What one page received: every WebSocket frame and every HTTP response, in order of arrival. */
interface Wire {
  /** A position in the frame log, to look only at what arrived after it. */
  mark(): number;
  /** Whether any received WebSocket frame holds `needle` (text as UTF-8, or raw bytes). */
  framesContain(needle: string | Buffer): boolean;
  /** The text of the socket.io frames received since `mark`. */
  socketIoFramesSince(mark: number): string[];
  /** The frames this page sent since `mark` on the WebSocket at `path`. */
  sentFramesSince(mark: number, path: string): Buffer[];
  /** How many HTTP responses have arrived: a mark for `refusedApiSince`. */
  responseCount(): number;
  /** `/api` requests answered with an error since `mark`, as `status path`. */
  refusedApiSince(mark: number): string[];
  /** The path of every WebSocket the page opened. */
  socketPaths(): string[];
  /** Every HTTP response body read (redirects have none); URLs whose body could not be read. */
  bodies(): Promise<{ read: { url: string; body: Buffer }[]; unread: string[] }>;
}

function recordWire(page: Page): Wire {
  const frames: { url: string; bytes: Buffer }[] = [];
  /** What the page sent, numbered on the same scale as `frames` so that one mark serves both. */
  const sent: { url: string; bytes: Buffer; at: number }[] = [];
  const socketUrls: string[] = [];
  const pendingBodies: Promise<{ url: string; body: Buffer | null }>[] = [];
  const statuses: { path: string; status: number }[] = [];
  page.on('websocket', (socket) => {
    socketUrls.push(socket.url());
    socket.on('framereceived', ({ payload }) => {
      frames.push({ url: socket.url(), bytes: toBytes(payload) });
    });
    socket.on('framesent', ({ payload }) => {
      sent.push({ url: socket.url(), bytes: toBytes(payload), at: frames.length });
    });
  });
  page.on('response', (response) => {
    const url = response.url();
    statuses.push({ path: new URL(url).pathname, status: response.status() });
    if (response.status() >= 300 && response.status() < 400) return;
    // An answer without content (a board with no first screen stored yet) has no body to read.
    if (response.status() === 204) {
      pendingBodies.push(Promise.resolve({ url, body: Buffer.alloc(0) }));
      return;
    }
    pendingBodies.push(
      response.body().then(
        (body) => ({ url, body }),
        () => ({ url, body: null }),
      ),
    );
  });
  return {
    mark: () => frames.length,
    framesContain: (needle) => {
      const bytes = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : needle;
      return frames.some((frame) => frame.bytes.includes(bytes));
    },
    socketIoFramesSince: (mark) => frames.slice(mark).filter((frame) => new URL(frame.url).pathname.startsWith('/socket.io')).map((frame) => frame.bytes.toString('utf8')),
    sentFramesSince: (mark, path) => sent.filter((frame) => frame.at >= mark && new URL(frame.url).pathname === path).map((frame) => frame.bytes),
    responseCount: () => statuses.length,
    refusedApiSince: (mark) => statuses.slice(mark).filter(({ path, status }) => path.startsWith('/api/') && status >= 400).map(({ path, status }) => `${status} ${path}`),
    socketPaths: () => socketUrls.map((url) => new URL(url).pathname),
    bodies: async () => {
      const settled = await Promise.all(pendingBodies);
      return {
        read: settled.filter((entry): entry is { url: string; body: Buffer } => entry.body !== null),
        unread: settled.filter((entry) => entry.body === null).map((entry) => entry.url),
      };
    },
  };
}

function toBytes(payload: string | Buffer): Buffer {
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
}

/** A value as Yjs writes it into an update (`lib0/encoding.writeAny`): how a budget crosses the wire. */
function encodedAny(value: number): Buffer {
  const encoder = encoding.createEncoder();
  encoding.writeAny(encoder, value);
  return Buffer.from(encoding.toUint8Array(encoder));
}

/** Lets the page handle what it has received: a task and two animation frames. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((resolve) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => resolve())), 0)),
  );
}

function viewOf(page: Page): string {
  return new URL(page.url()).searchParams.get('view') ?? 'board';
}

function cardOf(page: Page, cardId: string) {
  return page.locator(`[data-testid="card"][data-card-id="${cardId}"]`);
}

function dotsOf(page: Page, cardId: string) {
  return page.locator(`[data-testid="card-dots"][data-card-id="${cardId}"]`);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `meeting-${screenshotPrefix}${name}.png`) });
}
