import { describe, expect, it } from 'vitest';
import type { ProposalListEntry } from '@passerelle/shared';
import { NO_PROPOSAL_FILTERS, filterProposals, sortProposals } from '../../web/src/routes/(app)/proposals/proposal-list.js';

function entry(cardId: string, fields: Partial<ProposalListEntry> = {}): ProposalListEntry {
  return {
    cardId,
    title: cardId,
    actionType: 'strategic_partnership',
    stage: 'submitted',
    templateId: null,
    progress: { sections: 4, done: 0, overLimit: 0, overdue: 0, outOfDate: 0 },
    boardId: 'b1',
    boardTitle: 'Board',
    leadDepartment: 'sri',
    partnerIds: [],
    agreementIds: [],
    dueSections: [],
    nextDue: null,
    ...fields,
  };
}

const ids = (entries: ProposalListEntry[]) => entries.map((e) => e.cardId);

describe('the list of all proposals', () => {
  const entries = [
    entry('école', { title: 'École d’été', stage: 'agreement_signed', nextDue: '2031-05-01', progress: { sections: 4, done: 3, overLimit: 0, overdue: 0, outOfDate: 0 }, leadDepartment: 'studies' }),
    entry('alliance', { title: 'Alliance', stage: 'sri_review', nextDue: null, boardId: 'b2', boardTitle: 'Another', actionType: 'double_degree' }),
    entry('zèbre', { title: 'Zèbre', stage: 'submitted', nextDue: '2030-01-15', progress: { sections: 2, done: 1, overLimit: 0, overdue: 0, outOfDate: 0 } }),
  ];

  it('sorts titles in the language’s order, accents included, both ways', () => {
    expect(ids(sortProposals(entries, 'title', 'ascending', 'fr'))).toEqual(['alliance', 'école', 'zèbre']);
    expect(ids(sortProposals(entries, 'title', 'descending', 'fr'))).toEqual(['zèbre', 'école', 'alliance']);
  });

  it('sorts stages in workflow order, not by name', () => {
    expect(ids(sortProposals(entries, 'stage', 'ascending', 'en'))).toEqual(['zèbre', 'alliance', 'école']);
  });

  it('puts a proposal with nothing due last, whichever way due dates sort', () => {
    expect(ids(sortProposals(entries, 'nextDue', 'ascending', 'en'))).toEqual(['zèbre', 'école', 'alliance']);
    expect(ids(sortProposals(entries, 'nextDue', 'descending', 'en'))).toEqual(['école', 'zèbre', 'alliance']);
  });

  it('sorts progress by the share of sections done', () => {
    expect(ids(sortProposals(entries, 'progress', 'descending', 'en'))).toEqual(['école', 'zèbre', 'alliance']);
  });

  it('keeps the board’s and the title’s order between equals, and never changes what it was given', () => {
    const given = [...entries];
    expect(ids(sortProposals(entries, 'leadDepartment', 'ascending', 'en'))).toEqual(['alliance', 'zèbre', 'école']);
    expect(entries).toEqual(given);
  });

  it('filters by board, stage, type, lead department, what is due and words, partner names included', () => {
    expect(ids(filterProposals(entries, { ...NO_PROPOSAL_FILTERS, boardId: 'b2' }))).toEqual(['alliance']);
    expect(ids(filterProposals(entries, { ...NO_PROPOSAL_FILTERS, stage: 'agreement_signed' }))).toEqual(['école']);
    expect(ids(filterProposals(entries, { ...NO_PROPOSAL_FILTERS, actionType: 'double_degree' }))).toEqual(['alliance']);
    expect(ids(filterProposals(entries, { ...NO_PROPOSAL_FILTERS, leadDepartment: 'studies' }))).toEqual(['école']);
    expect(ids(filterProposals(entries, { ...NO_PROPOSAL_FILTERS, dueOnly: true }))).toEqual(['école', 'zèbre']);
    expect(ids(filterProposals(entries, { ...NO_PROPOSAL_FILTERS, query: '  ANOTHER ' }))).toEqual(['alliance']);
    const partners = (e: ProposalListEntry) => (e.cardId === 'zèbre' ? ['Universidade do Porto'] : []);
    expect(ids(filterProposals(entries, { ...NO_PROPOSAL_FILTERS, query: 'porto' }, partners))).toEqual(['zèbre']);
    expect(ids(filterProposals(entries, NO_PROPOSAL_FILTERS))).toEqual(ids(entries));
  });
});
