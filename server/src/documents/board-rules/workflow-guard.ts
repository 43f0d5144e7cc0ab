import { isDeepStrictEqual } from 'node:util';
import * as Y from 'yjs';
import {
  BoardDoc,
  Department,
  furthestAllowedStage,
  missingSignOffs,
  parseSignOffKey,
  readProposalFields,
  readSignOffs,
  signOffLocked,
  GUARD_ORIGIN,
  type SignOff,
  type WorkflowRefusal,
} from '@passerelle/shared';

/** Who made a change: the server checks sign-offs against their departments and records their name. */
export interface Actor {
  userId: string;
  /** The name a sign-off records, whatever name the client wrote. */
  name: string;
  departments: readonly Department[];
}

/**
 * How far a sign-off's time may be from the server's clock and still be kept as the client wrote it
 * (1 minute): enough for a browser's clock and the round trip, while anything further is replaced by
 * the server's time. Rewriting every sign-off instead would break the web app's undo of a sign-off
 * (the client's entry would no longer be the one standing) for no gain in what the record says.
 */
export const SIGN_OFF_CLOCK_TOLERANCE_MS = 60_000;

/** The card fields the gates read: a change to any of them checks the proposal's stage again. */
const GATE_FIELDS = ['kind', 'stage', 'actionType', 'selectsStudents', 'signOffs'] as const;

/** What one transaction did to a card, as far as the workflow is concerned. */
interface CardChanges {
  /** Something the gates read changed: the stage is checked again. */
  gates: boolean;
  /** Sign-off keys written (every key, for a new map or a new card): each is checked against the actor. */
  given: Set<string> | 'all';
  /** Entries that stood before the transaction and are gone or overwritten, with their value then. */
  withdrawn: Map<string, unknown>;
}

/**
 * Enforces the proposal workflow on the server, on every change a client sends (the web app checks
 * the same rules, but a client cannot be trusted to). A CRDT update cannot be refused once applied,
 * so a change that breaks a rule is undone by a correcting change, stored and relayed with it, and
 * the person is told why:
 * - a sign-off must be given by the signed-in person, for a department they belong to, at a gated
 *   stage; any other sign-off entry is removed. The server's name for the person is recorded, and the
 *   server's time unless the client's is within `SIGN_OFF_CLOCK_TOLERANCE_MS` of it;
 * - a sign-off may be withdrawn only by a member of its department, and only while the proposal has
 *   not passed its gate (afterwards it is the record of why it passed); otherwise it is put back.
 *   Replacing or deleting the whole `signOffs` map, or overwriting an entry, withdraws what was there;
 * - a proposal that stands beyond a gate lacking sign-offs, after any change to what the gates read
 *   (stage, kind, action type, student selection, sign-offs) or its creation, is put back at the
 *   furthest stage its sign-offs allow.
 */
export function enforceWorkflow(doc: Y.Doc, transaction: Y.Transaction, actor: Actor, boardId: string): WorkflowRefusal[] {
  const board = new BoardDoc(doc);
  const changes = changedCards(board, transaction);
  const refusals: WorkflowRefusal[] = [];
  if (changes.size === 0) return refusals;
  const now = Date.now();

  doc.transact(() => {
    for (const [cardId, change] of changes) {
      const card = board.cards.get(cardId);
      if (!(card instanceof Y.Map)) continue;
      const stage = readProposalFields(card).stage;

      /** Keys this pass leaves alone: someone else's sign-offs put back, and entries the change left as they were. */
      const untouched = new Set<string>();
      for (const [key, before] of change.withdrawn) {
        const signOffs = card.get('signOffs');
        if (signOffs instanceof Y.Map && isDeepStrictEqual(signOffs.get(key), before)) {
          untouched.add(key);
          continue;
        }
        const slot = parseSignOffKey(key);
        // Only a department's genuine sign-off is protected: anything else may go.
        if (!slot || !isSignOffFor(before, slot)) continue;
        const inDepartment = actor.departments.includes(slot.department);
        if (inDepartment && !signOffLocked(stage, slot.gate)) continue;
        signOffMap(card).set(key, before);
        untouched.add(key);
        refusals.push({ boardId, cardId, reason: inDepartment ? 'sign_off_locked' : 'not_in_department', department: slot.department });
      }

      const signOffs = card.get('signOffs');
      if (signOffs instanceof Y.Map) {
        const given = change.given === 'all' ? [...signOffs.keys()] : [...change.given].filter((key) => signOffs.has(key));
        for (const key of given) {
          if (untouched.has(key)) continue;
          const value: unknown = signOffs.get(key);
          const slot = parseSignOffKey(key);
          const valid = slot !== null && isSignOffFor(value, slot) && value.userId === actor.userId && actor.departments.includes(slot.department);
          if (!valid) {
            signOffs.delete(key);
            const department = Department.safeParse(slot?.department ?? (value as { department?: unknown } | null)?.department);
            refusals.push({ boardId, cardId, reason: 'not_in_department', ...(department.success ? { department: department.data } : {}) });
            continue;
          }
          const stamped = stampSignOff(value as SignOff, actor, now);
          if (!isDeepStrictEqual(value, stamped)) signOffs.set(key, stamped);
        }
      }

      if (change.gates && card.get('kind') === 'proposal') {
        const fields = readProposalFields(card);
        const current = readSignOffs(card);
        const missing = missingSignOffs(fields, current, fields.stage);
        if (missing.length === 0) {
          // Also repair a stage value that is not a stage at all.
          if (card.get('stage') !== fields.stage) card.set('stage', fields.stage);
          continue;
        }
        card.set('stage', furthestAllowedStage(fields, current, fields.stage));
        refusals.push({ boardId, cardId, reason: 'missing_sign_offs', target: fields.stage, missing });
      }
    }
  }, GUARD_ORIGIN);
  return refusals;
}

/**
 * What the transaction did to each card, read from its change events (only they still know the
 * values it replaced). A card created (or replaced) in the transaction is new: all of it is checked.
 */
function changedCards(board: BoardDoc, transaction: Y.Transaction): Map<string, CardChanges> {
  const changes = new Map<string, CardChanges>();
  const of = (cardId: string) => {
    let change = changes.get(cardId);
    if (!change) changes.set(cardId, (change = { gates: false, given: new Set(), withdrawn: new Map() }));
    return change;
  };
  const isCard = (type: Y.AbstractType<any> | null): type is Y.Map<unknown> =>
    type instanceof Y.Map && type.parent === board.cards && board.cards.get(type._item?.parentSub ?? '') === type;

  for (const event of transaction.changedParentTypes.get(board.cards as unknown as Y.AbstractType<Y.YEvent<any>>) ?? []) {
    const target = event.target;
    if (target === board.cards) {
      for (const cardId of event.changes.keys.keys()) {
        const card = board.cards.get(cardId);
        if (card instanceof Y.Map && addedIn(transaction, card._item!)) {
          const change = of(cardId);
          change.gates = true;
          change.given = 'all';
        }
      }
    } else if (isCard(target)) {
      // Anything else (a move, a title) leaves the workflow as it was.
      if (!GATE_FIELDS.some((field) => event.changes.keys.has(field))) continue;
      const change = of(target._item!.parentSub!);
      change.gates = true;
      const replaced = event.changes.keys.get('signOffs');
      if (replaced) {
        change.given = 'all';
        // A replaced or deleted map withdraws every entry it held.
        if (replaced.oldValue instanceof Y.Map) for (const [key, value] of entriesBefore(replaced.oldValue, transaction)) change.withdrawn.set(key, value);
      }
    } else if (target instanceof Y.Map && target._item?.parentSub === 'signOffs' && isCard(target.parent)) {
      const change = of(target.parent._item!.parentSub!);
      change.gates = true;
      event.changes.keys.forEach(({ action, oldValue }, key) => {
        if (action !== 'delete' && change.given !== 'all') change.given.add(key);
        if (action !== 'add') change.withdrawn.set(key, oldValue);
      });
    }
  }
  return changes;
}

/** Whether `item` was written by this transaction. */
function addedIn(transaction: Y.Transaction, item: Y.Item): boolean {
  return item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0);
}

/** The entries a map held before the transaction (it is deleted now, so `get` no longer sees them). */
function entriesBefore(map: Y.Map<unknown>, transaction: Y.Transaction): Map<string, unknown> {
  const entries = new Map<string, unknown>();
  map._map.forEach((latest, key) => {
    let item: Y.Item | null = latest;
    while (item !== null && addedIn(transaction, item)) item = item.left;
    // Deleted before this transaction: it was not there to withdraw.
    if (item === null || (item.deleted && !Y.isDeleted(transaction.deleteSet, item.id))) return;
    const content = item.content.getContent();
    entries.set(key, content[content.length - 1]);
  });
  return entries;
}

/** Whether `value` is a sign-off for the gate and department of the key it is stored under. */
function isSignOffFor(value: unknown, slot: { gate: string; department: string }): value is SignOff {
  if (typeof value !== 'object' || value === null || value instanceof Y.AbstractType) return false;
  const signOff = value as Partial<SignOff>;
  return signOff.gate === slot.gate && signOff.department === slot.department && typeof signOff.userId === 'string';
}

/** The sign-off as the server records it: the person's name, and its time unless the client's is close to the server's. */
function stampSignOff(signOff: SignOff, actor: Actor, now: number): SignOff {
  const written = typeof signOff.at === 'string' ? Date.parse(signOff.at) : Number.NaN;
  const timely = Number.isFinite(written) && new Date(written).toISOString() === signOff.at && Math.abs(written - now) <= SIGN_OFF_CLOCK_TOLERANCE_MS;
  return {
    gate: signOff.gate,
    department: signOff.department,
    userId: actor.userId,
    userName: actor.name,
    at: timely ? signOff.at : new Date(now).toISOString(),
  };
}

/** The card's sign-off map, made anew when a change took it away (to put others' sign-offs back in). */
function signOffMap(card: Y.Map<unknown>): Y.Map<unknown> {
  const current = card.get('signOffs');
  if (current instanceof Y.Map) return current;
  const map = new Y.Map<unknown>();
  card.set('signOffs', map);
  return map;
}
