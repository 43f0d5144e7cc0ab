import * as Y from 'yjs';
import {
  BoardDoc,
  Department,
  GATED_STAGES,
  PROPOSAL_STAGES,
  missingSignOffs,
  readProposalFields,
  readSignOffs,
  signOffKey,
  stageIndex,
  type ProposalStage,
  type WorkflowRefusal,
} from '@passerelle/shared';

/** Who made a change: the server checks sign-offs against their departments. */
export interface Actor {
  userId: string;
  departments: readonly Department[];
}

/** Transaction origin of the guard's corrections. */
export const GUARD_ORIGIN = Symbol('workflow-guard');

/**
 * Enforces the proposal workflow on the server, on every change a client sends (the web app checks
 * the same rules, but a client cannot be trusted to). A CRDT update cannot be refused once applied,
 * so a change that breaks a rule is undone by a correcting change, stored and relayed with it, and
 * the person is told why:
 * - a sign-off must be given by the signed-in person, for a department they belong to, at a gated
 *   stage; any other sign-off entry is removed;
 * - a sign-off may be withdrawn only by a member of its department, and only while the proposal has
 *   not passed its gate (afterwards it is the record of why it passed); otherwise it is put back;
 * - a proposal whose stage was set (or which was created) beyond a gate lacking sign-offs is put
 *   back at the furthest stage its sign-offs allow.
 */
export function enforceWorkflow(doc: Y.Doc, transaction: Y.Transaction, actor: Actor, boardId: string): WorkflowRefusal[] {
  const board = new BoardDoc(doc);
  const created = (type: Y.AbstractType<any>) => {
    const item = type._item;
    return item !== null && item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0);
  };
  const cardIdOf = (card: Y.AbstractType<any>) => (card._item?.parentSub as string | null) ?? null;

  /** Cards whose stage must be checked, and sign-off entries (card id → keys) to verify. */
  const stageChecks = new Set<string>();
  const signOffChecks = new Map<string, Set<string> | 'all'>();
  const checkAllSignOffs = (cardId: string) => signOffChecks.set(cardId, 'all');

  transaction.changed.forEach((keys, type) => {
    if ((type as unknown) === board.cards) {
      for (const key of keys) {
        if (key === null) continue;
        const card = board.cards.get(key);
        if (card && created(card)) {
          stageChecks.add(key);
          checkAllSignOffs(key);
        }
      }
      return;
    }
    if (!(type instanceof Y.Map)) return;
    if (type.parent === board.cards) {
      const cardId = cardIdOf(type);
      if (!cardId) return;
      if (keys.has('stage') || keys.has('kind')) stageChecks.add(cardId);
      if (keys.has('signOffs')) checkAllSignOffs(cardId);
      return;
    }
    const card = type.parent;
    if (card instanceof Y.Map && card.parent === board.cards && type._item?.parentSub === 'signOffs') {
      const cardId = cardIdOf(card);
      if (!cardId) return;
      const existing = signOffChecks.get(cardId);
      if (existing === 'all') return;
      const set = existing ?? new Set<string>();
      for (const key of keys) if (key !== null) set.add(key);
      signOffChecks.set(cardId, set);
    }
  });

  // Withdrawn sign-offs, with their previous value (only the change events still know it).
  const withdrawals: { cardId: string; signOffs: Y.Map<unknown>; key: string; oldValue: unknown }[] = [];
  for (const event of transaction.changedParentTypes.get(board.cards as unknown as Y.AbstractType<Y.YEvent<any>>) ?? []) {
    const target = event.target;
    const card = target.parent;
    if (!(target instanceof Y.Map) || target._item?.parentSub !== 'signOffs' || !(card instanceof Y.Map) || card.parent !== board.cards) continue;
    const cardId = cardIdOf(card);
    if (!cardId) continue;
    event.changes.keys.forEach((change, key) => {
      if (change.action === 'delete') withdrawals.push({ cardId, signOffs: target, key, oldValue: change.oldValue });
    });
  }

  const refusals: WorkflowRefusal[] = [];
  if (stageChecks.size === 0 && signOffChecks.size === 0 && withdrawals.length === 0) return refusals;

  doc.transact(() => {
    /** Entries this pass puts back: they are someone else's genuine sign-offs, not to be checked against the actor. */
    const restored = new Set<string>();
    for (const { cardId, signOffs, key, oldValue } of withdrawals) {
      const card = board.cards.get(cardId);
      if (!card || signOffs.has(key)) continue;
      const [gate, departmentId] = key.split(':') as [ProposalStage, string];
      const department = Department.safeParse(departmentId);
      if (!department.success || !GATED_STAGES.includes(gate)) continue;
      const inDepartment = actor.departments.includes(department.data);
      const passed = stageIndex(readProposalFields(card).stage) > stageIndex(gate) && readProposalFields(card).stage !== 'closed';
      if (inDepartment && !passed) continue;
      signOffs.set(key, oldValue);
      restored.add(`${cardId}/${key}`);
      refusals.push({ boardId, cardId, reason: inDepartment ? 'sign_off_locked' : 'not_in_department', department: department.data });
    }
    for (const [cardId, keys] of signOffChecks) {
      const card = board.cards.get(cardId);
      const signOffs = card?.get('signOffs');
      if (!(signOffs instanceof Y.Map)) continue;
      const toCheck = (keys === 'all' ? [...signOffs.keys()] : [...keys].filter((key) => signOffs.has(key))).filter(
        (key) => !restored.has(`${cardId}/${key}`),
      );
      for (const key of toCheck) {
        const value = signOffs.get(key) as Record<string, unknown> | null;
        const department = Department.safeParse(value?.department);
        const gate = value?.gate as ProposalStage | undefined;
        const valid =
          department.success &&
          gate !== undefined &&
          GATED_STAGES.includes(gate) &&
          key === signOffKey(gate, department.data) &&
          value?.userId === actor.userId &&
          actor.departments.includes(department.data);
        if (!valid) {
          signOffs.delete(key);
          refusals.push({
            boardId,
            cardId,
            reason: 'not_in_department',
            ...(department.success ? { department: department.data } : {}),
          });
        }
      }
    }
    for (const cardId of stageChecks) {
      const card = board.cards.get(cardId);
      if (!card || card.get('kind') !== 'proposal') continue;
      const fields = readProposalFields(card);
      const signOffs = readSignOffs(card);
      const missing = missingSignOffs(fields, signOffs, fields.stage);
      if (missing.length === 0) {
        // Also repair a stage value that is not a stage at all.
        if (card.get('stage') !== fields.stage) card.set('stage', fields.stage);
        continue;
      }
      let allowed: ProposalStage = 'submitted';
      for (let index = stageIndex(fields.stage); index >= 0; index--) {
        const candidate = PROPOSAL_STAGES[index];
        if (missingSignOffs(fields, signOffs, candidate).length === 0) {
          allowed = candidate;
          break;
        }
      }
      card.set('stage', allowed);
      refusals.push({ boardId, cardId, reason: 'missing_sign_offs', target: fields.stage, missing });
    }
  }, GUARD_ORIGIN);
  return refusals;
}
