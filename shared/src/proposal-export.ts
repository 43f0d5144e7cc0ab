/**
 * The API of proposal documents: a board's proposals with their progress
 * (`GET /api/boards/:boardId/proposals`) and a proposal's export
 * (`GET /api/boards/:boardId/proposals/:cardId/export?format=docx|pdf&lang=fr|en`).
 */
import { z } from 'zod';
import { Locale } from './api.js';
import type { ActionType, ProposalStage } from './domain/vocabulary.js';
import type { ProposalProgress } from './documents/proposal.js';

export const ProposalExportFormat = z.enum(['docx', 'pdf']);
export type ProposalExportFormat = z.infer<typeof ProposalExportFormat>;

/** The export's query: the format, and the language (default: the caller's). */
export const ProposalExportQuery = z.object({
  format: ProposalExportFormat,
  lang: Locale.optional(),
});
export type ProposalExportQuery = z.infer<typeof ProposalExportQuery>;

/** The media type of each export format. */
export const PROPOSAL_EXPORT_MEDIA_TYPES: Record<ProposalExportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

/** A board's proposal, as listed. Guests' progress counts the shared sections only. */
export interface ProposalSummary {
  cardId: string;
  title: string;
  actionType: ActionType;
  stage: ProposalStage;
  /** The template its sections came from; null before its document was first opened. */
  templateId: string | null;
  progress: ProposalProgress;
}

export interface ProposalListResponse {
  proposals: ProposalSummary[];
}
