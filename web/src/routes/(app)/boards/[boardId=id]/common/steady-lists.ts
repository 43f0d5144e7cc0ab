/**
 * The board's views are given lists (a column's cards, a lane's cards in a column, a stage's
 * proposals) rebuilt on every change. A list that holds the same items as before is kept instead, so
 * the view showing it, and the long lists it draws a part of, are left alone by a change elsewhere.
 * Tested in `test/unit/steady-lists.test.ts`.
 */

/** Whether two lists hold the same items (the same objects) in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a === b || (a.length === b.length && a.every((item, index) => item === b[index]));
}

/** `next`, each of whose lists is replaced by the one `previous` has under its key when both hold the same items. */
export function keepUnchanged<K, L extends readonly unknown[]>(previous: ReadonlyMap<K, L>, next: Map<K, L>): Map<K, L> {
  for (const [key, list] of next) {
    const before = previous.get(key);
    if (before && before !== list && sameItems(before, list)) next.set(key, before);
  }
  return next;
}
