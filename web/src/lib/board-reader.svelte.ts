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
  CloseCode,
  InternalDoc,
  SYNC_PATH,
  internalDocName,
  type ActionItem,
  type InternalProposalFields,
  type ProposalView,
  type RoadmapItem,
  type Stored,
} from '@passerelle/shared';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

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
  proposals = $state.raw<ProposalRow[]>([]);
  roadmap = $state.raw<Stored<RoadmapItem>[]>([]);
  actions = $state.raw<Stored<ActionItem>[]>([]);
  /** True once the stored board has arrived: before that, empty lists would lie. */
  loaded = $state(false);
  /** Set when the server refused the connection for good (signed out, board deleted). */
  ended = $state<'unauthorized' | 'gone' | null>(null);

  readonly #doc = new Y.Doc();
  readonly #board = new BoardDoc(this.#doc);
  readonly #provider: WebsocketProvider;
  readonly #internalDoc = new Y.Doc();
  readonly #internal = new InternalDoc(this.#internalDoc);
  readonly #internalProvider: WebsocketProvider | null = null;

  constructor(boardId: string, options: BoardReaderOptions) {
    this.boardId = boardId;
    this.readsInternal = options.internal;
    const protocol = location.protocol === 'https:' ? 'wss' : 'ws';
    const serverUrl = `${protocol}://${location.host}${SYNC_PATH}`;
    this.#provider = new WebsocketProvider(serverUrl, boardId, this.#doc);
    this.#provider.awareness.setLocalState(null);
    this.#provider.on('sync', (isSynced: boolean) => {
      if (isSynced) this.loaded = true;
    });
    this.#provider.on('connection-close', (event) => {
      if (event?.code === CloseCode.Unauthorized) this.ended = 'unauthorized';
      else if (event?.code === CloseCode.BoardNotFound) this.ended = 'gone';
    });
    const recompute = (transaction: Y.Transaction) => {
      if (transaction.changed.size > 0) this.#recompute();
    };
    this.#doc.on('afterTransaction', recompute);
    if (options.internal) {
      this.#internalProvider = new WebsocketProvider(serverUrl, internalDocName(boardId), this.#internalDoc);
      this.#internalProvider.awareness.setLocalState(null);
      this.#internalDoc.on('afterTransaction', recompute);
    }
    this.#recompute();
  }

  #recompute(): void {
    // Proposals of a deleted column are not on the board any more: the table leaves them out too.
    const columnIds = new Set(this.#board.listColumns().map((column) => column.id));
    this.proposals = this.#board
      .listProposals()
      .filter((proposal) => columnIds.has(proposal.columnId))
      .map((proposal): ProposalRow => (this.readsInternal ? { ...proposal, ...this.#internal.proposalFields(proposal.id) } : proposal))
      .sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
    this.roadmap = this.#board.roadmap.list();
    this.actions = this.#board.actions.list();
  }

  /** Closes the connections and forgets the documents. */
  destroy(): void {
    this.#provider.destroy();
    this.#internalProvider?.destroy();
    this.#doc.destroy();
    this.#internalDoc.destroy();
  }
}
