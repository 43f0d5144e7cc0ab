import { MobilityFlow, MobilityTarget } from '@passerelle/shared';
import { describe, expect, it } from 'vitest';
import {
  mobilityYears,
  plannedPerYear,
  realisedPerYear,
  targetedKinds,
  targetProgress,
  targetsPerYear,
} from '../../web/src/routes/(app)/mobility/mobility-figures.js';

const flow = (fields: Partial<MobilityFlow> & Pick<MobilityFlow, 'academicYear'>) => MobilityFlow.parse(fields);
const target = (fields: Partial<MobilityTarget> & Pick<MobilityTarget, 'academicYear' | 'target'>) => MobilityTarget.parse(fields);

// Six study mobilities a year, thirty internships, and targets for study mobility from 2026/2027 on.
const flows = [
  flow({ academicYear: '2025/2026', direction: 'outgoing', purpose: 'study', planned: 4, realised: 4 }),
  flow({ academicYear: '2025/2026', direction: 'incoming', purpose: 'study', planned: 2, realised: 1 }),
  flow({ academicYear: '2025/2026', direction: 'outgoing', purpose: 'internship', planned: 30, realised: 31 }),
  flow({ academicYear: '2026/2027', direction: 'outgoing', purpose: 'study', planned: 8 }),
  flow({ academicYear: '2026/2027', direction: 'incoming', purpose: 'study', planned: 2 }),
  flow({ academicYear: '2026/2027', direction: 'outgoing', purpose: 'internship', planned: 30 }),
];
const targets = [
  target({ academicYear: '2026/2027', direction: 'outgoing', purpose: 'study', target: 8 }),
  target({ academicYear: '2026/2027', direction: 'incoming', purpose: 'study', target: 3 }),
  target({ academicYear: '2027/2028', direction: 'outgoing', purpose: 'study', target: 12 }),
];
const years = mobilityYears(flows, targets);
const all = () => true;

describe('the mobility dashboard’s figures', () => {
  it('lists every year a flow or a target names, in order', () => {
    expect(years).toEqual(['2025/2026', '2026/2027', '2027/2028']);
  });

  it('adds up what all flows plan and realise, a year not reported yet being unknown, not zero', () => {
    expect(plannedPerYear(flows, years, all)).toEqual([36, 40, 0]);
    expect(realisedPerYear(flows, years, all)).toEqual([36, null, null]);
  });

  it('measures targets against the flows of the kinds they are set for only, in every year', () => {
    const targeted = targetedKinds(targets);
    // Internships have no target: they count in neither the baseline nor the years with targets.
    expect(plannedPerYear(flows, years, targeted)).toEqual([6, 10, 0]);
    expect(realisedPerYear(flows, years, targeted)).toEqual([5, null, null]);
    expect(targetsPerYear(targets, years, all)).toEqual([null, 11, 12]);
  });

  it('gives each target what the flows of its year and kind plan and realise', () => {
    expect(targetProgress(targets[0]!, flows)).toEqual({ planned: 8, realised: null });
    expect(targetProgress(targets[1]!, flows)).toEqual({ planned: 2, realised: null });
    expect(targetProgress(targets[2]!, flows)).toEqual({ planned: 0, realised: null });
    const reported = target({ academicYear: '2025/2026', direction: 'incoming', purpose: 'study', target: 2 });
    expect(targetProgress(reported, flows)).toEqual({ planned: 2, realised: 1 });
  });
});
