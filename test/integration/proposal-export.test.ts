/**
 * A board's proposals over HTTP: the list with progress, and the export as Word (read back with
 * mammoth) and PDF (read back with Debian's pdftotext) in French and English, for a member (every
 * section) and a partner guest (never an internal section); refusals in the caller's language.
 */
import { spawnSync } from 'node:child_process';
import mammoth from 'mammoth';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ProposalDoc,
  WORKSPACE_DOC,
  WorkspaceDoc,
  proposalDocName,
  proposalInternalDocName,
  type ProposalListResponse,
  type RichBlock,
} from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { TEST_ACTOR, addCard, proposalPerTest, writeSection } from '../helpers/proposals.js';
import { createMember, joinAsGuest } from '../helpers/test-server.js';

/** The French text of the first shared section: every kind of block the editor writes. */
const CONTEXT_FR: RichBlock[] = [
  { type: 'heading', level: 2, runs: [{ text: 'Une école de chimie verte' }] },
  {
    type: 'paragraph',
    runs: [
      { text: 'L’ESCOM forme des ingénieurs en ' },
      { text: 'chimie durable', bold: true },
      { text: ' avec l’' },
      { text: 'Universidade do Porto', italic: true, link: 'https://www.up.pt/' },
      { text: ', cœur du projet.' },
    ],
  },
  { type: 'list', ordered: false, items: [[{ type: 'paragraph', runs: [{ text: 'Mobilité des étudiants' }] }], [{ type: 'paragraph', runs: [{ text: 'Mobilité du personnel' }] }]] },
  { type: 'list', ordered: true, items: [[{ type: 'paragraph', runs: [{ text: 'Cadrage avec le SRI' }] }], [{ type: 'paragraph', runs: [{ text: 'Signature de l’accord' }] }]] },
  {
    type: 'table',
    rows: [
      { header: true, cells: [[{ type: 'paragraph', runs: [{ text: 'Lot de travail' }] }], [{ type: 'paragraph', runs: [{ text: 'Responsable' }] }]] },
      { header: false, cells: [[{ type: 'paragraph', runs: [{ text: 'Catalyse biosourcée' }] }], [{ type: 'paragraph', runs: [{ text: 'Direction de la recherche' }] }]] },
    ],
  },
];
const CONTEXT_EN: RichBlock[] = [{ type: 'paragraph', runs: [{ text: 'ESCOM trains engineers in sustainable chemistry with the University of Porto.' }] }];
const BUDGET_FR: RichBlock[] = [{ type: 'paragraph', runs: [{ text: 'Forfait confidentiel de 250 000 euros' }] }];

/** The text pdftotext reads from a PDF. */
function pdfText(pdf: Buffer): string {
  const result = spawnSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf });
  if (result.status !== 0) throw new Error(`pdftotext failed: ${result.stderr.toString()}`);
  return result.stdout.toString('utf8');
}

describe('proposal export', () => {
  const ctx = serverPerTest();
  const given = proposalPerTest(ctx, 'GREENPATH : chimie verte et mobilité', async () => ({
    partnerIds: [await ctx.server.sync.editDocument(WORKSPACE_DOC, (doc) => new WorkspaceDoc(doc).partners.create({ name: 'Universidade do Porto', region: 'eu' }), TEST_ACTOR)],
  }));
  let sharedTitles: { fr: string; en: string }[];
  let internalTitles: { fr: string; en: string }[];

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${ctx.server.url}${path}`, { headers: { authorization: `Bearer ${given.token}`, ...headers } });

  beforeEach(async () => {
    const shared = await writeSection(ctx.server, proposalDocName(given.boardId, given.cardId), 0, { fr: CONTEXT_FR, en: CONTEXT_EN });
    await ctx.server.sync.editDocument(proposalDocName(given.boardId, given.cardId), (doc) => new ProposalDoc(doc).setStatus(shared.sectionId, 'done'), TEST_ACTOR);
    sharedTitles = shared.titles;
    internalTitles = (await writeSection(ctx.server, proposalInternalDocName(given.boardId, given.cardId), 0, { fr: BUDGET_FR })).titles;
  });

  it('lists the board’s proposals with their progress, internal sections included for members', async () => {
    const response = await get(`/api/boards/${given.boardId}/proposals`);
    expect(response.status).toBe(200);
    const { proposals } = (await response.json()) as ProposalListResponse;
    expect(proposals).toEqual([
      {
        cardId: given.cardId,
        title: 'GREENPATH : chimie verte et mobilité',
        actionType: 'strategic_partnership',
        stage: 'submitted',
        templateId: expect.any(String),
        progress: { sections: sharedTitles.length + internalTitles.length, done: 1, overLimit: 0, overdue: 0, outOfDate: expect.any(Number) },
      },
    ]);
  });

  it('lists a proposal with no template with no sections, and opens none of its documents to do so', async () => {
    const mobility = await addCard(ctx.server, given.boardId, 'Mobilité courte', { actionType: 'mobility_agreement' });
    const { proposals } = (await (await get(`/api/boards/${given.boardId}/proposals`)).json()) as ProposalListResponse;
    expect(proposals.find((proposal) => proposal.cardId === mobility)).toMatchObject({
      templateId: null,
      progress: { sections: 0, done: 0, overLimit: 0, overdue: 0, outOfDate: 0 },
    });
    expect(ctx.server.sync.openBoards.filter((name) => name.includes(mobility))).toEqual([]);
  });

  it('exports a Word document in French that opens and holds the cover, every section, its headings, lists, table, marks and link', async () => {
    const response = await get(`/api/boards/${given.boardId}/proposals/${given.cardId}/export?format=docx&lang=fr`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    // A colon may not stand in a file name: it becomes a space, the accents stay in the UTF-8 name.
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="GREENPATH chimie verte et mobilite (fr).docx"; filename*=UTF-8''GREENPATH%20chimie%20verte%20et%20mobilit%C3%A9%20(fr).docx`);
    const buffer = Buffer.from(await response.arrayBuffer());

    const { value: text } = await mammoth.extractRawText({ buffer });
    for (const expected of ['GREENPATH : chimie verte et mobilité', 'Universidade do Porto', 'Une école de chimie verte', 'chimie durable', 'Mobilité des étudiants', 'Signature de l’accord', 'Catalyse biosourcée', 'Forfait confidentiel de 250 000 euros']) {
      expect(text).toContain(expected);
    }
    for (const title of [...sharedTitles, ...internalTitles]) expect(text).toContain(title.fr);

    const { value: html } = await mammoth.convertToHtml({ buffer });
    expect(html).toContain(`<h1>${sharedTitles[0]!.fr}</h1>`);
    // The text's own headings sit one level under the section's title.
    expect(html).toContain('<h3>Une école de chimie verte</h3>');
    // Each mark on its run only.
    expect(html).toContain('L’ESCOM forme des ingénieurs en <strong>chimie durable</strong> avec l’<a href="https://www.up.pt/"><em>Universidade do Porto</em></a>, cœur du projet.');
    expect(html).toMatch(/<ul><li>Mobilité des étudiants<\/li><li>Mobilité du personnel<\/li><\/ul>/);
    expect(html).toMatch(/<ol><li>Cadrage avec le SRI<\/li><li>Signature de l’accord<\/li><\/ol>/);
    expect(html).toContain('<table><thead><tr><th><p>Lot de travail</p></th><th><p>Responsable</p></th></tr></thead><tbody><tr><td><p>Catalyse biosourcée</p></td><td><p>Direction de la recherche</p></td></tr></tbody></table>');
  });

  it('exports a PDF in English whose text reads back, accents included', async () => {
    const response = await get(`/api/boards/${given.boardId}/proposals/${given.cardId}/export?format=pdf&lang=en`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    // Lines wrap where the page ends them: compare with white space folded.
    const text = pdfText(Buffer.from(await response.arrayBuffer())).replace(/\s+/g, ' ');
    expect(text).toContain('GREENPATH : chimie verte et mobilité');
    expect(text).toContain('ESCOM trains engineers in sustainable chemistry with the University of Porto.');
    for (const title of [...sharedTitles, ...internalTitles]) expect(text).toContain(title.en);
    expect(text).toContain('Not written yet.');

    const french = pdfText(Buffer.from(await (await get(`/api/boards/${given.boardId}/proposals/${given.cardId}/export?format=pdf&lang=fr`)).arrayBuffer()));
    for (const expected of ['L’ESCOM forme des ingénieurs en chimie durable', 'cœur du projet', 'Catalyse biosourcée', 'Forfait confidentiel de 250 000 euros']) {
      expect(french.replace(/\s+/g, ' ')).toContain(expected);
    }
  });

  it('never gives a partner guest an internal section, in the list or in either export', async () => {
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: given.token }, boardId: given.boardId, role: 'viewer' });
    const asGuest = (path: string) => fetch(`${ctx.server.url}${path}`, { headers: { cookie: guest.cookie } });

    const list = (await (await asGuest(`/api/boards/${given.boardId}/proposals`)).json()) as ProposalListResponse;
    expect(list.proposals[0]!.progress.sections).toBe(sharedTitles.length);

    const docx = await asGuest(`/api/boards/${given.boardId}/proposals/${given.cardId}/export?format=docx&lang=fr`);
    expect(docx.status).toBe(200);
    const { value: docxText } = await mammoth.extractRawText({ buffer: Buffer.from(await docx.arrayBuffer()) });
    const pdf = await asGuest(`/api/boards/${given.boardId}/proposals/${given.cardId}/export?format=pdf&lang=en`);
    expect(pdf.status).toBe(200);
    const pdfContent = pdfText(Buffer.from(await pdf.arrayBuffer()));

    expect(docxText).toContain('Catalyse biosourcée');
    expect(docxText).not.toContain('Forfait confidentiel');
    for (const title of internalTitles) {
      expect(docxText).not.toContain(title.fr);
      expect(pdfContent.replace(/\s+/g, ' ')).not.toContain(title.en);
    }
  });

  it('refuses in the caller’s language a wrong format or language, and says 404 for a card that is no proposal or a board one may not see', async () => {
    const badFormat = await get(`/api/boards/${given.boardId}/proposals/${given.cardId}/export?format=odt`, { 'accept-language': 'fr' });
    expect(badFormat.status).toBe(400);
    const body = (await badFormat.json()) as { error: { code: string; message: string; details: { message: string }[] } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details.map((detail) => detail.message)).toEqual(['Choisissez le format d’export : docx (Word) ou pdf.']);
    const badLanguage = await get(`/api/boards/${given.boardId}/proposals/${given.cardId}/export?format=pdf&lang=de`, { 'accept-language': 'en' });
    expect(badLanguage.status).toBe(400);
    expect(((await badLanguage.json()) as { error: { details: { message: string }[] } }).error.details[0]!.message).toBe('Choose the export language: fr or en.');

    const noteId = await addCard(ctx.server, given.boardId, 'Une note', null);
    expect((await get(`/api/boards/${given.boardId}/proposals/${noteId}/export?format=pdf`)).status).toBe(404);
    expect((await get(`/api/boards/${given.boardId}/proposals/AAAAAAAAAAAAAAAAAAAAA/export?format=pdf`)).status).toBe(404);
    expect((await get(`/api/boards/${given.boardId}/proposals/..%2F..%2Fworkspace/export?format=pdf`)).status).toBe(404);

    expect((await fetch(`${ctx.server.url}/api/boards/${given.boardId}/proposals/${given.cardId}/export?format=pdf`)).status).toBe(401);
    const admin = await fetch(`${ctx.server.url}/api/boards/${given.boardId}/sharing`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${given.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workspaceAccess: 'none' }),
    });
    expect(admin.status).toBe(204);
    const outsider = await createMember(ctx.server.url, 'olivier', ['studies']);
    const refused = await fetch(`${ctx.server.url}/api/boards/${given.boardId}/proposals/${given.cardId}/export?format=docx`, { headers: { authorization: `Bearer ${outsider.token}` } });
    expect(refused.status).toBe(404);
    expect((await fetch(`${ctx.server.url}/api/boards/${given.boardId}/proposals`, { headers: { authorization: `Bearer ${outsider.token}` } })).status).toBe(404);
  });
});
