/**
 * Where the arrow keys take a card picked up with the keyboard, without any state: the board's
 * columns and the pipeline's stages are zones side by side, Left and Right go to the neighbouring
 * zone and Up and Down move within one (where the zone has an order).
 */

/** Where a picked-up card stands: its zone (a column, a stage) and its index among the zone's items. */
export interface MovePlace {
  zone: string;
  index: number;
}

/** The keys that move a picked-up card. */
export const MOVE_KEYS = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'] as const;
export type MoveKey = (typeof MOVE_KEYS)[number];

export const isMoveKey = (key: string): key is MoveKey => (MOVE_KEYS as readonly string[]).includes(key);

/**
 * The place an arrow key takes a card to, or null at an edge. `zones` are in order from left to
 * right; `othersIn(zone)` counts a zone's items other than the card. Going sideways keeps the card's
 * row where the next zone has one (else it goes last). Without `ordered` (pipeline stages, whose
 * order is not kept), Up and Down go nowhere.
 */
export function nextPlace(place: MovePlace, key: MoveKey, zones: readonly string[], othersIn: (zone: string) => number, ordered: boolean): MovePlace | null {
  if (key === 'ArrowLeft' || key === 'ArrowRight') {
    const zone = zones[zones.indexOf(place.zone) + (key === 'ArrowLeft' ? -1 : 1)];
    if (zone === undefined || !zones.includes(place.zone)) return null;
    return { zone, index: ordered ? Math.min(place.index, othersIn(zone)) : 0 };
  }
  if (!ordered) return null;
  const index = place.index + (key === 'ArrowUp' ? -1 : 1);
  if (index < 0 || index > othersIn(place.zone)) return null;
  return { zone: place.zone, index };
}

/**
 * A zone's items as shown while a card is picked up: the document's, without the card, and with it
 * at its place when that is in this zone.
 */
export function arrange<T extends { id: string }>(items: readonly T[], zone: string, picked: { item: T; place: MovePlace } | null): readonly T[] {
  if (!picked) return items;
  const others = items.filter((item) => item.id !== picked.item.id);
  if (picked.place.zone !== zone) return others.length === items.length ? items : others;
  const index = Math.min(Math.max(picked.place.index, 0), others.length);
  return [...others.slice(0, index), picked.item, ...others.slice(index)];
}
