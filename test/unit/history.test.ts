import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc, InternalDoc } from '@passerelle/shared';
import {
  HistoryCoalescer,
  SubjectTitles,
  describeTransaction,
  detectAssignments,
  type SubjectChange,
} from '../../server/src/collab/board-history.js';

/** A board document whose transactions are described as the server's change hook describes them. */
function recordedBoard() {
  const doc = new Y.Doc();
  const board = new BoardDoc(doc);
  const titles = new SubjectTitles();
  const described: SubjectChange[][] = [];
  const transactions: Y.Transaction[] = [];
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    titles.adopt(doc);
    transactions.push(transaction);
    described.push(describeTransaction('board', transaction, titles));
  });
  /** What the next edit produces. */
  const changesOf = (edit: () => void) => {
    const before = described.length;
    edit();
    return described.slice(before).flat();
  };
  const transactionsOf = (edit: () => void) => {
    const before = transactions.length;
    edit();
    return transactions.slice(before);
  };
  return { doc, board, titles, changesOf, transactionsOf };
}

describe('history of board transactions', () => {
  it('reports a new card as created, with its title and no fields', () => {
    const { board, changesOf } = recordedBoard();
    const columnId = board.addColumn('À faire');
    const changes = changesOf(() => board.addCard(columnId, { title: 'Contacter Porto', createdBy: 'u1' }));
    expect(changes).toEqual([{ subjectKind: 'card', subjectId: expect.any(String), subject: 'Contacter Porto', action: 'created', fields: [] }]);
  });

  it('names the fields of an update: typing in the title, a stage change, a move', () => {
    const { board, changesOf } = recordedBoard();
    const columnId = board.addColumn('Propositions');
    const other = board.addColumn('Retenues');
    const cardId = board.addProposal(columnId, { title: 'Alliance', createdBy: 'u1' });

    expect(changesOf(() => board.cardTitleText(cardId)!.insert(8, ' chimie'))).toEqual([
      { subjectKind: 'card', subjectId: cardId, subject: 'Alliance chimie', action: 'updated', fields: ['title'] },
    ]);
    expect(changesOf(() => board.setProposalStage(cardId, 'sri_review'))[0].fields).toEqual(['stage']);
    expect(changesOf(() => board.moveCard(cardId, other, 0))[0].fields.sort()).toEqual(['columnId', 'position']);
    expect(changesOf(() => board.addChecklistItem(cardId, 'Budget'))[0].fields).toEqual(['checklist']);
    expect(changesOf(() => board.addComment(cardId, { authorId: 'u2', authorName: 'B', text: 'ok' }))[0].fields).toEqual(['comments']);
  });

  it('names a deleted card by its last known title', () => {
    const { board, changesOf } = recordedBoard();
    const columnId = board.addColumn('À faire');
    const cardId = board.addCard(columnId, { title: 'Visite Sherbrooke', createdBy: 'u1' });
    expect(changesOf(() => board.deleteCard(cardId))).toEqual([
      { subjectKind: 'card', subjectId: cardId, subject: 'Visite Sherbrooke', action: 'deleted', fields: [] },
    ]);
  });

  it('reports columns, roadmap and action items as their own kinds', () => {
    const { board, changesOf } = recordedBoard();
    const columnId = board.addColumn('À faire');
    expect(changesOf(() => board.renameColumn(columnId, 'En cours'))).toEqual([
      { subjectKind: 'column', subjectId: columnId, subject: 'En cours', action: 'updated', fields: ['title'] },
    ]);
    const roadmapId = board.roadmap.create({ title: 'Phase 1' });
    expect(changesOf(() => board.roadmap.update(roadmapId, { horizon: 'long' }))).toEqual([
      { subjectKind: 'roadmap', subjectId: roadmapId, subject: 'Phase 1', action: 'updated', fields: ['horizon'] },
    ]);
    const created = changesOf(() => board.actions.create({ title: 'Relancer Dortmund' }));
    expect(created).toMatchObject([{ subjectKind: 'action', subject: 'Relancer Dortmund', action: 'created' }]);
  });

  it('leaves out schema bookkeeping and a card created and deleted in one transaction', () => {
    const { doc, board, changesOf } = recordedBoard();
    const columnId = board.addColumn('À faire');
    expect(changesOf(() => board.meta.set('schemaVersion', 3))).toEqual([]);
    expect(
      changesOf(() =>
        doc.transact(() => {
          const id = board.addCard(columnId, { title: 'Brouillon', createdBy: 'u1' });
          board.deleteCard(id);
        }),
      ),
    ).toEqual([]);
  });

  it('names the card an internal-document change is about, with its internal fields', () => {
    const { board, titles } = recordedBoard();
    const columnId = board.addColumn('Propositions');
    const cardId = board.addProposal(columnId, { title: 'Double diplôme Porto', createdBy: 'u1' });
    const doc = new Y.Doc();
    const internal = new InternalDoc(doc);
    const described: SubjectChange[][] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => described.push(describeTransaction('internal', transaction, titles)));
    internal.updateProposal(cardId, { budgetEstimate: 12_000 });
    internal.proposalNotesText(cardId).insert(0, 'Accord du directeur');
    internal.addDiscussionEntry(cardId, { authorId: 'u1', authorName: 'A', text: 'Budget validé ?' });
    const card = { subjectKind: 'card', subjectId: cardId, subject: 'Double diplôme Porto', action: 'updated' };
    expect(described.flat()).toEqual([
      { ...card, fields: ['budgetEstimate'] },
      { ...card, fields: ['internalNotes'] },
      { ...card, fields: ['internalDiscussion'] },
    ]);
  });
});

describe('assignments of action items', () => {
  it('finds an action item created with an owner, or given one, but not one whose owner was removed', () => {
    const { board, transactionsOf } = recordedBoard();
    const assignmentsOf = (edit: () => void) => transactionsOf(edit).flatMap(detectAssignments);

    let actionId = '';
    expect(assignmentsOf(() => (actionId = board.actions.create({ title: 'Préparer la visite', ownerId: 'u2', ownerName: 'Bea' })))).toEqual([
      { actionId: expect.any(String), title: 'Préparer la visite', ownerId: 'u2' },
    ]);
    expect(assignmentsOf(() => board.actions.update(actionId, { ownerId: 'u3', ownerName: 'Chloé' }))).toEqual([
      { actionId, title: 'Préparer la visite', ownerId: 'u3' },
    ]);
    expect(assignmentsOf(() => board.actions.update(actionId, { done: true }))).toEqual([]);
    expect(assignmentsOf(() => board.actions.update(actionId, { ownerId: null, ownerName: '' }))).toEqual([]);
    expect(assignmentsOf(() => board.actions.create({ title: 'Sans responsable' }))).toEqual([]);
  });
});

describe('coalescing history entries', () => {
  const alice = { id: 'alice', name: 'Alice' };
  const bob = { id: 'bob', name: 'Bob' };
  const update = (fields: string[], subject = 'Alliance'): SubjectChange => ({ subjectKind: 'card', subjectId: 'card-1', subject, action: 'updated', fields });

  it('folds one person’s consecutive changes to a subject within the window into one entry', () => {
    const coalescer = new HistoryCoalescer({ windowMs: 60_000 });
    expect(coalescer.add('b', alice, [update(['title'])], 0)).toEqual([]);
    expect(coalescer.add('b', alice, [update(['title'], 'Alliance verte')], 1_000)).toEqual([]);
    expect(coalescer.add('b', alice, [update(['stage'], 'Alliance verte')], 30_000)).toEqual([]);
    expect(coalescer.openEntries('b')).toHaveLength(1);
    expect(coalescer.openEntries('b')[0].entry).toMatchObject({ actorId: 'alice', subject: 'Alliance verte', action: 'updated', fields: ['title', 'stage'], cardId: 'card-1' });
    expect(coalescer.closeExpired(59_999)).toEqual([]);
    const closed = coalescer.closeExpired(60_000);
    expect(closed.map((open) => open.entry.fields)).toEqual([['title', 'stage']]);
    expect(coalescer.size).toBe(0);
  });

  it('starts a new entry after the window, or when someone else changes the subject', () => {
    const coalescer = new HistoryCoalescer({ windowMs: 60_000 });
    coalescer.add('b', alice, [update(['title'])], 0);
    const closedByBob = coalescer.add('b', bob, [update(['stage'])], 10_000);
    expect(closedByBob.map((open) => open.entry.actorId)).toEqual(['alice']);
    const closedByTime = coalescer.add('b', bob, [update(['description'])], 70_000);
    expect(closedByTime.map((open) => open.entry.fields)).toEqual([['stage']]);
    expect(coalescer.openEntries('b').map((open) => open.entry.fields)).toEqual([['description']]);
  });

  it('folds two people typing in the same field at once into one entry naming both, until someone changes another field', () => {
    const coalescer = new HistoryCoalescer({ windowMs: 60_000 });
    for (let second = 0; second < 20; second++) {
      expect(coalescer.add('b', second % 2 === 0 ? alice : bob, [update(['title'], `Alliance ${second}`)], second * 1_000)).toEqual([]);
    }
    expect(coalescer.openEntries('b')).toHaveLength(1);
    expect(coalescer.openEntries('b')[0].entry).toMatchObject({ actorId: 'alice', subject: 'Alliance 19', fields: ['title'], coActors: [bob] });
    // Another field by someone else is a change of their own: Alice's entry is closed with both names.
    const closed = coalescer.add('b', bob, [update(['stage'])], 21_000);
    expect(closed.map((open) => [open.entry.actorId, open.entry.coActors])).toEqual([['alice', [bob]]]);
    expect(coalescer.openEntries('b')[0].entry).toMatchObject({ actorId: 'bob', fields: ['stage'], coActors: [] });
  });

  it('keeps a creation a creation, and a deletion ends the story', () => {
    const coalescer = new HistoryCoalescer({ windowMs: 60_000 });
    coalescer.add('b', alice, [{ ...update([]), action: 'created' }], 0);
    coalescer.add('b', alice, [update(['title'])], 1_000);
    expect(coalescer.openEntries('b')[0].entry).toMatchObject({ action: 'created', fields: [] });
    coalescer.add('b', alice, [{ ...update([]), action: 'deleted' }], 2_000);
    expect(coalescer.openEntries('b')[0].entry).toMatchObject({ action: 'deleted', fields: [] });
  });

  it('reports columns as board-level entries without a card id', () => {
    const coalescer = new HistoryCoalescer({ windowMs: 60_000 });
    coalescer.add('b', alice, [{ subjectKind: 'column', subjectId: 'col-1', subject: 'À faire', action: 'updated', fields: ['title'] }], 0);
    expect(coalescer.openEntries('b')[0].entry).toMatchObject({ cardId: null, subjectKind: 'column' });
  });
});
