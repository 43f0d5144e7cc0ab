/**
 * How far a board's work covers the policy statement: for each of the five priorities and each of
 * their objectives, the proposals, roadmap items and actions that advance it, and the objectives
 * nothing advances yet (the gaps).
 *
 * What advances an objective:
 * - a proposal that names it (`policyObjectives`);
 * - a roadmap item that names it, or that carries a proposal that does (`proposalIds`);
 * - an action that names it, or that came from a proposal or roadmap item that advances it.
 * A priority is advanced by everything that advances one of its objectives, and by a proposal that
 * names only the priority (`priorities`): such work is listed for the priority as a whole, because
 * nobody has said yet which of its objectives it serves.
 */
import type { ActionItem, RoadmapItem } from '../domain/records.js';
import type { Stored } from '../domain/collection.js';
import { POLICY_OBJECTIVES, PRIORITIES, priorityOf, type PolicyObjective, type Priority } from '../domain/vocabulary.js';

/** The kinds of work that can advance an objective. */
export type CoverageItemKind = 'proposal' | 'roadmap' | 'action';

/** What a proposal needs to show for coverage (a `ProposalView` has it). */
export interface CoverageProposal {
  id: string;
  title: string;
  priorities: readonly Priority[];
  policyObjectives: readonly PolicyObjective[];
}

/** A piece of work that advances an objective or a priority, and how. */
export interface CoverageLink {
  kind: CoverageItemKind;
  id: string;
  title: string;
  /** Null when the item names the objective itself; otherwise the proposal or roadmap item it advances it through. */
  through: { kind: 'proposal' | 'roadmap'; id: string; title: string } | null;
  /** The proposal card that shows this work: the proposal itself, or the one it goes through; null for none. */
  cardId: string | null;
  /** For actions: done already. */
  done: boolean;
}

export interface ObjectiveCoverage {
  objective: PolicyObjective;
  priority: Priority;
  /** The work advancing it: proposals first, then roadmap items, then actions, each by title. */
  links: CoverageLink[];
}

export interface PriorityCoverage {
  priority: Priority;
  objectives: ObjectiveCoverage[];
  /** Work that advances the priority without saying which objective (a proposal that names only the priority). */
  whole: CoverageLink[];
  /** The priority's objectives nothing advances. */
  gaps: PolicyObjective[];
}

export interface BoardCoverage {
  priorities: PriorityCoverage[];
  /** Every objective nothing advances, in the statement's order. */
  gaps: PolicyObjective[];
  /** How many objectives something advances, of how many the statement lists. */
  covered: number;
  total: number;
}

const KIND_ORDER: Record<CoverageItemKind, number> = { proposal: 0, roadmap: 1, action: 2 };

/** What one item advances: objectives and priorities, each with the way it does (null: directly). */
interface Reach {
  objectives: Map<PolicyObjective, CoverageLink['through']>;
  priorities: Map<Priority, CoverageLink['through']>;
}

function emptyReach(): Reach {
  return { objectives: new Map(), priorities: new Map() };
}

/** Adds what `from` reaches to `into`, through `through`; what `into` reaches directly stays direct. */
function inherit(into: Reach, from: Reach, through: NonNullable<CoverageLink['through']>): void {
  for (const objective of from.objectives.keys()) if (!into.objectives.has(objective)) into.objectives.set(objective, through);
  for (const priority of from.priorities.keys()) if (!into.priorities.has(priority)) into.priorities.set(priority, through);
}

function directReach(objectives: readonly PolicyObjective[], priorities: readonly Priority[] = []): Reach {
  const reach = emptyReach();
  for (const objective of objectives) if ((POLICY_OBJECTIVES as readonly string[]).includes(objective)) reach.objectives.set(objective, null);
  for (const priority of priorities) if (PRIORITIES.includes(priority)) reach.priorities.set(priority, null);
  return reach;
}

/** The coverage of the policy statement by a board's proposals, roadmap items and actions. */
export function boardCoverage(input: {
  proposals: readonly CoverageProposal[];
  roadmap: readonly Stored<RoadmapItem>[];
  actions: readonly Stored<ActionItem>[];
}): BoardCoverage {
  const proposalsById = new Map(input.proposals.map((proposal) => [proposal.id, proposal]));
  const roadmapById = new Map(input.roadmap.map((item) => [item.id, item]));
  const proposalReach = new Map(input.proposals.map((proposal) => [proposal.id, directReach(proposal.policyObjectives, proposal.priorities)]));

  const roadmapReach = new Map<string, Reach>();
  for (const item of input.roadmap) {
    const reach = directReach(item.policyObjectives);
    for (const proposalId of item.proposalIds) {
      const proposal = proposalsById.get(proposalId);
      if (proposal) inherit(reach, proposalReach.get(proposal.id)!, { kind: 'proposal', id: proposal.id, title: proposal.title });
    }
    roadmapReach.set(item.id, reach);
  }

  const actionReach = new Map<string, Reach>();
  for (const action of input.actions) {
    const reach = directReach(action.policyObjectives);
    const sourceId = action.sourceId ?? '';
    const proposal = action.source === 'proposal' ? proposalsById.get(sourceId) : undefined;
    const item = action.source === 'roadmap' ? roadmapById.get(sourceId) : undefined;
    if (proposal) inherit(reach, proposalReach.get(proposal.id)!, { kind: 'proposal', id: proposal.id, title: proposal.title });
    if (item) inherit(reach, roadmapReach.get(item.id)!, { kind: 'roadmap', id: item.id, title: item.title });
    actionReach.set(action.id, reach);
  }

  /** The proposal card that shows an item's work: its own, or the proposal it goes through. */
  const cardOf = (kind: CoverageItemKind, id: string, through: CoverageLink['through']): string | null => {
    if (kind === 'proposal') return id;
    if (through?.kind === 'proposal') return through.id;
    return null;
  };

  const entries: { kind: CoverageItemKind; id: string; title: string; done: boolean; reach: Reach }[] = [
    ...input.proposals.map((proposal) => ({ kind: 'proposal' as const, id: proposal.id, title: proposal.title, done: false, reach: proposalReach.get(proposal.id)! })),
    ...input.roadmap.map((item) => ({ kind: 'roadmap' as const, id: item.id, title: item.title, done: false, reach: roadmapReach.get(item.id)! })),
    ...input.actions.map((action) => ({ kind: 'action' as const, id: action.id, title: action.title, done: action.done, reach: actionReach.get(action.id)! })),
  ];

  const byObjective = new Map<PolicyObjective, CoverageLink[]>(POLICY_OBJECTIVES.map((objective) => [objective, []]));
  const wholeByPriority = new Map<Priority, CoverageLink[]>(PRIORITIES.map((priority) => [priority, []]));
  for (const entry of entries) {
    const link = (through: CoverageLink['through']): CoverageLink => ({
      kind: entry.kind,
      id: entry.id,
      title: entry.title,
      through,
      cardId: cardOf(entry.kind, entry.id, through),
      done: entry.done,
    });
    for (const [objective, through] of entry.reach.objectives) byObjective.get(objective)!.push(link(through));
    const objectivePriorities = new Set([...entry.reach.objectives.keys()].map(priorityOf));
    for (const [priority, through] of entry.reach.priorities) {
      // A priority also reached through one of its objectives is shown under that objective only.
      if (!objectivePriorities.has(priority)) wholeByPriority.get(priority)!.push(link(through));
    }
  }

  const ordered = (links: CoverageLink[]) =>
    links.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.title.localeCompare(b.title) || a.id.localeCompare(b.id));

  const priorities = PRIORITIES.map((priority): PriorityCoverage => {
    const objectives = POLICY_OBJECTIVES.filter((objective) => priorityOf(objective) === priority).map((objective) => ({
      objective,
      priority,
      links: ordered(byObjective.get(objective)!),
    }));
    return {
      priority,
      objectives,
      whole: ordered(wholeByPriority.get(priority)!),
      gaps: objectives.filter((objective) => objective.links.length === 0).map((objective) => objective.objective),
    };
  });
  const gaps = priorities.flatMap((priority) => priority.gaps);
  return { priorities, gaps, covered: POLICY_OBJECTIVES.length - gaps.length, total: POLICY_OBJECTIVES.length };
}
