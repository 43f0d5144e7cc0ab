/**
 * Spreadsheet imports through a real server: a file's headings suggest where each column goes; a
 * dry run shows per row what would be created or changed and every error in the person's
 * language, and writes nothing; applying writes all of it in one transaction, live for everyone
 * on the workspace, or nothing when one row is wrong; guests may not import; bad files get a clear error.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_DOC, type ApiErrorBody, type ImportFileSummary, type ImportPlan } from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { download, serverHasPartners, upload, workspaceClient, xlsxOf, xlsxRows } from '../helpers/sheets.js';
import { syncedClient } from '../helpers/sync-client.js';
import { adminToken, createBoard, createMember, eventually, joinAsGuest } from '../helpers/test-server.js';

const FRENCH = { 'accept-language': 'fr' };

describe('spreadsheet imports', () => {
  const ctx = serverPerTest({ env: {} });

  const seed = async (token: string) => {
    const workspace = await workspaceClient(ctx.server.url, token, ctx.track);
    const porto = workspace.partners.create({ name: 'Universidade do Porto', region: 'eu', country: 'PT', city: 'Porto', erasmusCode: 'P  PORTO02' });
    const laval = workspace.partners.create({ name: 'Université Laval', region: 'north_america', country: 'CA', city: 'Québec' });
    await serverHasPartners(ctx.server.url, token, ['Universidade do Porto', 'Université Laval']);
    return { workspace, porto, laval };
  };
  /** The workspace as the server stores it, to prove a step wrote nothing. */
  const serverState = async (token: string) => {
    const { doc } = await syncedClient(ctx.server.url, WORKSPACE_DOC, token, ctx.track);
    return Y.encodeStateVector(doc).toString();
  };

  const partnersFile = () =>
    xlsxOf([
      ['Nom', 'Code Erasmus', 'Ville', 'Région du monde', 'Remarque'],
      ['Universidade do Porto', 'P  PORTO02', 'Porto', 'Union européenne', 'unchanged'],
      ['Laval University', '', 'Quebec City', 'North America', 'renamed? no: a new one'],
      ['Politecnico di Milano', 'I  MILANO02', 'Milano', 'European Union', 'new'],
    ]);

  it('reads a file’s headings and suggests where each goes, by label in either language', async () => {
    const token = await adminToken(ctx.server.url);
    const response = await upload<ImportFileSummary>(ctx.server.url, '/api/sheets/partners/import/read', await partnersFile(), { token, headers: FRENCH });
    expect(response.status).toBe(200);
    expect(response.body.headings).toEqual(['Nom', 'Code Erasmus', 'Ville', 'Région du monde', 'Remarque']);
    expect(response.body.mapping).toEqual({ Nom: 'name', 'Code Erasmus': 'erasmusCode', Ville: 'city', 'Région du monde': 'region', Remarque: null });
    expect(response.body.rowCount).toBe(3);
    expect(response.body.columns.map((column) => column.label)).toContain('Nom dans sa langue');
  });

  it('shows in a dry run what each row would create or change, matching partners by Erasmus code or name, and writes nothing', async () => {
    const token = await adminToken(ctx.server.url);
    const { porto } = await seed(token);
    const before = await serverState(token);
    const file = await xlsxOf([
      ['Name', 'Erasmus code', 'City', 'Country (code)'],
      ['U. Porto (renamed)', 'P  PORTO02', 'Porto', 'PT'],
      ['Université Laval', '', 'Québec', 'CA'],
      ['Politecnico di Milano', 'I  MILANO02', 'Milano', 'IT'],
    ]);
    const response = await upload<ImportPlan>(ctx.server.url, '/api/sheets/partners/import/dry-run', file, { token, headers: FRENCH });
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ create: 1, update: 1, unchanged: 1, error: 0 });
    expect(response.body.rows.map((row) => [row.line, row.action, row.recordId === porto ? 'porto' : row.recordId === null ? null : 'other'])).toEqual([
      [2, 'update', 'porto'],
      [3, 'unchanged', 'other'],
      [4, 'create', null],
    ]);
    expect(response.body.rows[0]!.changes).toEqual([{ column: 'Nom', from: 'Universidade do Porto', to: 'U. Porto (renamed)' }]);
    expect(response.body.rows[2]!.changes.map((change) => change.column)).toEqual(['Nom', 'Pays (code)', 'Ville', 'Code Erasmus']);
    expect(await serverState(token)).toBe(before);
  });

  it('lists every error of every row in the person’s language', async () => {
    const token = await adminToken(ctx.server.url);
    await seed(token);
    const csv = ['Title;Partner;Status;From year', 'Erasmus+ Porto;Universidade do Porto;Signed;2025/2026', 'Mystery;Nowhere University;Lost;2025-2026', ';Université Laval;Draft;'].join('\r\n');
    const response = await upload<ImportPlan>(ctx.server.url, '/api/sheets/agreements/import/dry-run', csv, { token, headers: FRENCH });
    expect(response.status).toBe(200);
    expect(response.body.rows.map((row) => row.action)).toEqual(['create', 'error', 'error']);
    expect(response.body.rows[1]!.errors).toEqual([
      { column: 'Partenaire', message: 'Aucun partenaire de l’espace ne porte ce nom ni ce code Erasmus.' },
      { column: 'État', message: 'Cette valeur ne fait pas partie de la liste.' },
      { column: 'De l’année', message: 'Écrivez l’année universitaire sous la forme 2025/2026 (deux années consécutives).' },
    ]);
    expect(response.body.rows[2]!.errors).toEqual([{ column: 'Intitulé', message: 'Obligatoire.' }]);
  });

  it('refuses to plan when a column every row needs is not taken from the file', async () => {
    const token = await adminToken(ctx.server.url);
    const mapping = encodeURIComponent(JSON.stringify({ Nom: null, Ville: 'city' }));
    const response = await upload<ImportPlan>(ctx.server.url, `/api/sheets/partners/import/dry-run?mapping=${mapping}`, 'Nom;Ville\r\nPorto;Porto', { token, headers: FRENCH });
    expect(response.body.problems).toEqual(['La colonne « Nom » doit être prise dans une colonne du fichier.']);
    expect(response.body.rows).toEqual([]);
  });

  it('applies every row in one change that a person on the workspace sees live', async () => {
    const token = await adminToken(ctx.server.url);
    const { workspace, porto } = await seed(token);
    const exported = await download(ctx.server.url, '/api/sheets/partners?format=xlsx&lang=en', { token });
    const rows = await xlsxRows(exported.bytes);
    const portoRow = rows.find((row) => row[0] === 'Universidade do Porto')!;
    portoRow[5] = 'Porto (Asprela)';
    rows.push(['Politecnico di Milano', null, 'University', 'European Union', 'IT', 'Milano', 'Chemistry', 'I  MILANO02']);
    const file = await xlsxOf(rows.map((row) => row.map((cell) => (cell === undefined ? null : (cell as string | number)))));
    let transactions = 0;
    workspace.doc.on('afterTransaction', (transaction) => {
      if (!transaction.local) transactions += 1;
    });
    const response = await upload<ImportPlan>(ctx.server.url, '/api/sheets/partners/import/apply', file, { token });
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ create: 1, update: 1, unchanged: 1, error: 0 });
    await eventually(() => workspace.partners.list().length === 3);
    expect(workspace.partners.get(porto)?.city).toBe('Porto (Asprela)');
    expect(workspace.partners.list().find((partner) => partner.name === 'Politecnico di Milano')).toMatchObject({ erasmusCode: 'I  MILANO02', country: 'IT', specialties: ['Chemistry'] });
    expect(transactions).toBe(1);
  });

  it('applies nothing when one row is wrong, re-checking the rows when applied', async () => {
    const token = await adminToken(ctx.server.url);
    await seed(token);
    const before = await serverState(token);
    const csv = ['Name,City,Erasmus code', 'Universidade do Porto,Porto (Asprela),', 'Politecnico di Milano,Milano,I  MILANO02', 'Broken,Nowhere,not a code'].join('\n');
    const response = await upload<ApiErrorBody>(ctx.server.url, '/api/sheets/partners/import/apply', csv, { token, headers: FRENCH });
    expect(response.status).toBe(400);
    expect(response.body.error.details?.[0]?.message).toBe('Rien n’a été importé (lignes en erreur : 1). Corrigez le fichier et réessayez.');
    expect(response.body.error.details?.[1]).toEqual({ path: 'line.4', message: expect.stringContaining('Code Erasmus : Un code Erasmus') });
    expect(await serverState(token)).toBe(before);
  });

  it('imports mobility targets and flows, matched by year, direction, population and purpose', async () => {
    const token = await adminToken(ctx.server.url);
    const { workspace } = await seed(token);
    const target = workspace.targets.create({ academicYear: '2026/2027', direction: 'outgoing', population: 'student', purpose: 'study', target: 10 });
    await eventually(async () => (await download(ctx.server.url, '/api/sheets/targets?format=csv&lang=en', { token })).bytes.toString().includes('2026/2027'));
    const csv = ['Academic year,Direction,Who,Purpose,Target', '2026/2027,Outgoing,Students,Study,14', '2026/2027,Incoming,Students,Study,6'].join('\n');
    const response = await upload<ImportPlan>(ctx.server.url, '/api/sheets/targets/import/apply', csv, { token });
    expect(response.body.rows.map((row) => [row.action, row.recordId === target])).toEqual([
      ['update', true],
      ['create', false],
    ]);
    await eventually(() => workspace.targets.get(target)?.target === 14 && workspace.targets.list().length === 2);

    const flows = ['Academic year;Direction;Partner;Planned;Realised', '2026/2027;Sortante;P  PORTO02;4;', '2026/2027;Entrante;Université Laval;2;1'].join('\n');
    const applied = await upload<ImportPlan>(ctx.server.url, '/api/sheets/flows/import/apply', flows, { token });
    expect(applied.body.summary).toEqual({ create: 2, update: 0, unchanged: 0, error: 0 });
    await eventually(() => workspace.mobilities.list().length === 2);
    expect(workspace.mobilities.list().map((flow) => [flow.direction, flow.planned, flow.realised]).sort()).toEqual([
      ['incoming', 2, 1],
      ['outgoing', 4, null],
    ]);
  });

  it('refuses an import of records the person may not change, writing none of it', async () => {
    const token = await adminToken(ctx.server.url);
    await seed(token);
    const before = await serverState(token);
    const member = await createMember(ctx.server.url, 'lecturer', ['studies']);
    const csv = ['Name,City', 'Universidade do Porto,Porto (Asprela)', 'Politecnico di Milano,Milano'].join('\n');
    const response = await upload<ApiErrorBody>(ctx.server.url, '/api/sheets/partners/import/apply', csv, { token: member.token, headers: FRENCH });
    expect(response.status).toBe(403);
    expect(response.body.error.details?.[0]?.message).toMatch(/^Vous ne pouvez pas modifier ces fiches/);
    expect(await serverState(token)).toBe(before);
  });

  it('does not let a partner guest import, nor anyone signed out', async () => {
    const token = await adminToken(ctx.server.url);
    const boardId = await createBoard(ctx.server.url, token);
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { token }, boardId, role: 'editor' });
    const csv = 'Name\nIntruder University';
    for (const step of ['read', 'dry-run', 'apply']) {
      expect((await upload(ctx.server.url, `/api/sheets/partners/import/${step}`, csv, { cookie: guest.cookie })).status).toBe(403);
      expect((await upload(ctx.server.url, `/api/sheets/partners/import/${step}`, csv, {})).status).toBe(401);
    }
    expect((await upload(ctx.server.url, '/api/boards/import/trello', '{}', { cookie: guest.cookie })).status).toBe(403);
  });

  it('answers a file that is not a spreadsheet, an empty one, a bad mapping and a too large one with a clear error', async () => {
    const token = await adminToken(ctx.server.url);
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x00, 0x01]);
    const unreadable = await upload<ApiErrorBody>(ctx.server.url, '/api/sheets/partners/import/read', binary, { token, headers: FRENCH });
    expect(unreadable.status).toBe(400);
    expect(unreadable.body.error.details?.[0]?.message).toBe('Ce fichier n’a pas pu être lu : déposez un fichier CSV (UTF-8) ou un classeur Excel (.xlsx).');
    const brokenZip = await upload<ApiErrorBody>(ctx.server.url, '/api/sheets/partners/import/read', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 7)]), { token });
    expect(brokenZip.body.error.details?.[0]?.message).toBe('This file could not be read: upload a CSV file (UTF-8) or an Excel workbook (.xlsx).');
    const empty = await upload<ApiErrorBody>(ctx.server.url, '/api/sheets/partners/import/read', '\n\n', { token });
    expect(empty.body.error.details?.[0]?.message).toBe('This file has no headings: its first line must name its columns.');
    const badMapping = await upload<ApiErrorBody>(ctx.server.url, '/api/sheets/partners/import/dry-run?mapping=%7Bnot-json', 'Name\nX', { token });
    expect(badMapping.body.error.details?.[0]?.message).toBe('The choice of columns could not be read.');
    const huge = await upload<ApiErrorBody>(ctx.server.url, '/api/sheets/partners/import/read', Buffer.alloc(6 * 1024 * 1024, 'a'), { token, headers: FRENCH });
    expect(huge.status).toBe(413);
    expect(huge.body.error.details?.[0]?.message).toBe('Ce fichier est trop volumineux (5 Mo au plus).');
  });
});
