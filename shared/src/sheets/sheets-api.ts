/** What the spreadsheet and Trello import routes answer (`/api/sheets/...`, `/api/boards/import/trello`). */
import { z } from 'zod';
import { ImportKind } from './sheet.js';

/** What a row of an import does. */
export const ImportRowAction = z.enum(['create', 'update', 'unchanged', 'error']);
export type ImportRowAction = z.infer<typeof ImportRowAction>;

/** One row of a planned import, as the dry run shows it. Texts are in the reader's language. */
export const ImportRow = z.object({
  /** The row's line in the file (the headings are line 1). */
  line: z.number().int(),
  action: ImportRowAction,
  /** The record it changes; null for a new one (or a row that names none). */
  recordId: z.string().nullable(),
  /** What the row names (a partner's name, an agreement's title), to recognise it. */
  name: z.string(),
  changes: z.array(z.object({ column: z.string(), from: z.string(), to: z.string() })),
  errors: z.array(z.object({ column: z.string().nullable(), message: z.string() })),
});
export type ImportRow = z.infer<typeof ImportRow>;

/** A dry run's answer, and an applied import's. */
export const ImportPlan = z.object({
  kind: ImportKind,
  /** What is wrong with the file as a whole (a column that must be mapped and is not). */
  problems: z.array(z.string()),
  rows: z.array(ImportRow),
  summary: z.object({ create: z.number(), update: z.number(), unchanged: z.number(), error: z.number() }),
});
export type ImportPlan = z.infer<typeof ImportPlan>;

/** What reading an uploaded file answers: its headings, the mapping they suggest, its size. */
export interface ImportFileSummary {
  headings: string[];
  /** Heading → column key of the kind (null: left out). */
  mapping: Record<string, string | null>;
  /** The columns a heading may go into: key and label in the reader's language. */
  columns: { key: string; label: string }[];
  rowCount: number;
}

/** The mapping sent with a dry run or an apply (a query parameter, JSON). */
export const ImportMappingParam = z.record(z.string().max(200), z.string().max(60).nullable());

/** What a Trello import answers: the new board and what it holds. */
export interface TrelloImportResult {
  boardId: string;
  title: string;
  columns: number;
  cards: number;
}
