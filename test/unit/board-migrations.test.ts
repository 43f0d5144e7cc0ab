/** Board schema migrations: a document written by an older version opens in this one, exactly once. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  assertMigrationSequence,
  BOARD_SCHEMA_VERSION,
  BoardDoc,
  boardMigrations,
  BoardTooNewError,
  MIGRATION_ORIGIN,
  migrateBoard,
  type BoardMigration,
} from '../../shared/src/index.js';

/**
 * A document as version 0 wrote it: columns and cards in the same layout, no `meta.schemaVersion`.
 * Built with raw Y types rather than `BoardDoc`, so that it stays a version-0 document even if
 * `BoardDoc` later writes more at creation.
 */
function versionZeroDocument(): Y.Doc {
  const doc = new Y.Doc();
  const column = new Y.Map<string>();
  column.set('title', 'Proposals');
  column.set('position', 'a0');
  doc.getMap('columns').set('col-1', column);
  const card = new Y.Map<unknown>();
  card.set('columnId', 'col-1');
  card.set('position', 'a0');
  card.set('title', new Y.Text('Exchange with Leuven'));
  card.set('description', new Y.Text(''));
  card.set('createdBy', 'user-1');
  card.set('createdAt', 1_700_000_000_000);
  doc.getMap('cards').set('card-1', card);
  return doc;
}

const migration = (version: number): BoardMigration => ({ version, description: `v${version}`, up() {} });

describe('migrateBoard', () => {
  it('brings a version-0 document to schema version 1 and keeps its columns and cards', () => {
    const doc = versionZeroDocument();
    expect(new BoardDoc(doc).schemaVersion).toBe(0);

    expect(migrateBoard(doc)).toEqual({ from: 0, to: BOARD_SCHEMA_VERSION });

    const board = new BoardDoc(doc);
    expect(board.schemaVersion).toBe(1);
    expect(board.meta.get('schemaVersion')).toBe(1);
    expect(board.listColumns()).toEqual([{ id: 'col-1', title: 'Proposals', position: 'a0' }]);
    expect(board.listCards('col-1').map((card) => card.title)).toEqual(['Exchange with Leuven']);
  });

  it('migrates a version-0 document received as a stored update, as the server loads it', () => {
    const stored = Y.encodeStateAsUpdate(versionZeroDocument());
    const doc = new Y.Doc();
    Y.applyUpdate(doc, stored);
    migrateBoard(doc);
    expect(new BoardDoc(doc).schemaVersion).toBe(BOARD_SCHEMA_VERSION);
    expect(new BoardDoc(doc).getCard('card-1')?.title).toBe('Exchange with Leuven');
  });

  it('runs the migration in one transaction tagged with MIGRATION_ORIGIN', () => {
    const doc = versionZeroDocument();
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    migrateBoard(doc);
    expect(origins).toEqual([MIGRATION_ORIGIN]);
  });

  it('is a no-op that produces no update on an already migrated document', () => {
    const doc = versionZeroDocument();
    migrateBoard(doc);
    const before = Y.encodeStateAsUpdate(doc);
    let updates = 0;
    doc.on('update', () => updates++);

    expect(migrateBoard(doc)).toEqual({ from: BOARD_SCHEMA_VERSION, to: BOARD_SCHEMA_VERSION });
    expect(updates).toBe(0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('refuses a document saved by a newer schema version with BoardTooNewError', () => {
    const doc = versionZeroDocument();
    doc.getMap('meta').set('schemaVersion', BOARD_SCHEMA_VERSION + 1);
    let updates = 0;
    doc.on('update', () => updates++);

    let thrown: unknown;
    try {
      migrateBoard(doc);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BoardTooNewError);
    expect((thrown as BoardTooNewError).version).toBe(BOARD_SCHEMA_VERSION + 1);
    expect((thrown as BoardTooNewError).name).toBe('BoardTooNewError');
    expect(updates).toBe(0);
  });

  it('applies only the migrations after the stored version, in order, in one transaction', () => {
    const ran: number[] = [];
    const migrations: BoardMigration[] = [1, 2, 3].map((version) => ({
      version,
      description: `v${version}`,
      up(board) {
        ran.push(version);
        // Each step sees the version the previous one recorded.
        board.meta.set(`seenVersion${version}`, board.schemaVersion);
      },
    }));
    const doc = new Y.Doc();
    doc.getMap('meta').set('schemaVersion', 1);
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);

    expect(migrateBoard(doc, migrations)).toEqual({ from: 1, to: 3 });
    expect(ran).toEqual([2, 3]);
    expect(doc.getMap('meta').get('seenVersion2')).toBe(1);
    expect(doc.getMap('meta').get('seenVersion3')).toBe(2);
    expect(new BoardDoc(doc).schemaVersion).toBe(3);
    expect(transactions).toBe(1);
  });

  it('gives the same document when two replicas migrate the same version-0 document and merge', () => {
    const stored = Y.encodeStateAsUpdate(versionZeroDocument());
    const [one, two] = [new Y.Doc(), new Y.Doc()];
    Y.applyUpdate(one, stored);
    Y.applyUpdate(two, stored);
    migrateBoard(one);
    migrateBoard(two);
    Y.applyUpdate(one, Y.encodeStateAsUpdate(two));
    Y.applyUpdate(two, Y.encodeStateAsUpdate(one));
    expect(one.toJSON()).toEqual(two.toJSON());
    expect(new BoardDoc(one).schemaVersion).toBe(BOARD_SCHEMA_VERSION);
  });
});

describe('assertMigrationSequence', () => {
  it('accepts the shipped migrations', () => {
    expect(() => assertMigrationSequence(boardMigrations, BOARD_SCHEMA_VERSION)).not.toThrow();
    expect(boardMigrations).toHaveLength(BOARD_SCHEMA_VERSION);
  });

  it('accepts versions 1, 2, 3 ending at the latest version', () => {
    expect(() => assertMigrationSequence([migration(1), migration(2), migration(3)], 3)).not.toThrow();
  });

  it('rejects a gap in the versions', () => {
    expect(() => assertMigrationSequence([migration(1), migration(3)], 3)).toThrow(/version 3, expected 2/);
  });

  it('rejects versions out of order or repeated', () => {
    expect(() => assertMigrationSequence([migration(2), migration(1)], 2)).toThrow(/expected 1/);
    expect(() => assertMigrationSequence([migration(1), migration(1)], 2)).toThrow(/expected 2/);
  });

  it('rejects a sequence that does not end at the latest version', () => {
    expect(() => assertMigrationSequence([migration(1)], 2)).toThrow(/end at 1 but the schema version is 2/);
    expect(() => assertMigrationSequence([migration(1), migration(2)], 1)).toThrow(/schema version is 1/);
  });
});
