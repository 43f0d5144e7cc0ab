/**
 * The record rules (`shared/src/workspace/permissions.ts`) for server code that writes workspace
 * records on someone's behalf (REST routes, imports): ask before writing, with the record as it is
 * and as it will be, the same check the sync endpoint applies to what arrives through a connection.
 */
import { type WorkspaceRecordKind } from '@passerelle/shared';
import { recordEditorOf, type Principal } from '../auth/auth-service.js';
import { isAllowed } from '../documents/workspace-rules/record-guard.js';

/**
 * Whether `principal` may change a record of `kind` from `before` (null: creating it) to `after`
 * (null: deleting it). A change needs both states allowed: a department cannot hand its figure to another.
 */
export function canChangeWorkspaceRecord(
  principal: Principal,
  kind: WorkspaceRecordKind,
  change: { before: Readonly<Record<string, unknown>> | null; after: Readonly<Record<string, unknown>> | null },
): boolean {
  return isAllowed(recordEditorOf(principal), { kind, before: change.before as Record<string, unknown> | null, after: change.after as Record<string, unknown> | null });
}
