/**
 * A board's proposals, roadmap items and action items, read live for views outside the board page
 * (the table). Opens its own document and connection; `destroy` ends both. It only reads: no
 * presence is announced, so the people on the board do not see a table reader as a participant.
 */
import { BoardDoc, CloseCode, SYNC_PATH, type ActionItem, type ProposalView, type RoadmapItem, type Stored } from '@passerelle/shared';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export class BoardReader {
  readonly boardId: string;
  proposals = $state.raw<ProposalView[]>([]);
  roadmap = $state.raw<Stored<RoadmapItem>[]>([]);
  actions = $state.raw<Stored<ActionItem>[]>([]);
  /** True once the stored board has arrived: before that, empty lists would lie. */
  loaded = $state(false);
  /** Set when the server refused the connection for good (signed out, board deleted). */
  ended = $state<'unauthorized' | 'gone' | null>(null);

  readonly #doc = new Y.Doc();
  readonly #board = new BoardDoc(this.#doc);
  readonly #provider: WebsocketProvider;

  constructor(boardId: string) {
    this.boardId = boardId;
    const protocol = location.protocol === 'https:' ? 'wss' : 'ws';
    this.#provider = new WebsocketProvider(`${protocol}://${location.host}${SYNC_PATH}`, boardId, this.#doc);
    this.#provider.awareness.setLocalState(null);
    this.#provider.on('sync', (isSynced: boolean) => {
      if (isSynced) this.loaded = true;
    });
    this.#provider.on('connection-close', (event) => {
      if (event?.code === CloseCode.Unauthorized) this.ended = 'unauthorized';
      else if (event?.code === CloseCode.BoardNotFound) this.ended = 'gone';
    });
    this.#doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.changed.size > 0) this.#recompute();
    });
    this.#recompute();
  }

  #recompute(): void {
    // Proposals of a deleted column are not on the board any more: the table leaves them out too.
    const columnIds = new Set(this.#board.listColumns().map((column) => column.id));
    this.proposals = this.#board
      .listProposals()
      .filter((proposal) => columnIds.has(proposal.columnId))
      .sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
    this.roadmap = this.#board.roadmap.list();
    this.actions = this.#board.actions.list();
  }

  /** Closes the connection and forgets the document. */
  destroy(): void {
    this.#provider.destroy();
    this.#doc.destroy();
  }
}
