/**
 * Spreadsheets from the web app: the address of a download, uploads of a file to the import routes
 * (the file's bytes as the body, the column mapping in the query), and each person's last mapping
 * per kind of record, kept in this browser under their account (forgotten at sign-out).
 */
import { ApiErrorCode, type ApiErrorBody, type ImportFileSummary, type ImportKind, type ImportPlan, type SheetFormat, type TrelloImportResult } from '@passerelle/shared';
import { ApiError } from './api.js';
import { locale } from './i18n.svelte.js';
import { copyName } from './offline/local-copies.js';

/** Where a spreadsheet of `path` (`/api/sheets/partners`, `/api/boards/<id>/sheets/actions`) downloads, in the person's language. */
export function sheetHref(path: string, format: SheetFormat, columns?: readonly string[]): string {
  const query = new URLSearchParams({ format, lang: locale.current });
  if (columns?.length) query.set('columns', columns.join(','));
  return `${path}?${query}`;
}

/** Posts a file's bytes; every failure becomes an `ApiError`, with the server's message and details. */
async function postFile<T>(path: string, file: Blob): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json', 'content-type': 'application/octet-stream' }, body: file });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'fetch failed');
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (response.ok) return payload as T;
  const error = (payload as Partial<ApiErrorBody> | undefined)?.error;
  const code: ApiErrorCode = error && (ApiErrorCode as readonly string[]).includes(error.code) ? error.code : 'internal';
  throw new ApiError(response.status, code, error?.message ?? `HTTP ${response.status}`, error?.details);
}

/** The messages an import's failure carries (the file's problems, each row's errors), else none. */
export function detailsOf(error: unknown): string[] {
  return error instanceof ApiError ? (error.details ?? []).map((detail) => detail.message) : [];
}

const importPath = (kind: ImportKind, step: 'read' | 'dry-run' | 'apply', mapping?: Record<string, string | null>) =>
  `/api/sheets/${kind}/import/${step}${mapping ? `?mapping=${encodeURIComponent(JSON.stringify(mapping))}` : ''}`;

export const sheetsApi = {
  readFile: (kind: ImportKind, file: Blob) => postFile<ImportFileSummary>(importPath(kind, 'read'), file),
  dryRun: (kind: ImportKind, file: Blob, mapping: Record<string, string | null>) => postFile<ImportPlan>(importPath(kind, 'dry-run', mapping), file),
  apply: (kind: ImportKind, file: Blob, mapping: Record<string, string | null>) => postFile<ImportPlan>(importPath(kind, 'apply', mapping), file),
  importTrello: (file: Blob) => postFile<TrelloImportResult>('/api/boards/import/trello', file),
};

const mappingKey = (accountId: string, kind: ImportKind) => copyName(accountId, `import-mapping:${kind}`);

/** The mapping this person last applied for `kind`, heading → column key. */
export function rememberedMapping(accountId: string, kind: ImportKind): Record<string, string | null> {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(mappingKey(accountId, kind)) ?? '{}');
    return stored && typeof stored === 'object' ? (stored as Record<string, string | null>) : {};
  } catch {
    return {};
  }
}

/** Remembers a mapping, adding to what was remembered for other headings. */
export function rememberMapping(accountId: string, kind: ImportKind, mapping: Record<string, string | null>): void {
  try {
    localStorage.setItem(mappingKey(accountId, kind), JSON.stringify({ ...rememberedMapping(accountId, kind), ...mapping }));
  } catch {
    // Storage can be disabled: the suggestion from the headings is then used next time.
  }
}
