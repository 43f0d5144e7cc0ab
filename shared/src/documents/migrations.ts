/**
 * Versioned migrations of any document kind, run by one generic `runMigrations`.
 *
 * Rules, the same for every kind: a document records its schema version at `meta.schemaVersion`
 * (0 when never migrated); migration versions go up by exactly one from 1 to the kind's schema
 * version (checked when the kind is defined, `defineDocumentKind`); the pending migrations run in
 * one transaction tagged `MIGRATION_ORIGIN`, each followed by recording its version; a migration only
 * adds, rewrites or moves data and is idempotent, because two server processes may migrate the same
 * stored document and Yjs merges both results; a document saved by a newer version is refused
 * before anything is written.
 */
import type * as Y from 'yjs';
import { MIGRATION_ORIGIN } from './origins.js';

/** One step of a document kind's schema: what the document gains on the way to `version`. */
export interface Migration<Accessor, Context = void> {
  /** The version the document has after this migration. */
  version: number;
  description: string;
  up(document: Accessor, context: Context): void;
}

/** What `runMigrations` needs of a kind: its typed accessor, its ordered migrations and its "too new" error. */
export interface Migratable<Accessor, Context = void> {
  open(doc: Y.Doc): Accessor;
  readonly migrations: readonly Migration<Accessor, Context>[];
  /** The error for a document saved by a newer version of Passerelle than this one. */
  tooNew(version: number): Error;
}

/** The versions a migration run went from and to. */
export interface MigrationResult {
  from: number;
  to: number;
}

export interface RunMigrationsOptions<Accessor, Context> {
  /** What the migrations may use besides the document (the board's internal document, ...). */
  context?: Context;
  /** The transaction origin (default `MIGRATION_ORIGIN`). */
  origin?: unknown;
  /** The migrations to apply; the kind's own unless a test gives others. */
  migrations?: readonly Migration<Accessor, Context>[];
}

/** The schema version a document records (0 when it never was migrated). */
export function schemaVersionOf(doc: Y.Doc): number {
  const version = doc.getMap('meta').get('schemaVersion');
  return typeof version === 'number' ? version : 0;
}

/**
 * Brings `doc` to the last version of the migrations: those after its recorded version, in order,
 * in one transaction. Writes nothing when it is current; throws the kind's `tooNew` error, writing
 * nothing, when it is newer.
 */
export function runMigrations<Accessor, Context>(
  doc: Y.Doc,
  kind: Migratable<Accessor, Context>,
  options: RunMigrationsOptions<Accessor, Context> = {},
): MigrationResult {
  const migrations = options.migrations ?? kind.migrations;
  const from = schemaVersionOf(doc);
  const latest = migrations.length;
  if (from > latest) throw kind.tooNew(from);
  const pending = migrations.slice(from);
  if (pending.length > 0) {
    const document = kind.open(doc);
    doc.transact(() => {
      for (const migration of pending) {
        migration.up(document, options.context as Context);
        doc.getMap('meta').set('schemaVersion', migration.version);
      }
    }, options.origin ?? MIGRATION_ORIGIN);
  }
  return { from, to: latest };
}

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
