/**
 * Versioned migrations of the board document. A document is migrated on the server when it is
 * loaded, before anyone is served, inside one transaction whose origin is `MIGRATION_ORIGIN`.
 *
 * Rules: versions go up by exactly one (checked at module load); a migration only adds or rewrites
 * data and is idempotent, because two server processes may migrate the same stored document and
 * Yjs will merge both results.
 */
import type * as Y from 'yjs';
import { BOARD_SCHEMA_VERSION, BoardDoc } from './schema.js';

/** Transaction origin of schema migrations, so observers can tell them from people's edits. */
export const MIGRATION_ORIGIN = Symbol('migration');

export interface BoardMigration {
  /** The version the document has after this migration. */
  version: number;
  description: string;
  up(board: BoardDoc): void;
}

export const boardMigrations: readonly BoardMigration[] = [
  {
    version: 1,
    description: 'Record the schema version in the meta map.',
    up(board) {
      // Version 0 documents hold columns and cards already; they only lack the version marker.
      board.meta.set('schemaVersion', 1);
    },
  },
  {
    version: 2,
    description: 'Cards get a kind: every card written before proposals existed is a note.',
    up(board) {
      board.cards.forEach((card) => {
        if (card.get('kind') === undefined) card.set('kind', 'note');
      });
    },
  },
];

assertMigrationSequence(boardMigrations, BOARD_SCHEMA_VERSION);

/** Throws unless migration versions are 1, 2, 3, ... up to `latest`. */
export function assertMigrationSequence(migrations: readonly BoardMigration[], latest: number): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Board migration #${index} has version ${migration.version}, expected ${index + 1}`);
    }
  });
  if (migrations.length !== latest) {
    throw new Error(`Board migrations end at ${migrations.length} but the schema version is ${latest}`);
  }
}

/** A stored document written by a newer version of Passerelle than this one. */
export class BoardTooNewError extends Error {
  constructor(readonly version: number) {
    super(`This board was saved with schema version ${version}; this server understands up to ${BOARD_SCHEMA_VERSION}.`);
    this.name = 'BoardTooNewError';
  }
}

/** Brings a document up to the current schema version. Returns the versions it went from and to. */
export function migrateBoard(doc: Y.Doc, migrations: readonly BoardMigration[] = boardMigrations): { from: number; to: number } {
  const board = new BoardDoc(doc);
  const from = board.schemaVersion;
  const latest = migrations.length;
  if (from > latest) throw new BoardTooNewError(from);
  if (from < latest) {
    doc.transact(() => {
      for (const migration of migrations.slice(from)) {
        migration.up(board);
        board.meta.set('schemaVersion', migration.version);
      }
    }, MIGRATION_ORIGIN);
  }
  return { from, to: latest };
}
