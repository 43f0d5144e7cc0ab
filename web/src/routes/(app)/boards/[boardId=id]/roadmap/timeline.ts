/**
 * The roadmap's timeline in numbers: months counted from year 0 (so a range is plain arithmetic),
 * the months the timeline spans, where an item's bar stands in its grid, the order items are
 * planned in, and the arrow from an item to one that waits for it.
 */
import type { RoadmapItem } from '@passerelle/shared';

type Dated = Pick<RoadmapItem, 'startDate' | 'endDate'>;

/** The month of an ISO date (`2027-03-15`), counted from January of year 0. */
export function monthOf(isoDate: string): number {
  return Number(isoDate.slice(0, 4)) * 12 + Number(isoDate.slice(5, 7)) - 1;
}

/**
 * The months the timeline shows: from the earliest start to the latest end of any item, at least
 * a year and at most six years wide; from `now`'s month when no item is dated.
 */
export function timelineMonths(items: readonly Dated[], now: Date): number[] {
  const dated = items.flatMap((item) => [item.startDate, item.endDate]).filter((date): date is string => !!date).map(monthOf);
  const first = dated.length > 0 ? Math.min(...dated) : now.getUTCFullYear() * 12 + now.getUTCMonth();
  const last = Math.min(Math.max(dated.length > 0 ? Math.max(...dated) : first, first + 11), first + 71);
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

/**
 * The grid columns of an item's bar (`from / to`): column 1 holds the labels, month `m` is column
 * `m - months[0] + 2`; a bar past the timeline's ends is cut at them. Null for an undated item.
 */
export function barColumns(item: Dated, months: readonly number[]): string | null {
  const start = item.startDate ?? item.endDate;
  if (!start || months.length === 0) return null;
  const end = item.endDate ?? start;
  const first = months[0]!;
  const from = Math.max(monthOf(start) - first, 0) + 2;
  const to = Math.min(monthOf(end) - first, months.length - 1) + 3;
  return `${from} / ${Math.max(to, from + 1)}`;
}

/** The order items are planned in: by start date (undated last), then title. */
export function byPlannedOrder(a: Pick<RoadmapItem, 'startDate' | 'title'>, b: Pick<RoadmapItem, 'startDate' | 'title'>): number {
  return (a.startDate ?? '9999').localeCompare(b.startDate ?? '9999') || a.title.localeCompare(b.title);
}

type Box = Pick<DOMRect, 'left' | 'right' | 'top' | 'height'>;

/**
 * The SVG path of the arrow from the end of `source` to the start of `target` (boxes in the
 * page), relative to `origin`: a gentle S, or a short bend when it turns back (the item starts
 * before its dependency ends), so that it stays off the labels.
 */
export function arrowPath(source: Box, target: Box, origin: Pick<DOMRect, 'left' | 'top'>): string {
  const x1 = source.right - origin.left;
  const y1 = source.top + source.height / 2 - origin.top;
  const x2 = target.left - origin.left;
  const y2 = target.top + target.height / 2 - origin.top;
  const bend = x2 >= x1 ? Math.max(24, (x2 - x1) / 2) : 40;
  return `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
}
