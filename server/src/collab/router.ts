import express, { type Request } from 'express';
import type * as Y from 'yjs';
import {
  BoardDoc,
  CreateCommentRequest,
  HistoryQuery,
  MarkNotificationsReadRequest,
  RequestSignOffRequest,
  can,
  isId,
  type AppNotification,
  type BoardRole,
  type HistoryEntry,
} from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import type { Principal } from '../auth/auth-service.js';
import { ApiError, parseBody } from '../http/errors.js';
import { requireBoardRole, requireMember } from '../http/guards.js';
import type { ActivityStore, BoardDirectory, PeopleStore } from '../store/account-store.js';
import type { SyncServer } from '../sync/sync-server.js';
import { memberPrincipal, type BoardChangeListener } from './board-change-listener.js';
import { mentionedPeople, mentionsOf, notifyMentioned } from './mentions.js';
import type { Notify } from './notifier.js';

export interface CollaborationRouterOptions {
  people: PeopleStore;
  directory: BoardDirectory;
  activity: ActivityStore;
  access: BoardAccess;
  /** Applies comments to the live board, stored and relayed like anyone's edit. */
  sync: Pick<SyncServer, 'editDocument'>;
  notify: Notify;
  /** The board change listener, whose not yet written history entries readers see too (optional). */
  history?: Pick<BoardChangeListener, 'pendingHistory'>;
}

/** How many notifications `GET /notifications` returns unless asked: the dropdown and page show the latest. */
const DEFAULT_NOTIFICATION_LIMIT = 50;

/**
 * Comments, sign-off requests, notifications and board history, under `/api` after the middleware
 * that sets `request.principal`. Comments go through here rather than the document so that
 * commenters (who may not edit) can post, and so that mentions are resolved and notified once.
 */
export function createCollaborationRouter(options: CollaborationRouterOptions): express.Router {
  const { people, directory, activity, access, sync, notify } = options;
  const router = express.Router();

  const requireRole = (minimum: BoardRole) => requireBoardRole(access, minimum);
  const principalOf = (request: Request): Principal => request.principal!;
  const roleOf = (request: Request): BoardRole => request.boardRole!;

  /** Reads (or edits) a proposal of the live board; `undefined` from `read` means no such proposal. */
  const withProposal = <T>(boardId: string, cardId: string, actor: { id: string; name: string }, read: (board: BoardDoc) => T) =>
    sync.editDocument(
      boardId,
      (doc: Y.Doc) => {
        const board = new BoardDoc(doc);
        // Comments and sign-offs exist on proposals only; a note or a missing card is not found.
        return board.getProposal(cardId) ? read(board) : undefined;
      },
      actor,
    );

  router.post('/boards/:boardId/cards/:cardId/comments', requireRole('commenter'), async (request, response) => {
    const principal = principalOf(request);
    const boardId = String(request.params.boardId);
    const cardId = String(request.params.cardId);
    const input = parseBody(CreateCommentRequest, request.body);
    if (!isId(cardId)) throw new ApiError('not_found');

    const mentioned = await mentionedPeople(people, principal, input.mentions ?? []);
    const mentions = mentionsOf(mentioned);

    const actor = { id: principal.id, name: principal.name };
    const result = await withProposal(boardId, cardId, actor, (board) => ({
      commentId: board.addComment(cardId, { authorId: principal.id, authorName: principal.name, text: input.text, mentions }),
      title: board.getCard(cardId)?.title ?? '',
    }));
    if (!result) throw new ApiError('not_found');

    await notifyMentioned({ access, directory, notify }, { author: principal, boardId, cardId, subject: result.title, text: input.text, mentioned });
    response.status(201).json({ id: result.commentId, mentions });
  });

  router.delete('/boards/:boardId/cards/:cardId/comments/:commentId', requireRole('commenter'), async (request, response) => {
    const principal = principalOf(request);
    const boardId = String(request.params.boardId);
    const cardId = String(request.params.cardId);
    const commentId = String(request.params.commentId);
    if (!isId(cardId) || !isId(commentId)) throw new ApiError('not_found');
    const owner = can.manage(roleOf(request));
    const outcome = await withProposal(boardId, cardId, { id: principal.id, name: principal.name }, (board) => {
      const comment = board.getProposal(cardId)?.comments.find((c) => c.id === commentId);
      if (!comment) return 'not_found' as const;
      // Authors take back their own words; owners moderate the board.
      if (comment.authorId !== principal.id && !owner) return 'forbidden' as const;
      board.deleteComment(cardId, commentId);
      return 'deleted' as const;
    });
    if (outcome === undefined || outcome === 'not_found') throw new ApiError('not_found');
    if (outcome === 'forbidden') throw new ApiError('forbidden');
    response.status(204).end();
  });

  router.post('/boards/:boardId/cards/:cardId/sign-off-requests', requireMember, requireRole('editor'), async (request, response) => {
    const principal = principalOf(request);
    const boardId = String(request.params.boardId);
    const cardId = String(request.params.cardId);
    const { department } = parseBody(RequestSignOffRequest, request.body);
    if (!isId(cardId)) throw new ApiError('not_found');
    const title = await withProposal(boardId, cardId, { id: principal.id, name: principal.name }, (board) => board.getCard(cardId)?.title ?? '');
    if (title === undefined) throw new ApiError('not_found');

    const board = await directory.getBoard(boardId);
    const recipients: string[] = [];
    for (const user of await people.listUsers()) {
      if (user.id === principal.id || user.deactivatedAt !== null || !user.departments.includes(department)) continue;
      if ((await access.roleOf(memberPrincipal(user), boardId)) === null) continue;
      recipients.push(user.id);
      await notify(user.id, {
        kind: 'sign_off_request',
        boardId,
        boardTitle: board?.title ?? '',
        cardId,
        subject: title,
        actorId: principal.id,
        actorName: principal.name,
        excerpt: department,
      });
    }
    response.status(202).json({ notified: recipients.length });
  });

  router.get('/notifications', async (request, response) => {
    const principal = request.principal;
    if (!principal) throw new ApiError('unauthorized');
    // Guests are not notified: they follow the one board they were invited to.
    if (principal.kind !== 'member') {
      response.json({ notifications: [] satisfies AppNotification[], unread: 0 });
      return;
    }
    const limit = Number(request.query.limit ?? DEFAULT_NOTIFICATION_LIMIT);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new ApiError('invalid_request', [{ path: 'limit', message: 'limit is 1 to 500' }]);
    const [notifications, unread] = await Promise.all([
      activity.listNotifications(principal.id, limit),
      activity.countUnreadNotifications(principal.id),
    ]);
    response.json({ notifications, unread });
  });

  router.post('/notifications/read', async (request, response) => {
    const principal = request.principal;
    if (!principal) throw new ApiError('unauthorized');
    const { ids } = parseBody(MarkNotificationsReadRequest, request.body);
    if (principal.kind === 'member') await activity.markNotificationsRead(principal.id, ids ?? null, new Date().toISOString());
    response.status(204).end();
  });

  // History names who did what, internal-document changes included: for the school's members only.
  router.get('/boards/:boardId/history', requireMember, requireRole('viewer'), async (request, response) => {
    const boardId = String(request.params.boardId);
    const query = parseBody(HistoryQuery, request.query);
    const stored = await activity.listHistory(boardId, query);
    // Entries still coalescing are the newest: shown on the first page only.
    const pending: HistoryEntry[] = query.before === undefined ? (options.history?.pendingHistory(boardId, query.cardId) ?? []) : [];
    response.json({ entries: [...pending, ...stored].slice(0, query.limit) });
  });

  return router;
}
