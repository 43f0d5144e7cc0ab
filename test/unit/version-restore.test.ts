/**
 * Restoring a version as a new change (`restoreDocument`): applied on one replica, sent to the
 * others as an ordinary update, every replica must end with the version's content, and edits made
 * afterwards (or concurrently, elsewhere) must still merge.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc, InternalDoc, type ProposalView } from '../../shared/src/index.js';
import { restoreDocument, reconcileText } from '../../server/src/versions/restore.js';

/** Sends each replica what the other lacks, as a y-websocket sync step 2 would. */
function exchange(a: Y.Doc, b: Y.Doc): void {
  const forB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const forA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, forB);
  Y.applyUpdate(a, forA);
}

/** A replica of `source`'s current state. */
function replicaOf(source: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  return doc;
}

/** The version as the server keeps it: a full state decoded into a throwaway document. */
function snapshotOf(doc: Y.Doc): Y.Doc {
  return replicaOf(doc);
}

/** What a person sees: columns with their cards (proposals with fields, sections, comments), roadmap and actions. */
function visible(doc: Y.Doc) {
  const board = new BoardDoc(doc);
  return {
    columns: board.listColumns().map((column) => ({
      title: column.title,
      cards: board.listCards(column.id).map((card) => {
        const proposal = board.getProposal(card.id);
        return proposal ? withoutIds(proposal) : { title: card.title, description: card.description, kind: card.kind };
      }),
    })),
    roadmap: board.roadmap.list().map((item) => item.title).sort(),
    actions: board.actions.list().map((item) => item.title).sort(),
  };
}

function withoutIds(proposal: ProposalView) {
  const { id: _id, columnId: _column, ...rest } = proposal;
  return { ...rest, comments: rest.comments.map(({ id: _c, ...comment }) => comment) };
}

describe('restoring a version', () => {
  it('brings two connected replicas to the version content, re-creating deleted cards and removing later ones', () => {
    const origin = new BoardDoc(new Y.Doc());
    const todo = origin.addColumn('Proposals');
    const kept = origin.addProposal(todo, { title: 'Double degree with Porto', createdBy: 'u1', sections: { objectives: 'Two years in each school' } });
    origin.addComment(kept, { authorId: 'u1', authorName: 'Camille', text: 'Ask the studies directorate' });
    const removed = origin.addCard(todo, { title: 'Summer school', createdBy: 'u1' });
    origin.roadmap.create({ title: 'Sign the agreement' });
    const version = snapshotOf(origin.doc);
    const expected = visible(version);

    const alice = new BoardDoc(replicaOf(origin.doc));
    const bob = new BoardDoc(replicaOf(origin.doc));
    // After the version: a card deleted, a title and a section edited, a card and a column added, a comment deleted.
    alice.deleteCard(removed);
    alice.cardTitleText(kept)!.insert(0, 'DRAFT ');
    alice.proposalSectionText(kept, 'objectives')!.insert(0, 'Maybe: ');
    const later = alice.addColumn('Later');
    alice.addCard(later, { title: 'New idea', createdBy: 'u2' });
    bob.deleteComment(kept, bob.getProposal(kept)!.comments[0].id);
    bob.updateProposal(kept, { partnerName: 'U. Porto' } as never);
    exchange(alice.doc, bob.doc);
    expect(visible(alice.doc)).not.toEqual(expected);

    // Alice restores; Bob receives the one update her restore produced.
    const updates: Uint8Array[] = [];
    alice.doc.on('update', (update: Uint8Array) => updates.push(update));
    restoreDocument(alice.doc, version, 'board', 'restore');
    expect(updates).toHaveLength(1);
    Y.applyUpdate(bob.doc, updates[0]);

    expect(visible(alice.doc)).toEqual(expected);
    expect(visible(bob.doc)).toEqual(expected);
    expect(alice.doc.toJSON()).toEqual(bob.doc.toJSON());
    // The card that existed in both is the same card (edited in place, not replaced).
    expect(alice.getCard(kept)?.title).toBe('Double degree with Porto');
  });

  it('lets edits made after the restore, and edits made concurrently elsewhere in a text, merge', () => {
    const origin = new BoardDoc(new Y.Doc());
    const column = origin.addColumn('Notes');
    const card = origin.addCard(column, { title: 'Mobility targets', description: 'Twenty students a year', createdBy: 'u1' });
    const version = snapshotOf(origin.doc);
    const alice = new BoardDoc(replicaOf(origin.doc));
    const bob = new BoardDoc(replicaOf(origin.doc));
    alice.cardTitleText(card)!.insert(16, ' (draft)');
    exchange(alice.doc, bob.doc);

    // Bob types at the start of the description while Alice restores: his words survive the restore.
    restoreDocument(alice.doc, version, 'board', 'restore');
    bob.cardDescriptionText(card)!.insert(0, 'At least: ');
    exchange(alice.doc, bob.doc);
    expect(alice.getCard(card)).toEqual(bob.getCard(card));
    expect(alice.getCard(card)?.title).toBe('Mobility targets');
    expect(alice.getCard(card)?.description).toBe('At least: Twenty students a year');

    // Later edits on both sides merge as on any board.
    alice.cardTitleText(card)!.insert(0, '2027 ');
    bob.addCard(column, { title: 'Budget', createdBy: 'u2' });
    exchange(alice.doc, bob.doc);
    expect(visible(alice.doc)).toEqual(visible(bob.doc));
    expect(alice.listCards(column).map((c) => c.title)).toEqual(['2027 Mobility targets', 'Budget']);
  });

  it('changes nothing when the document already holds the version', () => {
    const origin = new BoardDoc(new Y.Doc());
    origin.addCard(origin.addColumn('A'), { title: 'Card', createdBy: 'u1' });
    const live = replicaOf(origin.doc);
    const updates: Uint8Array[] = [];
    live.on('update', (update: Uint8Array) => updates.push(update));
    restoreDocument(live, snapshotOf(origin.doc), 'board');
    expect(updates).toHaveLength(0);
  });

  it('restores the internal document: notes as text, proposal parts created later emptied', () => {
    const origin = new InternalDoc(new Y.Doc());
    origin.notes.insert(0, 'Budget is tight this year');
    origin.addDiscussionEntry('card0001', { authorId: 'u1', authorName: 'Camille', text: 'Signed by SRI' });
    const version = snapshotOf(origin.doc);
    const alice = new InternalDoc(replicaOf(origin.doc));
    const bob = new InternalDoc(replicaOf(origin.doc));
    alice.notes.insert(0, 'UPDATED: ');
    alice.proposalNotesText('card0002').insert(0, 'A later proposal');
    bob.deleteDiscussionEntry('card0001', bob.listDiscussion('card0001')[0].id);
    exchange(alice.doc, bob.doc);

    restoreDocument(bob.doc, version, 'internal');
    exchange(alice.doc, bob.doc);
    for (const replica of [alice, bob]) {
      expect(replica.notes.toString()).toBe('Budget is tight this year');
      expect(replica.listDiscussion('card0001').map((entry) => entry.text)).toEqual(['Signed by SRI']);
      expect(replica.proposalNotesText('card0002').toString()).toBe('');
    }
  });

  it('edits a text with one replacement that never splits a character outside the basic plane', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'Partenaire 🇵🇹 Porto');
    const source = new Y.Doc().getText('t');
    source.insert(0, 'Partenaire 🇪🇸 Porto');
    reconcileText(text, source);
    expect(text.toString()).toBe('Partenaire 🇪🇸 Porto');
  });
});
