/**
 * The columns of a spreadsheet of records: one list per record kind, shared by the exports, the
 * imports and the table view, so that a file says what the screen shows. A column reads its cell
 * from a record; a column that names a `field` can also be imported, its cell read back into that
 * field (`parseCell`), accepting what the export wrote in either language.
 */
import { translate } from '../i18n/index.js';
import type { MessageKey } from '../i18n/index.js';
import type { Locale } from '../api.js';
import { LOCALES } from '../i18n/index.js';

/** What one cell holds before it is written: a text, a number, a yes/no, or nothing. */
export type SheetCell = string | number | boolean | null;

/** How a column's values read and are written. */
export type SheetColumnKind = 'text' | 'number' | 'date' | 'enum' | 'boolean' | 'list';

/** What a column may need besides the record: the workspace's partners, by id and by name. */
export interface SheetContext {
  partnerName(partnerId: string | null | undefined): string | null;
  /** The id of the partner a cell names (its name, local name or Erasmus code), or null when none does. */
  partnerIdOf(text: string): string | null;
  /** How many agreements the workspace has with a partner. */
  agreementCount(partnerId: string): number;
}

export interface SheetColumn<R = Record<string, unknown>> {
  /** Stable name of the column (the table view's column key). */
  key: string;
  /** Its heading, in the reader's language. */
  label: MessageKey;
  kind: SheetColumnKind;
  /** The cell's value: an enum's value (not its label), a number, an ISO date, a list's items. */
  value: (record: R, context: SheetContext) => SheetCell | readonly string[];
  /** For enums: the values in their natural order, and the catalog prefix of their labels. */
  options?: readonly string[];
  labels?: string;
  /** The record field an import writes from this column; absent for columns computed from others. */
  field?: string;
  /** For an imported column: what an empty cell means (null, '', [] or leave as it is). */
  empty?: 'null' | 'blank' | 'keep';
  /** Reads an imported cell into the field's value when the column's kind is not enough (a partner's name → its id). */
  read?: (text: string, context: SheetContext) => { value: unknown } | { error: MessageKey };
  /** Left out of files for readers who may not see internal content (partner guests). */
  internal?: boolean;
}

/** A list's items as one cell. */
export const LIST_SEPARATOR = ', ';

/** The label of an enum value in `locale`, or the value itself when it has none. */
export function optionLabel(column: SheetColumn<never>, value: string, locale: Locale): string {
  return column.labels ? translate(locale, `${column.labels}.${value}` as MessageKey) : value;
}

/** A cell as written into a file for a reader of `locale`: enums by their label, yes/no in words, lists joined. */
export function cellFor(column: SheetColumn<never>, value: SheetCell | readonly string[], locale: Locale): string | number | null {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) return value.length ? value.join(LIST_SEPARATOR) : null;
  if (typeof value === 'boolean') return translate(locale, value ? 'sheets.yes' : 'sheets.no');
  if (column.kind === 'enum' && typeof value === 'string') return optionLabel(column, value, locale);
  return value as string | number;
}

const normal = (text: string) => text.trim().toLocaleLowerCase('fr').normalize('NFC');

/**
 * Reads an imported cell into its field's value. An enum accepts its value or its label in any
 * language (a file exported in French imports for an English reader); an empty cell means what the
 * column's `empty` says. Returns `{ skip: true }` when the cell leaves the field as it is.
 */
export function parseCell(column: SheetColumn<never>, raw: string, context: SheetContext): { value: unknown } | { error: MessageKey } | { skip: true } {
  const text = raw.trim();
  if (!text) {
    if (column.empty === 'null') return { value: null };
    if (column.empty === 'blank') return { value: column.kind === 'list' ? [] : '' };
    return { skip: true };
  }
  if (column.read) return column.read(text, context);
  switch (column.kind) {
    case 'number': {
      // A French spreadsheet writes 1 234,5: spaces group digits and the comma is the decimal point.
      const number = Number(text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'));
      return Number.isFinite(number) ? { value: number } : { error: 'sheets.error.number' };
    }
    case 'boolean': {
      const wanted = normal(text);
      for (const locale of LOCALES) {
        if (wanted === normal(translate(locale, 'sheets.yes'))) return { value: true };
        if (wanted === normal(translate(locale, 'sheets.no'))) return { value: false };
      }
      if (['true', '1', 'x'].includes(wanted)) return { value: true };
      if (['false', '0'].includes(wanted)) return { value: false };
      return { error: 'sheets.error.yesNo' };
    }
    case 'enum': {
      const wanted = normal(text);
      const options = column.options ?? [];
      const match = options.find((option) => normal(option) === wanted || LOCALES.some((locale) => normal(optionLabel(column, option, locale)) === wanted));
      if (match !== undefined) return { value: match };
      // A closed list without options (a country, a year) takes the text as written; the record's schema checks it.
      return options.length ? { error: 'sheets.error.option' } : { value: text };
    }
    case 'list':
      return { value: text.split(/[,;\n]/).map((item) => item.trim()).filter(Boolean) };
    default:
      return { value: text };
  }
}

/** The column a heading names: its label in any language, or its key. */
export function columnForHeading<R>(columns: readonly SheetColumn<R>[], heading: string): SheetColumn<R> | undefined {
  const wanted = normal(heading);
  if (!wanted) return undefined;
  return columns.find((column) => normal(column.key) === wanted || LOCALES.some((locale) => normal(translate(locale, column.label)) === wanted));
}
