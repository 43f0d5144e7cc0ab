/** What the drawer of an open card is given: the card, what surrounds it, and what may be done to it. */
import type { BoardDoc, BoardRole, CardView, ColumnView, Me, PresenceState, ProposalView } from '@passerelle/shared';
import type { SyncedDoc } from '#lib/sync/synced-doc.svelte.js';
import type { BoardEdit, BoardSession } from '../board-session.svelte.js';
import type { InternalSession } from '../internal/internal-session.svelte.js';

/** The frame of any card's drawer: who else looks at it, its column, its history, Delete. */
export interface CardDrawerProps {
  boardId: string;
  cardId: string;
  /** The card as the board shows it now (none once it is gone). */
  card: CardView | undefined;
  /** Other people who have the card open. */
  viewers: PresenceState['user'][];
  /** The board's columns, to move the card to another one. */
  columns: ColumnView[];
  canEdit: boolean;
  me: Me;
  moveCardToColumn: BoardSession['moveCardToColumn'];
  onClose: () => void;
  onDelete: (cardId: string) => void;
}

/** A card's drawer with the card's own fields, plain or proposal. */
export interface CardDetailProps extends CardDrawerProps {
  proposal: ProposalView | undefined;
  /** The board document, whose texts the fields edit together with the others. */
  board: BoardDoc;
  edit: BoardEdit;
  /** Runs a typing edit as this person's (a burst merges into one undo step). */
  transact: SyncedDoc['transact'];
  canComment: boolean;
  role: BoardRole;
  /** The board's internal document (members only). */
  internal: InternalSession | null;
}
