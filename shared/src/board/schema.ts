/**
 * The board document: the Yjs schema every replica shares, with typed accessors so that no code
 * outside this folder touches raw keys.
 *
 * Layout (schema version 1):
 *   meta:    Y.Map   { schemaVersion: number }
 *   columns: Y.Map<columnId, Y.Map { title: string, position: string }>
 *   cards:   Y.Map<cardId, Y.Map { columnId: string, position: string, title: Y.Text,
 *                                  description: Y.Text, createdBy: string, createdAt: number }>
 *
 * Why maps keyed by id with fractional positions rather than Y.Arrays: a move is then a single
 * field write, so two people moving the same card concurrently end with one card in one place, never
 * a duplicate; titles and descriptions are Y.Text so concurrent typing merges character by character.
 */
import * as Y from 'yjs';
import { newId } from '../ids.js';
import { byPosition, positionAt } from './order.js';

/** The schema version this code reads and writes. */
export const BOARD_SCHEMA_VERSION = 1;

/** Maximum lengths, enforced by the UI and by `validateBoard`. */
export const LIMITS = { columnTitle: 120, cardTitle: 300, cardDescription: 20_000 } as const;

export interface ColumnView {
  id: string;
  title: string;
  position: string;
}

export interface CardView {
  id: string;
  columnId: string;
  position: string;
  title: string;
  description: string;
  createdBy: string;
  createdAt: number;
}

type ColumnMap = Y.Map<string>;
type CardMap = Y.Map<unknown>;

/** Typed access to one board document. Mutations run in one transaction each. */
export class BoardDoc {
  readonly doc: Y.Doc;
  readonly meta: Y.Map<unknown>;
  readonly columns: Y.Map<ColumnMap>;
  readonly cards: Y.Map<CardMap>;

  constructor(doc: Y.Doc) {
    this.doc = doc;
    this.meta = doc.getMap('meta');
    this.columns = doc.getMap('columns') as Y.Map<ColumnMap>;
    this.cards = doc.getMap('cards') as Y.Map<CardMap>;
  }

  /** The schema version stored in the document; 0 for a document never migrated. */
  get schemaVersion(): number {
    const version = this.meta.get('schemaVersion');
    return typeof version === 'number' ? version : 0;
  }

  /** Columns in display order. */
  listColumns(): ColumnView[] {
    const result: ColumnView[] = [];
    this.columns.forEach((column, id) => {
      result.push({ id, title: String(column.get('title') ?? ''), position: String(column.get('position') ?? '') });
    });
    return result.sort(byPosition);
  }

  /** One card, or undefined when it does not exist (or was deleted). */
  getCard(cardId: string): CardView | undefined {
    const card = this.cards.get(cardId);
    return card ? readCard(cardId, card) : undefined;
  }

  /** Cards of one column in display order. Cards whose column was deleted are not listed. */
  listCards(columnId: string): CardView[] {
    const result: CardView[] = [];
    this.cards.forEach((card, id) => {
      if (card.get('columnId') === columnId) result.push(readCard(id, card));
    });
    return result.sort(byPosition);
  }

  /** Every card, grouped by column id, each group in display order. */
  cardsByColumn(): Map<string, CardView[]> {
    const groups = new Map<string, CardView[]>();
    this.cards.forEach((card, id) => {
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
    this.columns.get(columnId)?.set('title', title.slice(0, LIMITS.columnTitle));
  }

  /** Moves a column to `index` among the other columns. */
  moveColumn(columnId: string, index: number): void {
    const column = this.columns.get(columnId);
    if (!column) return;
    const siblings = this.listColumns().filter((c) => c.id !== columnId);
    column.set('position', positionAt(siblings, index));
  }

  /** Deletes a column and its cards in one transaction, so one undo brings them all back. */
  deleteColumn(columnId: string): void {
    this.doc.transact(() => {
      for (const card of this.listCards(columnId)) this.cards.delete(card.id);
      this.columns.delete(columnId);
    });
  }

  /** Adds a card at the end of a column (or at `index`) and returns its id. */
  addCard(columnId: string, fields: { title: string; description?: string; createdBy: string }, index?: number): string {
    const id = newId();
    const siblings = this.listCards(columnId);
    this.doc.transact(() => {
      const card = new Y.Map<unknown>();
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
    const text = this.cards.get(cardId)?.get('title');
    return text instanceof Y.Text ? text : undefined;
  }

  /** The collaborative text of a card's description, for editors that bind to it. */
  cardDescriptionText(cardId: string): Y.Text | undefined {
    const text = this.cards.get(cardId)?.get('description');
    return text instanceof Y.Text ? text : undefined;
  }

  /** Moves a card to `index` in `columnId` (which may be its own column). */
  moveCard(cardId: string, columnId: string, index: number): void {
    const card = this.cards.get(cardId);
    if (!card || !this.columns.has(columnId)) return;
    const siblings = this.listCards(columnId).filter((c) => c.id !== cardId);
    this.doc.transact(() => {
      if (card.get('columnId') !== columnId) card.set('columnId', columnId);
      card.set('position', positionAt(siblings, index));
    });
  }

  deleteCard(cardId: string): void {
    this.cards.delete(cardId);
  }
}

function readCard(id: string, card: CardMap): CardView {
  const title = card.get('title');
  const description = card.get('description');
  return {
    id,
    columnId: String(card.get('columnId') ?? ''),
    position: String(card.get('position') ?? ''),
    title: title instanceof Y.Text ? title.toString() : String(title ?? ''),
    description: description instanceof Y.Text ? description.toString() : String(description ?? ''),
    createdBy: String(card.get('createdBy') ?? ''),
    createdAt: Number(card.get('createdAt') ?? 0),
  };
}
