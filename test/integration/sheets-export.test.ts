/**
 * Spreadsheet exports through a real server: the workspace's partners, agreements, flows and
 * targets, and a board's action items and proposals, as CSV and XLSX with the columns the reader
 * sees, headed and labelled in their language; read back with exceljs and a CSV parser.
 */
import { describe, expect, it } from 'vitest';
import { AGREEMENT_COLUMNS, BoardDoc, PARTNER_COLUMNS, translate, type MessageKey } from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { csvRows, download, serverHasPartners, workspaceClient, xlsxRows } from '../helpers/sheets.js';
import { syncedClient } from '../helpers/sync-client.js';
import { adminToken, createBoard, eventually, joinAsGuest } from '../helpers/test-server.js';

describe('spreadsheet exports', () => {
  const ctx = serverPerTest();

  const seed = async (token: string) => {
    const workspace = await workspaceClient(ctx.server.url, token, ctx.track);
    const porto = workspace.partners.create({ name: 'Universidade do Porto', kind: 'university', region: 'eu', country: 'PT', city: 'Porto', specialties: ['Chemistry', 'Process engineering'], erasmusCode: 'P  PORTO02' });
    workspace.partners.create({ name: 'Université Laval', kind: 'university', region: 'north_america', country: 'CA', city: 'Québec' });
    workspace.agreements.create({ title: 'Erasmus+ Porto', partnerId: porto, type: 'inter_institutional_mobility', status: 'signed', fromYear: '2025/2026', toYear: '2027/2028' });
    workspace.targets.create({ academicYear: '2026/2027', direction: 'outgoing', population: 'student', purpose: 'study', target: 12 });
    await serverHasPartners(ctx.server.url, token, ['Universidade do Porto', 'Université Laval']);
    return { workspace, porto };
  };

  it('exports the partners to XLSX with every column headed and labelled in French', async () => {
    const token = await adminToken(ctx.server.url);
    await seed(token);
    const file = await download(ctx.server.url, '/api/sheets/partners?format=xlsx&lang=fr', { token });
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.disposition).toMatch(/^attachment; filename="Partenaires \d{4}-\d{2}-\d{2}\.xlsx"/);
    const [headings, ...rows] = await xlsxRows(file.bytes);
    expect(headings).toEqual(PARTNER_COLUMNS.map((column) => translate('fr', column.label)));
    expect(headings?.slice(0, 3)).toEqual(['Nom', 'Nom dans sa langue', 'Type']);
    // Sorted by name; enums by their French label, lists joined, counts as numbers, empty cells empty.
    expect(rows[0]).toEqual(['Universidade do Porto', undefined, 'Université', 'Union européenne', 'PT', 'Porto', 'Chemistry, Process engineering', 'P  PORTO02', undefined, 1]);
    expect(rows[1]?.[0]).toBe('Université Laval');
    expect(rows[1]?.[3]).toBe(translate('fr', 'region.north_america'));
  });

  it('exports the agreements to CSV in English with commas, and in French with semicolons', async () => {
    const token = await adminToken(ctx.server.url);
    await seed(token);
    const english = await download(ctx.server.url, '/api/sheets/agreements?format=csv&lang=en', { token });
    expect(english.type).toBe('text/csv; charset=utf-8');
    expect(english.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csvRows(english.bytes, ',')).toEqual([
      AGREEMENT_COLUMNS.map((column) => translate('en', column.label)),
      ['Erasmus+ Porto', 'Universidade do Porto', 'Inter-institutional mobility', 'Signed', '2025/2026', '2027/2028', '0'],
    ]);
    const french = await download(ctx.server.url, '/api/sheets/agreements?format=csv&lang=fr', { token });
    expect(csvRows(french.bytes, ';')[1]?.slice(2, 4)).toEqual([translate('fr', 'agreementType.inter_institutional_mobility'), 'Signé']);
  });

  it('exports only the columns the person sees, in their order', async () => {
    const token = await adminToken(ctx.server.url);
    await seed(token);
    const file = await download(ctx.server.url, '/api/sheets/targets?format=csv&lang=en&columns=target,academicYear', { token });
    expect(csvRows(file.bytes, ',')).toEqual([
      ['Target', 'Academic year'],
      ['12', '2026/2027'],
    ]);
  });

  it('exports a board’s action items, and its proposals with the budget for members only', async () => {
    const token = await adminToken(ctx.server.url);
    const boardId = await createBoard(ctx.server.url, token, 'Mobilités 2026');
    const { doc } = await syncedClient(ctx.server.url, boardId, token, ctx.track);
    const board = new BoardDoc(doc);
    board.actions.create({ title: 'Send the learning agreement', ownerName: 'Léa', department: 'studies', dueDate: '2026-03-01', done: true, policyObjectives: ['3.1'] });
    const column = board.addColumn('Ideas');
    const card = board.addCard(column, { title: 'Summer school with Porto', createdBy: 'admin' });
    board.convertToProposal(card);
    const internal = await syncedClient(ctx.server.url, `${boardId}/internal`, token, ctx.track);
    const { InternalDoc } = await import('@passerelle/shared');
    new InternalDoc(internal.doc).updateProposal(card, { budgetEstimate: 12000 });

    await eventually(async () => (await download(ctx.server.url, `/api/boards/${boardId}/sheets/actions?format=csv&lang=en`, { token })).bytes.toString().includes('learning agreement'));
    const actions = csvRows((await download(ctx.server.url, `/api/boards/${boardId}/sheets/actions?format=csv&lang=fr`, { token })).bytes, ';');
    expect(actions[0]).toEqual(['Action', 'Responsable', 'Service', 'Échéance', 'Faite', 'Origine', 'Priorités de la stratégie', translate('fr', 'coverage.field')]);
    expect(actions[1]).toEqual(['Send the learning agreement', 'Léa', translate('fr', 'department.short.studies'), '2026-03-01', 'Oui', translate('fr', 'actionSource.manual'), 'P3', '3.1']);

    await eventually(async () => (await download(ctx.server.url, `/api/boards/${boardId}/sheets/proposals?format=csv&lang=en`, { token })).bytes.toString().includes('12000'));
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { token }, boardId, role: 'viewer' });
    const seenByGuest = csvRows((await download(ctx.server.url, `/api/boards/${boardId}/sheets/proposals?format=csv&lang=en`, { cookie: guest.cookie })).bytes, ',');
    expect(seenByGuest[0]).not.toContain(translate('en', 'proposal.budget' as MessageKey));
    expect(seenByGuest[1]?.[0]).toBe('Summer school with Porto');
    expect(seenByGuest.flat()).not.toContain('12000');
  });

  it('refuses the workspace’s records to a partner guest and an unknown kind or format', async () => {
    const token = await adminToken(ctx.server.url);
    const boardId = await createBoard(ctx.server.url, token);
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { token }, boardId });
    expect((await download(ctx.server.url, '/api/sheets/partners?format=csv', { cookie: guest.cookie })).status).toBe(403);
    expect((await download(ctx.server.url, '/api/sheets/people?format=csv', { token })).status).toBe(404);
    expect((await download(ctx.server.url, '/api/sheets/partners?format=pdf', { token })).status).toBe(400);
  });
});
