/**
 * Suggesting mode in a proposal section's editor: a person proposes insertions and deletions, shown
 * as marked changes, and an editor (or the section's owner) accepts or rejects each, or all at once.
 *
 * - Two marks, `insertion` and `deletion` (`shared/src/documents/suggestions.ts`), each with the
 *   suggestion's `id`, `authorId`, `authorName` and `at`; drawn as `<ins>` and `<del>` with the
 *   classes `suggestion suggestion--insertion` / `suggestion--deletion`, the author in the title.
 * - A mode, `suggesting` (`editor.storage.suggestions.suggesting`, set by `setSuggesting`). While it is
 *   on, what the person types or pastes goes in under their insertion mark, and what they delete
 *   (Backspace, Delete, typing over a selection) gets their deletion mark instead of going; deleting
 *   their own pending insertion really removes it. Suggestions stay inside the existing blocks: a
 *   change of structure (a new paragraph, a join, a list) or of formatting is not made while
 *   suggesting, and what an input rule would have turned into one (`## `, `**bold**`) goes in as
 *   typed. Changes that come from the Yjs binding (the co-authors', undo) are never re-marked.
 * - Commands that decide: `acceptSuggestion(id)`, `rejectSuggestion(id)`, `acceptAll()`,
 *   `rejectAll()`. Accepting an insertion drops its mark, accepting a deletion removes its text;
 *   rejecting does the reverse. They are plain edits: the server lets editors make them, and a
 *   commenter who owns the section; any commenter may withdraw (reject) their own.
 *
 * A commenter's connection accepts suggestions only (the server undoes anything else), so a
 * commenter's editor is made with `suggestOnly` (and `SuggestionsBar` shows the mode locked on with
 * `forceSuggesting`).
 */
import { Extension, Mark, mergeAttributes, type AnyExtension, type Editor } from '@tiptap/core';
import { Fragment, type Mark as ProseMark, type MarkType, type Node as ProseNode, type Slice } from '@tiptap/pm/model';
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Mapping, ReplaceStep, type StepMap } from '@tiptap/pm/transform';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import {
  DELETION_MARK,
  INSERTION_MARK,
  SUGGESTION_MARKS,
  SuggestionMark,
  newId,
  suggestionsOfRuns,
  type MarkedRun,
  type PendingSuggestion,
  type SuggestionMarkName,
} from '@passerelle/shared';

/** Who suggests: the person signed in. */
export interface SuggestionAuthor {
  id: string;
  name: string;
}

export interface SuggestionsOptions {
  /** The person whose suggestions this editor makes. */
  user: SuggestionAuthor;
  /**
   * Suggesting mode from the start and for good (default false): for a commenter, whose connection
   * keeps nothing but suggestions, so that no change of theirs goes out unmarked to be undone.
   */
  suggestOnly: boolean;
}

export interface SuggestionsStorage {
  /** Whether what the person types and deletes becomes suggestions. */
  suggesting: boolean;
}

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    suggestions: {
      /** Turns suggesting mode on or off. */
      setSuggesting: (suggesting: boolean) => ReturnType;
      /** Accepts one suggestion: its insertions stay as text, its deletions go. */
      acceptSuggestion: (id: string) => ReturnType;
      /** Rejects one suggestion: its insertions go, its deletions stay as text. */
      rejectSuggestion: (id: string) => ReturnType;
      /** Accepts every pending suggestion of this text. */
      acceptAll: () => ReturnType;
      /** Rejects every pending suggestion of this text. */
      rejectAll: () => ReturnType;
    };
  }
  interface Storage {
    suggestions: SuggestionsStorage;
  }
}

/** Marks the transactions of this extension: a person's change made a suggestion, a decision, or a switch of mode. */
export const suggestionsKey = new PluginKey('suggestions');

type SuggestionsMeta = { suggested: true } | { decided: true } | { suggesting: boolean };

/** A suggestion mark's attributes when `mark` is a well-formed suggestion mark. */
function attributesOf(mark: ProseMark): SuggestionMark | null {
  const parsed = SuggestionMark.safeParse(mark.attrs);
  return parsed.success ? parsed.data : null;
}

/** One of the two marks: `<ins>` or `<del>`, with the suggestion's attributes as data attributes. */
function suggestionMark(name: SuggestionMarkName, tag: 'ins' | 'del') {
  return Mark.create({
    name,
    // Typing at the edge of a suggestion does not extend it: the extension marks what is typed.
    inclusive: false,
    addAttributes() {
      return {
        id: { default: null, parseHTML: (element) => element.getAttribute('data-suggestion-id'), renderHTML: (attributes) => ({ 'data-suggestion-id': attributes.id }) },
        authorId: { default: null, parseHTML: (element) => element.getAttribute('data-author-id'), renderHTML: (attributes) => ({ 'data-author-id': attributes.authorId }) },
        authorName: { default: '', parseHTML: (element) => element.getAttribute('title') ?? '', renderHTML: (attributes) => ({ title: attributes.authorName }) },
        at: { default: '', parseHTML: (element) => element.getAttribute('data-at') ?? '', renderHTML: (attributes) => ({ 'data-at': attributes.at }) },
      };
    },
    parseHTML() {
      return [{ tag: `${tag}[data-suggestion-id]` }];
    },
    renderHTML({ HTMLAttributes }) {
      return [tag, mergeAttributes(HTMLAttributes, { class: `suggestion suggestion--${name}` }), 0];
    },
  });
}

/** The mark of text proposed to be added. */
export const InsertionMark = suggestionMark(INSERTION_MARK, 'ins');
/** The mark of text proposed to be removed. */
export const DeletionMark = suggestionMark(DELETION_MARK, 'del');

/** The pending suggestions of an editor's document, one per id, in the order they first appear. */
export function suggestionsInDocument(doc: ProseNode): PendingSuggestion[] {
  const runs: MarkedRun[] = [];
  doc.descendants((node) => {
    if (!node.isText) return true;
    const attributes: Record<string, unknown> = {};
    for (const mark of node.marks) if ((SUGGESTION_MARKS as readonly string[]).includes(mark.type.name)) attributes[mark.type.name] = mark.attrs;
    runs.push({ text: node.text ?? '', attributes });
    return false;
  });
  return suggestionsOfRuns(runs);
}

/** Whether a transaction is a person's own change to the text, to be made a suggestion while suggesting. */
function isPersonsChange(transaction: Transaction): boolean {
  return transaction.docChanged && !transaction.getMeta(ySyncPluginKey) && !transaction.getMeta(suggestionsKey);
}

/** The suggestion mark of `type` that `author` made on a node, if any. */
function ownMark(node: ProseNode | null | undefined, type: MarkType, author: SuggestionAuthor): ProseMark | null {
  const mark = node?.marks.find((candidate) => candidate.type === type);
  return mark && attributesOf(mark)?.authorId === author.id ? mark : null;
}

/** The text nodes of a slice, in order: a paste of several blocks becomes one run, its blocks separated by a space. */
function insertedText(slice: Slice): ProseNode[] {
  const nodes: ProseNode[] = [];
  let blocks = 0;
  slice.content.descendants((node) => {
    if (node.isTextblock && blocks++ > 0 && nodes.length > 0) nodes.push(node.type.schema.text(' '));
    if (node.isText) nodes.push(node);
    return !node.isText;
  });
  return nodes;
}

/**
 * Makes one replacement of a person's transaction (`from`–`to` in `out`'s document, replaced by
 * `slice`) a suggestion in `out`: text in the range gets the person's deletion mark (their own
 * pending insertion goes), and the slice's text goes in after it under their insertion mark.
 * Returns where the caret should be, or null when nothing could be suggested.
 */
function suggestReplacement(out: Transaction, from: number, to: number, slice: Slice, author: SuggestionAuthor, caretWasAtEnd: boolean): number | null {
  const schema = out.doc.type.schema;
  const insertionType = schema.marks[INSERTION_MARK]!;
  const deletionType = schema.marks[DELETION_MARK]!;
  const firstStep = out.steps.length;
  const now = new Date().toISOString();
  let deletion: SuggestionMark | null = null;

  if (to > from) {
    const segments: { from: number; to: number; node: ProseNode }[] = [];
    out.doc.nodesBetween(from, to, (node, pos) => {
      if (node.isText) segments.push({ from: Math.max(pos, from), to: Math.min(pos + node.nodeSize, to), node });
      return !node.isText;
    });
    // A deletion next to one of the person's own continues it (Backspace held down is one suggestion).
    const adjacent = ownMark(out.doc.resolve(from).nodeBefore, deletionType, author) ?? ownMark(out.doc.resolve(to).nodeAfter, deletionType, author);
    deletion = (adjacent && attributesOf(adjacent)) ?? { id: newId(), authorId: author.id, authorName: author.name, at: now };
    // From the end, so that the positions before stay valid when own insertions go.
    for (const segment of segments.reverse()) {
      if (ownMark(segment.node, insertionType, author)) out.delete(segment.from, segment.to);
      else if (!deletionType.isInSet(segment.node.marks)) out.addMark(segment.from, segment.to, deletionType.create(deletion));
    }
  }

  const mapping = out.mapping.slice(firstStep);
  const text = insertedText(slice);
  if (text.length === 0) {
    if (out.steps.length === firstStep && to === from) return null;
    return caretWasAtEnd ? mapping.map(from, -1) : mapping.map(to, 1);
  }
  let at = mapping.map(to, -1);
  if (!out.doc.resolve(at).parent.inlineContent) at = mapping.map(from, 1);
  const $at = out.doc.resolve(at);
  if (!$at.parent.inlineContent || !$at.parent.type.allowsMarkType(insertionType)) return null;
  // Typing on from one's own insertion continues it; typing over a selection is one replacement.
  const adjacent = ownMark($at.nodeBefore, insertionType, author) ?? ownMark($at.nodeAfter, insertionType, author);
  const insertion = (adjacent && attributesOf(adjacent)) ?? (deletion ? { ...deletion } : { id: newId(), authorId: author.id, authorName: author.name, at: now });
  const mark = insertionType.create(insertion);
  const nodes = text.map((node) => node.mark(mark.addToSet(node.marks.filter((other) => other.type !== insertionType && other.type !== deletionType))));
  const content = Fragment.from(nodes);
  out.insert(at, content);
  return at + content.size;
}

/**
 * A person's transaction made a suggestion, from the state it applies to; null when it changes what
 * a suggestion cannot (structure, formatting): it is then not made at all.
 */
export function asSuggestion(state: EditorState, transaction: Transaction, author: SuggestionAuthor): Transaction | null {
  const out = state.tr;
  // Maps positions of the transaction's document before its step `index` to `out`'s document.
  let toOut: StepMap[] = [];
  let caret: number | null = null;
  for (const [index, step] of transaction.steps.entries()) {
    if (!(step instanceof ReplaceStep)) return null;
    const mapping = new Mapping(toOut);
    const from = mapping.map(step.from, 1);
    const to = Math.max(from, mapping.map(step.to, -1));
    const before = out.steps.length;
    const caretWasAtEnd = index === 0 && state.selection.empty && state.selection.from === step.to && step.to > step.from;
    const placed = suggestReplacement(out, from, to, step.slice, author, caretWasAtEnd);
    if (placed !== null) caret = placed;
    toOut = [step.getMap().invert(), ...toOut, ...out.mapping.maps.slice(before)];
  }
  if (!out.docChanged && caret === null) return null;
  if (caret !== null) out.setSelection(TextSelection.near(out.doc.resolve(Math.min(caret, out.doc.content.size))));
  const uiEvent = transaction.getMeta('uiEvent');
  if (uiEvent !== undefined) out.setMeta('uiEvent', uiEvent);
  if (transaction.scrolledIntoView) out.scrollIntoView();
  return out.setMeta(suggestionsKey, { suggested: true } satisfies SuggestionsMeta);
}

/**
 * What a person typed when an input rule (`## `, `- `, `**bold**`) was about to turn it into
 * structure or formatting, which a suggestion cannot hold: the typed text goes in as typed, a
 * suggestion. Null for any other transaction.
 */
function typedInsteadOfRule(state: EditorState, transaction: Transaction, author: SuggestionAuthor): Transaction | null {
  // Tiptap makes an input rules plugin per extension; the one whose rule ran records what was typed.
  const typed = state.plugins
    .filter((plugin) => (plugin.spec as { isInputRules?: boolean }).isInputRules)
    .map((plugin) => transaction.getMeta(plugin) as { from?: unknown; to?: unknown; text?: unknown } | undefined)
    .find((meta) => meta !== undefined);
  if (!typed || typeof typed.text !== 'string' || typeof typed.from !== 'number' || typeof typed.to !== 'number') return null;
  return asSuggestion(state, state.tr.insertText(typed.text, typed.from, typed.to), author);
}

/**
 * Accepts or rejects the suggestions whose id is in `ids` (every one when null) in `tr`: accepting
 * keeps insertions (their mark dropped) and removes deletions; rejecting does the reverse. Returns
 * whether there was any.
 */
export function decideSuggestions(tr: Transaction, ids: ReadonlySet<string> | null, verdict: 'accept' | 'reject'): boolean {
  const removals: { from: number; to: number }[] = [];
  const unmarks: { from: number; to: number; mark: ProseMark }[] = [];
  tr.doc.descendants((node, pos) => {
    if (!node.isText) return true;
    for (const mark of node.marks) {
      if (mark.type.name !== INSERTION_MARK && mark.type.name !== DELETION_MARK) continue;
      const id = attributesOf(mark)?.id;
      if (ids !== null && (id === undefined || !ids.has(id))) continue;
      const goes = (mark.type.name === INSERTION_MARK) === (verdict === 'reject');
      if (goes) removals.push({ from: pos, to: pos + node.nodeSize });
      else unmarks.push({ from: pos, to: pos + node.nodeSize, mark });
    }
    return false;
  });
  if (removals.length === 0 && unmarks.length === 0) return false;
  for (const { from, to, mark } of unmarks) tr.removeMark(from, to, mark);
  // From the end, so that the positions before stay valid.
  for (const { from, to } of removals.sort((a, b) => b.from - a.from)) tr.delete(from, to);
  tr.setMeta(suggestionsKey, { decided: true } satisfies SuggestionsMeta);
  return true;
}

/** Suggesting mode, its plugin and the commands that decide. Use `suggestionExtensions` to get it with its marks. */
export const Suggestions = Extension.create<SuggestionsOptions, SuggestionsStorage>({
  name: 'suggestions',

  addOptions() {
    return { user: { id: '', name: '' }, suggestOnly: false };
  },

  addStorage() {
    return { suggesting: this.options.suggestOnly };
  },

  addCommands() {
    return {
      setSuggesting:
        (suggesting) =>
        ({ tr, dispatch }) => {
          if (!suggesting && this.options.suggestOnly) return false;
          if (dispatch) {
            this.storage.suggesting = suggesting;
            tr.setMeta(suggestionsKey, { suggesting } satisfies SuggestionsMeta);
          }
          return true;
        },
      acceptSuggestion:
        (id) =>
        ({ tr }) =>
          decideSuggestions(tr, new Set([id]), 'accept'),
      rejectSuggestion:
        (id) =>
        ({ tr }) =>
          decideSuggestions(tr, new Set([id]), 'reject'),
      acceptAll:
        () =>
        ({ tr }) =>
          decideSuggestions(tr, null, 'accept'),
      rejectAll:
        () =>
        ({ tr }) =>
          decideSuggestions(tr, null, 'reject'),
    };
  },

  /** While suggesting, a person's change is made a suggestion before it reaches the document. */
  dispatchTransaction({ transaction, next }) {
    if (!this.storage.suggesting || !isPersonsChange(transaction)) {
      next(transaction);
      return;
    }
    const { state } = this.editor;
    const suggestion = asSuggestion(state, transaction, this.options.user) ?? typedInsteadOfRule(state, transaction, this.options.user);
    if (suggestion) next(suggestion);
  },

  addProseMirrorPlugins() {
    const storage = this.storage;
    return [
      new Plugin({
        key: suggestionsKey,
        // What other plugins append while suggesting (a trailing paragraph, a link found in typed
        // text) would change the text outside a suggestion: not made.
        filterTransaction: (transaction) => !storage.suggesting || !isPersonsChange(transaction),
      }),
    ];
  },
});

/**
 * The suggestion marks and suggesting mode, to append to a section editor's `baseExtensions`:
 * `[...baseExtensions(binding), ...suggestionExtensions({ user: { id, name }, suggestOnly: !canEdit })]`.
 * `suggestOnly` (a commenter) starts the editor in suggesting mode and keeps it there.
 */
export function suggestionExtensions(options: { user: SuggestionAuthor; suggestOnly?: boolean }): AnyExtension[] {
  return [InsertionMark, DeletionMark, Suggestions.configure({ user: options.user, suggestOnly: options.suggestOnly ?? false })];
}

/** The pending suggestions of an editor's text (none without an editor). */
export function editorSuggestions(editor: Editor | null): PendingSuggestion[] {
  return editor ? suggestionsInDocument(editor.state.doc) : [];
}
