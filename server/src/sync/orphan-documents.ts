/**
 * The sweep of documents whose board no longer exists. A board's documents (`<boardId>` and
 * `<boardId>/internal`; never `workspace`) are removed before its row, and a crash in between, a
 * failed deletion or a room of another process that wrote once more can leave them behind: content
 * nobody can open any more, internal budgets among it, which must not stay in the store.
 *
 * A board's documents may also exist for a moment before its row: the demo workspace writes them
 * first, possibly on another process than the one sweeping. So a board counts as gone only when it
 * is missing twice, a grace period apart; a board whose row appears in between keeps its documents.
 */
import type { Logger } from 'pino';
import type { BoardDirectory } from '../store/account-store.js';
import type { DocumentStore } from '../store/document-store.js';

export interface OrphanSweepOptions {
  documents: Pick<DocumentStore, 'list'>;
  directory: Pick<BoardDirectory, 'listBoards' | 'getBoard'>;
  /** The board a document belongs to, or null for documents of no board (`workspace`) and names the server does not use. */
  boardIdOf(docName: string): string | null;
  /** Closes every room of the board and removes its documents. */
  deleteBoard(boardId: string): Promise<void>;
  /** How long a board must stay missing before its documents are removed. */
  graceMs: number;
  /** Aborted when the server stops: nothing more is removed. */
  signal: AbortSignal;
  logger: Logger;
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    // A sweep waiting out its grace period does not keep the process alive.
    timer.unref();
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Finds the documents of missing boards, waits the grace period, removes those still without a board; resolves with their names. */
export async function sweepOrphanDocuments(options: OrphanSweepOptions): Promise<string[]> {
  const { directory, logger, signal } = options;
  const [names, boards] = await Promise.all([options.documents.list(), directory.listBoards()]);
  const existing = new Set(boards.map((board) => board.id));
  const missing = new Map<string, string[]>();
  for (const name of names) {
    const boardId = options.boardIdOf(name);
    if (boardId === null || existing.has(boardId)) continue;
    missing.set(boardId, [...(missing.get(boardId) ?? []), name]);
  }
  if (missing.size === 0) return [];
  logger.info({ documents: [...missing.values()].flat(), graceMs: options.graceMs }, 'documents without a board found: removed unless their board appears within the grace period');
  if (!(await pause(options.graceMs, signal))) return [];

  const removed: string[] = [];
  for (const [boardId, documents] of missing) {
    if (signal.aborted) break;
    // Read again, one by one: a board created during the grace period keeps its documents.
    if (await directory.getBoard(boardId)) continue;
    await options.deleteBoard(boardId);
    removed.push(...documents);
    logger.info({ boardId, documents }, 'removed the documents of a board that no longer exists');
  }
  return removed;
}
