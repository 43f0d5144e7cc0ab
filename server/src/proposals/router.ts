import express, { type Request } from 'express';
import { PROPOSAL_EXPORT_MEDIA_TYPES, ProposalExportQuery, isId, translate, type AgreementOriginsResponse, type AllProposalsResponse, type ProposalListResponse } from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import type { BoardDirectory } from '../store/account-store.js';
import { ApiError, requestLocale } from '../http/errors.js';
import { boardRoleOf, requirePrincipal } from '../http/guards.js';
import { proposalToDocx } from './docx-export.js';
import { loadProposalExport } from './export-content.js';
import { proposalToPdf } from './pdf-export.js';
import { listAgreementOrigins, listProposals, listProposalsAcross, progressDay, type ProgressSources } from './progress.js';

export interface ProposalRouterOptions {
  access: BoardAccess;
  /** The boards, for the list of every proposal across them. */
  directory: BoardDirectory;
  /** The live documents, and whether a proposal's were ever opened. */
  sources: ProgressSources;
}

/** A file name for a download: the title's letters and digits, then the language and extension. */
function fileName(title: string, language: string, extension: string): { ascii: string; utf8: string } {
  const base = title.normalize('NFKC').replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 120) || 'proposal';
  const full = `${base} (${language}).${extension}`;
  const ascii = full.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return { ascii, utf8: encodeURIComponent(full) };
}

/**
 * Proposal documents over HTTP, under `/api` after the middleware that sets `request.principal`: a
 * board's proposals with their progress, every proposal the caller can see across boards, and a proposal's export as Word or PDF in either language.
 * Members and the board's guests alike, with at least a viewer's role; a guest's list and exports
 * hold the shared sections only, never the internal ones.
 */
export function createProposalRouter(options: ProposalRouterOptions): express.Router {
  const { access, directory, sources } = options;
  const readDocument = sources.read;
  const router = express.Router();
  const includeInternal = (request: Request) => request.principal?.kind === 'member';

  router.get('/boards/:boardId/proposals', requirePrincipal, async (request, response) => {
    const { boardId } = await boardRoleOf(access, request, 'viewer');
    const body: ProposalListResponse = { proposals: await listProposals(sources, { boardId, includeInternal: includeInternal(request), today: progressDay() }) };
    response.json(body);
  });

  /** The boards the caller has a role on (a guest's one board), by title: what one board's list would answer for each. */
  const readableBoards = async (request: Request) => {
    const boards = await directory.listBoards();
    const roles = await access.rolesOf(request.principal!, boards.map((board) => board.id));
    return boards.filter((board) => roles.has(board.id)).sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
  };

  // Across boards, by the same rule as one board's list, the internal sections counted for members only.
  router.get('/proposals', requirePrincipal, async (request, response) => {
    const boards = await readableBoards(request);
    const body: AllProposalsResponse = { proposals: await listProposalsAcross(sources, boards, { includeInternal: includeInternal(request), today: progressDay() }) };
    response.json(body);
  });

  // Which proposal each agreement came from, for the partners page: the boards alone are read, never a proposal's document.
  router.get('/proposals/agreement-links', requirePrincipal, async (request, response) => {
    const body: AgreementOriginsResponse = { origins: await listAgreementOrigins(sources, await readableBoards(request)) };
    response.json(body);
  });

  router.get('/boards/:boardId/proposals/:cardId/export', requirePrincipal, async (request, response) => {
    const { boardId } = await boardRoleOf(access, request, 'viewer');
    const cardId = String(request.params.cardId);
    const locale = requestLocale(request);
    const parsed = ProposalExportQuery.safeParse(request.query);
    if (!parsed.success) {
      throw new ApiError(
        'invalid_request',
        parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: translate(locale, issue.path[0] === 'lang' ? 'proposal.export.badLanguage' : 'proposal.export.badFormat') })),
      );
    }
    const { format } = parsed.data;
    const language = parsed.data.lang ?? locale;
    const content = isId(cardId) ? await loadProposalExport(readDocument, { boardId, cardId, language, includeInternal: includeInternal(request) }) : null;
    if (!content) throw new ApiError('not_found');
    const file = format === 'docx' ? await proposalToDocx(content) : await proposalToPdf(content);
    const name = fileName(content.title, language, format);
    response
      .status(200)
      .type(PROPOSAL_EXPORT_MEDIA_TYPES[format])
      .setHeader('Content-Disposition', `attachment; filename="${name.ascii}"; filename*=UTF-8''${name.utf8}`)
      .send(file);
  });

  return router;
}
