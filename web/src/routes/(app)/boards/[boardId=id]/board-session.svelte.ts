/**
 * One visit to a board: its synced document, presence and undo history, exposed as reactive state
 * derived from the document. The document is the source of truth; every list the UI renders is
 * derived from it, and read again after each change of its part of the document, local or remote.
 */
import {
  BoardDoc,
  can,
  type BoardRole,
  byPosition,
  GateError,
  colorForUser,
  parsePresence,
  type ActionItem,
  type BoardCursor,
  type CardView,
  type ColumnView,
  type Department,
  type Me,
  type PresenceState,
  type ProposalFields,
  type ProposalStage,
  type ProposalView,
  type RoadmapItem,
  type Stored,
} from '@passerelle/shared';
import { untrack } from 'svelte';
import type * as Y from 'yjs';
import { SyncedDoc, type ConnectionStatus, type SessionEnd } from '#lib/sync/synced-doc.svelte.js';
import { UndoTimeline } from '#lib/sync/undo-timeline.js';
import { InternalSession } from './internal/internal-session.svelte.js';

/** A person on the board, once even if they have it open in several tabs. */
export interface Participant {
  user: PresenceState['user'];
  isMe: boolean;
}

type PresenceUser = PresenceState['user'];

/** What a form may give to create a roadmap item (defaults fill the rest). */
export type RoadmapItemInput = Parameters<BoardDoc['roadmap']['create']>[0];
/** What a form may give to create an action item (defaults fill the rest). */
export type ActionItemInput = Parameters<BoardDoc['actions']['create']>[0];

export class BoardSession {
  readonly boardId: string;
  /** The board's document and its connection (`/sync/<boardId>`), which carries presence too. */
  readonly sync: SyncedDoc;
  readonly board: BoardDoc;

  readonly columns: ColumnView[] = $derived.by(() => {
    void this.sync.versionOf(this.board.columns);
    return this.board.listColumns();
  });
  /** Every card's view, with those of proposals: see `#readCards`. */
  readonly #cards = $derived.by(() => {
    void this.sync.versionOf(this.board.cards);
    return this.#readCards();
  });
  readonly #layout = $derived(this.#arrange(this.columns, this.#cards));
  readonly cardsByColumn: Map<string, CardView[]> = $derived(this.#layout.cardsByColumn);
  readonly cardsById: Map<string, CardView> = $derived(this.#layout.cardsById);
  /** Proposals of the board's live columns (a proposal whose column was deleted is not shown). */
  readonly proposals: ProposalView[] = $derived(this.#layout.proposals);
  readonly proposalsById: Map<string, ProposalView> = $derived(this.#layout.proposalsById);
  readonly roadmap: Stored<RoadmapItem>[] = $derived.by(() => {
    void this.sync.versionOf(this.board.roadmap.map);
    return this.board.roadmap.list();
  });
  readonly actions: Stored<ActionItem>[] = $derived.by(() => {
    void this.sync.versionOf(this.board.actions.map);
    return this.board.actions.list();
  });

  get status(): ConnectionStatus {
    return this.sync.status;
  }
  /** Whether the document is in sync with the server right now. */
  get synced(): boolean {
    return this.sync.synced;
  }
  /** Whether the stored board has arrived at least once: before that, an empty board would lie. */
  get loaded(): boolean {
    return this.sync.loaded;
  }
  get ended(): SessionEnd | null {
    return this.sync.ended;
  }
  /** Counts the updates the server refused as too large; the page shows each. */
  get tooLarge(): number {
    return this.sync.tooLarge;
  }
  participants = $state.raw<Participant[]>([]);
  /** Other people who have each card open, by card id. */
  viewersByCard = $state.raw<Map<string, PresenceUser[]>>(new Map());
  /** Other people's pointers on the board (one per tab), in board-content pixels. */
  cursors = $state.raw<{ clientId: number; user: PresenceUser; cursor: BoardCursor }[]>([]);
  canUndo = $state(false);
  canRedo = $state(false);
  openCardId = $state<string | null>(null);
  /**
   * This person's role on the board (from the board summary, or a guest's invite): every control
   * that changes the document asks `canEdit`, comment boxes `canComment`. The server enforces the
   * same rule; the UI only avoids offering what would be refused.
   */
  role = $state<BoardRole>('editor');
  readonly canEdit = $derived(can.edit(this.role));
  readonly canComment = $derived(can.comment(this.role));

  readonly #me: Me;
  /**
   * The board's internal document (budgets, internal notes, sign-off discussion) for members; null
   * for a partner guest, whose browser never opens it.
   */
  readonly internal: InternalSession | null;
  /** This person's board and internal undo histories, undone in time order. */
  readonly #undoTimeline = new UndoTimeline();
  readonly #undoManager: Y.UndoManager;
  readonly #cleanups: (() => void)[] = [];

  constructor(boardId: string, me: Me) {
    this.boardId = boardId;
    this.#me = me;
    this.sync = new SyncedDoc(boardId);
    this.board = new BoardDoc(this.sync.doc);

    // Only the cards a change touched are read again (see `#readCards`).
    const onCards = (events: Y.YEvent<any>[]) => {
      for (const event of events) {
        if (event.target === this.board.cards) for (const key of event.changes.keys.keys()) this.#dirtyCards.add(key);
        else if (typeof event.path[0] === 'string') this.#dirtyCards.add(event.path[0]);
      }
    };
    this.board.cards.observeDeep(onCards);
    // A card deleted, or whose column was deleted, closes: for this person, and in their presence.
    const onChange = () =>
      untrack(() => {
        if (this.openCardId && !this.cardsById.has(this.openCardId)) this.openCard(null);
      });
    this.sync.doc.on('afterTransaction', onChange);
    this.#cleanups.push(() => {
      this.board.cards.unobserveDeep(onCards);
      this.sync.doc.off('afterTransaction', onChange);
    });

    this.#undoManager = this.sync.trackUndo([this.board.columns, this.board.cards, this.board.roadmap.map, this.board.actions.map]);
    const onStack = () => {
      this.canUndo = this.#undoTimeline.canUndo();
      this.canRedo = this.#undoTimeline.canRedo();
    };
    this.#undoTimeline.add(this.#undoManager, onStack);
    this.internal = me.guest === null ? new InternalSession(boardId, me) : null;
    if (this.internal) this.#undoTimeline.add(this.internal.undoManager, onStack);

    const awareness = this.sync.awareness;
    awareness.setLocalState(this.#presence());
    const onAwareness = () => this.#recomputePresence();
    awareness.on('change', onAwareness);
    this.#cleanups.push(() => awareness.off('change', onAwareness));
    this.#recomputePresence();
  }

  /** The signed-in person's id, recorded as `createdBy` on their cards. */
  get myId(): string {
    return this.#me.id;
  }

  /** The signed-in person (their departments decide which sign-offs they may give). */
  get me(): Me {
    return this.#me;
  }

  /** Runs `edit` as one undoable step of this person's. */
  transact(edit: () => void): void {
    this.sync.transact(edit);
  }

  /** Like `transact`, but never merged into the previous undo step (typing bursts are merged). */
  #step(edit: () => void): void {
    this.sync.step(edit);
  }

  addColumn(title: string): string | undefined {
    const trimmed = title.trim();
    if (!trimmed) return undefined;
    let id: string | undefined;
    this.#step(() => (id = this.board.addColumn(trimmed)));
    return id;
  }

  renameColumn(columnId: string, title: string): void {
    const trimmed = title.trim();
    if (!trimmed || this.columns.find((c) => c.id === columnId)?.title === trimmed) return;
    this.#step(() => this.board.renameColumn(columnId, trimmed));
  }

  /** Moves a column one place left (-1) or right (+1). */
  shiftColumn(columnId: string, offset: -1 | 1): void {
    const index = this.columns.findIndex((c) => c.id === columnId);
    const target = index + offset;
    if (index < 0 || target < 0 || target >= this.columns.length) return;
    this.#step(() => this.board.moveColumn(columnId, target));
  }

  deleteColumn(columnId: string): void {
    this.#step(() => this.board.deleteColumn(columnId));
  }

  addCard(columnId: string, title: string): string | undefined {
    const trimmed = title.trim();
    if (!trimmed) return undefined;
    let id: string | undefined;
    this.#step(() => (id = this.board.addCard(columnId, { title: trimmed, createdBy: this.#me.id })));
    return id;
  }

  moveCard(cardId: string, columnId: string, index: number): void {
    const card = this.cardsById.get(cardId);
    if (!card) return;
    const current = (this.cardsByColumn.get(columnId) ?? []).findIndex((c) => c.id === cardId);
    if (card.columnId === columnId && current === index) return; // dropped where it was
    this.#step(() => this.board.moveCard(cardId, columnId, index));
  }

  /** Moves a card up (-1) or down (+1) within its column. */
  shiftCard(cardId: string, offset: -1 | 1): void {
    const card = this.cardsById.get(cardId);
    if (!card) return;
    const siblings = this.cardsByColumn.get(card.columnId) ?? [];
    const target = siblings.findIndex((c) => c.id === cardId) + offset;
    if (target < 0 || target >= siblings.length) return;
    this.moveCard(cardId, card.columnId, target);
  }

  /** Moves a card to the end of the column on its left (-1) or right (+1). */
  shiftCardColumn(cardId: string, offset: -1 | 1): void {
    const card = this.cardsById.get(cardId);
    if (!card) return;
    const target = this.columns[this.columns.findIndex((c) => c.id === card.columnId) + offset];
    if (!target) return;
    this.moveCard(cardId, target.id, (this.cardsByColumn.get(target.id) ?? []).length);
  }

  deleteCard(cardId: string): void {
    this.#step(() => this.board.deleteCard(cardId));
  }

  /**
   * Adds a proposal card at the end of a column. Throws `ValidationError` (nothing is written then).
   */
  addProposal(columnId: string, title: string, fields: Partial<ProposalFields>): string | undefined {
    const trimmed = title.trim();
    if (!trimmed) return undefined;
    let id: string | undefined;
    this.#step(() => (id = this.board.addProposal(columnId, { title: trimmed, createdBy: this.#me.id, fields })));
    return id;
  }

  convertToProposal(cardId: string): void {
    this.#step(() => this.board.convertToProposal(cardId));
  }

  /** Changes structured fields of a proposal. Throws `ValidationError` (nothing is written then). */
  updateProposal(cardId: string, patch: Partial<Omit<ProposalFields, 'stage'>>): void {
    this.#step(() => this.board.updateProposal(cardId, patch));
  }

  /**
   * Moves a proposal to a stage. Returns the `GateError` that explains a refused move (nothing is
   * written then), or null once moved.
   */
  setProposalStage(cardId: string, stage: ProposalStage): GateError | null {
    try {
      this.#step(() => this.board.setProposalStage(cardId, stage));
      return null;
    } catch (error) {
      if (error instanceof GateError) return error;
      throw error;
    }
  }

  /** Signs off a gate for one of this person's departments. */
  signOff(cardId: string, gate: ProposalStage, department: Department): void {
    this.#step(() =>
      this.board.signOff(cardId, { gate, department, userId: this.#me.id, userName: this.#me.name, at: new Date().toISOString() }),
    );
  }

  withdrawSignOff(cardId: string, gate: ProposalStage, department: Department): void {
    this.#step(() => this.board.withdrawSignOff(cardId, gate, department));
  }

  addChecklistItem(cardId: string, text: string): void {
    this.#step(() => this.board.addChecklistItem(cardId, text));
  }

  setChecklistItem(cardId: string, itemId: string, patch: { text?: string; done?: boolean }): void {
    this.#step(() => this.board.setChecklistItem(cardId, itemId, patch));
  }

  deleteChecklistItem(cardId: string, itemId: string): void {
    this.#step(() => this.board.deleteChecklistItem(cardId, itemId));
  }

  addComment(cardId: string, text: string): void {
    this.#step(() => this.board.addComment(cardId, { authorId: this.#me.id, authorName: this.#me.name, text }));
  }

  deleteComment(cardId: string, commentId: string): void {
    this.#step(() => this.board.deleteComment(cardId, commentId));
  }

  /** Adds a roadmap item. Throws `ValidationError`. */
  createRoadmapItem(input: RoadmapItemInput): string {
    let id = '';
    this.#step(() => (id = this.board.roadmap.create(input)));
    return id;
  }

  /** Throws `ValidationError`. */
  updateRoadmapItem(id: string, patch: Partial<RoadmapItemInput>): void {
    this.#step(() => this.board.roadmap.update(id, patch));
  }

  /** Deletes a roadmap item and the dependencies other items had on it, in one step. */
  deleteRoadmapItem(id: string): void {
    this.#step(() => {
      for (const item of this.board.roadmap.list()) {
        if (item.dependsOn.includes(id)) this.board.roadmap.update(item.id, { dependsOn: item.dependsOn.filter((d) => d !== id) });
      }
      this.board.roadmap.delete(id);
    });
  }

  /** Adds an action item. Throws `ValidationError`. */
  createActionItem(input: ActionItemInput): string {
    let id = '';
    this.#step(() => (id = this.board.actions.create(input)));
    return id;
  }

  /** Throws `ValidationError`. */
  updateActionItem(id: string, patch: Partial<ActionItemInput>): void {
    this.#step(() => this.board.actions.update(id, patch));
  }

  deleteActionItem(id: string): void {
    this.#step(() => this.board.actions.delete(id));
  }

  undo(): void {
    this.#undoTimeline.undo();
  }

  redo(): void {
    this.#undoTimeline.redo();
  }

  /** Publishes where this person's pointer is on the board (null: off the board); callers throttle. */
  setCursor(cursor: BoardCursor | null): void {
    this.#cursor = cursor;
    this.sync.awareness.setLocalState(this.#presence());
  }

  #cursor: BoardCursor | null = null;

  /** Opens (or closes, with null) a card's detail, and tells the others which card it is. */
  openCard(cardId: string | null): void {
    this.openCardId = cardId;
    this.sync.awareness.setLocalState(this.#presence());
  }

  /** Ends the visit: closes the connection and forgets the document. */
  destroy(): void {
    for (const cleanup of this.#cleanups) cleanup();
    this.internal?.destroy();
    this.sync.destroy();
  }

  #presence(): PresenceState {
    return {
      user: { id: this.#me.id, name: this.#me.name, color: colorForUser(this.#me.id) },
      openCardId: this.openCardId,
      ...(this.#cursor ? { cursor: this.#cursor } : {}),
    };
  }

  /** Card ids changed since the last recompute. */
  readonly #dirtyCards = new Set<string>();
  /** The last view of each card (and of each proposal), kept while the card is unchanged. */
  readonly #cardViews = new Map<string, CardView>();
  readonly #proposalViews = new Map<string, ProposalView>();
  /** The last arrangement of the cards by column, whose unchanged arrays are kept. */
  #cardsByColumn = new Map<string, CardView[]>();

  /**
   * The view of every card (live column or not) and of every proposal. Only the cards a change
   * touched are read again: unchanged cards keep their objects, so the UI leaves them alone.
   */
  #readCards(): { cards: Map<string, CardView>; proposals: Map<string, ProposalView> } {
    if (this.#cardViews.size === 0 && this.#dirtyCards.size === 0) this.board.cards.forEach((_card, id) => this.#dirtyCards.add(id));
    for (const id of this.#dirtyCards) {
      const card = this.board.getCard(id);
      if (card) this.#cardViews.set(id, card);
      else this.#cardViews.delete(id);
      const proposal = card?.kind === 'proposal' ? this.board.getProposal(id) : undefined;
      if (proposal) this.#proposalViews.set(id, proposal);
      else this.#proposalViews.delete(id);
    }
    this.#dirtyCards.clear();
    return { cards: this.#cardViews, proposals: this.#proposalViews };
  }

  /** The cards of each live column in order, and the proposals among them. */
  #arrange(columns: ColumnView[], views: { cards: Map<string, CardView>; proposals: Map<string, ProposalView> }) {
    const byColumn = new Map<string, CardView[]>();
    for (const card of views.cards.values()) {
      const group = byColumn.get(card.columnId);
      if (group) group.push(card);
      else byColumn.set(card.columnId, [card]);
    }
    for (const [columnId, group] of byColumn) {
      group.sort(byPosition);
      // An unchanged column keeps its array, so its view is not updated (nor re-measured) at all.
      const previous = this.#cardsByColumn.get(columnId);
      if (previous && previous.length === group.length && previous.every((card, index) => card === group[index])) {
        byColumn.set(columnId, previous);
      }
    }
    this.#cardsByColumn = byColumn;
    const byId = new Map<string, CardView>();
    // Cards whose column was deleted concurrently are not shown (and not reachable).
    for (const column of columns) for (const card of byColumn.get(column.id) ?? []) byId.set(card.id, card);
    const proposals = [...views.proposals.values()].filter((proposal) => byId.has(proposal.id));
    proposals.sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
    return { cardsByColumn: byColumn, cardsById: byId, proposals, proposalsById: new Map(proposals.map((proposal) => [proposal.id, proposal])) };
  }

  #recomputePresence(): void {
    const awareness = this.sync.awareness;
    const people = new Map<string, Participant>();
    const viewers = new Map<string, PresenceUser[]>();
    const cursors: { clientId: number; user: PresenceUser; cursor: BoardCursor }[] = [];
    people.set(this.#me.id, { user: this.#presence().user, isMe: true });
    awareness.getStates().forEach((state, clientId) => {
      if (clientId === awareness.clientID) return;
      const presence = parsePresence(state);
      if (!presence) return; // another client's state is untrusted: ignore what does not parse
      const isMe = presence.user.id === this.#me.id;
      if (!people.has(presence.user.id)) people.set(presence.user.id, { user: presence.user, isMe });
      // Our own other tabs are not "someone else has this card open".
      if (presence.cursor && !isMe) cursors.push({ clientId, user: presence.user, cursor: presence.cursor });
      if (presence.openCardId && !isMe) {
        const list = viewers.get(presence.openCardId) ?? [];
        if (!list.some((user) => user.id === presence.user.id)) list.push(presence.user);
        viewers.set(presence.openCardId, list);
      }
    });
    this.participants = [...people.values()];
    this.viewersByCard = viewers;
    this.cursors = cursors;
  }
}
