/**
 * Spreadsheet files in and out: a `Sheet` written as CSV or XLSX, and an uploaded CSV or XLSX read
 * into text cells. Reading is bounded (rows, columns) and any file that is neither ends in one
 * clear error rather than a partial read.
 */
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS, type Locale, type Sheet, type SheetFormat, type SheetTable } from '@passerelle/shared';

/** The media type of each format. */
export const SHEET_MEDIA_TYPES: Record<SheetFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Why an uploaded file could not be read. */
export type SheetReadProblem = { code: 'unreadable' } | { code: 'empty' } | { code: 'tooManyRows'; max: number } | { code: 'tooManyColumns'; max: number };

export class SheetReadError extends Error {
  constructor(readonly problem: SheetReadProblem) {
    super(problem.code);
    this.name = 'SheetReadError';
  }
}

/**
 * A sheet as CSV: UTF-8 with a byte-order mark (without it, Excel reads accents wrong), and
 * semicolons for a French reader, whose spreadsheet uses the comma as the decimal point.
 */
export function writeCsv(sheet: Sheet, locale: Locale): Buffer {
  const text = stringifyCsv([sheet.headings, ...sheet.rows.map((row) => row.map((cell) => (cell === null ? '' : cell)))], {
    delimiter: locale === 'fr' ? ';' : ',',
    record_delimiter: '\r\n',
  });
  return Buffer.concat([Buffer.from('\uFEFF', 'utf8'), Buffer.from(text, 'utf8')]);
}

/** A sheet as an Excel workbook of one worksheet: headings in bold and frozen, columns sized to their content. */
export async function writeXlsx(sheet: Sheet): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Passerelle';
  // Worksheet names: at most 31 characters, none of []:*?/\.
  const worksheet = workbook.addWorksheet(sheet.title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet', { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.addRow(sheet.headings).font = { bold: true };
  for (const row of sheet.rows) worksheet.addRow(row.map((cell) => cell ?? undefined));
  worksheet.columns.forEach((column, index) => {
    const longest = Math.max(sheet.headings[index]?.length ?? 0, ...sheet.rows.map((row) => String(row[index] ?? '').length));
    column.width = Math.min(60, Math.max(10, longest + 2));
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** What kind of file the bytes are: an XLSX workbook is a ZIP archive ("PK\x03\x04"); anything else is read as CSV. */
export function formatOf(bytes: Buffer): SheetFormat {
  return bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304 ? 'xlsx' : 'csv';
}

/** Reads an uploaded CSV or XLSX file into its headings and rows of text. Throws `SheetReadError`. */
export async function readSheet(bytes: Buffer): Promise<SheetTable> {
  const grid = formatOf(bytes) === 'xlsx' ? await readXlsxGrid(bytes) : readCsvGrid(bytes);
  const rows = grid.filter((row) => row.some((cell) => cell.trim()));
  const [headings, ...data] = rows;
  if (!headings || headings.every((heading) => !heading.trim())) throw new SheetReadError({ code: 'empty' });
  if (data.length > MAX_IMPORT_ROWS) throw new SheetReadError({ code: 'tooManyRows', max: MAX_IMPORT_ROWS });
  if (headings.length > MAX_IMPORT_COLUMNS) throw new SheetReadError({ code: 'tooManyColumns', max: MAX_IMPORT_COLUMNS });
  const width = headings.length;
  return { headings: headings.map((heading) => heading.trim()), rows: data.map((row) => Array.from({ length: width }, (_, index) => row[index] ?? '')) };
}

function readCsvGrid(bytes: Buffer): string[][] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new SheetReadError({ code: 'unreadable' });
  }
  // A binary file that happens to decode (or an empty one) has no line a spreadsheet would write.
  if (text.includes('\u0000')) throw new SheetReadError({ code: 'unreadable' });
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [';', '\t', ','].reduce((best, candidate) => (firstLine.split(candidate).length > firstLine.split(best).length ? candidate : best), ',');
  try {
    return parseCsv(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, to: MAX_IMPORT_ROWS + 2 }) as string[][];
  } catch {
    throw new SheetReadError({ code: 'unreadable' });
  }
}

async function readXlsxGrid(bytes: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new SheetReadError({ code: 'unreadable' });
  }
  const worksheet = workbook.worksheets[0];
  if (!worksheet) throw new SheetReadError({ code: 'empty' });
  if (worksheet.rowCount > MAX_IMPORT_ROWS + 1) throw new SheetReadError({ code: 'tooManyRows', max: MAX_IMPORT_ROWS });
  if (worksheet.columnCount > MAX_IMPORT_COLUMNS) throw new SheetReadError({ code: 'tooManyColumns', max: MAX_IMPORT_COLUMNS });
  const grid: string[][] = [];
  worksheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let index = 1; index <= worksheet.columnCount; index += 1) cells.push(cellText(row.getCell(index).value));
    grid.push(cells);
  });
  return grid;
}

/** A cell's value as text: dates as YYYY-MM-DD, formulas by their result, rich text and links by their text. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((run) => run.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}
