/**
 * Spreadsheets over HTTP, under `/api`: the workspace's records and a board's as CSV or XLSX with
 * the columns and headings the reader sees, spreadsheet imports into the workspace (read, dry run,
 * apply all or nothing) and Trello board imports into a new board.
 */
import express, { type Request, type RequestHandler } from 'express';
import {
  BoardDoc,
  BoardSheetKind,
  ImportKind,
  ImportMappingParam,
  InternalDoc,
  Locale,
  SheetFormat,
  TrelloExport,
  WORKSPACE_DOC,
  WorkspaceDoc,
  WorkspaceSheetKind,
  applyImport,
  buildSheet,
  importTrelloBoard,
  importableColumns,
  internalDocName,
  isApplicable,
  newId,
  planImport,
  suggestMapping,
  translate,
  workspaceSheetContext,
  type BoardListEvent,
  type BoardRole,
  type BoardSummary,
  type ImportFileSummary,
  type ImportPlan,
  type MessageKey,
  type Sheet,
  type SheetContext,
  type SheetTable,
  type TrelloImportResult,
} from '@passerelle/shared';
import { z } from 'zod';
import type { BoardAccess } from '../access/board-access.js';
import { canChangeWorkspaceRecord } from '../access/record-access.js';
import type { Principal } from '../auth/auth-service.js';
import { ApiError, requestLocale } from '../http/errors.js';
import { boardRoleOf, memberOf, requireMember, requirePrincipal } from '../http/guards.js';
import type { BoardDirectory } from '../store/account-store.js';
import type { SyncServer } from '../sync/sync-server.js';
import { SHEET_MEDIA_TYPES, SheetReadError, readSheet, writeCsv, writeXlsx } from './spreadsheet-files.js';

/** The largest spreadsheet or Trello export accepted: far above a school's partners or a board, far below what would strain the server. */
export const DEFAULT_MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export interface SheetRouterOptions {
  access: BoardAccess;
  directory: Pick<BoardDirectory, 'createBoard' | 'setBoardMember'>;
  /** The documents, read and written through their rooms (an import is one transaction, stored and relayed like any edit). */
  sync: Pick<SyncServer, 'editDocument' | 'readDocument'>;
  /** Tells the clients who may see a board that the list of boards changed (a Trello import creates one). */
  publishBoardEvent: (event: BoardListEvent) => void;
  /** Largest upload, in bytes (default `DEFAULT_MAX_IMPORT_BYTES`). */
  maxImportBytes?: number;
}

const ExportQuery = z.object({
  format: SheetFormat,
  lang: Locale.optional(),
  /** The columns the reader sees, in their order (keys, comma-separated); all when absent. */
  columns: z.string().max(2000).optional(),
});

const NO_PARTNERS: SheetContext = { partnerName: () => null, partnerIdOf: () => null, agreementCount: () => 0 };

/** `Partenaires 2026-12-02.xlsx`, with an ASCII fallback for old clients. */
function attachment(title: string, format: SheetFormat): string {
  const full = `${title} ${new Date().toISOString().slice(0, 10)}.${format}`;
  const ascii = full.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(full)}`;
}

/** The sorted records of a workspace kind, as the table lists them first. */
function workspaceRecords(workspace: WorkspaceDoc, kind: WorkspaceSheetKind): object[] {
  const byText = (key: string) => (a: Record<string, unknown>, b: Record<string, unknown>) => String(a[key] ?? '').localeCompare(String(b[key] ?? ''), 'fr');
  switch (kind) {
    case 'partners':
      return workspace.partners.list().sort(byText('name'));
    case 'agreements':
      return workspace.agreements.list().sort(byText('title'));
    case 'flows':
      return workspace.mobilities.list().sort(byText('academicYear'));
    case 'targets':
      return workspace.targets.list().sort(byText('academicYear'));
  }
}

export function createSheetRouter(options: SheetRouterOptions): express.Router {
  const { access, sync } = options;
  const maxBytes = options.maxImportBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  const router = express.Router();
  const actorOf = (request: Request) => ({ id: request.principal!.id, name: request.principal!.name });

  /** Parses the export query, in the reader's language on error. */
  const exportQuery = (request: Request) => {
    const parsed = ExportQuery.safeParse(request.query);
    if (!parsed.success) throw new ApiError('invalid_request', [{ path: 'format', message: translate(requestLocale(request), 'error.invalid_request') }]);
    return { ...parsed.data, locale: parsed.data.lang ?? requestLocale(request), columnKeys: parsed.data.columns?.split(',').filter(Boolean) ?? null };
  };
  const send = async (response: express.Response, sheet: Sheet, format: SheetFormat, locale: Locale) => {
    const file = format === 'xlsx' ? await writeXlsx(sheet) : writeCsv(sheet, locale);
    response.status(200).type(SHEET_MEDIA_TYPES[format]).setHeader('Content-Disposition', attachment(sheet.title, format)).send(file);
  };

  router.get('/sheets/:kind', requireMember, async (request, response) => {
    const kind = WorkspaceSheetKind.safeParse(request.params.kind);
    if (!kind.success) throw new ApiError('not_found');
    const query = exportQuery(request);
    const sheet = await sync.readDocument(WORKSPACE_DOC, (doc) => {
      const workspace = new WorkspaceDoc(doc);
      return buildSheet(kind.data, workspaceRecords(workspace, kind.data), { context: workspaceSheetContext(workspace), locale: query.locale, columnKeys: query.columnKeys });
    });
    await send(response, sheet, query.format, query.locale);
  });

  // A board's records, to anyone who may read the board; a partner guest's file never holds internal columns.
  router.get('/boards/:boardId/sheets/:kind', requirePrincipal, async (request, response) => {
    const { boardId } = await boardRoleOf(access, request, 'viewer');
    const kind = BoardSheetKind.safeParse(request.params.kind);
    if (!kind.success) throw new ApiError('not_found');
    const query = exportQuery(request);
    const internal = request.principal!.kind === 'member';
    const records = await sync.readDocument(boardId, async (doc) => {
      const board = new BoardDoc(doc);
      if (kind.data === 'roadmap') return board.roadmap.list().sort((a, b) => (a.startDate ?? '9999').localeCompare(b.startDate ?? '9999') || a.title.localeCompare(b.title));
      if (kind.data === 'actions') return board.actions.list().sort((a, b) => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.title.localeCompare(b.title));
      return board.listProposals().sort((a, b) => a.title.localeCompare(b.title));
    });
    let rows: object[] = records;
    if (kind.data === 'proposals' && internal) {
      rows = await sync.readDocument(internalDocName(boardId), (doc) => {
        const internalDoc = new InternalDoc(doc);
        return records.map((record) => ({ ...record, ...internalDoc.proposalFields((record as { id: string }).id) }));
      });
    }
    await send(response, buildSheet(kind.data, rows, { context: NO_PARTNERS, locale: query.locale, columnKeys: query.columnKeys, internal }), query.format, query.locale);
  });

  /** The uploaded file, read within the size limit; every failure becomes one error in the person's language. */
  const raw = express.raw({ type: () => true, limit: maxBytes });
  const upload: RequestHandler = (request, response, next) => {
    raw(request, response, (error?: unknown) => {
      if (!error) return next();
      const tooLarge = (error as { type?: string }).type === 'entity.too.large';
      const locale = requestLocale(request);
      const message = tooLarge ? translate(locale, 'sheets.error.tooLarge', { max: Math.round(maxBytes / 1024 / 1024) }) : translate(locale, 'sheets.error.unreadable');
      next(new ApiError(tooLarge ? 'payload_too_large' : 'invalid_request', [{ path: 'file', message }]));
    });
  };
  const fileOf = (request: Request): Buffer => {
    const body: unknown = request.body;
    if (Buffer.isBuffer(body) && body.length > 0) return body;
    throw new ApiError('invalid_request', [{ path: 'file', message: translate(requestLocale(request), 'sheets.error.unreadable') }]);
  };
  const tableOf = async (request: Request): Promise<SheetTable> => {
    try {
      return await readSheet(fileOf(request));
    } catch (error) {
      if (!(error instanceof SheetReadError)) throw error;
      const { code, ...params } = error.problem;
      throw new ApiError('invalid_request', [{ path: 'file', message: translate(requestLocale(request), `sheets.error.${code}` as MessageKey, params) }]);
    }
  };
  const importKindOf = (request: Request): ImportKind => {
    const kind = ImportKind.safeParse(request.params.kind);
    if (!kind.success) throw new ApiError('not_found');
    return kind.data;
  };
  const mappingOf = (request: Request, kind: ImportKind, table: SheetTable) => {
    const text = request.query.mapping;
    if (text === undefined) return suggestMapping(kind, table.headings);
    let parsed: ReturnType<typeof ImportMappingParam.safeParse> | null = null;
    try {
      parsed = typeof text === 'string' ? ImportMappingParam.safeParse(JSON.parse(text)) : null;
    } catch {
      parsed = null;
    }
    if (!parsed?.success) throw new ApiError('invalid_request', [{ path: 'mapping', message: translate(requestLocale(request), 'sheets.error.mapping') }]);
    return parsed.data;
  };

  router.post('/sheets/:kind/import/read', requireMember, upload, async (request, response) => {
    const kind = importKindOf(request);
    const table = await tableOf(request);
    const locale = requestLocale(request);
    const body: ImportFileSummary = {
      headings: table.headings,
      mapping: suggestMapping(kind, table.headings),
      columns: importableColumns(kind).map((column) => ({ key: column.key, label: translate(locale, column.label) })),
      rowCount: table.rows.filter((row) => row.some((cell) => cell.trim())).length,
    };
    response.json(body);
  });

  // A dry run reads the workspace and writes nothing.
  router.post('/sheets/:kind/import/dry-run', requireMember, upload, async (request, response) => {
    const kind = importKindOf(request);
    const table = await tableOf(request);
    const mapping = mappingOf(request, kind, table);
    const locale = requestLocale(request);
    const { plan } = await sync.readDocument(WORKSPACE_DOC, (doc) => planImport(new WorkspaceDoc(doc), kind, table, mapping, locale));
    response.json(plan satisfies ImportPlan);
  });

  // Applying plans again against the workspace as it is now, inside the one transaction that writes
  // it: rows are re-validated at apply time, and one error anywhere writes nothing at all.
  router.post('/sheets/:kind/import/apply', requireMember, upload, async (request, response) => {
    const kind = importKindOf(request);
    const table = await tableOf(request);
    const mapping = mappingOf(request, kind, table);
    const locale = requestLocale(request);
    let allowed = true;
    const plan = await sync.editDocument(
      WORKSPACE_DOC,
      (doc) => {
        const workspace = new WorkspaceDoc(doc);
        const planned = planImport(workspace, kind, table, mapping, locale);
        // The record rules the sync endpoint enforces hold for an import too: all of it, or nothing.
        allowed = mayWriteAll(request.principal!, workspace, kind, planned.writes);
        if (allowed && isApplicable(planned.plan)) applyImport(workspace, kind, planned.writes);
        return planned.plan;
      },
      actorOf(request),
    );
    if (!allowed) throw new ApiError('forbidden', [{ path: 'file', message: translate(locale, 'sheets.error.notAllowed') }]);
    if (!isApplicable(plan)) {
      const details = [
        ...plan.problems.map((message) => ({ path: 'file', message })),
        ...plan.rows.flatMap((row) => row.errors.map((error) => ({ path: `line.${row.line}`, message: [error.column, error.message].filter(Boolean).join(' : ') }))),
      ];
      details.unshift({ path: 'file', message: translate(locale, 'sheets.error.notApplied', { count: plan.summary.error }) });
      throw new ApiError('invalid_request', details);
    }
    response.json(plan satisfies ImportPlan);
  });

  router.post('/boards/import/trello', requireMember, upload, async (request, response) => {
    const locale = requestLocale(request);
    let json: unknown;
    try {
      json = JSON.parse(fileOf(request).toString('utf8'));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('invalid_request', [{ path: 'file', message: translate(locale, 'sheets.trello.error.json') }]);
    }
    const trello = TrelloExport.safeParse(json);
    if (!trello.success) throw new ApiError('invalid_request', [{ path: 'file', message: translate(locale, 'sheets.trello.error.shape') }]);
    const me = memberOf(request);
    const now = new Date().toISOString();
    const board: BoardSummary = { id: newId(), title: trello.data.name.slice(0, 120), createdBy: me.id, createdAt: now, updatedAt: now };
    await options.directory.createBoard(board);
    await options.directory.setBoardMember(board.id, me.id, 'owner');
    const counts = await sync.editDocument(board.id, (doc) => importTrelloBoard(new BoardDoc(doc), trello.data, { locale, createdBy: me.id }), actorOf(request));
    options.publishBoardEvent({ type: 'created', board });
    const body: TrelloImportResult & { role: BoardRole } = { boardId: board.id, title: board.title, ...counts, role: 'owner' };
    response.status(201).json(body);
  });

  return router;
}

/** The record kind the workspace's permission rules know an import kind by. */
const RECORD_KIND_OF_IMPORT = { partners: 'partner', agreements: 'agreement', flows: 'mobility', targets: 'target' } as const;

/** Whether `principal` may make every write of an import, each record as it is and as it would be. */
function mayWriteAll(principal: Principal, workspace: WorkspaceDoc, kind: ImportKind, writes: readonly { recordId: string | null; fields: Record<string, unknown> }[]): boolean {
  const collections = { partners: workspace.partners, agreements: workspace.agreements, flows: workspace.mobilities, targets: workspace.targets };
  const collection = collections[kind] as unknown as { get(id: string): Record<string, unknown> | undefined };
  return writes.every((write) => {
    const before = write.recordId ? (collection.get(write.recordId) ?? null) : null;
    return canChangeWorkspaceRecord(principal, RECORD_KIND_OF_IMPORT[kind], { before, after: { ...before, ...write.fields } });
  });
}
