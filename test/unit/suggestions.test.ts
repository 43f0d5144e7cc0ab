/**
 * Suggestions in a proposal's rich text, as the editor stores them (y-prosemirror's formatting
 * attributes `insertion` and `deletion`): listed one per id with their author and text, and left out
 * of (insertions) or kept in (deletions) what exports, comparisons and character counts read.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ProposalDoc,
  agreedText,
  isAgreedText,
  pendingSuggestions,
  plainText,
  proposalSuggestions,
  richTextBlocks,
  suggestionMarkOf,
  textBlocks,
  type SuggestionMark,
} from '@passerelle/shared';

const ana: Omit<SuggestionMark, 'id'> = { authorId: 'user-ana', authorName: 'Ana Sousa', at: '2026-12-02T08:00:00.000Z' };
const omar: Omit<SuggestionMark, 'id'> = { authorId: 'user-omar', authorName: 'Omar', at: '2026-12-02T09:00:00.000Z' };

type Run = [text: string, attributes?: Record<string, unknown>];

/** A paragraph of runs, each inserted with every mark given (null for the others), as the editor writes them. */
function paragraph(runs: Run[]): Y.XmlElement {
  const element = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  element.insert(0, [text]);
  let at = 0;
  for (const [content, attributes = {}] of runs) {
    text.insert(at, content, { bold: null, insertion: null, deletion: null, ...attributes });
    at += content.length;
  }
  return element;
}

/** A rich text of paragraphs in a document of its own. */
function richText(...paragraphs: Run[][]): Y.XmlFragment {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('text');
  fragment.insert(0, paragraphs.map(paragraph));
  return fragment;
}

const insertion = (id: string, author = ana) => ({ insertion: { id, ...author } });
const deletion = (id: string, author = ana) => ({ deletion: { id, ...author } });

describe('suggestion marks', () => {
  it('reads a well-formed mark of each kind, and nothing from a missing or malformed one', () => {
    expect(suggestionMarkOf(insertion('s1'), 'insertion')).toEqual({ id: 's1', ...ana });
    expect(suggestionMarkOf(insertion('s1'), 'deletion')).toBeNull();
    expect(suggestionMarkOf({ deletion: { id: '', authorId: 'x', authorName: 'X', at: '' } }, 'deletion')).toBeNull();
    expect(suggestionMarkOf(undefined, 'insertion')).toBeNull();
  });

  it('counts a run as agreed text unless it carries an insertion mark, even a malformed one', () => {
    expect(isAgreedText(undefined)).toBe(true);
    expect(isAgreedText({ bold: {} })).toBe(true);
    expect(isAgreedText({ insertion: null })).toBe(true);
    expect(isAgreedText(deletion('s1'))).toBe(true);
    expect(isAgreedText(insertion('s1'))).toBe(false);
    expect(isAgreedText({ insertion: { forged: true } })).toBe(false);
  });
});

describe('pending suggestions', () => {
  it('lists one suggestion per id, in the order they first appear, with author, time and text', () => {
    const fragment = richText(
      [['Le projet '], ['durable ', insertion('s1')], ['réunit ', {}], ['trois ', deletion('s2', omar)], ['écoles.']],
      [['Porto ', insertion('s1')], ['accueille.']],
    );
    expect(pendingSuggestions(fragment)).toEqual([
      { id: 's1', kind: 'insertion', ...ana, inserted: 'durable Porto ', deleted: '' },
      { id: 's2', kind: 'deletion', ...omar, deleted: 'trois ', inserted: '' },
    ]);
  });

  it('calls a deletion and an insertion under one id a replacement, dated by its earliest mark', () => {
    const fragment = richText([['Nous '], ['visons ', deletion('s3', { ...ana, at: '2026-12-02T08:05:00.000Z' })], ['ciblons ', insertion('s3')], ['Porto.']]);
    expect(pendingSuggestions(fragment, { sectionId: 'context', language: 'fr' })).toEqual([
      { id: 's3', kind: 'replacement', ...ana, inserted: 'ciblons ', deleted: 'visons ', sectionId: 'context', language: 'fr' },
    ]);
  });

  it('finds suggestions inside lists and tables, and none in a text without marks', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('text');
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    item.insert(0, [paragraph([['Mobilité '], ['du personnel', insertion('s4', omar)]])]);
    list.insert(0, [item]);
    fragment.insert(0, [list]);
    expect(pendingSuggestions(fragment).map((suggestion) => [suggestion.id, suggestion.inserted])).toEqual([['s4', 'du personnel']]);
    expect(pendingSuggestions(richText([['Rien à proposer.']]))).toEqual([]);
  });

  it('lists a whole proposal’s suggestions section by section, French then English', () => {
    const doc = new Y.Doc();
    const proposal = new ProposalDoc(doc);
    proposal.createSections('t', [
      { id: 'context', title: { fr: 'Contexte', en: 'Context' }, guidance: { fr: '', en: '' }, charLimit: null, defaultOwner: 'sri' },
      { id: 'impact', title: { fr: 'Impact', en: 'Impact' }, guidance: { fr: '', en: '' }, charLimit: null, defaultOwner: 'sri' },
    ]);
    proposal.text('impact', 'fr')!.insert(0, [paragraph([['Fort ', insertion('i1')]])]);
    proposal.text('context', 'en')!.insert(0, [paragraph([['Green ', deletion('c2', omar)]])]);
    proposal.text('context', 'fr')!.insert(0, [paragraph([['Vert ', insertion('c1')]])]);
    expect(proposalSuggestions(proposal).map(({ id, sectionId, language }) => [id, sectionId, language])).toEqual([
      ['c1', 'context', 'fr'],
      ['c2', 'context', 'en'],
      ['i1', 'impact', 'fr'],
    ]);
  });
});

describe('the text as agreed so far', () => {
  const fragment = () =>
    richText(
      [['La chimie '], ['très ', insertion('s1')], ['verte ', { bold: {} }], ['et durable ', deletion('s2', omar)], ['forme des ingénieurs.']],
      [['Tout nouveau paragraphe.', insertion('s1')]],
    );

  it('leaves pending insertions out of the plain text and keeps pending deletions', () => {
    expect(textBlocks(fragment())).toEqual(['La chimie verte et durable forme des ingénieurs.', '']);
    expect(plainText(fragment())).toBe('La chimie verte et durable forme des ingénieurs.\n');
    const text = fragment().get(0) as Y.XmlElement;
    expect(agreedText(text.get(0) as Y.XmlText)).toBe('La chimie verte et durable forme des ingénieurs.');
  });

  it('exports the agreed runs with their own marks, a deletion as plain text', () => {
    expect(richTextBlocks(fragment())).toEqual([
      { type: 'paragraph', runs: [{ text: 'La chimie ' }, { text: 'verte ', bold: true }, { text: 'et durable ' }, { text: 'forme des ingénieurs.' }] },
      { type: 'paragraph', runs: [] },
    ]);
  });

  it('counts the characters of the agreed text only', () => {
    const doc = new Y.Doc();
    const proposal = new ProposalDoc(doc);
    proposal.createSections('t', [{ id: 'context', title: { fr: 'Contexte', en: 'Context' }, guidance: { fr: '', en: '' }, charLimit: 15, defaultOwner: 'sri' }]);
    proposal.text('context', 'fr')!.insert(0, [paragraph([['Porto '], ['et Lisbonne ', insertion('s1')], ['ensemble', deletion('s2')]])]);
    expect(proposal.characterCount('context', 'fr')).toBe('Porto ensemble'.length);
    // Within its limit: the pending insertion would take it over, were it accepted.
    expect(proposal.progress('2026-12-02').overLimit).toBe(0);
  });

  it('counts the text as it would read with every suggestion accepted, apart from the count that limits', () => {
    const doc = new Y.Doc();
    const proposal = new ProposalDoc(doc);
    proposal.createSections('t', [{ id: 'context', title: { fr: 'Contexte', en: 'Context' }, guidance: { fr: '', en: '' }, charLimit: 15, defaultOwner: 'sri' }]);
    proposal.text('context', 'fr')!.insert(0, [paragraph([['Porto '], ['et Lisbonne ', insertion('s1')], ['ensemble', deletion('s2')]]), paragraph([['Braga', insertion('s3')]])]);
    expect(proposal.characterCount('context', 'fr')).toBe('Porto ensemble'.length);
    expect(proposal.characterCount('context', 'fr', 'accepted')).toBe('Porto et Lisbonne '.length + 'Braga'.length);
    expect(textBlocks(proposal.text('context', 'fr')!, 'accepted')).toEqual(['Porto et Lisbonne ', 'Braga']);
  });
});
