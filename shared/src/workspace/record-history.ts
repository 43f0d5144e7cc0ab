/** The workspace records' history as the API serves it (`GET /api/workspace/history`). */
import { z } from 'zod';

/** `GET /api/workspace/history?recordId=&before=&limit=` → `{ entries: HistoryEntry[] }`, newest first; members only. */
export const WorkspaceHistoryQuery = z.object({
  /** One record's entries (a partner's, an agreement's, a mobility flow's or target's id). */
  recordId: z.string().min(1).max(64).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type WorkspaceHistoryQuery = z.infer<typeof WorkspaceHistoryQuery>;
