/**
 * Document kinds as data: every kind's migrations are checked when it is defined, and one generic
 * `runMigrations` brings any kind's document to its schema version, exactly once.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BOARD_SCHEMA_VERSION,
  boardDocument,
  BoardDoc,
  defineDocumentKind,
  INTERNAL_SCHEMA_VERSION,
  internalDocument,
  MIGRATION_ORIGIN,
  runMigrations,
  schemaVersionOf,
  WORKSPACE_SCHEMA_VERSION,
  workspaceDocument,
  WorkspaceDoc,
  WorkspaceTooNewError,
  type Migration,
} from '../../shared/src/index.js';
import { countUpdates } from '../helpers/observe.js';

/** A kind of toy document: a list of step names under `steps`. */
class StepsDoc {
  constructor(readonly doc: Y.Doc) {}
  get steps(): Y.Array<string> {
    return this.doc.getArray('steps');
  }
}

class StepsTooNewError extends Error {}

const step = (version: number): Migration<StepsDoc> => ({
  version,
  description: `step ${version}`,
  up(document) {
    document.steps.push([`v${version}`]);
  },
});

const stepsKind = defineDocumentKind<StepsDoc>({
  name: 'steps',
  schemaVersion: 3,
  open: (doc) => new StepsDoc(doc),
  migrations: [step(1), step(2), step(3)],
  tooNew: (version) => new StepsTooNewError(`steps ${version}`),
});

describe('the shipped document kinds', () => {
  it('name board, internal and workspace, each at its schema version with one migration per version', () => {
    expect([boardDocument.name, internalDocument.name, workspaceDocument.name]).toEqual(['board', 'internal', 'workspace']);
    expect(boardDocument.schemaVersion).toBe(BOARD_SCHEMA_VERSION);
    expect(internalDocument.schemaVersion).toBe(INTERNAL_SCHEMA_VERSION);
    expect(workspaceDocument.schemaVersion).toBe(WORKSPACE_SCHEMA_VERSION);
    for (const kind of [boardDocument, internalDocument, workspaceDocument]) {
      expect(kind.migrations.map((migration) => migration.version)).toEqual(Array.from({ length: kind.schemaVersion }, (_, index) => index + 1));
    }
  });

  it('open a document with their typed accessor', () => {
    const doc = new Y.Doc();
    expect(boardDocument.open(doc)).toBeInstanceOf(BoardDoc);
    expect(workspaceDocument.open(doc)).toBeInstanceOf(WorkspaceDoc);
  });

  it('give the workspace a migration list: version 1 records the version, version 2 gives agreements the EWP terms', () => {
    const doc = new Y.Doc();
    expect(runMigrations(doc, workspaceDocument)).toEqual({ from: 0, to: 2 });
    expect(schemaVersionOf(doc)).toBe(2);
    expect(new WorkspaceDoc(doc).schemaVersion).toBe(2);
  });

  it('refuse a workspace saved by a newer version with WorkspaceTooNewError', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('schemaVersion', WORKSPACE_SCHEMA_VERSION + 1);
    expect(() => runMigrations(doc, workspaceDocument)).toThrow(WorkspaceTooNewError);
  });
});

describe('defineDocumentKind', () => {
  it('rejects a kind whose migrations skip a version', () => {
    expect(() => defineDocumentKind<StepsDoc>({ ...stepsKind, migrations: [step(1), step(3)] })).toThrow(/version 3, expected 2/);
  });

  it('rejects a kind whose migrations do not end at its schema version', () => {
    expect(() => defineDocumentKind<StepsDoc>({ ...stepsKind, schemaVersion: 4 })).toThrow(/end at 3 but the schema version is 4/);
  });
});

describe('runMigrations', () => {
  it('runs the pending migrations in order, in one transaction tagged MIGRATION_ORIGIN, recording each version', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    expect(runMigrations(doc, stepsKind)).toEqual({ from: 0, to: 3 });
    expect(new StepsDoc(doc).steps.toArray()).toEqual(['v1', 'v2', 'v3']);
    expect(schemaVersionOf(doc)).toBe(3);
    expect(origins).toEqual([MIGRATION_ORIGIN]);
  });

  it('applies only the migrations after the recorded version', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('schemaVersion', 2);
    expect(runMigrations(doc, stepsKind)).toEqual({ from: 2, to: 3 });
    expect(new StepsDoc(doc).steps.toArray()).toEqual(['v3']);
  });

  it('writes nothing on a current document', () => {
    const doc = new Y.Doc();
    runMigrations(doc, stepsKind);
    const updates = countUpdates(doc);
    expect(runMigrations(doc, stepsKind)).toEqual({ from: 3, to: 3 });
    expect(updates()).toBe(0);
  });

  it('refuses a document of a newer version with the kind’s error, writing nothing', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('schemaVersion', 4);
    const updates = countUpdates(doc);
    expect(() => runMigrations(doc, stepsKind)).toThrow(StepsTooNewError);
    expect(updates()).toBe(0);
  });

  it('tags the transaction with the origin it is given, and runs the migrations it is given', () => {
    const doc = new Y.Doc();
    const origin = Symbol('test');
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, updateOrigin: unknown) => origins.push(updateOrigin));
    expect(runMigrations(doc, stepsKind, { origin, migrations: [step(1)] })).toEqual({ from: 0, to: 1 });
    expect(origins).toEqual([origin]);
    expect(new StepsDoc(doc).steps.toArray()).toEqual(['v1']);
  });

  it('passes the context to every migration', () => {
    const seen: unknown[] = [];
    const kind = defineDocumentKind<StepsDoc, { label: string }>({
      name: 'with-context',
      schemaVersion: 1,
      open: (doc) => new StepsDoc(doc),
      migrations: [{ version: 1, description: 'reads the context', up: (_document, context) => seen.push(context.label) }],
      tooNew: () => new Error('too new'),
    });
    runMigrations(new Y.Doc(), kind, { context: { label: 'internal' } });
    expect(seen).toEqual(['internal']);
  });

  it('records the same version when two replicas migrate the same document and merge', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    runMigrations(a, workspaceDocument);
    runMigrations(b, workspaceDocument);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(schemaVersionOf(a)).toBe(2);
    expect(a.getMap('meta').toJSON()).toEqual(b.getMap('meta').toJSON());
  });
});
