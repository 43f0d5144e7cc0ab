/**
 * The workspace's versions (`/api/workspace/versions...`), under `/api` after the middleware that
 * sets `request.principal`. Every member reads the records, so every member lists and previews their
 * versions; a member who may change some record names versions; restoring (which changes every
 * department's figures) and deleting one are for administrators.
 */
import express, { type Request } from 'express';
import { CreateVersionRequest, canChangeSomeWorkspaceRecord, isId, type VersionPerson } from '@passerelle/shared';
import { recordEditorOf } from '../auth/auth-service.js';
import type { Audit } from '../http/audit.js';
import { ApiError, parseBody } from '../http/errors.js';
import { requireAdmin, requireMember } from '../http/guards.js';
import { refuseOverLimit } from './router.js';
import type { WorkspaceVersionService } from './workspace-version-service.js';

export interface WorkspaceVersionsRouterOptions {
  versions: WorkspaceVersionService;
  audit: Audit;
}

/** The caps' messages for the workspace's versions. */
const LIMIT_MESSAGES = { named: 'workspaceVersions.limit.named', bytes: 'workspaceVersions.limit.bytes' } as const;

export function createWorkspaceVersionsRouter(options: WorkspaceVersionsRouterOptions): express.Router {
  const { versions, audit } = options;
  const router = express.Router();
  const actorOf = (request: Request): VersionPerson => ({ id: request.principal!.id, name: request.principal!.name });
  const versionIdOf = (request: Request): string | null => {
    const versionId = String(request.params.versionId);
    return isId(versionId) ? versionId : null;
  };

  router.get('/workspace/versions', requireMember, async (_request, response) => {
    response.json({ versions: await versions.list() });
  });

  router.post('/workspace/versions', requireMember, async (request, response) => {
    if (!canChangeSomeWorkspaceRecord(recordEditorOf(request.principal!))) throw new ApiError('forbidden');
    const { name } = parseBody(CreateVersionRequest, request.body);
    const created = await versions.createNamed(name, actorOf(request)).catch(refuseOverLimit(request, LIMIT_MESSAGES));
    response.status(201).json(created);
  });

  router.get('/workspace/versions/:versionId', requireMember, async (request, response) => {
    const versionId = versionIdOf(request);
    const view = versionId ? await versions.view(versionId) : undefined;
    if (!view) throw new ApiError('not_found');
    response.json(view);
  });

  router.post('/workspace/versions/:versionId/restore', requireAdmin, async (request, response) => {
    const versionId = versionIdOf(request);
    const result = versionId ? await versions.restore(versionId, actorOf(request)).catch(refuseOverLimit(request, LIMIT_MESSAGES)) : undefined;
    if (!result) throw new ApiError('not_found');
    await audit.record(request, 'workspace_version_restored', { target: 'workspace', details: { versionId: result.restored.id, at: result.restored.at } });
    response.json(result);
  });

  router.delete('/workspace/versions/:versionId', requireAdmin, async (request, response) => {
    const versionId = versionIdOf(request);
    if (!versionId || !(await versions.delete(versionId))) throw new ApiError('not_found');
    await audit.record(request, 'version_deleted', { target: 'workspace', details: { versionId } });
    response.status(204).end();
  });

  return router;
}
