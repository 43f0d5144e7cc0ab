/**
 * Comments on proposal text stay on their words: a range chosen in one person's editor becomes two
 * Yjs relative positions, and after a co-author's concurrent edits (typing just before, just after or
 * inside it, splitting its paragraph, adding paragraphs above, deleting the words before it) it still
 * resolves, in the editor's ProseMirror document, to the same words. Deleted words leave no range.
 *
 * Headless: the editors are ProseMirror documents built from the Yjs text with the editor's own schema
 * (`baseExtensions`), written back the way the Yjs binding writes (`updateYFragment`); the highlights'
 * plugin runs in an editor state beside the Yjs sync plugin, which a browser view would drive. The web files
 * compile with the web app's tsconfig, which `svelte-kit sync` (the build, `npm run check -w web`) makes.
 */
import { getSchema } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Transform } from '@tiptap/pm/transform';
import { EditorState } from '@tiptap/pm/state';
import { initProseMirrorDoc, prosemirrorToYXmlFragment, updateYFragment, ySyncPlugin, ySyncPluginKey } from '@tiptap/y-tiptap';
import { beforeEach, describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { ProposalComments, ProposalDoc, SectionText, resolveAnchor, type SectionSeed } from '@passerelle/shared';
import { baseExtensions } from '../../web/src/lib/editor/base-extensions.js';
import {
  REFRESH_COMMENT_ANCHORS,
  commentAnchorsKey,
  commentAnchorsPlugin,
  commentAt,
  commentRange,
  quoteOf,
  rangeAnchors,
  type CommentAnchor,
} from '../../web/src/lib/editor/comment-anchors.js';

const SEEDS: SectionSeed[] = [
  { id: 'context', title: { fr: 'Contexte', en: 'Context' }, guidance: { fr: '', en: '' }, charLimit: null, defaultOwner: 'sri' },
  { id: 'impact', title: { fr: 'Impact', en: 'Impact' }, guidance: { fr: '', en: '' }, charLimit: null, defaultOwner: 'research' },
];

const scratch = new Y.Doc();
const schema = getSchema(baseExtensions({ fragment: scratch.getXmlFragment('scratch'), awareness: new Awareness(scratch), user: { name: 'x', color: '#000' }, placeholder: '' }));

const paragraph = (text: string) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });

/** What a person's editor shows of a section's text: the ProseMirror document and the binding's mapping. */
function editorView(fragment: Y.XmlFragment) {
  const { doc, meta } = initProseMirrorDoc(fragment, schema);
  return { doc, meta, mapping: meta.mapping };
}

/** An edit made in a person's editor, written into Yjs as the binding writes it. */
function edit(fragment: Y.XmlFragment, change: (tr: Transform, doc: ProseMirrorNode) => void): void {
  const { doc, meta } = editorView(fragment);
  const tr = new Transform(doc);
  change(tr, doc);
  fragment.doc!.transact(() => updateYFragment(fragment.doc!, fragment, tr.doc, meta));
}

/** Text typed at `pos` in an editor. */
function typeAt(tr: Transform, text: string, pos: number): void {
  tr.insert(pos, schema.text(text));
}

/** Where `words` start in a ProseMirror document (within one text node). */
function positionOf(doc: ProseMirrorNode, words: string): number {
  let found = -1;
  doc.descendants((node, pos) => {
    if (found >= 0 || !node.isText) return found < 0;
    const index = node.text!.indexOf(words);
    if (index >= 0) found = pos + index;
    return false;
  });
  if (found < 0) throw new Error(`"${words}" is not in the text`);
  return found;
}

function sync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

/** The words a comment's anchors enclose in the editor built from `fragment`; null when they resolve to no range. */
function wordsOf(fragment: Y.XmlFragment, anchors: { start: string; end: string; quote?: string }): string | null {
  const view = editorView(fragment);
  const range = commentRange(new SectionText(fragment), view.mapping, anchors);
  return range ? view.doc.textBetween(range.from, range.to, '\n') : null;
}

describe('comment anchors', () => {
  let alice: Y.Doc;
  let bob: Y.Doc;
  let aliceText: Y.XmlFragment;
  let bobText: Y.XmlFragment;

  /** Alice comments on `words` (from her editor's selection). */
  const comment = (words: string, last = words) => {
    const view = editorView(aliceText);
    const from = positionOf(view.doc, words);
    const to = positionOf(view.doc, last) + last.length;
    const anchors = rangeAnchors(aliceText, view.mapping, from, to);
    if (!anchors) throw new Error('no anchors');
    return { ...anchors, quote: quoteOf(view.doc, from, to) };
  };

  beforeEach(() => {
    alice = new Y.Doc();
    new ProposalDoc(alice).createSections('ka220', SEEDS);
    aliceText = new ProposalDoc(alice).text('context', 'fr')!;
    const content = schema.nodeFromJSON({
      type: 'doc',
      content: [paragraph('Notre école forme des ingénieurs.'), paragraph('Le projet relie trois universités partenaires en Europe.'), paragraph('Fin.')],
    });
    alice.transact(() => prosemirrorToYXmlFragment(content, aliceText));
    new ProposalDoc(alice).text('impact', 'fr')!.insert(0, [new Y.XmlElement('paragraph')]);
    bob = new Y.Doc();
    sync(alice, bob);
    bobText = new ProposalDoc(bob).text('context', 'fr')!;
  });

  it('a range resolves to the words selected, with the quote of those words', () => {
    const anchors = comment('trois universités');
    expect(anchors.quote).toBe('trois universités');
    expect(wordsOf(aliceText, anchors)).toBe('trois universités');
    sync(alice, bob);
    expect(wordsOf(bobText, anchors)).toBe('trois universités');
  });

  it('text typed just before and just after the words stays outside the range', () => {
    const anchors = comment('trois universités');
    edit(bobText, (tr, doc) => typeAt(tr, ' européennes', positionOf(doc, 'trois universités') + 'trois universités'.length));
    edit(bobText, (tr, doc) => typeAt(tr, 'plus de ', positionOf(doc, 'trois universités')));
    sync(bob, alice);
    expect(new ProposalDoc(alice).text('context', 'fr')!.toString()).toContain('plus de trois universités européennes');
    expect(wordsOf(aliceText, anchors)).toBe('trois universités');
  });

  it('text typed inside the range joins it', () => {
    const anchors = comment('trois universités');
    edit(bobText, (tr, doc) => typeAt(tr, 'grandes ', positionOf(doc, 'universités')));
    sync(bob, alice);
    expect(wordsOf(aliceText, anchors)).toBe('trois grandes universités');
  });

  it('keeps its words while a co-author splits the paragraph before them and adds paragraphs above, concurrently with the commenter’s own edits', () => {
    const anchors = comment('trois universités');
    edit(bobText, (tr, doc) => tr.split(positionOf(doc, 'relie')));
    edit(bobText, (tr) => tr.insert(0, schema.nodeFromJSON(paragraph('Résumé : un réseau.'))));
    // Alice goes on writing at the end meanwhile, before either sees the other's edit.
    edit(aliceText, (tr, doc) => typeAt(tr, ' Merci.', positionOf(doc, 'Fin.') + 4));
    sync(bob, alice);
    sync(alice, bob);
    expect(new ProposalDoc(alice).text('context', 'fr')!.toString()).toBe(new ProposalDoc(bob).text('context', 'fr')!.toString());
    expect(wordsOf(aliceText, anchors)).toBe('trois universités');
    expect(wordsOf(bobText, anchors)).toBe('trois universités');
  });

  it('a range over two paragraphs keeps both parts', () => {
    const anchors = comment('ingénieurs', 'Le projet');
    expect(anchors.quote).toBe('ingénieurs.\nLe projet');
    edit(bobText, (tr, doc) => typeAt(tr, 'jeunes ', positionOf(doc, 'ingénieurs')));
    sync(bob, alice);
    expect(wordsOf(aliceText, anchors)).toBe('ingénieurs.\nLe projet');
    expect(new SectionText(aliceText).locate(anchors)?.text).toBe('ingénieurs.\nLe projet');
  });

  it('words that become the first of the text, their paragraph above deleted, still resolve', () => {
    const anchors = comment('Le projet');
    edit(bobText, (tr, doc) => tr.delete(0, doc.child(0).nodeSize));
    sync(bob, alice);
    expect(editorView(aliceText).doc.textContent.startsWith('Le projet')).toBe(true);
    expect(wordsOf(aliceText, anchors)).toBe('Le projet');
  });

  it('words whose paragraph is split before them (the binding re-inserts them) are found again by their quote, next to where they were', () => {
    const anchors = comment('trois universités');
    edit(bobText, (tr, doc) => tr.split(positionOf(doc, 'relie')));
    sync(bob, alice);
    // The characters the anchors were tied to are gone: only the quote finds the words.
    expect(wordsOf(aliceText, { start: anchors.start, end: anchors.end })).toBeNull();
    expect(new SectionText(aliceText).locate(anchors)).toMatchObject({ text: 'trois universités', moved: true });
    expect(wordsOf(aliceText, anchors)).toBe('trois universités');
  });

  it('words whose paragraph a co-author turns into a heading stay commented', () => {
    const anchors = comment('trois universités');
    edit(bobText, (tr, doc) => tr.setBlockType(positionOf(doc, 'Le projet'), positionOf(doc, 'Le projet'), schema.nodes.heading, { level: 2 }));
    sync(bob, alice);
    expect(editorView(aliceText).doc.child(1).type.name).toBe('heading');
    expect(wordsOf(aliceText, anchors)).toBe('trois universités');
  });

  it('words whose paragraph a co-author puts in a bullet list stay commented', () => {
    const anchors = comment('trois universités');
    edit(bobText, (tr, doc) => {
      const $from = doc.resolve(positionOf(doc, 'Le projet'));
      const range = $from.blockRange()!;
      tr.wrap(range, [{ type: schema.nodes.bulletList }, { type: schema.nodes.listItem }]);
    });
    sync(bob, alice);
    expect(editorView(aliceText).doc.child(1).type.name).toBe('bulletList');
    expect(wordsOf(aliceText, anchors)).toBe('trois universités');
  });

  it('words whose block is rewritten are not guessed among several occurrences of their quote', () => {
    edit(aliceText, (tr, doc) => tr.insert(doc.content.size, schema.nodeFromJSON(paragraph('Ensuite, trois universités de plus.'))));
    sync(alice, bob);
    const anchors = comment('trois universités');
    edit(bobText, (tr, doc) => tr.setBlockType(positionOf(doc, 'Le projet'), positionOf(doc, 'Le projet'), schema.nodes.heading, { level: 2 }));
    sync(bob, alice);
    expect(new SectionText(aliceText).locate(anchors)).toBeNull();
    expect(wordsOf(aliceText, anchors)).toBeNull();
  });

  it('a selection of the whole text is commented on as a whole', () => {
    const view = editorView(aliceText);
    const anchors = rangeAnchors(aliceText, view.mapping, 0, view.doc.content.size)!;
    const quote = quoteOf(view.doc, 0, view.doc.content.size);
    expect(quote).toBe('Notre école forme des ingénieurs.\nLe projet relie trois universités partenaires en Europe.\nFin.');
    expect(resolveAnchor(alice, anchors.start, aliceText)).not.toBeNull();
    expect(wordsOf(aliceText, { ...anchors, quote })).toBe(quote);
    expect(new SectionText(aliceText).locate({ ...anchors, quote })?.text).toBe(quote);
  });

  it('words deleted are not found again in the same words far from where they were', () => {
    edit(aliceText, (tr, doc) => tr.insert(doc.content.size, schema.nodeFromJSON(paragraph(`${'x'.repeat(1200)} trois universités`))));
    sync(alice, bob);
    const anchors = comment('trois universités');
    expect(new SectionText(aliceText).locate(anchors)?.offset).toBeLessThan(100);
    edit(bobText, (tr, doc) => tr.delete(positionOf(doc, 'trois universités'), positionOf(doc, 'trois universités') + 'trois universités'.length));
    sync(bob, alice);
    expect(new SectionText(aliceText).locate(anchors)).toBeNull();
    expect(wordsOf(aliceText, anchors)).toBeNull();
  });

  it('words deleted leave no range, and the comment reads as about deleted text', () => {
    const anchors = comment('trois universités');
    edit(bobText, (tr, doc) => tr.delete(positionOf(doc, 'trois universités') - 1, positionOf(doc, 'trois universités') + 'trois universités'.length));
    sync(bob, alice);
    expect(wordsOf(aliceText, anchors)).toBeNull();
    expect(new SectionText(aliceText).locate(anchors)).toBeNull();
  });

  it('reads the enclosed text and its place in the text from Yjs alone, in the order of the text', () => {
    const first = comment('école');
    const second = comment('universités');
    const a = new SectionText(aliceText).locate(first);
    const b = new SectionText(aliceText).locate(second);
    expect(a).toMatchObject({ offset: 'Notre '.length, text: 'école', moved: false });
    expect(b?.text).toBe('universités');
    expect(b!.offset).toBeGreaterThan(a!.offset);
  });

  it('an anchor resolves only in the text it was made in', () => {
    const anchors = comment('trois universités');
    const impact = new ProposalDoc(alice).text('impact', 'fr')!;
    expect(new SectionText(impact).locate(anchors)).toBeNull();
    expect(commentRange(new SectionText(impact), editorView(impact).mapping, anchors)).toBeNull();
    expect(new SectionText(aliceText).locate({ ...anchors, start: 'not an anchor' })).toBeNull();
  });

  it('the anchors are those the server accepts for a comment on the section, and the comment stored with them resolves after sync', () => {
    const anchors = comment('trois universités');
    expect(resolveAnchor(alice, anchors.start, aliceText)).not.toBeNull();
    expect(resolveAnchor(alice, anchors.end, aliceText)).not.toBeNull();
    new ProposalComments(alice).add('c1', {
      sectionId: 'context',
      language: 'fr',
      ...anchors,
      authorId: 'u1',
      authorName: 'Alice',
      text: 'Lesquelles ?',
      mentions: [],
      createdAt: new Date(0).toISOString(),
    });
    sync(alice, bob);
    const stored = new ProposalComments(bob).get('c1')!;
    expect(wordsOf(bobText, stored)).toBe('trois universités');
  });
});

describe('the highlights of an editor', () => {
  let alice: Y.Doc;
  let bob: Y.Doc;
  let aliceText: Y.XmlFragment;
  let bobText: Y.XmlFragment;
  let comments: CommentAnchor[];
  let activeId: string | null;
  let state: EditorState;

  /** The binding's mapping, as the sync plugin holds it. */
  const binding = () => (ySyncPluginKey.getState(state) as { binding: { mapping: Map<unknown, unknown>; isOMark: Map<unknown, unknown> } }).binding;
  /** The highlighted ranges: words, and whether the comment is the active one. */
  const highlighted = () =>
    commentAnchorsKey
      .getState(state)!
      .decorations.find()
      .map((decoration) => ({ id: decoration.spec.commentId as string, words: state.doc.textBetween(decoration.from, decoration.to, '\n'), active: decoration.spec.active as boolean }))
      .sort((a, b) => a.id.localeCompare(b.id));
  const anchorsOn = (words: string) => {
    const from = positionOf(state.doc, words);
    return { ...rangeAnchors(aliceText, binding().mapping as never, from, from + words.length)!, quote: words };
  };
  /** A co-author's edit arrives: the binding renders the Yjs text again and tells the plugins it came from Yjs. */
  const receive = () => {
    sync(bob, alice);
    const next = initProseMirrorDoc(aliceText, schema);
    binding().mapping.clear();
    next.mapping.forEach((node, type) => binding().mapping.set(type, node));
    state = state.apply(state.tr.replaceWith(0, state.doc.content.size, next.doc.content).setMeta(ySyncPluginKey, { isChangeOrigin: true }));
  };
  /** After a local transaction, the binding writes the editor's document into Yjs, then the plugin asks for a refresh. */
  const writeAndRefresh = () => {
    alice.transact(() => updateYFragment(alice, aliceText, state.doc, binding() as never));
    state = state.apply(state.tr.setMeta(REFRESH_COMMENT_ANCHORS, true));
  };

  beforeEach(() => {
    alice = new Y.Doc();
    new ProposalDoc(alice).createSections('ka220', SEEDS);
    aliceText = new ProposalDoc(alice).text('context', 'fr')!;
    const content = schema.nodeFromJSON({ type: 'doc', content: [paragraph('Notre école forme des ingénieurs.'), paragraph('Le projet relie trois universités partenaires.')] });
    alice.transact(() => prosemirrorToYXmlFragment(content, aliceText));
    bob = new Y.Doc();
    sync(alice, bob);
    bobText = new ProposalDoc(bob).text('context', 'fr')!;
    comments = [];
    activeId = null;
    const view = editorView(aliceText);
    state = EditorState.create({
      schema,
      doc: view.doc,
      plugins: [ySyncPlugin(aliceText, { mapping: view.mapping }), commentAnchorsPlugin({ fragment: aliceText, getComments: () => comments, activeId: () => activeId })],
    });
    comments = [
      { id: 'a', resolved: false, ...anchorsOn('trois universités') },
      { id: 'b', resolved: true, ...anchorsOn('école') },
    ];
    state = state.apply(state.tr.setMeta(REFRESH_COMMENT_ANCHORS, true));
  });

  it('highlights the open comments’ words, the active one marked, when told to refresh', () => {
    expect(highlighted()).toEqual([{ id: 'a', words: 'trois universités', active: false }]);
    activeId = 'a';
    comments = comments.map((comment) => ({ ...comment, resolved: false }));
    expect(highlighted()).toEqual([{ id: 'a', words: 'trois universités', active: false }]);
    state = state.apply(state.tr.setMeta(REFRESH_COMMENT_ANCHORS, true));
    expect(highlighted()).toEqual([
      { id: 'a', words: 'trois universités', active: true },
      { id: 'b', words: 'école', active: false },
    ]);
  });

  it('follows a co-author’s edits as they arrive from Yjs', () => {
    edit(bobText, (tr, doc) => typeAt(tr, 'plus de ', positionOf(doc, 'trois')));
    edit(bobText, (tr) => tr.insert(0, schema.nodeFromJSON(paragraph('Résumé.'))));
    receive();
    expect(state.doc.textContent).toContain('Résumé.');
    expect(highlighted()).toEqual([{ id: 'a', words: 'trois universités', active: false }]);
  });

  it('follows the person’s own typing at once, and reads the anchors again once it is in Yjs', () => {
    state = state.apply(state.tr.insertText('au moins ', positionOf(state.doc, 'trois')));
    expect(commentAnchorsKey.getState(state)!.stale).toBe(true);
    expect(highlighted()).toEqual([{ id: 'a', words: 'trois universités', active: false }]);
    writeAndRefresh();
    state = state.apply(state.tr.insertText(' grandes', positionOf(state.doc, 'trois') + 'trois'.length));
    writeAndRefresh();
    expect(commentAnchorsKey.getState(state)!.stale).toBe(false);
    expect(highlighted()).toEqual([{ id: 'a', words: 'trois grandes universités', active: false }]);
  });

  it('a click on words of two overlapping comments activates the one on fewer words', () => {
    comments = [...comments, { id: 'c', resolved: false, ...anchorsOn('universités') }];
    state = state.apply(state.tr.setMeta(REFRESH_COMMENT_ANCHORS, true));
    const decorations = commentAnchorsKey.getState(state)!.decorations;
    expect(commentAt(decorations, positionOf(state.doc, 'universités') + 3)).toBe('c');
    expect(commentAt(decorations, positionOf(state.doc, 'trois') + 2)).toBe('a');
    expect(commentAt(decorations, positionOf(state.doc, 'Notre') + 2)).toBeNull();
  });

  it('drops the highlight of words a co-author deleted', () => {
    edit(bobText, (tr, doc) => tr.delete(positionOf(doc, 'trois universités'), positionOf(doc, 'trois universités') + 'trois universités'.length));
    receive();
    expect(highlighted()).toEqual([]);
    // Nothing highlighted, nothing to read again after the person's typing.
    state = state.apply(state.tr.insertText('Bref. ', 1));
    expect(commentAnchorsKey.getState(state)!.stale).toBe(false);
  });
});
