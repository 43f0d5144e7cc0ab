import express, { type Request } from 'express';
import {
  ARCHIVE_MEDIA_TYPE,
  CreateProposalVersionRequest,
  CreateVersionRequest,
  ProposalVersionCompareQuery,
  isId,
  translate,
  type BoardListEvent,
  type BoardRole,
  type MessageKey,
  type ProposalVersionSummary,
  type VersionPerson,
} from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import { boardRoleOf, requireAdmin, requireBoardRole, requireMember, requirePrincipal } from '../http/guards.js';
import type { Audit } from '../http/audit.js';
import { ApiError, parseBody, requestLocale } from '../http/errors.js';
import type { BoardDirectory } from '../store/account-store.js';
import { ArchiveError, type WorkspaceArchiver } from './archive.js';
import type { VersionService } from './version-service.js';
import { VersionLimitError } from './version-store.js';
import { openVersion, viewOf } from './version-view.js';

/**
 * Turns a `VersionLimitError` into 409 `version_limit`, its detail saying which cap in the caller's
 * language; any other error goes on as it was.
 */
export function refuseOverLimit(request: Request, messages: { named: MessageKey; bytes: MessageKey } = { named: 'versions.limit.named', bytes: 'versions.limit.bytes' }): (error: unknown) => never {
  return (error) => {
    if (!(error instanceof VersionLimitError)) throw error;
    const locale = requestLocale(request);
    const max =
      error.limit === 'named'
        ? error.max
        : new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 }).format(error.max / (1024 * 1024));
    throw new ApiError('version_limit', [{ path: '', message: translate(locale, error.limit === 'named' ? messages.named : messages.bytes, { max }) }]);
  };
}

/** The caps' messages for a proposal's versions, which share their board's caps. */
const PROPOSAL_LIMIT_MESSAGES = { named: 'versions.proposal.limit.named', bytes: 'versions.proposal.limit.bytes' } as const;

/** A proposal version's name from a request body, or 400 saying in the caller's language what is wrong with it. */
function proposalVersionName(request: Request): string {
  const parsed = CreateProposalVersionRequest.safeParse(request.body ?? {});
  if (parsed.success) return parsed.data.name;
  const key: MessageKey = parsed.error.issues.some((issue) => issue.code === 'too_big') ? 'versions.proposal.name.tooLong' : 'versions.proposal.name.required';
  throw new ApiError('invalid_request', [{ path: 'name', message: translate(requestLocale(request), key) }]);
}

/** Largest archive `POST /import` reads (256 MiB): a workspace's boards with all their versions. */
export const DEFAULT_MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

export interface VersionRouterOptions {
  directory: Pick<BoardDirectory, 'getBoard'>;
  access: BoardAccess;
  versions: VersionService;
  archiver: WorkspaceArchiver;
  audit: Audit;
  /** Announces imported boards to the people who may see them (optional). */
  publishBoardEvent?: (event: BoardListEvent) => void;
  /** Largest archive accepted by `POST /import` (default 256 MiB). */
  maxArchiveBytes?: number;
}

/**
 * Version history of boards and of their proposals, and the workspace archive, under `/api` after
 * the middleware that sets `request.principal`. A board's versions name who changed what and
 * include the internal document: the school's members only, guests get 403 whatever the board. A
 * proposal's versions are open to the board's guests too, who list and read the shared sections
 * only (never an internal one) and may name versions as editors, but only members restore or delete
 * them. Past a board's caps on versions, naming (or restoring, which keeps the state before) is
 * refused with 409 `version_limit`. Export and import: administrators.
 */
export function createVersionRouter(options: VersionRouterOptions): express.Router {
  const { directory, access, versions, archiver, audit } = options;
  const router = express.Router();

  const requireRole = (minimum: BoardRole) => requireBoardRole(access, minimum);
  const actorOf = (request: Request): VersionPerson => ({ id: request.principal!.id, name: request.principal!.name });

  router.get('/boards/:boardId/versions', requireMember, requireRole('viewer'), async (request, response) => {
    response.json({ versions: await versions.list(String(request.params.boardId)) });
  });

  router.post('/boards/:boardId/versions', requireMember, requireRole('editor'), async (request, response) => {
    const { name } = parseBody(CreateVersionRequest, request.body);
    const created = await versions.createNamed(String(request.params.boardId), name, actorOf(request)).catch(refuseOverLimit(request));
    response.status(201).json(created);
  });

  // The way to make room once a board's versions are at their cap: named versions are deleted by
  // someone who chose to, never by the server. Editors name and restore versions; they may delete them.
  router.delete('/boards/:boardId/versions/:versionId', requireMember, requireRole('editor'), async (request, response) => {
    const boardId = String(request.params.boardId);
    const versionId = String(request.params.versionId);
    const deleted = isId(versionId) && (await versions.delete(boardId, versionId));
    if (!deleted) throw new ApiError('not_found');
    // A named version may be the only record of a state someone chose to keep.
    await audit.record(request, 'version_deleted', { target: boardId, details: { versionId } });
    response.status(204).end();
  });

  router.get('/boards/:boardId/versions/:versionId', requireMember, requireRole('viewer'), async (request, response) => {
    const boardId = String(request.params.boardId);
    const versionId = String(request.params.versionId);
    const version = isId(versionId) ? await versions.get(boardId, versionId) : undefined;
    if (!version) throw new ApiError('not_found');
    const title = (await directory.getBoard(boardId))?.title ?? '';
    const { boardState: _board, internalState: _internal, ...summary } = version;
    response.json(viewOf(summary, title, openVersion(version.boardState, version.internalState)));
  });

  router.post('/boards/:boardId/versions/:versionId/restore', requireMember, requireRole('editor'), async (request, response) => {
    const boardId = String(request.params.boardId);
    const versionId = String(request.params.versionId);
    const result = isId(versionId) ? await versions.restore(boardId, versionId, actorOf(request)).catch(refuseOverLimit(request)) : undefined;
    if (!result) throw new ApiError('not_found');
    response.json(result);
  });

  // ---- A proposal's versions (both of its documents together) ----------------------------------

  const proposalPath = '/boards/:boardId/proposals/:cardId/versions';
  const cardIdOf = (request: Request): string => String(request.params.cardId);
  /** Whether the caller may have the proposal's internal sections: members only. */
  const includeInternal = (request: Request): boolean => request.principal?.kind === 'member';

  router.get(proposalPath, requirePrincipal, async (request, response) => {
    const { boardId } = await boardRoleOf(access, request, 'viewer');
    const cardId = cardIdOf(request);
    const listed = isId(cardId) ? await versions.proposals.list(boardId, cardId) : null;
    if (!listed) throw new ApiError('not_found');
    response.json({ versions: listed } satisfies { versions: ProposalVersionSummary[] });
  });

  router.post(proposalPath, requirePrincipal, async (request, response) => {
    const { boardId } = await boardRoleOf(access, request, 'editor');
    const cardId = cardIdOf(request);
    const name = proposalVersionName(request);
    const created = isId(cardId) ? await versions.proposals.createNamed(boardId, cardId, name, actorOf(request)).catch(refuseOverLimit(request, PROPOSAL_LIMIT_MESSAGES)) : undefined;
    if (!created) throw new ApiError('not_found');
    response.status(201).json(created);
  });

  // Before `/:versionId`, which would take `compare` for an id.
  router.get(`${proposalPath}/compare`, requirePrincipal, async (request, response) => {
    const { boardId } = await boardRoleOf(access, request, 'viewer');
    const cardId = cardIdOf(request);
    const parsed = ProposalVersionCompareQuery.safeParse(request.query);
    if (!parsed.success) {
      const locale = requestLocale(request);
      throw new ApiError(
        'invalid_request',
        parsed.error.issues.map((issue) => {
          const field = String(issue.path[0] ?? '');
          const key: MessageKey = field === 'lang' ? 'versions.proposal.compare.badLanguage' : field === 'sectionId' ? 'versions.proposal.compare.badSection' : 'versions.proposal.compare.badVersion';
          return { path: field, message: translate(locale, key) };
        }),
      );
    }
    const comparison = isId(cardId) ? await versions.proposals.compare(boardId, cardId, parsed.data, includeInternal(request)) : undefined;
    if (!comparison) throw new ApiError('not_found');
    response.json(comparison);
  });

  router.get(`${proposalPath}/:versionId`, requirePrincipal, async (request, response) => {
    const { boardId } = await boardRoleOf(access, request, 'viewer');
    const cardId = cardIdOf(request);
    const versionId = String(request.params.versionId);
    const view = isId(cardId) && isId(versionId) ? await versions.proposals.view(boardId, cardId, versionId, includeInternal(request)) : undefined;
    if (!view) throw new ApiError('not_found');
    response.json(view);
  });

  // A restore rewrites the internal sections too, which a guest never sees: members only.
  router.post(`${proposalPath}/:versionId/restore`, requireMember, requireRole('editor'), async (request, response) => {
    const boardId = String(request.params.boardId);
    const cardId = cardIdOf(request);
    const versionId = String(request.params.versionId);
    const result =
      isId(cardId) && isId(versionId)
        ? await versions.proposals.restore(boardId, cardId, versionId, actorOf(request)).catch(refuseOverLimit(request, PROPOSAL_LIMIT_MESSAGES))
        : undefined;
    if (!result) throw new ApiError('not_found');
    response.json(result);
  });

  router.delete(`${proposalPath}/:versionId`, requireMember, requireRole('editor'), async (request, response) => {
    const boardId = String(request.params.boardId);
    const cardId = cardIdOf(request);
    const versionId = String(request.params.versionId);
    const deleted = isId(cardId) && isId(versionId) && (await versions.proposals.delete(boardId, cardId, versionId));
    if (!deleted) throw new ApiError('not_found');
    await audit.record(request, 'version_deleted', { target: boardId, details: { versionId, cardId } });
    response.status(204).end();
  });

  router.get('/export', requireAdmin, async (request, response) => {
    const archive = await archiver.export();
    await audit.record(request, 'export', { target: 'workspace', details: { boards: archive.boards.length, people: archive.people.length } });
    const day = archive.exportedAt.slice(0, 10);
    response.setHeader('Content-Disposition', `attachment; filename="passerelle-${day}.json"`);
    response.json(archive);
  });

  // An archive is usually larger than the API's JSON limit: sent as `ARCHIVE_MEDIA_TYPE` (or
  // `application/octet-stream`) it is read here, with its own limit; a small one may be plain JSON.
  const archiveBody = express.raw({ type: [ARCHIVE_MEDIA_TYPE, 'application/octet-stream'], limit: options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES });
  router.post('/import', requireAdmin, archiveBody, async (request, response) => {
    const locale = requestLocale(request);
    const refuse = (problems: { path: string; key: Parameters<typeof translate>[1] }[]) =>
      new ApiError(
        'invalid_request',
        problems.map((problem) => ({ path: problem.path, message: translate(locale, problem.key) })),
      );
    let input: unknown = request.body;
    if (Buffer.isBuffer(input)) {
      try {
        input = JSON.parse(input.toString('utf8'));
      } catch {
        throw refuse([{ path: '', key: 'versions.archive.notJson' }]);
      }
    }
    try {
      const { result, boards } = await archiver.import(input, actorOf(request));
      for (const board of boards) options.publishBoardEvent?.({ type: 'created', board });
      await audit.record(request, 'import', { target: 'workspace', details: { boards: boards.length } });
      response.status(201).json(result);
    } catch (error) {
      if (error instanceof ArchiveError) throw refuse(error.problems);
      throw error;
    }
  });

  return router;
}
