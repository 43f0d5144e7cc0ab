/**
 * Board edits with a rule of their own beyond one accessor call, for views to run through the
 * session's `edit`: `edit((board) => moveToStage(board, cardId, stage))`.
 */
import { GateError, type BoardDoc, type ProposalStage } from '@passerelle/shared';

/**
 * Moves a proposal to a stage. Returns the `GateError` that explains a refused move (nothing is
 * written then), or null once moved.
 */
export function moveToStage(board: BoardDoc, cardId: string, stage: ProposalStage): GateError | null {
  try {
    board.setProposalStage(cardId, stage);
    return null;
  } catch (error) {
    if (error instanceof GateError) return error;
    throw error;
  }
}

/** Deletes a roadmap item and the dependencies other items had on it, in one step. */
export function deleteRoadmapItem(board: BoardDoc, id: string): void {
  for (const item of board.roadmap.list()) {
    if (item.dependsOn.includes(id)) board.roadmap.update(item.id, { dependsOn: item.dependsOn.filter((d) => d !== id) });
  }
  board.roadmap.delete(id);
}
