/**
 * Suggesting mode in a proposal section's rich text: a person proposes an insertion or a deletion,
 * which shows as a marked change until an editor (or the section's owner) accepts or rejects it.
 *
 * Two marks of the editor (y-prosemirror stores a mark as a formatting attribute of the Y.XmlText,
 * named after the mark, its value the mark's attributes):
 *   `insertion`  text proposed to be added;
 *   `deletion`   text proposed to be removed (it stays in the document until accepted).
 * Both carry a `SuggestionMark`: `id` (one suggestion; a run of marks may share it, and a replacement
 * is a deletion and an insertion under one id), `authorId`, `authorName`, `at` (ISO time).
 *
 * A paragraph break is suggested on the block after it (a paragraph or a heading): its `suggestion`
 * attribute (`BLOCK_SUGGESTION`) holds a `BlockSuggestion` as JSON, `split` for a break proposed to
 * be added (Enter, a paste of several paragraphs), `join` for one proposed to be removed (a deletion
 * across two paragraphs). It belongs to the suggestion of its `id`, decided with its text.
 *
 * What exports, comparisons and character counts read is the text as agreed so far: without pending
 * insertions, with pending deletions (`isAgreedText`).
 */
import * as Y from 'yjs';
import { z } from 'zod';
import type { ProposalLanguage } from './proposal.js';

/** The mark of text proposed to be added. */
export const INSERTION_MARK = 'insertion';
/** The mark of text proposed to be removed. */
export const DELETION_MARK = 'deletion';
export const SUGGESTION_MARKS = [INSERTION_MARK, DELETION_MARK] as const;
export type SuggestionMarkName = (typeof SUGGESTION_MARKS)[number];

/** The attributes of a suggestion mark. */
export const SuggestionMark = z.object({
  id: z.string().min(1).max(64),
  authorId: z.string().min(1).max(64),
  authorName: z.string().max(200),
  at: z.string().max(40),
});
export type SuggestionMark = z.infer<typeof SuggestionMark>;

/** The attribute of a paragraph or heading that holds a suggested paragraph break before it. */
export const BLOCK_SUGGESTION = 'suggestion';
/** How a suggested paragraph break reads in a suggestion's text (lists of suggestions). */
export const PARAGRAPH_BREAK = '¶';

/** A suggested paragraph break before a block: added (`split`) or removed (`join`). */
export const BlockSuggestion = SuggestionMark.extend({ kind: z.enum(['split', 'join']) });
export type BlockSuggestion = z.infer<typeof BlockSuggestion>;

/** The suggested break a block's `suggestion` attribute holds, when it holds a well-formed one. */
export function blockSuggestionOf(value: unknown): BlockSuggestion | null {
  if (typeof value !== 'string' || value === '') return null;
  try {
    const parsed = BlockSuggestion.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A block's `suggestion` attribute for a suggested break (a string: the editor's binding stores attributes as they are and compares them by value). */
export function blockSuggestionValue(suggestion: BlockSuggestion): string {
  const { kind, id, authorId, authorName, at } = suggestion;
  return JSON.stringify({ kind, id, authorId, authorName, at });
}

/** A suggested break as a run of the suggestions' text: `PARAGRAPH_BREAK` under the mark of its kind. */
export function blockSuggestionRun(suggestion: BlockSuggestion): MarkedRun {
  const { kind, ...mark } = suggestion;
  return { text: PARAGRAPH_BREAK, attributes: { [kind === 'split' ? INSERTION_MARK : DELETION_MARK]: mark } };
}

/** A suggestion adds text, removes it, or replaces some by other (a deletion and an insertion under one id). */
export type SuggestionKind = 'insertion' | 'deletion' | 'replacement';

/** A suggestion waiting for a decision, as lists and the suggestions bar show it. */
export interface PendingSuggestion {
  id: string;
  kind: SuggestionKind;
  authorId: string;
  authorName: string;
  /** When it was first made (the earliest mark's time). */
  at: string;
  /** The text it would add ('' for a deletion). */
  inserted: string;
  /** The text it would remove ('' for an insertion). */
  deleted: string;
  /** Where it is, when listed for a whole proposal. */
  sectionId?: string;
  language?: ProposalLanguage;
}

/** The suggestion mark of one kind among a run's formatting attributes, when it is a well-formed one. */
export function suggestionMarkOf(attributes: Readonly<Record<string, unknown>> | undefined, mark: SuggestionMarkName): SuggestionMark | null {
  const value = attributes?.[mark];
  if (value === undefined || value === null) return null;
  const parsed = SuggestionMark.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * Whether a run of text belongs to the text as agreed so far: every run but a pending insertion
 * (any value of the `insertion` attribute counts, well-formed or not, so that nobody's proposed
 * text reaches an export by a malformed mark). A pending deletion is still agreed text.
 */
export function isAgreedText(attributes: Readonly<Record<string, unknown>> | undefined): boolean {
  const insertion = attributes?.[INSERTION_MARK];
  return insertion === undefined || insertion === null;
}

/** The text of a Y.XmlText as agreed so far (pending insertions left out). */
export function agreedText(text: Y.XmlText): string {
  let result = '';
  for (const op of text.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert === 'string' && isAgreedText(op.attributes)) result += op.insert;
  }
  return result;
}

/**
 * Whether a run of text would remain were every pending suggestion accepted: every run but a
 * pending deletion (a run both inserted and deleted by suggestions goes too).
 */
export function isAcceptedText(attributes: Readonly<Record<string, unknown>> | undefined): boolean {
  const deletion = attributes?.[DELETION_MARK];
  return deletion === undefined || deletion === null;
}

/** The text of a Y.XmlText as it would read were every pending suggestion accepted (pending deletions left out). */
export function acceptedText(text: Y.XmlText): string {
  let result = '';
  for (const op of text.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert === 'string' && isAcceptedText(op.attributes)) result += op.insert;
  }
  return result;
}

/** Adds one run to the suggestions found so far, in document order of first appearance. */
function collect(found: Map<string, PendingSuggestion>, text: string, attributes: Record<string, unknown> | undefined, where: Pick<PendingSuggestion, 'sectionId' | 'language'>): void {
  for (const mark of SUGGESTION_MARKS) {
    const attrs = suggestionMarkOf(attributes, mark);
    if (!attrs) continue;
    let suggestion = found.get(attrs.id);
    if (!suggestion) {
      suggestion = { id: attrs.id, kind: mark, authorId: attrs.authorId, authorName: attrs.authorName, at: attrs.at, inserted: '', deleted: '', ...where };
      found.set(attrs.id, suggestion);
    }
    if (mark === INSERTION_MARK) suggestion.inserted += text;
    else suggestion.deleted += text;
    if (suggestion.kind !== mark) suggestion.kind = 'replacement';
    if (attrs.at < suggestion.at) suggestion.at = attrs.at;
  }
}

/** Walks the texts under a node in document order, and the blocks holding a suggested break before them. */
function visitTexts(node: Y.XmlFragment | Y.XmlElement, visit: (text: Y.XmlText) => void, visitBreak: (suggestion: BlockSuggestion) => void): void {
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) visit(child);
    else if (child instanceof Y.XmlElement) {
      const suggestion = blockSuggestionOf(child.getAttribute(BLOCK_SUGGESTION));
      if (suggestion) visitBreak(suggestion);
      visitTexts(child, visit, visitBreak);
    }
  }
}

/** A run of text with its formatting attributes (a Yjs delta's insert, or the editor's text node with its marks). */
export interface MarkedRun {
  text: string;
  attributes?: Record<string, unknown>;
}

/**
 * The pending suggestions of runs of text in document order, one per id, in the order they first
 * appear. `where` is copied onto each (the section and language, for lists over a proposal).
 */
export function suggestionsOfRuns(runs: Iterable<MarkedRun>, where: { sectionId?: string; language?: ProposalLanguage } = {}): PendingSuggestion[] {
  const found = new Map<string, PendingSuggestion>();
  const place: Pick<PendingSuggestion, 'sectionId' | 'language'> = {};
  if (where.sectionId !== undefined) place.sectionId = where.sectionId;
  if (where.language !== undefined) place.language = where.language;
  for (const run of runs) if (run.text !== '') collect(found, run.text, run.attributes, place);
  return [...found.values()];
}

/** The pending suggestions of a rich text (one language of a section); see `suggestionsOfRuns`. */
export function pendingSuggestions(fragment: Y.XmlFragment, where: { sectionId?: string; language?: ProposalLanguage } = {}): PendingSuggestion[] {
  const runs: MarkedRun[] = [];
  visitTexts(fragment, (text) => {
    for (const op of text.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[]) {
      if (typeof op.insert === 'string') runs.push(op.attributes ? { text: op.insert, attributes: op.attributes } : { text: op.insert });
    }
  }, (suggestion) => runs.push(blockSuggestionRun(suggestion)));
  return suggestionsOfRuns(runs, where);
}

/** What `proposalSuggestions` reads of a proposal document. */
export interface SuggestionSource {
  list(): { id: string }[];
  text(sectionId: string, language: ProposalLanguage): Y.XmlFragment | null;
}

/** The pending suggestions of a whole proposal document, section by section (in their order), French then English. */
export function proposalSuggestions(proposal: SuggestionSource): PendingSuggestion[] {
  return proposal.list().flatMap(({ id }) =>
    (['fr', 'en'] as const).flatMap((language) => {
      const fragment = proposal.text(id, language);
      return fragment ? pendingSuggestions(fragment, { sectionId: id, language }) : [];
    }),
  );
}
