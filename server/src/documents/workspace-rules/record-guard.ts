/**
 * Who may change the workspace's records, enforced on what arrives through a connection: every record
 * a person's transaction created, changed or deleted is checked against the shared rule
 * (`canChangeWorkspaceRecord`) in its state before and after, and a record they were not allowed to
 * change is put back as it was, in a transaction of its own (`GUARD_ORIGIN`) that travels with theirs.
 *
 * Layout read here (`WorkspaceDoc`): each kind's root map holds one Y.Map of plain values per record.
 */
import * as Y from 'yjs';
import { GUARD_ORIGIN, RECORD_ROOTS, WorkspaceRecordKind, canChangeWorkspaceRecord, type RecordEditor } from '@passerelle/shared';

type Fields = Record<string, unknown>;

/** What one transaction did to one record. */
export interface RecordWrite {
  kind: WorkspaceRecordKind;
  id: string;
  /** Its fields before the transaction; null when it created the record. */
  before: Fields | null;
  /** Its fields after; null when it deleted the record. */
  after: Fields | null;
  /** The fields that changed (every field of a record created or deleted). */
  fields: string[];
}

/** A record put back because its author was not allowed to change it. */
export interface RefusedWrite {
  kind: WorkspaceRecordKind;
  id: string;
  /** What the record is called (its name, title or academic year, as it was before the change), '' when it has none. */
  name: string;
}

/** The fields a record is called by, the first it has. */
const NAME_FIELDS = ['name', 'title', 'academicYear'];

function nameOf(write: Pick<RecordWrite, 'before' | 'after'>): string {
  const fields = write.before ?? write.after ?? {};
  for (const field of NAME_FIELDS) if (typeof fields[field] === 'string' && fields[field]) return fields[field] as string;
  return '';
}

/** Per record touched: how to put it back. */
interface Touched {
  write: RecordWrite;
  restore: () => void;
}

/**
 * The records a transaction touched, each with its fields before and after and the way to put it
 * back. Call it from `afterTransaction`, while the transaction's events can still be read.
 */
function touchedRecords(doc: Y.Doc, transaction: Y.Transaction): Touched[] {
  const touched = new Map<string, Touched>();
  /** Records added, replaced or removed as a whole: what happened inside them is part of that. */
  const whole = new Set<string>();
  for (const kind of WorkspaceRecordKind.options) {
    const root = doc.getMap<unknown>(RECORD_ROOTS[kind]);
    for (const event of transaction.changedParentTypes.get(root as unknown as Y.AbstractType<Y.YEvent<any>>) ?? []) {
      if (event.target === root && event instanceof Y.YMapEvent) {
        // Records added, replaced or removed as a whole.
        event.changes.keys.forEach((change, id) => {
          const before = change.action === 'add' ? null : fieldsOfValue(change.oldValue, transaction);
          const value = root.get(id);
          const after = root.has(id) ? fieldsOfValue(value, transaction) : null;
          const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
          whole.add(`${kind}:${id}`);
          touched.set(`${kind}:${id}`, {
            write: { kind, id, before, after, fields },
            restore: () => {
              if (before === null) root.delete(id);
              else root.set(id, mapOf(before));
            },
          });
        });
        continue;
      }
      const path = pathBelow(event.target, root);
      if (!path) continue;
      const [id, field] = path;
      const key = `${kind}:${id}`;
      if (whole.has(key)) continue;
      const record = root.get(id);
      if (!(record instanceof Y.Map)) continue;
      const entry = touched.get(key) ?? recordEntry(kind, id, record);
      touched.set(key, entry);
      if (field === undefined && event instanceof Y.YMapEvent) {
        event.changes.keys.forEach((change, name) => {
          entry.write.fields.push(name);
          if (change.action === 'add') delete entry.write.before![name];
          else entry.write.before![name] = plain(change.oldValue);
          const undo = entry.restore;
          entry.restore = () => {
            undo();
            if (change.action === 'add') record.delete(name);
            else record.set(name, plain(change.oldValue));
          };
        });
      } else if (field !== undefined) {
        // Records hold plain values: a shared type nested in one is not part of any record's shape.
        entry.write.fields.push(field);
        const undo = entry.restore;
        entry.restore = () => {
          undo();
          record.delete(field);
        };
      }
    }
  }
  for (const { write } of touched.values()) write.fields = [...new Set(write.fields)];
  return [...touched.values()];
}

/** The entry of a record changed field by field: before starts as its current fields, corrected per change. */
function recordEntry(kind: WorkspaceRecordKind, id: string, record: Y.Map<unknown>): Touched {
  const current = record.toJSON() as Fields;
  return { write: { kind, id, before: { ...current }, after: current, fields: [] }, restore: () => {} };
}

/** Every record a transaction touched, with its fields before and after. */
export function recordWritesOf(doc: Y.Doc, transaction: Y.Transaction): RecordWrite[] {
  return touchedRecords(doc, transaction).map((entry) => entry.write);
}

/**
 * Puts back every record of the transaction that `editor` was not allowed to change (before or after
 * it), in one `GUARD_ORIGIN` transaction; returns the records put back.
 */
export function enforceRecordRules(doc: Y.Doc, transaction: Y.Transaction, editor: RecordEditor): RefusedWrite[] {
  const refused = touchedRecords(doc, transaction).filter(({ write }) => !isAllowed(editor, write));
  if (refused.length > 0) doc.transact(() => refused.forEach((entry) => entry.restore()), GUARD_ORIGIN);
  return refused.map(({ write }) => ({ kind: write.kind, id: write.id, name: nameOf(write) }));
}

/** Whether a write is allowed: the record in the state it had, and in the state it was given. */
export function isAllowed(editor: RecordEditor, write: Pick<RecordWrite, 'kind' | 'before' | 'after'>): boolean {
  if (write.before !== null && !canChangeWorkspaceRecord(editor, write.kind, write.before)) return false;
  if (write.after !== null && !canChangeWorkspaceRecord(editor, write.kind, write.after)) return false;
  return true;
}

/** The workspace settings may be changed by administrators and agreements managers; puts back anyone else's. Returns how many keys. */
export function enforceSettingsRule(doc: Y.Doc, transaction: Y.Transaction, editor: RecordEditor): number {
  if (editor.capabilities.includes('admin') || editor.capabilities.includes('agreements_manager')) return 0;
  const settings = doc.getMap<unknown>('settings');
  const undo: (() => void)[] = [];
  for (const event of transaction.changedParentTypes.get(settings as unknown as Y.AbstractType<Y.YEvent<any>>) ?? []) {
    if (event.target !== settings || !(event instanceof Y.YMapEvent)) continue;
    event.changes.keys.forEach((change, key) => {
      if (change.action === 'add' || change.oldValue instanceof Y.AbstractType) undo.push(() => settings.delete(key));
      else undo.push(() => settings.set(key, change.oldValue));
    });
  }
  if (undo.length > 0) doc.transact(() => undo.forEach((step) => step()), GUARD_ORIGIN);
  return undo.length;
}

/** The record id and field under `root` leading to `type` (`[id]` for the record's own map), or null. */
function pathBelow(type: Y.AbstractType<any>, root: Y.Map<unknown>): [string, string?] | null {
  const keys: string[] = [];
  let current: Y.AbstractType<any> = type;
  while (current !== root) {
    const item = current._item;
    if (!item || !(item.parent instanceof Y.AbstractType)) return null;
    if (item.parentSub !== null) keys.unshift(item.parentSub);
    current = item.parent;
  }
  return keys.length === 0 ? null : [keys[0], keys[1]];
}

/**
 * The fields of a record map, also when this transaction deleted it: its values are still there
 * until the transaction is cleaned up, though `toJSON` no longer reads deleted entries. A field
 * deleted by an earlier transaction stays deleted.
 */
function fieldsOfValue(value: unknown, transaction: Y.Transaction): Fields | null {
  if (!(value instanceof Y.Map)) return value === undefined ? null : {};
  const fields: Fields = {};
  (value._map as Map<string, Y.Item>).forEach((item, key) => {
    if (item.deleted && !Y.isDeleted(transaction.deleteSet, item.id)) return;
    const content = item.content.getContent();
    if (content.length > 0) fields[key] = plain(content[content.length - 1]);
  });
  return fields;
}

/** A value as a record holds it: plain values as they are, a shared type as its JSON. */
function plain(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.toJSON() : value;
}

/** A fresh record map holding `fields`. */
function mapOf(fields: Fields): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) map.set(key, value);
  return map;
}
