/**
 * What the signed-in person may change among the workspace's records, by the rule the server enforces
 * (`canChangeWorkspaceRecord`): forms show a record read-only when it says no.
 */
import { canChangeWorkspaceRecord, ownersAvailableTo, type Me, type RecordEditor, type WorkspaceRecordKind } from '@passerelle/shared';
import { session } from './session.svelte.js';

/** A person as the record rules read them. */
export function recordEditorOf(me: Me | null): RecordEditor {
  if (!me || me.guest) return { kind: 'guest', capabilities: [], departments: [] };
  const capabilities = [...(me.isAdmin ? ['admin'] : []), ...(me.managesAgreements ? ['agreements_manager'] : [])];
  return { kind: 'member', capabilities, departments: me.departments };
}

/** Whether the signed-in person may change a record of `kind` in the state `record` (null: some record of the kind). */
export function mayChangeRecord(kind: WorkspaceRecordKind, record: object | null): boolean {
  return canChangeWorkspaceRecord(recordEditorOf(session.me), kind, record as Record<string, unknown> | null);
}

/** The owner a new mobility figure starts with: none (the school's) for those who keep those, else the person's first department they may use. */
export function defaultOwner(kind: WorkspaceRecordKind): string {
  if (mayChangeRecord(kind, { department: null })) return '';
  return ownersAvailableTo(recordEditorOf(session.me), kind)[0] ?? '';
}
