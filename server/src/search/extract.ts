/**
 * What search indexes of each document: one entry per thing a result can link to (a card, a roadmap
 * or action item, a comment, a proposal's section, a partner, an agreement), with who may see it.
 * Read from the document alone, so a document is indexed whenever it changes without reading any
 * other.
 */
import * as Y from 'yjs';
import { BoardDoc, InternalDoc, PROPOSAL_SECTIONS, ProposalComments, ProposalDoc, WorkspaceDoc, parseProposalDocName, plainText } from '@passerelle/shared';
import { documentTarget } from '../documents/index.js';
import { indexableText } from './text.js';

/**
 * Who may find an entry: `shared`, anyone with a role on its board (members and the board's guests,
 * as the board and shared proposal documents); `internal`, members with a role on its board only
 * (internal notes, internal sections); `workspace`, every workspace member (partners, agreements).
 */
export type SearchAudience = 'shared' | 'internal' | 'workspace';

/** What an entry is, which also says where a result links to. */
export type IndexedKind =
  | 'proposal' // a proposal card (title, description, its sections written on the card)
  | 'note' // a note card
  | 'roadmap' // a roadmap item
  | 'action' // an action item
  | 'comment' // a comment on a card
  | 'section' // a section of a proposal's text (shared or internal document)
  | 'proposalComment' // a comment on a proposal's text
  | 'internal' // a proposal's internal notes and sign-off discussion, or the board's internal notes
  | 'partner'
  | 'agreement';

/** One indexed thing. */
export interface IndexEntry {
  /** Unique within its document (`card:<id>` for a card: other entries find their card's title by it). */
  key: string;
  boardId: string | null;
  /** The card the entry belongs to, when it is part of one (a comment, a section); null for a card itself. */
  cardId: string | null;
  /** What the result opens: the card, item, partner or agreement id (a section: its id). */
  itemId: string;
  kind: IndexedKind;
  audience: SearchAudience;
  title: string;
  body: string;
}

/** The entry key of a card, which the entries of its comments and proposal text refer to. */
export const cardKey = (cardId: string): string => `card:${cardId}`;

const join = (...parts: (string | null | undefined)[]) => parts.filter((part) => part && part.trim()).join('\n');

/** The entries of a document, by its name's kind; null when search indexes nothing of that kind. */
export function extractEntries(name: string, doc: Y.Doc): IndexEntry[] | null {
  const target = documentTarget(name);
  if (!target) return null;
  let entries: IndexEntry[];
  switch (target.kind.name) {
    case 'board':
      entries = boardEntries(target.boardId!, doc);
      break;
    case 'internal':
      entries = internalEntries(target.boardId!, doc);
      break;
    case 'proposal':
    case 'proposal_internal': {
      const parsed = parseProposalDocName(name)!;
      entries = proposalEntries(parsed.boardId, parsed.cardId, parsed.internal ? 'internal' : 'shared', doc);
      break;
    }
    case 'workspace':
      entries = workspaceEntries(doc);
      break;
    default:
      return null;
  }
  return entries.map((entry) => ({ ...entry, title: indexableText(entry.title), body: indexableText(entry.body) }));
}

/** Cards (of columns that exist: others are not shown), their comments, roadmap and action items. */
function boardEntries(boardId: string, doc: Y.Doc): IndexEntry[] {
  const board = new BoardDoc(doc);
  const entries: IndexEntry[] = [];
  const byColumn = board.cardsByColumn();
  for (const column of board.listColumns()) {
    for (const card of byColumn.get(column.id) ?? []) {
      const proposal = card.kind === 'proposal' ? board.getProposal(card.id) : undefined;
      const sections = proposal ? PROPOSAL_SECTIONS.map((section) => proposal.sections[section]) : [];
      entries.push({ key: cardKey(card.id), boardId, cardId: null, itemId: card.id, kind: card.kind, audience: 'shared', title: card.title, body: join(card.description, ...sections) });
      for (const comment of proposal?.comments ?? []) {
        entries.push({ key: `comment:${comment.id}`, boardId, cardId: card.id, itemId: comment.id, kind: 'comment', audience: 'shared', title: comment.authorName, body: comment.text });
      }
    }
  }
  for (const item of board.roadmap.list()) {
    entries.push({ key: `roadmap:${item.id}`, boardId, cardId: null, itemId: item.id, kind: 'roadmap', audience: 'shared', title: item.title, body: item.notes ?? '' });
  }
  for (const item of board.actions.list()) {
    entries.push({ key: `action:${item.id}`, boardId, cardId: null, itemId: item.id, kind: 'action', audience: 'shared', title: item.title, body: '' });
  }
  return entries;
}

const INTERNAL_ROOT = /^proposal\/([^/]+)\/(?:notes|discussion)$/;

/** The board's internal notes, and each proposal's internal notes and sign-off discussion. */
function internalEntries(boardId: string, doc: Y.Doc): IndexEntry[] {
  const internal = new InternalDoc(doc);
  const entries: IndexEntry[] = [];
  const boardNotes = internal.notes.toString();
  if (boardNotes.trim()) entries.push({ key: 'notes', boardId, cardId: null, itemId: boardId, kind: 'internal', audience: 'internal', title: '', body: boardNotes });
  const cardIds = new Set<string>();
  for (const root of doc.share.keys()) {
    const match = INTERNAL_ROOT.exec(root);
    if (match) cardIds.add(match[1]);
  }
  for (const cardId of cardIds) {
    const body = join(internal.proposalNotesText(cardId).toString(), ...internal.listDiscussion(cardId).map((entry) => entry.text));
    if (body) entries.push({ key: `proposal:${cardId}`, boardId, cardId, itemId: cardId, kind: 'internal', audience: 'internal', title: '', body });
  }
  return entries;
}

/** Each section's text in both languages, and the comments on it. */
function proposalEntries(boardId: string, cardId: string, audience: 'shared' | 'internal', doc: Y.Doc): IndexEntry[] {
  const proposal = new ProposalDoc(doc);
  const entries: IndexEntry[] = [];
  for (const section of proposal.list()) {
    const texts = (['fr', 'en'] as const).map((language) => {
      const fragment = proposal.text(section.id, language);
      return fragment ? plainText(fragment) : '';
    });
    const title = section.title.fr === section.title.en ? section.title.fr : join(section.title.fr, section.title.en).replace('\n', ' · ');
    entries.push({ key: `section:${section.id}`, boardId, cardId, itemId: section.id, kind: 'section', audience, title, body: join(...texts) });
  }
  for (const comment of new ProposalComments(doc).list()) {
    const body = join(comment.text, ...comment.replies.map((reply) => reply.text));
    entries.push({ key: `comment:${comment.id}`, boardId, cardId, itemId: comment.id, kind: 'proposalComment', audience, title: comment.authorName, body });
  }
  return entries;
}

/** Partners (names, city, specialties, contacts, notes) and agreements (title, notes). */
function workspaceEntries(doc: Y.Doc): IndexEntry[] {
  const workspace = new WorkspaceDoc(doc);
  const entries: IndexEntry[] = [];
  for (const partner of workspace.partners.list()) {
    const body = join(partner.localName, partner.city, partner.erasmusCode, partner.specialties.join(', '), ...partner.contacts.map((contact) => `${contact.name} ${contact.role}`), partner.notes);
    entries.push({ key: `partner:${partner.id}`, boardId: null, cardId: null, itemId: partner.id, kind: 'partner', audience: 'workspace', title: partner.name, body });
  }
  for (const agreement of workspace.agreements.list()) {
    entries.push({ key: `agreement:${agreement.id}`, boardId: null, cardId: null, itemId: agreement.id, kind: 'agreement', audience: 'workspace', title: agreement.title, body: agreement.notes ?? '' });
  }
  return entries;
}
