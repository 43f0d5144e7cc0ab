/**
 * Suggestions across paragraphs, on the section editor's schema and written to the proposal document
 * through y-prosemirror's own binding code, as a browser would: Enter, a deletion across two
 * paragraphs and a paste of several paragraphs become suggested paragraph breaks with their text,
 * listed with the other suggestions, left out of the agreed text until accepted, accepted or rejected
 * each or all, and two replicas that exchange their updates converge. The server's rule for
 * commenters keeps such suggestions (and an owner's decisions on them) and undoes a plain break.
 */
import { getSchema } from '@tiptap/core';
import { joinBackward, splitBlock } from '@tiptap/pm/commands';
import { Fragment, Slice } from '@tiptap/pm/model';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import StarterKit from '@tiptap/starter-kit';
import { initProseMirrorDoc, updateYFragment } from '@tiptap/y-tiptap';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ProposalDoc, pendingSuggestions, plainText, richTextBlocks, textBlocks, writeRichText } from '@passerelle/shared';
import { undoCommenterEdits } from '../../server/src/documents/proposal-rules.js';
import { asSuggestion, decideSuggestions, suggestionExtensions, suggestionsInDocument } from '../../web/src/lib/editor/suggestions.js';

const cole = { id: 'user-cole', name: 'Cole' };
const omar = { id: 'user-omar', name: 'Omar' };
const schema = getSchema([StarterKit.configure({ undoRedo: false, heading: { levels: [2, 3, 4] } }), ...suggestionExtensions({ user: cole })]);
const FIRST = 'La chimie verte réunit trois écoles.';
const SECOND = 'Porto accueille la première mobilité.';
/** The document position just after `words` in the first paragraph. */
const after = (words: string) => 1 + FIRST.indexOf(words) + words.length;
/** The position of the start of the second paragraph's text. */
const secondStart = 1 + FIRST.length + 2;

/** One replica: a proposal document's section text and an editor's state bound to it. */
class Replica {
  readonly ydoc = new Y.Doc();
  readonly fragment: Y.XmlFragment;
  meta!: ReturnType<typeof initProseMirrorDoc>['meta'];
  state!: EditorState;

  constructor(from?: Replica) {
    if (from) Y.applyUpdate(this.ydoc, Y.encodeStateAsUpdate(from.ydoc));
    const proposal = new ProposalDoc(this.ydoc);
    if (!from) {
      proposal.createSections('t', [{ id: 'context', title: { fr: 'Contexte', en: 'Context' }, guidance: { fr: '', en: '' }, charLimit: null, defaultOwner: 'sri' }]);
      writeRichText(proposal.text('context', 'fr')!, [
        { type: 'paragraph', runs: [{ text: FIRST }] },
        { type: 'paragraph', runs: [{ text: SECOND }] },
      ]);
    }
    this.fragment = proposal.text('context', 'fr')!;
    this.reload();
  }

  /** What the commenter rule undid of each transaction, once `asCommenter` is on. */
  readonly undone: (number | 'all')[] = [];

  /** Judges every later transaction as the server judges a commenter's (`departments` may own the section). */
  asCommenter(author: { id: string }, departments: string[] = []): this {
    this.ydoc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.origin === 'editor') this.undone.push(undoCommenterEdits(this.ydoc, transaction, { userId: author.id, departments }).undone);
    });
    return this;
  }

  /** Reads the text back as the binding does when the document changed under it. */
  reload(): void {
    const initial = initProseMirrorDoc(this.fragment, schema);
    this.meta = initial.meta;
    this.state = EditorState.create({ schema, doc: initial.doc, selection: this.state ? TextSelection.create(initial.doc, Math.min(this.state.selection.from, initial.doc.content.size - 1)) : undefined });
  }

  /** Applies a transaction and writes the result to the document as the binding does. */
  apply(transaction: Transaction): void {
    this.state = this.state.apply(transaction);
    this.ydoc.transact(() => updateYFragment(this.ydoc, this.fragment, this.state.doc, this.meta), 'editor');
  }

  /** A person's change (a command run on the state) made a suggestion by `author`, and applied; fails when it could not be one. */
  suggest(command: (state: EditorState, dispatch: (tr: Transaction) => void) => boolean, author = cole): void {
    let made: Transaction | null = null;
    expect(command(this.state, (tr) => (made = tr))).toBe(true);
    const suggestion = asSuggestion(this.state, made!, author);
    expect(suggestion).not.toBeNull();
    this.apply(suggestion!);
  }

  caretAt(position: number): void {
    this.state = this.state.apply(this.state.tr.setSelection(TextSelection.create(this.state.doc, position)));
  }

  /** Decides on suggestions (every one when `ids` is null) as the editor's commands do. */
  decide(ids: string[] | null, verdict: 'accept' | 'reject'): void {
    const transaction = this.state.tr;
    expect(decideSuggestions(transaction, ids && new Set(ids), verdict)).toBe(true);
    this.apply(transaction);
  }

  /** The paragraphs as the editor shows them. */
  paragraphs(): string[] {
    const found: string[] = [];
    this.state.doc.forEach((block) => found.push(block.textContent));
    return found;
  }
}

/** Sends each replica's updates to the other, then has both editors read their text again. */
function exchange(a: Replica, b: Replica): void {
  Y.applyUpdate(b.ydoc, Y.encodeStateAsUpdate(a.ydoc, Y.encodeStateVector(b.ydoc)));
  Y.applyUpdate(a.ydoc, Y.encodeStateAsUpdate(b.ydoc, Y.encodeStateVector(a.ydoc)));
  a.reload();
  b.reload();
}

const paragraph = (text: string) => schema.node('paragraph', null, text ? [schema.text(text)] : []);
/** What pasting paragraphs copied from elsewhere inserts. */
const pasted = (...texts: string[]) => (state: EditorState, dispatch: (tr: Transaction) => void) => {
  dispatch(state.tr.replaceSelection(new Slice(Fragment.from(texts.map(paragraph)), 1, 1)));
  return true;
};

describe('suggestions across paragraphs', () => {
  let replica: Replica;
  beforeEach(() => {
    replica = new Replica();
  });

  it('makes Enter a suggested paragraph break, what is typed after it the same suggestion, left out of the agreed text', () => {
    replica.caretAt(after('verte '));
    replica.suggest(splitBlock);
    replica.suggest((state, dispatch) => (dispatch(state.tr.insertText('Elle ', state.selection.from)), true));

    expect(replica.paragraphs()).toEqual(['La chimie verte ', 'Elle réunit trois écoles.', SECOND]);
    expect(suggestionsInDocument(replica.state.doc)).toEqual([expect.objectContaining({ kind: 'insertion', authorId: cole.id, inserted: '¶Elle ' })]);
    expect(pendingSuggestions(replica.fragment)).toEqual([expect.objectContaining({ kind: 'insertion', inserted: '¶Elle ' })]);
    // As it would be submitted (counts, exports): one paragraph, as before; as it would read once accepted: two.
    expect(textBlocks(replica.fragment)).toEqual([FIRST, SECOND]);
    expect(richTextBlocks(replica.fragment)).toEqual([
      { type: 'paragraph', runs: [{ text: 'La chimie verte ' }, { text: 'réunit trois écoles.' }] },
      { type: 'paragraph', runs: [{ text: SECOND }] },
    ]);
    expect(textBlocks(replica.fragment, 'accepted')).toEqual(['La chimie verte ', 'Elle réunit trois écoles.', SECOND]);
  });

  it('accepts a suggested break as a paragraph, rejects it by joining the two again', () => {
    replica.caretAt(after('verte '));
    replica.suggest(splitBlock);
    const accepted = new Replica(replica);
    accepted.decide(null, 'accept');
    expect(accepted.paragraphs()).toEqual(['La chimie verte ', 'réunit trois écoles.', SECOND]);
    expect(pendingSuggestions(accepted.fragment)).toEqual([]);
    expect(plainText(accepted.fragment)).toBe(`La chimie verte \nréunit trois écoles.\n${SECOND}`);

    replica.decide(null, 'reject');
    expect(replica.paragraphs()).toEqual([FIRST, SECOND]);
    expect(pendingSuggestions(replica.fragment)).toEqual([]);
  });

  it('marks a deletion across two paragraphs, the break to be removed with the text', () => {
    // Backspace at the start of the second paragraph.
    replica.caretAt(secondStart);
    replica.suggest(joinBackward);
    expect(replica.paragraphs()).toEqual([FIRST, SECOND]);
    expect(replica.state.selection.from).toBe(1 + FIRST.length);
    expect(suggestionsInDocument(replica.state.doc)).toEqual([expect.objectContaining({ kind: 'deletion', deleted: '¶' })]);
    // Then a selection from "trois" to "Porto " deleted: one more suggestion, its text and no second break.
    replica.state = replica.state.apply(replica.state.tr.setSelection(TextSelection.create(replica.state.doc, after('réunit '), secondStart + 'Porto '.length)));
    replica.suggest((state, dispatch) => (dispatch(state.tr.deleteSelection()), true));
    expect(replica.paragraphs()).toEqual([FIRST, SECOND]);
    // In the order they first appear: the text deleted starts before the break.
    const [deletion, join] = suggestionsInDocument(replica.state.doc);
    expect(deletion).toEqual(expect.objectContaining({ kind: 'deletion', deleted: 'trois écoles.Porto ' }));
    expect(join).toEqual(expect.objectContaining({ kind: 'deletion', deleted: '¶' }));
    expect(textBlocks(replica.fragment)).toEqual([FIRST, SECOND]);

    const one = new Replica(replica);
    one.decide([join!.id], 'accept');
    expect(one.paragraphs()).toEqual([FIRST + SECOND]);
    expect(suggestionsInDocument(one.state.doc)).toEqual([expect.objectContaining({ id: deletion!.id })]);
    one.decide([deletion!.id], 'accept');
    expect(one.paragraphs()).toEqual(['La chimie verte réunit accueille la première mobilité.']);

    replica.decide(null, 'reject');
    expect(replica.paragraphs()).toEqual([FIRST, SECOND]);
    expect(pendingSuggestions(replica.fragment)).toEqual([]);
  });

  it('makes a paste of several paragraphs one suggestion of paragraphs, decided whole', () => {
    replica.caretAt(after('écoles.'));
    replica.suggest(pasted(' Lyon', 'Lille', 'Nantes'));
    expect(replica.paragraphs()).toEqual([`${FIRST} Lyon`, 'Lille', 'Nantes', SECOND]);
    expect(suggestionsInDocument(replica.state.doc)).toEqual([expect.objectContaining({ kind: 'insertion', inserted: ' Lyon¶Lille¶Nantes' })]);
    expect(textBlocks(replica.fragment)).toEqual([FIRST, SECOND]);

    const accepted = new Replica(replica);
    accepted.decide(null, 'accept');
    expect(accepted.paragraphs()).toEqual([`${FIRST} Lyon`, 'Lille', 'Nantes', SECOND]);
    expect(pendingSuggestions(accepted.fragment)).toEqual([]);
    replica.decide(null, 'reject');
    expect(replica.paragraphs()).toEqual([FIRST, SECOND]);
  });

  it('really removes the author’s own suggested break when they delete it', () => {
    replica.caretAt(after('verte '));
    replica.suggest(splitBlock);
    replica.suggest(joinBackward);
    expect(replica.paragraphs()).toEqual([FIRST, SECOND]);
    expect(pendingSuggestions(replica.fragment)).toEqual([]);
    // Someone else's suggested break is not theirs to take back: it stays.
    replica.caretAt(after('verte '));
    replica.suggest(splitBlock, omar);
    replica.suggest(joinBackward);
    expect(pendingSuggestions(replica.fragment)).toEqual([expect.objectContaining({ authorId: omar.id, inserted: '¶' })]);
  });

  it('converges when one person suggests breaks and another decides on them', () => {
    const other = new Replica(replica);
    replica.caretAt(after('verte '));
    replica.suggest(splitBlock);
    replica.caretAt(replica.state.doc.content.size - 1);
    replica.suggest(pasted(' Braga', 'Coimbra'));
    exchange(replica, other);
    expect(other.paragraphs()).toEqual(replica.paragraphs());
    const [enter, paste] = suggestionsInDocument(other.state.doc);

    other.decide([enter!.id], 'accept');
    other.decide([paste!.id], 'reject');
    exchange(replica, other);
    expect(replica.paragraphs()).toEqual(['La chimie verte ', 'réunit trois écoles.', SECOND]);
    expect(other.paragraphs()).toEqual(replica.paragraphs());
    expect(replica.fragment.toJSON()).toEqual(other.fragment.toJSON());
    expect(pendingSuggestions(replica.fragment)).toEqual([]);
  });
});

describe('paragraph breaks suggested by a commenter', () => {
  it('are kept by the server: Enter, a deletion across paragraphs, a paste of paragraphs and taking one’s own back', () => {
    const replica = new Replica().asCommenter(cole);
    replica.caretAt(after('verte '));
    replica.suggest(splitBlock);
    replica.suggest((state, dispatch) => (dispatch(state.tr.insertText('Elle ', state.selection.from)), true));
    replica.caretAt(replica.state.doc.content.size - 1);
    replica.suggest(pasted(' Braga', 'Coimbra'));
    // Backspace at the start of the second paragraph: a break to be removed.
    replica.caretAt(replica.state.doc.content.size - 1 - SECOND.length - ' Braga'.length - 'Coimbra'.length - 2);
    replica.suggest(joinBackward);
    replica.reload();
    expect(replica.undone).toEqual([0, 0, 0, 0]);
    expect(replica.paragraphs()).toEqual(['La chimie verte ', 'Elle réunit trois écoles.', `${SECOND} Braga`, 'Coimbra']);
    expect(pendingSuggestions(replica.fragment).map((suggestion) => [suggestion.inserted, suggestion.deleted])).toEqual([
      ['¶Elle ', ''],
      ['', '¶'],
      [' Braga¶Coimbra', ''],
    ]);
    // Backspace at the start of their own new paragraph: taken back.
    replica.caretAt(after('verte ') + 2);
    replica.suggest(joinBackward);
    replica.reload();
    expect(replica.undone).toEqual([0, 0, 0, 0, 0]);
    expect(replica.paragraphs()).toEqual(['La chimie verte Elle réunit trois écoles.', `${SECOND} Braga`, 'Coimbra']);
    expect(textBlocks(replica.fragment)).toEqual([FIRST, SECOND]);
  });

  it('puts back a plain paragraph break or join that is not a suggestion', () => {
    const replica = new Replica().asCommenter(cole);
    replica.apply(replica.state.tr.split(after('verte ')));
    replica.reload();
    expect(replica.undone).toEqual(['all']);
    expect(replica.paragraphs()).toEqual([FIRST, SECOND]);
    replica.apply(replica.state.tr.join(secondStart - 1));
    replica.reload();
    expect(replica.undone).toEqual(['all', 'all']);
    expect(replica.paragraphs()).toEqual([FIRST, SECOND]);
  });

  it('lets a commenter decide on suggested breaks in a section they own, and on no other', () => {
    const suggested = new Replica();
    suggested.caretAt(after('verte '));
    suggested.suggest(splitBlock, omar);
    suggested.caretAt(suggested.state.doc.content.size - 1 - SECOND.length);
    suggested.suggest(joinBackward, omar);
    expect(pendingSuggestions(suggested.fragment).map((suggestion) => suggestion.kind)).toEqual(['insertion', 'deletion']);

    const notTheirs = new Replica(suggested).asCommenter(cole);
    notTheirs.decide(null, 'accept');
    notTheirs.reload();
    expect(notTheirs.undone).toEqual(['all']);
    expect(pendingSuggestions(notTheirs.fragment)).toHaveLength(2);

    const theirs = new Replica(suggested).asCommenter(cole, ['sri']);
    theirs.decide(null, 'accept');
    theirs.reload();
    expect(theirs.undone).toEqual([0]);
    expect(theirs.paragraphs()).toEqual(['La chimie verte ', `réunit trois écoles.${SECOND}`]);
    expect(pendingSuggestions(theirs.fragment)).toEqual([]);
  });
});
