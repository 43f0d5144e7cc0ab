import type { WorkspaceRecordAuditEventType } from '../access.js';

/** English names of the audit log's workspace record events, checked by the compiler. */
const enRecordAuditTypes: Record<`audit.type.${WorkspaceRecordAuditEventType}`, string> = {
  'audit.type.record_created': 'Workspace record created',
  'audit.type.record_changed': 'Workspace record changed',
  'audit.type.record_deleted': 'Workspace record deleted',
  'audit.type.record_change_refused': 'Workspace record change refused',
  'audit.type.agreements_manager_changed': 'Agreements manager changed',
};

/** English messages of records. Keys are shared with `records.fr.ts`. */
export const enRecords = {
  ...enRecordAuditTypes,
  'history.kind.partner': 'the partner',
  'history.kind.agreement': 'the agreement',
  'history.kind.mobility': 'the mobility flow',
  'history.kind.target': 'the target',
  'records.manager.label': 'Agreements',
  'records.manager.hint': 'Agreements manager: changes partners and agreements',
  'records.readOnly.partner': 'Only agreements managers change partners: you can read this one.',
  'records.readOnly.agreement': 'Only agreements managers change agreements: you can read this one.',
  'records.readOnly.mobility': 'Only the department that owns this mobility flow changes it: you can read it.',
  'records.readOnly.target': 'Only the department that owns this target changes it: you can read it.',
  'records.readOnly.save': 'You may not make this change: only its department or an agreements manager may.',
  'records.owner': 'Owning department',
  'records.owner.school': 'The school (agreements managers)',
  'records.undo': 'Undo my last change',
  'records.history.title': 'History',
  'records.history.loading': 'Loading the history…',
  'records.history.empty': 'No change recorded yet.',
  'records.history.created': '{actor} created it',
  'records.history.updated': '{actor} changed it',
  'records.history.deleted': '{actor} deleted it',
  'records.history.fields': 'fields: {fields}',
} as const;
