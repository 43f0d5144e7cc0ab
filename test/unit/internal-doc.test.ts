/** The internal document of a board: what the school keeps from partners, with typed accessors. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BoardDoc,
  INTERNAL_LIMITS,
  INTERNAL_PROPOSAL_FIELDS,
  INTERNAL_SCHEMA_VERSION,
  InternalDoc,
  InternalDocTooNewError,
  InternalProposalFields,
  MIGRATION_ORIGIN,
  migrateInternal,
  ProposalFields,
  ValidationError,
} from '../../shared/src/index.js';
import { countUpdates } from '../helpers/observe.js';

/** Two replicas of the same internal document that exchange everything they have. */
function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

describe('internal proposal fields', () => {
  it('are declared once, and the shareable proposal fields hold none of them', () => {
    expect(INTERNAL_PROPOSAL_FIELDS).toEqual(['budgetEstimate']);
    expect(Object.keys(InternalProposalFields.shape)).toEqual([...INTERNAL_PROPOSAL_FIELDS]);
    for (const field of INTERNAL_PROPOSAL_FIELDS) expect(Object.keys(ProposalFields.shape)).not.toContain(field);
  });

  it('can never be written into the board document through BoardDoc', () => {
    const board = new BoardDoc(new Y.Doc());
    const column = board.addColumn('Propositions');
    const fields = { actionType: 'capacity_building', budgetEstimate: 184_500 } as Partial<ProposalFields>;
    const id = board.addProposal(column, { title: 'Cameroun', createdBy: 'u', fields });
    board.updateProposal(id, { region: 'africa', budgetEstimate: 200_000 } as Partial<ProposalFields>);

    const card = board.cards.get(id)!;
    expect(card.get('region')).toBe('africa');
    expect(card.has('budgetEstimate')).toBe(false);
    expect(JSON.stringify(board.doc.toJSON())).not.toContain('budgetEstimate');
  });
});

describe('InternalDoc', () => {
  it('reads defaults for a proposal nothing was written for, without writing anything', () => {
    const doc = new Y.Doc();
    const updates = countUpdates(doc);
    const internal = new InternalDoc(doc);
    expect(internal.getProposal('card-1')).toEqual({ cardId: 'card-1', budgetEstimate: null, notes: '', discussion: [] });
    expect(internal.notes.toString()).toBe('');
    expect(internal.schemaVersion).toBe(0);
    expect(updates()).toBe(0);
  });

  it('stores a budget in euros, validated like the field it replaces, and writes only what changed', () => {
    const doc = new Y.Doc();
    const internal = new InternalDoc(doc);
    internal.updateProposal('card-1', { budgetEstimate: 184_500 });
    expect(internal.proposalFields('card-1')).toEqual({ budgetEstimate: 184_500 });

    for (const invalid of [-1, 1e9 + 1, Number.NaN]) {
      expect(() => internal.updateProposal('card-1', { budgetEstimate: invalid })).toThrow(ValidationError);
    }
    expect(internal.proposalFields('card-1').budgetEstimate).toBe(184_500);

    const updates = countUpdates(doc);
    internal.updateProposal('card-1', { budgetEstimate: 184_500 });
    expect(updates()).toBe(0);
    internal.updateProposal('card-1', { budgetEstimate: null });
    expect(updates()).toBe(1);
    expect(internal.proposalFields('card-1').budgetEstimate).toBeNull();
    expect(internal.hasProposalField('card-1', 'budgetEstimate')).toBe(true);
    expect(internal.hasProposalField('card-2', 'budgetEstimate')).toBe(false);
  });

  it('ignores a damaged stored budget and keeps reading the proposal', () => {
    const doc = new Y.Doc();
    doc.getMap('proposal/card-1').set('budgetEstimate', 'beaucoup');
    expect(new InternalDoc(doc).proposalFields('card-1')).toEqual({ budgetEstimate: null });
  });

  it('keeps the board’s internal notes and each proposal’s internal notes as separate collaborative texts', () => {
    const internal = new InternalDoc(new Y.Doc());
    internal.notes.insert(0, 'Enveloppe globale 2027 : 600 k€');
    internal.proposalNotesText('card-1').insert(0, 'Cofinancement à demander au partenaire');
    expect(internal.getProposal('card-1').notes).toBe('Cofinancement à demander au partenaire');
    expect(internal.getProposal('card-2').notes).toBe('');
    expect(internal.notes.toString()).toBe('Enveloppe globale 2027 : 600 k€');
  });

  it('keeps both people’s first words when two members start the same proposal’s internal part at once', () => {
    // Nested containers created concurrently under one key would keep only one of them.
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    const [one, two] = [new InternalDoc(a), new InternalDoc(b)];
    one.proposalNotesText('card-1').insert(0, 'Alice. ');
    one.addDiscussionEntry('card-1', { authorId: 'alice', authorName: 'Alice', text: 'Visa de la direction des études ?', at: '2026-03-01T10:00:00.000Z' });
    two.proposalNotesText('card-1').insert(0, 'Bob. ');
    two.addDiscussionEntry('card-1', { authorId: 'bob', authorName: 'Bob', text: 'D’accord sur le budget.', at: '2026-03-01T10:00:01.000Z' });
    two.updateProposal('card-1', { budgetEstimate: 90_000 });

    sync(a, b);

    for (const internal of [one, two]) {
      const view = internal.getProposal('card-1');
      expect(view.notes).toContain('Alice. ');
      expect(view.notes).toContain('Bob. ');
      expect(view.discussion.map((entry) => entry.authorName)).toEqual(['Alice', 'Bob']);
      expect(view.budgetEstimate).toBe(90_000);
    }
    expect(a.toJSON()).toEqual(b.toJSON());
  });

  it('adds and deletes sign-off discussion entries, oldest first, refusing an empty one', () => {
    const internal = new InternalDoc(new Y.Doc());
    const later = internal.addDiscussionEntry('card-1', { authorId: 'u2', authorName: 'Recherche', text: '  Visa donné.  ', at: '2026-03-02T09:00:00.000Z' });
    internal.addDiscussionEntry('card-1', { authorId: 'u1', authorName: 'SRI', text: 'Qui cofinance ?', at: '2026-03-01T09:00:00.000Z' });
    expect(internal.listDiscussion('card-1').map(({ authorId, authorName, text, at }) => ({ authorId, authorName, text, at }))).toEqual([
      { authorId: 'u1', authorName: 'SRI', text: 'Qui cofinance ?', at: '2026-03-01T09:00:00.000Z' },
      { authorId: 'u2', authorName: 'Recherche', text: 'Visa donné.', at: '2026-03-02T09:00:00.000Z' },
    ]);
    expect(internal.listDiscussion('card-2')).toEqual([]);
    expect(() => internal.addDiscussionEntry('card-1', { authorId: 'u1', authorName: 'SRI', text: '   ' })).toThrow(ValidationError);

    const long = internal.addDiscussionEntry('card-1', { authorId: 'u1', authorName: 'SRI', text: 'x'.repeat(INTERNAL_LIMITS.comment + 10) });
    expect(internal.listDiscussion('card-1').find((entry) => entry.id === long)?.text).toHaveLength(INTERNAL_LIMITS.comment);

    internal.deleteDiscussionEntry('card-1', later);
    expect(internal.listDiscussion('card-1').map((entry) => entry.text)).not.toContain('Visa donné.');
  });

  it('tells which proposals a transaction changed, local or received', () => {
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    const local = new InternalDoc(a);
    const remote = new InternalDoc(b);
    const seen: { cardIds: string[]; notes: boolean }[] = [];
    b.on('afterTransaction', (transaction: Y.Transaction) => {
      const changed = remote.changedBy(transaction);
      seen.push({ cardIds: [...changed.cardIds].sort(), notes: changed.notes });
    });

    a.transact(() => {
      local.updateProposal('card-1', { budgetEstimate: 10 });
      local.addDiscussionEntry('card-2', { authorId: 'u', authorName: 'U', text: 'ok' });
    });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    remote.proposalNotesText('card-3').insert(0, 'note');
    remote.notes.insert(0, 'board');

    expect(seen).toEqual([
      { cardIds: ['card-1', 'card-2'], notes: false },
      { cardIds: ['card-3'], notes: false },
      { cardIds: [], notes: true },
    ]);
  });

  it('puts a proposal’s internal part in an undo scope: undo reverts one person’s budget, notes and discussion', () => {
    const internal = new InternalDoc(new Y.Doc());
    const origin = Symbol('me');
    const undo = new Y.UndoManager(internal.proposalTypes('card-1'), { trackedOrigins: new Set([origin]) });
    internal.doc.transact(() => internal.updateProposal('card-1', { budgetEstimate: 5000 }), origin);
    undo.stopCapturing();
    internal.doc.transact(() => internal.addDiscussionEntry('card-1', { authorId: 'u', authorName: 'U', text: 'ok' }), origin);
    undo.stopCapturing();
    internal.doc.transact(() => internal.proposalNotesText('card-1').insert(0, 'à voir'), origin);

    undo.undo();
    expect(internal.getProposal('card-1').notes).toBe('');
    undo.undo();
    expect(internal.listDiscussion('card-1')).toEqual([]);
    undo.undo();
    expect(internal.proposalFields('card-1').budgetEstimate).toBeNull();
  });
});

describe('migrateInternal', () => {
  it('records the internal schema version once, under MIGRATION_ORIGIN', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    expect(migrateInternal(doc)).toEqual({ from: 0, to: INTERNAL_SCHEMA_VERSION });
    expect(INTERNAL_SCHEMA_VERSION).toBe(1);
    expect(new InternalDoc(doc).schemaVersion).toBe(1);
    expect(origins).toEqual([MIGRATION_ORIGIN]);

    expect(migrateInternal(doc)).toEqual({ from: 1, to: 1 });
    expect(origins).toHaveLength(1);
  });

  it('keeps what was written before the version marker', () => {
    const doc = new Y.Doc();
    new InternalDoc(doc).updateProposal('card-1', { budgetEstimate: 42_000 });
    migrateInternal(doc);
    expect(new InternalDoc(doc).proposalFields('card-1').budgetEstimate).toBe(42_000);
  });

  it('refuses an internal document saved by a newer version and writes nothing', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('schemaVersion', INTERNAL_SCHEMA_VERSION + 1);
    const updates = countUpdates(doc);
    expect(() => migrateInternal(doc)).toThrow(InternalDocTooNewError);
    expect(updates()).toBe(0);
  });
});
