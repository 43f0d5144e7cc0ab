/**
 * A readable comparison of two texts, word by word (spaces and line breaks kept), for "what changed
 * in the source since the translation was last brought in line" and for comparing two versions of
 * a section. `diff` (jsdiff) computes it.
 */
import { diffWordsWithSpace } from 'diff';

export interface TextChange {
  text: string;
  kind: 'same' | 'added' | 'removed';
}

/** The changes that turn `before` into `after`, in reading order. */
export function compareTexts(before: string, after: string): TextChange[] {
  return diffWordsWithSpace(before, after).map((part) => ({ text: part.value, kind: part.added ? 'added' : part.removed ? 'removed' : 'same' }));
}
