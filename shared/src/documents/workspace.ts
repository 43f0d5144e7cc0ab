/** The workspace document (`WorkspaceDoc`: partners, agreements, mobility flows and targets, settings) as a document kind. */
import * as Y from 'yjs';
import { upgradeLegacyCondition } from '../domain/agreement-terms.js';
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

/**
 * Version 2: agreements' cooperation conditions take the EWP v7 terms. A condition's one ISCED-F
 * code becomes its first subject area, its language and level its first language skill, and its
 * duration per mobility a total per year in the kind's unit (months for students, days for staff).
 * Conditions already in the new shape are left alone, so the step is idempotent.
 */
const ewpAgreementTerms: WorkspaceMigration = {
  version: 2,
  description: 'Cooperation conditions in the EWP v7 terms: subject areas, language skills, totals per year.',
  up(workspace) {
    workspace.agreements.map.forEach((fields) => {
      if (!(fields instanceof Y.Map)) return;
      const conditions = fields.get('conditions');
      if (!Array.isArray(conditions)) return;
      const upgraded = conditions.map(upgradeLegacyCondition);
      if (JSON.stringify(upgraded) !== JSON.stringify(conditions)) fields.set('conditions', upgraded);
    });
  },
};

export const workspaceMigrations: readonly WorkspaceMigration[] = [firstLayout(), ewpAgreementTerms];

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
