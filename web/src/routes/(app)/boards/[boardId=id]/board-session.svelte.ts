/**
 * One visit to a board: its synced document and what the views show of it (`lists`), who else is
 * here (`presence`), the internal document for members, and this person's undo timeline. The
 * document is the source of truth: views read the lists, and write through `edit`, which hands them
 * the board's own accessors inside one undoable step of this person's.
 */
import { BoardDoc, can, type BoardRole, type Me } from '@passerelle/shared';
import { untrack } from 'svelte';
import type * as Y from 'yjs';
import { SyncedDoc } from '#lib/sync/synced-doc.svelte.js';
import { UndoTimeline } from '#lib/sync/undo-timeline.svelte.js';
import { BoardLists } from './board-lists.svelte.js';
import { BoardPresence } from './board-presence.svelte.js';
import { InternalSession } from './internal/internal-session.svelte.js';

/**
 * One undoable step of this person's on the board: `change` writes through the board's accessors
 * (and may throw `ValidationError` or `GateError`, writing nothing); what it returns is returned.
 */
export type BoardEdit = <T>(change: (board: BoardDoc) => T) => T;

/** The board's document and what is read from it, made together and replaced together (`reopen`). */
interface BoardParts {
  sync: SyncedDoc;
  board: BoardDoc;
  lists: BoardLists;
  presence: BoardPresence;
  undoManager: Y.UndoManager;
}

export class BoardSession {
  readonly boardId: string;
  /** The signed-in person (their id is recorded as author, their departments decide their sign-offs). */
  readonly me: Me;
  /** This person's board and internal undo histories, undone in time order. */
  readonly timeline = new UndoTimeline();
  /**
   * This person's role on the board (from the board summary, or a guest's invite): every control
   * that changes the document asks `canEdit`, comment boxes `canComment`. The server enforces the
   * same rule; the UI only avoids offering what would be refused.
   */
  role = $state<BoardRole>('editor');
  readonly canEdit = $derived(can.edit(this.role));
  readonly canComment = $derived(can.comment(this.role));

  /** Replaced whole when the board's document is opened again, so that every view follows the new one. */
  #parts: BoardParts;
  #internal: InternalSession | null;
  #destroyed = false;
  readonly #onChange: () => void;

  constructor(boardId: string, me: Me) {
    this.boardId = boardId;
    this.me = me;
    // A card deleted, or whose column was deleted, closes: for this person, and in their presence.
    this.#onChange = () =>
      untrack(() => {
        const open = this.presence.openCardId;
        if (open && !this.lists.cardsById.has(open)) this.presence.openCard(null);
      });
    this.#parts = $state.raw(this.#openBoard());
    this.#internal = $state.raw(me.guest === null ? this.#openInternal() : null);
  }

  /** The board's document and its connection (`/sync/<boardId>`), which carries presence too. */
  get sync(): SyncedDoc {
    return this.#parts.sync;
  }

  get board(): BoardDoc {
    return this.#parts.board;
  }

  get lists(): BoardLists {
    return this.#parts.lists;
  }

  get presence(): BoardPresence {
    return this.#parts.presence;
  }

  /**
   * The board's internal document (budgets, internal notes, sign-off discussion) for members; null
   * for a partner guest, whose browser never opens it.
   */
  get internal(): InternalSession | null {
    return this.#internal;
  }

  /** This person's changes to the board and its internal document that the server has not received yet. */
  get pendingChanges(): number {
    return this.sync.pending.count + (this.internal?.sync.pending.count ?? 0);
  }

  /**
   * Drops one of the visit's documents, the copy this browser keeps included, and opens it again
   * from the server: the server refused a change of this person's to it (they may only read it), so
   * the page must show the document as the server has it, and the change must not come back at the
   * next opening nor be sent once they may write. The other document, and the open card, stay.
   */
  async reopen(document: 'board' | 'internal'): Promise<void> {
    if (document === 'internal') {
      const previous = this.#internal;
      if (!previous) return;
      await previous.sync.discard();
      if (this.#destroyed || this.#internal !== previous) return;
      this.timeline.remove(previous.undoManager);
      this.#internal = this.#openInternal();
      return;
    }
    const previous = this.#parts;
    await previous.sync.discard();
    if (this.#destroyed || this.#parts !== previous) return;
    this.#closeBoard(previous);
    this.#parts = this.#openBoard();
    if (previous.presence.openCardId) this.#parts.presence.openCard(previous.presence.openCardId);
  }

  edit: BoardEdit = (change) => {
    let result!: ReturnType<typeof change>;
    this.sync.step(() => (result = change(this.board)));
    return result;
  };

  /** Moves a card to `index` in a column, unless it is there already. */
  moveCard = (cardId: string, columnId: string, index: number): void => {
    const card = this.lists.cardsById.get(cardId);
    if (!card) return;
    const current = (this.lists.cardsByColumn.get(columnId) ?? []).findIndex((c) => c.id === cardId);
    if (card.columnId === columnId && current === index) return; // dropped where it was
    this.edit((board) => board.moveCard(cardId, columnId, index));
  };

  /** Moves a card to the end of a column. */
  moveCardToColumn = (cardId: string, columnId: string): void => {
    this.moveCard(cardId, columnId, (this.lists.cardsByColumn.get(columnId) ?? []).length);
  };

  /** Moves a card up (-1) or down (+1) within its column. */
  shiftCard = (cardId: string, offset: -1 | 1): void => {
    const card = this.lists.cardsById.get(cardId);
    if (!card) return;
    const siblings = this.lists.cardsByColumn.get(card.columnId) ?? [];
    const target = siblings.findIndex((c) => c.id === cardId) + offset;
    if (target < 0 || target >= siblings.length) return;
    this.moveCard(cardId, card.columnId, target);
  };

  /** Moves a card to the end of the column on its left (-1) or right (+1). */
  shiftCardColumn = (cardId: string, offset: -1 | 1): void => {
    const card = this.lists.cardsById.get(cardId);
    if (!card) return;
    const columns = this.lists.columns;
    const target = columns[columns.findIndex((c) => c.id === card.columnId) + offset];
    if (target) this.moveCardToColumn(cardId, target.id);
  };

  /** Ends the visit: closes the connections and forgets the documents. */
  destroy(): void {
    this.#destroyed = true;
    this.#closeBoard(this.#parts);
    this.#parts.sync.destroy();
    this.#internal?.destroy();
  }

  #openBoard(): BoardParts {
    const sync = new SyncedDoc(this.boardId);
    const board = new BoardDoc(sync.doc);
    const undoManager = sync.trackUndo([board.columns, board.cards, board.roadmap.map, board.actions.map]);
    this.timeline.add(undoManager);
    sync.doc.on('afterTransaction', this.#onChange);
    return { sync, board, lists: new BoardLists(sync, board), presence: new BoardPresence(sync.awareness, this.me), undoManager };
  }

  /** Stops reading the board's document (the caller closes or has discarded its connection). */
  #closeBoard(parts: BoardParts): void {
    parts.sync.doc.off('afterTransaction', this.#onChange);
    parts.lists.destroy();
    parts.presence.destroy();
    this.timeline.remove(parts.undoManager);
  }

  #openInternal(): InternalSession {
    const internal = new InternalSession(this.boardId, this.me);
    this.timeline.add(internal.undoManager);
    return internal;
  }
}
