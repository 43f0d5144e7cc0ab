/**
 * The spreadsheet columns and import plan without a server: cells read back whatever language the
 * file was written in, headings suggest their column, a sheet holds the columns asked for, and a
 * plan catches two rows naming one record and writes nothing by itself.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { AGREEMENT_COLUMNS, FLOW_COLUMNS, PARTNER_COLUMNS, PROPOSAL_COLUMNS, WorkspaceDoc, buildSheet, parseCell, planImport, suggestMapping, type SheetContext } from '@passerelle/shared';

const context: SheetContext = { partnerName: () => 'Porto', partnerIdOf: (text) => (text === 'Porto' ? 'p1' : null), agreementCount: () => 2 };
const column = (columns: readonly { key: string }[], key: string) => columns.find((candidate) => candidate.key === key) as never;

describe('spreadsheet cells', () => {
  it('reads an enum from its value or its label in French or English, and refuses anything else', () => {
    const kind = column(PARTNER_COLUMNS, 'kind');
    expect(parseCell(kind, 'Laboratoire de recherche', context)).toEqual({ value: 'research_lab' });
    expect(parseCell(kind, ' research lab ', context)).toEqual({ value: 'research_lab' });
    expect(parseCell(kind, 'company', context)).toEqual({ value: 'company' });
    expect(parseCell(kind, 'Castle', context)).toEqual({ error: 'sheets.error.option' });
  });

  it('reads numbers written the French way, and says what an empty cell means per column', () => {
    const planned = column(FLOW_COLUMNS, 'planned');
    expect(parseCell(planned, '1 234,5', context)).toEqual({ value: 1234.5 });
    expect(parseCell(planned, 'douze', context)).toEqual({ error: 'sheets.error.number' });
    expect(parseCell(planned, '', context)).toEqual({ skip: true });
    expect(parseCell(column(FLOW_COLUMNS, 'realised'), ' ', context)).toEqual({ value: null });
    expect(parseCell(column(PARTNER_COLUMNS, 'specialties'), 'Chimie; Procédés, ', context)).toEqual({ value: ['Chimie', 'Procédés'] });
    expect(parseCell(column(AGREEMENT_COLUMNS, 'partner'), 'Porto', context)).toEqual({ value: 'p1' });
    expect(parseCell(column(AGREEMENT_COLUMNS, 'partner'), 'Lisboa', context)).toEqual({ error: 'sheets.error.unknownPartner' });
  });

  it('suggests a column for each heading that names one in either language, once each', () => {
    expect(suggestMapping('partners', ['Nom', 'Name', 'City', 'Code Erasmus', 'Accords', 'Comment'])).toEqual({
      Nom: 'name',
      Name: null,
      City: 'city',
      'Code Erasmus': 'erasmusCode',
      // A computed column is exported, never imported.
      Accords: null,
      Comment: null,
    });
  });

  it('builds a sheet of the columns asked for, in their order, without internal columns unless allowed', () => {
    const sheet = buildSheet('partners', [{ id: 'p1', name: 'Porto', kind: 'university', region: 'eu', specialties: [] }], { context, locale: 'en', columnKeys: ['agreements', 'name', 'nope'] });
    expect(sheet).toEqual({ title: 'Partners', headings: ['Agreements', 'Name'], rows: [[2, 'Porto']] });
    const proposal = { id: 'c1', title: 'Summer school', budgetEstimate: 5000, priorities: [], policyObjectives: [] };
    expect(buildSheet('proposals', [proposal], { context, locale: 'en' }).headings).not.toContain('Estimated budget (€)');
    expect(buildSheet('proposals', [proposal], { context, locale: 'en', internal: true }).rows[0]).toContain(5000);
    expect(PROPOSAL_COLUMNS.filter((candidate) => candidate.internal).map((candidate) => candidate.key)).toEqual(['budgetEstimate']);
  });
});

describe('import plan', () => {
  it('refuses a second row naming the same record, and writes nothing while planning', () => {
    const workspace = new WorkspaceDoc(new Y.Doc());
    workspace.partners.create({ name: 'Universidade do Porto', erasmusCode: 'P  PORTO02' });
    const before = Y.encodeStateAsUpdate(workspace.doc);
    const { plan, writes } = planImport(
      workspace,
      'partners',
      { headings: ['Name', 'Erasmus code', 'City'], rows: [['U. Porto', 'P  PORTO02', 'Porto'], ['Universidade do Porto', '', 'Porto'], ['Milano', 'I  MILANO02', ''], ['Milan', 'i  milano02', '']] },
      { Name: 'name', 'Erasmus code': 'erasmusCode', City: 'city' },
      'en',
    );
    expect(plan.rows.map((row) => [row.line, row.action, row.errors.map((error) => error.message)])).toEqual([
      [2, 'update', []],
      [3, 'error', ['Line 2 already names this record.']],
      [4, 'create', []],
      [5, 'error', ['Line 4 already names this record.']],
    ]);
    expect(writes).toHaveLength(2);
    expect(Y.encodeStateAsUpdate(workspace.doc)).toEqual(before);
  });
});
