/**
 * Long columns draw only the cards in view (`VirtualList`). Before the board focuses a card (after
 * a keyboard move, a link, a search result), the list holding it scrolls it into view and draws it:
 * each long list registers here for as long as it is shown.
 */

/** Draws the card if this list holds it, and says whether it did. */
export type CardRevealer = (cardId: string) => boolean;

const revealers = new Set<CardRevealer>();

/** Registers a list's revealer; returns the function that removes it. */
export function registerCardRevealer(revealer: CardRevealer): () => void {
  revealers.add(revealer);
  return () => revealers.delete(revealer);
}

/** Asks the lists shown to draw the card; true when one holds it. */
export function revealCard(cardId: string): boolean {
  for (const revealer of revealers) if (revealer(cardId)) return true;
  return false;
}
