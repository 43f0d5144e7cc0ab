/**
 * Search in the content of every board: proposal and note cards (title, description, proposal
 * sections), roadmap items (title, notes) and action items (title). A board open in a room is read
 * from the room's document, so unsaved-to-snapshot edits are found; any other board is read from the
 * store into a throwaway document that nobody else sees.
 */
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { BoardDoc, PROPOSAL_SECTIONS, type BoardSummary, type SearchHit, type SearchHitKind } from '@passerelle/shared';
import type { BoardDirectory } from '../store/account-store.js';
import type { DocumentStore } from '../store/document-store.js';

/**
 * Bounds on searches running at once. Until search has an index, each one reads every board the
 * person may see (5 at once held `/healthz` for seconds), so they are bounded on each process, whose
 * event loop they share with sync and the API.
 */
export interface SearchLimits {
  /** Searches one person may have running (default 1: the web app supersedes a query by the next). */
  perPerson: number;
  /** Searches running on this process, from everyone (default 2). */
  overall: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = { perPerson: 1, overall: 2 };

/** What a refused search is told to wait, in seconds: about what a search of a few hundred boards takes. */
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
/** Length of an excerpt around a match, in characters (before the "…" marks). */
const EXCERPT_LENGTH = 120;

export interface BoardSearchOptions {
  directory: BoardDirectory;
  documents: DocumentStore;
  /** The live document of a board whose room is loaded, or undefined. */
  liveDocument: (boardId: string) => Y.Doc | undefined;
  logger: Logger;
}

/** Returns a function that finds `query` (case and accents ignored) in the content of the boards a person may see. */
export function createBoardSearch(options: BoardSearchOptions): (query: string, visible: ReadonlySet<string>) => Promise<SearchHit[]> {
  return async (query, visible) => {
    const needle = foldText(query).text;
    const hits: SearchHit[] = [];
    if (!needle) return hits;
    for (const board of await options.directory.listBoards()) {
      if (!visible.has(board.id)) continue;
      // Each board is decoded in one go: between boards, sync and other requests get their turn.
      await new Promise((resolve) => setImmediate(resolve));
      let doc: Y.Doc;
      try {
        doc = options.liveDocument(board.id) ?? (await loadStored(options.documents, board.id));
      } catch (error) {
        // One unreadable board must not hide what the others hold; its room reports the same failure.
        options.logger.error({ err: error, board: board.id }, 'search could not read a board');
        continue;
      }
      for (const hit of searchBoard(new BoardDoc(doc), board, needle)) {
        hits.push(hit);
        if (hits.length >= MAX_SEARCH_HITS) return hits;
      }
    }
    return hits;
  };
}

/**
 * A stored board in a fresh document. Not migrated: the readers of `BoardDoc` already default what
 * older versions lack (a card without a kind reads as a note), and nothing is written back.
 */
async function loadStored(documents: DocumentStore, boardId: string): Promise<Y.Doc> {
  const stored = await documents.load(boardId);
  const doc = new Y.Doc();
  Y.transact(doc, () => {
    for (const update of stored.updates) Y.applyUpdate(doc, update);
  });
  return doc;
}

/** The hits of one board, cards first (in column order), then roadmap items, then action items. */
export function* searchBoard(board: BoardDoc, summary: Pick<BoardSummary, 'id' | 'title'>, needle: string): Generator<SearchHit> {
  const hit = (kind: SearchHitKind, id: string, title: string, fields: string[]): SearchHit | undefined => {
    for (const field of fields) {
      const excerpt = excerptAround(field, needle);
      if (excerpt !== null) return { boardId: summary.id, boardTitle: summary.title, kind, id, title, excerpt };
    }
    return undefined;
  };
  const byColumn = board.cardsByColumn();
  // Cards of a deleted column are not shown on the board: they are not found either.
  for (const column of board.listColumns()) {
    for (const card of byColumn.get(column.id) ?? []) {
      const proposal = card.kind === 'proposal' ? board.getProposal(card.id) : undefined;
      const sections = proposal ? PROPOSAL_SECTIONS.map((section) => proposal.sections[section]) : [];
      const found = hit(card.kind, card.id, card.title, [card.title, card.description, ...sections]);
      if (found) yield found;
    }
  }
  for (const item of board.roadmap.list()) {
    const found = hit('roadmap', item.id, item.title, [item.title, item.notes]);
    if (found) yield found;
  }
  for (const item of board.actions.list()) {
    const found = hit('action', item.id, item.title, [item.title]);
    if (found) yield found;
  }
}

/**
 * Lower case without diacritics ("Réalisé" → "realise"), with, for each character of the folded
 * text, the index in `text` it came from: a match in the folded text maps back to the original.
 */
export function foldText(text: string): { text: string; origins: number[] } {
  let folded = '';
  const origins: number[] = [];
  let index = 0;
  for (const char of text) {
    const piece = char.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
    folded += piece;
    for (let i = 0; i < piece.length; i++) origins.push(index);
    index += char.length;
  }
  origins.push(text.length);
  return { text: folded, origins };
}

/**
 * About `EXCERPT_LENGTH` characters of `text` around the first match of the folded `needle`, on one
 * line, cut at word boundaries and marked with "…" where cut; null when `text` does not match.
 */
export function excerptAround(text: string, needle: string): string | null {
  const folded = foldText(text);
  const at = folded.text.indexOf(needle);
  if (at < 0) return null;
  const matchStart = folded.origins[at];
  const matchEnd = folded.origins[at + needle.length];
  const room = Math.max(0, EXCERPT_LENGTH - (matchEnd - matchStart));
  let start = Math.max(0, matchStart - Math.floor(room / 2));
  let end = Math.min(text.length, matchEnd + (room - (matchStart - start)));
  start = Math.max(0, Math.min(start, end - EXCERPT_LENGTH));
  // Cut at a space rather than inside a word, unless that would lose most of the context.
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space >= 0 && space < matchStart && space - start < 20) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > matchEnd && end - space < 20) end = space;
  }
  const body = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
}
