import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { IndexEntry } from './extract.js';
import type { IndexedHit, SearchIndex, SearchScope } from './search-index.js';
import { MARK_CLOSE, MARK_OPEN, excerptOf, parseMarked } from './text.js';

/**
 * The index's tables, created when missing: they are derived data, rebuilt from the documents when
 * `search_meta.built` is behind (`SearchIndexer`), so they need no migration of their own.
 * - `search_entries`: one row per entry, what it is and who may see it; `digest` tells whether an
 *   entry changed since it was indexed.
 * - `search_text`: FTS5 over the entries' title and body (same rowid). `unicode61 remove_diacritics 2`
 *   folds case and accents; prefix indexes of 2 and 3 characters keep short prefix queries cheap.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS search_entries (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,
    entry_key TEXT NOT NULL,
    board_id TEXT,
    card_id TEXT,
    item_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    audience TEXT NOT NULL,
    digest TEXT NOT NULL,
    UNIQUE (doc, entry_key)
  );
  CREATE INDEX IF NOT EXISTS search_entries_board ON search_entries(board_id);
  CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
  CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Weights of bm25 per column: a word in a title counts five times one in a text. */
const TITLE_WEIGHT = 5;
const BODY_WEIGHT = 1;
/** Tokens of an FTS5 snippet (its maximum is 64): about `EXCERPT_LENGTH` characters. */
const SNIPPET_TOKENS = 20;

interface StoredRow {
  id: number;
  entry_key: string;
  digest: string;
}

interface HitRow {
  board_id: string | null;
  card_id: string | null;
  item_id: string;
  kind: IndexEntry['kind'];
  audience: IndexEntry['audience'];
  entry_key: string;
  title: string;
  snippet: string;
  body_matched: number;
  card_title: string | null;
}

const digestOf = (entry: IndexEntry) =>
  createHash('sha1').update(JSON.stringify([entry.boardId, entry.cardId, entry.itemId, entry.kind, entry.audience, entry.title, entry.body])).digest('base64');

/** An FTS5 query: every word, each as a prefix (`"mobil"*`). Words are letters and digits only, quoted anyway. */
const matchExpression = (words: readonly string[]) => words.map((word) => `"${word.replace(/"/g, '""')}"*`).join(' ');

/** The embedded `SearchIndex`: SQLite FTS5 in the server's database. */
export class SqliteSearchIndex implements SearchIndex {
  readonly #db: Database.Database;
  readonly #statements;

  constructor(db: Database.Database) {
    this.#db = db;
    db.exec(SCHEMA);
    this.#statements = {
      entriesOf: db.prepare<[string], StoredRow>('SELECT id, entry_key, digest FROM search_entries WHERE doc = ?'),
      insertEntry: db.prepare<[string, string, string | null, string | null, string, string, string, string], { id: number }>(
        'INSERT INTO search_entries (doc, entry_key, board_id, card_id, item_id, kind, audience, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      ),
      updateEntry: db.prepare<[string | null, string | null, string, string, string, string, number]>(
        'UPDATE search_entries SET board_id = ?, card_id = ?, item_id = ?, kind = ?, audience = ?, digest = ? WHERE id = ?',
      ),
      deleteEntry: db.prepare<[number]>('DELETE FROM search_entries WHERE id = ?'),
      insertText: db.prepare<[number, string, string]>('INSERT INTO search_text (rowid, title, body) VALUES (?, ?, ?)'),
      deleteText: db.prepare<[number]>('DELETE FROM search_text WHERE rowid = ?'),
      entriesOfBoard: db.prepare<[string], { id: number }>('SELECT id FROM search_entries WHERE board_id = ?'),
      // The access rule is in the query, so that `limit` counts only what the person may see.
      search: db.prepare<[string, string, string, number, number], HitRow>(`
        SELECT e.board_id, e.card_id, e.item_id, e.kind, e.audience, e.entry_key,
               highlight(search_text, 0, '${MARK_OPEN}', '${MARK_CLOSE}') AS title,
               snippet(search_text, 1, '${MARK_OPEN}', '${MARK_CLOSE}', '…', ${SNIPPET_TOKENS}) AS snippet,
               instr(snippet(search_text, 1, '${MARK_OPEN}', '', '', 1), '${MARK_OPEN}') > 0 AS body_matched,
               (SELECT card_text.title FROM search_text AS card_text WHERE card_text.rowid = card.id) AS card_title
        FROM search_text
        JOIN search_entries e ON e.id = search_text.rowid
        LEFT JOIN search_entries card ON e.card_id IS NOT NULL AND card.doc = e.board_id AND card.entry_key = 'card:' || e.card_id
        WHERE search_text MATCH ?
          AND ((e.audience = 'shared' AND e.board_id IN (SELECT value FROM json_each(?)))
            OR (e.audience = 'internal' AND e.board_id IN (SELECT value FROM json_each(?)))
            OR (e.audience = 'workspace' AND ?))
          AND (e.card_id IS NULL OR card.id IS NOT NULL)
        ORDER BY bm25(search_text, ${TITLE_WEIGHT}, ${BODY_WEIGHT})
        LIMIT ?`),
      meta: db.prepare<[string], { value: string }>('SELECT value FROM search_meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>('INSERT INTO search_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
  }

  async replaceDocument(docName: string, entries: readonly IndexEntry[]): Promise<void> {
    const s = this.#statements;
    this.#db.transaction(() => {
      const stored = new Map(s.entriesOf.all(docName).map((row) => [row.entry_key, row]));
      for (const entry of entries) {
        const digest = digestOf(entry);
        const existing = stored.get(entry.key);
        stored.delete(entry.key);
        if (existing?.digest === digest) continue;
        if (existing) {
          s.updateEntry.run(entry.boardId, entry.cardId, entry.itemId, entry.kind, entry.audience, digest, existing.id);
          s.deleteText.run(existing.id);
          s.insertText.run(existing.id, entry.title, entry.body);
        } else {
          const { id } = s.insertEntry.get(docName, entry.key, entry.boardId, entry.cardId, entry.itemId, entry.kind, entry.audience, digest)!;
          s.insertText.run(id, entry.title, entry.body);
        }
      }
      for (const gone of stored.values()) {
        s.deleteText.run(gone.id);
        s.deleteEntry.run(gone.id);
      }
    })();
  }

  async removeBoard(boardId: string): Promise<void> {
    const s = this.#statements;
    this.#db.transaction(() => {
      for (const { id } of s.entriesOfBoard.all(boardId)) {
        s.deleteText.run(id);
        s.deleteEntry.run(id);
      }
    })();
  }

  async search(words: readonly string[], scope: SearchScope, limit: number): Promise<IndexedHit[]> {
    if (words.length === 0) return [];
    const rows = this.#statements.search.all(
      matchExpression(words),
      JSON.stringify([...scope.sharedBoards]),
      JSON.stringify([...scope.internalBoards]),
      scope.workspace ? 1 : 0,
      limit,
    );
    return rows.map((row) => {
      const snippet = parseMarked(row.snippet);
      return {
        entry: { key: row.entry_key, boardId: row.board_id, cardId: row.card_id, itemId: row.item_id, kind: row.kind, audience: row.audience },
        title: parseMarked(row.title),
        // FTS5 cuts the snippet at tokens: the same one-line form as the other backend's excerpts.
        excerpt: row.body_matched ? { text: snippet.text.replace(/\s/g, ' '), marks: snippet.marks } : excerptOf(snippet.text, []),
        cardTitle: row.card_title,
      };
    });
  }

  async isBuilt(version: number): Promise<boolean> {
    return this.#statements.meta.get('built')?.value === String(version);
  }

  async markBuilt(version: number): Promise<void> {
    this.#statements.setMeta.run('built', String(version));
  }

  async claimRebuild(): Promise<boolean> {
    // One process owns the database.
    return true;
  }

  async close(): Promise<void> {
    // The database is the backend's, closed by it.
  }
}
