/**
 * Suggesting mode on a proposal's documents, with stock y-websocket clients against a real server:
 * a commenter writes suggestions (text under their own insertion mark, their own deletion mark on
 * existing text, paragraph breaks suggested added or removed), which are kept and reach the
 * editors; anything else a commenter writes (a plain paragraph break among them) is undone for everyone; a viewer still writes nothing; the exports read the text as agreed so far.
 */
import mammoth from 'mammoth';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BLOCK_SUGGESTION, ProposalDoc, blockSuggestionValue, pendingSuggestions, plainText, proposalDocName, type SectionOwner, type SuggestionMark } from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { TEST_ACTOR, proposalPerTest, writeSection } from '../helpers/proposals.js';
import { cookieClient } from '../helpers/sync-client.js';
import { api, createMember, eventually, joinAsGuest, login, synced } from '../helpers/test-server.js';
import { stockClient, syncUrlOf } from '../helpers/stock-client.js';

/** How long a correction by the server takes at most to come back, before a test says none came. */
const SETTLE_MS = 400;

/** Every character of a text, suggested or not, without its marks. */
function characters(text: Y.XmlText): string {
  return (text.toDelta() as { insert?: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
}

describe('suggestions on a proposal', () => {
  const ctx = serverPerTest();
  const given = proposalPerTest(ctx, 'Green chemistry cooperation partnership');
  let sectionId: string;
  let commenter: { id: string; token: string };

  /** A stock client of the proposal's shared document by API token, synced, with the first section's French text. */
  async function open(token: string): Promise<{ doc: Y.Doc; proposal: ProposalDoc; text: () => Y.XmlText; raw: () => string; fragment: () => Y.XmlFragment }> {
    const doc = new Y.Doc();
    const { provider } = stockClient(syncUrlOf(ctx.server.url), proposalDocName(given.boardId, given.cardId), { params: { token }, doc });
    ctx.track(() => provider.destroy());
    await synced(provider);
    const proposal = new ProposalDoc(doc);
    await eventually(() => (proposal.text(sectionId, 'fr')?.length ?? 0) > 0, 5000, 'the section’s text');
    const fragment = () => proposal.text(sectionId, 'fr')!;
    const text = () => (fragment().get(0) as Y.XmlElement).get(0) as Y.XmlText;
    return { doc, proposal, fragment, text, raw: () => characters(text()) };
  }

  const mark = (id: string, authorId: string, authorName = 'Cole'): SuggestionMark => ({ id, authorId, authorName, at: '2026-12-02T08:00:00.000Z' });
  const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

  beforeEach(async () => {
    sectionId = (await writeSection(ctx.server, proposalDocName(given.boardId, given.cardId), 0, { fr: [{ type: 'paragraph', runs: [{ text: 'La chimie verte réunit trois écoles.' }] }] })).sectionId;
    // Every member who is given no role comments on this board.
    const admin = await login(ctx.server.url);
    expect((await api(ctx.server.url, `/api/boards/${given.boardId}/sharing`, { method: 'PATCH', cookie: admin, headers: { origin: ctx.server.url }, body: { workspaceAccess: 'commenter' } })).status).toBe(204);
    commenter = await createMember(ctx.server.url, 'cole', ['research']);
    // The section is the SRI's, not the commenter's department's: they do not decide on it.
    await setOwner({ kind: 'department', department: 'sri' });
  });

  const setOwner = (owner: SectionOwner) =>
    ctx.server.sync.editDocument(proposalDocName(given.boardId, given.cardId), (doc) => new ProposalDoc(doc).setOwner(sectionId, owner), TEST_ACTOR);

  it('keeps a commenter’s insertion and deletion suggestions, which reach an editor with their author', async () => {
    const editor = await open(given.token);
    const cole = await open(commenter.token);
    cole.doc.transact(() => {
      cole.text().insert('La chimie verte '.length, 'et durable ', { insertion: mark('s1', commenter.id) });
      cole.text().format('La chimie verte et durable réunit '.length, 'trois '.length, { deletion: mark('s2', commenter.id) });
    });

    await eventually(() => pendingSuggestions(editor.fragment()).length === 2, 5000, 'the suggestions at the editor');
    expect(pendingSuggestions(editor.fragment())).toEqual([
      expect.objectContaining({ id: 's1', kind: 'insertion', authorId: commenter.id, inserted: 'et durable ' }),
      expect.objectContaining({ id: 's2', kind: 'deletion', authorId: commenter.id, deleted: 'trois ' }),
    ]);
    await settle();
    // Still there for a client that arrives afterwards: the server kept them.
    const later = await open(given.token);
    expect(later.raw()).toBe('La chimie verte et durable réunit trois écoles.');
    expect(pendingSuggestions(later.fragment()).map((suggestion) => suggestion.id)).toEqual(['s1', 's2']);
    // The text as agreed so far is unchanged.
    expect(plainText(later.fragment())).toBe('La chimie verte réunit trois écoles.');
  });

  it('keeps a commenter’s suggested paragraph breaks, and undoes a plain one or one in someone else’s name', async () => {
    const editor = await open(given.token);
    editor.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      text.insert(0, 'Porto accueille.');
      editor.fragment().push([paragraph]);
    });
    const cole = await open(commenter.token);
    await eventually(() => cole.fragment().length === 2, 5000, 'the second paragraph at the commenter');
    /** Splits the first paragraph after `offset` characters as the editor's binding writes it, the new paragraph carrying `suggestion`. */
    const split = (offset: number, suggestion: string | null) =>
      cole.doc.transact(() => {
        const rest = cole.raw().slice(offset);
        cole.text().delete(offset, rest.length);
        const paragraph = new Y.XmlElement('paragraph');
        if (suggestion !== null) paragraph.setAttribute(BLOCK_SUGGESTION, suggestion);
        const text = new Y.XmlText();
        paragraph.insert(0, [text]);
        text.insert(0, rest);
        cole.fragment().insert(1, [paragraph]);
      });

    split('La chimie verte '.length, blockSuggestionValue({ kind: 'split', ...mark('b1', commenter.id) }));
    await eventually(() => pendingSuggestions(editor.fragment()).length === 1, 5000, 'the suggested break at the editor');
    expect(pendingSuggestions(editor.fragment())).toEqual([expect.objectContaining({ id: 'b1', kind: 'insertion', authorId: commenter.id, inserted: '¶' })]);
    expect(editor.fragment().length).toBe(3);
    // A break to be removed: the mark put on the paragraph after it.
    cole.doc.transact(() => (cole.fragment().get(2) as Y.XmlElement).setAttribute(BLOCK_SUGGESTION, blockSuggestionValue({ kind: 'join', ...mark('b3', commenter.id) })));
    await eventually(() => pendingSuggestions(editor.fragment())[1]?.kind === 'deletion', 5000, 'the break to be removed at the editor');
    await settle();
    const later = await open(given.token);
    expect(later.fragment().length).toBe(3);
    // As agreed so far: the suggested break not there yet, the one to be removed still there.
    expect(plainText(later.fragment())).toBe('La chimie verte réunit trois écoles.\nPorto accueille.');

    // A plain break, and one in the editor's name: undone for everyone.
    split('La chimie'.length, null);
    await settle();
    split('La chimie'.length, blockSuggestionValue({ kind: 'split', ...mark('b2', TEST_ACTOR.id, 'Admin') }));
    await settle();
    await eventually(() => cole.fragment().length === 3 && editor.fragment().length === 3, 5000, 'the breaks undone');
    expect(cole.raw()).toBe('La chimie verte ');
    expect(pendingSuggestions(editor.fragment()).map((suggestion) => suggestion.id)).toEqual(['b1', 'b3']);
  });

  it('lets a commenter take back their own insertion and write into an empty paragraph, and undoes a paragraph they add', async () => {
    const editor = await open(given.token);
    editor.fragment().push([new Y.XmlElement('paragraph')]);
    const cole = await open(commenter.token);
    await eventually(() => cole.fragment().length === 2, 5000, 'the empty paragraph at the commenter');
    cole.text().insert(0, 'Oui, ', { insertion: mark('s1', commenter.id) });
    await eventually(() => editor.raw().startsWith('Oui, '), 5000, 'the insertion at the editor');
    cole.text().delete(0, 'Oui, '.length);
    // The editor makes the text of an empty paragraph when the first character goes in.
    cole.doc.transact(() => {
      const text = new Y.XmlText();
      (cole.fragment().get(1) as Y.XmlElement).insert(0, [text]);
      text.insert(0, 'Et Lisbonne.', { insertion: mark('s2', commenter.id) });
    });
    cole.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText()]);
      cole.fragment().push([paragraph]);
    });
    expect(cole.fragment().length).toBe(3);
    await eventually(() => pendingSuggestions(editor.fragment()).some((suggestion) => suggestion.id === 's2'), 5000, 'the suggestion in the empty paragraph');
    await settle();
    // A new paragraph is a change of structure: undone, for the commenter too.
    await eventually(() => editor.fragment().length === 2 && cole.fragment().length === 2, 5000, 'the paragraph undone');
    expect(editor.raw()).toBe('La chimie verte réunit trois écoles.');
    expect(pendingSuggestions(editor.fragment()).map(({ id, inserted }) => [id, inserted])).toEqual([['s2', 'Et Lisbonne.']]);
  });

  it('undoes a commenter’s plain edit for everyone, the commenter included', async () => {
    const editor = await open(given.token);
    const cole = await open(commenter.token);
    cole.text().insert(0, 'Hélas, ');
    await eventually(() => editor.raw() === 'La chimie verte réunit trois écoles.' && cole.raw() === 'La chimie verte réunit trois écoles.', 5000, 'the insertion undone');

    // Text removed outright comes back, with its marks.
    cole.text().delete('La chimie '.length, 'verte '.length);
    await eventually(() => cole.raw() === 'La chimie réunit trois écoles.', 1000, 'the local deletion');
    await eventually(() => editor.raw() === 'La chimie verte réunit trois écoles.' && cole.raw() === 'La chimie verte réunit trois écoles.', 5000, 'the deletion undone');
    await settle();
    expect(plainText((await open(given.token)).fragment())).toBe('La chimie verte réunit trois écoles.');
  });

  it('undoes a commenter’s suggestion made in someone else’s name, their formatting, and their changes to a section’s settings', async () => {
    const editor = await open(given.token);
    const cole = await open(commenter.token);
    // What the commenter may do, in the same moment, stays.
    cole.text().insert('La chimie verte réunit trois écoles'.length, ' européennes', { insertion: mark('s1', commenter.id) });
    cole.text().insert(0, 'Validé : ', { insertion: mark('forged', 'admin', 'Admin') });
    cole.text().format('Validé : '.length, 'La chimie'.length, { bold: {} });
    cole.proposal.setStatus(sectionId, 'done');

    await eventually(() => pendingSuggestions(editor.fragment()).some((suggestion) => suggestion.id === 's1'), 5000, 'the commenter’s own suggestion');
    await settle();
    await eventually(
      () => editor.raw() === 'La chimie verte réunit trois écoles européennes.' && editor.proposal.section(sectionId)!.status === 'to_write',
      5000,
      'the forged suggestion and the status undone',
    );
    expect(editor.text().toDelta()).toEqual([
      { insert: 'La chimie verte réunit trois écoles' },
      { insert: ' européennes', attributes: { insertion: mark('s1', commenter.id) } },
      { insert: '.' },
    ]);
    expect(cole.raw()).toBe(editor.raw());
  });

  it('undoes a commenter’s removal of someone else’s suggestion, and keeps their suggestion to delete it', async () => {
    const editor = await open(given.token);
    editor.text().insert(0, 'Enfin, ', { insertion: mark('e1', 'admin', 'Admin') });
    const cole = await open(commenter.token);
    await eventually(() => cole.raw().startsWith('Enfin, '), 5000, 'the editor’s suggestion at the commenter');
    cole.text().delete(0, 'Enfin, '.length);
    await settle();
    await eventually(() => editor.raw().startsWith('Enfin, ') && cole.raw().startsWith('Enfin, '), 5000, 'the removal undone');
    // Suggesting to delete the editor's suggestion, in the commenter's own name, stays.
    cole.text().format(0, 'Enfin, '.length, { deletion: mark('s2', commenter.id) });
    await eventually(() => pendingSuggestions(editor.fragment()).some((suggestion) => suggestion.id === 's2'), 5000, 'the deletion suggestion');
    await settle();
    expect(pendingSuggestions(editor.fragment()).map((suggestion) => suggestion.id)).toEqual(['e1', 's2']);
  });

  it('lets an editor accept and reject suggestions by editing', async () => {
    const editor = await open(given.token);
    const cole = await open(commenter.token);
    cole.doc.transact(() => {
      cole.text().insert('La chimie verte '.length, 'et durable ', { insertion: mark('s1', commenter.id) });
      cole.text().format('La chimie verte et durable réunit '.length, 'trois '.length, { deletion: mark('s2', commenter.id) });
    });
    await eventually(() => pendingSuggestions(editor.fragment()).length === 2, 5000, 'the suggestions at the editor');
    editor.doc.transact(() => {
      // Accepting the insertion drops its mark; rejecting the deletion drops its mark.
      editor.text().format('La chimie verte '.length, 'et durable '.length, { insertion: null });
      editor.text().format('La chimie verte et durable réunit '.length, 'trois '.length, { deletion: null });
    });
    await eventually(() => pendingSuggestions(cole.fragment()).length === 0, 5000, 'the decisions at the commenter');
    await settle();
    expect(plainText(editor.fragment())).toBe('La chimie verte et durable réunit trois écoles.');
    expect(plainText(cole.fragment())).toBe('La chimie verte et durable réunit trois écoles.');
  });

  it('lets a commenter who owns the section accept and reject its suggestions, and not one who does not', async () => {
    const editor = await open(given.token);
    editor.doc.transact(() => {
      editor.text().insert('La chimie verte '.length, 'et durable ', { insertion: mark('e1', 'admin', 'Admin') });
      editor.text().format('La chimie verte et durable réunit '.length, 'trois '.length, { deletion: mark('e2', 'admin', 'Admin') });
    });
    const cole = await open(commenter.token);
    await eventually(() => pendingSuggestions(cole.fragment()).length === 2, 5000, 'the suggestions at the commenter');
    const acceptBoth = () =>
      cole.doc.transact(() => {
        cole.text().format('La chimie verte '.length, 'et durable '.length, { insertion: null });
        cole.text().delete('La chimie verte et durable réunit '.length, 'trois '.length);
      });
    acceptBoth();
    await settle();
    await eventually(() => pendingSuggestions(editor.fragment()).length === 2 && pendingSuggestions(cole.fragment()).length === 2, 5000, 'the decisions undone');

    await setOwner({ kind: 'person', userId: commenter.id, name: 'cole' });
    await eventually(() => cole.proposal.section(sectionId)!.owner?.kind === 'person', 5000, 'the new owner at the commenter');
    acceptBoth();
    await eventually(() => pendingSuggestions(editor.fragment()).length === 0, 5000, 'the decisions at the editor');
    await settle();
    expect(plainText(editor.fragment())).toBe('La chimie verte et durable réunit écoles.');
    expect(plainText(cole.fragment())).toBe('La chimie verte et durable réunit écoles.');
  });

  it('refuses a viewer’s suggestion as any write of theirs, and lets a guest commenter suggest', async () => {
    const viewer = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: given.token }, boardId: given.boardId, role: 'viewer', name: 'Vera' });
    const partner = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: given.token }, boardId: given.boardId, role: 'commenter', name: 'Ana Sousa' });
    const name = proposalDocName(given.boardId, given.cardId);
    const clients = [viewer, partner].map((guest) => {
      const client = cookieClient(ctx.server.url, name, guest.cookie, ctx.track);
      return { ...client, proposal: new ProposalDoc(client.doc), me: guest.me };
    });
    for (const client of clients) {
      await synced(client.provider);
      await eventually(() => (client.proposal.text(sectionId, 'fr')?.length ?? 0) > 0, 5000, 'the text at a guest');
    }
    const textOf = (proposal: ProposalDoc) => (proposal.text(sectionId, 'fr')!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const [vera, ana] = clients as [(typeof clients)[number], (typeof clients)[number]];
    textOf(vera.proposal).insert(0, 'Vu. ', { insertion: mark('v1', vera.me.id, 'Vera') });
    await settle();
    textOf(ana.proposal).insert(0, 'Porto : ', { insertion: mark('a1', ana.me.id, 'Ana Sousa') });

    const editor = await open(given.token);
    await eventually(() => pendingSuggestions(editor.fragment()).some((suggestion) => suggestion.id === 'a1'), 5000, 'the guest commenter’s suggestion');
    expect(pendingSuggestions(editor.fragment()).map((suggestion) => [suggestion.id, suggestion.authorName])).toEqual([['a1', 'Ana Sousa']]);
    expect(editor.raw()).toBe('Porto : La chimie verte réunit trois écoles.');
  });

  it('exports the text as agreed so far: a pending insertion left out, a pending deletion kept', async () => {
    const cole = await open(commenter.token);
    cole.doc.transact(() => {
      cole.text().insert('La chimie verte '.length, 'et durable ', { insertion: mark('s1', commenter.id) });
      cole.text().format('La chimie verte et durable réunit '.length, 'trois '.length, { deletion: mark('s2', commenter.id) });
    });
    const editor = await open(given.token);
    await eventually(() => pendingSuggestions(editor.fragment()).length === 2, 5000, 'the suggestions on the server');

    const response = await fetch(`${ctx.server.url}/api/boards/${given.boardId}/proposals/${given.cardId}/export?format=docx&lang=fr`, { headers: { authorization: `Bearer ${given.token}` } });
    expect(response.status).toBe(200);
    const { value: text } = await mammoth.extractRawText({ buffer: Buffer.from(await response.arrayBuffer()) });
    expect(text).toContain('La chimie verte réunit trois écoles.');
    expect(text).not.toContain('durable');
  });
});
