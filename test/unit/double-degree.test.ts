/**
 * The CTI rule for double degrees: an engineering student of the school spends at least 3 semesters
 * in France (by default), and a double degree has at least one semester at the partner. The
 * workspace can change the minimum, and the check follows the setting live.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  catalogs,
  checkDoubleDegreePlan,
  CTI_RULE,
  DoubleDegreePlan,
  DoubleDegreeRule,
  ValidationError,
  WorkspaceDoc,
  type SemesterPlace,
} from '../../shared/src/index.js';

/** A plan of `france` semesters in France followed by `partner` semesters at the partner. */
function plan(france: number, partner: number): DoubleDegreePlan {
  return { semesters: [...Array<SemesterPlace>(france).fill('france'), ...Array<SemesterPlace>(partner).fill('partner')] };
}

describe('checkDoubleDegreePlan with the CTI rule', () => {
  it('defaults to at least 3 semesters in France', () => {
    expect(CTI_RULE).toEqual({ minSemestersInFrance: 3 });
  });

  it('passes a plan with 3 semesters in France and 2 at the partner', () => {
    expect(checkDoubleDegreePlan(plan(3, 2))).toEqual({ ok: true, semestersInFrance: 3, semestersAtPartner: 2, problems: [] });
  });

  it('fails a plan with 2 semesters in France, saying 3 are required and 2 planned', () => {
    const check = checkDoubleDegreePlan(plan(2, 3));
    expect(check.ok).toBe(false);
    expect(check.semestersInFrance).toBe(2);
    expect(check.problems).toEqual([{ code: 'tooFewSemestersInFrance', required: 3, planned: 2 }]);
  });

  it('counts semesters wherever they fall in the programme, not only a leading run', () => {
    const interleaved: DoubleDegreePlan = { semesters: ['france', 'partner', 'france', 'partner', 'france'] };
    expect(checkDoubleDegreePlan(interleaved)).toMatchObject({ ok: true, semestersInFrance: 3, semestersAtPartner: 2 });
  });

  it('reports a plan with no semester at the partner', () => {
    const check = checkDoubleDegreePlan(plan(5, 0));
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([{ code: 'noSemesterAtPartner' }]);
  });

  it('reports both problems of an empty plan, with the figures', () => {
    expect(checkDoubleDegreePlan({ semesters: [] }).problems).toEqual([
      { code: 'tooFewSemestersInFrance', required: 3, planned: 0 },
      { code: 'noSemesterAtPartner' },
    ]);
  });

  it('has a catalog message in French and English for every problem code', () => {
    for (const code of ['tooFewSemestersInFrance', 'noSemesterAtPartner']) {
      for (const locale of ['en', 'fr'] as const) {
        expect((catalogs[locale] as Record<string, string>)[`doubleDegree.${code}`], `${locale} doubleDegree.${code}`).toBeTruthy();
      }
    }
  });
});

describe('checkDoubleDegreePlan with a custom rule', () => {
  it('fails with 3 semesters in France when the rule asks for 4', () => {
    expect(checkDoubleDegreePlan(plan(3, 2), { minSemestersInFrance: 4 }).problems).toEqual([
      { code: 'tooFewSemestersInFrance', required: 4, planned: 3 },
    ]);
    expect(checkDoubleDegreePlan(plan(4, 2), { minSemestersInFrance: 4 }).ok).toBe(true);
  });

  it('passes 2 semesters in France when the rule asks for 2', () => {
    expect(checkDoubleDegreePlan(plan(2, 3), { minSemestersInFrance: 2 }).ok).toBe(true);
  });

  it('validates plans and rules: places from the list, at most 12 semesters, minimum 0 to 12', () => {
    expect(DoubleDegreePlan.safeParse({ semesters: ['france', 'abroad'] }).success).toBe(false);
    expect(DoubleDegreePlan.safeParse(plan(7, 6)).success).toBe(false);
    expect(DoubleDegreePlan.safeParse(plan(6, 6)).success).toBe(true);
    expect(DoubleDegreeRule.safeParse({ minSemestersInFrance: 13 }).success).toBe(false);
    expect(DoubleDegreeRule.safeParse({ minSemestersInFrance: 2.5 }).success).toBe(false);
    expect(DoubleDegreeRule.safeParse({ minSemestersInFrance: 0 }).success).toBe(true);
  });
});

describe('WorkspaceDoc.checkAgreementPlan', () => {
  function workspaceWithPlan(france: number, partner: number): { workspace: WorkspaceDoc; agreementId: string } {
    const workspace = new WorkspaceDoc(new Y.Doc());
    const agreementId = workspace.agreements.create({
      title: 'Double diplôme ESCOM – Universidad de Concepción',
      type: 'double_degree',
      doubleDegreePlan: plan(france, partner),
    });
    return { workspace, agreementId };
  }

  it('checks against the CTI default while the workspace has no setting', () => {
    const { workspace, agreementId } = workspaceWithPlan(3, 2);
    expect(workspace.settings.minSemestersInFrance).toBe(3);
    expect(workspace.checkAgreementPlan(agreementId)?.ok).toBe(true);
  });

  it('follows updateSettings({ minSemestersInFrance }) live, both ways', () => {
    const { workspace, agreementId } = workspaceWithPlan(3, 2);
    workspace.updateSettings({ minSemestersInFrance: 4 });
    expect(workspace.checkAgreementPlan(agreementId)?.problems).toEqual([{ code: 'tooFewSemestersInFrance', required: 4, planned: 3 }]);
    workspace.updateSettings({ minSemestersInFrance: 2 });
    expect(workspace.checkAgreementPlan(agreementId)?.ok).toBe(true);
  });

  it('follows a setting changed on another replica once the update arrives', () => {
    const { workspace, agreementId } = workspaceWithPlan(3, 2);
    const other = new WorkspaceDoc(new Y.Doc());
    Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(workspace.doc));
    other.updateSettings({ minSemestersInFrance: 5 });
    Y.applyUpdate(workspace.doc, Y.encodeStateAsUpdate(other.doc, Y.encodeStateVector(workspace.doc)));
    expect(workspace.checkAgreementPlan(agreementId)?.problems[0]).toEqual({ code: 'tooFewSemestersInFrance', required: 5, planned: 3 });
  });

  it('follows a plan edited after the check', () => {
    const { workspace, agreementId } = workspaceWithPlan(2, 3);
    expect(workspace.checkAgreementPlan(agreementId)?.ok).toBe(false);
    workspace.agreements.update(agreementId, { doubleDegreePlan: plan(3, 2) });
    expect(workspace.checkAgreementPlan(agreementId)?.ok).toBe(true);
  });

  it('refuses an out-of-range minimum and keeps the previous one', () => {
    const { workspace } = workspaceWithPlan(3, 2);
    workspace.updateSettings({ minSemestersInFrance: 4 });
    expect(() => workspace.updateSettings({ minSemestersInFrance: 13 })).toThrow(ValidationError);
    expect(workspace.settings.minSemestersInFrance).toBe(4);
  });

  it('returns null for an agreement without a plan, and for an unknown agreement', () => {
    const workspace = new WorkspaceDoc(new Y.Doc());
    const mobility = workspace.agreements.create({ title: 'Accord Erasmus+ KU Leuven' });
    expect(workspace.checkAgreementPlan(mobility)).toBeNull();
    expect(workspace.checkAgreementPlan('no-such-agreement')).toBeNull();
  });
});
