/**
 * Swimlanes, without any state: the board's columns and the pipeline's stages can be cut into rows,
 * one per value of a proposal field. A lane is a field value, not a place: a card is dragged or moved
 * with the keyboard within its lane only, and moving it never changes the field.
 */
import { ACTION_TYPES, DEPARTMENTS, type ProposalFields } from '@passerelle/shared';

/** What the lanes group by: nothing (one lane holding everything), the action type or the lead department. */
export const LANE_FIELDS = ['none', 'actionType', 'leadDepartment'] as const;
export type LaneField = (typeof LANE_FIELDS)[number];

/** The one lane when the view has none. */
export const ALL_LANE = 'all';
/** The lane of the board's cards that are not proposals (notes), which have no field to group by. */
export const NOTES_LANE = 'notes';

/** A lane and its items, in the order they were given. */
export interface Lane<T> {
  /** The field's value, `ALL_LANE` or `NOTES_LANE`. */
  key: string;
  items: readonly T[];
}

/** A stored lane choice as a field; anything else (nothing stored, an older value) is `none`. */
export function parseLaneField(value: unknown): LaneField {
  return (LANE_FIELDS as readonly unknown[]).includes(value) ? (value as LaneField) : 'none';
}

/** The lane an item falls in: its proposal's value of `field`, or the notes' lane when it is no proposal. */
export function laneKeyOf(field: LaneField, proposal: Pick<ProposalFields, 'actionType' | 'leadDepartment'> | undefined): string {
  if (field === 'none') return ALL_LANE;
  return proposal ? proposal[field] : NOTES_LANE;
}

/**
 * The lanes of `items` by `field`, in vocabulary order with the notes' lane last; a lane no item
 * falls in is left out. Without a field, one lane holds every item (even none).
 */
export function groupIntoLanes<T>(items: readonly T[], field: LaneField, proposalOf: (item: T) => Pick<ProposalFields, 'actionType' | 'leadDepartment'> | undefined): Lane<T>[] {
  // The list itself, not a copy: a column a change did not touch keeps its array, and its view is left alone.
  if (field === 'none') return [{ key: ALL_LANE, items }];
  const order: readonly string[] = [...(field === 'actionType' ? ACTION_TYPES : DEPARTMENTS), NOTES_LANE];
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const key = laneKeyOf(field, proposalOf(item));
    const lane = byKey.get(key);
    if (lane) lane.push(item);
    else byKey.set(key, [item]);
  }
  return order.filter((key) => byKey.has(key)).map((key) => ({ key, items: byKey.get(key)! }));
}

/**
 * Where a card dropped at `laneIndex` among its lane's cards in a column goes among all the column's
 * cards (both lists in the column's order, the card itself left out of the count, as `BoardDoc.moveCard`
 * counts): where it is when dropped back at its own place, just before the lane's card it was
 * dropped on, just after the lane's last card when dropped at the lane's end, and at the column's
 * end when the lane has no other card there.
 */
export function columnIndexForLaneIndex(columnCardIds: readonly string[], laneCardIds: readonly string[], cardId: string, laneIndex: number): number {
  const current = columnCardIds.indexOf(cardId);
  // Dropped where it was (a drag given up, a drop another lane refused): the other lanes' cards around it stay put.
  if (current >= 0 && laneCardIds.indexOf(cardId) === laneIndex) return current;
  const others = columnCardIds.filter((id) => id !== cardId);
  const laneOthers = laneCardIds.filter((id) => id !== cardId);
  if (laneOthers.length === 0) return current >= 0 ? current : others.length;
  const index = Math.max(0, laneIndex);
  if (index < laneOthers.length) return others.indexOf(laneOthers[index]!);
  return others.indexOf(laneOthers[laneOthers.length - 1]!) + 1;
}

/** The zone of a lane in a column, for keyboard moves (which go from column to column within one lane). */
export function laneZone(lane: string, columnId: string): string {
  return `${lane}/${columnId}`;
}

/** A zone's lane and column. */
export function parseLaneZone(zone: string): { lane: string; columnId: string } {
  const slash = zone.indexOf('/');
  return { lane: zone.slice(0, slash), columnId: zone.slice(slash + 1) };
}
