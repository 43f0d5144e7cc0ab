/** Board and workspace schema migrations: a document written by an older version opens in this one, exactly once. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  assertMigrationSequence,
  BOARD_SCHEMA_VERSION,
  BoardDoc,
  boardMigrations,
  BoardTooNewError,
  INTERNAL_SCHEMA_VERSION,
  InternalDoc,
  InternalDocRequiredError,
  InternalDocTooNewError,
  internalMigrations,
  MIGRATION_ORIGIN,
  migrateBoard,
  migrateWorkspace,
  WORKSPACE_SCHEMA_VERSION,
  WorkspaceDoc,
  type BoardMigration,
} from '../../shared/src/index.js';
import { countUpdates, thrownBy } from '../helpers/observe.js';

/** A fresh document holding `update`, as a server loads a stored document. */
function loaded(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}

/** Gives each of two replicas the other's state. */
function merge(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
}

/** Migrates a board with a fresh internal document, as the server does for a board that never had one. */
const migrate = (doc: Y.Doc, internal: Y.Doc = new Y.Doc()) => migrateBoard(doc, { internal });

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

    expect(migrate(doc)).toEqual({ from: 0, to: 3 });

    const board = new BoardDoc(doc);
    expect(BOARD_SCHEMA_VERSION).toBe(3);
    expect(board.schemaVersion).toBe(3);
    expect(board.meta.get('schemaVersion')).toBe(3);
    expect(board.listColumns()).toEqual([{ id: 'col-1', title: 'Proposals', position: 'a0' }]);
    expect(board.listCards('col-1').map((card) => card.title)).toEqual(['Exchange with Leuven']);
    // Version 2's step ran too: the card written before kinds existed is now stored as a note.
    expect(doc.getMap<Y.Map<unknown>>('cards').get('card-1')?.get('kind')).toBe('note');
  });

  it('migrates a version-0 document received as a stored update, as the server loads it', () => {
    const stored = Y.encodeStateAsUpdate(versionZeroDocument());
    const doc = new Y.Doc();
    Y.applyUpdate(doc, stored);
    migrate(doc);
    expect(new BoardDoc(doc).schemaVersion).toBe(BOARD_SCHEMA_VERSION);
    expect(new BoardDoc(doc).getCard('card-1')?.title).toBe('Exchange with Leuven');
  });

  it('runs the migration in one transaction tagged with MIGRATION_ORIGIN', () => {
    const doc = versionZeroDocument();
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    migrate(doc);
    expect(origins).toEqual([MIGRATION_ORIGIN]);
  });

  it('is a no-op that produces no update on an already migrated document', () => {
    const doc = versionZeroDocument();
    const internal = new Y.Doc();
    migrate(doc, internal);
    const before = Y.encodeStateAsUpdate(doc);
    const updates = countUpdates(doc, internal);

    expect(migrate(doc, internal)).toEqual({ from: BOARD_SCHEMA_VERSION, to: BOARD_SCHEMA_VERSION });
    expect(updates()).toBe(0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('refuses a document saved by a newer schema version with BoardTooNewError', () => {
    const doc = versionZeroDocument();
    doc.getMap('meta').set('schemaVersion', BOARD_SCHEMA_VERSION + 1);
    const updates = countUpdates(doc);

    const thrown = thrownBy(() => migrate(doc));
    expect(thrown).toBeInstanceOf(BoardTooNewError);
    expect((thrown as BoardTooNewError).version).toBe(BOARD_SCHEMA_VERSION + 1);
    expect((thrown as BoardTooNewError).name).toBe('BoardTooNewError');
    expect(updates()).toBe(0);
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

    expect(migrateBoard(doc, { migrations })).toEqual({ from: 1, to: 3 });
    expect(ran).toEqual([2, 3]);
    expect(doc.getMap('meta').get('seenVersion2')).toBe(1);
    expect(doc.getMap('meta').get('seenVersion3')).toBe(2);
    expect(new BoardDoc(doc).schemaVersion).toBe(3);
    expect(transactions).toBe(1);
  });

  it('gives the same document when two replicas migrate the same version-0 document and merge', () => {
    const stored = Y.encodeStateAsUpdate(versionZeroDocument());
    const [one, two] = [loaded(stored), loaded(stored)];
    migrate(one);
    migrate(two);
    merge(one, two);
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
  it('migrates a version-1 document to the current version', () => {
    const doc = versionOneDocument();
    expect(new BoardDoc(doc).schemaVersion).toBe(1);
    expect(migrate(doc)).toEqual({ from: 1, to: 3 });
    expect(new BoardDoc(doc).schemaVersion).toBe(3);
  });

  it('stores every old card as a note, keeping its title, description, column and position', () => {
    const doc = versionOneDocument();
    const cardMaps = doc.getMap<Y.Map<unknown>>('cards');
    expect([...cardMaps.values()].map((card) => card.get('kind'))).toEqual([undefined, undefined, undefined]);

    migrate(doc);

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
    migrate(doc);
    const board = new BoardDoc(doc);
    board.convertToProposal('card-3');
    expect(board.getProposal('card-3')).toMatchObject({ kind: 'proposal', title: 'Double diplôme Concepción', stage: 'submitted' });
    expect(board.listProposals().map((proposal) => proposal.id)).toEqual(['card-3']);
  });

  it('keeps the kind of a card a version-2 client already wrote into a version-1 document', () => {
    // A replica that upgraded first may have added a proposal before the server migrated.
    const doc = versionOneDocument();
    doc.getMap<Y.Map<unknown>>('cards').get('card-2')!.set('kind', 'proposal');
    migrate(doc);
    expect(doc.getMap<Y.Map<unknown>>('cards').get('card-2')?.get('kind')).toBe('proposal');
    expect(doc.getMap<Y.Map<unknown>>('cards').get('card-1')?.get('kind')).toBe('note');
  });

  it('runs in one transaction tagged with MIGRATION_ORIGIN, and a second run produces no update', () => {
    const doc = versionOneDocument();
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    migrate(doc);
    expect(origins).toEqual([MIGRATION_ORIGIN]);

    const before = Y.encodeStateAsUpdate(doc);
    expect(migrate(doc)).toEqual({ from: 3, to: 3 });
    expect(origins).toHaveLength(1);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('gives the same document when two servers migrate the same stored version-1 document and merge', () => {
    const stored = Y.encodeStateAsUpdate(versionOneDocument());
    const [one, two] = [loaded(stored), loaded(stored)];
    migrate(one);
    migrate(two);
    merge(one, two);
    expect(one.toJSON()).toEqual(two.toJSON());
    expect(new BoardDoc(one).listCards('col-ideas').map((card) => card.kind)).toEqual(['note', 'note']);
  });
});

/**
 * A board as version 2 wrote it: proposals carry their budget (`budgetEstimate`, in euros) among
 * their shared fields. Built with raw Y types, like the older versions above.
 */
function versionTwoDocument(): Y.Doc {
  const doc = new Y.Doc();
  doc.getMap('meta').set('schemaVersion', 2);
  const column = new Y.Map<string>();
  column.set('title', 'Coopération internationale');
  column.set('position', 'a0');
  doc.getMap('columns').set('col-1', column);
  const cards: [string, 'note' | 'proposal', string, unknown][] = [
    ['card-cameroon', 'proposal', 'Renforcement des capacités avec le Cameroun', 184_500],
    ['card-alliance', 'proposal', 'Alliance de la connaissance en chimie', 267_300],
    ['card-sherbrooke', 'proposal', 'Double diplôme Sherbrooke', null],
    ['card-note', 'note', 'Réunion de rentrée', undefined],
    // Written by a buggy client: read as "no budget" by version 2, so nothing to keep.
    ['card-damaged', 'proposal', 'Budget abîmé', -12],
  ];
  cards.forEach(([id, kind, title, budget], index) => {
    const card = new Y.Map<unknown>();
    card.set('kind', kind);
    card.set('columnId', 'col-1');
    card.set('position', `a${index}`);
    card.set('title', new Y.Text(title));
    card.set('description', new Y.Text(''));
    card.set('createdBy', 'user-sri');
    card.set('createdAt', 1_700_000_000_000);
    if (kind === 'proposal') {
      card.set('actionType', 'capacity_building');
      card.set('stage', 'sri_review');
      card.set('leadDepartment', 'sri');
      card.set('region', 'africa');
      card.set('budgetEstimate', budget);
    }
    doc.getMap('cards').set(id, card);
  });
  return doc;
}

/** Every value an encoded update still carries (deleted, garbage-collected content carries none). */
function valuesIn(update: Uint8Array): unknown[] {
  return Y.decodeUpdate(update).structs.flatMap((struct) => {
    const content = (struct as { content?: { getContent(): unknown[] } }).content;
    return content ? content.getContent() : [];
  });
}

const cardKeys = (doc: Y.Doc, cardId: string) => [...doc.getMap<Y.Map<unknown>>('cards').get(cardId)!.keys()];

describe('migrateBoard from version 2: budgets move to the internal document', () => {
  it('opens a version-2 board with budgets as version 3: budgets in the internal document, none left on the board', () => {
    const doc = versionTwoDocument();
    const internalDoc = new Y.Doc();
    expect(migrateBoard(doc, { internal: internalDoc })).toEqual({ from: 2, to: 3 });

    const internal = new InternalDoc(internalDoc);
    expect(internal.proposalFields('card-cameroon')).toEqual({ budgetEstimate: 184_500 });
    expect(internal.proposalFields('card-alliance')).toEqual({ budgetEstimate: 267_300 });
    expect(internal.proposalFields('card-sherbrooke')).toEqual({ budgetEstimate: null });
    expect(internal.proposalFields('card-damaged')).toEqual({ budgetEstimate: null });
    // Only real budgets were written: nothing to overwrite later, nothing invented.
    expect(internal.hasProposalField('card-sherbrooke', 'budgetEstimate')).toBe(false);
    expect(internal.hasProposalField('card-damaged', 'budgetEstimate')).toBe(false);
    expect(internal.schemaVersion).toBe(INTERNAL_SCHEMA_VERSION);

    for (const cardId of ['card-cameroon', 'card-alliance', 'card-sherbrooke', 'card-note', 'card-damaged']) {
      expect(cardKeys(doc, cardId)).not.toContain('budgetEstimate');
    }
    expect(JSON.stringify(doc.toJSON())).not.toContain('budgetEstimate');
    // The rest of each proposal is untouched.
    const board = new BoardDoc(doc);
    expect(board.schemaVersion).toBe(3);
    expect(board.getProposal('card-cameroon')).toMatchObject({ title: 'Renforcement des capacités avec le Cameroun', stage: 'sri_review', region: 'africa' });
    expect(board.getProposal('card-cameroon')).not.toHaveProperty('budgetEstimate');
    expect(board.getCard('card-note')?.kind).toBe('note');
  });

  it('leaves no budget value in the board document’s encoded state once migrated and re-encoded', () => {
    const stored = Y.encodeStateAsUpdate(versionTwoDocument());
    // The check can fail: before migrating, the stored board does carry the budgets.
    expect(valuesIn(stored)).toEqual(expect.arrayContaining([184_500, 267_300]));

    // As the server loads it: a garbage-collected document (Yjs' default) built from the stored update.
    const doc = new Y.Doc({ gc: true });
    Y.applyUpdate(doc, stored);
    migrateBoard(doc, { internal: new Y.Doc() });
    const encoded = Y.encodeStateAsUpdate(doc);
    expect(valuesIn(encoded)).not.toContain(184_500);
    expect(valuesIn(encoded)).not.toContain(267_300);
    expect(valuesIn(encoded)).not.toContain(-12);

    // A replica that loads the migrated board (a partner's browser) rebuilds no budget either.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, encoded);
    expect(valuesIn(Y.encodeStateAsUpdate(replica))).not.toContain(184_500);
    expect(new BoardDoc(replica).getProposal('card-alliance')?.title).toBe('Alliance de la connaissance en chimie');
  });

  it('refuses to run without the internal document, naming it, and writes nothing', () => {
    const doc = versionTwoDocument();
    const updates = countUpdates(doc);
    const thrown = thrownBy(() => migrateBoard(doc));
    expect(thrown).toBeInstanceOf(InternalDocRequiredError);
    expect((thrown as Error).message).toMatch(/migrateBoard\(doc, \{ internal \}\)/);
    expect((thrown as InternalDocRequiredError).version).toBe(3);
    expect(updates()).toBe(0);
    expect(cardKeys(doc, 'card-cameroon')).toContain('budgetEstimate');
    // A version-0 board needs it too: it passes through version 3 on the way.
    expect(() => migrateBoard(versionZeroDocument())).toThrow(InternalDocRequiredError);
  });

  it('never overwrites a budget the internal document already holds, even a cleared one', () => {
    // Another process migrated first and someone changed the budgets since; this process still
    // loaded the version-2 board.
    const doc = versionTwoDocument();
    const internalDoc = new Y.Doc();
    const internal = new InternalDoc(internalDoc);
    internal.updateProposal('card-cameroon', { budgetEstimate: 190_000 });
    internal.updateProposal('card-alliance', { budgetEstimate: null });

    migrateBoard(doc, { internal: internalDoc });

    expect(internal.proposalFields('card-cameroon').budgetEstimate).toBe(190_000);
    expect(internal.proposalFields('card-alliance').budgetEstimate).toBeNull();
    expect(cardKeys(doc, 'card-cameroon')).not.toContain('budgetEstimate');
  });

  it('writes the internal document first, in one transaction tagged with MIGRATION_ORIGIN', () => {
    const doc = versionTwoDocument();
    const internalDoc = new Y.Doc();
    const order: string[] = [];
    const origins: unknown[] = [];
    internalDoc.on('update', (_update: Uint8Array, origin: unknown) => (order.push('internal'), origins.push(origin)));
    doc.on('update', (_update: Uint8Array, origin: unknown) => (order.push('board'), origins.push(origin)));

    migrateBoard(doc, { internal: internalDoc });
    // The internal version marker, then the budgets, then the board: a store that writes updates in
    // this order never holds a board without budgets whose internal document lacks them.
    expect(order).toEqual(['internal', 'internal', 'board']);
    expect(origins.every((origin) => origin === MIGRATION_ORIGIN)).toBe(true);

    order.length = 0;
    expect(migrateBoard(doc, { internal: internalDoc })).toEqual({ from: 3, to: 3 });
    expect(order).toEqual([]);
  });

  it('gives the same documents when two servers migrate the same stored board and internal document and merge', () => {
    const storedBoard = Y.encodeStateAsUpdate(versionTwoDocument());
    const storedInternal = Y.encodeStateAsUpdate(new Y.Doc());
    const [boardOne, boardTwo] = [loaded(storedBoard), loaded(storedBoard)];
    const [internalOne, internalTwo] = [loaded(storedInternal), loaded(storedInternal)];
    migrateBoard(boardOne, { internal: internalOne });
    migrateBoard(boardTwo, { internal: internalTwo });
    for (const [a, b] of [
      [boardOne, boardTwo],
      [internalOne, internalTwo],
    ]) {
      merge(a, b);
      expect(a.toJSON()).toEqual(b.toJSON());
    }
    expect(new InternalDoc(internalOne).proposalFields('card-cameroon').budgetEstimate).toBe(184_500);
    expect(new InternalDoc(internalTwo).proposalFields('card-alliance').budgetEstimate).toBe(267_300);
    expect(cardKeys(boardOne, 'card-cameroon')).not.toContain('budgetEstimate');
  });

  it('refuses an internal document saved by a newer version and leaves the board untouched', () => {
    const doc = versionTwoDocument();
    const internalDoc = new Y.Doc();
    internalDoc.getMap('meta').set('schemaVersion', INTERNAL_SCHEMA_VERSION + 1);
    const updates = countUpdates(doc);
    expect(() => migrateBoard(doc, { internal: internalDoc })).toThrow(InternalDocTooNewError);
    expect(updates()).toBe(0);
    expect(new BoardDoc(doc).schemaVersion).toBe(2);
  });
});

describe('migrateWorkspace', () => {
  it('records the current schema version on a new workspace document, under the given origin', () => {
    const doc = new Y.Doc();
    const origin = Symbol('load');
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, updateOrigin: unknown) => origins.push(updateOrigin));

    expect(new WorkspaceDoc(doc).schemaVersion).toBe(0);
    expect(migrateWorkspace(doc, origin)).toEqual({ from: 0, to: WORKSPACE_SCHEMA_VERSION });
    expect(WORKSPACE_SCHEMA_VERSION).toBe(2);
    expect(new WorkspaceDoc(doc).schemaVersion).toBe(2);
    expect(origins).toEqual([origin]);
  });

  it('sets the version once: a second run produces no update', () => {
    const doc = new Y.Doc();
    migrateWorkspace(doc, 'load');
    const updates = countUpdates(doc);
    expect(migrateWorkspace(doc, 'load')).toEqual({ from: 2, to: 2 });
    expect(updates()).toBe(0);
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
    const updates = countUpdates(doc);
    expect(() => migrateWorkspace(doc, 'load')).toThrow(/newer/);
    expect(updates()).toBe(0);
  });
});

describe('assertMigrationSequence', () => {
  it('accepts the shipped migrations', () => {
    expect(() => assertMigrationSequence(boardMigrations, BOARD_SCHEMA_VERSION)).not.toThrow();
    expect(boardMigrations).toHaveLength(BOARD_SCHEMA_VERSION);
  });

  it('accepts the shipped internal-document migrations', () => {
    expect(() => assertMigrationSequence(internalMigrations, INTERNAL_SCHEMA_VERSION)).not.toThrow();
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
