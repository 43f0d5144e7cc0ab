import express, { type Request } from 'express';
import type * as Y from 'yjs';
import {
  BoardDoc,
  CreateProposalCommentRequest,
  ProposalComments,
  ProposalDoc,
  ReplyToProposalCommentRequest,
  can,
  isId,
  newId,
  proposalDocName,
  proposalInternalDocName,
  resolveAnchor,
  translate,
} from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import type { Principal } from '../auth/auth-service.js';
import { mentionedPeople, mentionsOf, notifyMentioned } from '../collab/mentions.js';
import type { Notify } from '../collab/notifier.js';
import { ApiError, parseBody, requestLocale } from '../http/errors.js';
import { boardRoleOf, requirePrincipal } from '../http/guards.js';
import type { BoardDirectory, PeopleStore, UserRecord } from '../store/account-store.js';
import type { SyncServer } from '../sync/sync-server.js';

export interface ProposalCommentsRouterOptions {
  people: Pick<PeopleStore, 'findUserById'>;
  directory: Pick<BoardDirectory, 'getBoard'>;
  access: BoardAccess;
  /** Writes comments into the live documents, stored and relayed like anyone's edit. */
  sync: Pick<SyncServer, 'editDocument' | 'readDocument'>;
  notify: Notify;
}

/**
 * Comments on proposal text, under `/api` after the middleware that sets `request.principal`:
 * anchored to a range of one section in one language, with replies, resolve and reopen, and
 * @mentions that notify. Through the API rather than the document so that commenters, who may not
 * edit, can comment, and mentions are resolved and notified once. Commenters and up, guests
 * included, on the shared sections; the internal sections' comments are members' only.
 */
export function createProposalCommentsRouter(options: ProposalCommentsRouterOptions): express.Router {
  const { people, directory, access, sync, notify } = options;
  const router = express.Router();

  /** The documents of a card's proposal a principal may read (the internal one: members only); null when the card is no proposal. */
  const documentsOf = async (principal: Principal, boardId: string, cardId: string): Promise<string[] | null> => {
    if (!isId(cardId)) return null;
    const isProposal = await sync.readDocument(boardId, (doc: Y.Doc) => new BoardDoc(doc).getProposal(cardId) !== undefined);
    if (!isProposal) return null;
    return [proposalDocName(boardId, cardId), ...(principal.kind === 'member' ? [proposalInternalDocName(boardId, cardId)] : [])];
  };

  /** The first of those documents `found` finds something in, with what it found, or 404. */
  const findIn = async <T>(principal: Principal, boardId: string, cardId: string, found: (doc: Y.Doc) => T | null): Promise<{ name: string; value: T }> => {
    for (const name of (await documentsOf(principal, boardId, cardId)) ?? []) {
      const value = await sync.readDocument(name, found);
      if (value !== null) return { name, value };
    }
    throw new ApiError('not_found');
  };

  const notifyAbout = async (author: Principal, boardId: string, cardId: string, mentioned: UserRecord[], text: string) => {
    if (mentioned.length === 0) return;
    const subject = await sync.readDocument(boardId, (doc: Y.Doc) => new BoardDoc(doc).getCard(cardId)?.title ?? '');
    await notifyMentioned({ access, directory, notify }, { author, boardId, cardId, subject, text, mentioned });
  };

  const actorOf = (request: Request) => ({ id: request.principal!.id, name: request.principal!.name });

  router.post('/boards/:boardId/proposals/:cardId/comments', requirePrincipal, async (request, response) => {
    const { boardId } = await boardRoleOf(access, request, 'commenter');
    const principal = request.principal!;
    const cardId = String(request.params.cardId);
    const input = parseBody(CreateProposalCommentRequest, request.body);
    const { name } = await findIn(principal, boardId, cardId, (doc) => new ProposalDoc(doc).section(input.sectionId));
    const mentioned = await mentionedPeople(people, principal, input.mentions ?? []);
    const mentions = mentionsOf(mentioned);
    const id = newId();
    const anchored = await sync.editDocument(
      name,
      (doc) => {
        const text = new ProposalDoc(doc).text(input.sectionId, input.language);
        if (!text || !resolveAnchor(doc, input.start, text) || !resolveAnchor(doc, input.end, text)) return false;
        new ProposalComments(doc).add(id, {
          sectionId: input.sectionId,
          language: input.language,
          start: input.start,
          end: input.end,
          quote: input.quote ?? '',
          authorId: principal.id,
          authorName: principal.name,
          text: input.text,
          mentions,
          createdAt: new Date().toISOString(),
        });
        return true;
      },
      actorOf(request),
    );
    if (!anchored) {
      throw new ApiError('invalid_request', [{ path: 'start', message: translate(requestLocale(request), 'proposal.comment.badAnchor') }]);
    }
    await notifyAbout(principal, boardId, cardId, mentioned, input.text);
    response.status(201).json({ id, mentions });
  });

  router.post('/boards/:boardId/proposals/:cardId/comments/:commentId/replies', requirePrincipal, async (request, response) => {
    const { boardId } = await boardRoleOf(access, request, 'commenter');
    const principal = request.principal!;
    const cardId = String(request.params.cardId);
    const input = parseBody(ReplyToProposalCommentRequest, request.body);
    const { name } = await findIn(principal, boardId, cardId, (doc) => new ProposalComments(doc).get(String(request.params.commentId)));
    const mentioned = await mentionedPeople(people, principal, input.mentions ?? []);
    const reply = {
      id: newId(),
      authorId: principal.id,
      authorName: principal.name,
      text: input.text,
      mentions: mentionsOf(mentioned),
      createdAt: new Date().toISOString(),
    };
    await sync.editDocument(name, (doc) => new ProposalComments(doc).reply(String(request.params.commentId), reply), actorOf(request));
    await notifyAbout(principal, boardId, cardId, mentioned, input.text);
    response.status(201).json({ id: reply.id, mentions: reply.mentions });
  });

  /** Resolving and reopening: the comment's author, or anyone who may edit the board. */
  const setResolved = (resolved: boolean) => async (request: Request, response: express.Response) => {
    const { boardId, role } = await boardRoleOf(access, request, 'commenter');
    const principal = request.principal!;
    const commentId = String(request.params.commentId);
    const { name, value: comment } = await findIn(principal, boardId, String(request.params.cardId), (doc) => new ProposalComments(doc).get(commentId));
    if (comment.authorId !== principal.id && !can.edit(role)) throw new ApiError('forbidden');
    const at = new Date().toISOString();
    await sync.editDocument(name, (doc) => new ProposalComments(doc).setResolved(commentId, resolved ? { by: principal.name, at } : null), actorOf(request));
    response.status(204).end();
  };
  router.post('/boards/:boardId/proposals/:cardId/comments/:commentId/resolve', requirePrincipal, setResolved(true));
  router.post('/boards/:boardId/proposals/:cardId/comments/:commentId/reopen', requirePrincipal, setResolved(false));

  // Authors take back their own words; owners moderate the board.
  router.delete('/boards/:boardId/proposals/:cardId/comments/:commentId', requirePrincipal, async (request, response) => {
    const { boardId, role } = await boardRoleOf(access, request, 'commenter');
    const principal = request.principal!;
    const commentId = String(request.params.commentId);
    const { name, value: comment } = await findIn(principal, boardId, String(request.params.cardId), (doc) => new ProposalComments(doc).get(commentId));
    if (comment.authorId !== principal.id && !can.manage(role)) throw new ApiError('forbidden');
    await sync.editDocument(name, (doc) => new ProposalComments(doc).delete(commentId), actorOf(request));
    response.status(204).end();
  });

  return router;
}
