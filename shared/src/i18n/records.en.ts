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
} as const;
