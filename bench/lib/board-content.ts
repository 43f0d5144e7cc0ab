/** The content of the benchmarks' large boards: cards spread over eight columns, a third of them proposals. */
import * as Y from 'yjs';
import { BoardDoc } from '@passerelle/shared';
import { connectClient, createBoard, synced } from '../../test/helpers/test-server.js';

export const COLUMNS = 8;

/**
 * Writes eight columns and `cards` cards into `doc` (every third a double-degree proposal, the
 * others notes with a description), `perTransaction` cards a transaction with `pauseMs` between
 * transactions; returns the card ids in the order written.
 */
export async function writeBenchBoard(doc: Y.Doc, cards: number, { perTransaction = cards, pauseMs = 0 } = {}): Promise<string[]> {
  const board = new BoardDoc(doc);
  const columns = Array.from({ length: COLUMNS }, (_, i) => board.addColumn(`Colonne ${i + 1}`));
  const ids: string[] = [];
  for (let start = 0; start < cards; start += perTransaction) {
    doc.transact(() => {
      for (let i = start; i < Math.min(cards, start + perTransaction); i++) {
        const column = columns[i % COLUMNS]!;
        ids.push(
          i % 3 === 0
            ? board.addProposal(column, { title: `Proposition ${i}`, createdBy: 'bench', fields: { actionType: 'double_degree', priorities: [1, 3] } })
            : board.addCard(column, { title: `Carte ${i}`, description: 'Texte de description.', createdBy: 'bench' }),
        );
      }
    });
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return ids;
}

/**
 * Writes eight columns and `proposals` proposals for the pipeline (titles `Proposition 00000`…,
 * every other one in SRI review, the rest submitted; every third a knowledge alliance, the others
 * double degrees), in one transaction; returns their ids in the order written.
 */
export function writeBenchProposals(doc: Y.Doc, proposals: number): string[] {
  const board = new BoardDoc(doc);
  const ids: string[] = [];
  doc.transact(() => {
    const columns = Array.from({ length: COLUMNS }, (_, i) => board.addColumn(`Colonne ${i + 1}`));
    for (let i = 0; i < proposals; i++) {
      const fields = { actionType: i % 3 === 0 ? 'knowledge_alliance' : 'double_degree', stage: i % 2 === 0 ? 'submitted' : 'sri_review' } as const;
      ids.push(board.addProposal(columns[i % COLUMNS]!, { title: `Proposition ${String(i).padStart(5, '0')}`, createdBy: 'bench', fields }));
    }
  });
  return ids;
}

/**
 * Creates a board titled `Bench <cards>` on a running server, fills it with `write` through a stock
 * y-websocket client, and returns once the server has stored it all (a second client sees `cards` cards).
 */
export async function seedBenchBoard(baseUrl: string, token: string, cards: number, write: (doc: Y.Doc) => unknown = (doc) => writeBenchBoard(doc, cards)): Promise<string> {
  const boardId = await createBoard(baseUrl, token, `Bench ${cards}`);
  const { doc, provider } = connectClient(baseUrl, boardId, token);
  await synced(provider);
  await write(doc);
  const check = connectClient(baseUrl, boardId, token, new Y.Doc());
  await synced(check.provider);
  for (let i = 0; i < 400 && new BoardDoc(check.doc).cards.size < cards; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  check.provider.destroy();
  provider.destroy();
  return boardId;
}
