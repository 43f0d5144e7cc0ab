/**
 * The modal dialogs open now, in the order they opened. A modal dialog makes everything outside it
 * inert and draws above it: what must stay seen and usable while one is open (the toasts, with
 * their Undo) goes inside the topmost one.
 */
import { untrack } from 'svelte';

const open = $state<HTMLDialogElement[]>([]);

/** Takes `dialog` out of the layer (read untracked: an effect that opens a dialog must not follow the layer). */
function forget(dialog: HTMLDialogElement): void {
  untrack(() => {
    const at = open.indexOf(dialog);
    if (at >= 0) open.splice(at, 1);
  });
}

export const modalLayer = {
  /** The modal dialog on top, or null when none is open. */
  get top(): HTMLDialogElement | null {
    return open.at(-1) ?? null;
  },
};

/**
 * Shows `dialog` as a modal dialog and keeps it in the layer until it closes or leaves the page;
 * returns what takes it out (an effect's teardown).
 */
export function openModal(dialog: HTMLDialogElement): () => void {
  if (!dialog.open) dialog.showModal();
  forget(dialog);
  untrack(() => open.push(dialog));
  const onclose = () => forget(dialog);
  dialog.addEventListener('close', onclose);
  return () => {
    dialog.removeEventListener('close', onclose);
    forget(dialog);
  };
}
