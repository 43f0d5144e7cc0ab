/**
 * Highlights the characters of a section's text beyond its character limit, counted as the
 * programme counts (`countCharacters`: characters including spaces, block by block, a line break
 * counting one), so a writer sees exactly which words do not fit.
 *
 * The count is of the text as it would be submitted today, as the section's live count shows it:
 * a pending suggested insertion is not counted (nor highlighted) until it is accepted, and a pending
 * suggested deletion still counts until it is accepted.
 */
import { Extension } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { INSERTION_MARK } from '@passerelle/shared';

export interface OverLimitOptions {
  /** The section's limit, read each time the text changes (it may change too); null for none. */
  limit: () => number | null;
}

const overLimitKey = new PluginKey<DecorationSet>('overLimit');

/** Whether a text node is a pending suggested insertion, which the programme does not count yet. */
function isPendingInsertion(node: ProseMirrorNode): boolean {
  return node.marks.some((mark) => mark.type.name === INSERTION_MARK);
}

/** The position where the character after the first `limit` ones starts, or null when the text fits. */
export function overLimitStart(doc: ProseMirrorNode, limit: number): number | null {
  let counted = 0;
  let start: number | null = null;
  doc.descendants((node, position) => {
    if (start !== null) return false;
    if (node.isText) {
      if (isPendingInsertion(node)) return false;
      let offset = 0;
      for (const character of node.text ?? '') {
        if (counted === limit) {
          start = position + offset;
          return false;
        }
        counted += 1;
        offset += character.length;
      }
      return false;
    }
    if (node.type.name === 'hardBreak') {
      if (counted === limit) start = position;
      counted += 1;
    }
    return true;
  });
  return start;
}

function decorations(doc: ProseMirrorNode, limit: number | null): DecorationSet {
  if (limit === null) return DecorationSet.empty;
  const start = overLimitStart(doc, limit);
  if (start === null) return DecorationSet.empty;
  const found: Decoration[] = [];
  doc.nodesBetween(start, doc.content.size, (node, position) => {
    if (!node.isText || isPendingInsertion(node)) return !node.isText;
    const from = Math.max(start, position);
    const to = position + node.nodeSize;
    if (to > from) found.push(Decoration.inline(from, to, { class: 'over-limit', 'data-over-limit': 'true' }));
    return false;
  });
  return DecorationSet.create(doc, found);
}

export const OverLimit = Extension.create<OverLimitOptions>({
  name: 'overLimit',
  addOptions() {
    return { limit: () => null };
  },
  addProseMirrorPlugins() {
    const limit = this.options.limit;
    return [
      new Plugin<DecorationSet>({
        key: overLimitKey,
        state: {
          init: (_, state) => decorations(state.doc, limit()),
          apply: (transaction, previous, _, state) =>
            transaction.docChanged || transaction.getMeta(overLimitKey) ? decorations(state.doc, limit()) : previous.map(transaction.mapping, state.doc),
        },
        props: {
          decorations: (state) => overLimitKey.getState(state),
        },
      }),
    ];
  },
});
