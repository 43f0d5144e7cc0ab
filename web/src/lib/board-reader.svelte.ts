/**
 * A board's proposals, roadmap items and action items, read live for views outside the board page
 * (the table). Opens its own document and connection; `destroy` ends both. It only reads: no
 * presence is announced, so the people on the board do not see a table reader as a participant.
 *
 * For a member it also reads the board's internal document (`/sync/<boardId>/internal`) so that
 * proposals carry their budget; a partner guest's reader never opens it.
 */
import {
  BoardDoc,
  compareText,
  InternalDoc,
  internalDocName,
  type ActionItem,
  type InternalProposalFields,
  type ProposalView,
  type RoadmapItem,
  type Stored,
} from '@passerelle/shared';
import { SyncedDoc, type SessionEnd } from './sync/synced-doc.svelte.js';

/** A proposal as the table reads it: its shared fields and, for members, its internal ones. */
export type ProposalRow = ProposalView & Partial<InternalProposalFields>;

export interface BoardReaderOptions {
  /** Read the board's internal document too (members only: never true for a partner guest). */
  internal: boolean;
}

export class BoardReader {
  readonly boardId: string;
  /** Whether proposals carry their internal fields (the reader opened the internal document). */
  readonly readsInternal: boolean;

  readonly #sync: SyncedDoc;
  readonly #board: BoardDoc;
  readonly #internalSync: SyncedDoc | null;
  readonly #internal: InternalDoc | null;

  readonly proposals: ProposalRow[] = $derived.by(() => {
    void this.#sync.version;
    void this.#internalSync?.version;
    // Proposals of a deleted column are not on the board any more: the table leaves them out too.
    const columnIds = new Set(this.#board.listColumns().map((column) => column.id));
    return this.#board
      .listProposals()
      .filter((proposal) => columnIds.has(proposal.columnId))
      .map((proposal): ProposalRow => (this.#internal ? { ...proposal, ...this.#internal.proposalFields(proposal.id) } : proposal))
      .sort((a, b) => compareText(a.title, b.title) || compareText(a.id, b.id));
  });
  readonly roadmap: Stored<RoadmapItem>[] = $derived.by(() => {
    void this.#sync.version;
    return this.#board.roadmap.list();
  });
  readonly actions: Stored<ActionItem>[] = $derived.by(() => {
    void this.#sync.version;
    return this.#board.actions.list();
  });

  constructor(boardId: string, options: BoardReaderOptions) {
    this.boardId = boardId;
    this.readsInternal = options.internal;
    this.#sync = new SyncedDoc(boardId, { silent: true });
    this.#board = new BoardDoc(this.#sync.doc);
    this.#internalSync = options.internal ? new SyncedDoc(internalDocName(boardId), { silent: true }) : null;
    this.#internal = this.#internalSync ? new InternalDoc(this.#internalSync.doc) : null;
  }

  /** True once the stored board has arrived: before that, empty lists would lie. */
  get loaded(): boolean {
    return this.#sync.loaded;
  }

  /** Set when the server refused the connection for good (signed out, board deleted, no access). */
  get ended(): SessionEnd | null {
    return this.#sync.ended;
  }

  /**
   * Closes one of the reader's documents and deletes the copy this browser keeps of it: the server
   * refused a change of this person's found in it (they may only read it). The page then opens a
   * new reader, that document from the server. Resolves once the copy is deleted.
   */
  discard(document: 'board' | 'internal'): Promise<void> {
    const sync = document === 'board' ? this.#sync : this.#internalSync;
    return sync ? sync.discard() : Promise.resolve();
  }

  /** Closes the connections and forgets the documents. */
  destroy(): void {
    this.#sync.destroy();
    this.#internalSync?.destroy();
  }
}
