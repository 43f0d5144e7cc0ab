/** A card of a board as the REST API answers it, read from the board and (for members) its internal document. */
import type * as Y from 'yjs';
import { BoardDoc, InternalDoc, type RestCard } from '@passerelle/shared';

/** Reads one card; `internal` is the board's internal document, given only to those who may see it. */
export function restCardOf(board: BoardDoc, cardId: string, internal: InternalDoc | null): RestCard | undefined {
  const card = board.getCard(cardId);
  if (!card) return undefined;
  const view: RestCard = { ...card };
  if (card.kind === 'proposal') {
    const proposal = board.getProposal(cardId)!;
    const { id: _id, kind: _kind, columnId: _columnId, position: _position, title: _title, description: _description, createdBy: _createdBy, createdAt: _createdAt, sections, checklist: _checklist, comments: _comments, signOffs, ...fields } = proposal;
    view.proposal = { fields, signOffs, sections };
    if (internal) view.internal = { fields: internal.proposalFields(cardId), notes: internal.proposalNotesText(cardId).toString() };
  }
  return view;
}

/** Every card of the board whose column still exists, column by column, each in its order. */
export function restCardsOf(boardDoc: Y.Doc, internalDoc: Y.Doc | null): RestCard[] {
  const board = new BoardDoc(boardDoc);
  const internal = internalDoc ? new InternalDoc(internalDoc) : null;
  const groups = board.cardsByColumn();
  const cards: RestCard[] = [];
  for (const column of board.listColumns()) for (const card of groups.get(column.id) ?? []) cards.push(restCardOf(board, card.id, internal)!);
  return cards;
}
