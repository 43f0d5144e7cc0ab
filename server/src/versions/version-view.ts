import * as Y from 'yjs';
import { BoardDoc, InternalDoc, migrateBoard, type VersionSummary, type VersionView } from '@passerelle/shared';

/** A version's two documents, decoded into throwaway docs and brought to the current schema. */
export interface OpenedVersion {
  board: Y.Doc;
  internal: Y.Doc;
}

/**
 * Decodes a version's states. A version taken before a schema upgrade is migrated here, on the
 * throwaway copies, so that viewing and restoring it speak the current schema.
 */
export function openVersion(boardState: Uint8Array, internalState: Uint8Array): OpenedVersion {
  const board = new Y.Doc();
  Y.applyUpdate(board, boardState);
  const internal = new Y.Doc();
  Y.applyUpdate(internal, internalState);
  migrateBoard(board, { internal });
  return { board, internal };
}

/** The read-only view of a version: columns with their cards, roadmap, actions and the internal part. */
export function viewOf(version: VersionSummary, title: string, opened: OpenedVersion): VersionView {
  const board = new BoardDoc(opened.board);
  const internal = new InternalDoc(opened.internal);
  const grouped = board.cardsByColumn();
  const columns = board.listColumns().map((column) => ({
    ...column,
    cards: (grouped.get(column.id) ?? []).map((card) => (card.kind === 'proposal' ? (board.getProposal(card.id) ?? card) : card)),
  }));
  const proposalIds = columns.flatMap((column) => column.cards.filter((card) => card.kind === 'proposal').map((card) => card.id));
  return {
    version,
    title,
    columns,
    roadmap: board.roadmap.list().sort((a, b) => a.id.localeCompare(b.id)),
    actions: board.actions.list().sort((a, b) => a.id.localeCompare(b.id)),
    internal: { notes: internal.notes.toString(), proposals: proposalIds.map((cardId) => internal.getProposal(cardId)) },
  };
}
