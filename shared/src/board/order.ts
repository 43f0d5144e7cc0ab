import { generateKeyBetween } from 'fractional-indexing';

/** Anything ordered by a fractional position key, ties broken by id so every replica agrees. */
export interface Positioned {
  id: string;
  position: string;
}

/** Sorts by position, then id: two replicas that generated the same key still agree on the order. */
export function byPosition(a: Positioned, b: Positioned): number {
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The position key that puts an item at `index` of `siblings` (sorted, without the item itself).
 * Concurrent inserts can produce equal keys; when the neighbours are equal, the new key goes right
 * after them rather than failing, and `byPosition`'s id tie-break keeps the order deterministic.
 */
export function positionAt(siblings: readonly Positioned[], index: number): string {
  const clamped = Math.max(0, Math.min(index, siblings.length));
  const before = clamped > 0 ? siblings[clamped - 1].position : null;
  let after = clamped < siblings.length ? siblings[clamped].position : null;
  if (before !== null && after !== null && before >= after) {
    after = siblings.slice(clamped).find((s) => s.position > before)?.position ?? null;
  }
  return generateKeyBetween(before, after);
}
