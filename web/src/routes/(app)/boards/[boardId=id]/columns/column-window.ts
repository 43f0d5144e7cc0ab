/**
 * A long column (a board column, a lane's cell in one, a pipeline stage) draws only the cards in
 * view: what that changes for its drop zone, without any state. Tested in `test/unit/column-window.test.ts`.
 */

/** A column draws every card up to this many; beyond, only those in and near view. */
export const WINDOW_FROM = 60;

/** The height a card is expected to have before it is drawn and measured: a proposal's face shows more. */
export function estimatedCardHeight(kind: string): number {
  return kind === 'proposal' ? 118 : 46;
}

/**
 * Where a card dropped at `drawnIndex` among the drawn cards goes among all of the column's cards
 * (both lists in the column's order, `drawnIds` as the zone holds them after the drop, and the card
 * itself left out of the count, as `BoardDoc.moveCard` counts): just after the drawn card before it,
 * else just before the drawn card after it. The drawn cards may have moved in the column since the
 * drag began (someone else's move), so the place is found by neighbour, not by offset.
 */
export function columnIndexForDrawnIndex(columnIds: readonly string[], drawnIds: readonly string[], cardId: string, drawnIndex: number): number {
  const others = columnIds.filter((id) => id !== cardId);
  const before = drawnIds.slice(0, drawnIndex).findLast((id) => id !== cardId && others.includes(id));
  if (before !== undefined) return others.indexOf(before) + 1;
  const after = drawnIds.slice(drawnIndex + 1).find((id) => id !== cardId && others.includes(id));
  if (after !== undefined) return others.indexOf(after);
  const current = columnIds.indexOf(cardId);
  return current >= 0 ? current : others.length;
}
