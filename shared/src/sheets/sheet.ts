/**
 * A spreadsheet of one kind of record as a reader sees it: the headings in their language and one
 * row of cells per record. The server writes it as CSV or XLSX; the kinds and their columns are
 * listed here once.
 */
import { z } from 'zod';
import type { Locale } from '../api.js';
import { translate, type MessageKey } from '../i18n/index.js';
import { ACTION_COLUMNS, PROPOSAL_COLUMNS, ROADMAP_COLUMNS } from './board-sheets.js';
import { cellFor, type SheetColumn, type SheetContext } from './columns.js';
import { AGREEMENT_COLUMNS, FLOW_COLUMNS, PARTNER_COLUMNS, TARGET_COLUMNS } from './workspace-sheets.js';

/** The workspace's record kinds a spreadsheet holds; the first three are also imported. */
export const WorkspaceSheetKind = z.enum(['partners', 'agreements', 'flows', 'targets']);
export type WorkspaceSheetKind = z.infer<typeof WorkspaceSheetKind>;
/** The record kinds an import writes: partners, agreements, mobility figures (flows and targets). */
export const ImportKind = WorkspaceSheetKind;
export type ImportKind = WorkspaceSheetKind;
/** A board's record kinds a spreadsheet holds (the table view's and the action items'). */
export const BoardSheetKind = z.enum(['proposals', 'roadmap', 'actions']);
export type BoardSheetKind = z.infer<typeof BoardSheetKind>;
export type SheetKind = WorkspaceSheetKind | BoardSheetKind;

/** The two file formats. */
export const SheetFormat = z.enum(['csv', 'xlsx']);
export type SheetFormat = z.infer<typeof SheetFormat>;

// Each list is typed for its record; here they are read as columns of any record.
type AnyColumn = SheetColumn<any>;
/** The columns of each kind, in the table view's order. */
export const SHEET_COLUMNS: Record<SheetKind, readonly AnyColumn[]> = {
  partners: PARTNER_COLUMNS,
  agreements: AGREEMENT_COLUMNS,
  flows: FLOW_COLUMNS,
  targets: TARGET_COLUMNS,
  proposals: PROPOSAL_COLUMNS,
  roadmap: ROADMAP_COLUMNS,
  actions: ACTION_COLUMNS,
};

/** The catalog key naming each kind (the sheet's name and the file's). */
export const SHEET_TITLES: Record<SheetKind, MessageKey> = {
  partners: 'sheets.kind.partners',
  agreements: 'sheets.kind.agreements',
  flows: 'sheets.kind.flows',
  targets: 'sheets.kind.targets',
  proposals: 'sheets.kind.proposals',
  roadmap: 'sheets.kind.roadmap',
  actions: 'sheets.kind.actions',
};

/** One sheet, ready to be written. */
export interface Sheet {
  title: string;
  headings: string[];
  rows: (string | number | null)[][];
}

/**
 * The sheet of `records` for a reader of `locale`: the columns they see (`columnKeys`, in that
 * order, when given; every column otherwise), without internal ones unless `internal`.
 */
export function buildSheet<R>(
  kind: SheetKind,
  records: readonly R[],
  options: { context: SheetContext; locale: Locale; columnKeys?: readonly string[] | null; internal?: boolean },
): Sheet {
  const all = SHEET_COLUMNS[kind].filter((column) => options.internal || !column.internal);
  const columns = options.columnKeys?.length
    ? options.columnKeys.map((key) => all.find((column) => column.key === key)).filter((column): column is AnyColumn => column !== undefined)
    : all;
  return {
    title: translate(options.locale, SHEET_TITLES[kind]),
    headings: columns.map((column) => translate(options.locale, column.label)),
    rows: records.map((record) => columns.map((column) => cellFor(column, column.value(record, options.context), options.locale))),
  };
}
