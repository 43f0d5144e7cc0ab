/**
 * How a REST request reaches a synced document: the caller's access by the same rule a sync
 * connection is admitted by (`SyncServer.accessTo`), and their changes applied with a `RuledEdit`
 * origin, so the document kind's rules (shape, shareable fields, workflow gates, the workspace's
 * own) judge them exactly as they judge the same person's change in a browser.
 */
import type { Request } from 'express';
import type * as Y from 'yjs';
import { RuledEdit, translate, type Locale, type MessageKey, type WorkflowRefusal } from '@passerelle/shared';
import { capabilitiesOf, departmentsOf, type Principal } from '../auth/auth-service.js';
import { ApiError, requestLocale } from '../http/errors.js';
import type { SyncServer } from '../sync/sync-server.js';

/** The parts of the sync server the REST API uses. */
export type RestSync = Pick<SyncServer, 'accessTo' | 'readDocument' | 'editAs'>;

/** What a caller may do with one document. */
export interface DocumentGrant {
  principal: Principal;
  name: string;
  role: string;
  canWrite: boolean;
}

/**
 * The caller's grant on document `name`: 401 without a principal, 404 when they may not see it
 * (so that its existence is not revealed), 403 when `write` is asked of someone who may only read.
 */
export async function grantOn(sync: RestSync, request: Request, name: string, write: boolean): Promise<DocumentGrant> {
  const principal = request.principal;
  if (!principal) throw new ApiError('unauthorized');
  const { role, canWrite } = await sync.accessTo(principal, name);
  // Whoever may not see a document learns no more than for one that does not exist.
  if (role === null || role === 'missing') throw new ApiError('not_found');
  if (write && !canWrite) throw new ApiError('forbidden');
  return { principal, name, role, canWrite };
}

/** The origin of a change made through the REST API by the holder of `grant`. */
export function ruledEditOf(grant: DocumentGrant): RuledEdit {
  const { principal } = grant;
  return new RuledEdit(
    { id: principal.id, name: principal.name, kind: principal.kind },
    { departments: departmentsOf(principal), role: grant.role, capabilities: capabilitiesOf(principal) },
  );
}

/** Applies `edit` to the grant's document as its holder; resolves once stored, with what the rules undid. */
export async function editAs<T>(sync: RestSync, grant: DocumentGrant, edit: (doc: Y.Doc) => T, name = grant.name): Promise<{ result: T; origin: RuledEdit }> {
  const origin = ruledEditOf(grant);
  const result = await sync.editAs(name, edit, origin);
  return { result, origin };
}

/** Gates that lack sign-offs, as the workflow reports them. */
type MissingGates = readonly { gate: string; departments: readonly string[] }[];

/** One refusal of the workflow's rules, said in `locale`. */
function refusalMessage(locale: Locale, refusal: WorkflowRefusal): string {
  const department = (id: string) => translate(locale, `department.${id}` as MessageKey);
  if (refusal.reason === 'missing_sign_offs') {
    const gates = (refusal.missing ?? []).map((gate) => translate(locale, 'api.error.gate', { stage: translate(locale, `stage.${gate.gate}` as MessageKey), departments: gate.departments.map(department).join(', ') }));
    return translate(locale, 'api.error.missingSignOffs', { stage: translate(locale, `stage.${refusal.target ?? 'submitted'}` as MessageKey), gates: gates.join(' ; ') });
  }
  if (refusal.reason === 'not_in_department') return translate(locale, 'api.error.notInDepartment', { department: department(refusal.department ?? '') });
  return translate(locale, 'api.error.signOffLocked', { department: department(refusal.department ?? '') });
}

/** The 409 for a change the workflow's rules refused or undid, each refusal said in the caller's language. */
export function workflowRefused(request: Request, refusals: readonly WorkflowRefusal[]): ApiError {
  const locale = requestLocale(request);
  return new ApiError('workflow_refused', refusals.map((refusal) => ({ path: refusal.reason === 'missing_sign_offs' ? 'stage' : 'signOffs', message: refusalMessage(locale, refusal) })));
}

/** The refusal a stage change would meet, checked before anything is written. */
export function gateRefusal(boardId: string, cardId: string, target: WorkflowRefusal['target'], missing: MissingGates): WorkflowRefusal {
  return { boardId, cardId, reason: 'missing_sign_offs', target, missing: missing as WorkflowRefusal['missing'] };
}
