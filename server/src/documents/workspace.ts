/** The workspace document (`/sync/workspace`: the school's reference data) on the server: every member edits it, no guest opens it. */
import { WORKSPACE_DOC, migrateWorkspace, schemaVersionOf, workspaceDocument } from '@passerelle/shared';
import type { ServerDocumentKind } from './kind.js';

export const workspaceKind: ServerDocumentKind = {
  name: 'workspace',
  parse: (name) => (name === WORKSPACE_DOC ? { kind: workspaceKind, name, boardId: null } : null),
  roleOf: async (principal) => (principal.kind === 'member' ? 'editor' : null),
  hooks: (target, { events }) => ({
    schema: { version: workspaceDocument.schemaVersion, versionOf: schemaVersionOf },
    onLoad(doc) {
      migrateWorkspace(doc);
      return false;
    },
    onWriteRefused: (userId) => events.onWriteRefused?.(userId, target.name, 'workspace'),
  }),
};
