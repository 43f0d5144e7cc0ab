/**
 * The proposal workflow's gates. The SRI reviews first; then the departments frame the project
 * and sign it off; then partner meetings frame it; then the agreement is signed and followed up;
 * then services implement it.
 *
 * The rule is about states, not steps: a proposal may stand at a stage only when every gate before
 * that stage has its sign-offs. So moving back, or closing, is always allowed; moving forward (even
 * several stages at once, or reopening a closed proposal) is allowed exactly when the gates on the
 * way are signed. The web app uses it to explain what is missing; the server applies it to every
 * change it receives and undoes a move that breaks it.
 */
import { Department, PROPOSAL_STAGES, type ActionType, type ProposalStage } from './vocabulary.js';

/** What the gates need to know of a proposal. */
export interface GateSubject {
  actionType: ActionType;
  /** Students are selected for this project (the admissions service must then sign off). */
  selectsStudents: boolean;
}

/** A department's sign-off at a gate. */
export interface SignOff {
  gate: ProposalStage;
  department: Department;
  userId: string;
  userName: string;
  /** ISO 8601 time of signing. */
  at: string;
}

/** Stages whose exit needs sign-offs: the SRI's review, and the departmental framing. */
export const GATED_STAGES: readonly ProposalStage[] = ['sri_review', 'departmental_framing'];

/** The departments that must sign off before a proposal leaves `stage` forward. */
export function requiredSignOffs(proposal: GateSubject, stage: ProposalStage): Department[] {
  switch (stage) {
    case 'sri_review':
      return ['sri'];
    case 'departmental_framing': {
      const departments: Department[] = ['studies', 'specialty_teachers', 'research'];
      if (proposal.selectsStudents) departments.push('admissions');
      // The seed: knowledge alliances require involving the company-relations and internships service.
      if (proposal.actionType === 'knowledge_alliance') departments.push('company_relations');
      return departments;
    }
    default:
      return [];
  }
}

/** Index of a stage in the workflow order. */
export function stageIndex(stage: ProposalStage): number {
  return PROPOSAL_STAGES.indexOf(stage);
}

/** A gate that is not passed yet, with the departments still to sign. */
export interface MissingGate {
  gate: ProposalStage;
  departments: Department[];
}

/** The gates (before `target`) whose sign-offs are incomplete; empty when `target` may be reached. */
export function missingSignOffs(proposal: GateSubject, signOffs: readonly SignOff[], target: ProposalStage): MissingGate[] {
  if (target === 'closed') return [];
  const missing: MissingGate[] = [];
  for (const gate of GATED_STAGES) {
    if (stageIndex(gate) >= stageIndex(target)) continue;
    const signed = new Set(signOffs.filter((s) => s.gate === gate).map((s) => s.department));
    const departments = requiredSignOffs(proposal, gate).filter((d) => !signed.has(d));
    if (departments.length > 0) missing.push({ gate, departments });
  }
  return missing;
}

/**
 * The furthest stage, at or before `stage`, at which the proposal may stand given its sign-offs: where
 * a proposal that stands past an unsigned gate is put back.
 */
export function furthestAllowedStage(proposal: GateSubject, signOffs: readonly SignOff[], stage: ProposalStage): ProposalStage {
  for (let index = stageIndex(stage); index > 0; index--) {
    if (missingSignOffs(proposal, signOffs, PROPOSAL_STAGES[index]).length === 0) return PROPOSAL_STAGES[index];
  }
  return PROPOSAL_STAGES[0];
}

/** Whether a proposal may stand at `target` given its sign-offs. */
export function canEnterStage(proposal: GateSubject, signOffs: readonly SignOff[], target: ProposalStage): boolean {
  return missingSignOffs(proposal, signOffs, target).length === 0;
}

/** The stage after `stage` in the workflow, or null at the end. */
export function nextStage(stage: ProposalStage): ProposalStage | null {
  return PROPOSAL_STAGES[stageIndex(stage) + 1] ?? null;
}

/** The key under which a sign-off is stored: one per gate and department. */
export function signOffKey(gate: ProposalStage, department: Department): string {
  return `${gate}:${department}`;
}

/** The gate and department a sign-off key stands for, or null when it is no gate's and department's. */
export function parseSignOffKey(key: string): { gate: ProposalStage; department: Department } | null {
  const [gate, department, ...rest] = key.split(':');
  const parsed = Department.safeParse(department);
  if (rest.length > 0 || !parsed.success || !GATED_STAGES.includes(gate as ProposalStage)) return null;
  return { gate: gate as ProposalStage, department: parsed.data };
}

/**
 * Whether a sign-off at `gate` is locked: once the proposal stands past the gate, the sign-off is the
 * record of why it passed, and not even its department may withdraw it. A closed proposal passed no
 * gate (reopening it goes through them again).
 */
export function signOffLocked(stage: ProposalStage, gate: ProposalStage): boolean {
  return stage !== 'closed' && stageIndex(stage) > stageIndex(gate);
}
