/**
 * What every proposal section's editor is made of: the rich text a programme's application form
 * takes (headings, lists, tables, links, bold, italic, underline, strike, quotes), bound to one
 * section's text in one language (a Y.XmlFragment of the proposal document), with the co-authors'
 * carets and selections drawn from the document's awareness.
 *
 * The node and mark names are those `shared/src/documents/rich-text.ts` reads for the exports and
 * the comparisons; a feature added here must be read there too.
 */
import type { AnyExtension } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { TableKit } from '@tiptap/extension-table';
import { Placeholder } from '@tiptap/extensions';
import StarterKit from '@tiptap/starter-kit';
import { fragmentAwareness } from './fragment-awareness.js';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

export interface SectionEditorBinding {
  /** The section's text in one language. */
  fragment: Y.XmlFragment;
  /** The awareness of the document's connection: where the co-authors' carets come from and go to. */
  awareness: Awareness;
  /** How this person's caret is labelled for the others (the server stamps the identity anyway). */
  user: { name: string; color: string };
  /** Shown in an empty section. */
  placeholder: string;
}

/** A co-author's caret: a coloured bar with their name above it. */
function caret(user: Record<string, unknown>): HTMLElement {
  const color = typeof user.color === 'string' ? user.color : '#555';
  const bar = document.createElement('span');
  bar.className = 'collaboration-carets__caret';
  bar.style.borderColor = color;
  const label = document.createElement('span');
  label.className = 'collaboration-carets__label';
  label.style.backgroundColor = color;
  label.textContent = typeof user.name === 'string' ? user.name : '';
  bar.append(label);
  return bar;
}

/** The extensions of a section's editor, before any feature-specific ones (comments, suggestions). */
export function baseExtensions(binding: SectionEditorBinding): AnyExtension[] {
  return [
    StarterKit.configure({
      // Undo goes through the Yjs binding (this person's own changes only).
      undoRedo: false,
      heading: { levels: [2, 3, 4] },
      code: false,
      codeBlock: false,
      horizontalRule: false,
      // Only addresses a reader may follow safely become links (the exports keep the same ones).
      link: { openOnClick: false, autolink: true, isAllowedUri: (url) => /^(https?:|mailto:)/i.test(url.trim()) },
    }),
    TableKit.configure({ table: { resizable: false } }),
    Placeholder.configure({ placeholder: binding.placeholder }),
    Collaboration.configure({ fragment: binding.fragment }),
    CollaborationCaret.configure({
      provider: { awareness: fragmentAwareness(binding.awareness, binding.fragment) },
      user: binding.user,
      render: caret,
      selectionRender: (user) => ({ nodeName: 'span', class: 'collaboration-carets__selection', style: `background-color: ${String(user.color ?? '#555')}33` }),
    }),
  ];
}
