/** Spreadsheet exports and imports through a real server: download a file, upload one, seed the workspace. */
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { WORKSPACE_DOC, WorkspaceDoc } from '@passerelle/shared';
import { syncedClient, type Track } from './sync-client.js';
import { eventually } from './stock-client.js';

/** Downloads a file from the API: status, headers and bytes. */
export async function download(baseUrl: string, path: string, auth: { token?: string; cookie?: string }): Promise<{ status: number; type: string; disposition: string; bytes: Buffer }> {
  const headers: Record<string, string> = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const response = await fetch(`${baseUrl}${path}`, { headers });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    disposition: response.headers.get('content-disposition') ?? '',
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

/** Uploads bytes to an import route, as the web app does; the JSON answer. */
export async function upload<T = any>(
  baseUrl: string,
  path: string,
  bytes: Buffer | string,
  auth: { token?: string; cookie?: string; headers?: Record<string, string> },
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', ...auth.headers };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) {
    headers.cookie = auth.cookie;
    headers.origin = baseUrl;
  }
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

/** The rows of an XLSX file's first worksheet, as exceljs reads them back (headings first). */
export async function xlsxRows(bytes: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** The rows of a CSV file, headings first. */
export function csvRows(bytes: Buffer, delimiter: string): string[][] {
  return parseCsv(bytes, { bom: true, delimiter, relax_column_count: true }) as string[][];
}

/** An XLSX workbook of one worksheet holding `rows` (headings first). */
export async function xlsxOf(rows: (string | number | null)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A synced client of the workspace document, to seed records and watch what the server relays. */
export async function workspaceClient(baseUrl: string, token: string, track: Track): Promise<WorkspaceDoc> {
  const { doc } = await syncedClient(baseUrl, WORKSPACE_DOC, token, track);
  return new WorkspaceDoc(doc);
}

/** Waits until the server's export of the partners names every one of `names`. */
export async function serverHasPartners(baseUrl: string, token: string, names: string[]): Promise<void> {
  await eventually(async () => {
    const file = await download(baseUrl, '/api/sheets/partners?format=csv&lang=en', { token });
    const text = file.bytes.toString('utf8');
    return names.every((name) => text.includes(name));
  }, 10_000, `the server to hold ${names.join(', ')}`);
}
