/**
 * Reads of a card's Y.Map into plain views, each field on its own: one damaged value (another
 * client may have written anything) falls back to its default without hiding the others.
 */
import * as Y from 'yjs';
import { ProposalFields } from '../domain/records.js';
import type { SignOff } from '../domain/workflow.js';
import { byPosition } from './order.js';
import { PROPOSAL_SECTIONS, type CardView, type ChecklistItemView, type CommentMention, type CommentView, type ProposalSection, type ProposalView } from './schema.js';

type CardMap = Y.Map<unknown>;

/** The structured fields of a proposal card, with defaults for anything missing or invalid. */
export function readProposalFields(card: Y.Map<unknown>): ProposalFields {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ProposalFields.shape)) raw[key] = card.get(key) ?? undefined;
  const parsed = ProposalFields.safeParse(raw);
  if (parsed.success) return parsed.data;
  // Keep every field that is valid on its own; default the rest.
  const fallback = ProposalFields.parse({});
  const shape = ProposalFields.shape as unknown as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
  for (const key of Object.keys(shape)) {
    const field = shape[key].safeParse(raw[key]);
    if (field.success) (fallback as Record<string, unknown>)[key] = field.data;
  }
  return fallback;
}

/** The sign-offs recorded on a proposal card. */
export function readSignOffs(card: Y.Map<unknown>): SignOff[] {
  const map = card.get('signOffs');
  if (!(map instanceof Y.Map)) return [];
  const result: SignOff[] = [];
  map.forEach((value: unknown) => {
    const s = value as Partial<SignOff> | null;
    if (s && typeof s.gate === 'string' && typeof s.department === 'string' && typeof s.userId === 'string') {
      result.push({ gate: s.gate, department: s.department, userId: s.userId, userName: String(s.userName ?? ''), at: String(s.at ?? '') } as SignOff);
    }
  });
  return result.sort((a, b) => a.at.localeCompare(b.at));
}

/** The items of a proposal's checklist, in order. */
export function readChecklist(map: unknown): ChecklistItemView[] {
  if (!(map instanceof Y.Map)) return [];
  const items: ChecklistItemView[] = [];
  map.forEach((item: unknown, id: string) => {
    if (item instanceof Y.Map) {
      items.push({ id, text: String(item.get('text') ?? ''), done: item.get('done') === true, position: String(item.get('position') ?? '') });
    }
  });
  return items.sort(byPosition);
}

/** What every message written on a card holds: its comments, its internal sign-off discussion. */
interface AuthoredEntry {
  id: string;
  authorId: string;
  authorName: string;
  text: string;
  at: string;
}

/**
 * The messages of a card kept in a map by id (comments, the sign-off discussion), oldest first (by
 * time, then id): who wrote each, what and when, and what `more` reads of its other fields.
 */
export function readAuthoredEntries<T extends AuthoredEntry>(
  map: unknown,
  more: (item: Y.Map<unknown>) => Omit<T, keyof AuthoredEntry> = () => ({}) as Omit<T, keyof AuthoredEntry>,
): T[] {
  if (!(map instanceof Y.Map)) return [];
  const entries: T[] = [];
  map.forEach((item: unknown, id: string) => {
    if (!(item instanceof Y.Map)) return;
    const entry: AuthoredEntry = {
      id,
      authorId: String(item.get('authorId') ?? ''),
      authorName: String(item.get('authorName') ?? ''),
      text: String(item.get('text') ?? ''),
      at: String(item.get('at') ?? ''),
    };
    entries.push({ ...entry, ...more(item) } as T);
  });
  return entries.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

function readComments(map: unknown): CommentView[] {
  return readAuthoredEntries<CommentView>(map, (item) => ({ mentions: readMentions(item.get('mentions')) }));
}

/** The mentions stored with a comment; anything malformed (another client's) is left out. */
function readMentions(value: unknown): CommentMention[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (mention): mention is CommentMention => typeof mention?.id === 'string' && typeof mention?.name === 'string',
  ).map((mention) => ({ id: mention.id, name: mention.name }));
}

/** A proposal card as a view: its card fields, proposal fields, sections, checklist, comments and sign-offs. */
export function readProposal(id: string, card: CardMap): ProposalView {
  const sections = {} as Record<ProposalSection, string>;
  for (const section of PROPOSAL_SECTIONS) {
    const text = card.get(section);
    sections[section] = text instanceof Y.Text ? text.toString() : '';
  }
  return {
    ...readCard(id, card),
    ...readProposalFields(card),
    sections,
    checklist: readChecklist(card.get('checklist')),
    comments: readComments(card.get('comments')),
    signOffs: readSignOffs(card),
  };
}

/** A card as a view, whatever its kind. */
export function readCard(id: string, card: CardMap): CardView {
  const title = card.get('title');
  const description = card.get('description');
  return {
    id,
    kind: card.get('kind') === 'proposal' ? 'proposal' : 'note',
    columnId: String(card.get('columnId') ?? ''),
    position: String(card.get('position') ?? ''),
    title: title instanceof Y.Text ? title.toString() : String(title ?? ''),
    description: description instanceof Y.Text ? description.toString() : String(description ?? ''),
    createdBy: String(card.get('createdBy') ?? ''),
    createdAt: Number(card.get('createdAt') ?? 0),
  };
}
