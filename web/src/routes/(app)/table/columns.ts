/**
 * The columns of each record type in the table view. A column says how to read a value for sorting
 * and filtering, how to show it, and, for closed lists (enums), which values exist in which order.
 * Workspace records come from the live workspace; proposals, roadmap and action items from one
 * board, read live by a `BoardReader` (budgets from the board's internal document).
 */
import {
  ACTION_TYPES,
  ActionSource,
  AgreementStatus,
  AgreementType,
  MobilityDirection,
  MobilityPopulation,
  MobilityPurpose,
  DEPARTMENTS,
  PartnerKind,
  PRIORITIES,
  priorityOf,
  PROPOSAL_STAGES,
  ROADMAP_HORIZONS,
  StudyCycle,
  WORLD_REGIONS,
  type MessageKey,
} from '@passerelle/shared';
import type { BoardReader } from '#lib/board-reader.svelte.js';
import { formatNumber } from '#lib/components/WorkspaceFormat.js';
import { t } from '#lib/i18n.svelte.js';
import { workspace } from '#lib/workspace.svelte.js';
import { formatDay, formatEuros } from '../boards/[boardId=id]/common/board-format.js';

/** The record types of the workspace, then those of one board (which need a board chosen). */
export const WORKSPACE_RECORD_TYPES = ['partners', 'agreements', 'flows', 'targets'] as const;
export const BOARD_RECORD_TYPES = ['proposals', 'roadmap', 'actions'] as const;
/** The record types the table can show. */
export const RECORD_TYPES = [...WORKSPACE_RECORD_TYPES, ...BOARD_RECORD_TYPES] as const;
export type RecordType = (typeof RECORD_TYPES)[number];
export type BoardRecordType = (typeof BOARD_RECORD_TYPES)[number];

/** True for the record types that live in a board's document. */
export function isBoardRecordType(type: RecordType): type is BoardRecordType {
  return (BOARD_RECORD_TYPES as readonly string[]).includes(type);
}

export type Row = Record<string, unknown> & { id: string };

export interface Column {
  key: string;
  label: MessageKey;
  /** `date` values are `YYYY-MM-DD`: they sort as written and show in the person's locale. */
  kind: 'text' | 'number' | 'enum' | 'date';
  /** The raw value: an enum value, a number or a text; null when unset. */
  value: (row: Row) => string | number | null;
  /** For enums: the values in their natural order (a year list is built from the rows). */
  options?: readonly string[];
  /** How a value is shown; defaults to the value itself (numbers in the person's locale). */
  format?: (value: string | number) => string;
  /** Read from the board's internal document: shown only when the reader opened it (members). */
  internal?: boolean;
  /**
   * For an enum column whose rows may hold several values (a proposal's priorities): a row passes
   * the column's filter, and is listed in the group, of each of them.
   */
  values?: (row: Row) => string[];
  /** How one of `values` is named in the column's filter and in a group's heading. */
  optionLabel?: (value: string) => string;
}

const field = (name: string) => (row: Row) => {
  const value = row[name];
  return typeof value === 'string' || typeof value === 'number' ? value : null;
};
const label = (prefix: string) => (value: string | number) => t(`${prefix}.${value}` as MessageKey);
const day = (value: string | number) => formatDay(String(value));
const partnerName = (row: Row) => {
  const id = row.partnerId;
  return typeof id === 'string' ? (workspace.partner(id)?.name ?? null) : null;
};

/**
 * The priorities a board record advances: a proposal's own, and for every record those of the
 * objectives it names. Shown "P1, P3" as on the board's cards: the full names would make the table
 * scroll sideways; the filter and the groups give them whole.
 */
function prioritiesColumn(): Column {
  const values = (row: Row) => {
    const own = Array.isArray(row.priorities) ? (row.priorities as number[]) : [];
    const objectives = Array.isArray(row.policyObjectives) ? (row.policyObjectives as string[]) : [];
    const all = new Set<number>([...own, ...objectives.map(priorityOf)]);
    return PRIORITIES.filter((priority) => all.has(priority)).map(String);
  };
  return {
    key: 'priorities',
    label: 'proposal.priorities',
    kind: 'enum',
    value: (row) => values(row).map((n) => `P${n}`).join(', ') || null,
    values,
    options: PRIORITIES.map(String),
    optionLabel: (value) => `${t('priority.label', { n: Number(value) })} · ${t(`priority.${value}.title` as MessageKey)}`,
  };
}

/** The objectives of the policy statement a board record names, by number ("3.1, 4.2"). */
const objectivesColumn: Column = {
  key: 'policyObjectives',
  label: 'coverage.field',
  kind: 'text',
  value: (row) => (Array.isArray(row.policyObjectives) ? (row.policyObjectives as string[]).join(', ') : '') || null,
};

export const COLUMNS: Record<RecordType, Column[]> = {
  partners: [
    { key: 'name', label: 'ws.partner.name', kind: 'text', value: field('name') },
    { key: 'localName', label: 'ws.partner.localName', kind: 'text', value: field('localName') },
    { key: 'kind', label: 'ws.partner.kind', kind: 'enum', value: field('kind'), options: PartnerKind.options, format: label('partnerKind') },
    { key: 'region', label: 'ws.partner.region', kind: 'enum', value: field('region'), options: WORLD_REGIONS, format: label('region') },
    { key: 'country', label: 'ws.partner.country', kind: 'enum', value: field('country') },
    { key: 'city', label: 'ws.partner.city', kind: 'text', value: field('city') },
    { key: 'specialties', label: 'ws.partner.specialties', kind: 'text', value: (row) => (row.specialties as string[]).join(', ') || null },
    { key: 'agreements', label: 'ws.agreements.title', kind: 'number', value: (row) => workspace.agreements.filter((a) => a.partnerId === row.id).length },
  ],
  agreements: [
    { key: 'title', label: 'ws.agreement.title', kind: 'text', value: field('title') },
    { key: 'partner', label: 'ws.agreement.partner', kind: 'text', value: partnerName },
    { key: 'type', label: 'ws.agreement.type', kind: 'enum', value: field('type'), options: AgreementType.options, format: label('agreementType') },
    { key: 'status', label: 'ws.agreement.status', kind: 'enum', value: field('status'), options: AgreementStatus.options, format: label('agreementStatus') },
    { key: 'fromYear', label: 'ws.agreement.fromYear', kind: 'enum', value: field('fromYear') },
    { key: 'toYear', label: 'ws.agreement.toYear', kind: 'enum', value: field('toYear') },
    { key: 'conditions', label: 'ws.conditions.title', kind: 'number', value: (row) => (row.conditions as unknown[]).length },
  ],
  flows: [
    { key: 'academicYear', label: 'ws.flow.academicYear', kind: 'enum', value: field('academicYear') },
    { key: 'direction', label: 'ws.flow.direction', kind: 'enum', value: field('direction'), options: MobilityDirection.options, format: label('direction') },
    { key: 'population', label: 'ws.flow.population', kind: 'enum', value: field('population'), options: MobilityPopulation.options, format: label('population') },
    { key: 'purpose', label: 'ws.flow.purpose', kind: 'enum', value: field('purpose'), options: MobilityPurpose.options, format: label('purpose') },
    { key: 'cycle', label: 'ws.flow.cycle', kind: 'enum', value: field('cycle'), options: StudyCycle.options, format: label('cycle') },
    { key: 'studyYear', label: 'ws.flow.studyYear', kind: 'number', value: field('studyYear') },
    { key: 'partner', label: 'ws.flow.partner', kind: 'text', value: partnerName },
    { key: 'planned', label: 'ws.flow.planned', kind: 'number', value: field('planned') },
    { key: 'realised', label: 'ws.flow.realised', kind: 'number', value: field('realised') },
  ],
  targets: [
    { key: 'academicYear', label: 'ws.flow.academicYear', kind: 'enum', value: field('academicYear') },
    { key: 'direction', label: 'ws.flow.direction', kind: 'enum', value: field('direction'), options: MobilityDirection.options, format: label('direction') },
    { key: 'population', label: 'ws.flow.population', kind: 'enum', value: field('population'), options: MobilityPopulation.options, format: label('population') },
    { key: 'purpose', label: 'ws.flow.purpose', kind: 'enum', value: field('purpose'), options: MobilityPurpose.options, format: label('purpose') },
    { key: 'target', label: 'ws.target.target', kind: 'number', value: field('target') },
  ],
  proposals: [
    { key: 'title', label: 'board.card.title', kind: 'text', value: field('title') },
    { key: 'actionType', label: 'proposal.actionType', kind: 'enum', value: field('actionType'), options: ACTION_TYPES, format: label('actionType') },
    { key: 'stage', label: 'ws.table.stage', kind: 'enum', value: field('stage'), options: PROPOSAL_STAGES, format: label('stage') },
    { key: 'leadDepartment', label: 'proposal.leadDepartment', kind: 'enum', value: field('leadDepartment'), options: DEPARTMENTS, format: label('department.short') },
    { key: 'region', label: 'proposal.region', kind: 'enum', value: field('region'), options: WORLD_REGIONS, format: label('region') },
    prioritiesColumn(),
    objectivesColumn,
    { key: 'startDate', label: 'proposal.startDate', kind: 'date', value: field('startDate'), format: day },
    { key: 'endDate', label: 'proposal.endDate', kind: 'date', value: field('endDate'), format: day },
    { key: 'budgetEstimate', label: 'proposal.budget', kind: 'number', value: field('budgetEstimate'), format: (value) => formatEuros(Number(value)), internal: true },
  ],
  roadmap: [
    { key: 'title', label: 'roadmap.field.title', kind: 'text', value: field('title') },
    { key: 'horizon', label: 'roadmap.field.horizon', kind: 'enum', value: field('horizon'), options: ROADMAP_HORIZONS, format: label('horizon') },
    { key: 'phase', label: 'roadmap.field.phase', kind: 'enum', value: field('phase') },
    { key: 'startDate', label: 'roadmap.field.start', kind: 'date', value: field('startDate'), format: day },
    { key: 'endDate', label: 'roadmap.field.end', kind: 'date', value: field('endDate'), format: day },
    prioritiesColumn(),
    objectivesColumn,
  ],
  actions: [
    { key: 'title', label: 'actions.field.title', kind: 'text', value: field('title') },
    { key: 'ownerName', label: 'actions.field.owner', kind: 'enum', value: field('ownerName') },
    { key: 'department', label: 'actions.field.department', kind: 'enum', value: field('department'), options: DEPARTMENTS, format: label('department.short') },
    { key: 'dueDate', label: 'actions.field.due', kind: 'date', value: field('dueDate'), format: day },
    {
      key: 'done',
      label: 'actions.field.done',
      kind: 'enum',
      value: (row) => (row.done === true ? 'done' : 'open'),
      options: ['open', 'done'],
      format: label('actions.filter'),
    },
    { key: 'source', label: 'actions.field.source', kind: 'enum', value: field('source'), options: ActionSource.options, format: label('actionSource') },
    prioritiesColumn(),
    objectivesColumn,
  ],
};

/** True when `row` holds `wanted` in `column` (one of its values, for a column of several). */
export function holds(column: Column, row: Row, wanted: string): boolean {
  return column.values ? column.values(row).includes(wanted) : (column.value(row) ?? '') === wanted;
}

/** How a value of an enum column is named in its filter and in a group's heading. */
export function optionName(column: Column, value: string): string {
  return column.optionLabel ? column.optionLabel(value) : display(column, value);
}

/** A value as shown in a cell. */
export function display(column: Column, value: string | number | null): string {
  if (value === null || value === '') return '–';
  if (column.format) return column.format(value);
  return typeof value === 'number' ? formatNumber(value) : value;
}

/** The rows of a record type, from the live workspace or, for board records, the chosen board (none while no board is chosen). */
export function rowsOf(type: RecordType, board: BoardReader | null): Row[] {
  if (isBoardRecordType(type)) return (board ? board[type] : []) as unknown as Row[];
  const records = { partners: workspace.partners, agreements: workspace.agreements, flows: workspace.mobilities, targets: workspace.targets }[type];
  return records as unknown as Row[];
}

/** Where a record of this type is shown in full (board records: the board view that shows them). */
export function hrefOf(type: RecordType, row: Row, boardId: string | null): string {
  if (isBoardRecordType(type)) {
    const board = `/boards/${encodeURIComponent(boardId ?? '')}`;
    if (type === 'roadmap') return `${board}?view=roadmap`;
    if (type === 'actions') return `${board}?view=actions`;
    return `${board}?view=board&card=${encodeURIComponent(row.id)}`;
  }
  if (type === 'partners') return `/partners#partner-${row.id}`;
  if (type === 'agreements') return `/partners#agreement-${row.id}`;
  return type === 'flows' ? `/mobility#flow-${row.id}` : '/mobility';
}
