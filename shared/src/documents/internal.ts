/** The internal document of a board (`InternalDoc`) as a document kind. */
import type * as Y from 'yjs';
import { INTERNAL_SCHEMA_VERSION, InternalDoc } from '../board/internal.js';
import { InternalDocTooNewError, internalMigrations, type InternalMigration } from '../board/migrations.js';
import { defineDocumentKind } from './kind.js';
import { runMigrations, type MigrationResult } from './migrations.js';

export const internalDocument = defineDocumentKind<InternalDoc>({
  name: 'internal',
  schemaVersion: INTERNAL_SCHEMA_VERSION,
  open: (doc) => new InternalDoc(doc),
  migrations: internalMigrations,
  tooNew: (version) => new InternalDocTooNewError(version),
});

/**
 * Brings a board's internal document up to the current internal schema version, in one transaction
 * tagged with `MIGRATION_ORIGIN`. A second run writes nothing. Throws `InternalDocTooNewError`.
 */
export function migrateInternal(doc: Y.Doc, migrations: readonly InternalMigration[] = internalMigrations): MigrationResult {
  return runMigrations(doc, internalDocument, { migrations });
}
