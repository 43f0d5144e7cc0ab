/**
 * The proposal document's accessor: sections created from a template once, whatever the order two
 * replicas create them in; characters counted as the programme counts them; translations in line or
 * out of date; the progress the card shows; names of the two documents; migrations.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  DocumentTooNewError,
  MIGRATION_ORIGIN,
  PROPOSAL_SCHEMA_VERSION,
  ProposalDoc,
  migrateProposal,
  parseProposalDocName,
  plainText,
  proposalDocName,
  proposalInternalDocName,
  compareTexts,
  richTextBlocks,
  templateForActionType,
  textBlocks,
  writeRichText,
  type RichBlock,
  type SectionSeed,
} from '@passerelle/shared';

const SEEDS: SectionSeed[] = [
  { id: 'context', title: { fr: 'Contexte', en: 'Context' }, guidance: { fr: 'Le contexte.', en: 'The context.' }, charLimit: 20, defaultOwner: 'sri' },
  { id: 'impact', title: { fr: 'Impact', en: 'Impact' }, guidance: { fr: 'L’impact.', en: 'The impact.' }, charLimit: null, defaultOwner: 'research', sourceLanguage: 'en' },
];

/** Appends a paragraph of `text` to a rich text. */
function paragraph(fragment: Y.XmlFragment, text: string, tag = 'paragraph'): void {
  const element = new Y.XmlElement(tag);
  element.insert(0, [new Y.XmlText(text)]);
  fragment.push([element]);
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('the proposal document', () => {
  it('names its two documents and reads them back', () => {
    expect(proposalDocName('board-123456', 'card-123456')).toBe('board-123456/proposal/card-123456');
    expect(proposalInternalDocName('board-123456', 'card-123456')).toBe('board-123456/proposal/card-123456/internal');
    expect(parseProposalDocName('board-123456/proposal/card-123456')).toEqual({ boardId: 'board-123456', cardId: 'card-123456', internal: false });
    expect(parseProposalDocName('board-123456/proposal/card-123456/internal')).toEqual({ boardId: 'board-123456', cardId: 'card-123456', internal: true });
    for (const name of ['board-123456', 'board-123456/internal', 'board-123456/proposal', 'board-123456/proposal/card/other', 'board-123456/proposal/card/internal/x', 'board-123456/notes/card']) {
      expect(parseProposalDocName(name), name).toBeNull();
    }
  });

  it('creates the template’s sections once, in order, owned by their default department', () => {
    const proposal = new ProposalDoc(new Y.Doc());
    expect(proposal.createSections('ka220', SEEDS)).toBe(2);
    expect(proposal.createSections('ka220', SEEDS)).toBe(0);
    expect(proposal.templateId).toBe('ka220');
    expect(proposal.list().map((section) => [section.id, section.order, section.owner, section.status, section.sourceLanguage])).toEqual([
      ['context', 0, { kind: 'department', department: 'sri' }, 'to_write', 'fr'],
      ['impact', 1, { kind: 'department', department: 'research' }, 'to_write', 'en'],
    ]);
    expect(proposal.text('context', 'fr')).toBeInstanceOf(Y.XmlFragment);
  });

  it('keeps the text of a section two replicas created at once, whichever wins', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    new ProposalDoc(a).createSections('ka220', SEEDS);
    new ProposalDoc(b).createSections('ka220', SEEDS);
    sync(a, b);
    // Both replicas now hold the same section map; text written after that reaches the other.
    paragraph(new ProposalDoc(a).text('context', 'fr')!, 'Bonjour');
    sync(a, b);
    expect(plainText(new ProposalDoc(b).text('context', 'fr')!)).toBe('Bonjour');
    expect(new ProposalDoc(b).list()).toHaveLength(2);
  });

  it('reads rich text as blocks, headings, list items and table cells included', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('text');
    paragraph(fragment, 'Premier paragraphe.');
    paragraph(fragment, 'Objectifs', 'heading');
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    paragraph(item as unknown as Y.XmlFragment, 'Mobilité');
    list.insert(0, [item]);
    fragment.push([list]);
    const bold = new Y.XmlText();
    bold.insert(0, 'gras', { bold: true });
    bold.insert(4, ' et normal');
    const mixed = new Y.XmlElement('paragraph');
    mixed.insert(0, [bold]);
    fragment.push([mixed]);
    expect(textBlocks(fragment)).toEqual(['Premier paragraphe.', 'Objectifs', 'Mobilité', 'gras et normal']);
  });

  it('writes rich text and reads it back block for block, each mark on its own run', () => {
    const blocks: RichBlock[] = [
      { type: 'heading', level: 2, runs: [{ text: 'Objectifs' }] },
      { type: 'paragraph', runs: [{ text: 'Une ' }, { text: 'chimie', bold: true }, { text: ' ' }, { text: 'verte', italic: true, underline: true }, { text: ' avec ' }, { text: 'Porto', link: 'https://www.up.pt/' }, { text: '.' }] },
      { type: 'list', ordered: true, items: [[{ type: 'paragraph', runs: [{ text: 'Un' }] }, { type: 'list', ordered: false, items: [[{ type: 'paragraph', runs: [{ text: 'Un point un' }] }]] }], [{ type: 'paragraph', runs: [{ text: 'Deux' }] }]] },
      { type: 'quote', blocks: [{ type: 'paragraph', runs: [{ text: 'Citation', strike: true }] }] },
      { type: 'table', rows: [{ header: true, cells: [[{ type: 'paragraph', runs: [{ text: 'Lot' }] }]] }, { header: false, cells: [[{ type: 'paragraph', runs: [{ text: 'WP1' }] }]] }] },
    ];
    const fragment = new Y.Doc().getXmlFragment('text');
    writeRichText(fragment, blocks);
    expect(richTextBlocks(fragment)).toEqual(blocks);
  });

  it('turns only web and mail addresses into links', () => {
    const fragment = new Y.Doc().getXmlFragment('text');
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    text.insert(0, 'piège', { link: { href: 'javascript:alert(1)' } });
    paragraph.insert(0, [text]);
    fragment.push([paragraph]);
    expect(richTextBlocks(fragment)).toEqual([{ type: 'paragraph', runs: [{ text: 'piège' }] }]);
  });

  it('counts characters spaces included, per character, block by block', () => {
    const proposal = new ProposalDoc(new Y.Doc());
    proposal.createSections('ka220', SEEDS);
    paragraph(proposal.text('context', 'fr')!, 'Été à Porto');
    paragraph(proposal.text('context', 'fr')!, '🧪 chimie');
    expect(proposal.characterCount('context', 'fr')).toBe(11 + 8);
    expect(proposal.characterCount('context', 'en')).toBe(0);
  });

  it('tells when a translation is in line, and when its source changed since', () => {
    const proposal = new ProposalDoc(new Y.Doc());
    proposal.createSections('ka220', SEEDS);
    expect(proposal.translationState('context', 'fr')).toEqual({ kind: 'source' });
    expect(proposal.translationState('context', 'en')).toEqual({ kind: 'empty' });

    paragraph(proposal.text('context', 'fr')!, 'La chimie verte.');
    expect(proposal.translationState('context', 'en')).toEqual({ kind: 'out_of_date', alignment: null });

    paragraph(proposal.text('context', 'en')!, 'Green chemistry.');
    proposal.markInLine('context', 'en', 'Camille', '2026-12-01T10:00:00.000Z');
    expect(proposal.translationState('context', 'en')).toEqual({
      kind: 'in_line',
      alignment: { sourceText: 'La chimie verte.', at: '2026-12-01T10:00:00.000Z', by: 'Camille' },
    });

    paragraph(proposal.text('context', 'fr')!, 'Avec Porto.');
    const state = proposal.translationState('context', 'en');
    expect(state.kind).toBe('out_of_date');
    expect(state.kind === 'out_of_date' && state.alignment?.sourceText).toBe('La chimie verte.');

    // Exactly what changed in the source since the translation was brought in line.
    expect(proposal.sourceChangesSince('context', 'en')).toEqual([
      { text: 'La chimie verte.', kind: 'same' },
      { text: '\nAvec Porto.', kind: 'added' },
    ]);
    expect(proposal.sourceChangesSince('context', 'fr')).toBeNull();

    // The source language is a setting of the section.
    proposal.setSourceLanguage('context', 'en');
    expect(proposal.translationState('context', 'en')).toEqual({ kind: 'source' });
  });

  it('compares two texts word by word, what was removed before what was added', () => {
    expect(compareTexts('Six mobilités par an.', 'Douze mobilités par an.')).toEqual([
      { text: 'Six', kind: 'removed' },
      { text: 'Douze', kind: 'added' },
      { text: ' mobilités par an.', kind: 'same' },
    ]);
    expect(compareTexts('', '')).toEqual([]);
  });

  it('sums up the progress the card shows: done, over the limit, overdue, out-of-date translations', () => {
    const proposal = new ProposalDoc(new Y.Doc());
    proposal.createSections('ka220', SEEDS);
    expect(proposal.progress('2026-12-01')).toEqual({ sections: 2, done: 0, overLimit: 0, overdue: 0, outOfDate: 0 });

    paragraph(proposal.text('context', 'en')!, 'This text is longer than twenty characters.');
    proposal.setDueDate('context', '2026-11-30');
    paragraph(proposal.text('impact', 'en')!, 'Impact on mobility.');
    proposal.setStatus('impact', 'done');
    proposal.setDueDate('impact', '2026-11-01');
    // Both translations lag: the French of "impact" has none of its English source, and "context" has English with no French source.
    expect(proposal.progress('2026-12-01')).toEqual({ sections: 2, done: 1, overLimit: 1, overdue: 1, outOfDate: 2 });
  });

  it('refuses values outside the schema and reads damaged entries as defaults', () => {
    const proposal = new ProposalDoc(new Y.Doc());
    proposal.createSections('ka220', SEEDS);
    expect(() => proposal.setStatus('context', 'finished' as never)).toThrow();
    expect(() => proposal.setDueDate('context', '1 December')).toThrow();
    expect(() => proposal.setOwner('context', { kind: 'department', department: 'marketing' } as never)).toThrow();
    const section = proposal.sections.get('context')!;
    section.set('status', 42);
    section.set('charLimit', -3);
    section.set('owner', 'sri');
    expect(proposal.section('context')).toMatchObject({ status: 'to_write', charLimit: null, owner: null });
    proposal.sections.set('broken', 'not a map' as never);
    expect(proposal.list().map((view) => view.id)).toEqual(['context', 'impact']);
  });

  it('migrates to the current schema once, and refuses a document from a newer version', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction) => origins.push(transaction.origin));
    expect(migrateProposal(doc)).toEqual({ from: 0, to: PROPOSAL_SCHEMA_VERSION });
    expect(migrateProposal(doc)).toEqual({ from: PROPOSAL_SCHEMA_VERSION, to: PROPOSAL_SCHEMA_VERSION });
    expect(origins).toEqual([MIGRATION_ORIGIN]);
    doc.getMap('meta').set('schemaVersion', PROPOSAL_SCHEMA_VERSION + 1);
    expect(() => migrateProposal(doc)).toThrow(DocumentTooNewError);
  });

  it('is created from a shipped template: the cooperation partnership’s shared and internal sections', () => {
    const template = templateForActionType('strategic_partnership')!;
    const shared = new ProposalDoc(new Y.Doc());
    const internal = new ProposalDoc(new Y.Doc());
    shared.createSections(template.id, template.sections.filter((section) => !section.internal));
    internal.createSections(template.id, template.sections.filter((section) => section.internal));
    expect(shared.list().length + internal.list().length).toBe(template.sections.length);
    expect(internal.list().length).toBeGreaterThan(0);
    expect(shared.list().map((section) => section.id)).toEqual(template.sections.filter((section) => !section.internal).map((section) => section.id));
  });
});
