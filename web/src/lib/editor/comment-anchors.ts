/**
 * Comments in a section's editor: the words each open comment is about are highlighted, and a
 * selection becomes the anchors of a new comment.
 *
 * A comment's range is stored as two Yjs relative positions (`start`, `end`, encoded with
 * `encodeAnchor`) in the section's text, so it stays on its words while co-authors write around it:
 * the start sticks to the range's first character and the end to its last, so text typed just before
 * or just after the range stays outside it, and text typed inside it joins it. When every word of the
 * range is deleted the range collapses and the comment is shown as about deleted text (unless its
 * quote is found again where the words were: see `SectionText.locate`).
 *
 * Mounting, next to `baseExtensions(binding)`:
 *   CommentAnchors.configure({
 *     fragment: binding.fragment,
 *     // the section's comments in this language (`ProposalCommentView`s, their quote included)
 *     getComments: () => comments.map((comment) => ({ ...comment, resolved: comment.resolvedAt !== null })),
 *     activeId: () => activeCommentId,
 *     onActivate: (id) => (activeCommentId = id),
 *   })
 * The highlights follow the text by themselves; call `editor.commands.refreshCommentAnchors()`
 * whenever the list of comments, one's resolution or the active one changes (comments arrive by
 * sync in the document's `comments` map, which the editor does not watch).
 * To comment on a selection: `selectionAnchor(editor, fragment)` gives the panel's `pending`; to
 * show an active comment's words: `editorCommentRange(editor, fragment, comment)`.
 *
 * In the page, each highlighted range is a `<span class="comment-anchor" data-comment-id="…">`
 * (`comment-anchor comment-anchor--active` for the active comment); `ProposalCommentsPanel` styles them.
 */
import { Extension, type Editor } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import { decodeAnchor, encodeAnchor } from '@passerelle/shared';
import * as Y from 'yjs';

/** The Yjs binding's map from the Yjs text's nodes to the editor's (`ySyncPluginKey.getState(state).binding.mapping`). */
export type ProsemirrorMapping = Parameters<typeof relativePositionToAbsolutePosition>[3];

/** What the highlights need to know of a comment. */
export interface CommentAnchor {
  id: string;
  /** Encoded relative positions of the range's start and end (`ProposalCommentView.start`/`end`). */
  start: string;
  end: string;
  /** Resolved comments are not highlighted. */
  resolved: boolean;
  /** The words commented on when the comment was made: where they are found again when the anchors collapsed (see `SectionText.locate`). */
  quote?: string;
}

export interface CommentAnchorsOptions {
  /** The section's text in one language, the same fragment the editor's Collaboration extension is bound to. */
  fragment: Y.XmlFragment | null;
  /** The comments to highlight, read again at every refresh (the open ones are highlighted). Default: none. */
  getComments: () => readonly CommentAnchor[];
  /** The comment shown as active (highlighted more strongly), read at every refresh. Default: none. */
  activeId: () => string | null;
  /** Called with a comment's id when the person clicks its highlighted words. */
  onActivate?: (id: string) => void;
}

/** The meta a transaction carries (`tr.setMeta(REFRESH_COMMENT_ANCHORS, true)`) to have the highlights recomputed from the anchors. */
export const REFRESH_COMMENT_ANCHORS = 'refreshCommentAnchors';

/** The class of a highlighted range, and the one added for the active comment. */
export const COMMENT_ANCHOR_CLASS = 'comment-anchor';
export const ACTIVE_COMMENT_ANCHOR_CLASS = 'comment-anchor--active';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    commentAnchors: {
      /** Recomputes the highlights from the comments' anchors (after comments or the active one changed). */
      refreshCommentAnchors: () => ReturnType;
    };
  }
}

/** Where the highlights are kept: the decorations, and whether the text changed locally since they were computed. */
export interface AnchorsState {
  decorations: DecorationSet;
  /** Set after a local edit: the decorations were only mapped through it, and the anchors are read again once the edit reached Yjs. */
  stale: boolean;
}

export const commentAnchorsKey = new PluginKey<AnchorsState>('commentAnchors');

/**
 * The ProseMirror position of a place in the Yjs text bound to `fragment`, through the binding's
 * mapping; null when the mapping does not know its node (not rendered yet).
 */
export function editorPosition(fragment: Y.XmlFragment, mapping: ProsemirrorMapping, point: TextPoint): number | null {
  if (!fragment.doc) return null;
  // Expressed from the index, not from the character the comment was tied to: y-tiptap takes a
  // position tied to a character that ends up first in the text (the words before it deleted) for a
  // misresolved block move and drops it, while a comment there is still on its words.
  const relative = Y.createRelativePositionFromTypeIndex(point.type, point.index, -1);
  return relativePositionToAbsolutePosition(fragment.doc, fragment, relative, mapping);
}

/**
 * Where a comment's words are in the ProseMirror document bound to `text`'s fragment: a non-empty
 * range, or null when its words were deleted or its anchors are not in this text.
 */
export function commentRange(
  text: SectionText,
  mapping: ProsemirrorMapping,
  anchors: { start: string; end: string; quote?: string },
): { from: number; to: number } | null {
  const place = text.locate(anchors);
  if (!place) return null;
  const from = editorPosition(text.fragment, mapping, place.from);
  const to = editorPosition(text.fragment, mapping, place.to);
  if (from === null || to === null || to <= from) return null;
  return { from, to };
}

/**
 * The anchors of the ProseMirror range `from`–`to` of the document bound to `fragment`: the start
 * tied to the range's first character (text typed before it stays out), the end to its last (text
 * typed after it stays out).
 */
export function rangeAnchors(fragment: Y.XmlFragment, mapping: ProsemirrorMapping, from: number, to: number): { start: string; end: string } | null {
  const ydoc = fragment.doc;
  if (!ydoc || to <= from) return null;
  const startBefore = Y.createAbsolutePositionFromRelativePosition(absolutePositionToRelativePosition(from, fragment, mapping) as Y.RelativePosition, ydoc);
  const end = absolutePositionToRelativePosition(to, fragment, mapping) as Y.RelativePosition;
  if (!startBefore) return null;
  // y-tiptap ties every position to the character before it; a range's start belongs to the character after.
  const start = Y.createRelativePositionFromTypeIndex(startBefore.type, startBefore.index, 0);
  return { start: encodeAnchor(start), end: encodeAnchor(end) };
}

/** The longest quote the API keeps with a comment. */
const MAX_QUOTE = 1000;

/** The text of a ProseMirror range as a comment quotes it: blocks separated by a line break, cut to what the API keeps. */
export function quoteOf(doc: ProseMirrorNode, from: number, to: number): string {
  const text = doc.textBetween(from, to, '\n', '\n').trim();
  return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE - 1)}…` : text;
}

/**
 * The current selection of a section's editor as the anchors and quote of a new comment; null when
 * nothing (or only spaces) is selected, or the editor is not bound to `fragment` yet.
 */
export function selectionAnchor(editor: Editor, fragment: Y.XmlFragment): { start: string; end: string; quote: string } | null {
  const { state } = editor;
  const { from, to, empty } = state.selection;
  const mapping = bindingMapping(state);
  if (empty || !mapping) return null;
  const quote = quoteOf(state.doc, from, to);
  if (!quote) return null;
  let anchors: { start: string; end: string } | null;
  try {
    anchors = rangeAnchors(fragment, mapping, from, to);
  } catch {
    // y-tiptap throws when its mapping lags the document (a render under way): nothing to comment on yet.
    anchors = null;
  }
  return anchors ? { ...anchors, quote } : null;
}

/**
 * Where a comment's words are in a section's editor now, to bring them into view when the comment is
 * made active (`editor.chain().setTextSelection(range).scrollIntoView().run()`); null when they were deleted.
 */
export function editorCommentRange(editor: Editor, fragment: Y.XmlFragment, anchors: { start: string; end: string; quote?: string }): { from: number; to: number } | null {
  const mapping = bindingMapping(editor.state);
  return mapping ? commentRange(new SectionText(fragment), mapping, anchors) : null;
}

/** The Yjs binding's mapping between the fragment's nodes and the editor's; null before the binding rendered. */
function bindingMapping(state: EditorState): ProsemirrorMapping | null {
  const sync = ySyncPluginKey.getState(state) as { binding?: { mapping?: ProsemirrorMapping } } | undefined;
  return sync?.binding?.mapping ?? null;
}

/** The highlights of the open comments, from their anchors, in `state`'s document. */
function highlights(state: EditorState, options: CommentAnchorsOptions): DecorationSet {
  const { fragment } = options;
  const mapping = bindingMapping(state);
  if (!fragment?.doc || !mapping) return DecorationSet.empty;
  const activeId = options.activeId();
  const size = state.doc.content.size;
  const decorations: Decoration[] = [];
  const open = options.getComments().filter((comment) => !comment.resolved);
  const text = open.length > 0 ? new SectionText(fragment) : null;
  for (const comment of open) {
    const range = commentRange(text!, mapping, comment);
    if (!range || range.to > size) continue;
    const active = comment.id === activeId;
    decorations.push(
      Decoration.inline(
        range.from,
        range.to,
        { class: active ? `${COMMENT_ANCHOR_CLASS} ${ACTIVE_COMMENT_ANCHOR_CLASS}` : COMMENT_ANCHOR_CLASS, 'data-comment-id': comment.id },
        // Like the anchors: what is typed at either edge stays outside the range.
        { inclusiveStart: false, inclusiveEnd: false, commentId: comment.id, active },
      ),
    );
  }
  return DecorationSet.create(state.doc, decorations);
}

/** The comment whose highlighted words are at `pos` (the shortest range when comments overlap): the one a click there activates. */
export function commentAt(decorations: DecorationSet, pos: number): string | null {
  let best: { id: string; length: number } | null = null;
  for (const decoration of decorations.find(pos, pos)) {
    const id = (decoration.spec as { commentId?: string }).commentId;
    const length = decoration.to - decoration.from;
    if (id && (!best || length < best.length)) best = { id, length };
  }
  return best?.id ?? null;
}

/**
 * The ProseMirror plugin of `CommentAnchors`, for an editor bound to `options.fragment` by the Yjs
 * sync plugin (whose binding's mapping it reads).
 */
export function commentAnchorsPlugin(options: CommentAnchorsOptions): Plugin<AnchorsState> {
  return new Plugin<AnchorsState>({
    key: commentAnchorsKey,
    state: {
      init: (_, state) => ({ decorations: highlights(state, options), stale: false }),
      apply: (tr, previous, _old, state) => {
        const sync = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
        // A change that came from Yjs (a co-author's edit, the first render) has already
        // updated the binding's mapping, so the anchors can be read now.
        if (tr.getMeta(REFRESH_COMMENT_ANCHORS) || sync?.isChangeOrigin) return { decorations: highlights(state, options), stale: false };
        // A local edit reaches Yjs only after this transaction: follow it now, read the anchors after
        // (when there is something to follow: no open comment, no second transaction per keystroke).
        if (tr.docChanged) return { decorations: previous.decorations.map(tr.mapping, tr.doc), stale: previous.decorations !== DecorationSet.empty };
        return previous;
      },
    },
    view: () => {
      let scheduled = false;
      return {
        update: (view) => {
          if (scheduled || !commentAnchorsKey.getState(view.state)?.stale) return;
          scheduled = true;
          // After every plugin view ran, the sync plugin's included: the edit is in Yjs by then.
          queueMicrotask(() => {
            scheduled = false;
            if (!view.isDestroyed && commentAnchorsKey.getState(view.state)?.stale) {
              view.dispatch(view.state.tr.setMeta(REFRESH_COMMENT_ANCHORS, true).setMeta('addToHistory', false));
            }
          });
        },
      };
    },
    props: {
      decorations: (state) => commentAnchorsKey.getState(state)?.decorations ?? DecorationSet.empty,
      handleClick: (view, pos, event) => {
        const highlight = event.target instanceof Element ? event.target.closest(`.${COMMENT_ANCHOR_CLASS}`) : null;
        if (!options.onActivate || !highlight) return false;
        // Overlapping highlights share their spans (ProseMirror keeps one data-comment-id): the shortest range wins.
        const decorations = commentAnchorsKey.getState(view.state)?.decorations ?? DecorationSet.empty;
        const id = commentAt(decorations, pos) ?? highlight.getAttribute('data-comment-id');
        if (id) options.onActivate(id);
        // The caret still goes where the person clicked.
        return false;
      },
    },
  });
}

/** Highlights the open comments' words in a section's editor; see the module's documentation. */
export const CommentAnchors = Extension.create<CommentAnchorsOptions>({
  name: 'commentAnchors',

  addOptions() {
    return { fragment: null, getComments: () => [], activeId: () => null, onActivate: undefined };
  },

  addCommands() {
    return {
      refreshCommentAnchors:
        () =>
        ({ tr, dispatch }) => {
          if (dispatch) tr.setMeta(REFRESH_COMMENT_ANCHORS, true).setMeta('addToHistory', false);
          return true;
        },
    };
  },

  addProseMirrorPlugins() {
    return [commentAnchorsPlugin(this.options)];
  },
});

/** A place in a section's Yjs text: before the `index`-th character of a text node, or the `index`-th child of an element. */
export interface TextPoint {
  type: Y.AbstractType<unknown>;
  index: number;
}

/** Where a comment's words are now in a section's text. */
export interface CommentPlace {
  from: TextPoint;
  to: TextPoint;
  /** How many characters of the text come before the words (to list comments in the order of the text). */
  offset: number;
  /** The words (blocks separated by a line break). */
  text: string;
  /** True when the anchors had collapsed and the words were found again by their quote (see `locate`). */
  moved: boolean;
}

/** How far (in characters) from where its anchors collapsed a comment's quote is looked for. */
const QUOTE_SEARCH_DISTANCE = 1000;

/**
 * A section's text read once from Yjs as plain text (blocks separated by a line break), to find where
 * comments' anchors stand in it. Reads Yjs only, so the comments panel can use it without an editor.
 */
export class SectionText {
  /** The whole text. */
  readonly plain: string;
  /** Where each character is in Yjs (null for the line breaks between blocks). */
  readonly #points: (TextPoint | null)[] = [];
  /** The offset in `plain` of each text node's first character, and of each element's child boundaries. */
  readonly #textStarts = new Map<Y.AbstractType<unknown>, number>();
  readonly #boundaries = new Map<Y.AbstractType<unknown>, number[]>();

  constructor(readonly fragment: Y.XmlFragment) {
    let plain = '';
    const visit = (node: Y.XmlFragment | Y.XmlElement) => {
      const boundaries: number[] = [];
      this.#boundaries.set(node as unknown as Y.AbstractType<unknown>, boundaries);
      node.toArray().forEach((child, index) => {
        boundaries.push(plain.length);
        if (child instanceof Y.XmlText) {
          const type = child as unknown as Y.AbstractType<unknown>;
          this.#textStarts.set(type, plain.length);
          // Embedded objects count as one character in Yjs, as here.
          const chars = child.toDelta().map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : '\uFFFC')).join('');
          for (let i = 0; i < chars.length; i++) this.#points.push({ type, index: i });
          plain += chars;
        } else if (child instanceof Y.XmlElement) {
          if (child.nodeName === 'hardBreak') {
            this.#points.push({ type: node as unknown as Y.AbstractType<unknown>, index });
            plain += '\n';
          } else {
            visit(child);
            // A block ends: the next block's words start on a new line.
            if (plain && !plain.endsWith('\n')) {
              this.#points.push(null);
              plain += '\n';
            }
          }
        }
      });
      boundaries.push(plain.length);
    };
    visit(fragment);
    this.plain = plain;
  }

  /** The offset in `plain` of a place in Yjs; null when it is not in this text. */
  offsetOf(point: TextPoint): number | null {
    const textStart = this.#textStarts.get(point.type);
    if (textStart !== undefined) return textStart + point.index;
    return this.#boundaries.get(point.type)?.[point.index] ?? null;
  }

  /**
   * Where an encoded anchor stands in this text: its place and offset; `gone` when the block it was in
   * was deleted (Yjs forgets what a deleted block held, so where it was too); `elsewhere` when it is in
   * another text or no anchor.
   */
  #resolve(anchor: string): { point: TextPoint; offset: number } | 'gone' | 'elsewhere' {
    const ydoc = this.fragment.doc;
    const relative = decodeAnchor(anchor);
    if (!ydoc || !relative) return 'elsewhere';
    const absolute = Y.createAbsolutePositionFromRelativePosition(relative, ydoc);
    if (!absolute) return 'gone';
    const point = { type: absolute.type as Y.AbstractType<unknown>, index: absolute.index };
    const offset = this.offsetOf(point);
    return offset === null ? 'elsewhere' : { point, offset };
  }

  /**
   * Where a comment's words are now; null when they were deleted (or its anchors are not in this text).
   * The Yjs binding writes some edits around words as deleting and re-inserting them (splitting their
   * paragraph before them, changing their block's type: a paragraph made a heading or put in a list),
   * which leaves the words in the text but not the characters the anchors are tied to. So when the
   * anchors enclose nothing any more, the comment is on its quote if it stands near where they
   * collapsed; and when their block is gone, on its quote if it stands once in the whole text.
   */
  locate(anchors: { start: string; end: string; quote?: string }): CommentPlace | null {
    const from = this.#resolve(anchors.start);
    const to = this.#resolve(anchors.end);
    if (from === 'elsewhere' || to === 'elsewhere') return null;
    if (from !== 'gone' && to !== 'gone') {
      const text = to.offset > from.offset ? this.plain.slice(from.offset, to.offset).replace(/\n+$/, '') : '';
      if (text.trim()) return { from: from.point, to: to.point, offset: from.offset, text, moved: false };
    }
    const near = from !== 'gone' ? from.offset : to !== 'gone' ? to.offset : null;
    return this.#findQuote(anchors.quote?.trim() ?? '', near);
  }

  /** The occurrence of `quote` nearest to `near` within the search distance; with no `near`, its only occurrence. */
  #findQuote(quote: string, near: number | null): CommentPlace | null {
    if (!quote) return null;
    const occurrences: number[] = [];
    for (let index = this.plain.indexOf(quote); index >= 0; index = this.plain.indexOf(quote, index + 1)) occurrences.push(index);
    let best: number | null = null;
    if (near === null) best = occurrences.length === 1 ? occurrences[0] : null;
    else {
      for (const index of occurrences) {
        if (Math.abs(index - near) <= QUOTE_SEARCH_DISTANCE && (best === null || Math.abs(index - near) < Math.abs(best - near))) best = index;
      }
    }
    if (best === null) return null;
    const first = this.#points[best];
    const last = this.#points[best + quote.length - 1];
    if (!first || !last) return null;
    return { from: first, to: { type: last.type, index: last.index + 1 }, offset: best, text: quote, moved: true };
  }
}
