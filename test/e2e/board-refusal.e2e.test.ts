/**
 * A board change the server refuses, in Debian's Chromium against the built server, three people in
 * separate browser contexts: the owner (English) keeps editing, Bruno (French) and Chloé (English)
 * are made viewers while their pages, which do not read their role again, still offer editing. What
 * each then writes reaches the server as a viewer's change: it is refused, they are told in their
 * language which document it was, their page shows the document as the server has it, the change is
 * gone from the copy their browser keeps (read from the page's IndexedDB) and does not come back with
 * a reload, and the owner never sees it. The same when what is refused was written offline on the
 * board and is sent by another page holding the board (the table of its records). The steps run in
 * order and share one board.
 */
import { join } from 'node:path';
import { BoardDoc, internalDocName, ProposalDoc, proposalDocName } from '@passerelle/shared';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, browserRunPerFile, signIn, waitSynced } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';
import { eventually, stockClient, synced, syncUrlOf } from '../helpers/stock-client.js';
import { apiWithCookie, createUser, login } from '../helpers/test-server.js';
import { addCard, card, cardTitles, column } from '../helpers/board-page.js';

const BRUNO = { email: 'bruno.lefevre@example.org', password: 'tulipe-de-delft-2025', name: 'Bruno Lefèvre' } as const;
const CHLOE = { email: 'chloe.martin@example.org', password: 'moulin-de-kinderdijk-2025', name: 'Chloé Martin' } as const;

/** How long a change may take to cross from one browser to another. */
const SYNC_TIMEOUT = 10_000;

describe('a change the server refuses to a viewer is told and not kept', () => {
  const e2e = browserRunPerFile({ DEMO_WORKSPACE: 'false' });
  let owner: Page;
  let bruno: Page;
  let chloe: Page;
  let boardId: string;
  let brunoId: string;
  let chloeId: string;
  let setRole: (userId: string, role: 'editor' | 'viewer') => Promise<void>;
  let asAdmin: ReturnType<typeof apiWithCookie>;

  beforeAll(async () => {
    const adminCookie = await login(e2e.server.url);
    asAdmin = apiWithCookie(e2e.server.url, adminCookie);
    brunoId = await createUser(e2e.server.url, adminCookie, BRUNO);
    chloeId = await createUser(e2e.server.url, adminCookie, CHLOE);
    const created = await asAdmin<{ id: string }>('/api/boards', { method: 'POST', body: { title: 'Mobilités 2026-2027' } });
    if (created.status !== 201) throw new Error(`board creation failed: ${created.status}`);
    boardId = created.body.id;
    // Roles on this board are the explicit ones only: the workspace's members get none of their own.
    expect((await asAdmin(`/api/boards/${boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'none' } })).status).toBe(204);
    setRole = async (userId, role) => {
      expect((await asAdmin(`/api/boards/${boardId}/members/${userId}`, { method: 'PUT', body: { role } })).status).toBe(204);
    };
    await setRole(brunoId, 'editor');
    await setRole(chloeId, 'editor');

    owner = await e2e.newPage({ width: 1280, height: 800, locale: 'en-GB' });
    bruno = await e2e.newPage({ width: 1280, height: 800, locale: 'fr-FR' });
    chloe = await e2e.newPage({ width: 1280, height: 800, locale: 'en-GB' });
    await signIn(owner, e2e.server.url, ADMIN);
    await signIn(bruno, e2e.server.url, BRUNO);
    await signIn(chloe, e2e.server.url, CHLOE);
    await owner.goto(`${e2e.server.url}/boards/${boardId}`);
    await waitSynced(owner);
    await owner.getByTestId('add-column-input').fill('To review');
    await owner.getByTestId('add-column-input').press('Enter');
    await addCard(owner, 'To review', 'Porto agreement');
    for (const page of [bruno, chloe]) {
      await page.goto(`${e2e.server.url}/boards/${boardId}`);
      await waitSynced(page);
      await card(page, 'Porto agreement').waitFor({ timeout: SYNC_TIMEOUT });
      // Their pages were opened as editors' and are never told otherwise.
      expect(await page.getByTestId('read-only-badge').count()).toBe(0);
    }
  });

  it('a viewer’s new card is refused: told in French, gone from the board and from the browser’s copy, never seen by the owner', async () => {
    await setRole(brunoId, 'viewer');
    // The server closes his connection to admit it again as a viewer's.
    await bruno.waitForTimeout(1000);
    await waitSynced(bruno);
    await addCard(bruno, 'To review', 'Semestre à Coimbra');

    const notice = bruno.getByTestId('board-refused-toast');
    await notice.waitFor({ timeout: SYNC_TIMEOUT });
    expect(await notice.textContent()).toContain('Vous pouvez seulement consulter ce tableau');
    expect(await notice.textContent()).toContain('n’a pas été gardée');
    await screenshot(bruno, 'board-fr');
    // His page shows the board as the server has it, and his browser's copy holds nothing of the card.
    await expect.poll(() => cardTitles(bruno), { timeout: SYNC_TIMEOUT }).toEqual(['Porto agreement']);
    await waitSynced(bruno);
    expect(await cardTitles(bruno)).toEqual(['Porto agreement']);
    await expect.poll(() => copyHolds(bruno, `passerelle:${brunoId}:${boardId}`, 'Semestre à Coimbra'), { timeout: SYNC_TIMEOUT }).toBe(false);

    // A reload opens the copy first: the refused card does not come back, nor is it sent again.
    await bruno.reload();
    await waitSynced(bruno);
    await card(bruno, 'Porto agreement').waitFor({ timeout: SYNC_TIMEOUT });
    expect(await cardTitles(bruno)).toEqual(['Porto agreement']);
    expect(await copyHolds(bruno, `passerelle:${brunoId}:${boardId}`, 'Semestre à Coimbra')).toBe(false);
    expect(await bruno.getByTestId('read-only-badge').count()).toBe(1);
    expect(await bruno.getByTestId('board-refused-toast').count()).toBe(0);
    // The owner never had it.
    expect(await cardTitles(owner)).toEqual(['Porto agreement']);
  });

  it('a viewer’s internal notes are refused: told in English naming the internal notes, only that document read again', async () => {
    await owner.getByTestId('board-internal-toggle').click();
    await owner.getByTestId('board-internal-notes').fill('Budget to confirm with Porto.');
    await chloe.getByTestId('board-internal-toggle').click();
    const notes = chloe.getByTestId('board-internal-notes');
    await expect.poll(() => notes.inputValue(), { timeout: SYNC_TIMEOUT }).toBe('Budget to confirm with Porto.');

    await setRole(chloeId, 'viewer');
    await chloe.waitForTimeout(1000);
    await waitSynced(chloe);
    await notes.fill('Budget to confirm with Porto. Chloé’s figures: 12 000 €.');

    const notice = chloe.getByTestId('board-refused-toast');
    await notice.waitFor({ timeout: SYNC_TIMEOUT });
    expect(await notice.textContent()).toContain('You may only read this board’s internal notes');
    expect(await notice.textContent()).toContain('your change was not kept');
    await screenshot(chloe, 'internal-en');
    // The notes show as the server has them, in the panel left open; her browser's copy holds nothing of her figures.
    await expect.poll(() => chloe.getByTestId('board-internal-notes').inputValue(), { timeout: SYNC_TIMEOUT }).toBe('Budget to confirm with Porto.');
    await expect.poll(() => copyHolds(chloe, `passerelle:${chloeId}:${internalDocName(boardId)}`, 'Chloé’s figures'), { timeout: SYNC_TIMEOUT }).toBe(false);
    // Only the internal document was read again: the board's copy is the one she had, its card still there.
    expect(await copyHolds(chloe, `passerelle:${chloeId}:${boardId}`, 'Porto agreement')).toBe(true);
    expect(await cardTitles(chloe)).toEqual(['Porto agreement']);

    await chloe.reload();
    await waitSynced(chloe);
    await chloe.getByTestId('board-internal-toggle').click();
    await expect.poll(() => chloe.getByTestId('board-internal-notes').inputValue(), { timeout: SYNC_TIMEOUT }).toBe('Budget to confirm with Porto.');
    expect(await copyHolds(chloe, `passerelle:${chloeId}:${internalDocName(boardId)}`, 'Chloé’s figures')).toBe(false);
    expect(await owner.getByTestId('board-internal-notes').inputValue()).toBe('Budget to confirm with Porto.');
  });

  it('a viewer’s words in a proposal’s text are refused: told in French naming the proposal’s text, gone from the page and the browser’s copy', async () => {
    // The card becomes a proposal, whose text the server makes from its programme's template.
    const { token } = (await asAdmin<{ token: string }>('/api/tokens', { method: 'POST', body: { name: 'e2e' } })).body;
    const client = stockClient(syncUrlOf(e2e.server.url), boardId, { params: { token } });
    let cardId = '';
    try {
      await synced(client.provider);
      const board = new BoardDoc(client.doc);
      // The board's one card: the viewers' cards were never kept.
      cardId = [...board.cards.keys()][0]!;
      client.doc.transact(() => {
        board.convertToProposal(cardId);
        board.updateProposal(cardId, { actionType: 'strategic_partnership' });
      });
      const shared = stockClient(syncUrlOf(e2e.server.url), proposalDocName(boardId, cardId), { params: { token } });
      try {
        await synced(shared.provider);
        await eventually(() => new ProposalDoc(shared.doc).list().length > 0, SYNC_TIMEOUT, 'the shared sections');
      } finally {
        shared.provider.destroy();
      }
    } finally {
      client.provider.destroy();
    }

    await setRole(brunoId, 'editor');
    await bruno.goto(`${e2e.server.url}/boards/${boardId}/proposals/${cardId}`);
    await bruno.locator('[data-testid="proposal-page"][data-state="ready"]').waitFor({ timeout: 15_000 });
    const editor = bruno.locator('[data-testid="proposal-section"][data-side="shared"] [data-testid="section-text"][data-language="fr"] [data-testid="section-editor"]').first();
    await editor.waitFor({ timeout: 15_000 });
    expect(await editor.getAttribute('contenteditable')).toBe('true');

    await setRole(brunoId, 'viewer');
    await bruno.waitForTimeout(1000);
    await editor.click();
    await editor.pressSequentially('Mobilités COIMBRA-7Q4Z', { delay: 15 });

    const notice = bruno.getByTestId('board-refused-toast');
    await notice.waitFor({ timeout: SYNC_TIMEOUT });
    expect(await notice.textContent()).toContain('Vous pouvez seulement consulter le texte de cette proposition');
    await screenshot(bruno, 'proposal-fr');
    const copy = `passerelle:${brunoId}:${proposalDocName(boardId, cardId)}`;
    await bruno.locator('[data-testid="proposal-page"][data-state="ready"]').waitFor({ timeout: SYNC_TIMEOUT });
    await expect.poll(() => bruno.getByTestId('proposal-page').textContent(), { timeout: SYNC_TIMEOUT }).not.toContain('COIMBRA-7Q4Z');
    await expect.poll(() => copyHolds(bruno, copy, 'COIMBRA-7Q4Z'), { timeout: SYNC_TIMEOUT }).toBe(false);

    await bruno.reload();
    await bruno.locator('[data-testid="proposal-page"][data-state="ready"]').waitFor({ timeout: 15_000 });
    await bruno.locator('[data-testid="section-editor"]').first().waitFor();
    expect(await bruno.getByTestId('proposal-page').textContent()).not.toContain('COIMBRA-7Q4Z');
    expect(await copyHolds(bruno, copy, 'COIMBRA-7Q4Z')).toBe(false);
  });

  it('a card written offline, sent by the table page once she is a viewer, is refused there: told in English, gone from the copy, never on the board', async () => {
    await setRole(chloeId, 'editor');
    await chloe.goto(`${e2e.server.url}/boards/${boardId}`);
    await waitSynced(chloe);
    expect(await chloe.getByTestId('read-only-badge').count()).toBe(0);
    // Offline, a card her browser keeps; then she leaves the board's page.
    await chloe.context().setOffline(true);
    await chloe.locator('[data-testid="connection-status"][data-status="offline"]').waitFor({ timeout: SYNC_TIMEOUT });
    await addCard(chloe, 'To review', 'Visit to Valencia');
    const copy = `passerelle:${chloeId}:${boardId}`;
    await expect.poll(() => copyHolds(chloe, copy, 'Visit to Valencia'), { timeout: SYNC_TIMEOUT }).toBe(true);
    await chloe.goto('about:blank');

    // Made a viewer meanwhile, back online, she opens the board's records in the table: its reader sends what her copy holds.
    await setRole(chloeId, 'viewer');
    await chloe.context().setOffline(false);
    await chloe.goto(`${e2e.server.url}/table?type=roadmap&board=${boardId}`);
    const notice = chloe.getByTestId('board-refused-toast');
    await notice.waitFor({ timeout: SYNC_TIMEOUT });
    expect(await notice.textContent()).toContain('You may only read this board');
    expect(await notice.textContent()).toContain('your change was not kept');
    await screenshot(chloe, 'table-en');
    await expect.poll(() => copyHolds(chloe, copy, 'Visit to Valencia'), { timeout: SYNC_TIMEOUT }).toBe(false);
    // The table reads the board again from the server and stays usable.
    await chloe.getByTestId('record-table').waitFor();

    // On the board: not there, for her or for the owner, and not sent again.
    await chloe.goto(`${e2e.server.url}/boards/${boardId}`);
    await waitSynced(chloe);
    await card(chloe, 'Porto agreement').waitFor({ timeout: SYNC_TIMEOUT });
    expect(await cardTitles(chloe)).toEqual(['Porto agreement']);
    expect(await chloe.getByTestId('board-refused-toast').count()).toBe(0);
    expect(await cardTitles(owner)).toEqual(['Porto agreement']);
  });
});

/**
 * Whether the browser's copy `database` (y-indexeddb's store of updates) holds `text`: a Yjs update
 * carries each string it inserts as UTF-8, so a change is in the copy exactly when its words are.
 */
function copyHolds(page: Page, database: string, text: string): Promise<boolean> {
  return page.evaluate(
    async ({ database, text }) => {
      if (!(await indexedDB.databases()).some((each) => each.name === database)) return false;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(database);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        if (!db.objectStoreNames.contains('updates')) return false;
        const updates = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction('updates', 'readonly').objectStore('updates').getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const needle = new TextEncoder().encode(text);
        return updates.some((update) => {
          const bytes = update instanceof Uint8Array ? update : new Uint8Array(update as ArrayBuffer);
          outer: for (let start = 0; start + needle.length <= bytes.length; start++) {
            for (let at = 0; at < needle.length; at++) if (bytes[start + at] !== needle[at]) continue outer;
            return true;
          }
          return false;
        });
      } finally {
        db.close();
      }
    },
    { database, text },
  );
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `board-refusal-${name}.png`) });
}
