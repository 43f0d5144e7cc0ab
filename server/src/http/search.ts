/**
 * Search by words over what a person may see: board titles (from the directory), and from the search
 * index (`server/src/search/`) cards, roadmap and action items, comments, proposals' text, internal
 * notes (members only), partners and agreements (members only). A query reads the index, never the
 * documents.
 */
import type { BoardSummary, SearchHit } from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import type { Principal } from '../auth/auth-service.js';
import type { IndexedHit, SearchIndex, SearchScope } from '../search/search-index.js';
import { foldWord, matchRanges, queryWords } from '../search/text.js';
import type { BoardDirectory } from '../store/account-store.js';

/**
 * Bounds on searches running at once. A search reads the index, not the boards, but still shares
 * the process's event loop (and, on Redis, its connection) with sync and the API: a flood of them
 * from one person is refused rather than queued.
 */
export interface SearchLimits {
  /** Searches one person may have running (default 1: the web app supersedes a query by the next). */
  perPerson: number;
  /** Searches running on this process, from everyone (default 2). */
  overall: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = { perPerson: 1, overall: 2 };

/** What a refused search is told to wait, in seconds: a moment. */
export const SEARCH_RETRY_AFTER_SECONDS = 2;

/**
 * Admits a search when both bounds allow. A search past them is refused at once rather than
 * queued: a queue would hold the requests (and their sockets) of whoever floods it.
 */
export class SearchLimiter {
  readonly #limits: SearchLimits;
  #running = 0;
  readonly #runningByPerson = new Map<string, number>();

  constructor(limits: Partial<SearchLimits> = {}) {
    this.#limits = { ...DEFAULT_SEARCH_LIMITS, ...limits };
  }

  /** Starts a search for `personId`: returns the function that ends it, or null when a bound is reached. */
  enter(personId: string): (() => void) | null {
    const mine = this.#runningByPerson.get(personId) ?? 0;
    if (mine >= this.#limits.perPerson || this.#running >= this.#limits.overall) return null;
    this.#running++;
    this.#runningByPerson.set(personId, mine + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#running--;
      const left = (this.#runningByPerson.get(personId) ?? 1) - 1;
      if (left > 0) this.#runningByPerson.set(personId, left);
      else this.#runningByPerson.delete(personId);
    };
  }
}

/** At most this many hits per search: enough to find something, small enough to read. */
export const MAX_SEARCH_HITS = 50;

export interface SearchOptions {
  index: SearchIndex;
  directory: BoardDirectory;
  access: BoardAccess;
}

/** Returns the function that answers one person's query: board titles first, then the index's hits, best first. */
export function createSearch(options: SearchOptions): (principal: Principal, query: string) => Promise<SearchHit[]> {
  const { index, directory, access } = options;
  return async (principal, query) => {
    const words = queryWords(query);
    if (words.length === 0) return [];
    const boards = await directory.listBoards();
    const roles = await access.rolesOf(principal, boards.map((board) => board.id));
    const visible = new Set(roles.keys());
    const member = principal.kind === 'member';
    const scope: SearchScope = { sharedBoards: visible, internalBoards: member ? visible : new Set(), workspace: member };
    const titles = new Map(boards.map((board) => [board.id, board.title]));
    const hits = boards.filter((board) => visible.has(board.id)).flatMap((board) => boardTitleHit(board, words));
    const found = await index.search(words, scope, MAX_SEARCH_HITS - hits.length);
    for (const hit of found) hits.push(toSearchHit(hit, hit.entry.boardId === null ? null : (titles.get(hit.entry.boardId) ?? null)));
    return hits.slice(0, MAX_SEARCH_HITS);
  };
}

/** A board whose title holds a word starting with each of `words`. */
function boardTitleHit(board: BoardSummary, words: readonly string[]): SearchHit[] {
  const marks = matchRanges(board.title, words);
  const folded = marks.map(([start, end]) => foldWord(board.title.slice(start, end)));
  if (!words.every((word) => folded.some((found) => found.startsWith(word)))) return [];
  return [{ kind: 'board', id: board.id, boardId: board.id, boardTitle: board.title, cardId: null, cardTitle: null, title: board.title, titleMarks: marks, excerpt: '', excerptMarks: [] }];
}

function toSearchHit(hit: IndexedHit, boardTitle: string | null): SearchHit {
  const { entry } = hit;
  return {
    kind: entry.kind,
    id: entry.itemId,
    boardId: entry.boardId,
    boardTitle,
    cardId: entry.cardId,
    cardTitle: hit.cardTitle,
    title: hit.title.text,
    titleMarks: hit.title.marks,
    excerpt: hit.excerpt.text,
    excerptMarks: hit.excerpt.marks,
  };
}
