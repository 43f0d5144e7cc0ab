/**
 * What the board's views show, derived from the board document: its columns, the cards of each
 * column in order, its proposals, roadmap items and action items. Each list follows its own part of
 * the document (`SyncedDoc.versionOf`), so a change elsewhere leaves it, and the views showing it,
 * alone.
 */
import { byPosition, compareText, type ActionItem, type BoardDoc, type CardView, type ColumnView, type ProposalView, type RoadmapItem, type Stored } from '@passerelle/shared';
import type * as Y from 'yjs';
import type { SyncedDoc } from '#lib/sync/synced-doc.svelte.js';
import { keepUnchanged } from './common/steady-lists.js';

export class BoardLists {
  readonly #sync: SyncedDoc;
  readonly #board: BoardDoc;

  readonly columns: ColumnView[] = $derived.by(() => {
    void this.#sync.versionOf(this.#board.columns);
    return this.#board.listColumns();
  });
  /** Every card's view (a new holder after each change, the views inside kept): see `#readCards`. */
  readonly #cards: { views: Map<string, CardView> } = $derived.by(() => {
    void this.#sync.versionOf(this.#board.cards);
    return this.#readCards();
  });
  readonly #layout = $derived(this.#arrange(this.columns, this.#cards));
  /** The cards of each column, in order (an unchanged column keeps its array). */
  readonly cardsByColumn: Map<string, CardView[]> = $derived(this.#layout.cardsByColumn);
  /** The cards of the live columns (a card whose column was deleted is not shown, nor reachable). */
  readonly cardsById: Map<string, CardView> = $derived(this.#layout.cardsById);
  /**
   * Proposals of the board's live columns. A proposal's view (its sections' text, checklist,
   * comments, sign-offs) is read only when asked for, here or with `proposalOf`: the board's
   * columns ask only for the cards they draw.
   */
  readonly proposalsById: Map<string, ProposalView> = $derived.by(() => {
    const result = new Map<string, ProposalView>();
    for (const [id, card] of this.cardsById) {
      const proposal = card.kind === 'proposal' ? this.#proposalView(id) : undefined;
      if (proposal) result.set(id, proposal);
    }
    return result;
  });
  /** How many proposals the board's live columns hold (without reading them). */
  readonly proposalCount: number = $derived.by(() => {
    let count = 0;
    for (const card of this.cardsById.values()) if (card.kind === 'proposal') count++;
    return count;
  });
  /**
   * The same, by title: sorted only once a view reads it (the board's columns do not, and the first
   * comparison in the interface's language sets up its collation, about 20 ms).
   */
  readonly proposals: ProposalView[] = $derived([...this.proposalsById.values()].sort((a, b) => compareText(a.title, b.title) || compareText(a.id, b.id)));
  readonly roadmap: Stored<RoadmapItem>[] = $derived.by(() => {
    void this.#sync.versionOf(this.#board.roadmap.map);
    return this.#board.roadmap.list();
  });
  readonly actions: Stored<ActionItem>[] = $derived.by(() => {
    void this.#sync.versionOf(this.#board.actions.map);
    return this.#board.actions.list();
  });

  /** Card ids changed since the cards were last read. */
  readonly #dirtyCards = new Set<string>();
  /** The last view of each card (and of each proposal read), kept while the card is unchanged. */
  readonly #cardViews = new Map<string, CardView>();
  readonly #proposalViews = new Map<string, ProposalView>();
  /** Proposals changed since their view was last read. */
  readonly #staleProposals = new Set<string>();
  /** The last arrangement of the cards by column, whose unchanged arrays are kept. */
  #cardsByColumn = new Map<string, CardView[]>();
  readonly #onCards: (events: Y.YEvent<any>[]) => void;

  constructor(sync: SyncedDoc, board: BoardDoc) {
    this.#sync = sync;
    this.#board = board;
    // Which cards a change touched, so that only those are read again.
    this.#onCards = (events) => {
      for (const event of events) {
        if (event.target === board.cards) for (const key of event.changes.keys.keys()) this.#dirtyCards.add(key);
        else if (typeof event.path[0] === 'string') this.#dirtyCards.add(event.path[0]);
      }
    };
    board.cards.observeDeep(this.#onCards);
  }

  destroy(): void {
    this.#board.cards.unobserveDeep(this.#onCards);
  }

  /** The proposal on card `id` of a live column, or undefined (read the first time it is asked for). */
  readonly proposalOf = (id: string): ProposalView | undefined => {
    return this.cardsById.get(id)?.kind === 'proposal' ? this.#proposalView(id) : undefined;
  };

  /** A proposal's view, read again only after its card changed (called once the cards were read). */
  #proposalView(id: string): ProposalView | undefined {
    let view = this.#proposalViews.get(id);
    if (view === undefined || this.#staleProposals.has(id)) {
      view = this.#board.getProposal(id);
      if (view) this.#proposalViews.set(id, view);
      else this.#proposalViews.delete(id);
      this.#staleProposals.delete(id);
    }
    return view;
  }

  /**
   * The view of every card (live column or not). Only the cards a change touched are read again:
   * unchanged cards keep their objects, so the UI leaves them alone; their proposals are read
   * again when next asked for.
   */
  #readCards(): { views: Map<string, CardView> } {
    if (this.#cardViews.size === 0 && this.#dirtyCards.size === 0) this.#board.cards.forEach((_card, id) => this.#dirtyCards.add(id));
    for (const id of this.#dirtyCards) {
      const card = this.#board.getCard(id);
      if (card) {
        this.#cardViews.set(id, card);
        this.#staleProposals.add(id);
      } else {
        this.#cardViews.delete(id);
        this.#proposalViews.delete(id);
        this.#staleProposals.delete(id);
      }
    }
    this.#dirtyCards.clear();
    return { views: this.#cardViews };
  }

  /** The cards of each live column in order, and by id. */
  #arrange(columns: ColumnView[], cards: { views: Map<string, CardView> }) {
    const byColumn = new Map<string, CardView[]>();
    for (const card of cards.views.values()) {
      const group = byColumn.get(card.columnId);
      if (group) group.push(card);
      else byColumn.set(card.columnId, [card]);
    }
    for (const group of byColumn.values()) group.sort(byPosition);
    // An unchanged column keeps its array, so its view is not updated (nor re-measured) at all.
    this.#cardsByColumn = keepUnchanged(this.#cardsByColumn, byColumn);
    const byId = new Map<string, CardView>();
    // Cards whose column was deleted concurrently are not shown (and not reachable).
    for (const column of columns) for (const card of byColumn.get(column.id) ?? []) byId.set(card.id, card);
    return { cardsByColumn: byColumn, cardsById: byId };
  }
}
