import * as Y from 'yjs';
import { BoardDoc, GUARD_ORIGIN } from '@passerelle/shared';

/**
 * Keeps the board document's shape: every entry of its `cards` and `columns` maps is a map. A
 * client can write any value at any key; a card that is a string or a number would make every
 * reader of the board fail (the web app of everyone on it, guests included). Such an entry, written
 * in `transaction`, is deleted at once, before the other guards read the cards. Returns the number
 * of entries removed.
 */
export function removeMalformedEntries(doc: Y.Doc, transaction: Y.Transaction): number {
  const board = new BoardDoc(doc);
  const found: [Y.Map<unknown>, string][] = [];
  for (const entries of [board.cards, board.columns] as Y.Map<unknown>[]) {
    const keys = transaction.changed.get(entries as unknown as Y.AbstractType<Y.YEvent<any>>);
    if (!keys) continue;
    for (const key of keys) if (key !== null && entries.has(key) && !(entries.get(key) instanceof Y.Map)) found.push([entries, key]);
  }
  if (found.length === 0) return 0;
  doc.transact(() => {
    for (const [entries, key] of found) entries.delete(key);
  }, GUARD_ORIGIN);
  return found.length;
}
