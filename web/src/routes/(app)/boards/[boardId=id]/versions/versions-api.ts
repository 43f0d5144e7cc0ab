/** The version history endpoints of one board. Same client as `#lib/api.ts`: every failure is an `ApiError`. */
import type { RestoreResult, VersionSummary, VersionView } from '@passerelle/shared';
import { request } from '#lib/api.js';

const versionsPath = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}/versions`;

export const versionsApi = {
  /** The board's versions, newest first. */
  list: (boardId: string) => request<{ versions: VersionSummary[] }>('GET', versionsPath(boardId)),
  /** Names the board's current state. */
  create: (boardId: string, name: string) => request<VersionSummary>('POST', versionsPath(boardId), { name }),
  /** A read-only view of the board as it was. */
  view: (boardId: string, versionId: string) => request<VersionView>('GET', `${versionsPath(boardId)}/${encodeURIComponent(versionId)}`),
  /** Deletes a version (editors): how a board at its cap of versions makes room. */
  remove: (boardId: string, versionId: string) => request<void>('DELETE', `${versionsPath(boardId)}/${encodeURIComponent(versionId)}`),
  /** Restores a version for everyone on the board (a new change; the state before is kept as a version). */
  restore: (boardId: string, versionId: string) =>
    request<RestoreResult>('POST', `${versionsPath(boardId)}/${encodeURIComponent(versionId)}/restore`, {}),
};
