/** The shareable board document (`BoardDoc`) as a document kind. */
import type * as Y from 'yjs';
import { InternalDoc } from '../board/internal.js';
import { BoardTooNewError, boardMigrations, InternalDocRequiredError, type BoardMigration, type BoardMigrationContext } from '../board/migrations.js';
import { BOARD_SCHEMA_VERSION, BoardDoc } from '../board/schema.js';
import { migrateInternal } from './internal.js';
import { defineDocumentKind } from './kind.js';
import { runMigrations, schemaVersionOf, type MigrationResult } from './migrations.js';

export const boardDocument = defineDocumentKind<BoardDoc, BoardMigrationContext>({
  name: 'board',
  schemaVersion: BOARD_SCHEMA_VERSION,
  open: (doc) => new BoardDoc(doc),
  migrations: boardMigrations,
  tooNew: (version) => new BoardTooNewError(version),
});

/** How to migrate a board document. */
export interface MigrateBoardOptions {
  /**
   * The board's internal document (room `internalDocName(boardId)`), loaded from storage. Required
   * whenever the board is below version 3; it is migrated first (`migrateInternal`).
   */
  internal?: Y.Doc;
  /** The migrations to apply; the shipped ones unless a test gives others. */
  migrations?: readonly BoardMigration[];
}

/**
 * Brings a board document up to the current schema version. Returns the versions it went from and to.
 * Throws `BoardTooNewError`, `InternalDocTooNewError` or `InternalDocRequiredError` before writing
 * anything to either document.
 */
export function migrateBoard(doc: Y.Doc, options: MigrateBoardOptions = {}): MigrationResult {
  const migrations = options.migrations ?? boardMigrations;
  const from = schemaVersionOf(doc);
  if (from > migrations.length) throw new BoardTooNewError(from);
  const needing = migrations.slice(from).find((migration) => migration.needsInternal);
  if (needing && !options.internal) throw new InternalDocRequiredError(needing.version);
  if (options.internal) migrateInternal(options.internal);
  const context: BoardMigrationContext = { internal: options.internal ? new InternalDoc(options.internal) : null };
  return runMigrations(doc, boardDocument, { migrations, context });
}
