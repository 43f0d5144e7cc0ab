/**
 * Suggesting mode in the section editor, on the editor's own schema and written to the proposal
 * document through y-prosemirror's own binding code (`updateYFragment`), as a browser would: what a
 * person types, deletes or types over becomes marked changes, their own pending insertion really
 * goes, changes of structure and formatting are not made, and the server's rule for commenters keeps
 * what the editor writes as a suggestion and undoes a plain edit. Accepting and rejecting decide.
 */
import { Editor, getSchema } from '@tiptap/core';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { findWrapping } from '@tiptap/pm/transform';
import StarterKit from '@tiptap/starter-kit';
import { initProseMirrorDoc, updateYFragment } from '@tiptap/y-tiptap';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ProposalDoc, pendingSuggestions, plainText, writeRichText } from '@passerelle/shared';
import { undoCommenterEdits } from '../../server/src/documents/proposal-rules.js';
import { DeletionMark, InsertionMark, asSuggestion, decideSuggestions, suggestionExtensions, suggestionsInDocument } from '../../web/src/lib/editor/suggestions.js';

const schema = getSchema([StarterKit.configure({ undoRedo: false, heading: { levels: [2, 3, 4] } }), InsertionMark, DeletionMark]);
const cole = { id: 'user-cole', name: 'Cole' };
const TEXT = 'La chimie verte réunit trois écoles.';
/** Every character of the first paragraph, suggested or not. */
const characters = (fragment: Y.XmlFragment) => ((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).toDelta().map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : '')).join('');
/** The document position of a character of the first paragraph. */
const at = (offset: number) => 1 + offset;
const after = (words: string) => at(TEXT.indexOf(words) + words.length);

describe('suggesting in the section editor', () => {
  let ydoc: Y.Doc;
  let fragment: Y.XmlFragment;
  let meta: ReturnType<typeof initProseMirrorDoc>['meta'];
  let state: EditorState;
  /** What the commenter rule undid of each of the commenter's transactions. */
  let undone: (number | 'all')[];
  /** The origin of the commenter's writes, as a connection's would be. */
  const commenter = { connection: 'cole' };
  /** The commenter's departments (the section belongs to the SRI). */
  let departments: string[];

  beforeEach(() => {
    ydoc = new Y.Doc();
    const proposal = new ProposalDoc(ydoc);
    proposal.createSections('t', [{ id: 'context', title: { fr: 'Contexte', en: 'Context' }, guidance: { fr: '', en: '' }, charLimit: null, defaultOwner: 'sri' }]);
    fragment = proposal.text('context', 'fr')!;
    writeRichText(fragment, [{ type: 'paragraph', runs: [{ text: TEXT }] }]);
    const initial = initProseMirrorDoc(fragment, schema);
    meta = initial.meta;
    state = EditorState.create({ schema, doc: initial.doc });
    undone = [];
    departments = [];
    ydoc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.origin === commenter) undone.push(undoCommenterEdits(ydoc, transaction, { userId: cole.id, departments }).undone);
    });
  });

  /** Applies a transaction to the editor and writes the result to the document as the binding does, as the commenter (or `origin`). */
  function apply(transaction: Transaction, origin: unknown = commenter): void {
    state = state.apply(transaction);
    ydoc.transact(() => updateYFragment(ydoc, fragment, state.doc, meta), origin);
  }

  /** Makes a person's transaction a suggestion and applies it; fails when it could not be one. */
  function suggest(make: (state: EditorState) => Transaction): void {
    const suggestion = asSuggestion(state, make(state), cole);
    expect(suggestion).not.toBeNull();
    apply(suggestion!);
  }

  const caretAt = (position: number) => state.apply(state.tr.setSelection(TextSelection.create(state.doc, position)));

  it('puts typed text under the author’s insertion mark, kept by the server and left out of the agreed text', () => {
    suggest((s) => s.tr.insertText('et durable ', after('verte ')));
    suggest((s) => s.tr.insertText('!', s.selection.from));

    expect(suggestionsInDocument(state.doc)).toEqual([expect.objectContaining({ kind: 'insertion', authorId: 'user-cole', authorName: 'Cole', inserted: 'et durable !' })]);
    expect(state.selection.from).toBe(after('verte ') + 'et durable !'.length);
    expect(undone).toEqual([0, 0]);
    expect(pendingSuggestions(fragment)).toEqual([expect.objectContaining({ kind: 'insertion', inserted: 'et durable !' })]);
    expect(plainText(fragment)).toBe(TEXT);
  });

  it('keeps a typed letter that the binding attributes to the same letter next to it', () => {
    // Typing "ar" before "réunit": the binding's string diff takes the typed "r" for the one of "réunit".
    state = caretAt(after('verte '));
    for (const letter of 'par ') suggest((s) => s.tr.insertText(letter, s.selection.from));
    expect(undone).toEqual([0, 0, 0, 0]);
    expect(pendingSuggestions(fragment)).toEqual([expect.objectContaining({ kind: 'insertion', inserted: 'par ' })]);
    expect(plainText(fragment)).toBe(TEXT);
  });

  it('marks what Backspace and Delete would remove, one suggestion while it goes on, the caret moving past it', () => {
    state = caretAt(after('trois '));
    suggest((s) => s.tr.delete(s.selection.from - 1, s.selection.from));
    suggest((s) => s.tr.delete(s.selection.from - 1, s.selection.from));
    expect(state.selection.from).toBe(after('trois ') - 2);
    // Delete, forward.
    state = caretAt(after('réunit '));
    suggest((s) => s.tr.delete(s.selection.from, s.selection.from + 1));
    suggest((s) => s.tr.delete(s.selection.from, s.selection.from + 1));
    expect(state.selection.from).toBe(after('réunit tr'));

    expect(state.doc.textContent).toBe(TEXT);
    expect(suggestionsInDocument(state.doc)).toEqual([expect.objectContaining({ kind: 'deletion', deleted: 'tr' }), expect.objectContaining({ kind: 'deletion', deleted: 's ' })]);
    expect(undone).toEqual([0, 0, 0, 0]);
    expect(pendingSuggestions(fragment)).toEqual([
      expect.objectContaining({ kind: 'deletion', authorId: 'user-cole', deleted: 'tr' }),
      expect.objectContaining({ kind: 'deletion', authorId: 'user-cole', deleted: 's ' }),
    ]);
  });

  it('really removes the author’s own pending insertion', () => {
    suggest((s) => s.tr.insertText('très ', after('chimie ')));
    suggest((s) => s.tr.delete(after('chimie '), after('chimie ') + 'très '.length));
    expect(state.doc.textContent).toBe(TEXT);
    expect(suggestionsInDocument(state.doc)).toEqual([]);
    expect(undone).toEqual([0, 0]);
    expect(pendingSuggestions(fragment)).toEqual([]);
  });

  it('makes typing over a selection one replacement', () => {
    suggest((s) => s.tr.insertText('quatre', after('réunit '), after('trois')));
    expect(state.doc.textContent).toBe('La chimie verte réunit troisquatre écoles.');
    expect(suggestionsInDocument(state.doc)).toEqual([expect.objectContaining({ kind: 'replacement', deleted: 'trois', inserted: 'quatre' })]);
    expect(undone).toEqual([0]);
  });

  it('makes no change of structure or formatting while suggesting', () => {
    const range = state.doc.resolve(at(0)).blockRange()!;
    expect(asSuggestion(state, state.tr.wrap(range, findWrapping(range, schema.nodes.bulletList!)!), cole), 'a list').toBeNull();
    expect(asSuggestion(state, state.tr.addMark(at(0), after('chimie'), schema.marks.bold!.create()), cole), 'bold').toBeNull();
    expect(asSuggestion(state, state.tr.setBlockType(at(0), at(0), schema.nodes.heading!, { level: 2 }), cole), 'a heading').toBeNull();
  });

  it('has the server undo a commenter’s plain edit written by the editor', () => {
    apply(state.tr.insertText('Hélas, ', at(0)));
    expect(undone).toEqual([1]);
    expect(plainText(fragment)).toBe(TEXT);
    apply(state.tr.addMark(at(0), after('chimie'), schema.marks.bold!.create()));
    expect(undone).toEqual([1, 1]);
  });

  it('accepts and rejects: an accepted insertion stays as text, an accepted deletion goes, a rejection the reverse', () => {
    suggest((s) => s.tr.insertText('et durable ', after('verte ')));
    const shift = 'et durable '.length;
    suggest((s) => s.tr.delete(after('réunit ') + shift, after('trois ') + shift));
    const [insertion, deletion] = suggestionsInDocument(state.doc);

    const accepted = state.tr;
    expect(decideSuggestions(accepted, null, 'accept')).toBe(true);
    expect(accepted.doc.textContent).toBe('La chimie verte et durable réunit écoles.');
    expect(suggestionsInDocument(accepted.doc)).toEqual([]);

    const rejected = state.tr;
    expect(decideSuggestions(rejected, null, 'reject')).toBe(true);
    expect(rejected.doc.textContent).toBe(TEXT);
    expect(suggestionsInDocument(rejected.doc)).toEqual([]);

    const one = state.tr;
    expect(decideSuggestions(one, new Set([insertion!.id]), 'accept')).toBe(true);
    expect(suggestionsInDocument(one.doc)).toEqual([expect.objectContaining({ id: deletion!.id })]);
    expect(decideSuggestions(state.tr, new Set(['unknown']), 'accept')).toBe(false);
  });

  it('lets a commenter decide on the suggestions of a section they own, and on no other', () => {
    const omar = { id: 'user-omar', name: 'Omar' };
    const editorsOrigin = { connection: 'omar' };
    const suggested = asSuggestion(state, state.tr.insertText('et durable ', after('verte ')), omar)!;
    apply(suggested, editorsOrigin);
    apply(asSuggestion(state, state.tr.insertText('très ', after('chimie ')), cole)!);
    const [own, others] = [suggestionsInDocument(state.doc)[0]!, suggestionsInDocument(state.doc)[1]!];
    expect([own.authorId, others.authorId]).toEqual(['user-cole', 'user-omar']);

    /** Decides as the commenter, then reads the text back as the binding would after the server's answer. */
    const decide = (id: string, verdict: 'accept' | 'reject') => {
      const transaction = state.tr;
      decideSuggestions(transaction, new Set([id]), verdict);
      apply(transaction);
      const reloaded = initProseMirrorDoc(fragment, schema);
      meta = reloaded.meta;
      state = EditorState.create({ schema, doc: reloaded.doc });
    };
    // Not their section: accepting anyone's suggestion, their own included, is undone.
    decide(others.id, 'accept');
    decide(own.id, 'accept');
    expect(undone).toEqual([0, 1, 1]);
    expect(pendingSuggestions(fragment).map((suggestion) => suggestion.id)).toEqual([own.id, others.id]);
    // Withdrawing their own stays.
    decide(own.id, 'reject');
    expect(undone.at(-1)).toBe(0);
    expect(pendingSuggestions(fragment).map((suggestion) => suggestion.id)).toEqual([others.id]);

    // The section is their department's: they decide.
    departments = ['sri'];
    decide(others.id, 'accept');
    expect(undone.at(-1)).toBe(0);
    expect(pendingSuggestions(fragment)).toEqual([]);
    expect(plainText(fragment)).toBe('La chimie verte et durable réunit trois écoles.');
  });
});

describe('a section owner’s decisions', () => {
  it('are kept when the binding removes the same words next to the suggested ones', () => {
    const ydoc = new Y.Doc();
    const proposal = new ProposalDoc(ydoc);
    proposal.createSections('t', [{ id: 'context', title: { fr: 'Contexte', en: 'Context' }, guidance: { fr: '', en: '' }, charLimit: null, defaultOwner: 'sri' }]);
    const fragment = proposal.text('context', 'fr')!;
    writeRichText(fragment, [{ type: 'paragraph', runs: [{ text: TEXT }] }]);
    const { doc, meta } = initProseMirrorDoc(fragment, schema);
    let state = EditorState.create({ schema, doc });
    const owner = { connection: 'cole' };
    const undone: (number | 'all')[] = [];
    ydoc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.origin === owner) undone.push(undoCommenterEdits(ydoc, transaction, { userId: cole.id, departments: ['sri'] }).undone);
    });
    const write = (transaction: Transaction, origin: unknown) => {
      state = state.apply(transaction);
      ydoc.transact(() => updateYFragment(ydoc, fragment, state.doc, meta), origin);
    };
    // Someone suggests "trois " before "trois ": the owner rejects it, the binding removes the second.
    write(asSuggestion(state, state.tr.insertText('trois ', after('réunit ')), { id: 'user-omar', name: 'Omar' })!, { connection: 'omar' });
    const rejected = state.tr;
    decideSuggestions(rejected, null, 'reject');
    write(rejected, owner);
    expect(undone).toEqual([0]);
    expect(characters(fragment)).toBe(TEXT);
    expect(pendingSuggestions(fragment)).toEqual([]);
  });
});

describe('suggesting mode', () => {
  /** An editor not mounted anywhere, with the suggestion extensions. */
  const editorWith = (suggestOnly?: boolean) =>
    new Editor({
      element: null,
      extensions: [StarterKit.configure({ undoRedo: false }), ...suggestionExtensions({ user: cole, ...(suggestOnly === undefined ? {} : { suggestOnly }) })],
      content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: TEXT }] }] },
    });

  it('starts off and is switched on and off', () => {
    const editor = editorWith();
    expect(editor.storage.suggestions.suggesting).toBe(false);
    expect(editor.commands.setSuggesting(true)).toBe(true);
    expect(editor.storage.suggestions.suggesting).toBe(true);
    expect(editor.commands.setSuggesting(false)).toBe(true);
    expect(editor.storage.suggestions.suggesting).toBe(false);
    editor.destroy();
  });

  it('stays on for good for someone who may only suggest', () => {
    const editor = editorWith(true);
    expect(editor.storage.suggestions.suggesting).toBe(true);
    expect(editor.commands.setSuggesting(false)).toBe(false);
    expect(editor.storage.suggestions.suggesting).toBe(true);
    editor.destroy();
  });
});
