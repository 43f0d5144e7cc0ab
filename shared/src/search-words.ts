/**
 * Words as search sees them, on the server and in the web app alike: a word is a run of letters and
 * digits, compared without case or accents ("École" and "ecole" are one word), the way SQLite's FTS5
 * tokenizer `unicode61 remove_diacritics 2` reads it. A query's words each match words that start
 * with them ("mobil" finds "mobilité"), never the inside of a word ("cti" does not find "construction").
 */

/** Words of a query beyond this many are ignored: a longer query narrows nothing a person needs. */
export const MAX_QUERY_WORDS = 8;

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

/** The ranges of `text` whose words start with one of `words` (folded). */
export function matchRanges(text: string, words: readonly string[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const found of wordsOf(text)) {
    if (words.some((word) => found.word.startsWith(word))) ranges.push([found.start, found.end]);
  }
  return ranges;
}

/** Whether every word of the query starts a word of one of `texts`. */
export function matchesAllWords(query: string, texts: readonly (string | null | undefined)[]): boolean {
  const words = queryWords(query);
  if (words.length === 0) return false;
  const found = texts.flatMap((text) => (text ? [...wordsOf(text)].map((entry) => entry.word) : []));
  return words.every((word) => found.some((candidate) => candidate.startsWith(word)));
}
