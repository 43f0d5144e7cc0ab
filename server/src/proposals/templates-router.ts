/** The proposal templates API (`/api/templates`): listed to members, copied, edited and deleted by administrators. */
import express, { type Request } from 'express';
import {
  CopyTemplateRequest,
  Department,
  WORKSPACE_DOC,
  WorkspaceTemplates,
  allTemplates,
  applyTemplateEdit,
  copyIdFor,
  findTemplate,
  templateById,
  translate,
  type Locale,
  type MessageKey,
  type TemplateEditProblem,
  type TemplateEntry,
  type TemplateListResponse,
} from '@passerelle/shared';
import type { Audit } from '../http/audit.js';
import { ApiError, requestLocale } from '../http/errors.js';
import { requireAdmin, requireMember } from '../http/guards.js';
import type { SyncServer } from '../sync/sync-server.js';

/** What the templates API uses. */
export interface TemplateRouterOptions {
  /** The workspace document, read and written through its room (stored like any edit, on either backend). */
  sync: Pick<SyncServer, 'editDocument' | 'readDocument'>;
  /** Where an administrator's copy, edit or deletion of a template is recorded, like their other changes to the workspace. */
  audit: Pick<Audit, 'record'>;
}

/** A problem's message in the person's language, with a department named as the workspace names it. */
function problemMessage(locale: Locale, problem: TemplateEditProblem): { path: string; message: string } {
  const params = { ...problem.params };
  const department = Department.safeParse(params.department);
  if (department.success) params.department = translate(locale, `department.${department.data}` as MessageKey);
  return { path: problem.path, message: translate(locale, problem.key, params) };
}

/** The error for a template that does not exist. */
function notFound(request: Request): ApiError {
  return new ApiError('not_found', [{ path: 'templateId', message: translate(requestLocale(request), 'templates.error.notFound') }]);
}

/**
 * Proposal templates over HTTP, under `/api`: every member lists and reads them (shipped ones
 * always, read-only; the workspace's copies); administrators copy any template into the workspace,
 * edit the workspace's and delete them. Deleting never changes a proposal: its sections were copied
 * into its document when it was first opened. Guests are refused.
 */
export function createTemplateRouter(options: TemplateRouterOptions): express.Router {
  const { sync, audit } = options;
  /** The template's name in the administrator's language, as the audit log shows it. */
  const nameFor = (request: Request, entry: TemplateEntry) => entry.template.name[requestLocale(request)] || entry.template.name.fr;
  const router = express.Router();
  const actorOf = (request: Request) => ({ id: request.principal!.id, name: request.principal!.name });
  const readTemplates = <T>(read: (templates: WorkspaceTemplates) => T) => sync.readDocument(WORKSPACE_DOC, (doc) => read(new WorkspaceTemplates(doc)));
  const templateIdOf = (request: Request) => String(request.params.templateId);

  router.get('/templates', requireMember, async (_request, response) => {
    const body: TemplateListResponse = { templates: await readTemplates(allTemplates) };
    response.json(body);
  });

  router.get('/templates/:templateId', requireMember, async (request, response) => {
    const entry = await readTemplates((templates) => templateById(templates, templateIdOf(request)));
    if (!entry) throw notFound(request);
    response.json(entry satisfies TemplateEntry);
  });

  router.post('/templates/:templateId/copy', requireAdmin, async (request, response) => {
    const locale = requestLocale(request);
    const parsed = CopyTemplateRequest.safeParse(request.body ?? {});
    if (!parsed.success) {
      throw new ApiError('invalid_request', parsed.error.issues.map((issue) => problemMessage(locale, { path: issue.path.join('.'), key: issue.message.startsWith('templates.error.') ? (issue.message as MessageKey) : 'templates.error.invalidField' })));
    }
    const entry = await sync.editDocument(
      WORKSPACE_DOC,
      (doc) => {
        const templates = new WorkspaceTemplates(doc);
        const original = templateById(templates, templateIdOf(request));
        if (!original) return null;
        const id = copyIdFor(original.template.id, (candidate) => templates.has(candidate));
        const name = parsed.data.name ?? { fr: translate('fr', 'templates.copyName', { name: original.template.name.fr }), en: translate('en', 'templates.copyName', { name: original.template.name.en }) };
        // A copy of a copy still says which shipped template it comes from.
        const basedOn = original.builtIn ? original.template.id : original.basedOn;
        return templates.put({ ...original.template, id, name }, basedOn, request.principal!.id);
      },
      actorOf(request),
    );
    if (!entry) throw notFound(request);
    await audit.record(request, 'template_copied', { target: entry.template.id, details: { template: nameFor(request, entry), copiedFrom: templateIdOf(request) } });
    response.status(201).json(entry satisfies TemplateEntry);
  });

  router.put('/templates/:templateId', requireAdmin, async (request, response) => {
    const locale = requestLocale(request);
    const templateId = templateIdOf(request);
    if (findTemplate(templateId)) throw new ApiError('forbidden', [{ path: 'templateId', message: translate(locale, 'templates.error.builtIn') }]);
    const result = await sync.editDocument(
      WORKSPACE_DOC,
      (doc) => {
        const templates = new WorkspaceTemplates(doc);
        const current = templates.get(templateId);
        if (!current) return null;
        const check = applyTemplateEdit(current.template, request.body);
        // A refused edit writes nothing.
        if (!check.ok) return { refused: check.problems };
        return { saved: templates.put(check.template, current.basedOn, request.principal!.id) };
      },
      actorOf(request),
    );
    if (!result) throw notFound(request);
    if (result.refused) throw new ApiError('invalid_request', result.refused.map((problem) => problemMessage(locale, problem)));
    await audit.record(request, 'template_edited', { target: templateId, details: { template: nameFor(request, result.saved) } });
    response.json(result.saved satisfies TemplateEntry);
  });

  router.delete('/templates/:templateId', requireAdmin, async (request, response) => {
    const templateId = templateIdOf(request);
    if (findTemplate(templateId)) throw new ApiError('forbidden', [{ path: 'templateId', message: translate(requestLocale(request), 'templates.error.builtIn') }]);
    const deleted = await sync.editDocument(
      WORKSPACE_DOC,
      (doc) => {
        const templates = new WorkspaceTemplates(doc);
        // A stored template that no longer passes its check goes too, without a name to record.
        const entry = templates.get(templateId) ?? null;
        return templates.delete(templateId) ? { entry } : null;
      },
      actorOf(request),
    );
    if (!deleted) throw notFound(request);
    await audit.record(request, 'template_deleted', { target: templateId, details: deleted.entry ? { template: nameFor(request, deleted.entry) } : {} });
    response.status(204).end();
  });

  return router;
}
