import express, { type Request } from 'express';
import {
  ARCHIVE_MEDIA_TYPE,
  CreateVersionRequest,
  isId,
  translate,
  type BoardListEvent,
  type BoardRole,
  type VersionPerson,
} from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import { requireAdmin, requireBoardRole, requireMember } from '../http/guards.js';
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
function refuseOverLimit(request: Request): (error: unknown) => never {
  return (error) => {
    if (!(error instanceof VersionLimitError)) throw error;
    const locale = requestLocale(request);
    const max =
      error.limit === 'named'
        ? error.max
        : new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 }).format(error.max / (1024 * 1024));
    throw new ApiError('version_limit', [{ path: '', message: translate(locale, error.limit === 'named' ? 'versions.limit.named' : 'versions.limit.bytes', { max }) }]);
  };
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
 * Version history of boards and the workspace archive, under `/api` after the middleware that
 * sets `request.principal`. Versions name who changed what and include the internal document: the
 * school's members only, guests get 403 whatever the board. Past a board's caps on versions, naming
 * (or restoring, which keeps the state before) is refused with 409 `version_limit`. Export and
 * import: administrators.
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
