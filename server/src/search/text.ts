/**
 * Words as search sees them, the same on both backends: a word is a run of letters and digits; it is
 * compared without case or accents ("École" and "ecole" are one word), the way SQLite's FTS5
 * tokenizer `unicode61 remove_diacritics 2` reads it. A query's words each match words that start
 * with them (a prefix: "mobil" finds "mobilité"), never the inside of a word ("cti" does not find
 * "construction").
 */

/** Words of a query beyond this many are ignored: a longer query narrows nothing a person needs. */
export const MAX_QUERY_WORDS = 8;

/** The marks that open and close a matched word in a marked text (private-use characters, stripped from indexed text). */
export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';

/** A stretch of a text, `[start, end)` in UTF-16 code units, that matched the query. */
export type MarkRange = [number, number];

/** Lower case without diacritics ("Réalisé" → "realise"). */
export function foldWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a text with where each starts and ends in it. */
export function* wordsOf(text: string): Generator<{ word: string; start: number; end: number }> {
  for (const match of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    yield { word: foldWord(match[0]), start: match.index, end: match.index + match[0].length };
  }
}

/** The folded words of a query, at most `MAX_QUERY_WORDS`, without repeats. */
export function queryWords(query: string): string[] {
  const words = new Set<string>();
  for (const { word } of wordsOf(query)) {
    if (word) words.add(word);
    if (words.size >= MAX_QUERY_WORDS) break;
  }
  return [...words];
}

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

/** The ranges of `text` whose words start with one of `words` (folded). */
export function matchRanges(text: string, words: readonly string[]): MarkRange[] {
  const ranges: MarkRange[] = [];
  for (const found of wordsOf(text)) {
    if (words.some((word) => found.word.startsWith(word))) ranges.push([found.start, found.end]);
  }
  return ranges;
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
