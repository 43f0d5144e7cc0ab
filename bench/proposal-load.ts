/**
 * A 40-page proposal on the server: how long a stock client takes to sync its document, and how long
 * its Word and PDF exports take, for a proposal of about 100,000 characters (the shared sections of
 * a cooperation partnership, French and English) against a reference proposal of about 5,000
 * characters, measured interleaved in the same invocation (same machine, same server).
 *
 *   npm run build && node --import tsx bench/proposal-load.ts [--runs 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { BoardDoc, ProposalDoc, plainText, proposalDocName, writeRichText, type RichBlock } from '@passerelle/shared';
import { startServerProcess } from '../test/helpers/server-process.js';
import { adminToken, connectClient, createBoard, synced } from '../test/helpers/test-server.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;

const SENTENCE =
  'Le partenariat développe des parcours communs en chimie verte et en génie des procédés, avec une mobilité courte d’études, des modules partagés et une reconnaissance complète des crédits. ';

/** About `characters` characters of paragraphs and a bullet list, as a section's text. */
function text(characters: number): RichBlock[] {
  const paragraphs: RichBlock[] = [];
  let written = 0;
  while (written < characters) {
    const paragraph = SENTENCE.repeat(4);
    paragraphs.push({ type: 'paragraph', runs: [{ text: paragraph }] });
    written += paragraph.length;
    if (paragraphs.length % 5 === 0) paragraphs.push({ type: 'list', ordered: false, items: [[{ type: 'paragraph', runs: [{ text: 'Lot de travail : mobilité' }] }]] });
  }
  return paragraphs;
}

/** A proposal card with its shared sections written, `characters` characters in all (both languages); resolves with the card id and the characters written. */
async function seedProposal(baseUrl: string, token: string, boardId: string, board: BoardDoc, characters: number): Promise<{ cardId: string; written: number }> {
  const cardId = board.addCard(board.listColumns()[0]?.id ?? board.addColumn('Projets'), { title: `Proposition ${characters}`, createdBy: 'bench' });
  board.convertToProposal(cardId);
  // The proposal's document opens only once the server's board has the card.
  const listed = async () => {
    const response = await fetch(`${baseUrl}/api/boards/${boardId}/proposals`, { headers: { authorization: `Bearer ${token}` } });
    return ((await response.json()) as { proposals: { cardId: string }[] }).proposals.some((proposal) => proposal.cardId === cardId);
  };
  for (let i = 0; i < 200 && !(await listed()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const { doc, provider } = connectClient(baseUrl, proposalDocName(boardId, cardId), token);
  await synced(provider);
  const proposal = new ProposalDoc(doc);
  for (let i = 0; i < 200 && proposal.list().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const sections = proposal.list();
  const perText = Math.round(characters / (sections.length * 2));
  doc.transact(() => {
    for (const section of sections) for (const language of ['fr', 'en'] as const) writeRichText(proposal.text(section.id, language)!, text(perText));
  });
  const written = sections.reduce((sum, section) => sum + plainText(proposal.text(section.id, 'fr')!).length + plainText(proposal.text(section.id, 'en')!).length, 0);
  // Stored once a second client sees it all.
  const check = connectClient(baseUrl, proposalDocName(boardId, cardId), token, new Y.Doc());
  await synced(check.provider);
  for (let i = 0; i < 400 && Y.encodeStateAsUpdate(check.doc).length < Y.encodeStateAsUpdate(doc).length; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  check.provider.destroy();
  provider.destroy();
  return { cardId, written };
}

interface Sample {
  syncMs: number;
  docxMs: number;
  pdfMs: number;
  pdfPages: number;
}

async function measure(baseUrl: string, token: string, boardId: string, cardId: string): Promise<Sample> {
  let started = performance.now();
  const { provider } = connectClient(baseUrl, proposalDocName(boardId, cardId), token, new Y.Doc());
  await synced(provider);
  const syncMs = performance.now() - started;
  provider.destroy();
  const exported = async (format: 'docx' | 'pdf') => {
    started = performance.now();
    const response = await fetch(`${baseUrl}/api/boards/${boardId}/proposals/${cardId}/export?format=${format}&lang=fr`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`export ${format}: ${response.status}`);
    const file = Buffer.from(await response.arrayBuffer());
    return { ms: performance.now() - started, file };
  };
  const docx = await exported('docx');
  const pdf = await exported('pdf');
  // Pages of the PDF, counted from its page objects.
  const pdfPages = pdf.file.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length ?? 0;
  return { syncMs, docxMs: docx.ms, pdfMs: pdf.ms, pdfPages };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-bench-'));
  const server = await startServerProcess({ dataDir, env: { LOG_LEVEL: 'warn', DEMO_WORKSPACE: 'false' } });
  try {
    const token = await adminToken(server.url);
    const boardId = await createBoard(server.url, token, 'Bench proposals');
    const { doc, provider } = connectClient(server.url, boardId, token);
    await synced(provider);
    const board = new BoardDoc(doc);
    const sizes = { reference: 5_000, subject: 100_000 } as const;
    const seeded = {
      reference: await seedProposal(server.url, token, boardId, board, sizes.reference),
      subject: await seedProposal(server.url, token, boardId, board, sizes.subject),
    };
    provider.destroy();

    const samples: Record<keyof typeof sizes, Sample[]> = { reference: [], subject: [] };
    // Interleaved, so that drift of the machine affects both sides alike; the first run warms up.
    for (let run = 0; run <= runs; run++) {
      for (const key of ['reference', 'subject'] as const) {
        const sample = await measure(server.url, token, boardId, seeded[key].cardId);
        if (run > 0) samples[key].push(sample);
      }
    }
    const summary = (key: keyof typeof sizes) => ({
      characters: seeded[key].written,
      syncMs: Math.round(median(samples[key].map((s) => s.syncMs)) * 10) / 10,
      docxMs: Math.round(median(samples[key].map((s) => s.docxMs))),
      pdfMs: Math.round(median(samples[key].map((s) => s.pdfMs))),
      pdfPages: samples[key][0]!.pdfPages,
    });
    const reference = summary('reference');
    const subject = summary('subject');
    console.log(`Proposal documents on the server, median of ${runs} interleaved runs`);
    for (const [name, value] of [['reference', reference], ['subject', subject]] as const) {
      console.log(`  ${name} (${value.characters.toLocaleString('en')} characters): sync ${value.syncMs} ms, Word export ${value.docxMs} ms, PDF export ${value.pdfMs} ms (${value.pdfPages} pages)`);
    }
    console.log(`  ratio: sync ×${(subject.syncMs / reference.syncMs).toFixed(2)}, Word ×${(subject.docxMs / reference.docxMs).toFixed(2)}, PDF ×${(subject.pdfMs / reference.pdfMs).toFixed(2)}`);
    console.log(JSON.stringify({ bench: 'proposal-load', runs, reference, subject }));
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
