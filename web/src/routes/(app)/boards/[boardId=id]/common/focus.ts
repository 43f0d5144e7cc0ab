/** Where the board's forms, drawers and keyboard moves put the keyboard focus. */
import { tick } from 'svelte';
import type { Attachment } from 'svelte/attachments';
import { revealCard } from './card-reveal.svelte.js';

/** `{@attach focusOnMount}`: the field a form opens on, ready to type in. */
export const focusOnMount: Attachment<HTMLElement> = (element) => {
  element.focus();
};

/**
 * `{@attach focusAtStart}` on a card's title: focused without scrolling a long title to its end,
 * since the person reads it from the start.
 */
export const focusAtStart: Attachment<HTMLInputElement> = (input) => {
  input.focus({ preventScroll: true });
  input.setSelectionRange(0, 0);
  input.scrollLeft = 0;
};

/**
 * Focuses a card of a view (`card` on the board, `pipeline-card` in the pipeline) once the view has
 * drawn it: a move may have re-created its element in another column or stage, and a long column
 * draws it only once scrolled to it (a few frames at most).
 */
export async function focusCardWhenShown(testId: 'card' | 'pipeline-card', cardId: string): Promise<void> {
  await tick();
  const selector = `[data-testid="${testId}"][data-card-id="${cardId}"]`;
  let card = document.querySelector<HTMLElement>(selector);
  if (!card && revealCard(cardId)) {
    for (let frame = 0; frame < 10 && !card; frame++) {
      await tick();
      card = document.querySelector<HTMLElement>(selector);
      if (!card) await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }
  if (card && document.activeElement !== card) card.focus();
}
