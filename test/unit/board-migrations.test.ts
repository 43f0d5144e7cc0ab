/** Board and workspace schema migrations: a document written by an older version opens in this one, exactly once. */
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
  migrateWorkspace,
  WORKSPACE_SCHEMA_VERSION,
  WorkspaceDoc,
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
  it('brings a version-0 document to the current schema version and keeps its columns and cards', () => {
    const doc = versionZeroDocument();
    expect(new BoardDoc(doc).schemaVersion).toBe(0);

    expect(migrateBoard(doc)).toEqual({ from: 0, to: 2 });

    const board = new BoardDoc(doc);
    expect(BOARD_SCHEMA_VERSION).toBe(2);
    expect(board.schemaVersion).toBe(2);
    expect(board.meta.get('schemaVersion')).toBe(2);
    expect(board.listColumns()).toEqual([{ id: 'col-1', title: 'Proposals', position: 'a0' }]);
    expect(board.listCards('col-1').map((card) => card.title)).toEqual(['Exchange with Leuven']);
    // Version 2's step ran too: the card written before kinds existed is now stored as a note.
    expect(doc.getMap<Y.Map<unknown>>('cards').get('card-1')?.get('kind')).toBe('note');
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

/**
 * A document as version 1 wrote it: `meta.schemaVersion` = 1, columns and cards, and cards without
 * a `kind` (proposals did not exist). Built with raw Y types for the same reason as version 0.
 */
function versionOneDocument(): Y.Doc {
  const doc = new Y.Doc();
  doc.getMap('meta').set('schemaVersion', 1);
  const columns: [string, string, string][] = [
    ['col-ideas', 'Idées', 'a0'],
    ['col-done', 'Signés', 'a1'],
  ];
  for (const [id, title, position] of columns) {
    const column = new Y.Map<string>();
    column.set('title', title);
    column.set('position', position);
    doc.getMap('columns').set(id, column);
  }
  const cards: [string, string, string, string][] = [
    ['card-1', 'col-ideas', 'a0', 'Programme intensif Erasmus'],
    ['card-2', 'col-ideas', 'a1', 'Alliance de la connaissance'],
    ['card-3', 'col-done', 'a0', 'Double diplôme Concepción'],
  ];
  for (const [id, columnId, position, title] of cards) {
    const card = new Y.Map<unknown>();
    card.set('columnId', columnId);
    card.set('position', position);
    card.set('title', new Y.Text(title));
    card.set('description', new Y.Text(`About ${title}`));
    card.set('createdBy', 'user-sri');
    card.set('createdAt', 1_700_000_000_000);
    doc.getMap('cards').set(id, card);
  }
  return doc;
}

describe('migrateBoard from version 1', () => {
  it('migrates a version-1 document to version 2', () => {
    const doc = versionOneDocument();
    expect(new BoardDoc(doc).schemaVersion).toBe(1);
    expect(migrateBoard(doc)).toEqual({ from: 1, to: 2 });
    expect(new BoardDoc(doc).schemaVersion).toBe(2);
  });

  it('stores every old card as a note, keeping its title, description, column and position', () => {
    const doc = versionOneDocument();
    const cardMaps = doc.getMap<Y.Map<unknown>>('cards');
    expect([...cardMaps.values()].map((card) => card.get('kind'))).toEqual([undefined, undefined, undefined]);

    migrateBoard(doc);

    for (const card of cardMaps.values()) expect(card.get('kind')).toBe('note');
    const board = new BoardDoc(doc);
    expect(board.listColumns().map((column) => column.title)).toEqual(['Idées', 'Signés']);
    expect(board.listCards('col-ideas').map(({ id, kind, title, description, position }) => ({ id, kind, title, description, position }))).toEqual([
      { id: 'card-1', kind: 'note', title: 'Programme intensif Erasmus', description: 'About Programme intensif Erasmus', position: 'a0' },
      { id: 'card-2', kind: 'note', title: 'Alliance de la connaissance', description: 'About Alliance de la connaissance', position: 'a1' },
    ]);
    expect(board.listCards('col-done').map((card) => [card.id, card.kind, card.title])).toEqual([['card-3', 'note', 'Double diplôme Concepción']]);
    expect(board.listProposals()).toEqual([]);
    expect(board.getProposal('card-1')).toBeUndefined();
  });

  it('leaves the migrated notes usable: they can be converted to proposals', () => {
    const doc = versionOneDocument();
    migrateBoard(doc);
    const board = new BoardDoc(doc);
    board.convertToProposal('card-3');
    expect(board.getProposal('card-3')).toMatchObject({ kind: 'proposal', title: 'Double diplôme Concepción', stage: 'submitted' });
    expect(board.listProposals().map((proposal) => proposal.id)).toEqual(['card-3']);
  });

  it('keeps the kind of a card a version-2 client already wrote into a version-1 document', () => {
    // A replica that upgraded first may have added a proposal before the server migrated.
    const doc = versionOneDocument();
    doc.getMap<Y.Map<unknown>>('cards').get('card-2')!.set('kind', 'proposal');
    migrateBoard(doc);
    expect(doc.getMap<Y.Map<unknown>>('cards').get('card-2')?.get('kind')).toBe('proposal');
    expect(doc.getMap<Y.Map<unknown>>('cards').get('card-1')?.get('kind')).toBe('note');
  });

  it('runs in one transaction tagged with MIGRATION_ORIGIN, and a second run produces no update', () => {
    const doc = versionOneDocument();
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    migrateBoard(doc);
    expect(origins).toEqual([MIGRATION_ORIGIN]);

    const before = Y.encodeStateAsUpdate(doc);
    expect(migrateBoard(doc)).toEqual({ from: 2, to: 2 });
    expect(origins).toHaveLength(1);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('gives the same document when two servers migrate the same stored version-1 document and merge', () => {
    const stored = Y.encodeStateAsUpdate(versionOneDocument());
    const [one, two] = [new Y.Doc(), new Y.Doc()];
    Y.applyUpdate(one, stored);
    Y.applyUpdate(two, stored);
    migrateBoard(one);
    migrateBoard(two);
    Y.applyUpdate(one, Y.encodeStateAsUpdate(two));
    Y.applyUpdate(two, Y.encodeStateAsUpdate(one));
    expect(one.toJSON()).toEqual(two.toJSON());
    expect(new BoardDoc(one).listCards('col-ideas').map((card) => card.kind)).toEqual(['note', 'note']);
  });
});

describe('migrateWorkspace', () => {
  it('records schema version 1 on a new workspace document, under the given origin', () => {
    const doc = new Y.Doc();
    const origin = Symbol('load');
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, updateOrigin: unknown) => origins.push(updateOrigin));

    expect(new WorkspaceDoc(doc).schemaVersion).toBe(0);
    expect(migrateWorkspace(doc, origin)).toEqual({ from: 0, to: WORKSPACE_SCHEMA_VERSION });
    expect(WORKSPACE_SCHEMA_VERSION).toBe(1);
    expect(new WorkspaceDoc(doc).schemaVersion).toBe(1);
    expect(origins).toEqual([origin]);
  });

  it('sets the version once: a second run produces no update', () => {
    const doc = new Y.Doc();
    migrateWorkspace(doc, 'load');
    let updates = 0;
    doc.on('update', () => updates++);
    expect(migrateWorkspace(doc, 'load')).toEqual({ from: 1, to: 1 });
    expect(updates).toBe(0);
  });

  it('keeps the records of a workspace written before the version marker', () => {
    const doc = new Y.Doc();
    const partnerId = new WorkspaceDoc(doc).partners.create({ name: 'KU Leuven' });
    doc.getMap('meta').delete('schemaVersion');
    migrateWorkspace(doc, 'load');
    expect(new WorkspaceDoc(doc).partners.get(partnerId)?.name).toBe('KU Leuven');
  });

  it('refuses a workspace saved by a newer schema version and writes nothing', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('schemaVersion', WORKSPACE_SCHEMA_VERSION + 1);
    let updates = 0;
    doc.on('update', () => updates++);
    expect(() => migrateWorkspace(doc, 'load')).toThrow(/newer/);
    expect(updates).toBe(0);
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
