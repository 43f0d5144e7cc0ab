/**
 * The mobility dashboard's figures, per academic year: what flows plan and realise and what targets
 * ask for. A target is set for one kind of mobility (a direction, a population and a purpose), and
 * is measured only against flows of that kind: a year's 30 student internships say nothing about a
 * target for study mobility.
 */
import type { MobilityFlow, MobilityTarget } from '@passerelle/shared';

/** What a flow or a target counts. */
export type MobilityKindOf = Pick<MobilityFlow, 'direction' | 'population' | 'purpose'>;

/** Which flows or targets a figure adds up. */
export type FigureFilter = (record: MobilityKindOf) => boolean;

const kindKey = (record: MobilityKindOf) => `${record.direction}|${record.population}|${record.purpose}`;

/** Every academic year a flow or a target names, in order. */
export function mobilityYears(flows: readonly MobilityFlow[], targets: readonly MobilityTarget[]): string[] {
  return [...new Set([...flows.map((flow) => flow.academicYear), ...targets.map((target) => target.academicYear)])].sort();
}

/** Planned mobilities per year of the flows that pass `filter`. */
export function plannedPerYear(flows: readonly MobilityFlow[], years: readonly string[], filter: FigureFilter): number[] {
  return years.map((year) => flows.filter((flow) => flow.academicYear === year && filter(flow)).reduce((sum, flow) => sum + flow.planned, 0));
}

/** Realised mobilities per year; null for a year where none of those flows has been reported yet. */
export function realisedPerYear(flows: readonly MobilityFlow[], years: readonly string[], filter: FigureFilter): (number | null)[] {
  return years.map((year) => {
    const reported = flows.filter((flow) => flow.academicYear === year && filter(flow) && flow.realised !== null);
    return reported.length === 0 ? null : reported.reduce((sum, flow) => sum + (flow.realised ?? 0), 0);
  });
}

/** The sum of the targets per year that pass `filter`; null for a year without one. */
export function targetsPerYear(targets: readonly MobilityTarget[], years: readonly string[], filter: FigureFilter): (number | null)[] {
  return years.map((year) => {
    const set = targets.filter((target) => target.academicYear === year && filter(target));
    return set.length === 0 ? null : set.reduce((sum, target) => sum + target.target, 0);
  });
}

/**
 * The kinds of mobility a target is set for, in any year: a year before the first targets shows
 * where those kinds started from.
 */
export function targetedKinds(targets: readonly MobilityTarget[]): FigureFilter {
  const kinds = new Set(targets.map(kindKey));
  return (record) => kinds.has(kindKey(record));
}

/** What the flows of a target's year and kind plan and have realised (null: none reported yet). */
export function targetProgress(target: MobilityTarget, flows: readonly MobilityFlow[]): { planned: number; realised: number | null } {
  const sameKind = (record: MobilityKindOf) => kindKey(record) === kindKey(target);
  return {
    planned: plannedPerYear(flows, [target.academicYear], sameKind)[0]!,
    realised: realisedPerYear(flows, [target.academicYear], sameKind)[0]!,
  };
}
