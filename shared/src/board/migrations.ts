/**
 * Versioned migrations of the board document and of its internal document. A document is migrated
 * on the server when it is loaded, before anyone is served, inside one transaction whose origin is
 * `MIGRATION_ORIGIN`.
 *
 * Rules: versions go up by exactly one (checked at module load); a migration only adds, rewrites or
 * moves data and is idempotent, because two server processes may migrate the same stored document
 * and Yjs will merge both results.
 */
import * as Y from 'yjs';
import { InternalProposalFields } from '../domain/records.js';
import { INTERNAL_PROPOSAL_FIELDS, INTERNAL_SCHEMA_VERSION, InternalDoc } from './internal.js';
import { BOARD_SCHEMA_VERSION, BoardDoc } from './schema.js';

/** Transaction origin of schema migrations, so observers can tell them from people's edits. */
export const MIGRATION_ORIGIN = Symbol('migration');

/** What a board migration may use besides the board document. */
export interface BoardMigrationContext {
  /** The board's internal document, migrated to the current internal version; null when not given. */
  internal: InternalDoc | null;
}

export interface BoardMigration {
  /** The version the document has after this migration. */
  version: number;
  description: string;
  /** True when the step writes to the internal document: `migrateBoard` then refuses to run without it. */
  needsInternal?: boolean;
  up(board: BoardDoc, context: BoardMigrationContext): void;
}

/** A board migration that moves content into the internal document was run without it. */
export class InternalDocRequiredError extends Error {
  constructor(readonly version: number) {
    super(`Board migration to version ${version} moves internal content: pass the board's internal document as migrateBoard(doc, { internal }).`);
    this.name = 'InternalDocRequiredError';
  }
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
      board.cards.forEach((card: unknown) => {
        if (card instanceof Y.Map && card.get('kind') === undefined) card.set('kind', 'note');
      });
    },
  },
  {
    version: 3,
    description: 'Internal proposal fields (the budget) move to the internal document, which partner guests never load.',
    needsInternal: true,
    up(board, { internal }) {
      if (!internal) throw new InternalDocRequiredError(3);
      const shape = InternalProposalFields.shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
      const moves: { cardId: string; card: Y.Map<unknown>; copy: Partial<InternalProposalFields>; remove: string[] }[] = [];
      board.cards.forEach((card: unknown, cardId) => {
        if (!(card instanceof Y.Map)) return;
        const move = { cardId, card, copy: {} as Record<string, unknown>, remove: [] as string[] };
        for (const field of INTERNAL_PROPOSAL_FIELDS) {
          if (!card.has(field)) continue;
          move.remove.push(field);
          const parsed = shape[field].safeParse(card.get(field));
          // A value the internal document already holds was copied by another process (or changed
          // since by someone): it is never overwritten. An invalid value read as "none" before, so
          // there is nothing to keep.
          if (parsed.success && parsed.data !== null && !internal.hasProposalField(cardId, field)) move.copy[field] = parsed.data;
        }
        if (move.remove.length > 0) moves.push(move);
      });
      // Copied first, so that whoever stores both documents in this order never loses a budget.
      internal.doc.transact(() => {
        for (const { cardId, copy } of moves) if (Object.keys(copy).length > 0) internal.updateProposal(cardId, copy);
      }, MIGRATION_ORIGIN);
      for (const { card, remove } of moves) for (const field of remove) card.delete(field);
    },
  },
];

/** Versioned migrations of the internal document (see `InternalDoc`). */
export interface InternalMigration {
  version: number;
  description: string;
  up(internal: InternalDoc): void;
}

export const internalMigrations: readonly InternalMigration[] = [
  {
    version: 1,
    description: 'Record the schema version in the meta map (the first layout).',
    up(internal) {
      internal.meta.set('schemaVersion', 1);
    },
  },
];

assertMigrationSequence(boardMigrations, BOARD_SCHEMA_VERSION);
assertMigrationSequence(internalMigrations, INTERNAL_SCHEMA_VERSION);

/** Throws unless migration versions are 1, 2, 3, ... up to `latest`. */
export function assertMigrationSequence(migrations: readonly { version: number }[], latest: number): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migration #${index} has version ${migration.version}, expected ${index + 1}`);
    }
  });
  if (migrations.length !== latest) {
    throw new Error(`Migrations end at ${migrations.length} but the schema version is ${latest}`);
  }
}

/** A stored document written by a newer version of Passerelle than this one. */
export class BoardTooNewError extends Error {
  constructor(readonly version: number) {
    super(`This board was saved with schema version ${version}; this server understands up to ${BOARD_SCHEMA_VERSION}.`);
    this.name = 'BoardTooNewError';
  }
}

/** A stored internal document written by a newer version of Passerelle than this one. */
export class InternalDocTooNewError extends Error {
  constructor(readonly version: number) {
    super(`This board's internal document was saved with schema version ${version}; this server understands up to ${INTERNAL_SCHEMA_VERSION}.`);
    this.name = 'InternalDocTooNewError';
  }
}

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
export function migrateBoard(doc: Y.Doc, options: MigrateBoardOptions = {}): { from: number; to: number } {
  const migrations = options.migrations ?? boardMigrations;
  const board = new BoardDoc(doc);
  const from = board.schemaVersion;
  const latest = migrations.length;
  if (from > latest) throw new BoardTooNewError(from);
  const pending = migrations.slice(from);
  const needing = pending.find((migration) => migration.needsInternal);
  if (needing && !options.internal) throw new InternalDocRequiredError(needing.version);
  if (options.internal) migrateInternal(options.internal);
  const context: BoardMigrationContext = { internal: options.internal ? new InternalDoc(options.internal) : null };
  if (pending.length > 0) {
    doc.transact(() => {
      for (const migration of pending) {
        migration.up(board, context);
        board.meta.set('schemaVersion', migration.version);
      }
    }, MIGRATION_ORIGIN);
  }
  return { from, to: latest };
}

/**
 * Brings a board's internal document up to the current internal schema version, in one transaction
 * tagged with `MIGRATION_ORIGIN`. A second run writes nothing. Throws `InternalDocTooNewError`.
 */
export function migrateInternal(doc: Y.Doc, migrations: readonly InternalMigration[] = internalMigrations): { from: number; to: number } {
  const internal = new InternalDoc(doc);
  const from = internal.schemaVersion;
  const latest = migrations.length;
  if (from > latest) throw new InternalDocTooNewError(from);
  if (from < latest) {
    doc.transact(() => {
      for (const migration of migrations.slice(from)) {
        migration.up(internal);
        internal.meta.set('schemaVersion', migration.version);
      }
    }, MIGRATION_ORIGIN);
  }
  return { from, to: latest };
}
