/**
 * The demo's proposal documents: drafted sections in both languages, in line with each other,
 * within their limits, internal sections in the internal document only.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ProposalDoc, plainText, proposalDocName, proposalInternalDocName, templateForActionType } from '@passerelle/shared';
import { demoProposalDocuments } from '../../server/src/demo/demo-proposals.js';

function open(update: Uint8Array): ProposalDoc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return new ProposalDoc(doc);
}

describe('the demo’s proposal documents', () => {
  it.each(['strategic_partnership', 'knowledge_alliance', 'double_degree'] as const)('drafts the %s proposal in French and English, in line and within limits', (actionType) => {
    const documents = demoProposalDocuments('board-123456', 'card-123456', actionType, 'Camille Martin');
    expect(documents.map((document) => document.name)).toEqual([proposalDocName('board-123456', 'card-123456'), proposalInternalDocName('board-123456', 'card-123456')]);
    const [shared, internal] = documents.map((document) => open(document.update));
    const template = templateForActionType(actionType)!;
    expect(shared!.list().map((section) => section.id)).toEqual(template.sections.filter((section) => !section.internal).map((section) => section.id));
    expect(internal!.list().map((section) => section.id)).toEqual(template.sections.filter((section) => section.internal).map((section) => section.id));

    const drafted = shared!.list().filter((section) => plainText(shared!.text(section.id, 'fr')!) !== '');
    expect(drafted.length).toBeGreaterThan(0);
    for (const proposal of [shared!, internal!]) {
      for (const section of proposal.list()) {
        if (plainText(proposal.text(section.id, 'fr')!) === '') continue;
        expect(plainText(proposal.text(section.id, 'en')!), section.id).not.toBe('');
        expect(proposal.section(section.id)!.status).toBe('drafting');
        expect(proposal.translationState(section.id, 'en').kind, section.id).toBe('in_line');
        if (section.charLimit !== null) for (const language of ['fr', 'en'] as const) expect(proposal.characterCount(section.id, language)).toBeLessThanOrEqual(section.charLimit);
      }
    }
    expect(shared!.progress('2026-12-01')).toMatchObject({ overLimit: 0, outOfDate: 0 });
  });

  it('leaves a proposal with no drafted template to be created on first opening', () => {
    expect(demoProposalDocuments('board-123456', 'card-123456', 'mobility_agreement', 'Camille Martin')).toEqual([]);
  });
});
