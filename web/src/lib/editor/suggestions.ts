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
 *   their own pending insertion really removes it.
 * - Paragraph breaks too: Enter, or a paste of several paragraphs, adds breaks marked as suggested
 *   (`split`, on the paragraph or heading after the break, `BLOCK_SUGGESTION`), and a deletion across
 *   a break marks it to be removed (`join`); taking back one's own suggested break removes it. Any
 *   other change of structure (a list, a table) or of formatting is not made while suggesting (a
 *   paste of a list goes in as text), and what an input rule would have turned into one (`## `,
 *   `**bold**`) goes in as typed. Changes that come from the Yjs binding (the co-authors', undo) are
 *   never re-marked.
 * - Commands that decide: `acceptSuggestion(id)`, `rejectSuggestion(id)`, `acceptAll()`,
 *   `rejectAll()`. Accepting an insertion drops its mark, accepting a deletion removes its text;
 *   rejecting does the reverse; a suggested break is decided with the suggestion it belongs to. They are plain edits: the server lets editors make them, and a
 *   commenter who owns the section; any commenter may withdraw (reject) their own.
 *
 * A commenter's connection accepts suggestions only (the server undoes anything else), so a
 * commenter's editor is made with `suggestOnly` (and `SuggestionsBar` shows the mode locked on with
 * `forceSuggesting`).
 */
import { Extension, Mark, mergeAttributes, type AnyExtension, type Editor } from '@tiptap/core';
import { Fragment, Slice, type Mark as ProseMark, type MarkType, type Node as ProseNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Mapping, ReplaceStep, canJoin, type StepMap } from '@tiptap/pm/transform';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import {
  BLOCK_SUGGESTION,
  DELETION_MARK,
  INSERTION_MARK,
  SUGGESTION_MARKS,
  SuggestionMark,
  blockSuggestionOf,
  blockSuggestionRun,
  blockSuggestionValue,
  newId,
  suggestionsOfRuns,
  type BlockSuggestion,
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
    const suggestedBreak = node.isTextblock ? blockSuggestionOf(node.attrs[BLOCK_SUGGESTION]) : null;
    if (suggestedBreak) runs.push(blockSuggestionRun(suggestedBreak));
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

/** Whether a mark is not one of the suggestion marks. */
const notSuggestion = (mark: ProseMark) => !(SUGGESTION_MARKS as readonly string[]).includes(mark.type.name);

/** Whether a block can hold a suggested break before it (paragraphs and headings). */
const holdsBreak = (node: ProseNode | null | undefined): node is ProseNode => !!node && node.isTextblock && BLOCK_SUGGESTION in (node.type.spec.attrs ?? {});

/** The suggested break before a block, when it holds a well-formed one. */
function breakOf(node: ProseNode | null | undefined): BlockSuggestion | null {
  return holdsBreak(node) ? blockSuggestionOf(node.attrs[BLOCK_SUGGESTION]) : null;
}

/**
 * The paragraph breaks wholly inside `from`–`to` (between two text blocks of one parent, the second
 * able to hold a suggested break): the position before the block after each, with that block.
 */
function breaksWithin(doc: ProseNode, from: number, to: number): { pos: number; node: ProseNode }[] {
  const found: { pos: number; node: ProseNode }[] = [];
  doc.nodesBetween(from, to, (node, pos, parent, index) => {
    if (!node.isTextblock) return true;
    if (index > 0 && pos - 1 >= from && pos + 1 <= to && parent?.child(index - 1).isTextblock && holdsBreak(node)) found.push({ pos, node });
    return false;
  });
  return found;
}

/**
 * What Enter or a paste of paragraphs inserts inside a paragraph (a slice of paragraphs and headings
 * open on both sides) made a suggestion: its text under the insertion mark, and each break it adds
 * marked `split` on the block after it. Null for any other slice (lists, tables), which goes in as text.
 */
function suggestedBlocks(slice: Slice, mark: ProseMark, suggestion: SuggestionMark): Slice | null {
  if (slice.openStart !== 1 || slice.openEnd !== 1 || slice.content.childCount < 2) return null;
  const blocks: ProseNode[] = [];
  let fits = true;
  slice.content.forEach((block, _offset, index) => {
    if (!holdsBreak(block)) return void (fits = false);
    // The first block goes on the paragraph the break is made in, which keeps its own attributes.
    const attrs = index === 0 ? block.attrs : { ...block.attrs, [BLOCK_SUGGESTION]: blockSuggestionValue({ kind: 'split', ...suggestion }) };
    const children: ProseNode[] = [];
    block.content.forEach((child) => children.push(child.isText ? child.mark(mark.addToSet(child.marks.filter(notSuggestion))) : child));
    blocks.push(block.type.create(attrs, children, block.marks));
  });
  return fits ? new Slice(Fragment.from(blocks), slice.openStart, slice.openEnd) : null;
}

/**
 * Makes one replacement of a person's transaction (`from`–`to` in `out`'s document, replaced by
 * `slice`) a suggestion in `out`: text in the range gets the person's deletion mark (their own
 * pending insertion goes) and each paragraph break in it is marked `join` (their own suggested break
 * goes); the slice goes in after it under their insertion mark, the breaks it adds marked `split`.
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
    const mark = (deletion = (adjacent && attributesOf(adjacent)) ?? { id: newId(), authorId: author.id, authorName: author.name, at: now });
    const changes: { at: number; apply: () => void }[] = segments.map((segment) => ({
      at: segment.from,
      apply: () => {
        if (ownMark(segment.node, insertionType, author)) out.delete(segment.from, segment.to);
        else if (!deletionType.isInSet(segment.node.marks)) out.addMark(segment.from, segment.to, deletionType.create(mark));
      },
    }));
    for (const { pos, node } of breaksWithin(out.doc, from, to)) {
      const suggested = breakOf(node);
      changes.push({
        at: pos,
        apply: () => {
          if (suggested === null) out.setNodeAttribute(pos, BLOCK_SUGGESTION, blockSuggestionValue({ kind: 'join', ...mark }));
          else if (suggested.kind === 'split' && suggested.authorId === author.id && canJoin(out.doc, pos)) out.join(pos);
          // Someone else's suggested break, or one already to be removed, stays as it is.
        },
      });
    }
    // From the end, so that the positions before stay valid when own insertions and breaks go.
    for (const change of changes.sort((a, b) => b.at - a.at)) change.apply();
  }

  let mapping = out.mapping.slice(firstStep);
  let at = mapping.map(to, -1);
  if (!out.doc.resolve(at).parent.inlineContent) at = mapping.map(from, 1);
  const $at = out.doc.resolve(at);
  const insertable = $at.parent.inlineContent && $at.parent.type.allowsMarkType(insertionType);
  // Typing on from one's own insertion (or just after one's own suggested break) continues it; typing over a selection is one replacement.
  const ownBreak = $at.parentOffset === 0 ? breakOf($at.parent) : null;
  const adjacent = ownMark($at.nodeBefore, insertionType, author) ?? ownMark($at.nodeAfter, insertionType, author);
  const insertion =
    (adjacent && attributesOf(adjacent)) ??
    (ownBreak?.kind === 'split' && ownBreak.authorId === author.id ? { id: ownBreak.id, authorId: ownBreak.authorId, authorName: ownBreak.authorName, at: ownBreak.at } : null) ??
    (deletion ? { ...deletion } : { id: newId(), authorId: author.id, authorName: author.name, at: now });
  const mark = insertionType.create(insertion);

  const blocks = insertable ? suggestedBlocks(slice, mark, insertion) : null;
  if (blocks) {
    const before = out.steps.length;
    out.replace(at, at, blocks);
    if (out.steps.length > before) return at + blocks.size;
  }
  const text = insertedText(slice);
  if (text.length === 0) {
    if (out.steps.length === firstStep && to === from) return null;
    mapping = out.mapping.slice(firstStep);
    return caretWasAtEnd ? mapping.map(from, -1) : mapping.map(to, 1);
  }
  if (!insertable) return null;
  const nodes = text.map((node) => node.mark(mark.addToSet(node.marks.filter(notSuggestion))));
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
 * keeps insertions (their mark dropped) and removes deletions; rejecting does the reverse. A
 * suggested break goes as a deletion does (the two paragraphs joined) or stays as an insertion does
 * (its mark dropped). Returns whether there was any.
 */
export function decideSuggestions(tr: Transaction, ids: ReadonlySet<string> | null, verdict: 'accept' | 'reject'): boolean {
  const chosen = (id: string | undefined) => ids === null || (id !== undefined && ids.has(id));
  const removals: { from: number; to: number; join: boolean }[] = [];
  const unmarks: { from: number; to: number; mark: ProseMark }[] = [];
  const kept: number[] = [];
  tr.doc.descendants((node, pos, parent, index) => {
    const suggestedBreak = breakOf(node);
    if (suggestedBreak && chosen(suggestedBreak.id)) {
      const goes = (suggestedBreak.kind === 'split') === (verdict === 'reject');
      if (goes && index > 0 && parent?.child(index - 1).isTextblock) removals.push({ from: pos, to: pos, join: true });
      else kept.push(pos);
    }
    if (!node.isText) return true;
    for (const mark of node.marks) {
      if (mark.type.name !== INSERTION_MARK && mark.type.name !== DELETION_MARK) continue;
      if (!chosen(attributesOf(mark)?.id)) continue;
      const goes = (mark.type.name === INSERTION_MARK) === (verdict === 'reject');
      if (goes) removals.push({ from: pos, to: pos + node.nodeSize, join: false });
      else unmarks.push({ from: pos, to: pos + node.nodeSize, mark });
    }
    return false;
  });
  if (removals.length === 0 && unmarks.length === 0 && kept.length === 0) return false;
  for (const { from, to, mark } of unmarks) tr.removeMark(from, to, mark);
  for (const pos of kept) tr.setNodeAttribute(pos, BLOCK_SUGGESTION, null);
  // From the end, so that the positions before stay valid (a break's block's own text goes before the break).
  for (const { from, to, join } of removals.sort((a, b) => b.from - a.from)) {
    if (!join) tr.delete(from, to);
    else if (canJoin(tr.doc, from)) tr.join(from);
    else tr.setNodeAttribute(from, BLOCK_SUGGESTION, null);
  }
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

  /** A suggested paragraph break, on the paragraph or heading after it (`BLOCK_SUGGESTION`), drawn with a ¶ of its kind. */
  addGlobalAttributes() {
    return [
      {
        types: ['paragraph', 'heading'],
        attributes: {
          [BLOCK_SUGGESTION]: {
            default: null,
            // The paragraph made by Enter gets its own suggestion, or none.
            keepOnSplit: false,
            parseHTML: (element) => (blockSuggestionOf(element.getAttribute('data-suggestion')) ? element.getAttribute('data-suggestion') : null),
            renderHTML: (attributes) => {
              const suggestion = blockSuggestionOf(attributes[BLOCK_SUGGESTION]);
              if (!suggestion) return {};
              return {
                'data-suggestion': attributes[BLOCK_SUGGESTION],
                'data-suggested-break': suggestion.kind,
                'data-suggestion-id': suggestion.id,
                class: `suggested-break suggested-break--${suggestion.kind}`,
              };
            },
          },
        },
      },
    ];
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
