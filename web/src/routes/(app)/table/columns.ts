/**
 * The columns of each record type in the table view. A column says how to read a value for sorting
 * and filtering, how to show it, and, for closed lists (enums), which values exist in which order.
 * Workspace records come from the live workspace; proposals, roadmap and action items from one
 * board, read live by a `BoardReader` (budgets from the board's internal document).
 */
import { PRIORITIES, priorityOf, SHEET_COLUMNS, type MessageKey, type SheetColumn, type SheetContext } from '@passerelle/shared';
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

/** What the shared columns read besides a record: the live workspace's partners and agreements. */
const context: SheetContext = {
  partnerName: (id) => (id ? (workspace.partner(id)?.name ?? null) : null),
  partnerIdOf: () => null,
  agreementCount: (partnerId) => workspace.agreements.filter((agreement) => agreement.partnerId === partnerId).length,
};

/** Columns the table shows differently from a file: sortable and filterable by their values. */
const TABLE_ONLY: Record<string, () => Column> = {
  priorities: prioritiesColumn,
  policyObjectives: () => objectivesColumn,
  done: () => ({
    key: 'done',
    label: 'actions.field.done',
    kind: 'enum',
    value: (row) => (row.done === true ? 'done' : 'open'),
    options: ['open', 'done'],
    format: label('actions.filter'),
  }),
  budgetEstimate: () => ({ key: 'budgetEstimate', label: 'proposal.budget', kind: 'number', value: field('budgetEstimate'), format: (value) => formatEuros(Number(value)), internal: true }),
};

/** A shared spreadsheet column as the table shows it: the same key, heading and value, shown in the person's locale. */
function tableColumn(column: SheetColumn<any>): Column {
  const special = TABLE_ONLY[column.key];
  if (special) return special();
  const value = (row: Row) => {
    const read = column.value(row, context);
    if (Array.isArray(read)) return read.join(', ') || null;
    return typeof read === 'string' || typeof read === 'number' ? read : null;
  };
  const kind = column.kind === 'list' ? 'text' : column.kind === 'boolean' ? 'enum' : column.kind;
  return {
    key: column.key,
    label: column.label,
    kind,
    value,
    ...(column.options ? { options: column.options } : {}),
    ...(column.labels ? { format: label(column.labels) } : column.kind === 'date' ? { format: day } : {}),
    ...(column.internal ? { internal: true } : {}),
  };
}

/** The columns of each record type: the spreadsheets' (`SHEET_COLUMNS`, shared), so a download holds what the table shows. */
export const COLUMNS: Record<RecordType, Column[]> = Object.fromEntries(RECORD_TYPES.map((type) => [type, SHEET_COLUMNS[type].map(tableColumn)])) as Record<RecordType, Column[]>;

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
