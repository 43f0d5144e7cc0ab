/**
 * The search index: what each document holds in words, kept up to date as documents change
 * (`SearchIndexer`) so that a query reads the index, never the documents. Two implementations: SQLite
 * FTS5 in the embedded database (`SqliteSearchIndex`), and an inverted index in Redis shared by every
 * process (`RedisSearchIndex`). Both find words by prefix, without case or accents (`text.ts`), and
 * rank a match in a title above one in a text.
 */
import type { IndexEntry } from './extract.js';
import type { MarkRange } from './text.js';

/** What one person may find: the boards they see, those whose internal content they see, and the workspace. */
export interface SearchScope {
  /** Boards whose shared content the person may read (members: every board they have a role on; a guest: their board). */
  sharedBoards: ReadonlySet<string>;
  /** Boards whose internal content the person may read (members with a role; never a guest). */
  internalBoards: ReadonlySet<string>;
  /** Partners and agreements (workspace members; never a guest). */
  workspace: boolean;
}

/** An entry that matched, best first, with the matched words marked. */
export interface IndexedHit {
  entry: Omit<IndexEntry, 'title' | 'body'>;
  title: { text: string; marks: MarkRange[] };
  excerpt: { text: string; marks: MarkRange[] };
  /** The title of the card the entry belongs to (a comment's, a section's), else null. */
  cardTitle: string | null;
}

export interface SearchIndex {
  /**
   * Makes the index hold `entries` for `docName` and nothing else of it; entries that did not change
   * are left alone, so re-indexing a large board after a one-card edit writes one row.
   */
  replaceDocument(docName: string, entries: readonly IndexEntry[]): Promise<void>;
  /** Forgets everything of a deleted board (its documents' entries). */
  removeBoard(boardId: string): Promise<void>;
  /**
   * The best `limit` entries in `scope` holding every one of `words` (folded, each a word's start),
   * a title match ranked above a text match. An entry of a card (a comment, a section) whose card is
   * no longer indexed is not returned: the card was deleted.
   */
  search(words: readonly string[], scope: SearchScope, limit: number): Promise<IndexedHit[]>;
  /** Whether the index was built from every stored document at this `version` of what is indexed. */
  isBuilt(version: number): Promise<boolean>;
  markBuilt(version: number): Promise<void>;
  /**
   * Takes the right to rebuild the index from the stored documents, for a while (one process of
   * several does it); false when another holds it.
   */
  claimRebuild(): Promise<boolean>;
  /** Resolves when the index's storage answers now (readiness); absent when it shares the database's. */
  ping?(): Promise<void>;
  close(): Promise<void>;
}
