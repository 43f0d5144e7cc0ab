/**
 * Comments in a section's editor: the words each open comment is about are highlighted, and a
 * selection becomes the anchors of a new comment.
 *
 * A comment's range is stored as two Yjs relative positions (`start`, `end`, encoded with
 * `encodeAnchor`) in the section's text, so it stays on its words while co-authors write around it:
 * the start sticks to the range's first character and the end to its last, so text typed just before
 * or just after the range stays outside it, and text typed inside it joins it. When every word of the
 * range is deleted the range collapses and the comment is shown as about deleted text (unless its
 * quote is found again where the words were: see `SectionText.locate` in `shared/`).
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
import { SectionText, encodeAnchor, type TextPoint } from '@passerelle/shared';
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
