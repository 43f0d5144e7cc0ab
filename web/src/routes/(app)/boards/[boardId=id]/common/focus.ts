/** Where the board's forms and drawers put the keyboard focus when they open. */
import type { Attachment } from 'svelte/attachments';

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
