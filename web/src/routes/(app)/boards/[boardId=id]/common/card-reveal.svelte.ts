/**
 * Long columns draw only the cards in view (`VirtualList`). Before the board focuses a card (after
 * a keyboard move, a link, a search result), the list holding it scrolls it into view and draws it:
 * each long list registers here for as long as it is shown.
 */

import { untrack } from 'svelte';

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

/** What a long list offers to draw one of its items. */
export interface RevealableList {
  isDrawn(index: number): boolean;
  reveal(index: number): void;
}

/**
 * Keeps a long list's cards reachable (call during a component's initialisation): the card open in
 * the drawer is scrolled to and drawn behind it, to take the focus back when the drawer closes, and
 * a keyboard move, link or search result to one of its cards scrolls it into view first. Only while
 * `windowed()`: a short list draws every card.
 */
export function revealCardsOf(list: RevealableList, options: { ids: () => readonly { id: string }[]; windowed: () => boolean; open: () => string | null }): void {
  const indexOf = (cardId: string) => options.ids().findIndex((item) => item.id === cardId);
  $effect(() => {
    const open = options.open();
    if (!open || !options.windowed()) return;
    untrack(() => {
      const index = indexOf(open);
      if (index >= 0 && !list.isDrawn(index)) list.reveal(index);
    });
  });
  $effect(() =>
    registerCardRevealer((cardId) => {
      if (!options.windowed()) return false;
      const index = indexOf(cardId);
      if (index < 0) return false;
      list.reveal(index);
      return true;
    }),
  );
}
