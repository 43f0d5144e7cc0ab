import { describe, expect, it } from 'vitest';
import {
  ALL_LANE,
  NOTES_LANE,
  columnIndexForLaneIndex,
  groupIntoLanes,
  laneKeyOf,
  laneZone,
  parseLaneField,
  parseLaneZone,
} from '../../web/src/routes/(app)/boards/[boardId=id]/common/lanes.js';

type Fields = { actionType: 'double_degree' | 'strategic_partnership' | 'mobility_agreement'; leadDepartment: 'sri' | 'studies' | 'research' };
interface Item {
  id: string;
  proposal?: Fields;
}

const items: Item[] = [
  { id: 'a', proposal: { actionType: 'double_degree', leadDepartment: 'studies' } },
  { id: 'note' },
  { id: 'b', proposal: { actionType: 'strategic_partnership', leadDepartment: 'sri' } },
  { id: 'c', proposal: { actionType: 'double_degree', leadDepartment: 'sri' } },
];
const proposalOf = (item: Item) => item.proposal;

describe('swimlanes', () => {
  it('without a field, one lane holds every item, even none', () => {
    expect(groupIntoLanes(items, 'none', proposalOf)).toEqual([{ key: ALL_LANE, items }]);
    // The list itself: an unchanged column keeps its array, so its view is left alone.
    expect(groupIntoLanes(items, 'none', proposalOf)[0]!.items).toBe(items);
    expect(groupIntoLanes([], 'none', proposalOf)).toEqual([{ key: ALL_LANE, items: [] }]);
  });

  it('groups by the field in vocabulary order, keeps the items’ order within a lane, and puts notes last', () => {
    const byType = groupIntoLanes(items, 'actionType', proposalOf);
    expect(byType.map((lane) => lane.key)).toEqual(['strategic_partnership', 'double_degree', NOTES_LANE]);
    expect(byType[1]!.items.map((item) => item.id)).toEqual(['a', 'c']);
    const byLead = groupIntoLanes(items, 'leadDepartment', proposalOf);
    expect(byLead.map((lane) => lane.key)).toEqual(['sri', 'studies', NOTES_LANE]);
    expect(byLead[0]!.items.map((item) => item.id)).toEqual(['b', 'c']);
  });

  it('leaves out a lane no item falls in', () => {
    const lanes = groupIntoLanes(items.filter((item) => item.proposal), 'leadDepartment', proposalOf);
    expect(lanes.map((lane) => lane.key)).not.toContain('research');
    expect(lanes.map((lane) => lane.key)).not.toContain(NOTES_LANE);
  });

  it('reads a stored choice, and anything unknown as no lanes', () => {
    expect(parseLaneField('actionType')).toBe('actionType');
    expect(parseLaneField('leadDepartment')).toBe('leadDepartment');
    expect(parseLaneField('partner')).toBe('none');
    expect(parseLaneField(null)).toBe('none');
  });

  it('a lane key is the field value, the notes’ lane for a note, and the one lane without a field', () => {
    expect(laneKeyOf('actionType', items[0]!.proposal)).toBe('double_degree');
    expect(laneKeyOf('leadDepartment', undefined)).toBe(NOTES_LANE);
    expect(laneKeyOf('none', items[0]!.proposal)).toBe(ALL_LANE);
  });

  it('a zone names its lane and column, whatever the column id holds', () => {
    expect(parseLaneZone(laneZone('double_degree', 'col/1'))).toEqual({ lane: 'double_degree', columnId: 'col/1' });
  });
});

describe('a drop within a lane, placed in the whole column', () => {
  // The column's order: n1, a, n2, b, c; the lane holds a, b and c (the n's are another lane's).
  const column = ['n1', 'a', 'n2', 'b', 'c'];
  const lane = ['a', 'b', 'c'];

  it('goes just before the lane card it was dropped on', () => {
    // c dropped first in its lane: before a, after n1 (index 1 among the others).
    expect(columnIndexForLaneIndex(column, lane, 'c', 0)).toBe(1);
    // a dropped second: after b, i.e. before c among the others n1, n2, b, c.
    expect(columnIndexForLaneIndex(column, lane, 'a', 1)).toBe(3);
  });

  it('goes just after the lane’s last card when dropped at the lane’s end', () => {
    expect(columnIndexForLaneIndex(column, lane, 'a', 2)).toBe(4);
    expect(columnIndexForLaneIndex([...column, 'n3'], lane, 'a', 2)).toBe(4);
  });

  it('goes at the end of the column when the lane has no other card there', () => {
    expect(columnIndexForLaneIndex(['n1', 'n2'], [], 'x', 0)).toBe(2);
  });

  it('stays where it is when dropped back at its own place, the other lanes’ cards around it', () => {
    // Alone in its lane, between two cards of another lane.
    expect(columnIndexForLaneIndex(['n1', 'x', 'n2'], ['x'], 'x', 0)).toBe(1);
    // First of its lane, after another lane's card: dropped first again, it does not jump over n1.
    expect(columnIndexForLaneIndex(['n1', 'a', 'n2', 'b'], ['a', 'b'], 'a', 0)).toBe(1);
  });

  it('without lanes, the lane index is the column index', () => {
    for (let index = 0; index <= 4; index++) expect(columnIndexForLaneIndex(column, column, 'b', index)).toBe(index);
    expect(columnIndexForLaneIndex(column, column, 'new', 5)).toBe(5);
  });
});
