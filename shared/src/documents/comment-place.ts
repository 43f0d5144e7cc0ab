/**
 * Where comments on a proposal's text stand in it now: a section's text in one language read once
 * from Yjs as plain text, each comment's anchors (encoded Yjs relative positions) located in it, and
 * the anchors that tie a comment to the place its words were found again. Yjs only: the comments panel
 * reads it without an editor, and the server re-ties comments after each person's edit.
 */
import * as Y from 'yjs';
import { decodeAnchor, encodeAnchor } from './proposal-comments.js';

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
   * was deleted, with the ranges of the blocks beside where it was when Yjs still knows (until the end
   * of the transaction that deleted it: then it forgets what a deleted block held); `elsewhere` when
   * it is in another text or no anchor.
   */
  #resolve(anchor: string): { point: TextPoint; offset: number } | { gone: true; where: [number, number][] } | 'elsewhere' {
    const ydoc = this.fragment.doc;
    const relative = decodeAnchor(anchor);
    if (!ydoc || !relative) return 'elsewhere';
    const absolute = Y.createAbsolutePositionFromRelativePosition(relative, ydoc);
    if (!absolute) return { gone: true, where: [] };
    const point = { type: absolute.type as Y.AbstractType<unknown>, index: absolute.index };
    const offset = this.offsetOf(point);
    if (offset !== null) return { point, offset };
    // In a deleted block: climb to the deleted node whose parent is still in this text, and take its place there.
    let deleted = false;
    for (let node = point.type; node._item; ) {
      deleted ||= node._item.deleted;
      const parent = node._item.parent;
      if (!(parent instanceof Y.AbstractType)) break;
      const boundaries = this.#boundaries.get(parent as Y.AbstractType<unknown>);
      if (boundaries) {
        if (!deleted) break;
        let index = 0;
        for (let left = node._item.left; left; left = left.left) if (!left.deleted && left.countable) index++;
        // The blocks on either side of where it was: the binding inserts a rewritten block just before the one it deletes.
        const where: [number, number][] = [];
        if (index > 0) where.push([boundaries[index - 1], boundaries[index]]);
        if (index < boundaries.length - 1) where.push([boundaries[index], boundaries[index + 1]]);
        return { gone: true, where };
      }
      node = parent as Y.AbstractType<unknown>;
    }
    return 'elsewhere';
  }

  /**
   * Where a comment's words are now; null when they were deleted (or its anchors are not in this text).
   * The Yjs binding writes some edits around words as deleting and re-inserting them (splitting their
   * paragraph before them, changing their block's type: a paragraph made a heading or put in a list),
   * which leaves the words in the text but not the characters the anchors are tied to. So when the
   * anchors enclose nothing any more, the comment is on its quote if it stands near where they
   * collapsed, or in a block beside where their deleted block was; and when nothing tells where, on
   * its quote if it stands once in the whole text.
   */
  locate(anchors: { start: string; end: string; quote?: string }): CommentPlace | null {
    const from = this.#resolve(anchors.start);
    const to = this.#resolve(anchors.end);
    if (from === 'elsewhere' || to === 'elsewhere') return null;
    if ('point' in from && 'point' in to) {
      const text = to.offset > from.offset ? this.plain.slice(from.offset, to.offset).replace(/\n+$/, '') : '';
      if (text.trim()) return { from: from.point, to: to.point, offset: from.offset, text, moved: false };
    }
    const quote = anchors.quote?.trim() ?? '';
    if ('point' in from || 'point' in to) return this.#findQuote(quote, 'point' in from ? from.offset : (to as { offset: number }).offset);
    for (const [start, end] of [...from.where, ...to.where]) {
      const index = this.plain.slice(start, end).indexOf(quote);
      if (quote && index >= 0) return this.#placeAt(start + index, quote);
    }
    return this.#findQuote(quote, null);
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
    return best === null ? null : this.#placeAt(best, quote);
  }

  /** The place of `quote` found at `offset`. */
  #placeAt(offset: number, quote: string): CommentPlace | null {
    const first = this.#points[offset];
    const last = this.#points[offset + quote.length - 1];
    if (!first || !last) return null;
    return { from: first, to: { type: last.type, index: last.index + 1 }, offset, text: quote, moved: true };
  }
}

/**
 * The anchors of a place: the start tied to its first character (text typed before it stays out),
 * the end to its last (text typed after it stays out), as a selection's anchors are.
 */
export function anchorsOfPlace(place: Pick<CommentPlace, 'from' | 'to'>): { start: string; end: string } {
  return {
    start: encodeAnchor(Y.createRelativePositionFromTypeIndex(place.from.type, place.from.index, 0)),
    end: encodeAnchor(Y.createRelativePositionFromTypeIndex(place.to.type, place.to.index, -1)),
  };
}
