/**
 * The CTI rule for double degrees: an engineering student of the school spends at least a minimum
 * number of semesters in France (3 by default, per the Commission des titres d'ingénieur), whatever
 * the partner country also requires. Configurable per workspace.
 */
import { z } from 'zod';
import { SemesterPlace } from './vocabulary.js';

/** A double-degree plan: the semesters of the programme in order, each spent in France or at the partner. */
export const DoubleDegreePlan = z.object({
  semesters: z.array(SemesterPlace).max(12),
});
export type DoubleDegreePlan = z.infer<typeof DoubleDegreePlan>;

export const DoubleDegreeRule = z.object({
  minSemestersInFrance: z.number().int().min(0).max(12),
});
export type DoubleDegreeRule = z.infer<typeof DoubleDegreeRule>;

/** The CTI's default. */
export const CTI_RULE: DoubleDegreeRule = { minSemestersInFrance: 3 };

/** Why a plan fails, with what the catalog message (`doubleDegree.<code>`) needs to explain it. */
export type DoubleDegreeProblem =
  | { code: 'tooFewSemestersInFrance'; required: number; planned: number }
  | { code: 'noSemesterAtPartner' };

export interface DoubleDegreeCheck {
  ok: boolean;
  semestersInFrance: number;
  semestersAtPartner: number;
  problems: DoubleDegreeProblem[];
}

/** Checks a plan against the rule; every problem comes with the figures that explain it. */
export function checkDoubleDegreePlan(plan: DoubleDegreePlan, rule: DoubleDegreeRule = CTI_RULE): DoubleDegreeCheck {
  const semestersInFrance = plan.semesters.filter((place) => place === 'france').length;
  const semestersAtPartner = plan.semesters.length - semestersInFrance;
  const problems: DoubleDegreeProblem[] = [];
  if (semestersInFrance < rule.minSemestersInFrance) {
    problems.push({ code: 'tooFewSemestersInFrance', required: rule.minSemestersInFrance, planned: semestersInFrance });
  }
  if (semestersAtPartner === 0) problems.push({ code: 'noSemesterAtPartner' });
  return { ok: problems.length === 0, semestersInFrance, semestersAtPartner, problems };
}
