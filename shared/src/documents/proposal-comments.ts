/**
 * Comments on a proposal's text, anchored to a range of one section in one language by Yjs relative
 * positions, so that they stay on their words while people write around them. They live in the
 * proposal document that holds the section (shared or internal), under its root map `comments`:
 *   comments: Y.Map<commentId, Y.Map {
 *     sectionId, language, start, end (base64 of encoded Yjs relative positions), quote,
 *     authorId, authorName, text, mentions: CommentMention[], createdAt,
 *     resolvedAt: string | null, resolvedBy: string | null,
 *     replies: Y.Array<Reply>
 *   }>
 * The server writes them (through the API), so that commenters, who may not edit, can comment too.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { Locale } from '../api.js';
import type { ProposalLanguage } from './proposal.js';

/** A person a comment or a reply names with @. */
const Mention = z.object({ id: z.string(), name: z.string() });

export const ProposalCommentReply = z.object({
  id: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  text: z.string(),
  mentions: z.array(Mention),
  createdAt: z.string(),
});
export type ProposalCommentReply = z.infer<typeof ProposalCommentReply>;

export interface ProposalCommentView {
  id: string;
  sectionId: string;
  language: ProposalLanguage;
  /** Where the commented range starts and ends (base64 of `Y.encodeRelativePosition`). */
  start: string;
  end: string;
  /** The words commented on, as they were when the comment was made. */
  quote: string;
  authorId: string;
  authorName: string;
  text: string;
  mentions: { id: string; name: string }[];
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  replies: ProposalCommentReply[];
}

/** A relative position as the API and the document carry it. */
export function encodeAnchor(position: Y.RelativePosition): string {
  let binary = '';
  for (const byte of Y.encodeRelativePosition(position)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The relative position an anchor string holds; null when it is not one. */
export function decodeAnchor(anchor: string): Y.RelativePosition | null {
  try {
    const binary = atob(anchor);
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return Y.decodeRelativePosition(bytes);
  } catch {
    return null;
  }
}

/** Whether `type` is `ancestor` or lies inside it. */
function isWithin(type: Y.AbstractType<unknown> | null, ancestor: Y.AbstractType<unknown>): boolean {
  for (let node = type; node; node = node.parent as Y.AbstractType<unknown> | null) if (node === ancestor) return true;
  return false;
}

/** Where an anchor stands now in `doc`: the text node and the index in it; null when it does not resolve inside `text`. */
export function resolveAnchor(doc: Y.Doc, anchor: string, text: Y.XmlFragment): { type: Y.AbstractType<unknown>; index: number } | null {
  const position = decodeAnchor(anchor);
  if (!position) return null;
  const absolute = Y.createAbsolutePositionFromRelativePosition(position, doc);
  if (!absolute || !isWithin(absolute.type as Y.AbstractType<unknown>, text as unknown as Y.AbstractType<unknown>)) return null;
  return { type: absolute.type as Y.AbstractType<unknown>, index: absolute.index };
}

function read(id: string, map: Y.Map<unknown>): ProposalCommentView | null {
  const string = (key: string) => {
    const value = map.get(key);
    return typeof value === 'string' ? value : null;
  };
  const language = Locale.safeParse(map.get('language'));
  const sectionId = string('sectionId');
  const start = string('start');
  const end = string('end');
  if (!language.success || sectionId === null || start === null || end === null) return null;
  const replies = map.get('replies');
  const mentions = z.array(Mention).safeParse(map.get('mentions'));
  return {
    id,
    sectionId,
    language: language.data,
    start,
    end,
    quote: string('quote') ?? '',
    authorId: string('authorId') ?? '',
    authorName: string('authorName') ?? '',
    text: string('text') ?? '',
    mentions: mentions.success ? mentions.data : [],
    createdAt: string('createdAt') ?? '',
    resolvedAt: string('resolvedAt'),
    resolvedBy: string('resolvedBy'),
    replies:
      replies instanceof Y.Array
        ? replies.toArray().flatMap((reply) => {
            const parsed = ProposalCommentReply.safeParse(reply);
            return parsed.success ? [parsed.data] : [];
          })
        : [],
  };
}

/** The comments of one proposal document. */
export class ProposalComments {
  readonly map: Y.Map<Y.Map<unknown>>;

  constructor(readonly doc: Y.Doc) {
    this.map = doc.getMap('comments') as Y.Map<Y.Map<unknown>>;
  }

  /** Every comment (of a section, when given), oldest first; malformed entries skipped. */
  list(sectionId?: string): ProposalCommentView[] {
    const comments: ProposalCommentView[] = [];
    this.map.forEach((entry, id) => {
      const view = entry instanceof Y.Map ? read(id, entry) : null;
      if (view && (sectionId === undefined || view.sectionId === sectionId)) comments.push(view);
    });
    return comments.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  get(id: string): ProposalCommentView | null {
    const entry = this.map.get(id);
    return entry instanceof Y.Map ? read(id, entry) : null;
  }

  add(id: string, comment: Omit<ProposalCommentView, 'id' | 'resolvedAt' | 'resolvedBy' | 'replies'>): void {
    const entry = new Y.Map<unknown>();
    this.doc.transact(() => {
      for (const [key, value] of Object.entries(comment)) entry.set(key, value);
      entry.set('resolvedAt', null);
      entry.set('resolvedBy', null);
      entry.set('replies', new Y.Array<unknown>());
      this.map.set(id, entry);
    });
  }

  reply(id: string, reply: ProposalCommentReply): boolean {
    const replies = this.map.get(id)?.get('replies');
    if (!(replies instanceof Y.Array)) return false;
    replies.push([reply]);
    return true;
  }

  /** Ties a comment to other anchors (its words found again after an edit re-inserted them). */
  reanchor(id: string, anchors: { start: string; end: string }): boolean {
    const entry = this.map.get(id);
    if (!(entry instanceof Y.Map)) return false;
    this.doc.transact(() => {
      entry.set('start', anchors.start);
      entry.set('end', anchors.end);
    });
    return true;
  }

  /** Marks a comment resolved (by name, at a time), or reopens it with `null`. */
  setResolved(id: string, resolved: { by: string; at: string } | null): boolean {
    const entry = this.map.get(id);
    if (!(entry instanceof Y.Map)) return false;
    this.doc.transact(() => {
      entry.set('resolvedAt', resolved?.at ?? null);
      entry.set('resolvedBy', resolved?.by ?? null);
    });
    return true;
  }

  delete(id: string): boolean {
    if (!this.map.has(id)) return false;
    this.map.delete(id);
    return true;
  }
}
