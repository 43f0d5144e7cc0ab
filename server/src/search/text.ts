/**
 * Marked texts and excerpts for search results; the words themselves (`foldWord`, `wordsOf`,
 * `queryWords`, `matchRanges`) are shared with the web app (`shared/src/search-words.ts`).
 */
import { foldWord, matchRanges, queryWords, wordsOf } from '@passerelle/shared';

export { foldWord, matchRanges, queryWords, wordsOf };

/** The marks that open and close a matched word in a marked text (private-use characters, stripped from indexed text). */
export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';

/** A stretch of a text, `[start, end)` in UTF-16 code units, that matched the query. */
export type MarkRange = [number, number];

/** Text as it is indexed: without the mark characters, which only the search may put there. */
export function indexableText(text: string): string {
  return text.replace(/[\uE000\uE001]/g, '');
}

/** A text marked with `MARK_OPEN`/`MARK_CLOSE` as plain text and the ranges the marks enclosed. */
export function parseMarked(marked: string): { text: string; marks: MarkRange[] } {
  let text = '';
  const marks: MarkRange[] = [];
  let open = -1;
  for (const char of marked) {
    if (char === MARK_OPEN) open = text.length;
    else if (char === MARK_CLOSE) {
      if (open >= 0 && text.length > open) marks.push([open, text.length]);
      open = -1;
    } else text += char;
  }
  return { text, marks };
}

/** Length of an excerpt, in characters (before the "…" marks): enough to read the match in context. */
export const EXCERPT_LENGTH = 120;

/**
 * About `EXCERPT_LENGTH` characters of `text` around its first match, on one line, cut at spaces
 * and marked with "…" where cut, with the matches' ranges in the excerpt. The whole text (up to the
 * length) when nothing matches.
 */
export function excerptOf(text: string, ranges: readonly MarkRange[]): { text: string; marks: MarkRange[] } {
  const first = ranges[0];
  let start = 0;
  if (first && first[1] > EXCERPT_LENGTH) {
    start = Math.max(0, first[0] - Math.floor(EXCERPT_LENGTH / 3));
    const space = text.indexOf(' ', start);
    if (space >= 0 && space < first[0] && space - start < 20) start = space + 1;
  }
  let end = Math.min(text.length, start + EXCERPT_LENGTH);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start && end - space < 20 && (!first || space >= first[1])) end = space;
  }
  const prefix = start > 0 ? '…' : '';
  // Line breaks become spaces one for one, so that the ranges stay where they were.
  const body = text.slice(start, end).replace(/\s/g, ' ');
  const marks = ranges
    .filter(([from, to]) => from >= start && to <= end)
    .map(([from, to]): MarkRange => [from - start + prefix.length, to - start + prefix.length]);
  return { text: `${prefix}${body}${end < text.length ? '…' : ''}`, marks };
}
