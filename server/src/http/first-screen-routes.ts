/**
 * `GET /api/boards/:boardId/first-screen`: the board's first screen (columns in order with their
 * titles and counts, the first cards of each with what a card face shows), answered from the
 * summary stored beside the board document, without loading the document: a page shows it while
 * the whole board syncs, which for 5,000 cards takes longer than a person waits. A board open on
 * this process is answered from its live document instead: the stored summary lags behind edits.
 *
 * Same access rule as the board (`viewer` and up, a board's guests included; 404 to anyone else,
 * so a board's existence is not revealed). What is served is parsed through `FirstScreen`, which
 * keeps only the fields a card face shows from the shareable document: nothing of the internal
 * document, the same for a member and a guest.
 */
import { createHash } from 'node:crypto';
import express from 'express';
import type * as Y from 'yjs';
import { FIRST_SCREEN_CARDS_PER_COLUMN, FirstScreen, readFirstScreen } from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import { boardKind } from '../documents/board.js';
import type { DocumentStore } from '../store/document-store.js';
import { requireBoardRole } from './guards.js';

export interface FirstScreenRouteOptions {
  access: BoardAccess;
  documents: Pick<DocumentStore, 'loadSummary'>;
  /**
   * The live document of a board whose room is loaded on this process (`SyncServer.documentOf`):
   * while people edit it, the stored summary lags behind (it is stored at compaction and close), and
   * could show a card since deleted or renamed to someone who may no longer see it live.
   */
  live?: (boardId: string) => Y.Doc | undefined;
}

/** The route's answer: the stored first screen and which state of the board it shows. */
export interface FirstScreenResponse extends FirstScreen {
  boardId: string;
  /** Sequence number of the last stored update of the board the summary reflects (0: none yet). */
  version: number;
  /** Most cards a column's `cards` holds (`cardCount` says how many it has in all). */
  cardsPerColumn: number;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The board's first screen as served: from its live document when it is open on this process,
 * else from the stored summary; null when there is none to show (none stored yet, or stored by an
 * older version). The caller has checked the person's access.
 */
export function createFirstScreenReader(options: Omit<FirstScreenRouteOptions, 'access'>): (boardId: string) => Promise<FirstScreenResponse | null> {
  return async (boardId) => {
    const stored = await options.documents.loadSummary(boardKind.nameFor!(boardId));
    // Open here: what everyone connected sees now, not what was last stored.
    const live = options.live?.(boardId);
    const parsed = live ? { success: true as const, data: readFirstScreen(live) } : stored ? FirstScreen.safeParse(parseJson(stored.summary)) : null;
    if (!parsed?.success) return null;
    return { boardId, version: stored?.throughSeq ?? 0, cardsPerColumn: FIRST_SCREEN_CARDS_PER_COLUMN, ...parsed.data };
  };
}

export function createFirstScreenRouter(options: FirstScreenRouteOptions): express.Router {
  const router = express.Router();
  const read = createFirstScreenReader(options);
  router.get('/boards/:boardId/first-screen', requireBoardRole(options.access, 'viewer'), async (request, response) => {
    const body = await read(String(request.params.boardId));
    // The browser asks again each time and gets 304 while it is unchanged.
    response.setHeader('Cache-Control', 'private, no-cache');
    if (!body) {
      // The page waits for the board to sync.
      response.status(204).end();
      return;
    }
    const json = JSON.stringify(body);
    const etag = `"${body.version}-${createHash('sha256').update(json).digest('base64url').slice(0, 16)}"`;
    response.setHeader('ETag', etag);
    if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      response.status(304).end();
      return;
    }
    response.type('application/json').send(json);
  });
  return router;
}
