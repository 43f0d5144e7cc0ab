/**
 * The proposal editor in Debian's Chromium against the built server: two people (separate browser
 * contexts, so nothing passes between them but the server) type in the same section at once and
 * converge, each seeing the other's caret; a source edit in one browser flags the translation out of
 * date in the other, which sees exactly what changed and marks it in line; a section over its limit
 * shows the count and the characters that do not fit; a partner guest writes the shared sections and
 * never receives an internal one (checked on every WebSocket frame); the page fits phones and
 * desktops in both languages.
 */
import { ProposalDoc, proposalDocName, proposalInternalDocName, writeRichText, BoardDoc } from '@passerelle/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SCREENSHOT_DIR, browserRunPerFile, signIn } from '../helpers/browser.js';
import { ADMIN } from '../helpers/server-process.js';
import { eventually, stockClient, synced, syncUrlOf } from '../helpers/stock-client.js';

/** Unique words written into an internal section: a guest's browser must never receive them. */
const INTERNAL_MARKER = 'BUDGET-CONFIDENTIEL-7Q4Z';

describe('the proposal editor', () => {
  const e2e = browserRunPerFile();
  let admin: Page;
  let boardId: string;
  let cardId: string;
  let token: string;
  /** Section ids of the proposal in order: shared ones, then the internal ones. */
  let sharedSections: string[] = [];
  let internalSections: string[] = [];
  const clients: { provider: { destroy(): void } }[] = [];

  /** A stock client of one of the board's documents, as the administrator's token. */
  async function openDocument(name: string) {
    const client = stockClient(syncUrlOf(e2e.server.url), name, { params: { token } });
    clients.push(client);
    await synced(client.provider);
    return client;
  }

  beforeAll(async () => {
    admin = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
    await signIn(admin, e2e.server.url, ADMIN);
    ({ boardId, token } = await admin.evaluate(async () => {
      const post = async (path: string, body: unknown) => {
        const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return response.json();
      };
      const board = (await post('/api/boards', { title: 'Partenariat GREENPATH' })) as { id: string };
      const created = (await post('/api/tokens', { name: 'e2e' })) as { token: string };
      return { boardId: board.id, token: created.token };
    }));
    const board = await openDocument(boardId);
    board.doc.transact(() => {
      const doc = new BoardDoc(board.doc);
      const column = doc.addColumn('Projets');
      cardId = doc.addCard(column, { title: 'Parcours européens en chimie verte', createdBy: 'admin' });
      doc.convertToProposal(cardId);
      doc.updateProposal(cardId, { actionType: 'strategic_partnership' });
    });
    await eventually(async () => {
      const response = await admin.request.get(`${e2e.server.url}/api/boards/${boardId}/proposals`);
      const list = (await response.json()) as { proposals: { cardId: string }[] };
      return list.proposals.some((proposal) => proposal.cardId === cardId);
    }, 10_000, 'the proposal card on the server');

    const shared = await openDocument(proposalDocName(boardId, cardId));
    await eventually(() => new ProposalDoc(shared.doc).list().length > 0, 10_000, 'the shared sections');
    sharedSections = new ProposalDoc(shared.doc).list().map((section) => section.id);
    const internal = await openDocument(proposalInternalDocName(boardId, cardId));
    await eventually(() => new ProposalDoc(internal.doc).list().length > 0, 10_000, 'the internal sections');
    const internalProposal = new ProposalDoc(internal.doc);
    internalSections = internalProposal.list().map((section) => section.id);
    internal.doc.transact(() => {
      writeRichText(internalProposal.text(internalSections[0]!, 'fr')!, [{ type: 'paragraph', runs: [{ text: `Cofinancement de l’école : ${INTERNAL_MARKER}` }] }]);
    });
  });

  afterAll(async () => {
    for (const client of clients) client.provider.destroy();
    await admin?.context().close();
  });

  const pageUrl = () => `${e2e.server.url}/boards/${boardId}/proposals/${cardId}`;

  async function openProposal(page: Page): Promise<void> {
    await page.goto(pageUrl());
    await page.locator('[data-testid="proposal-page"][data-state="ready"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="section-editor"]').first().waitFor();
    // The editors off screen are made in idle moments after the first screen: every text has its own.
    await page.waitForFunction(() => document.querySelector('.section-editor[aria-busy="true"]') === null, null, { timeout: 15_000 });
    const texts = await page.getByTestId('section-text').count();
    expect(texts).toBeGreaterThan(0);
    expect(await page.getByTestId('section-editor').count()).toBe(texts);
  }

  /** The editor of a section in one language. */
  const editorOf = (page: Page, sectionId: string, language: 'fr' | 'en') =>
    page.locator(`[data-testid="proposal-section"][data-section-id="${sectionId}"] [data-testid="section-text"][data-language="${language}"] [data-testid="section-editor"]`);

  /** A section text's words, without the co-authors' carets drawn inside it (paragraphs joined by line breaks). */
  const textOf = (editor: ReturnType<typeof editorOf>) =>
    editor.evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
      return [...copy.children].map((block) => block.textContent ?? '').join('\n');
    });

  /** Shows one language, or both side by side. */
  /** On a phone the bar's options are folded behind a button: opens them there (and does nothing on a wider screen). */
  const openBarOptions = async (page: Page) => {
    const more = page.getByTestId('proposal-bar-more');
    if ((await more.isVisible()) && (await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  };
  const showLanguages = async (page: Page, view: 'fr' | 'en' | 'both') => {
    const folded = await page.getByTestId('proposal-bar-more').isVisible();
    await openBarOptions(page);
    await page.locator('label', { has: page.getByTestId(`view-${view}`) }).click();
    if (folded) await page.keyboard.press('Escape');
  };

  it('opens from the card, lists every section of the template with shared and internal ones interleaved', async () => {
    await admin.goto(`${e2e.server.url}/boards/${boardId}?card=${cardId}`);
    await admin.getByTestId('proposal-open-text').click();
    await admin.waitForURL(pageUrl());
    await admin.locator('[data-testid="proposal-page"][data-state="ready"]').waitFor({ timeout: 15_000 });
    const sections = admin.getByTestId('proposal-section');
    await expect.poll(() => sections.count()).toBe(sharedSections.length + internalSections.length);
    const sides = await sections.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-side')));
    expect(sides.filter((side) => side === 'internal')).toHaveLength(internalSections.length);
    expect(await admin.getByTestId('proposal-title').textContent()).toContain('Parcours européens');
  });

  it('two people typing in the same section at once converge, and each sees the other’s caret with their name', async () => {
    const first = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
    const second = await e2e.newPage({ width: 1440, height: 900, locale: 'en-GB' });
    try {
      await signIn(first, e2e.server.url, ADMIN);
      await signIn(second, e2e.server.url, ADMIN);
      await Promise.all([openProposal(first), openProposal(second)]);
      const sectionId = sharedSections[1]!;
      const [a, b] = [editorOf(first, sectionId, 'fr'), editorOf(second, sectionId, 'fr')];
      await a.click();
      await b.click();
      // Both type at the same time, each a sentence of their own.
      await Promise.all([
        a.pressSequentially('Alpha écrit ici. ', { delay: 15 }),
        b.pressSequentially('Bravo writes there. ', { delay: 15 }),
      ]);
      await expect.poll(async () => [await textOf(a), await textOf(b)], { timeout: 10_000 }).toSatisfy(
        ([left, right]: string[]) => left === right && left.includes('Alpha écrit ici.') && left.includes('Bravo writes there.'),
      );
      // The other person's caret is drawn in the text, labelled with their name.
      await first.locator('.collaboration-carets__label').filter({ hasText: /admin/i }).first().waitFor({ timeout: 10_000 });
      // The live count follows what both typed.
      const count = Number(await first.locator(`[data-section-id="${sectionId}"] [data-language="fr"] [data-testid="section-count"]`).getAttribute('data-count'));
      expect(count).toBe([...(await textOf(a)).replace(/\n/g, '')].length);
      await first.screenshot({ path: `${SCREENSHOT_DIR}/proposal-two-typists-fr-1440.png` });
    } finally {
      await first.context().close();
      await second.context().close();
    }
  });

  it('a source edit in one browser flags the translation out of date in the other, with what changed, until it is marked in line', async () => {
    const writer = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
    const translator = await e2e.newPage({ width: 1440, height: 900, locale: 'en-GB' });
    try {
      await signIn(writer, e2e.server.url, ADMIN);
      await signIn(translator, e2e.server.url, ADMIN);
      await Promise.all([openProposal(writer), openProposal(translator)]);
      const sectionId = sharedSections[2]!;
      const flag = translator.locator(`[data-section-id="${sectionId}"] [data-testid="translation-out-of-date"][data-language="en"]`);
      expect(await flag.count()).toBe(0);

      await editorOf(writer, sectionId, 'fr').click();
      await editorOf(writer, sectionId, 'fr').pressSequentially('Les priorités de la Commission.', { delay: 5 });
      await flag.waitFor({ timeout: 5_000 });
      await translator.locator(`[data-section-id="${sectionId}"] [data-testid="translation-mark-in-line"]`).click();
      await translator.locator(`[data-section-id="${sectionId}"] [data-testid="translation-in-line"]`).waitFor();
      await writer.locator(`[data-section-id="${sectionId}"] [data-testid="translation-in-line"]`).waitFor();

      // The source changes again: the flag comes back, naming who changed it, and shows the new words.
      await editorOf(writer, sectionId, 'fr').press('End');
      await editorOf(writer, sectionId, 'fr').pressSequentially(' Et la transition verte.', { delay: 5 });
      await flag.waitFor({ timeout: 5_000 });
      expect((await flag.textContent())!.toLowerCase()).toContain('admin');
      await flag.getByTestId('translation-show-changes').click();
      const changes = flag.getByTestId('translation-changes');
      await expect.poll(async () => changes.locator('ins').allInnerTexts(), { timeout: 5_000 }).toSatisfy((added: string[]) => added.join('').includes('transition verte'));
      expect(await changes.locator('del').count()).toBe(0);
      await translator.screenshot({ path: `${SCREENSHOT_DIR}/proposal-translation-out-of-date-en-1440.png` });
      // The page's progress counts it.
      expect(Number(await translator.getByTestId('proposal-progress').getAttribute('data-out-of-date'))).toBeGreaterThanOrEqual(1);
    } finally {
      await writer.context().close();
      await translator.context().close();
    }
  });

  it('formatting from the toolbar (bold, list, link) reaches the other browser; a link that is not web or mail is refused in the person’s language', async () => {
    const writer = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
    const reader = await e2e.newPage({ width: 1440, height: 900, locale: 'en-GB' });
    try {
      await signIn(writer, e2e.server.url, ADMIN);
      await signIn(reader, e2e.server.url, ADMIN);
      await Promise.all([openProposal(writer), openProposal(reader)]);
      const sectionId = sharedSections[4]!;
      const editor = editorOf(writer, sectionId, 'fr');
      await editor.click();
      await writer.getByTestId('tool-bold').click();
      await editor.pressSequentially('Lots de travail', { delay: 5 });
      await writer.getByTestId('tool-bold').click();
      await editor.press('Enter');
      await writer.getByTestId('tool-bullets').click();
      await editor.pressSequentially('Mobilité courte', { delay: 5 });
      await editor.press('Enter');
      await editor.pressSequentially('Site du projet', { delay: 5 });
      await editor.press('Shift+Home');
      await writer.getByTestId('tool-link').click();
      await writer.getByTestId('link-input').fill('javascript:alert(1)');
      await writer.getByTestId('link-apply').click();
      expect(await writer.getByTestId('link-error').textContent()).toContain('doit commencer par');
      await writer.getByTestId('link-input').fill('https://greenpath.example.eu');
      await writer.getByTestId('link-apply').click();

      const other = editorOf(reader, sectionId, 'fr');
      await other.locator('strong', { hasText: 'Lots de travail' }).waitFor({ timeout: 10_000 });
      await other.locator('ul > li', { hasText: 'Mobilité courte' }).waitFor();
      expect(await other.locator('a', { hasText: 'Site du projet' }).getAttribute('href')).toBe('https://greenpath.example.eu');
      expect(await other.locator('a[href^="javascript"]').count()).toBe(0);
    } finally {
      await writer.context().close();
      await reader.context().close();
    }
  });

  it('a comment on a selection stays on its words in both browsers while the other person types around them; resolving it in one clears it in the other', async () => {
    const author = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
    const other = await e2e.newPage({ width: 1440, height: 900, locale: 'en-GB' });
    try {
      await signIn(author, e2e.server.url, ADMIN);
      await signIn(other, e2e.server.url, ADMIN);
      await Promise.all([openProposal(author), openProposal(other)]);
      const sectionId = sharedSections[5]!;
      const mine = editorOf(author, sectionId, 'fr');
      await mine.click();
      await mine.pressSequentially('Le projet renforce la mobilité courte des étudiants.', { delay: 5 });
      // Select "mobilité courte" (15 characters, 21 from the end).
      await mine.press('End');
      for (let i = 0; i < ' des étudiants.'.length; i++) await mine.press('ArrowLeft');
      for (let i = 0; i < 'mobilité courte'.length; i++) await mine.press('Shift+ArrowLeft');
      await author.getByTestId('tool-comment').click();
      const composer = author.getByTestId('proposal-comment-new-text');
      await composer.fill('Préciser la durée : cinq jours ?');
      await author.getByTestId('proposal-comment-new-text-submit').click();

      const theirs = editorOf(other, sectionId, 'fr');
      const highlight = (page: Page) => editorOf(page, sectionId, 'fr').locator('.comment-anchor');
      await expect.poll(async () => (await highlight(other).allInnerTexts()).join(''), { timeout: 10_000 }).toBe('mobilité courte');
      // The other person writes before and after the words, and inside the sentence.
      await theirs.click();
      await theirs.press('Home');
      await theirs.pressSequentially('En 2027, ', { delay: 5 });
      await theirs.press('End');
      await theirs.pressSequentially(' Et des apprentis.', { delay: 5 });
      await expect.poll(async () => textOf(mine), { timeout: 10_000 }).toContain('Et des apprentis.');
      for (const page of [author, other]) {
        await expect.poll(async () => (await highlight(page).allInnerTexts()).join(''), { timeout: 10_000 }).toBe('mobilité courte');
      }
      expect(await other.locator(`[data-section-id="${sectionId}"] [data-testid="proposal-comment-text"]`).textContent()).toContain('cinq jours');
      await other.screenshot({ path: `${SCREENSHOT_DIR}/proposal-comment-en-1440.png` });

      await other.locator(`[data-section-id="${sectionId}"] [data-testid="proposal-comment-resolve"]`).click();
      await expect.poll(() => highlight(author).count(), { timeout: 10_000 }).toBe(0);
    } finally {
      await author.context().close();
      await other.context().close();
    }
  });

  /** A partner guest of the board with `role`, signed in in a browser context of their own. */
  async function guestPage(role: 'editor' | 'commenter' | 'viewer', view: { width: number; height: number; locale: string }): Promise<Page> {
    const invite = (await admin.evaluate(
      async ({ id, role }) => {
        const response = await fetch(`/api/boards/${id}/guest-invites`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ role, label: `FEUP ${role}`, expiresInHours: 24 }),
        });
        return response.json();
      },
      { id: boardId, role },
    )) as { url: string };
    const guest = await e2e.newPage(view);
    await guest.goto(`${e2e.server.url}/`);
    const joined = await guest.evaluate(async (token) => {
      const response = await fetch(`/api/guest-invites/${token}/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Rui Costa', organisation: 'FEUP' }) });
      return response.status;
    }, invite.url.split('/guest/')[1]!);
    expect(joined).toBe(201);
    return guest;
  }

  it('a commenter’s typing arrives as a suggestion; accepted in the editor’s browser, it reads as plain text in the commenter’s', async () => {
    const commenter = await guestPage('commenter', { width: 1440, height: 900, locale: 'en-GB' });
    const editor = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
    try {
      await signIn(editor, e2e.server.url, ADMIN);
      await Promise.all([openProposal(commenter), openProposal(editor)]);
      await showLanguages(commenter, 'both');
      const sectionId = sharedSections[6]!;
      // The editor writes the sentence; the commenter suggests a few words in it.
      await editorOf(editor, sectionId, 'fr').click();
      await editorOf(editor, sectionId, 'fr').pressSequentially('Le résumé du projet.', { delay: 5 });
      const theirs = editorOf(commenter, sectionId, 'fr');
      await expect.poll(() => textOf(theirs), { timeout: 10_000 }).toBe('Le résumé du projet.');
      expect(await commenter.getByTestId('proposal-readonly').textContent()).toContain('suggest');
      await theirs.click();
      await theirs.press('End');
      await theirs.pressSequentially(' En trois langues.', { delay: 10 });
      // In the editor's browser: a marked insertion by its author, waiting for a decision.
      const mine = editorOf(editor, sectionId, 'fr');
      await expect.poll(async () => (await mine.locator('ins.suggestion--insertion').allInnerTexts()).join(''), { timeout: 10_000 }).toBe(' En trois langues.');
      // The server kept it: the count of the agreed text has not changed.
      const count = editor.locator(`[data-section-id="${sectionId}"] [data-testid="section-text"][data-language="fr"] [data-testid="section-count"]`);
      expect(Number(await count.getAttribute('data-count'))).toBe('Le résumé du projet.'.length);
      const bar = editor.locator(`[data-section-id="${sectionId}"] [data-testid="section-text"][data-language="fr"] [data-testid="suggestions-bar"]`);
      await bar.getByTestId('suggestions-review').click();
      await bar.getByTestId('suggestion-accept').click();
      await expect.poll(() => theirs.locator('ins').count(), { timeout: 10_000 }).toBe(0);
      expect(await textOf(theirs)).toBe('Le résumé du projet. En trois langues.');
      await expect.poll(async () => Number(await count.getAttribute('data-count')), { timeout: 10_000 }).toBe('Le résumé du projet. En trois langues.'.length);
      await commenter.screenshot({ path: `${SCREENSHOT_DIR}/proposal-commenter-en-1440.png` });
    } finally {
      await commenter.context().close();
      await editor.context().close();
    }
  });

  it('a named version is restored for everyone: the other browser shows the text as it was', async () => {
    const keeper = await e2e.newPage({ width: 1440, height: 900, locale: 'fr-FR' });
    const other = await e2e.newPage({ width: 390, height: 844, locale: 'en-GB' });
    try {
      await signIn(keeper, e2e.server.url, ADMIN);
      await signIn(other, e2e.server.url, ADMIN);
      await Promise.all([openProposal(keeper), openProposal(other)]);
      await showLanguages(other, 'fr');
      const sectionId = sharedSections[0]!;
      await editorOf(keeper, sectionId, 'fr').click();
      await editorOf(keeper, sectionId, 'fr').pressSequentially('Texte envoyé aux partenaires.', { delay: 5 });
      const before = 'Texte envoyé aux partenaires.';
      await expect.poll(() => textOf(editorOf(other, sectionId, 'fr')), { timeout: 10_000 }).toBe(before);
      await keeper.getByTestId('proposal-versions-open').click();
      await keeper.getByTestId('proposal-version-name-input').fill('Envoyée aux partenaires');
      await keeper.getByTestId('proposal-version-name-submit').click();
      await keeper.getByTestId('proposal-version-name').filter({ hasText: 'Envoyée aux partenaires' }).waitFor({ timeout: 10_000 });

      const theirs = editorOf(other, sectionId, 'fr');
      await theirs.click();
      await theirs.press('Control+End');
      await theirs.pressSequentially(' Ajout après l’envoi.', { delay: 5 });
      await expect.poll(() => textOf(editorOf(keeper, sectionId, 'fr')), { timeout: 10_000 }).toContain('Ajout après l’envoi.');

      await keeper.getByTestId('proposal-version-item').filter({ hasText: 'Envoyée aux partenaires' }).getByTestId('proposal-version-restore').click();
      await keeper.getByTestId('proposal-version-restore-confirm').click();
      await expect.poll(async () => (await textOf(theirs)).trim(), { timeout: 10_000 }).toBe(before);
      await expect.poll(async () => (await textOf(editorOf(keeper, sectionId, 'fr'))).trim(), { timeout: 10_000 }).toBe(before);
      await other.screenshot({ path: `${SCREENSHOT_DIR}/proposal-restored-en-390.png` });
    } finally {
      await keeper.context().close();
      await other.context().close();
    }
  });

  it('a section over its limit shows its count in red and highlights exactly the characters that do not fit', async () => {
    const shared = await openDocument(proposalDocName(boardId, cardId));
    const proposal = new ProposalDoc(shared.doc);
    const sectionId = sharedSections[3]!;
    const limit = proposal.section(sectionId)!.charLimit!;
    expect(limit).toBeGreaterThan(0);
    const fits = 'a'.repeat(limit - 10);
    const overflow = 'débordement';
    shared.doc.transact(() => writeRichText(proposal.text(sectionId, 'fr')!, [{ type: 'paragraph', runs: [{ text: `${fits}0123456789${overflow}` }] }]));
    await openProposal(admin);
    await showLanguages(admin, 'both');
    const text = admin.locator(`[data-section-id="${sectionId}"] [data-testid="section-text"][data-language="fr"]`);
    await expect.poll(() => text.getByTestId('section-count').getAttribute('data-over'), { timeout: 10_000 }).toBe('true');
    expect(Number(await text.getByTestId('section-count').getAttribute('data-count'))).toBe(limit + overflow.length);
    expect((await text.locator('[data-over-limit]').allInnerTexts()).join('')).toBe(overflow);
    await text.getByTestId('section-over-limit').waitFor();
  });

  it('a section counts its text as it would be submitted, pending suggestions as they are, and shows the count if they are accepted', async () => {
    const shared = await openDocument(proposalDocName(boardId, cardId));
    const proposal = new ProposalDoc(shared.doc);
    const sectionId = sharedSections[3]!;
    const limit = proposal.section(sectionId)!.charLimit!;
    const mark = (id: string) => ({ id, authorId: 'user-cole', authorName: 'Cole', at: '2026-12-02T08:00:00.000Z' });
    shared.doc.transact(() => {
      const fragment = proposal.text(sectionId, 'fr')!;
      fragment.delete(0, fragment.length);
      writeRichText(fragment, [{ type: 'paragraph', runs: [{ text: 'a'.repeat(limit - 5) }] }]);
      const text = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
      // Proposed, not yet accepted: an insertion of 5 characters (not counted), a deletion of 10 (still counted).
      text.insert(limit - 5, 'ajout', { insertion: mark('s1') });
      text.insert(limit, 'bcdefghijk', { deletion: mark('s2') });
    });
    await openProposal(admin);
    await showLanguages(admin, 'both');
    const text = admin.locator(`[data-section-id="${sectionId}"] [data-testid="section-text"][data-language="fr"]`);
    const count = text.getByTestId('section-count');
    await expect.poll(() => count.getAttribute('data-count'), { timeout: 10_000 }).toBe(String(limit + 5));
    expect(await count.getAttribute('data-over')).toBe('true');
    expect(await count.getAttribute('data-count-if-accepted')).toBe(String(limit));
    expect(await text.getByTestId('section-count-if-accepted').innerText()).toMatch(/^, 5\s000 si les suggestions sont acceptées$/);
    expect(await count.innerText()).toMatch(/^5\s005 \/ 5\s000 caractères 5 de trop, 5\s000 si les suggestions sont acceptées$/);
    // The 5 counted characters beyond the limit, and not the proposed insertion.
    expect((await text.locator('[data-over-limit]').allInnerTexts()).join('')).toBe('ghijk');
    await count.locator('xpath=..').screenshot({ path: `${SCREENSHOT_DIR}/proposal-count-if-accepted.png` });
  });

  it('a partner guest writes a shared section, sees no internal section, and never receives one on any frame', async () => {
    const invite = (await admin.evaluate(async (id) => {
      const response = await fetch(`/api/boards/${id}/guest-invites`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'editor', label: 'FEUP', expiresInHours: 24 }),
      });
      return response.json();
    }, boardId)) as { url: string };
    const secret = invite.url.split('/guest/')[1]!;
    const guest = await e2e.newPage({ width: 390, height: 844, locale: 'pt-PT' });
    const received: string[] = [];
    const socketUrls: string[] = [];
    guest.on('websocket', (socket) => {
      socketUrls.push(socket.url());
      socket.on('framereceived', (frame) => {
        received.push(typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('latin1'));
      });
    });
    try {
      await guest.goto(`${e2e.server.url}/`);
      const joined = await guest.evaluate(async (token) => {
        const response = await fetch(`/api/guest-invites/${token}/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ana Silva', organisation: 'FEUP' }) });
        return response.status;
      }, secret);
      expect(joined).toBe(201);
      await openProposal(guest);
      await expect.poll(() => guest.getByTestId('proposal-section').count()).toBe(sharedSections.length);
      expect(await guest.locator('[data-side="internal"]').count()).toBe(0);
      // Partners write the text, not the sections' owner, status or dates.
      expect(await guest.getByTestId('section-status').count()).toBe(0);

      const sectionId = sharedSections[0]!;
      await showLanguages(guest, 'fr');
      const editor = editorOf(guest, sectionId, 'fr');
      await editor.click();
      await editor.pressSequentially('Contribution de la FEUP.', { delay: 5 });
      await openProposal(admin);
      await showLanguages(admin, 'both');
      await expect.poll(() => textOf(editorOf(admin, sectionId, 'fr')), { timeout: 10_000 }).toContain('Contribution de la FEUP.');

      // Nothing internal on any connection the guest's browser opened, nor in any frame it received.
      expect(socketUrls.length).toBeGreaterThan(0);
      expect(socketUrls.filter((url) => url.includes('/internal'))).toEqual([]);
      expect(received.length).toBeGreaterThan(0);
      expect(received.filter((payload) => payload.includes(INTERNAL_MARKER))).toEqual([]);
      // (A member's browser does receive it: the check above can fail.)
      expect(await admin.locator('[data-side="internal"]').first().innerText()).toContain(INTERNAL_MARKER);
      // The guest's page fits the phone.
      const widths = await guest.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
      await guest.screenshot({ path: `${SCREENSHOT_DIR}/proposal-guest-390.png` });
    } finally {
      await guest.context().close();
    }
  });

  for (const view of [
    { locale: 'fr-FR', width: 390, height: 844 },
    { locale: 'en-GB', width: 768, height: 1024 },
    { locale: 'en-GB', width: 1440, height: 900 },
  ] as const) {
    it(`${view.locale} at ${view.width} px: nothing scrolls sideways and every section's text box fits the screen`, async () => {
      const page = await e2e.newPage(view);
      try {
        await signIn(page, e2e.server.url, ADMIN);
        await openProposal(page);
        const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
        for (const box of await page.getByTestId('section-editor').all()) {
          const bounds = (await box.boundingBox())!;
          expect(bounds.x).toBeGreaterThanOrEqual(0);
          expect(bounds.x + bounds.width).toBeLessThanOrEqual(view.width);
        }
        // Side by side on a wide screen, one language at a time on a narrow one.
        const languages = await page.locator('[data-testid="proposal-section"]').first().getByTestId('section-text').count();
        expect(languages).toBe(view.width >= 1100 ? 2 : 1);
        // The bar's controls sit inside the screen (on a phone, once its options are opened).
        await openBarOptions(page);
        for (const control of [page.getByTestId('view-both'), page.getByTestId('proposal-export')]) {
          const bounds = (await control.locator('xpath=..').boundingBox())!;
          expect(bounds.x + bounds.width).toBeLessThanOrEqual(view.width);
        }
        await page.screenshot({ path: `${SCREENSHOT_DIR}/proposal-editor-${view.locale}-${view.width}.png` });
      } finally {
        await page.context().close();
      }
    });
  }
});
