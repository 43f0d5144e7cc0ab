/** The workspace document (`WorkspaceDoc`: partners, agreements, mobility flows and targets, settings) as a document kind. */
import type * as Y from 'yjs';
import { WORKSPACE_SCHEMA_VERSION, WorkspaceDoc } from '../workspace/schema.js';
import { DocumentTooNewError, defineDocumentKind, firstLayout } from './kind.js';
import { runMigrations, type Migration, type MigrationResult } from './migrations.js';

/** A stored workspace document written by a newer version of Passerelle than this one. */
export class WorkspaceTooNewError extends DocumentTooNewError {
  constructor(version: number) {
    super('workspace', version, WORKSPACE_SCHEMA_VERSION);
    this.name = 'WorkspaceTooNewError';
  }
}

export type WorkspaceMigration = Migration<WorkspaceDoc>;

export const workspaceMigrations: readonly WorkspaceMigration[] = [firstLayout()];

export const workspaceDocument = defineDocumentKind<WorkspaceDoc>({
  name: 'workspace',
  schemaVersion: WORKSPACE_SCHEMA_VERSION,
  open: (doc) => new WorkspaceDoc(doc),
  migrations: workspaceMigrations,
  tooNew: (version) => new WorkspaceTooNewError(version),
});

/** Brings a workspace document to the current version (idempotent; origin `origin`, default `MIGRATION_ORIGIN`). */
export function migrateWorkspace(doc: Y.Doc, origin?: unknown): MigrationResult {
  return runMigrations(doc, workspaceDocument, { origin });
}
