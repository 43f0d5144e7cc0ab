/**
 * The API of proposal documents: a board's proposals with their progress
 * (`GET /api/boards/:boardId/proposals`) and a proposal's export
 * (`GET /api/boards/:boardId/proposals/:cardId/export?format=docx|pdf&lang=fr|en`), and comments on
 * ranges of its sections' text.
 */
import { z } from 'zod';
import { Locale } from './api.js';
import type { ActionType, Department, ProposalStage } from './domain/vocabulary.js';
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

/** A section of a proposal that has a due date, as listed. */
export interface ProposalDueSection {
  sectionId: string;
  title: { fr: string; en: string };
  /** `YYYY-MM-DD`. */
  dueDate: string;
  done: boolean;
}

/** A proposal in the list of every proposal the caller can see, across boards (`GET /api/proposals`). */
export interface ProposalListEntry extends ProposalSummary {
  boardId: string;
  boardTitle: string;
  leadDepartment: Department;
  partnerIds: string[];
  agreementIds: string[];
  /** Its sections that have a due date, soonest first (a guest's: the shared ones only). */
  dueSections: ProposalDueSection[];
  /** The soonest due date of a section not done yet, or null. */
  nextDue: string | null;
}

export interface AllProposalsResponse {
  proposals: ProposalListEntry[];
}

/** A proposal that led to an agreement (`GET /api/proposals/agreement-links`): the agreement names the proposal it came from. */
export interface AgreementOrigin {
  agreementId: string;
  boardId: string;
  cardId: string;
  title: string;
}

export interface AgreementOriginsResponse {
  origins: AgreementOrigin[];
}

/** `POST /api/boards/:boardId/proposals/:cardId/comments`: a comment on a range of one section's text. */
export const CreateProposalCommentRequest = z.object({
  sectionId: z.string().min(1).max(60),
  language: Locale,
  /** Where the range starts and ends: base64 of encoded Yjs relative positions in the section's text. */
  start: z.string().min(1).max(512),
  end: z.string().min(1).max(512),
  /** The words commented on, shown beside the comment. */
  quote: z.string().max(1000).default(''),
  text: z.string().trim().min(1).max(4000),
  /** Ids of workspace members mentioned with @; each gets a notification (members only). */
  mentions: z.array(z.string().min(1).max(64)).max(20).default([]),
});
export type CreateProposalCommentRequest = z.input<typeof CreateProposalCommentRequest>;

/** `POST /api/boards/:boardId/proposals/:cardId/comments/:commentId/replies`. */
export const ReplyToProposalCommentRequest = z.object({
  text: z.string().trim().min(1).max(4000),
  mentions: z.array(z.string().min(1).max(64)).max(20).default([]),
});
export type ReplyToProposalCommentRequest = z.input<typeof ReplyToProposalCommentRequest>;
