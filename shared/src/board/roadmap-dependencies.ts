/**
 * Checks of the dependencies between roadmap items (`RoadmapItem.dependsOn`): items that wait for
 * each other in a circle, and items planned to start before an item they wait for has ended.
 * Dependencies on items that no longer exist are ignored (someone deleted the item; the id stays
 * in the list until the item is next saved).
 */
import type { RoadmapItem } from '../domain/records.js';

/** What the checks read of an item. */
export type DependencyItem = Pick<RoadmapItem, 'startDate' | 'endDate' | 'dependsOn'> & { id: string };

/** A problem with an item's dependencies. */
export type DependencyIssue =
  /** The item is part of a circle of items that wait for each other (`cycle`: the circle's items). */
  | { kind: 'cycle'; itemId: string; cycle: string[] }
  /** The item starts before `dependencyId`, which it waits for, ends. */
  | { kind: 'startsEarly'; itemId: string; dependencyId: string };

export interface DependencyCheck {
  /** Each circle of items waiting for each other, its items in the order of `items`. */
  cycles: string[][];
  /** Each item planned to start on or before the last day of an item it waits for. */
  earlyStarts: { itemId: string; dependencyId: string }[];
  /** The issues of each item that has some. */
  byItem: Map<string, DependencyIssue[]>;
}

/** The existing items an item waits for, each once, itself included when it names itself. */
export function dependenciesOf(item: DependencyItem, known: ReadonlySet<string>): string[] {
  return [...new Set(item.dependsOn)].filter((id) => known.has(id));
}

/**
 * The circles among the items (Tarjan's strongly connected components, iterative so that a long
 * chain cannot overflow the stack): a component of more than one item, or an item that waits for
 * itself.
 */
export function dependencyCycles(items: readonly DependencyItem[]): string[][] {
  const known = new Set(items.map((item) => item.id));
  const edges = new Map(items.map((item) => [item.id, dependenciesOf(item, known)]));
  const order = new Map(items.map((item, index) => [item.id, index]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;

  for (const root of items) {
    if (index.has(root.id)) continue;
    const work: { id: string; next: number }[] = [{ id: root.id, next: 0 }];
    index.set(root.id, counter);
    low.set(root.id, counter++);
    stack.push(root.id);
    onStack.add(root.id);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const targets = edges.get(frame.id)!;
      if (frame.next < targets.length) {
        const target = targets[frame.next++];
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.id);
      if (component.length > 1 || edges.get(frame.id)!.includes(frame.id)) {
        cycles.push(component.sort((a, b) => order.get(a)! - order.get(b)!));
      }
    }
  }
  return cycles.sort((a, b) => order.get(a[0])! - order.get(b[0])!);
}

/**
 * Items planned to start before an item they wait for ends. Dates are whole days (`YYYY-MM-DD`,
 * compared as written) and an end date is the last day of work, so starting on that day is early.
 * An item without a start date, or a dependency without an end date, cannot be checked.
 */
export function earlyStarts(items: readonly DependencyItem[]): { itemId: string; dependencyId: string }[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  const known = new Set(byId.keys());
  const result: { itemId: string; dependencyId: string }[] = [];
  for (const item of items) {
    if (!item.startDate) continue;
    for (const dependencyId of dependenciesOf(item, known)) {
      const end = byId.get(dependencyId)!.endDate;
      if (dependencyId !== item.id && end && item.startDate <= end) result.push({ itemId: item.id, dependencyId });
    }
  }
  return result;
}

/** Every dependency problem of a roadmap, as lists and by item. */
export function checkDependencies(items: readonly DependencyItem[]): DependencyCheck {
  const cycles = dependencyCycles(items);
  const early = earlyStarts(items);
  const byItem = new Map<string, DependencyIssue[]>();
  const add = (issue: DependencyIssue) => byItem.set(issue.itemId, [...(byItem.get(issue.itemId) ?? []), issue]);
  for (const cycle of cycles) for (const itemId of cycle) add({ kind: 'cycle', itemId, cycle });
  for (const { itemId, dependencyId } of early) add({ kind: 'startsEarly', itemId, dependencyId });
  return { cycles, earlyStarts: early, byItem };
}

/** True when making `itemId` wait for `dependencyId` would close a circle (the form warns before saving). */
export function wouldCloseCycle(items: readonly DependencyItem[], itemId: string, dependencyId: string): boolean {
  if (itemId === dependencyId) return true;
  const byId = new Map(items.map((item) => [item.id, item]));
  const seen = new Set<string>();
  const pending = [dependencyId];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (id === itemId) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    pending.push(...(byId.get(id)?.dependsOn ?? []));
  }
  return false;
}
