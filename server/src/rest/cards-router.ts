/**
 * Cards over REST (`/api/boards/{boardId}/columns`, `/cards`): read, create, update, move and
 * delete, applied to the live board document so that open boards update at once. Who may do what
 * is the sync endpoint's rule (`grantOn`); every change goes through the board's rules as the same
 * person's change in a browser would (`RuledEdit`); internal fields are read from and written to the
 * board's internal document, and only for those who may open it (members, never a partner guest).
 */
import express, { type Request } from 'express';
import * as Y from 'yjs';
import {
  BoardDoc,
  CreateCardRequest,
  GateError,
  InternalDoc,
  MoveCardRequest,
  ProposalFields,
  UpdateCardRequest,
  ValidationError,
  internalDocName,
  isId,
  missingSignOffs,
  readSignOffs,
  translate,
  validate,
  type MessageKey,
  type WorkflowRefusal,
} from '@passerelle/shared';
import { ApiError, parseBody, requestLocale } from '../http/errors.js';
import { restCardOf, restCardsOf } from './card-view.js';
import { editAs, gateRefusal, grantOn, workflowRefused, type DocumentGrant, type RestSync } from './document-access.js';

export interface CardsRouterOptions {
  sync: RestSync;
}

/** The error for a field that names something the board does not have, in the caller's language. */
function fieldError(request: Request, path: string, key: MessageKey, code: 'invalid_request' | 'forbidden' = 'invalid_request'): ApiError {
  return new ApiError(code, [{ path, message: translate(requestLocale(request), key) }]);
}

/** A `ValidationError` of the shared model (catalog keys as messages) as a 400 in the caller's language. */
function invalid(request: Request, error: ValidationError, prefix: string): ApiError {
  const locale = requestLocale(request);
  return new ApiError(
    'invalid_request',
    error.issues.map((issue) => ({ path: [prefix, issue.path].filter(Boolean).join('.'), message: issue.message.includes('.') ? translate(locale, issue.message as MessageKey) : issue.message })),
  );
}

/** Replaces a collaborative text's content, when it differs. */
function replaceText(text: Y.Text | undefined, value: string): void {
  if (!text || text.toString() === value) return;
  text.delete(0, text.length);
  text.insert(0, value);
}

/** Cards over REST, under `/api`. */
export function createCardsRouter(options: CardsRouterOptions): express.Router {
  const { sync } = options;
  const router = express.Router();

  const boardIdOf = (request: Request) => {
    const boardId = String(request.params.boardId);
    if (!isId(boardId)) throw new ApiError('not_found');
    return boardId;
  };
  const cardIdOf = (request: Request) => String(request.params.cardId);
  const boardGrant = (request: Request, write: boolean) => grantOn(sync, request, boardIdOf(request), write);
  /** The board's internal document when the caller may open it, else null (a guest's view). */
  const internalFor = async (grant: DocumentGrant, boardId: string) => {
    const { role } = await sync.accessTo(grant.principal, internalDocName(boardId));
    return role === null || role === 'missing' ? null : internalDocName(boardId);
  };
  const readCard = async (grant: DocumentGrant, boardId: string, cardId: string) => {
    const internalName = await internalFor(grant, boardId);
    const internal = internalName ? await sync.readDocument(internalName, (doc) => new InternalDoc(doc)) : null;
    return sync.readDocument(boardId, (doc) => restCardOf(new BoardDoc(doc), cardId, internal));
  };
  /** Writes internal fields, refused to whoever may not open the internal document. */
  const writeInternal = async (request: Request, grant: DocumentGrant, boardId: string, cardId: string, patch: Record<string, unknown> | undefined) => {
    if (patch === undefined) return;
    const name = await internalFor(grant, boardId);
    if (!name) throw fieldError(request, 'internal', 'api.error.internalForMembers', 'forbidden');
    const { canWrite } = await sync.accessTo(grant.principal, name);
    if (!canWrite) throw new ApiError('forbidden');
    await editAs(sync, grant, (doc) => new InternalDoc(doc).updateProposal(cardId, patch), name);
  };

  router.get('/boards/:boardId/columns', async (request, response) => {
    const grant = await boardGrant(request, false);
    response.json({ columns: await sync.readDocument(grant.name, (doc) => new BoardDoc(doc).listColumns()) });
  });

  router.get('/boards/:boardId/cards', async (request, response) => {
    const grant = await boardGrant(request, false);
    const internalName = await internalFor(grant, grant.name);
    const internal = internalName ? await sync.readDocument(internalName, (doc) => doc) : null;
    response.json({ cards: await sync.readDocument(grant.name, (doc) => restCardsOf(doc, internal)) });
  });

  router.get('/boards/:boardId/cards/:cardId', async (request, response) => {
    const grant = await boardGrant(request, false);
    const card = await readCard(grant, grant.name, cardIdOf(request));
    if (!card) throw new ApiError('not_found');
    response.json(card);
  });

  router.post('/boards/:boardId/cards', async (request, response) => {
    const grant = await boardGrant(request, true);
    const input = parseBody(CreateCardRequest, request.body);
    if (input.internal && !(await internalFor(grant, grant.name))) throw fieldError(request, 'internal', 'api.error.internalForMembers', 'forbidden');
    if (input.kind !== 'proposal' && (input.fields || input.internal)) throw fieldError(request, 'fields', 'api.error.notProposal');
    // Everything is checked before the first write: a Yjs transaction cannot be rolled back.
    const { result, origin } = await editAs(sync, grant, (doc) => {
      const board = new BoardDoc(doc);
      if (!board.columns.has(input.columnId)) return { error: fieldError(request, 'columnId', 'api.error.columnNotFound') };
      const fields = { title: input.title, description: input.description, createdBy: grant.principal.id };
      try {
        const cardId = input.kind === 'proposal' ? board.addProposal(input.columnId, { ...fields, fields: input.fields }, input.index) : board.addCard(input.columnId, fields, input.index);
        return { cardId };
      } catch (error) {
        if (error instanceof GateError) return { error: workflowRefused(request, [gateRefusal(grant.name, '', error.target, error.missing)]) };
        if (error instanceof ValidationError) return { error: invalid(request, error, 'fields') };
        throw error;
      }
    });
    if ('error' in result) throw result.error;
    if (origin.refusals.length > 0) throw workflowRefused(request, origin.refusals as WorkflowRefusal[]);
    await writeInternal(request, grant, grant.name, result.cardId, input.internal);
    response.status(201).json(await readCard(grant, grant.name, result.cardId));
  });

  router.patch('/boards/:boardId/cards/:cardId', async (request, response) => {
    const grant = await boardGrant(request, true);
    const cardId = cardIdOf(request);
    const patch = parseBody(UpdateCardRequest, request.body);
    if (patch.internal && !(await internalFor(grant, grant.name))) throw fieldError(request, 'internal', 'api.error.internalForMembers', 'forbidden');
    const { result, origin } = await editAs(sync, grant, (doc) => {
      const board = new BoardDoc(doc);
      const card = board.getCard(cardId);
      if (!card) return { error: new ApiError('not_found') };
      const willBeProposal = card.kind === 'proposal' || patch.kind === 'proposal';
      if (!willBeProposal && (patch.fields || patch.stage || patch.internal)) return { error: fieldError(request, 'fields', 'api.error.notProposal') };
      // Checked before the first write, as one change: the fields, then the gates on the way to the stage.
      if (willBeProposal) {
        const map = board.cards.get(cardId)!;
        const current = card.kind === 'proposal' ? board.getProposal(cardId)! : null;
        let next: ProposalFields;
        try {
          next = validate(ProposalFields, { ...(current ?? {}), ...patch.fields, ...(patch.stage ? { stage: patch.stage } : {}) });
        } catch (error) {
          if (error instanceof ValidationError) return { error: invalid(request, error, 'fields') };
          throw error;
        }
        const missing = patch.stage ? missingSignOffs(next, readSignOffs(map), patch.stage) : [];
        if (missing.length > 0) return { error: workflowRefused(request, [gateRefusal(grant.name, cardId, patch.stage, missing)]) };
      }
      if (patch.title !== undefined) replaceText(board.cardTitleText(cardId), patch.title);
      if (patch.description !== undefined) replaceText(board.cardDescriptionText(cardId), patch.description);
      if (patch.kind === 'proposal') board.convertToProposal(cardId);
      if (patch.fields) board.updateProposal(cardId, patch.fields);
      if (patch.stage) board.setProposalStage(cardId, patch.stage);
      return { ok: true as const };
    });
    if ('error' in result) throw result.error;
    if (origin.refusals.length > 0) throw workflowRefused(request, origin.refusals as WorkflowRefusal[]);
    await writeInternal(request, grant, grant.name, cardId, patch.internal);
    response.json(await readCard(grant, grant.name, cardId));
  });

  router.post('/boards/:boardId/cards/:cardId/move', async (request, response) => {
    const grant = await boardGrant(request, true);
    const cardId = cardIdOf(request);
    const { columnId, index } = parseBody(MoveCardRequest, request.body);
    const { result } = await editAs(sync, grant, (doc) => {
      const board = new BoardDoc(doc);
      if (!board.getCard(cardId)) return { error: new ApiError('not_found') };
      if (!board.columns.has(columnId)) return { error: fieldError(request, 'columnId', 'api.error.columnNotFound') };
      board.moveCard(cardId, columnId, index);
      return { ok: true as const };
    });
    if ('error' in result) throw result.error;
    response.json(await readCard(grant, grant.name, cardId));
  });

  router.delete('/boards/:boardId/cards/:cardId', async (request, response) => {
    const grant = await boardGrant(request, true);
    const cardId = cardIdOf(request);
    const { result: deleted } = await editAs(sync, grant, (doc) => {
      const board = new BoardDoc(doc);
      if (!board.getCard(cardId)) return false;
      board.deleteCard(cardId);
      return true;
    });
    if (!deleted) throw new ApiError('not_found');
    response.status(204).end();
  });

  return router;
}
