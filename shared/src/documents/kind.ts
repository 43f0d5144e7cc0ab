/**
 * A document kind as data: everything shared code knows about one kind of synced Yjs document.
 * The server adds, per kind, who may open it and the rules it enforces (`server/src/documents/`);
 * the sync room itself knows no kind.
 */
import type * as Y from 'yjs';
import { assertMigrationSequence, type Migratable, type Migration } from './migrations.js';

/** A stored document written by a newer version of Passerelle than this one: refused before anything is written. */
export class DocumentTooNewError extends Error {
  constructor(
    readonly kind: string,
    readonly version: number,
    readonly supported: number,
  ) {
    super(`${kind} schema ${version} is newer than ${supported}`);
    this.name = 'DocumentTooNewError';
  }
}

/** The first migration of a kind whose first layout needs no change: the runner records version 1. */
export function firstLayout<Accessor, Context = void>(): Migration<Accessor, Context> {
  return { version: 1, description: 'Record the schema version in the meta map (the first layout; the runner records it).', up() {} };
}

export interface DocumentKind<Accessor, Context = void> extends Migratable<Accessor, Context> {
  /** The kind's name: `board`, `internal`, `workspace`. */
  readonly name: string;
  /** The schema version this code reads and writes (the last migration's). */
  readonly schemaVersion: number;
  /** Typed access to a document of this kind: no code outside the kind's folder touches raw keys. */
  open(doc: Y.Doc): Accessor;
  /** Ordered migrations, versions 1 to `schemaVersion`. */
  readonly migrations: readonly Migration<Accessor, Context>[];
}

/** Checks the kind's migrations (versions 1, 2, ... up to its schema version) and returns it; throws at module load otherwise. */
export function defineDocumentKind<Accessor, Context = void>(kind: DocumentKind<Accessor, Context>): DocumentKind<Accessor, Context> {
  assertMigrationSequence(kind.migrations, kind.schemaVersion);
  return kind;
}
