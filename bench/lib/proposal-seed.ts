/**
 * Proposals for the benchmarks: a proposal card on a board whose shared sections are written, in
 * French and English, to about a given number of characters through a stock client.
 */
import * as Y from 'yjs';
import { ProposalDoc, plainText, proposalDocName, writeRichText, type BoardDoc, type RichBlock } from '@passerelle/shared';
import { connectClient, synced } from '../../test/helpers/test-server.js';

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
export async function seedProposal(baseUrl: string, token: string, boardId: string, board: BoardDoc, characters: number): Promise<{ cardId: string; written: number }> {
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

