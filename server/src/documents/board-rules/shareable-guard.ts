import * as Y from 'yjs';
import { BoardDoc, GUARD_ORIGIN, INTERNAL_PROPOSAL_FIELDS } from '@passerelle/shared';

const INTERNAL_KEYS: ReadonlySet<string> = new Set(INTERNAL_PROPOSAL_FIELDS);

/**
 * Keeps internal fields out of the shareable board document. A client of an older version (or a
 * script) may still write a field that now lives in the internal document, such as a budget, onto
 * a card; the board document is what guests sync, so such a key is deleted at once. Returns the
 * number of keys removed.
 */
export function stripInternalFields(doc: Y.Doc, transaction: Y.Transaction): number {
  const board = new BoardDoc(doc);
  const found: [Y.Map<unknown>, string][] = [];
  transaction.changed.forEach((keys, type) => {
    if ((type as unknown) === board.cards) {
      for (const cardId of keys) {
        const card: unknown = cardId === null ? undefined : board.cards.get(cardId);
        if (card instanceof Y.Map) for (const key of card.keys()) if (INTERNAL_KEYS.has(key)) found.push([card, key]);
      }
      return;
    }
    if (type instanceof Y.Map && type.parent === board.cards) {
      for (const key of keys) if (key !== null && INTERNAL_KEYS.has(key) && type.has(key)) found.push([type, key]);
    }
  });
  if (found.length === 0) return 0;
  doc.transact(() => {
    for (const [card, key] of found) card.delete(key);
  }, GUARD_ORIGIN);
  return found.length;
}
