import * as Y from 'yjs';
import { BoardDoc, GUARD_ORIGIN, PlannedMeeting } from '@passerelle/shared';

/**
 * Keeps the board's planned meetings as the editors and owners planned them:
 * - a partner guest sees them but plans, changes and cancels none, whatever their role on the board:
 *   whatever their transaction did to the planned meetings is put back (a meeting is one plain
 *   value, so what stood before comes back exactly);
 * - a value that is no planned meeting (a script's, a damaged client's) is put back too, so that
 *   the feeds and reminders, which leave such a value out, never drop a meeting someone overwrote.
 * Returns the number of meetings put back.
 */
export function guardPlannedMeetings(doc: Y.Doc, transaction: Y.Transaction, actor: { kind: 'member' | 'guest' }): number {
  const meetings = new BoardDoc(doc).plannedMeetings.map;
  const events = (transaction.changedParentTypes.get(meetings as unknown as Y.AbstractType<Y.YEvent<any>>) ?? []).filter(
    (event): event is Y.YMapEvent<unknown> => event.target === meetings && event instanceof Y.YMapEvent,
  );
  const undo: (() => void)[] = [];
  for (const event of events) {
    event.changes.keys.forEach((change, id) => {
      const refused = actor.kind === 'guest' || (change.action !== 'delete' && !PlannedMeeting.safeParse(meetings.get(id)).success);
      if (!refused) return;
      const before: unknown = change.action === 'add' ? undefined : change.oldValue;
      // What stood before is put back only when it was a planned meeting: anything else goes.
      if (before !== undefined && PlannedMeeting.safeParse(before).success) undo.push(() => meetings.set(id, before));
      else undo.push(() => meetings.delete(id));
    });
  }
  if (undo.length > 0) doc.transact(() => undo.forEach((step) => step()), GUARD_ORIGIN);
  return undo.length;
}
