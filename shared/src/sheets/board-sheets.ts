/**
 * The columns of a board's records in spreadsheets and the table view: proposals (with their
 * internal budget, for members only), roadmap items and action items. They are exported, not
 * imported: a board's records are edited on the board.
 */
import type { Stored } from '../domain/collection.js';
import type { ActionItem, InternalProposalFields, RoadmapItem } from '../domain/records.js';
import { ACTION_TYPES, ActionSource, DEPARTMENTS, PRIORITIES, PROPOSAL_STAGES, ROADMAP_HORIZONS, WORLD_REGIONS, priorityOf, type PolicyObjective } from '../domain/vocabulary.js';
import type { ProposalView } from '../board/schema.js';
import type { SheetCell, SheetColumn } from './columns.js';

/** A proposal as the table and its export read it: its card and fields, with its internal fields when the reader may see them. */
export type ProposalRow = ProposalView & Partial<InternalProposalFields>;

const field =
  <R>(name: keyof R & string) =>
  (record: R): SheetCell => {
    const value = record[name];
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
  };

/** The priorities a record advances: its own (a proposal's), and those of the objectives it names, as P1, P3. */
export function prioritiesOf(record: { priorities?: readonly number[]; policyObjectives?: readonly PolicyObjective[] }): string[] {
  const all = new Set<number>([...(record.priorities ?? []), ...(record.policyObjectives ?? []).map(priorityOf)]);
  return PRIORITIES.filter((priority) => all.has(priority)).map((priority) => `P${priority}`);
}

const priorities = { key: 'priorities', label: 'proposal.priorities', kind: 'list', value: prioritiesOf } as const;
const objectives = { key: 'policyObjectives', label: 'coverage.field', kind: 'list', value: (record: { policyObjectives: readonly string[] }) => record.policyObjectives } as const;

export const PROPOSAL_COLUMNS: SheetColumn<ProposalRow>[] = [
  { key: 'title', label: 'board.card.title', kind: 'text', value: field('title') },
  { key: 'actionType', label: 'proposal.actionType', kind: 'enum', value: field('actionType'), options: ACTION_TYPES, labels: 'actionType' },
  { key: 'stage', label: 'ws.table.stage', kind: 'enum', value: field('stage'), options: PROPOSAL_STAGES, labels: 'stage' },
  { key: 'leadDepartment', label: 'proposal.leadDepartment', kind: 'enum', value: field('leadDepartment'), options: DEPARTMENTS, labels: 'department.short' },
  { key: 'region', label: 'proposal.region', kind: 'enum', value: field('region'), options: WORLD_REGIONS, labels: 'region' },
  priorities,
  objectives,
  { key: 'startDate', label: 'proposal.startDate', kind: 'date', value: field('startDate') },
  { key: 'endDate', label: 'proposal.endDate', kind: 'date', value: field('endDate') },
  { key: 'budgetEstimate', label: 'proposal.budget', kind: 'number', value: field('budgetEstimate'), internal: true },
];

export const ROADMAP_COLUMNS: SheetColumn<Stored<RoadmapItem>>[] = [
  { key: 'title', label: 'roadmap.field.title', kind: 'text', value: field('title') },
  { key: 'horizon', label: 'roadmap.field.horizon', kind: 'enum', value: field('horizon'), options: ROADMAP_HORIZONS, labels: 'horizon' },
  { key: 'phase', label: 'roadmap.field.phase', kind: 'enum', value: field('phase') },
  { key: 'startDate', label: 'roadmap.field.start', kind: 'date', value: field('startDate') },
  { key: 'endDate', label: 'roadmap.field.end', kind: 'date', value: field('endDate') },
  priorities,
  objectives,
];

export const ACTION_COLUMNS: SheetColumn<Stored<ActionItem>>[] = [
  { key: 'title', label: 'actions.field.title', kind: 'text', value: field('title') },
  { key: 'ownerName', label: 'actions.field.owner', kind: 'enum', value: field('ownerName') },
  { key: 'department', label: 'actions.field.department', kind: 'enum', value: field('department'), options: DEPARTMENTS, labels: 'department.short' },
  { key: 'dueDate', label: 'actions.field.due', kind: 'date', value: field('dueDate') },
  { key: 'done', label: 'actions.field.done', kind: 'boolean', value: field('done') },
  { key: 'source', label: 'actions.field.source', kind: 'enum', value: field('source'), options: ActionSource.options, labels: 'actionSource' },
  priorities,
  objectives,
];
