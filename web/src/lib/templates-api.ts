/**
 * Proposal templates and a board's proposals' progress over the API. Same client as `api.ts`: every
 * failure is an `ApiError`, whose `details` carry each problem of a refused edit in the person's language.
 */
import type { CopyTemplateRequest, ProposalListResponse, TemplateEntry, TemplateListResponse, UpdateTemplateRequest } from '@passerelle/shared';
import { request } from './api.js';

const templatePath = (templateId: string) => `/api/templates/${encodeURIComponent(templateId)}`;

/** The template endpoints and the board's proposals list, one function each. */
export const templatesApi = {
  /** Every template: the shipped ones (read-only) first, then the workspace's. */
  list: () => request<TemplateListResponse>('GET', '/api/templates'),
  /** Copies a template into the workspace (administrators). */
  copy: (templateId: string, body: CopyTemplateRequest = {}) => request<TemplateEntry>('POST', `${templatePath(templateId)}/copy`, body),
  /** Replaces a workspace template's name, action type and sections (administrators). */
  update: (templateId: string, body: UpdateTemplateRequest) => request<TemplateEntry>('PUT', templatePath(templateId), body),
  /** Deletes a workspace template (administrators); proposals keep their sections. */
  remove: (templateId: string) => request<void>('DELETE', templatePath(templateId)),
  /** A board's proposals with their progress, counted for the person. */
  listProposals: (boardId: string) => request<ProposalListResponse>('GET', `/api/boards/${encodeURIComponent(boardId)}/proposals`),
};

let cached: Promise<TemplateEntry[]> | null = null;

/** The templates for choosing one on a card, fetched once a page load (again after `forgetTemplates`). */
export function loadTemplates(): Promise<TemplateEntry[]> {
  cached ??= templatesApi.list().then(
    (response) => response.templates,
    (error: unknown) => {
      cached = null;
      throw error;
    },
  );
  return cached;
}

/** Drops the cached templates (after an administrator changed them). */
export function forgetTemplates(): void {
  cached = null;
}
