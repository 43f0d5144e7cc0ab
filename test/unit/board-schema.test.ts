/**
 * The board document on a single replica: typed accessors for columns and cards, display order by
 * fractional positions, and deletions that one undo step brings back.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc, LIMITS } from '../../shared/src/index.js';

function newBoard(): BoardDoc {
  return new BoardDoc(new Y.Doc());
}

const titles = (items: { title: string }[]): string[] => items.map((item) => item.title);

describe('BoardDoc columns', () => {
  it('lists added columns in the order they were appended', () => {
    const board = newBoard();
    board.addColumn('Proposals');
    board.addColumn('Sign-offs');
    board.addColumn('Agreements');
    expect(titles(board.listColumns())).toEqual(['Proposals', 'Sign-offs', 'Agreements']);
  });

  it('inserts a column at the requested index', () => {
    const board = newBoard();
    board.addColumn('Proposals');
    board.addColumn('Agreements');
    board.addColumn('Sign-offs', 1);
    board.addColumn('Ideas', 0);
    expect(titles(board.listColumns())).toEqual(['Ideas', 'Proposals', 'Sign-offs', 'Agreements']);
  });

  it('returns ids that address the column it created', () => {
    const board = newBoard();
    const id = board.addColumn('Partners');
    expect(board.listColumns()).toEqual([{ id, title: 'Partners', position: expect.any(String) }]);
  });

  it('renames a column without changing its place', () => {
    const board = newBoard();
    const first = board.addColumn('Proposals');
    board.addColumn('Agreements');
    board.renameColumn(first, 'Mobility proposals');
    expect(titles(board.listColumns())).toEqual(['Mobility proposals', 'Agreements']);
  });

  it('truncates column titles to the column title limit', () => {
    const board = newBoard();
    const id = board.addColumn('x'.repeat(LIMITS.columnTitle + 10));
    expect(board.listColumns()[0].title).toHaveLength(LIMITS.columnTitle);
    board.renameColumn(id, 'y'.repeat(LIMITS.columnTitle + 1));
    expect(board.listColumns()[0].title).toBe('y'.repeat(LIMITS.columnTitle));
  });

  it('ignores a rename of a column that does not exist', () => {
    const board = newBoard();
    board.addColumn('Proposals');
    board.renameColumn('no-such-column', 'Ghost');
    expect(titles(board.listColumns())).toEqual(['Proposals']);
  });

  it('moves a column to the front, the middle and the end', () => {
    const board = newBoard();
    const a = board.addColumn('A');
    board.addColumn('B');
    const c = board.addColumn('C');
    board.moveColumn(c, 0);
    expect(titles(board.listColumns())).toEqual(['C', 'A', 'B']);
    board.moveColumn(a, 2);
    expect(titles(board.listColumns())).toEqual(['C', 'B', 'A']);
    board.moveColumn(a, 1);
    expect(titles(board.listColumns())).toEqual(['C', 'A', 'B']);
  });

  it('keeps columns ordered by position strings, not by insertion order of the map', () => {
    const board = newBoard();
    board.addColumn('Second');
    board.addColumn('First', 0);
    const [first, second] = board.listColumns();
    expect(first.title).toBe('First');
    expect(first.position < second.position).toBe(true);
  });

  it('deletes a column', () => {
    const board = newBoard();
    const a = board.addColumn('A');
    board.addColumn('B');
    board.deleteColumn(a);
    expect(titles(board.listColumns())).toEqual(['B']);
  });
});

describe('BoardDoc cards', () => {
  it('adds cards at the end of their column with their fields', () => {
    const board = newBoard();
    const column = board.addColumn('Proposals');
    const before = Date.now();
    const id = board.addCard(column, { title: 'Exchange with Leuven', description: 'Two students', createdBy: 'user-1' });
    board.addCard(column, { title: 'Summer school', createdBy: 'user-2' });
    expect(titles(board.listCards(column))).toEqual(['Exchange with Leuven', 'Summer school']);
    const card = board.getCard(id);
    expect(card).toMatchObject({ id, columnId: column, title: 'Exchange with Leuven', description: 'Two students', createdBy: 'user-1' });
    expect(card!.createdAt).toBeGreaterThanOrEqual(before);
    expect(board.listCards(column)[1].description).toBe('');
  });

  it('inserts a card at the requested index', () => {
    const board = newBoard();
    const column = board.addColumn('Proposals');
    board.addCard(column, { title: 'A', createdBy: 'u' });
    board.addCard(column, { title: 'C', createdBy: 'u' });
    board.addCard(column, { title: 'B', createdBy: 'u' }, 1);
    board.addCard(column, { title: 'Start', createdBy: 'u' }, 0);
    expect(titles(board.listCards(column))).toEqual(['Start', 'A', 'B', 'C']);
  });

  it('keeps each column’s cards separate', () => {
    const board = newBoard();
    const left = board.addColumn('Left');
    const right = board.addColumn('Right');
    board.addCard(left, { title: 'L1', createdBy: 'u' });
    board.addCard(right, { title: 'R1', createdBy: 'u' });
    board.addCard(left, { title: 'L2', createdBy: 'u' });
    expect(titles(board.listCards(left))).toEqual(['L1', 'L2']);
    expect(titles(board.listCards(right))).toEqual(['R1']);
    const grouped = board.cardsByColumn();
    expect(titles(grouped.get(left)!)).toEqual(['L1', 'L2']);
    expect(titles(grouped.get(right)!)).toEqual(['R1']);
  });

  it('truncates card titles and descriptions to their limits', () => {
    const board = newBoard();
    const column = board.addColumn('Proposals');
    const id = board.addCard(column, {
      title: 't'.repeat(LIMITS.cardTitle + 5),
      description: 'd'.repeat(LIMITS.cardDescription + 5),
      createdBy: 'u',
    });
    expect(board.getCard(id)!.title).toHaveLength(LIMITS.cardTitle);
    expect(board.getCard(id)!.description).toHaveLength(LIMITS.cardDescription);
  });

  it('exposes the title and description as Y.Text that edits the card', () => {
    const board = newBoard();
    const column = board.addColumn('Proposals');
    const id = board.addCard(column, { title: 'Visit', description: 'Draft', createdBy: 'u' });
    board.cardTitleText(id)!.insert(5, ' to Lyon');
    board.cardDescriptionText(id)!.insert(0, 'First ');
    expect(board.getCard(id)).toMatchObject({ title: 'Visit to Lyon', description: 'First Draft' });
    expect(board.cardTitleText('missing')).toBeUndefined();
    expect(board.cardDescriptionText('missing')).toBeUndefined();
  });

  it('moves a card within its column', () => {
    const board = newBoard();
    const column = board.addColumn('Proposals');
    const a = board.addCard(column, { title: 'A', createdBy: 'u' });
    board.addCard(column, { title: 'B', createdBy: 'u' });
    board.addCard(column, { title: 'C', createdBy: 'u' });
    board.moveCard(a, column, 2);
    expect(titles(board.listCards(column))).toEqual(['B', 'C', 'A']);
    board.moveCard(a, column, 1);
    expect(titles(board.listCards(column))).toEqual(['B', 'A', 'C']);
  });

  it('moves a card to a given index of another column', () => {
    const board = newBoard();
    const from = board.addColumn('Proposals');
    const to = board.addColumn('Agreements');
    const moving = board.addCard(from, { title: 'Moving', createdBy: 'u' });
    board.addCard(from, { title: 'Staying', createdBy: 'u' });
    board.addCard(to, { title: 'X', createdBy: 'u' });
    board.addCard(to, { title: 'Y', createdBy: 'u' });
    board.moveCard(moving, to, 1);
    expect(titles(board.listCards(from))).toEqual(['Staying']);
    expect(titles(board.listCards(to))).toEqual(['X', 'Moving', 'Y']);
    expect(board.getCard(moving)!.columnId).toBe(to);
  });

  it('does not move a card into a column that does not exist', () => {
    const board = newBoard();
    const column = board.addColumn('Proposals');
    const card = board.addCard(column, { title: 'A', createdBy: 'u' });
    board.moveCard(card, 'no-such-column', 0);
    expect(board.getCard(card)!.columnId).toBe(column);
  });

  it('moves a card in one transaction, so observers see one change', () => {
    const board = newBoard();
    const from = board.addColumn('From');
    const to = board.addColumn('To');
    const card = board.addCard(from, { title: 'A', createdBy: 'u' });
    let transactions = 0;
    board.doc.on('afterTransaction', () => transactions++);
    board.moveCard(card, to, 0);
    expect(transactions).toBe(1);
  });

  it('deletes a card', () => {
    const board = newBoard();
    const column = board.addColumn('Proposals');
    const a = board.addCard(column, { title: 'A', createdBy: 'u' });
    board.addCard(column, { title: 'B', createdBy: 'u' });
    board.deleteCard(a);
    expect(board.getCard(a)).toBeUndefined();
    expect(titles(board.listCards(column))).toEqual(['B']);
  });

  it('deletes the cards of a deleted column and leaves other columns’ cards', () => {
    const board = newBoard();
    const doomed = board.addColumn('Doomed');
    const kept = board.addColumn('Kept');
    const c1 = board.addCard(doomed, { title: 'D1', createdBy: 'u' });
    const c2 = board.addCard(doomed, { title: 'D2', createdBy: 'u' });
    board.addCard(kept, { title: 'K1', createdBy: 'u' });
    board.deleteColumn(doomed);
    expect(board.getCard(c1)).toBeUndefined();
    expect(board.getCard(c2)).toBeUndefined();
    expect(board.cards.size).toBe(1);
    expect(titles(board.listCards(kept))).toEqual(['K1']);
  });
});

describe('BoardDoc undo', () => {
  function undoManagerFor(board: BoardDoc): Y.UndoManager {
    // captureTimeout 0: each transaction is its own undo step, so the test sees exactly what one
    // transaction covers instead of edits merged because they happened within 500 ms.
    return new Y.UndoManager([board.columns, board.cards], { captureTimeout: 0 });
  }

  it('brings back a deleted column and all of its cards with one undo', () => {
    const board = newBoard();
    const column = board.addColumn('Proposals');
    board.addColumn('Other');
    const ids = ['A', 'B', 'C'].map((title) => board.addCard(column, { title, description: `about ${title}`, createdBy: 'u' }));
    const undo = undoManagerFor(board);

    board.deleteColumn(column);
    expect(board.listColumns()).toHaveLength(1);
    expect(undo.undoStack).toHaveLength(1);

    undo.undo();
    expect(titles(board.listColumns())).toEqual(['Proposals', 'Other']);
    expect(titles(board.listCards(column))).toEqual(['A', 'B', 'C']);
    expect(ids.map((id) => board.getCard(id)?.description)).toEqual(['about A', 'about B', 'about C']);
  });

  it('undoes a move across columns in one step', () => {
    const board = newBoard();
    const from = board.addColumn('From');
    const to = board.addColumn('To');
    const card = board.addCard(from, { title: 'A', createdBy: 'u' });
    board.addCard(from, { title: 'B', createdBy: 'u' });
    const undo = undoManagerFor(board);
    board.moveCard(card, to, 0);
    expect(undo.undoStack).toHaveLength(1);
    undo.undo();
    expect(titles(board.listCards(from))).toEqual(['A', 'B']);
    expect(board.listCards(to)).toEqual([]);
  });
});
