/**
 * Turns Yjs transactions on a board into history entries: which card, roadmap item, action item or
 * column changed, whether it was created, deleted or updated, and which of its fields. Pure (no I/O),
 * so that the rules are unit-tested on plain documents.
 */
import * as Y from 'yjs';
import type { HistoryEntry } from '@passerelle/shared';

/** The kinds of thing a history entry is about. */
export type SubjectKind = HistoryEntry['subjectKind'];

/** What one transaction did to one subject. */
export interface SubjectChange {
  subjectKind: SubjectKind;
  /** The card's, record's or column's id (columns are reported with a null `cardId` in the entry). */
  subjectId: string;
  subject: string;
  action: HistoryEntry['action'];
  fields: string[];
}

/** Which document the transaction ran on: the shareable board, or its internal document. */
export type BoardDocumentName = 'board' | 'internal';

/** Root types of the internal document about one proposal: its fields, its notes, its discussion. */
const INTERNAL_ROOT = /^proposal\/([^/]+)(?:\/(notes|discussion))?$/;

/** The root maps of the board document and what their entries are. */
const BOARD_ROOTS: Record<string, SubjectKind> = { cards: 'card', columns: 'column', roadmap: 'roadmap', actions: 'action' };

/**
 * The last known title and kind of every subject of a board, so that a deleted card is named in its
 * history entry (its content is gone from the document by then) and an internal-document change is
 * named after the card it is about.
 */
export class SubjectTitles {
  readonly #subjects = new Map<string, { kind: SubjectKind; title: string }>();
  /** The board document instance the titles were read from: a reloaded room is read again. */
  #source: WeakRef<Y.Doc> | null = null;

  /**
   * Reads every subject of a board document the first time this instance of it is seen. Returns
   * true when it did (a new instance: the room was loaded again).
   */
  adopt(doc: Y.Doc): boolean {
    if (this.#source?.deref() === doc) return false;
    this.#source = new WeakRef(doc);
    for (const [root, kind] of Object.entries(BOARD_ROOTS)) {
      doc.getMap<unknown>(root).forEach((value, id) => {
        const title = titleOf(value);
        if (title !== undefined) this.#subjects.set(id, { kind, title });
      });
    }
    return true;
  }

  /** True once the document the titles were read from is gone (its room was unloaded and collected). */
  get released(): boolean {
    return this.#source !== null && this.#source.deref() === undefined;
  }

  get(id: string): { kind: SubjectKind; title: string } | undefined {
    return this.#subjects.get(id);
  }

  set(id: string, kind: SubjectKind, title: string): void {
    this.#subjects.set(id, { kind, title });
  }
}

/**
 * Describes what a transaction changed, one `SubjectChange` per subject, in the order first touched.
 * Call it after the transaction ran (its `changed` map and `beforeState` are complete then).
 *
 * Board document: `cards`, `columns`, `roadmap`, `actions` are maps of subjects; a key added to one
 * of them is a creation, a key removed a deletion, and a change below a subject an update whose
 * field is the subject's key on the way down (`title` for typing in the title, `checklist` for any
 * checklist item, `stage`, `signOffs`, ...). Changes to `meta` (schema migrations) are not history.
 *
 * Internal document: `proposal/<cardId>` changes are updates of that card naming the internal fields
 * (`budgetEstimate`), its notes (`internalNotes`) or its discussion (`internalDiscussion`); the
 * board's internal `notes` an update of the board. Subjects are named from the board's `titles`.
 */
export function describeTransaction(document: BoardDocumentName, transaction: Y.Transaction, titles: SubjectTitles): SubjectChange[] {
  const changes = new Map<string, SubjectChange>();
  const touch = (kind: SubjectKind, id: string, action: SubjectChange['action'], fields: Iterable<string>) => {
    const key = `${kind}:${id}`;
    let change = changes.get(key);
    if (!change) {
      change = { subjectKind: kind, subjectId: id, subject: '', action, fields: [] };
      changes.set(key, change);
    } else if (action !== 'updated') {
      change.action = action;
    }
    for (const field of fields) if (!change.fields.includes(field)) change.fields.push(field);
  };

  const doc = transaction.doc;
  const rootNames = new Map<Y.AbstractType<any>, string>();
  doc.share.forEach((type, name) => rootNames.set(type, name));

  transaction.changed.forEach((keys, type) => {
    const path = pathOf(type, rootNames);
    if (!path) return;
    const [root, id, field] = path;
    const changedKeys = [...keys].filter((key): key is string => typeof key === 'string');

    if (document === 'board') {
      const kind = BOARD_ROOTS[root];
      if (!kind) return;
      if (id === undefined) {
        // A subject added to or removed from its root map.
        const map = doc.getMap<unknown>(root);
        for (const key of changedKeys) {
          if (!map.has(key)) touch(kind, key, 'deleted', []);
          else touch(kind, key, isNewIn(map, key, transaction) ? 'created' : 'updated', []);
        }
      } else {
        touch(kind, id, 'updated', field !== undefined ? [field] : changedKeys);
      }
      return;
    }

    // Internal document (layout in shared/src/board/internal.ts): root types named per proposal.
    if (root === 'meta') return;
    if (root === 'notes') {
      touch('board', '', 'updated', ['internalNotes']);
      return;
    }
    const proposal = INTERNAL_ROOT.exec(root);
    if (proposal) {
      const [, cardId, part] = proposal;
      const fields = part === 'notes' ? ['internalNotes'] : part === 'discussion' ? ['internalDiscussion'] : id !== undefined ? [id] : changedKeys;
      touch('card', cardId, 'updated', fields);
      return;
    }
    if (id === undefined) {
      for (const key of changedKeys) touch(titles.get(key)?.kind ?? 'card', key, 'updated', [root]);
    } else {
      touch(titles.get(id)?.kind ?? 'card', id, 'updated', field !== undefined ? [field] : changedKeys.length ? changedKeys : [root]);
    }
  });

  const result: SubjectChange[] = [];
  for (const change of changes.values()) {
    // A subject created and deleted in the same transaction never existed for anyone.
    if (change.action === 'deleted' && document === 'board' && wasCreatedAndDeleted(change, transaction)) continue;
    if (change.action !== 'updated') change.fields = [];
    if (document === 'board' && change.action !== 'deleted') {
      const value = doc.getMap<unknown>(rootFor(change.subjectKind)).get(change.subjectId);
      const title = titleOf(value);
      if (title !== undefined) titles.set(change.subjectId, change.subjectKind, title);
    }
    change.subject = titles.get(change.subjectId)?.title ?? '';
    if (change.action === 'updated' && change.fields.length === 0) continue;
    result.push(change);
  }
  return result;
}

/** The root map holding subjects of a kind in the board document. */
function rootFor(kind: SubjectKind): string {
  return Object.entries(BOARD_ROOTS).find(([, k]) => k === kind)?.[0] ?? 'cards';
}

/** The keys from the document's root down to `type` (root name first), or null for an unnamed root. */
function pathOf(type: Y.AbstractType<any>, rootNames: Map<Y.AbstractType<any>, string>): string[] | null {
  const keys: string[] = [];
  let current: Y.AbstractType<any> = type;
  while (current._item) {
    const item = current._item;
    // Arrays (parentSub null) have no key: the path continues from their parent.
    if (item.parentSub !== null) keys.unshift(item.parentSub);
    if (!(item.parent instanceof Y.AbstractType)) return null;
    current = item.parent;
  }
  const root = rootNames.get(current);
  if (root === undefined) return null;
  keys.unshift(root);
  return keys;
}

/** Whether the value now under `key` was written by this transaction (rather than being older). */
function isNewIn(map: Y.Map<unknown>, key: string, transaction: Y.Transaction): boolean {
  const item = map._map.get(key);
  if (!item) return false;
  return item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0);
}

/** A deleted subject whose last value was itself written by this transaction. */
function wasCreatedAndDeleted(change: SubjectChange, transaction: Y.Transaction): boolean {
  const map = transaction.doc.getMap<unknown>(rootFor(change.subjectKind));
  return isNewIn(map, change.subjectId, transaction);
}

/** The title of a card (Y.Text), column, roadmap or action item (strings), if it has one. */
function titleOf(value: unknown): string | undefined {
  if (!(value instanceof Y.Map)) return undefined;
  const title = value.get('title');
  if (title instanceof Y.Text) return title.toString();
  return typeof title === 'string' ? title : undefined;
}

/** An action item whose owner was set to someone by this transaction. */
export interface Assignment {
  actionId: string;
  title: string;
  ownerId: string;
}

/**
 * The action items this transaction gave an owner: created with one, or whose `ownerId` changed to
 * someone. Removing the owner is not an assignment.
 */
export function detectAssignments(transaction: Y.Transaction): Assignment[] {
  const actions = transaction.doc.getMap<unknown>('actions');
  const assignments: Assignment[] = [];
  const add = (actionId: string) => {
    const item = actions.get(actionId);
    if (!(item instanceof Y.Map)) return;
    const ownerId = item.get('ownerId');
    if (typeof ownerId !== 'string' || !ownerId) return;
    if (assignments.some((a) => a.actionId === actionId)) return;
    assignments.push({ actionId, title: String(item.get('title') ?? ''), ownerId });
  };
  transaction.changed.forEach((keys, type) => {
    if ((type as unknown) === actions) {
      for (const key of keys) if (typeof key === 'string' && actions.has(key) && isNewIn(actions, key, transaction)) add(key);
    } else if (type._item?.parent === actions && keys.has('ownerId') && type._item.parentSub) {
      add(type._item.parentSub);
    }
  });
  return assignments;
}

/** A history entry not yet written: it still absorbs its author's next changes to the same subject. */
export interface OpenEntry {
  boardId: string;
  entry: Omit<HistoryEntry, 'id'>;
  subjectId: string;
  /** When the first change of the entry happened (ms): the coalescing window starts then. */
  openedAt: number;
}

/**
 * Coalesces changes into history entries: consecutive changes by the same person to the same subject
 * within `windowMs` of the first become one entry (typing a title is hundreds of transactions, one
 * entry). Someone else changing fields the entry already holds within that window (two people typing
 * in one title, keystrokes interleaved) joins it as a co-actor rather than closing it, which would
 * write one entry per keystroke. An entry is closed when its window ends or someone else changes
 * that subject otherwise; closed entries are handed to the caller to be written, in order.
 */
export class HistoryCoalescer {
  readonly #windowMs: number;
  /** Open entries by board, then by subject key: insertion order is the order they were opened. */
  readonly #open = new Map<string, Map<string, OpenEntry>>();

  constructor(options: { windowMs: number }) {
    this.#windowMs = options.windowMs;
  }

  /**
   * Adds what a transaction changed; returns the entries this closes (someone else's on the same
   * subject, or ones past their window).
   */
  add(boardId: string, actor: { id: string; name: string }, changes: SubjectChange[], now: number): OpenEntry[] {
    const closed: OpenEntry[] = [];
    let board = this.#open.get(boardId);
    if (!board) {
      board = new Map();
      this.#open.set(boardId, board);
    }
    for (const change of changes) {
      const key = `${change.subjectKind}:${change.subjectId}`;
      const open = board.get(key);
      if (open && now - open.openedAt < this.#windowMs) {
        if (open.entry.actorId === actor.id) {
          mergeInto(open.entry, change, now);
          continue;
        }
        if (isSameFieldsEdit(open.entry, change)) {
          mergeInto(open.entry, change, now);
          if (!open.entry.coActors.some((coActor) => coActor.id === actor.id)) open.entry.coActors.push({ id: actor.id, name: actor.name });
          continue;
        }
      }
      if (open) {
        board.delete(key);
        closed.push(open);
      }
      board.set(key, {
        boardId,
        subjectId: change.subjectId,
        openedAt: now,
        entry: {
          at: new Date(now).toISOString(),
          actorId: actor.id,
          actorName: actor.name,
          cardId: change.subjectKind === 'column' || change.subjectKind === 'board' ? null : change.subjectId,
          subjectKind: change.subjectKind,
          subject: change.subject,
          action: change.action,
          fields: change.action === 'updated' ? [...change.fields] : [],
          coActors: [],
        },
      });
    }
    return closed;
  }

  /** Closes and returns the entries whose window ended by `now` (all of them with `Infinity`). */
  closeExpired(now: number): OpenEntry[] {
    const closed: OpenEntry[] = [];
    for (const [boardId, board] of this.#open) {
      for (const [key, open] of board) {
        if (now - open.openedAt >= this.#windowMs) {
          board.delete(key);
          closed.push(open);
        }
      }
      if (board.size === 0) this.#open.delete(boardId);
    }
    return closed;
  }

  /** The open entries of a board, oldest first. */
  openEntries(boardId: string): OpenEntry[] {
    return [...(this.#open.get(boardId)?.values() ?? [])];
  }

  /** Whether any entry is open. */
  get size(): number {
    let count = 0;
    for (const board of this.#open.values()) count += board.size;
    return count;
  }
}

/** Whether someone else's change only edits fields an open update already holds. */
function isSameFieldsEdit(entry: Omit<HistoryEntry, 'id'>, change: SubjectChange): boolean {
  return entry.action === 'updated' && change.action === 'updated' && change.fields.every((field) => entry.fields.includes(field));
}

/** Folds a later change (of the same person, or of a co-actor) into an open entry. */
function mergeInto(entry: Omit<HistoryEntry, 'id'>, change: SubjectChange, now: number): void {
  entry.at = new Date(now).toISOString();
  if (change.subject) entry.subject = change.subject;
  if (change.action === 'deleted') {
    // Whatever happened before, the subject is gone now.
    entry.action = 'deleted';
    entry.fields = [];
  } else if (entry.action === 'updated') {
    if (change.action === 'created') {
      entry.action = 'created';
      entry.fields = [];
    } else {
      for (const field of change.fields) if (!entry.fields.includes(field)) entry.fields.push(field);
    }
  }
  // A created entry stays "created": the fields set right after are part of creating it.
}
