/**
 * Binds a text field to a `Y.Text` so that two people typing in the same field merge character by
 * character: local input becomes the smallest delete+insert, and remote changes are spliced into the
 * field with the caret carried through them instead of jumping to the end.
 */
import type { Attachment } from 'svelte/attachments';
import type * as Y from 'yjs';

/** One contiguous replacement: delete `deleteCount` characters at `index`, then insert `insert`. */
export interface TextSplice {
  index: number;
  deleteCount: number;
  insert: string;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The minimal splice that turns `before` into `after`: the common prefix and suffix are kept. Never
 * cuts a surrogate pair in half, so an emoji is replaced whole rather than left as a broken half.
 */
export function diffText(before: string, after: string): TextSplice {
  let prefix = 0;
  const maxPrefix = Math.min(before.length, after.length);
  while (prefix < maxPrefix && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;

  let suffix = 0;
  const maxSuffix = Math.min(before.length, after.length) - prefix;
  while (suffix < maxSuffix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;

  return { index: prefix, deleteCount: before.length - prefix - suffix, insert: after.slice(prefix, after.length - suffix) };
}

/** Applies `after` to `text` as a minimal splice. Call inside the caller's transaction. */
export function applyTextEdit(text: Y.Text, after: string): void {
  const { index, deleteCount, insert } = diffText(text.toString(), after);
  if (deleteCount > 0) text.delete(index, deleteCount);
  if (insert) text.insert(index, insert);
}

/** Where position `index` of the old text lands after `delta` (a Y.Text event delta) is applied. */
export function mapThroughDelta(delta: readonly { retain?: number; insert?: unknown; delete?: number }[], index: number): number {
  let oldCursor = 0; // position in the old text
  let shift = 0;
  for (const op of delta) {
    if (oldCursor >= index) break;
    if (op.retain !== undefined) {
      oldCursor += op.retain;
    } else if (op.insert !== undefined) {
      // Text inserted before the caret pushes it right. Text inserted exactly at the caret stays
      // after it (the loop ends first), so the person keeps typing where they were.
      shift += typeof op.insert === 'string' ? op.insert.length : 1;
    } else if (op.delete !== undefined) {
      shift -= Math.min(op.delete, index - oldCursor);
      oldCursor += op.delete;
    }
  }
  return index + shift;
}

/**
 * `{@attach collabText(text, transact)}` on an <input> or <textarea>: keeps the field and the shared
 * text equal both ways. `transact` runs a local edit in the session's transaction (and origin), so
 * the edit is undoable and tagged as this person's.
 */
export function collabText(text: Y.Text, transact: (edit: () => void) => void): Attachment<HTMLInputElement | HTMLTextAreaElement> {
  return (field) => {
    field.value = text.toString();

    const onInput = () => {
      if (field.value === text.toString()) return;
      transact(() => applyTextEdit(text, field.value));
    };

    const onRemote = (event: Y.YTextEvent) => {
      const next = text.toString();
      if (next === field.value) return; // our own edit, already in the field
      const focused = document.activeElement === field;
      const { selectionStart, selectionEnd, selectionDirection } = field;
      field.value = next;
      if (focused && selectionStart !== null && selectionEnd !== null) {
        field.setSelectionRange(
          mapThroughDelta(event.delta, selectionStart),
          mapThroughDelta(event.delta, selectionEnd),
          selectionDirection ?? undefined,
        );
      }
    };

    field.addEventListener('input', onInput);
    text.observe(onRemote);
    return () => {
      field.removeEventListener('input', onInput);
      text.unobserve(onRemote);
    };
  };
}
