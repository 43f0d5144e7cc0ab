/**
 * The board document: the Yjs schema every replica shares, with typed accessors so that no code
 * outside this folder touches raw keys.
 *
 * Layout (schema version 3):
 *   meta:    Y.Map   { schemaVersion: number }
 *   columns: Y.Map<columnId, Y.Map { title: string, position: string }>
 *   cards:   Y.Map<cardId, Y.Map { kind: 'note' | 'proposal', columnId: string, position: string,
 *                                  title: Y.Text, description: Y.Text, createdBy: string, createdAt: number,
 *                                  ...proposal fields (see `ProposalFields`) for proposals,
 *                                  but never the internal ones (budget: see `InternalDoc`),
 *                                  objectives, activities, impact: Y.Text,
 *                                  checklist: Y.Map<itemId, Y.Map { text, done, position }>,
 *                                  comments: Y.Map<commentId, Y.Map { authorId, authorName, text, at, mentions? }>,
 *                                  signOffs: Y.Map<'<gate>:<department>', SignOff> }>
 *   roadmap: Y.Map<itemId, Y.Map of `RoadmapItem` fields>
 *   actions: Y.Map<itemId, Y.Map of `ActionItem` fields>
 *   agenda:  Y.Map<itemId, Y.Map of `AgendaItem` fields>; voteRounds: Y.Map<roundId, Y.Map of `VoteRound` fields>
 *   plannedMeetings: Y.Map<meetingId, `PlannedMeeting` value> (see `meeting/planned.ts`; a board
 *            from before it has none, which reads as no meeting planned)
 *
 * Why maps keyed by id with fractional positions rather than Y.Arrays: a move is then a single
 * field write, so two people moving the same card concurrently end with one card in one place, never
 * a duplicate; titles and descriptions are Y.Text so concurrent typing merges character by character.
 */
import * as Y from 'yjs';
import { RecordCollection, validate, ValidationError } from '../domain/collection.js';
import { ActionItem, ProposalFields, RoadmapItem } from '../domain/records.js';
import { AgendaItem, VoteRound } from '../meeting/records.js';
import { PlannedMeetings } from '../meeting/planned.js';
import type { Department, ProposalStage } from '../domain/vocabulary.js';
import { missingSignOffs, signOffKey, type SignOff } from '../domain/workflow.js';
import { newId } from '../ids.js';
import { byPosition, positionAt, type Positioned } from './order.js';
import { readCard, readChecklist, readProposal, readProposalFields, readSignOffs } from './card-readers.js';

export { readProposalFields, readSignOffs };

/** The schema version this code reads and writes. */
export const BOARD_SCHEMA_VERSION = 3;

/** Maximum lengths, enforced by the UI and by `validateBoard`. */
export const LIMITS = { columnTitle: 120, cardTitle: 300, cardDescription: 20_000 } as const;

export interface ColumnView {
  id: string;
  title: string;
  position: string;
}

/** What a card is: a plain note, or a project proposal that goes through the workflow. */
export type CardKind = 'note' | 'proposal';

/** The collaborative text sections of a proposal. */
export const PROPOSAL_SECTIONS = ['objectives', 'activities', 'impact'] as const;
export type ProposalSection = (typeof PROPOSAL_SECTIONS)[number];

export interface ChecklistItemView {
  id: string;
  text: string;
  done: boolean;
  position: string;
}

export interface CommentView {
  id: string;
  authorId: string;
  authorName: string;
  text: string;
  /** ISO 8601. */
  at: string;
  /** Workspace members mentioned with @ in the text (resolved by the server when the comment was posted). */
  mentions: CommentMention[];
}

/** A person mentioned in a comment, with their name when it was posted (to highlight `@name`). */
export interface CommentMention {
  id: string;
  name: string;
}

/** A proposal card with its fields, sections, checklist, comments and sign-offs. */
export type ProposalView = CardView &
  ProposalFields & {
    sections: Record<ProposalSection, string>;
    checklist: ChecklistItemView[];
    comments: CommentView[];
    signOffs: SignOff[];
  };

/** A move to a stage whose gates are not signed; `missing` lists them. */
export class GateError extends Error {
  constructor(
    readonly target: ProposalStage,
    readonly missing: { gate: ProposalStage; departments: Department[] }[],
  ) {
    super(`Cannot move to ${target}: missing sign-offs ${missing.map((m) => `${m.gate}(${m.departments.join(', ')})`).join('; ')}`);
    this.name = 'GateError';
  }
}

export interface CardView {
  id: string;
  kind: CardKind;
  columnId: string;
  position: string;
  title: string;
  description: string;
  createdBy: string;
  createdAt: number;
}

type ColumnMap = Y.Map<string>;
type CardMap = Y.Map<unknown>;

/** The map at `id` of a map of records; anything else a client wrote there is no record. */
function mapAt<M>(records: { get(id: string): unknown }, id: string): M | undefined {
  const record = records.get(id);
  return record instanceof Y.Map ? (record as M) : undefined;
}

/** Visits every map of a map of records, passing over anything else a client wrote there. */
function eachMapIn<M>(records: { forEach(visit: (record: unknown, id: string) => void): void }, visit: (record: M, id: string) => void): void {
  records.forEach((record, id) => {
    if (record instanceof Y.Map) visit(record as M, id);
  });
}

/** Typed access to one board document. Mutations run in one transaction each. */
export class BoardDoc {
  readonly doc: Y.Doc;
  readonly meta: Y.Map<unknown>;
  readonly columns: Y.Map<ColumnMap>;
  readonly cards: Y.Map<CardMap>;
  readonly roadmap: RecordCollection<typeof RoadmapItem>;
  readonly actions: RecordCollection<typeof ActionItem>;
  /** The meeting agenda and the revealed dot votes (see `meeting/records.ts`). */
  readonly agenda: RecordCollection<typeof AgendaItem>;
  readonly voteRounds: RecordCollection<typeof VoteRound>;
  /** Meetings planned on the board, with their date, time and place. */
  readonly plannedMeetings: PlannedMeetings;

  constructor(doc: Y.Doc) {
    this.doc = doc;
    this.meta = doc.getMap('meta');
    this.columns = doc.getMap('columns') as Y.Map<ColumnMap>;
    this.cards = doc.getMap('cards') as Y.Map<CardMap>;
    this.roadmap = new RecordCollection(doc.getMap('roadmap') as Y.Map<Y.Map<unknown>>, RoadmapItem);
    this.actions = new RecordCollection(doc.getMap('actions') as Y.Map<Y.Map<unknown>>, ActionItem);
    this.agenda = new RecordCollection(doc.getMap('agenda') as Y.Map<Y.Map<unknown>>, AgendaItem);
    this.voteRounds = new RecordCollection(doc.getMap('voteRounds') as Y.Map<Y.Map<unknown>>, VoteRound);
    this.plannedMeetings = new PlannedMeetings(doc.getMap('plannedMeetings'));
  }

  /** The schema version stored in the document; 0 for a document never migrated. */
  get schemaVersion(): number {
    const version = this.meta.get('schemaVersion');
    return typeof version === 'number' ? version : 0;
  }

  /** Columns in display order. */
  listColumns(): ColumnView[] {
    const result: ColumnView[] = [];
    this.#eachColumn((column, id) => {
      result.push({ id, title: String(column.get('title') ?? ''), position: String(column.get('position') ?? '') });
    });
    return result.sort(byPosition);
  }

  /** One card, or undefined when it does not exist (or was deleted). */
  getCard(cardId: string): CardView | undefined {
    const card = this.#card(cardId);
    return card ? readCard(cardId, card) : undefined;
  }

  /** Cards of one column in display order. Cards whose column was deleted are not listed. */
  listCards(columnId: string): CardView[] {
    const result: CardView[] = [];
    this.#eachCard((card, id) => {
      if (card.get('columnId') === columnId) result.push(readCard(id, card));
    });
    return result.sort(byPosition);
  }

  /** Every card, grouped by column id, each group in display order. */
  cardsByColumn(): Map<string, CardView[]> {
    const groups = new Map<string, CardView[]>();
    this.#eachCard((card, id) => {
      const view = readCard(id, card);
      const group = groups.get(view.columnId);
      if (group) group.push(view);
      else groups.set(view.columnId, [view]);
    });
    for (const group of groups.values()) group.sort(byPosition);
    return groups;
  }

  /** Adds a column at the end (or at `index`) and returns its id. */
  addColumn(title: string, index?: number): string {
    const id = newId();
    const siblings = this.listColumns();
    this.doc.transact(() => {
      const column = new Y.Map<string>();
      column.set('title', title.slice(0, LIMITS.columnTitle));
      column.set('position', positionAt(siblings, index ?? siblings.length));
      this.columns.set(id, column);
    });
    return id;
  }

  renameColumn(columnId: string, title: string): void {
    this.#column(columnId)?.set('title', title.slice(0, LIMITS.columnTitle));
  }

  /** Moves a column to `index` among the other columns. */
  moveColumn(columnId: string, index: number): void {
    const column = this.#column(columnId);
    if (!column) return;
    const siblings = this.listColumns().filter((c) => c.id !== columnId);
    column.set('position', positionAt(siblings, index));
  }

  /** Deletes a column and its cards in one transaction, so one undo brings them all back. */
  deleteColumn(columnId: string): void {
    this.doc.transact(() => {
      for (const card of this.#cardPositionsIn(columnId)) this.cards.delete(card.id);
      this.columns.delete(columnId);
    });
  }

  /** Adds a card at the end of a column (or at `index`) and returns its id. */
  addCard(columnId: string, fields: { title: string; description?: string; createdBy: string }, index?: number): string {
    const id = newId();
    const siblings = this.#cardPositionsIn(columnId);
    this.doc.transact(() => {
      const card = new Y.Map<unknown>();
      card.set('kind', 'note');
      card.set('columnId', columnId);
      card.set('position', positionAt(siblings, index ?? siblings.length));
      card.set('title', new Y.Text(fields.title.slice(0, LIMITS.cardTitle)));
      card.set('description', new Y.Text((fields.description ?? '').slice(0, LIMITS.cardDescription)));
      card.set('createdBy', fields.createdBy);
      card.set('createdAt', Date.now());
      this.cards.set(id, card);
    });
    return id;
  }

  /** The collaborative text of a card's title, for editors that bind to it. */
  cardTitleText(cardId: string): Y.Text | undefined {
    const text = this.#card(cardId)?.get('title');
    return text instanceof Y.Text ? text : undefined;
  }

  /** The collaborative text of a card's description, for editors that bind to it. */
  cardDescriptionText(cardId: string): Y.Text | undefined {
    const text = this.#card(cardId)?.get('description');
    return text instanceof Y.Text ? text : undefined;
  }

  /** Moves a card to `index` in `columnId` (which may be its own column). */
  moveCard(cardId: string, columnId: string, index: number): void {
    const card = this.#card(cardId);
    if (!card || !this.columns.has(columnId)) return;
    const siblings = this.#cardPositionsIn(columnId).filter((c) => c.id !== cardId);
    this.doc.transact(() => {
      if (card.get('columnId') !== columnId) card.set('columnId', columnId);
      card.set('position', positionAt(siblings, index));
    });
  }

  deleteCard(cardId: string): void {
    this.cards.delete(cardId);
  }

  /** Adds a proposal card (stage `submitted` unless given) and returns its id. Throws `ValidationError`. */
  addProposal(
    columnId: string,
    input: { title: string; createdBy: string; description?: string; fields?: Partial<ProposalFields>; sections?: Partial<Record<ProposalSection, string>> },
    index?: number,
  ): string {
    const fields = validate(ProposalFields, input.fields ?? {});
    // Checked before writing anything: a Yjs transaction cannot be rolled back.
    const missing = missingSignOffs(fields, [], fields.stage);
    if (missing.length > 0) throw new GateError(fields.stage, missing);
    let id = '';
    this.doc.transact(() => {
      id = this.addCard(columnId, { title: input.title, description: input.description, createdBy: input.createdBy }, index);
      const card = this.#card(id)!;
      card.set('kind', 'proposal');
      for (const [key, value] of Object.entries(fields)) card.set(key, value);
      for (const section of PROPOSAL_SECTIONS) card.set(section, new Y.Text(input.sections?.[section] ?? ''));
      card.set('checklist', new Y.Map());
      card.set('comments', new Y.Map());
      card.set('signOffs', new Y.Map());
    });
    return id;
  }

  /** Turns a note into a proposal (stage `submitted`), keeping its title and description. */
  convertToProposal(cardId: string): void {
    const card = this.#card(cardId);
    if (!card || card.get('kind') === 'proposal') return;
    const fields = validate(ProposalFields, {});
    this.doc.transact(() => {
      card.set('kind', 'proposal');
      for (const [key, value] of Object.entries(fields)) if (!card.has(key)) card.set(key, value);
      for (const section of PROPOSAL_SECTIONS) if (!(card.get(section) instanceof Y.Text)) card.set(section, new Y.Text());
      for (const key of ['checklist', 'comments', 'signOffs']) if (!(card.get(key) instanceof Y.Map)) card.set(key, new Y.Map());
    });
  }

  /** A proposal with everything it holds, or undefined when the card is missing or not a proposal. */
  getProposal(cardId: string): ProposalView | undefined {
    const card = this.#card(cardId);
    if (!card || card.get('kind') !== 'proposal') return undefined;
    return readProposal(cardId, card);
  }

  /** Every proposal on the board (in no particular order; cards of deleted columns included). */
  listProposals(): ProposalView[] {
    const result: ProposalView[] = [];
    this.#eachCard((card, id) => {
      if (card.get('kind') === 'proposal') result.push(readProposal(id, card));
    });
    return result;
  }

  /** Updates structured fields of a proposal (not its stage: see `setProposalStage`). Throws `ValidationError`. */
  updateProposal(cardId: string, patch: Partial<Omit<ProposalFields, 'stage'>>): void {
    const card = this.#proposalMap(cardId);
    const current = readProposalFields(card);
    const next = validate(ProposalFields, { ...current, ...patch });
    this.doc.transact(() => {
      for (const key of Object.keys(patch) as (keyof ProposalFields)[]) {
        // A key that is not a proposal field (title, kind, signOffs...) would otherwise be written
        // as null over the card's own structure.
        if (key === 'stage' || !(key in ProposalFields.shape)) continue;
        if (JSON.stringify(card.get(key)) !== JSON.stringify(next[key])) card.set(key, next[key] ?? null);
      }
    });
  }

  /** Moves a proposal to a stage; throws `GateError` when a gate on the way lacks sign-offs. */
  setProposalStage(cardId: string, stage: ProposalStage): void {
    const card = this.#proposalMap(cardId);
    const proposal = readProposalFields(card);
    const missing = missingSignOffs(proposal, readSignOffs(card), stage);
    if (missing.length > 0) throw new GateError(stage, missing);
    if (card.get('stage') !== stage) card.set('stage', stage);
  }

  /** The collaborative text of a proposal section. */
  proposalSectionText(cardId: string, section: ProposalSection): Y.Text | undefined {
    const text = this.#card(cardId)?.get(section);
    return text instanceof Y.Text ? text : undefined;
  }

  /** Records a department's sign-off at a gate (replacing an earlier one by the same department). */
  signOff(cardId: string, signOff: SignOff): void {
    const signOffs = this.#nestedMap(cardId, 'signOffs');
    signOffs.set(signOffKey(signOff.gate, signOff.department), { ...signOff });
  }

  /** Withdraws a department's sign-off at a gate. */
  withdrawSignOff(cardId: string, gate: ProposalStage, department: Department): void {
    this.#nestedMap(cardId, 'signOffs').delete(signOffKey(gate, department));
  }

  addChecklistItem(cardId: string, text: string): string {
    const checklist = this.#nestedMap(cardId, 'checklist');
    const trimmed = text.trim().slice(0, 300);
    if (!trimmed) throw new ValidationError([{ path: 'text', message: 'validation.required' }]);
    const id = newId();
    const siblings = readChecklist(checklist);
    this.doc.transact(() => {
      const item = new Y.Map<unknown>();
      item.set('text', trimmed);
      item.set('done', false);
      item.set('position', positionAt(siblings, siblings.length));
      checklist.set(id, item);
    });
    return id;
  }

  setChecklistItem(cardId: string, itemId: string, patch: { text?: string; done?: boolean }): void {
    const item = this.#nestedMap(cardId, 'checklist').get(itemId);
    if (!(item instanceof Y.Map)) return;
    this.doc.transact(() => {
      if (patch.text !== undefined && patch.text.trim()) item.set('text', patch.text.trim().slice(0, 300));
      if (patch.done !== undefined) item.set('done', patch.done);
    });
  }

  deleteChecklistItem(cardId: string, itemId: string): void {
    this.#nestedMap(cardId, 'checklist').delete(itemId);
  }

  /** Adds a comment; comments are never edited in place, only added or deleted. */
  addComment(cardId: string, comment: { authorId: string; authorName: string; text: string; mentions?: CommentMention[] }): string {
    const text = comment.text.trim().slice(0, 5000);
    if (!text) throw new ValidationError([{ path: 'text', message: 'validation.required' }]);
    const id = newId();
    const fields = new Y.Map<unknown>();
    this.doc.transact(() => {
      fields.set('authorId', comment.authorId);
      fields.set('authorName', comment.authorName);
      fields.set('text', text);
      fields.set('at', new Date().toISOString());
      if (comment.mentions?.length) fields.set('mentions', comment.mentions.map((mention) => ({ id: mention.id, name: mention.name })));
      this.#nestedMap(cardId, 'comments').set(id, fields);
    });
    return id;
  }

  deleteComment(cardId: string, commentId: string): void {
    this.#nestedMap(cardId, 'comments').delete(commentId);
  }

  /*
   * Every read of the card and column maps goes through these: a client may have written anything
   * at a card's or column's key (the server removes it, `shape-guard.ts`, but a document written
   * before that, or a replica between the write and its removal, may still hold it), and a value
   * that is not a map is no card.
   */

  #card(cardId: string): CardMap | undefined {
    return mapAt<CardMap>(this.cards, cardId);
  }

  #eachCard(visit: (card: CardMap, id: string) => void): void {
    eachMapIn(this.cards, visit);
  }

  /**
   * The cards of a column as their order needs them (id and position), in display order: what a
   * card's new place is computed from, without reading every card's texts as `listCards` does.
   */
  #cardPositionsIn(columnId: string): Positioned[] {
    const result: Positioned[] = [];
    this.#eachCard((card, id) => {
      if (card.get('columnId') === columnId) result.push({ id, position: String(card.get('position') ?? '') });
    });
    return result.sort(byPosition);
  }

  #column(columnId: string): ColumnMap | undefined {
    return mapAt<ColumnMap>(this.columns, columnId);
  }

  #eachColumn(visit: (column: ColumnMap, id: string) => void): void {
    eachMapIn(this.columns, visit);
  }

  #proposalMap(cardId: string): CardMap {
    const card = this.#card(cardId);
    if (!card || card.get('kind') !== 'proposal') throw new ValidationError([{ path: '', message: 'validation.notFound' }]);
    return card;
  }

  #nestedMap(cardId: string, key: 'checklist' | 'comments' | 'signOffs'): Y.Map<any> {
    const card = this.#proposalMap(cardId);
    let map = card.get(key);
    if (!(map instanceof Y.Map)) {
      map = new Y.Map();
      card.set(key, map);
    }
    return map as Y.Map<any>;
  }
}
