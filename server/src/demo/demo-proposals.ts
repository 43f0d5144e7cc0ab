/**
 * The demo's proposal documents: for each demo proposal whose template has a drafted text
 * (`proposal-drafts.ts`), its shared and internal documents with the template's sections, the
 * drafted French and English texts, the sections in drafting, and the English brought in line with
 * the French source, as the SRI would leave them after a first writing session.
 */
import * as Y from 'yjs';
import {
  ProposalDoc,
  migrateProposal,
  proposalDocName,
  proposalInternalDocName,
  templateForActionType,
  writeRichText,
  type ActionType,
  type DraftBlock,
  type RichBlock,
} from '@passerelle/shared';
import { draftFor } from './proposal-drafts.js';

/** Drafted blocks as the editor's rich text: headings under the section title, bullets as a list. */
export function draftToRichText(blocks: readonly DraftBlock[]): RichBlock[] {
  return blocks.map((block): RichBlock => {
    if (block.type === 'heading') return { type: 'heading', level: 2, runs: [{ text: block.text }] };
    if (block.type === 'paragraph') return { type: 'paragraph', runs: [{ text: block.text }] };
    return { type: 'list', ordered: false, items: block.items.map((item) => [{ type: 'paragraph', runs: [{ text: item }] }]) };
  });
}

/**
 * The stored updates of a demo proposal's two documents, or none when its action type's template
 * has no drafted text (its documents are then created empty on first opening, like any proposal's).
 */
export function demoProposalDocuments(boardId: string, cardId: string, actionType: ActionType, author: string): { name: string; update: Uint8Array }[] {
  const template = templateForActionType(actionType);
  const draft = template ? draftFor(template.id) : undefined;
  if (!template || !draft) return [];
  const seeds = template.sections.map((section, order) => ({ ...section, order }));
  const documents: { name: string; update: Uint8Array }[] = [];
  for (const internal of [false, true]) {
    const doc = new Y.Doc();
    migrateProposal(doc);
    const proposal = new ProposalDoc(doc);
    proposal.createSections(template.id, seeds.filter((section) => section.internal === internal));
    for (const section of proposal.list()) {
      const drafted = draft.sections[section.id];
      if (!drafted) continue;
      writeRichText(proposal.text(section.id, 'fr')!, draftToRichText(drafted.fr));
      writeRichText(proposal.text(section.id, 'en')!, draftToRichText(drafted.en));
      proposal.setStatus(section.id, 'drafting');
      proposal.markInLine(section.id, section.sourceLanguage === 'fr' ? 'en' : 'fr', author);
    }
    documents.push({ name: internal ? proposalInternalDocName(boardId, cardId) : proposalDocName(boardId, cardId), update: Y.encodeStateAsUpdate(doc) });
  }
  return documents;
}
