/**
 * Undoing this person's own creation or deletion of workspace records, as one change of theirs
 * (so the server checks it, and the records' history shows it): a deletion undone brings the
 * records back with their fields, a creation undone removes them. Refused, as an undone field change
 * is, when someone else changed the records since: someone else's field in a record created, or a
 * record deleted that someone has made again.
 */
import * as Y from 'yjs';
import { RECORD_ROOTS, WorkspaceRecordKind } from '@passerelle/shared';

/** How long a creation or deletion can be undone (its undo offer is shown for less). */
const UNDO_WINDOW_MS = 10 * 60_000;

/** What undoing says: done, or refused because someone else changed the records since. */
export type UndoOutcome = 'undone' | 'refused';

/** The records of every kind, by kind and id. */
function recordIds(doc: Y.Doc): Map<string, Y.Map<unknown>> {
  const records = new Map<string, Y.Map<unknown>>();
  for (const kind of WorkspaceRecordKind.options) {
    doc.getMap<unknown>(RECORD_ROOTS[kind]).forEach((value, id) => {
      if (value instanceof Y.Map) records.set(`${kind}:${id}`, value);
    });
  }
  return records;
}

/** Whether any field of the record now holds a value someone else wrote. */
function changedByOthers(record: Y.Map<unknown>, ownClient: number): boolean {
  for (const item of (record._map as Map<string, Y.Item>).values()) if (!item.deleted && item.id.client !== ownClient) return true;
  return false;
}

/**
 * Runs `edit` as one transaction with `origin` (this person's) and returns the function that undoes
 * it, once. Only that transaction is kept: later changes of theirs are not part of the undo.
 */
export function undoableRecordChange(doc: Y.Doc, origin: unknown, edit: () => void): () => UndoOutcome {
  const roots = WorkspaceRecordKind.options.map((kind) => doc.getMap<unknown>(RECORD_ROOTS[kind]));
  const manager = new Y.UndoManager(roots, { trackedOrigins: new Set([origin]), captureTimeout: 0 });
  const before = recordIds(doc);
  doc.transact(edit, origin);
  // Nothing after this transaction joins the undo.
  manager.trackedOrigins.clear();
  const after = recordIds(doc);
  const created = [...after].filter(([key]) => !before.has(key));
  const deleted = [...before.keys()].filter((key) => !after.has(key));
  let used = false;
  // The manager follows every transaction of the document: it goes once the undo can no longer be asked for.
  const expiry = setTimeout(() => {
    used = true;
    manager.destroy();
  }, UNDO_WINDOW_MS);
  return () => {
    if (used) return 'refused';
    const now = recordIds(doc);
    const othersChangedCreated = created.some(([key, record]) => now.get(key) !== record || changedByOthers(record, doc.clientID));
    const madeAgain = deleted.some((key) => now.has(key));
    if (othersChangedCreated || madeAgain || manager.undoStack.length === 0) return 'refused';
    used = true;
    clearTimeout(expiry);
    manager.undo();
    manager.destroy();
    const done = recordIds(doc);
    return created.every(([key]) => !done.has(key)) && deleted.every((key) => done.has(key)) ? 'undone' : 'refused';
  };
}
