/**
 * What an import of a spreadsheet would do to the workspace, row by row, before anything is
 * written: which record each row creates or changes (matched by a key: a partner's Erasmus code or
 * name, an agreement's title and partner, a mobility figure's year, direction, population and
 * purpose), which fields change, and every error in the reader's language. Applying writes the
 * plan only when it has no error at all, so an import lands whole or not at all.
 */
import type { z } from 'zod';
import type { Locale } from '../api.js';
import type { RecordCollection, Stored } from '../domain/collection.js';
import { ErasmusCode } from '../domain/identifiers.js';
import { translate, type MessageKey } from '../i18n/index.js';
import type { WorkspaceDoc } from '../workspace/schema.js';
import { cellFor, columnForHeading, parseCell, type SheetColumn, type SheetContext } from './columns.js';
import { SHEET_COLUMNS, type ImportKind } from './sheet.js';
import type { ImportPlan, ImportRow } from './sheets-api.js';

/** The most data rows one import reads. */
export const MAX_IMPORT_ROWS = 5000;
/** The most columns one import reads. */
export const MAX_IMPORT_COLUMNS = 100;

/** A file's content as text cells: its first row's headings, then its data rows. */
export interface SheetTable {
  headings: string[];
  rows: string[][];
}

/** Which column of the kind each heading of the file goes into (a column key), or null to leave it out. */
export type ColumnMapping = Record<string, string | null>;

/** A write the plan would make: a new record's fields, or an existing one's changed fields. */
export interface PlannedWrite {
  recordId: string | null;
  fields: Record<string, unknown>;
}

type AnyColumn = SheetColumn<any>;
type AnyCollection = RecordCollection<z.ZodType<object>>;

const normal = (text: unknown) => String(text ?? '').trim().toLocaleLowerCase('fr').normalize('NFC');

/** The columns an import can write for a kind. */
export function importableColumns(kind: ImportKind): AnyColumn[] {
  return SHEET_COLUMNS[kind].filter((column) => column.field !== undefined);
}

/** The mapping a file's headings suggest: each heading that names an importable column, by its label in either language or its key. */
export function suggestMapping(kind: ImportKind, headings: readonly string[]): ColumnMapping {
  const columns = importableColumns(kind);
  const mapping: ColumnMapping = {};
  const taken = new Set<string>();
  for (const heading of headings) {
    const column = columnForHeading(columns, heading);
    mapping[heading] = column && !taken.has(column.key) ? column.key : null;
    if (column) taken.add(column.key);
  }
  return mapping;
}

/** The columns that must be mapped for a row to say which record it is. */
const REQUIRED: Record<ImportKind, readonly string[]> = {
  partners: ['name'],
  agreements: ['title'],
  flows: ['academicYear'],
  targets: ['academicYear', 'target'],
};

/** The fields that tell one record from another, per kind (after the record's defaults apply). */
const FLOW_KEY = ['academicYear', 'direction', 'population', 'purpose', 'cycle', 'studyYear', 'partnerId'];
const TARGET_KEY = ['academicYear', 'direction', 'population', 'purpose'];

function collectionOf(workspace: WorkspaceDoc, kind: ImportKind): AnyCollection {
  const collections = { partners: workspace.partners, agreements: workspace.agreements, flows: workspace.mobilities, targets: workspace.targets };
  return collections[kind] as unknown as AnyCollection;
}

/** The context columns read partners through, from the live workspace. */
export function workspaceSheetContext(workspace: WorkspaceDoc): SheetContext {
  const partners = workspace.partners.list();
  const agreements = workspace.agreements.list();
  const byText = new Map<string, string>();
  for (const partner of partners) {
    // A name wins over another partner's local name or code: listed last, set first.
    for (const text of [partner.erasmusCode, partner.localName, partner.name]) if (text) byText.set(normal(text), partner.id);
  }
  return {
    partnerName: (id) => (id ? (partners.find((partner) => partner.id === id)?.name ?? null) : null),
    partnerIdOf: (text) => byText.get(normal(text)) ?? byText.get(normal(ErasmusCode.safeParse(text).data)) ?? null,
    agreementCount: (partnerId) => agreements.filter((agreement) => agreement.partnerId === partnerId).length,
  };
}

/** The record a row names, among the existing ones: by key fields, compared once normalised. */
function findMatch(kind: ImportKind, candidate: Record<string, unknown>, records: Stored<Record<string, unknown>>[]): Stored<Record<string, unknown>> | undefined {
  const same = (record: Record<string, unknown>, keys: readonly string[]) => keys.every((key) => normal(record[key]) === normal(candidate[key]));
  switch (kind) {
    case 'partners': {
      const code = candidate.erasmusCode ? normal(candidate.erasmusCode) : null;
      return (code ? records.find((record) => normal(record.erasmusCode) === code) : undefined) ?? records.find((record) => same(record, ['name']));
    }
    case 'agreements':
      return records.find((record) => same(record, candidate.partnerId ? ['title', 'partnerId'] : ['title']));
    case 'flows':
      return records.find((record) => same(record, FLOW_KEY));
    case 'targets':
      return records.find((record) => same(record, TARGET_KEY));
  }
}

/** The key a new record would have, so that two rows creating the same record are caught. */
function keyOf(kind: ImportKind, record: Record<string, unknown>): string {
  const keys = { partners: [record.erasmusCode ? 'erasmusCode' : 'name'], agreements: ['title', 'partnerId'], flows: FLOW_KEY, targets: TARGET_KEY }[kind];
  return keys.map((key) => normal(record[key])).join('\u0000');
}

/** A validation message in the reader's language: ours are catalog keys, anything else reads as "not valid". */
function message(locale: Locale, key: string): string {
  return translate(locale, (key.startsWith('validation.') || key.startsWith('sheets.') ? key : 'validation.invalid') as MessageKey);
}

/**
 * Plans the import of `table` into the workspace's `kind`, with `mapping` from headings to column
 * keys. Reads the workspace only; returns the plan shown to the person and the writes applying it
 * would make (none may be applied when any row has an error).
 */
export function planImport(
  workspace: WorkspaceDoc,
  kind: ImportKind,
  table: SheetTable,
  mapping: ColumnMapping,
  locale: Locale,
): { plan: ImportPlan; writes: PlannedWrite[] } {
  const columns = importableColumns(kind);
  const context = workspaceSheetContext(workspace);
  const collection = collectionOf(workspace, kind);
  const existing = collection.list() as Stored<Record<string, unknown>>[];
  const labelOf = (column: AnyColumn) => translate(locale, column.label);
  const mapped = table.headings.map((heading) => {
    const key = mapping[heading];
    return key ? columns.find((column) => column.key === key) : undefined;
  });
  const problems: string[] = [];
  for (const key of REQUIRED[kind]) {
    const column = columns.find((candidate) => candidate.key === key)!;
    if (!mapped.includes(column)) problems.push(translate(locale, 'sheets.error.unmapped', { column: labelOf(column) }));
  }
  const rows: ImportRow[] = [];
  const writes: PlannedWrite[] = [];
  if (problems.length === 0) {
    const claimed = new Map<string, number>();
    function planRow(cells: string[], line: number): { row: ImportRow; write?: PlannedWrite } {
      const errors: ImportRow['errors'] = [];
      const patch: Record<string, unknown> = {};
      mapped.forEach((column, index) => {
        if (!column?.field) return;
        const parsed = parseCell(column, cells[index] ?? '', context);
        if ('error' in parsed) errors.push({ column: labelOf(column), message: message(locale, parsed.error) });
        else if ('value' in parsed) patch[column.field] = parsed.value;
      });
      const fresh = collection.schema.safeParse(patch);
      const candidate = (fresh.success ? fresh.data : patch) as Record<string, unknown>;
      const match = errors.length ? undefined : findMatch(kind, candidate, existing);
      const before = match ?? null;
      const next = collection.schema.safeParse(before ? { ...stripId(before), ...patch } : patch);
      if (!next.success) {
        for (const issue of next.error.issues) {
          const fieldName = String(issue.path[0] ?? '');
          const column = columns.find((candidateColumn) => candidateColumn.field === fieldName);
          // A field the row leaves out and the record cannot do without reads as "required", not zod's wording.
          const missing = issue.code === 'invalid_type' && (before ? before[fieldName] : patch[fieldName]) === undefined;
          errors.push({ column: column ? labelOf(column) : null, message: message(locale, missing ? 'validation.required' : issue.message) });
        }
      }
      const name = String(patch.name ?? patch.title ?? before?.name ?? before?.title ?? '');
      if (errors.length || !next.success) return { row: { line, action: 'error', recordId: before?.id ?? null, name, changes: [], errors } };
      const after: Record<string, unknown> = { ...(next.data as Record<string, unknown>), id: before?.id ?? '' };
      const identity = before ? `id:${before.id}` : `new:${keyOf(kind, after)}`;
      const firstLine = claimed.get(identity);
      if (firstLine !== undefined) {
        return { row: { line, action: 'error', recordId: before?.id ?? null, name, changes: [], errors: [{ column: null, message: translate(locale, 'sheets.error.duplicateRow', { line: firstLine }) }] } };
      }
      claimed.set(identity, line);
      const changes: ImportRow['changes'] = [];
      const changedFields: Record<string, unknown> = {};
      for (const column of columns) {
        const fieldName = column.field!;
        if (!(fieldName in patch)) continue;
        const was = before ? before[fieldName] : undefined;
        const now = after[fieldName];
        if (before && JSON.stringify(was ?? null) === JSON.stringify(now ?? null)) continue;
        changedFields[fieldName] = now;
        const shown = (record: Record<string, unknown> | null) => (record ? cellFor(column, column.value(record, context), locale) : null);
        changes.push({ column: labelOf(column), from: before ? String(shown(before) ?? '') : '', to: String(shown(after) ?? '') });
      }
      if (!before) return { row: { line, action: 'create', recordId: null, name, changes, errors: [] }, write: { recordId: null, fields: patch } };
      if (changes.length === 0) return { row: { line, action: 'unchanged', recordId: before.id, name, changes, errors: [] } };
      return { row: { line, action: 'update', recordId: before.id, name, changes, errors: [] }, write: { recordId: before.id, fields: changedFields } };
    }

    table.rows.forEach((cells, index) => {
      const line = index + 2;
      if (cells.every((cell) => !cell.trim())) return;
      const row = planRow(cells, line);
      rows.push(row.row);
      if (row.write) writes.push(row.write);
    });
  }
  const count = (action: ImportRow['action']) => rows.filter((row) => row.action === action).length;
  return {
    plan: {
      kind,
      problems,
      rows,
      summary: { create: count('create'), update: count('update'), unchanged: count('unchanged'), error: count('error') },
    },
    writes,
  };
}

/** Whether a plan can be applied: nothing wrong with the file's columns or any of its rows. */
export function isApplicable(plan: ImportPlan): boolean {
  return plan.problems.length === 0 && plan.summary.error === 0;
}

/** Writes a plan's records (call inside one transaction; the plan was validated, so nothing throws). */
export function applyImport(workspace: WorkspaceDoc, kind: ImportKind, writes: readonly PlannedWrite[]): { created: string[]; updated: string[] } {
  const collection = collectionOf(workspace, kind);
  const created: string[] = [];
  const updated: string[] = [];
  for (const write of writes) {
    if (write.recordId) {
      collection.update(write.recordId, write.fields as never);
      updated.push(write.recordId);
    } else created.push(collection.create(write.fields as never));
  }
  return { created, updated };
}

function stripId(record: Stored<Record<string, unknown>>): Record<string, unknown> {
  const { id: _id, ...fields } = record;
  return fields;
}
