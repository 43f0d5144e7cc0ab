/** The version history endpoints of one proposal. Same client as `#lib/api.ts`: every failure is an `ApiError`. */
import type {
  Locale,
  ProposalRestoreResult,
  ProposalVersionComparison,
  ProposalVersionRef,
  ProposalVersionSummary,
  ProposalVersionView,
} from '@passerelle/shared';
import { request } from '#lib/api.js';

const versionsPath = (boardId: string, cardId: string) => `/api/boards/${encodeURIComponent(boardId)}/proposals/${encodeURIComponent(cardId)}/versions`;
const versionPath = (boardId: string, cardId: string, versionId: string) => `${versionsPath(boardId, cardId)}/${encodeURIComponent(versionId)}`;

export const proposalVersionsApi = {
  /** The proposal's versions, newest first. */
  list: (boardId: string, cardId: string) => request<{ versions: ProposalVersionSummary[] }>('GET', versionsPath(boardId, cardId)),
  /** Names the proposal's current state (both of its documents). */
  create: (boardId: string, cardId: string, name: string) => request<ProposalVersionSummary>('POST', versionsPath(boardId, cardId), { name }),
  /** The proposal as it was, section by section (a guest gets the shared sections only). */
  view: (boardId: string, cardId: string, versionId: string) => request<ProposalVersionView>('GET', versionPath(boardId, cardId, versionId)),
  /** One section's text in one language, compared word by word between two states (a version's id or `current`). */
  compare: (boardId: string, cardId: string, query: { from: ProposalVersionRef; to: ProposalVersionRef; sectionId: string; lang: Locale }) =>
    request<ProposalVersionComparison>('GET', `${versionsPath(boardId, cardId)}/compare?${new URLSearchParams(query)}`),
  /** Restores a version for everyone writing the proposal (the state before is kept as a version). */
  restore: (boardId: string, cardId: string, versionId: string) => request<ProposalRestoreResult>('POST', `${versionPath(boardId, cardId, versionId)}/restore`, {}),
  /** Deletes a version (members who edit). */
  remove: (boardId: string, cardId: string, versionId: string) => request<void>('DELETE', versionPath(boardId, cardId, versionId)),
};
