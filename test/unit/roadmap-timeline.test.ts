import { describe, expect, it } from 'vitest';
import { arrowPath, barColumns, byPlannedOrder, monthOf, timelineMonths } from '../../web/src/routes/(app)/boards/[boardId=id]/roadmap/timeline.js';

const item = (title: string, startDate: string | null, endDate: string | null) => ({ title, startDate, endDate });

describe('the roadmap’s timeline', () => {
  it('counts months from year 0', () => {
    expect(monthOf('2027-01-15')).toBe(2027 * 12);
    expect(monthOf('2027-12-01') - monthOf('2027-01-31')).toBe(11);
  });

  it('spans the items’ dates, at least a year and at most six years', () => {
    const short = timelineMonths([item('Porto', '2027-03-01', '2027-05-31')], new Date('2020-01-01'));
    expect([short[0], short.length]).toEqual([monthOf('2027-03-01'), 12]);
    const long = timelineMonths([item('A', '2027-01-01', '2028-06-30'), item('B', null, '2026-09-30')], new Date('2020-01-01'));
    expect([long[0], long.at(-1)]).toEqual([monthOf('2026-09-01'), monthOf('2028-06-01')]);
    const capped = timelineMonths([item('A', '2027-01-01', '2040-01-01')], new Date('2020-01-01'));
    expect(capped.length).toBe(72);
    // Nothing dated: a year from the present month.
    const undated = timelineMonths([item('A', null, null)], new Date('2026-12-03T10:00:00Z'));
    expect([undated[0], undated.length]).toEqual([monthOf('2026-12-01'), 12]);
  });

  it('places a bar in the months it covers, cut at the timeline’s ends; none for an undated item', () => {
    const months = timelineMonths([item('A', '2027-01-01', '2027-12-31')], new Date());
    // Column 1 holds the labels: January is column 2, a bar ends after its last month.
    expect(barColumns(item('Q1', '2027-01-10', '2027-03-20'), months)).toBe('2 / 5');
    expect(barColumns(item('Due', null, '2027-06-30'), months)).toBe('7 / 8');
    expect(barColumns(item('Before', '2026-06-01', '2027-02-01'), months)).toBe('2 / 4');
    expect(barColumns(item('After', '2027-11-01', '2029-01-01'), months)).toBe('12 / 14');
    expect(barColumns(item('Undated', null, null), months)).toBeNull();
  });

  it('orders items by start, the undated last, then by title', () => {
    const sorted = [item('B', null, null), item('Z', '2027-02-01', null), item('A', null, null), item('Y', '2027-01-01', null)].sort(byPlannedOrder);
    expect(sorted.map((each) => each.title)).toEqual(['Y', 'Z', 'A', 'B']);
  });

  it('draws an arrow from the end of one box to the start of the next, bending back when it turns back', () => {
    const origin = { left: 100, top: 50 };
    const box = (left: number, right: number, top: number) => ({ left, right, top, height: 20 });
    expect(arrowPath(box(100, 200, 50), box(300, 400, 90), origin)).toBe('M 100 10 C 150 10, 150 50, 200 50');
    expect(arrowPath(box(100, 300, 50), box(250, 400, 90), origin)).toBe('M 200 10 C 240 10, 110 50, 150 50');
  });
});
