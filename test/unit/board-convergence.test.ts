/**
 * Two replicas of one board editing concurrently, then exchanging updates: both must end in the
 * same state, and that state must be the one the schema promises (one card in one place, both
 * inserts kept, typing merged).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc, type CardView } from '../../shared/src/index.js';

/** Two replicas with distinct client ids, starting from the same state. */
function twoReplicas(setup: (board: BoardDoc) => void): [BoardDoc, BoardDoc] {
  const origin = new BoardDoc(new Y.Doc());
  setup(origin);
  const alice = new BoardDoc(new Y.Doc());
  const bob = new BoardDoc(new Y.Doc());
  Y.applyUpdate(alice.doc, Y.encodeStateAsUpdate(origin.doc));
  Y.applyUpdate(bob.doc, Y.encodeStateAsUpdate(origin.doc));
  return [alice, bob];
}

/** Sends each replica what the other has and it lacks, as a y-websocket sync step 2 would. */
function exchange(a: BoardDoc, b: BoardDoc): void {
  const forB = Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc));
  const forA = Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc));
  Y.applyUpdate(b.doc, forB);
  Y.applyUpdate(a.doc, forA);
}

/** Everything a person sees on a board: columns in order, each with its cards in order. */
function visibleBoard(board: BoardDoc): { title: string; cards: Pick<CardView, 'id' | 'title'>[] }[] {
  return board.listColumns().map((column) => ({
    title: column.title,
    cards: board.listCards(column.id).map(({ id, title }) => ({ id, title })),
  }));
}

function expectConverged(a: BoardDoc, b: BoardDoc): void {
  expect(a.doc.toJSON()).toEqual(b.doc.toJSON());
  expect(visibleBoard(a)).toEqual(visibleBoard(b));
}

describe('BoardDoc convergence', () => {
  it('ends with exactly one card in one place when two people move the same card to different columns', () => {
    let ids = { todo: '', doing: '', done: '', card: '' };
    const [alice, bob] = twoReplicas((board) => {
      const todo = board.addColumn('Todo');
      const doing = board.addColumn('Doing');
      const done = board.addColumn('Done');
      board.addCard(doing, { title: 'Existing', createdBy: 'u' });
      const card = board.addCard(todo, { title: 'Contested', createdBy: 'u' });
      ids = { todo, doing, done, card };
    });

    alice.moveCard(ids.card, ids.doing, 0);
    bob.moveCard(ids.card, ids.done, 0);
    exchange(alice, bob);

    expectConverged(alice, bob);
    for (const replica of [alice, bob]) {
      const placements = [ids.todo, ids.doing, ids.done].flatMap((column) =>
        replica.listCards(column).filter((card) => card.id === ids.card).map(() => column),
      );
      expect(placements).toHaveLength(1);
      expect([ids.doing, ids.done]).toContain(placements[0]);
      expect(replica.cards.size).toBe(2);
    }
  });

  it('ends with one card in one place when a move within a column races a move to another column', () => {
    let ids = { left: '', right: '', card: '' };
    const [alice, bob] = twoReplicas((board) => {
      const left = board.addColumn('Left');
      const right = board.addColumn('Right');
      const card = board.addCard(left, { title: 'Contested', createdBy: 'u' });
      board.addCard(left, { title: 'Neighbour', createdBy: 'u' });
      ids = { left, right, card };
    });

    alice.moveCard(ids.card, ids.left, 1);
    bob.moveCard(ids.card, ids.right, 0);
    exchange(alice, bob);

    expectConverged(alice, bob);
    const appearances = [...alice.listCards(ids.left), ...alice.listCards(ids.right)].filter((card) => card.id === ids.card);
    expect(appearances).toHaveLength(1);
  });

  it('keeps both cards, in the same order on both replicas, when two people insert at the same index', () => {
    let ids = { column: '', first: '', last: '' };
    const [alice, bob] = twoReplicas((board) => {
      const column = board.addColumn('Proposals');
      const first = board.addCard(column, { title: 'First', createdBy: 'u' });
      const last = board.addCard(column, { title: 'Last', createdBy: 'u' });
      ids = { column, first, last };
    });

    const fromAlice = alice.addCard(ids.column, { title: 'From Alice', createdBy: 'alice' }, 1);
    const fromBob = bob.addCard(ids.column, { title: 'From Bob', createdBy: 'bob' }, 1);
    // Both replicas computed the key between the same neighbours: the tie is broken by id.
    expect(alice.getCard(fromAlice)!.position).toBe(bob.getCard(fromBob)!.position);
    exchange(alice, bob);

    expectConverged(alice, bob);
    const order = alice.listCards(ids.column).map((card) => card.id);
    expect(order).toHaveLength(4);
    expect(order[0]).toBe(ids.first);
    expect(order[3]).toBe(ids.last);
    expect(order.slice(1, 3)).toEqual([fromAlice, fromBob].sort());
  });

  it('keeps both columns when two people add a column at the end at the same time', () => {
    const [alice, bob] = twoReplicas((board) => {
      board.addColumn('Existing');
    });
    alice.addColumn('Alice’s');
    bob.addColumn('Bob’s');
    exchange(alice, bob);

    expectConverged(alice, bob);
    expect(alice.listColumns().map((column) => column.title).sort()).toEqual(['Alice’s', 'Bob’s', 'Existing']);
    expect(alice.listColumns()[0].title).toBe('Existing');
  });

  it('merges concurrent typing in a card title character by character', () => {
    let card = '';
    const [alice, bob] = twoReplicas((board) => {
      const column = board.addColumn('Proposals');
      card = board.addCard(column, { title: 'Visit', createdBy: 'u' });
    });

    alice.cardTitleText(card)!.insert(5, ' to Lyon');
    bob.cardTitleText(card)!.insert(0, 'Plan: ');
    exchange(alice, bob);

    expectConverged(alice, bob);
    expect(alice.getCard(card)!.title).toBe('Plan: Visit to Lyon');
  });

  it('keeps a card moved into a column deleted concurrently, but no column lists it', () => {
    let ids = { source: '', target: '', moved: '', victim: '' };
    const [alice, bob] = twoReplicas((board) => {
      const source = board.addColumn('Source');
      const target = board.addColumn('Target');
      const moved = board.addCard(source, { title: 'Moved', createdBy: 'u' });
      const victim = board.addCard(target, { title: 'Already there', createdBy: 'u' });
      ids = { source, target, moved, victim };
    });

    alice.moveCard(ids.moved, ids.target, 0);
    bob.deleteColumn(ids.target);
    exchange(alice, bob);

    expectConverged(alice, bob);
    for (const replica of [alice, bob]) {
      // Bob's deletion removed the cards Target had when he deleted it...
      expect(replica.getCard(ids.victim)).toBeUndefined();
      // ...but not Alice's card, which arrived concurrently: it survives, pointing at a column
      // that no longer exists, so no column lists it (the documented rule of `listCards`).
      expect(replica.getCard(ids.moved)).toMatchObject({ columnId: ids.target, title: 'Moved' });
      expect(replica.listColumns().map((column) => column.id)).toEqual([ids.source]);
      expect(replica.listCards(ids.source)).toEqual([]);
      expect(replica.listCards(ids.target).map((card) => card.id)).toEqual([ids.moved]);
      expect(replica.cardsByColumn().get(ids.target)!.map((card) => card.id)).toEqual([ids.moved]);
    }
  });

  it('loses a card moved out of a column that is deleted concurrently', () => {
    let ids = { source: '', target: '', moved: '' };
    const [alice, bob] = twoReplicas((board) => {
      const source = board.addColumn('Source');
      const target = board.addColumn('Target');
      const moved = board.addCard(source, { title: 'Rescued?', createdBy: 'u' });
      ids = { source, target, moved };
    });

    alice.moveCard(ids.moved, ids.target, 0);
    bob.deleteColumn(ids.source);
    exchange(alice, bob);

    expectConverged(alice, bob);
    // Bob deleted the card's map entry; Alice's move only wrote fields inside that entry, and
    // writes inside a deleted Y.Map are discarded. The card is gone on both replicas.
    for (const replica of [alice, bob]) {
      expect(replica.getCard(ids.moved)).toBeUndefined();
      expect(replica.listCards(ids.target)).toEqual([]);
    }
  });

  it('converges when one person renames a column another is moving', () => {
    let ids = { a: '', b: '' };
    const [alice, bob] = twoReplicas((board) => {
      ids = { a: board.addColumn('A'), b: board.addColumn('B') };
    });
    alice.renameColumn(ids.a, 'Renamed');
    bob.moveColumn(ids.a, 1);
    exchange(alice, bob);

    expectConverged(alice, bob);
    expect(alice.listColumns().map((column) => column.title)).toEqual(['B', 'Renamed']);
  });
});
