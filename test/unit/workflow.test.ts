/**
 * The proposal workflow's gates, from the policy statement's "organisation et mise en œuvre":
 * projects are submitted to and studied first by the SRI; then the studies office, the teachers of
 * the specialties concerned, possibly the admissions service, and the research office frame them;
 * knowledge alliances also involve the company-relations and internships service.
 *
 * The rule is about states: a proposal may stand at a stage only when every gate before it is signed.
 */
import { describe, expect, it } from 'vitest';
import {
  ACTION_TYPES,
  canEnterStage,
  GATED_STAGES,
  missingSignOffs,
  nextStage,
  PROPOSAL_STAGES,
  requiredSignOffs,
  signOffKey,
  stageIndex,
  type ActionType,
  type Department,
  type GateSubject,
  type ProposalStage,
  type SignOff,
} from '../../shared/src/index.js';

/** Sign-offs by `departments` at `gate`. */
function signed(gate: ProposalStage, ...departments: Department[]): SignOff[] {
  return departments.map((department, index) => ({
    gate,
    department,
    userId: `user-${department}`,
    userName: `Signer ${department}`,
    at: `2026-01-0${index + 1}T09:00:00.000Z`,
  }));
}

/** The departments that frame a project, as the seed lists them for this kind of proposal. */
function framingDepartments(actionType: ActionType, selectsStudents: boolean): Department[] {
  const departments: Department[] = ['studies', 'specialty_teachers', 'research'];
  if (selectsStudents) departments.push('admissions');
  if (actionType === 'knowledge_alliance') departments.push('company_relations');
  return departments;
}

const STAGES_AFTER_DEPARTMENTAL_FRAMING: ProposalStage[] = ['partner_framing', 'agreement_signed', 'implementation'];

/** Every action type, with and without student selection. */
const SUBJECTS: { actionType: ActionType; selectsStudents: boolean; framing: Department[] }[] = ACTION_TYPES.flatMap((actionType) =>
  [false, true].map((selectsStudents) => ({ actionType, selectsStudents, framing: framingDepartments(actionType, selectsStudents) })),
);

describe('workflow vocabulary', () => {
  it('orders the stages from submission to closing and walks them one by one with nextStage', () => {
    expect(PROPOSAL_STAGES).toEqual([
      'submitted',
      'sri_review',
      'departmental_framing',
      'partner_framing',
      'agreement_signed',
      'implementation',
      'closed',
    ]);
    const walked: ProposalStage[] = ['submitted'];
    for (let stage = nextStage('submitted'); stage; stage = nextStage(stage)) walked.push(stage);
    expect(walked).toEqual(PROPOSAL_STAGES);
    expect(nextStage('closed')).toBeNull();
  });

  it('gates exactly the SRI review and the departmental framing, in workflow order', () => {
    expect(GATED_STAGES).toEqual(['sri_review', 'departmental_framing']);
    expect(stageIndex('sri_review')).toBeLessThan(stageIndex('departmental_framing'));
  });

  it('keys a sign-off by gate and department, so one department signs a gate once', () => {
    expect(signOffKey('sri_review', 'sri')).toBe('sri_review:sri');
    expect(signOffKey('departmental_framing', 'research')).toBe('departmental_framing:research');
    expect(signOffKey('sri_review', 'research')).not.toBe(signOffKey('departmental_framing', 'research'));
  });
});

describe.each(SUBJECTS)('gates of a $actionType proposal (selectsStudents: $selectsStudents)', ({ actionType, selectsStudents, framing }) => {
  const proposal: GateSubject = { actionType, selectsStudents };
  const allSigned = [...signed('sri_review', 'sri'), ...signed('departmental_framing', ...framing)];

  it('needs the SRI to leave sri_review', () => {
    expect(requiredSignOffs(proposal, 'sri_review')).toEqual(['sri']);
  });

  it(`needs exactly ${framing.join(', ')} to leave departmental_framing`, () => {
    expect(requiredSignOffs(proposal, 'departmental_framing')).toEqual(framing);
  });

  it('needs no sign-off to leave the ungated stages', () => {
    for (const stage of PROPOSAL_STAGES.filter((s) => !GATED_STAGES.includes(s))) {
      expect(requiredSignOffs(proposal, stage)).toEqual([]);
    }
  });

  it('lets an unsigned proposal be submitted or under SRI review, and nothing later but closed', () => {
    expect(canEnterStage(proposal, [], 'submitted')).toBe(true);
    expect(canEnterStage(proposal, [], 'sri_review')).toBe(true);
    expect(canEnterStage(proposal, [], 'departmental_framing')).toBe(false);
    for (const stage of STAGES_AFTER_DEPARTMENTAL_FRAMING) expect(canEnterStage(proposal, [], stage)).toBe(false);
    expect(canEnterStage(proposal, [], 'closed')).toBe(true);
  });

  it('lists both gates in order, each with exactly its missing departments, when nothing is signed', () => {
    expect(missingSignOffs(proposal, [], 'implementation')).toEqual([
      { gate: 'sri_review', departments: ['sri'] },
      { gate: 'departmental_framing', departments: framing },
    ]);
  });

  it('lets the SRI sign-off alone open departmental_framing but not partner_framing', () => {
    const sriOnly = signed('sri_review', 'sri');
    expect(canEnterStage(proposal, sriOnly, 'departmental_framing')).toBe(true);
    expect(missingSignOffs(proposal, sriOnly, 'partner_framing')).toEqual([{ gate: 'departmental_framing', departments: framing }]);
  });

  it.each(framing)('blocks leaving departmental_framing while only %s is missing, and names it alone', (missingDepartment) => {
    const signOffs = [
      ...signed('sri_review', 'sri'),
      ...signed('departmental_framing', ...framing.filter((d) => d !== missingDepartment)),
    ];
    for (const stage of STAGES_AFTER_DEPARTMENTAL_FRAMING) {
      expect(canEnterStage(proposal, signOffs, stage)).toBe(false);
      expect(missingSignOffs(proposal, signOffs, stage)).toEqual([{ gate: 'departmental_framing', departments: [missingDepartment] }]);
    }
    expect(canEnterStage(proposal, signOffs, 'departmental_framing')).toBe(true);
  });

  it('opens every stage once both gates are fully signed', () => {
    for (const stage of PROPOSAL_STAGES) {
      expect(missingSignOffs(proposal, allSigned, stage)).toEqual([]);
      expect(canEnterStage(proposal, allSigned, stage)).toBe(true);
    }
  });

  it('blocks partner_framing when the departments signed but the SRI did not', () => {
    const signOffs = signed('departmental_framing', ...framing);
    expect(missingSignOffs(proposal, signOffs, 'partner_framing')).toEqual([{ gate: 'sri_review', departments: ['sri'] }]);
  });

  it('does not count a sign-off given at one gate for the other gate', () => {
    // Every department signs, but at the wrong gate.
    const crossed = [...signed('departmental_framing', 'sri'), ...signed('sri_review', ...framing)];
    expect(missingSignOffs(proposal, crossed, 'implementation')).toEqual([
      { gate: 'sri_review', departments: ['sri'] },
      { gate: 'departmental_framing', departments: framing },
    ]);
    // A sign-off at an ungated stage does not stand in for a gate either.
    const elsewhere = signed('partner_framing', 'sri', ...framing);
    expect(canEnterStage(proposal, elsewhere, 'departmental_framing')).toBe(false);
  });

  it('ignores sign-offs by departments the gate does not need', () => {
    const others = (['sri', 'studies', 'specialty_teachers', 'admissions', 'research', 'company_relations'] as Department[]).filter(
      (d) => !framing.includes(d),
    );
    const signOffs = [...signed('sri_review', 'sri'), ...signed('departmental_framing', ...others)];
    expect(missingSignOffs(proposal, signOffs, 'partner_framing')).toEqual([{ gate: 'departmental_framing', departments: framing }]);
  });

  it('always allows moving back from a stage the proposal may stand at', () => {
    // For each stage, the sign-offs that are just enough to stand there.
    const enoughFor = (stage: ProposalStage): SignOff[] =>
      GATED_STAGES.filter((gate) => stageIndex(gate) < stageIndex(stage)).flatMap((gate) => signed(gate, ...requiredSignOffs(proposal, gate)));
    for (const current of PROPOSAL_STAGES) {
      const signOffs = enoughFor(current);
      expect(canEnterStage(proposal, signOffs, current)).toBe(true);
      for (const earlier of PROPOSAL_STAGES.slice(0, stageIndex(current))) {
        expect(canEnterStage(proposal, signOffs, earlier), `${current} -> ${earlier}`).toBe(true);
      }
    }
  });

  it('always allows closing, whatever is signed', () => {
    expect(missingSignOffs(proposal, [], 'closed')).toEqual([]);
    expect(canEnterStage(proposal, signed('sri_review', 'sri'), 'closed')).toBe(true);
  });

  it('reopens a closed proposal to a later stage only through signed gates', () => {
    // A proposal closed straight from submission has no sign-offs.
    expect(canEnterStage(proposal, [], 'submitted')).toBe(true);
    expect(canEnterStage(proposal, [], 'sri_review')).toBe(true);
    expect(missingSignOffs(proposal, [], 'implementation')).toHaveLength(2);
    expect(canEnterStage(proposal, allSigned, 'implementation')).toBe(true);
  });

  it('allows skipping forward over several stages only when every gate on the way is signed', () => {
    // submitted -> agreement_signed skips both gates.
    expect(canEnterStage(proposal, signed('sri_review', 'sri'), 'agreement_signed')).toBe(false);
    expect(canEnterStage(proposal, signed('departmental_framing', ...framing), 'agreement_signed')).toBe(false);
    expect(canEnterStage(proposal, allSigned, 'agreement_signed')).toBe(true);
    // submitted -> departmental_framing skips only the SRI review.
    expect(canEnterStage(proposal, signed('departmental_framing', ...framing), 'departmental_framing')).toBe(false);
    expect(canEnterStage(proposal, signed('sri_review', 'sri'), 'departmental_framing')).toBe(true);
  });
});

describe('departmental framing departments across proposal kinds', () => {
  it('adds admissions only when the project selects students', () => {
    for (const actionType of ACTION_TYPES) {
      expect(requiredSignOffs({ actionType, selectsStudents: true }, 'departmental_framing')).toContain('admissions');
      expect(requiredSignOffs({ actionType, selectsStudents: false }, 'departmental_framing')).not.toContain('admissions');
    }
  });

  it('adds company relations only for knowledge alliances', () => {
    for (const actionType of ACTION_TYPES) {
      for (const selectsStudents of [false, true]) {
        const departments = requiredSignOffs({ actionType, selectsStudents }, 'departmental_framing');
        expect(departments.includes('company_relations'), actionType).toBe(actionType === 'knowledge_alliance');
      }
    }
  });

  it('never asks the SRI to sign the departmental framing, nor the departments to sign the SRI review', () => {
    for (const { actionType, selectsStudents } of SUBJECTS) {
      expect(requiredSignOffs({ actionType, selectsStudents }, 'departmental_framing')).not.toContain('sri');
      expect(requiredSignOffs({ actionType, selectsStudents }, 'sri_review')).toEqual(['sri']);
    }
  });

  it('lists missing departments in the gate order even when sign-offs arrive in another order', () => {
    const proposal: GateSubject = { actionType: 'knowledge_alliance', selectsStudents: true };
    // Research and admissions signed, late and out of order; the rest are missing.
    const signOffs = [...signed('departmental_framing', 'admissions', 'research')].reverse();
    expect(missingSignOffs(proposal, signOffs, 'closed')).toEqual([]);
    expect(missingSignOffs(proposal, signOffs, 'partner_framing')).toEqual([
      { gate: 'sri_review', departments: ['sri'] },
      { gate: 'departmental_framing', departments: ['studies', 'specialty_teachers', 'company_relations'] },
    ]);
  });
});
