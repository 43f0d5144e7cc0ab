/**
 * The internal document of a board: what the school keeps to itself (internal notes, budgets, the
 * sign-off discussion). It is a separate Yjs document, synced at `/sync/<boardId>/internal`
 * (`internalDocName`), that guest connections can never load: a partner's browser never receives
 * it, and the board document a partner syncs holds only what may be shared.
 *
 * Layout (internal schema version 1), every part a root-level type:
 *   meta:                          Y.Map  { schemaVersion: number }
 *   notes:                         Y.Text the board's internal notes
 *   proposal/<cardId>:             Y.Map  { ...internal proposal fields (see `INTERNAL_PROPOSAL_FIELDS`) }
 *   proposal/<cardId>/notes:       Y.Text the proposal's internal notes
 *   proposal/<cardId>/discussion:  Y.Map<commentId, Y.Map { authorId, authorName, text, at }>
 *
 * Why root-level types named by card id rather than one map of per-card maps: the internal part of
 * a card is created lazily, by whoever first writes to it, and two members often open the same
 * proposal together. Two nested containers set concurrently under the same key would leave only one
 * (and the other person's first words would vanish); root types are named, not created, so
 * concurrent first writes merge. Internal content outlives a deleted card, so undoing the deletion
 * finds it again.
 */
import * as Y from 'yjs';
import { validate, ValidationError } from '../domain/collection.js';
import { InternalProposalFields } from '../domain/records.js';
import { newId } from '../ids.js';
import { readAuthoredEntries } from './card-readers.js';

/** The internal schema version this code reads and writes. */
export const INTERNAL_SCHEMA_VERSION = 1;

/**
 * The proposal fields marked internal: the one definition of what moves out of the shareable board
 * document. The server can refuse a board-document update that writes any of them onto a card.
 */
export const INTERNAL_PROPOSAL_FIELDS = Object.keys(InternalProposalFields.shape) as readonly (keyof InternalProposalFields)[];

/** Maximum lengths, enforced by the UI and by the accessors. */
export const INTERNAL_LIMITS = { notes: 20_000, comment: 5000 } as const;

/** One entry of a proposal's sign-off discussion. */
export interface DiscussionEntryView {
  id: string;
  authorId: string;
  authorName: string;
  text: string;
  /** ISO 8601. */
  at: string;
}

/** Everything internal about one proposal. */
export type InternalProposalView = InternalProposalFields & {
  cardId: string;
  notes: string;
  discussion: DiscussionEntryView[];
};

const proposalName = (cardId: string) => `proposal/${cardId}`;
const proposalNotesName = (cardId: string) => `proposal/${cardId}/notes`;
const discussionName = (cardId: string) => `proposal/${cardId}/discussion`;
const ROOT_NAME = /^proposal\/([^/]+)(?:\/(notes|discussion))?$/;

/** Typed access to one board's internal document. Mutations run in one transaction each. */
export class InternalDoc {
  readonly doc: Y.Doc;
  readonly meta: Y.Map<unknown>;
  /** The board's internal notes, for editors that bind to them. */
  readonly notes: Y.Text;

  constructor(doc: Y.Doc) {
    this.doc = doc;
    this.meta = doc.getMap('meta');
    this.notes = doc.getText('notes');
  }

  /** The schema version stored in the document; 0 for a document never migrated. */
  get schemaVersion(): number {
    const version = this.meta.get('schemaVersion');
    return typeof version === 'number' ? version : 0;
  }

  /** The internal fields of a proposal, with defaults for anything missing or invalid. */
  proposalFields(cardId: string): InternalProposalFields {
    const map = this.#fieldsMap(cardId);
    const result = InternalProposalFields.parse({});
    const shape = InternalProposalFields.shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
    // Each field on its own: one damaged value does not hide the others.
    for (const key of INTERNAL_PROPOSAL_FIELDS) {
      const field = shape[key].safeParse(map.get(key) ?? undefined);
      if (field.success) (result as Record<string, unknown>)[key] = field.data;
    }
    return result;
  }

  /** Whether `field` was ever written for this proposal (a cleared value counts: someone decided it). */
  hasProposalField(cardId: string, field: keyof InternalProposalFields): boolean {
    return this.#fieldsMap(cardId).has(field);
  }

  /** Updates internal fields of a proposal, writing only those that changed. Throws `ValidationError`. */
  updateProposal(cardId: string, patch: Partial<InternalProposalFields>): void {
    const map = this.#fieldsMap(cardId);
    const next = validate(InternalProposalFields, { ...this.proposalFields(cardId), ...patch });
    this.doc.transact(() => {
      for (const key of Object.keys(patch) as (keyof InternalProposalFields)[]) {
        // Anything that is not an internal field is ignored rather than written next to them.
        if (!INTERNAL_PROPOSAL_FIELDS.includes(key)) continue;
        const value = next[key] ?? null;
        if (!map.has(key) || JSON.stringify(map.get(key)) !== JSON.stringify(value)) map.set(key, value);
      }
    });
  }

  /** The collaborative text of a proposal's internal notes. */
  proposalNotesText(cardId: string): Y.Text {
    return this.doc.getText(proposalNotesName(cardId));
  }

  /** The proposal's sign-off discussion, oldest first. */
  listDiscussion(cardId: string): DiscussionEntryView[] {
    return readAuthoredEntries<DiscussionEntryView>(this.#discussionMap(cardId));
  }

  /** Adds an entry to the sign-off discussion; entries are never edited, only added or deleted. Throws `ValidationError`. */
  addDiscussionEntry(cardId: string, entry: { authorId: string; authorName: string; text: string; at?: string }): string {
    const text = entry.text.trim().slice(0, INTERNAL_LIMITS.comment);
    if (!text) throw new ValidationError([{ path: 'text', message: 'validation.required' }]);
    const id = newId();
    this.doc.transact(() => {
      const item = new Y.Map<unknown>();
      item.set('authorId', entry.authorId);
      item.set('authorName', entry.authorName);
      item.set('text', text);
      item.set('at', entry.at ?? new Date().toISOString());
      this.#discussionMap(cardId).set(id, item);
    });
    return id;
  }

  deleteDiscussionEntry(cardId: string, entryId: string): void {
    this.#discussionMap(cardId).delete(entryId);
  }

  /** Everything internal about one proposal (defaults when nothing was written yet). */
  getProposal(cardId: string): InternalProposalView {
    return {
      cardId,
      ...this.proposalFields(cardId),
      notes: this.proposalNotesText(cardId).toString(),
      discussion: this.listDiscussion(cardId),
    };
  }

  /** The shared types that hold a proposal's internal part, e.g. to put them in an undo scope. */
  proposalTypes(cardId: string): Y.AbstractType<any>[] {
    return [this.#fieldsMap(cardId), this.proposalNotesText(cardId), this.#discussionMap(cardId)];
  }

  /**
   * The proposals whose internal part a transaction changed, and whether it changed the board's
   * notes: lets a view re-read only what changed.
   */
  changedBy(transaction: Y.Transaction): { cardIds: Set<string>; notes: boolean } {
    const names = new Map<Y.AbstractType<any>, string>();
    this.doc.share.forEach((type, name) => names.set(type, name));
    const cardIds = new Set<string>();
    let notes = false;
    for (const changed of transaction.changed.keys()) {
      let root: Y.AbstractType<any> = changed;
      while (root._item?.parent instanceof Y.AbstractType) root = root._item.parent;
      const name = names.get(root);
      if (name === 'notes') notes = true;
      const match = name ? ROOT_NAME.exec(name) : null;
      if (match) cardIds.add(match[1]);
    }
    return { cardIds, notes };
  }

  #fieldsMap(cardId: string): Y.Map<unknown> {
    return this.doc.getMap(proposalName(cardId));
  }

  #discussionMap(cardId: string): Y.Map<unknown> {
    return this.doc.getMap(discussionName(cardId));
  }
}
