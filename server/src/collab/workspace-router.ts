/**
 * The workspace records' history (`GET /api/workspace/history`): who changed which record and field,
 * when. For the school's members, who all read the records; partner guests never see them.
 */
import express from 'express';
import { WorkspaceHistoryQuery, type HistoryEntry } from '@passerelle/shared';
import { parseBody } from '../http/errors.js';
import { requireMember } from '../http/guards.js';
import type { ActivityStore } from '../store/account-store.js';
import { WORKSPACE_HISTORY, type WorkspaceChangeListener } from './workspace-history.js';

export interface WorkspaceRouterOptions {
  activity: ActivityStore;
  /** The listener whose entries not yet written readers see too. */
  history: Pick<WorkspaceChangeListener, 'pendingHistory'>;
}

export function createWorkspaceRouter(options: WorkspaceRouterOptions): express.Router {
  const router = express.Router();
  router.get('/workspace/history', requireMember, async (request, response) => {
    const query = parseBody(WorkspaceHistoryQuery, request.query);
    const stored = await options.activity.listHistory(WORKSPACE_HISTORY, { cardId: query.recordId, before: query.before, limit: query.limit });
    // Entries still coalescing are the newest: shown on the first page only.
    const pending: HistoryEntry[] = query.before === undefined ? options.history.pendingHistory(query.recordId) : [];
    response.json({ entries: [...pending, ...stored].slice(0, query.limit) });
  });
  return router;
}
