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
import { BoardDoc, proposalDocName } from '@passerelle/shared';
import { startServerProcess } from '../test/helpers/server-process.js';
import { adminToken, connectClient, createBoard, synced } from '../test/helpers/test-server.js';
import { seedProposal } from './lib/proposal-seed.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;

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
