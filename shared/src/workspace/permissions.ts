/**
 * Who may change the workspace's records. One rule for the sync endpoint (which puts back what a
 * person was not allowed to write), the REST routes and the imports (which ask before writing), and
 * the web app (which shows read-only fields).
 *
 * - Administrators change every record.
 * - Agreements and partners: the people an administrator made agreements managers.
 * - Mobility figures (flows and targets): the members of the department that owns the figure; a
 *   figure no department owns is the school's own, kept by the agreements managers.
 * - Everyone else (and every partner guest, who never opens the workspace) reads.
 *
 * The rules name record kinds, never a record's fields, except for the one field a kind declares as
 * its owner: a new kind of record is one entry in `RECORD_RULES`.
 */
import { z } from 'zod';
import { Department } from '../domain/vocabulary.js';

/** The kinds of workspace record, each the name of its root map's entries. */
export const WorkspaceRecordKind = z.enum(['partner', 'agreement', 'mobility', 'target']);
export type WorkspaceRecordKind = z.infer<typeof WorkspaceRecordKind>;

/** The root map of the workspace document holding each kind's records (`WorkspaceDoc`). */
export const RECORD_ROOTS: Record<WorkspaceRecordKind, string> = {
  partner: 'partners',
  agreement: 'agreements',
  mobility: 'mobilities',
  target: 'targets',
};

/** Capabilities a member holds across the workspace, besides their departments. */
export const WorkspaceCapability = z.enum(['admin', 'agreements_manager']);
export type WorkspaceCapability = z.infer<typeof WorkspaceCapability>;

/** A person as the record rules see them. */
export interface RecordEditor {
  kind: 'member' | 'guest';
  capabilities: readonly string[];
  departments: readonly string[];
}

/** How a kind of record is kept: by the agreements managers, or by the department that owns each record. */
type RecordRule = { keptBy: 'agreements_managers' } | { keptBy: 'owning_department'; ownerField: string };

const RECORD_RULES: Record<WorkspaceRecordKind, RecordRule> = {
  partner: { keptBy: 'agreements_managers' },
  agreement: { keptBy: 'agreements_managers' },
  mobility: { keptBy: 'owning_department', ownerField: 'department' },
  target: { keptBy: 'owning_department', ownerField: 'department' },
};

/** The department that owns a record of a kind kept by departments, or null (none, or a kind kept otherwise). */
export function owningDepartment(kind: WorkspaceRecordKind, record: Readonly<Record<string, unknown>> | null | undefined): Department | null {
  const rule = RECORD_RULES[kind];
  if (rule.keptBy !== 'owning_department' || !record) return null;
  return Department.safeParse(record[rule.ownerField]).data ?? null;
}

/**
 * Whether `person` may change (create, edit or delete) a record of `kind` in the state `record`.
 * A change from one state to another needs both allowed: a department cannot give its figure to
 * another, nor take another's. Without a record (`null`), whether they may change some record of the kind.
 */
export function canChangeWorkspaceRecord(person: RecordEditor, kind: WorkspaceRecordKind, record: Readonly<Record<string, unknown>> | null): boolean {
  if (person.kind !== 'member') return false;
  if (person.capabilities.includes('admin')) return true;
  const manager = person.capabilities.includes('agreements_manager');
  const rule = RECORD_RULES[kind];
  if (rule.keptBy === 'agreements_managers') return manager;
  if (record === null) return manager || person.departments.length > 0;
  const owner = owningDepartment(kind, record);
  return owner === null ? manager : person.departments.includes(owner);
}

/** Whether `person` may change any workspace record at all (else the workspace is read-only to them). */
export function canChangeSomeWorkspaceRecord(person: RecordEditor): boolean {
  return WorkspaceRecordKind.options.some((kind) => canChangeWorkspaceRecord(person, kind, null));
}

/** The departments `person` may give a new record of `kind` as its owner (all of them for administrators and, on the school's figures, managers). */
export function ownersAvailableTo(person: RecordEditor, kind: WorkspaceRecordKind): Department[] {
  if (person.kind !== 'member') return [];
  if (person.capabilities.includes('admin')) return [...Department.options];
  return Department.options.filter((department) => canChangeWorkspaceRecord(person, kind, { department }));
}
