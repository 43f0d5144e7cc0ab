/**
 * Suggesting mode in Debian's Chromium: a section's editor as the proposal page makes it (base and
 * suggestion extensions, its suggestions bar; bundled from `harness/`) connected to a real server.
 * A commenter's typing, Backspace, Enter and typing over a selection become marked suggestions that
 * the server keeps and an editor's replica receives, with the agreed text unchanged; an editor
 * reviews them in the bar and accepts one, then rejects the rest. Paragraph breaks a commenter
 * suggests (Enter, a paste of paragraphs) show in an editor's browser, who decides on each, and the
 * two browsers converge.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ProposalDoc, pendingSuggestions, plainText, proposalDocName } from '@passerelle/shared';
import { SCREENSHOT_DIR, launchChromium } from '../helpers/browser.js';
import { serverPerTest } from '../helpers/per-test.js';
import { TEST_ACTOR, proposalPerTest, writeSection } from '../helpers/proposals.js';
import { stockClient, syncUrlOf } from '../helpers/stock-client.js';
import { api, createMember, eventually, login, synced } from '../helpers/test-server.js';

const TEXT = 'La chimie verte réunit trois écoles.';
const HARNESS = fileURLToPath(new URL('./harness/', import.meta.url));
const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Every character of a text, suggested or not, its paragraphs one after the other. */
function characters(fragment: Y.XmlFragment): string {
  return fragment
    .toArray()
    .map((paragraph) => {
      const text = (paragraph as Y.XmlElement).get(0) as Y.XmlText | undefined;
      return text ? (text.toDelta() as { insert?: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('') : '';
    })
    .join('');
}

describe('suggesting in the section editor', () => {
  const ctx = serverPerTest();
  const given = proposalPerTest(ctx, 'Green chemistry cooperation partnership');
  let outDir: string;
  let harness: Server;
  let harnessUrl: string;
  let browser: Browser;
  let sectionId: string;
  let commenter: { id: string; token: string };

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'passerelle-suggestions-'));
    await build({
      configFile: false,
      root: HARNESS,
      base: './',
      logLevel: 'warn',
      plugins: [svelte({ configFile: false, compilerOptions: { runes: true } })],
      resolve: { alias: { '#lib': fileURLToPath(new URL('../../web/src/lib', import.meta.url)) } },
      build: { outDir, emptyOutDir: true, minify: false, rollupOptions: { input: join(HARNESS, 'suggestions.html') } },
    });
    harness = createServer((request, response) => {
      const path = normalize(join(outDir, decodeURIComponent((request.url ?? '/').split('?')[0]!)));
      try {
        const body = readFileSync(path);
        response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' });
        response.end(body);
      } catch {
        response.writeHead(404);
        response.end();
      }
    });
    await new Promise<void>((resolve) => harness.listen(0, '127.0.0.1', resolve));
    harnessUrl = `http://127.0.0.1:${(harness.address() as AddressInfo).port}/suggestions.html`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => harness?.close(resolve));
    rmSync(outDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    sectionId = (await writeSection(ctx.server, proposalDocName(given.boardId, given.cardId), 0, { fr: [{ type: 'paragraph', runs: [{ text: TEXT }] }] })).sectionId;
    await ctx.server.sync.editDocument(proposalDocName(given.boardId, given.cardId), (doc) => new ProposalDoc(doc).setOwner(sectionId, { kind: 'department', department: 'sri' }), TEST_ACTOR);
    const admin = await login(ctx.server.url);
    expect((await api(ctx.server.url, `/api/boards/${given.boardId}/sharing`, { method: 'PATCH', cookie: admin, headers: { origin: ctx.server.url }, body: { workspaceAccess: 'commenter' } })).status).toBe(204);
    commenter = await createMember(ctx.server.url, 'cole', ['research']);
  });

  /** The editor's page for one person, synced, with the caret in the text. */
  async function openEditor(as: { token: string; id: string; name: string }, rights: { suggestOnly?: boolean; decide?: boolean }): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, locale: 'en-GB' });
    ctx.track(() => void context.close());
    const page = await context.newPage();
    const query = new URLSearchParams({
      sync: syncUrlOf(ctx.server.url),
      doc: proposalDocName(given.boardId, given.cardId),
      token: as.token,
      section: sectionId,
      userId: as.id,
      name: as.name,
      suggestOnly: rights.suggestOnly ? '1' : '0',
      decide: rights.decide ? '1' : '0',
    });
    await page.goto(`${harnessUrl}?${query}`);
    await page.waitForFunction(() => 'harness' in window, undefined, { timeout: 10_000 });
    await page.locator('.ProseMirror').click();
    return page;
  }

  /** An editor's replica of the section's French text. */
  async function replica(): Promise<() => Y.XmlFragment> {
    const doc = new Y.Doc();
    const { provider } = stockClient(syncUrlOf(ctx.server.url), proposalDocName(given.boardId, given.cardId), { params: { token: given.token }, doc });
    ctx.track(() => provider.destroy());
    await synced(provider);
    const proposal = new ProposalDoc(doc);
    await eventually(() => (proposal.text(sectionId, 'fr')?.length ?? 0) > 0, 5000, 'the text at the replica');
    return () => proposal.text(sectionId, 'fr')!;
  }

  const caretAt = (page: Page, position: number | { from: number; to: number }) =>
    page.evaluate((at) => (window as unknown as { harness: { editor: { commands: { setTextSelection(at: unknown): boolean } } } }).harness.editor.commands.setTextSelection(at), position);
  const textOf = (page: Page) => page.evaluate(() => (window as unknown as { harness: { editor: { state: { doc: { textContent: string } } } } }).harness.editor.state.doc.textContent);

  it('makes a commenter’s typing, Backspace, Enter and typing over a selection marked suggestions, kept by the server', async () => {
    const fragment = await replica();
    const page = await openEditor({ ...commenter, name: 'Cole' }, { suggestOnly: true });
    await expect.poll(() => page.getByTestId('suggestions-mode').isChecked()).toBe(true);
    expect(await page.getByTestId('suggestions-mode').isDisabled()).toBe(true);

    await caretAt(page, 1 + 'La chimie verte '.length);
    await page.keyboard.type('et durable ');
    // Backspace on their own insertion really removes it.
    await page.keyboard.press('Backspace');
    await page.keyboard.type(' ');
    await caretAt(page, 1 + 'La chimie verte et durable réunit trois '.length);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    await caretAt(page, { from: 1, to: 3 });
    await page.keyboard.type('Une');

    expect(await textOf(page)).toBe('LaUne chimie verte et durable réunit trois écoles.');
    await expect.poll(() => page.getByTestId('suggestions-count').textContent()).toBe('Pending suggestions: 4');
    await eventually(() => pendingSuggestions(fragment()).length === 4, 5000, 'the suggestions at the replica');
    expect(pendingSuggestions(fragment()).map(({ kind, inserted, deleted, authorId }) => [kind, inserted, deleted, authorId])).toEqual([
      ['replacement', 'Une', 'La', commenter.id],
      ['insertion', 'et durable ', '', commenter.id],
      // Enter: a suggested paragraph break, before the words Backspace marked.
      ['insertion', '¶', '', commenter.id],
      ['deletion', '', 's ', commenter.id],
    ]);
    expect(await page.locator('.ProseMirror p.suggested-break--split').count()).toBe(1);
    // Nothing the commenter did is undone: the replica and the page agree, and the agreed text has not moved.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(characters(fragment())).toBe(await textOf(page));
    expect(fragment().length).toBe(2);
    expect(plainText(fragment())).toBe(TEXT);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'suggestions-commenter.png') });
  });

  it('lets an editor review the suggestions in the bar, accept one and reject the rest', async () => {
    const fragment = await replica();
    const cole = new Y.Doc();
    const { provider } = stockClient(syncUrlOf(ctx.server.url), proposalDocName(given.boardId, given.cardId), { params: { token: commenter.token }, doc: cole });
    ctx.track(() => provider.destroy());
    await synced(provider);
    await eventually(() => (new ProposalDoc(cole).text(sectionId, 'fr')?.length ?? 0) > 0, 5000, 'the text at the commenter');
    const text = (new ProposalDoc(cole).text(sectionId, 'fr')!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const mark = (id: string) => ({ id, authorId: commenter.id, authorName: 'Cole', at: '2026-12-02T08:00:00.000Z' });
    cole.transact(() => {
      text.insert('La chimie verte '.length, 'et durable ', { insertion: mark('s1') });
      text.format('La chimie verte et durable réunit '.length, 'trois '.length, { deletion: mark('s2') });
    });

    const page = await openEditor({ token: given.token, id: TEST_ACTOR.id, name: 'Admin' }, { decide: true });
    await expect.poll(() => page.getByTestId('suggestions-count').textContent()).toBe('Pending suggestions: 2');
    expect(await page.getByTestId('suggestions-mode').isChecked()).toBe(false);
    await page.getByTestId('suggestions-review').click();
    await expect.poll(() => page.getByTestId('suggestion').count()).toBe(2);
    expect(await page.getByTestId('suggestion').first().innerText()).toContain('Adds et durable');
    expect(await page.getByTestId('suggestion').first().innerText()).toContain('Cole');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'suggestions-review.png') });

    await page.locator('[data-suggestion-id="s1"]').getByTestId('suggestion-accept').click();
    await expect.poll(() => page.getByTestId('suggestions-count').textContent()).toBe('Pending suggestions: 1');
    await page.getByTestId('suggestions-reject-all').click();
    await expect.poll(() => page.getByTestId('suggestions-count').textContent()).toBe('Pending suggestions: 0');

    await eventually(() => pendingSuggestions(fragment()).length === 0, 5000, 'the decisions at the replica');
    expect(plainText(fragment())).toBe('La chimie verte et durable réunit trois écoles.');
  });

  /** The paragraphs of a page's editor as it shows them. */
  const paragraphsOf = (page: Page) =>
    page.evaluate(() => {
      const paragraphs: string[] = [];
      (window as unknown as { harness: { editor: { state: { doc: { forEach(visit: (node: { textContent: string }) => void): void } } } } }).harness.editor.state.doc.forEach((node) => paragraphs.push(node.textContent));
      return paragraphs;
    });

  /** Pastes paragraphs copied from elsewhere into a page's editor, at its caret. */
  const pasteParagraphs = (page: Page, paragraphs: string[]) =>
    page.evaluate((texts) => {
      const data = new DataTransfer();
      data.setData('text/html', texts.map((text) => `<p>${text}</p>`).join(''));
      data.setData('text/plain', texts.join('\n\n'));
      document.querySelector('.ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, paragraphs);

  it('shows a commenter’s suggested paragraph breaks in an editor’s browser, who accepts one and rejects the other, and both converge', async () => {
    const fragment = await replica();
    const cole = await openEditor({ ...commenter, name: 'Cole' }, { suggestOnly: true });
    const admin = await openEditor({ token: given.token, id: TEST_ACTOR.id, name: 'Admin' }, { decide: true });

    await caretAt(cole, 1 + 'La chimie verte '.length);
    await cole.keyboard.press('Enter');
    await cole.keyboard.type('Elle ');
    await caretAt(cole, 1 + TEXT.length + 2 + 'Elle '.length);
    await pasteParagraphs(cole, ['Lyon', 'Lille']);
    expect(await paragraphsOf(cole)).toEqual(['La chimie verte ', 'Elle réunit trois écoles.Lyon', 'Lille']);

    // The editor's browser shows both breaks as marked changes, listed with their words.
    await expect.poll(() => admin.locator('.ProseMirror p.suggested-break--split').count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => admin.getByTestId('suggestions-count').textContent()).toBe('Pending suggestions: 2');
    await admin.getByTestId('suggestions-review').click();
    await expect.poll(() => admin.getByTestId('suggestion').count()).toBe(2);
    // The break drawn as a ¶, named for a screen reader.
    expect(await admin.getByTestId('suggestion').first().innerText()).toContain('Adds ¶ (new paragraph) Elle');
    expect(await admin.getByTestId('suggestion').first().locator('ins [aria-hidden="true"]').textContent()).toBe('¶');
    await admin.screenshot({ path: join(SCREENSHOT_DIR, 'suggestions-paragraphs.png') });
    // Kept by the server: a commenter's suggested breaks are not undone.
    expect(pendingSuggestions(fragment()).map((suggestion) => suggestion.inserted)).toEqual(['¶Elle ', 'Lyon¶Lille']);
    expect(plainText(fragment())).toBe(TEXT);

    await admin.getByTestId('suggestion').first().getByTestId('suggestion-accept').click();
    await expect.poll(() => admin.getByTestId('suggestions-count').textContent()).toBe('Pending suggestions: 1');
    await admin.getByTestId('suggestions-reject-all').click();
    await expect.poll(() => admin.getByTestId('suggestions-count').textContent()).toBe('Pending suggestions: 0');

    const agreed = ['La chimie verte ', 'Elle réunit trois écoles.'];
    await expect.poll(() => paragraphsOf(admin)).toEqual(agreed);
    await expect.poll(() => paragraphsOf(cole), { timeout: 10_000 }).toEqual(agreed);
    await eventually(() => pendingSuggestions(fragment()).length === 0 && plainText(fragment()) === agreed.join('\n'), 5000, 'the decisions at the replica');
    expect(await cole.locator('.ProseMirror .suggested-break').count()).toBe(0);
  });
});
