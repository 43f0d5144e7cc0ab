/**
 * The list of every proposal across boards, without any state: which rows a filter lets through
 * and in what order a column sorts them. Words (partner names, board titles) come from the caller,
 * in the person's language and from the workspace they have loaded.
 */
import { recordPath } from '#lib/components/record-links.js';
import { ACTION_TYPES, DEPARTMENTS, stageIndex, type ActionType, type Department, type ProposalListEntry, type ProposalStage } from '@passerelle/shared';

/** The columns the list sorts by. */
export const PROPOSAL_SORT_KEYS = ['title', 'board', 'stage', 'actionType', 'leadDepartment', 'nextDue', 'progress'] as const;
export type ProposalSortKey = (typeof PROPOSAL_SORT_KEYS)[number];
export type SortDirection = 'ascending' | 'descending';

/** What the list is narrowed to; '' lets every value through. */
export interface ProposalFilters {
  query: string;
  boardId: string;
  stage: ProposalStage | '';
  actionType: ActionType | '';
  leadDepartment: Department | '';
  /** Only proposals with a section due and not done. */
  dueOnly: boolean;
}

export const NO_PROPOSAL_FILTERS: ProposalFilters = { query: '', boardId: '', stage: '', actionType: '', leadDepartment: '', dueOnly: false };

/** A proposal's share of sections done, 0 when it has none. */
export function doneShare(entry: Pick<ProposalListEntry, 'progress'>): number {
  return entry.progress.sections === 0 ? 0 : entry.progress.done / entry.progress.sections;
}

/** The rows `filters` let through; `wordsOf` gives what the text search reads beyond the title and board (partner names…). */
export function filterProposals(entries: readonly ProposalListEntry[], filters: ProposalFilters, wordsOf: (entry: ProposalListEntry) => string[] = () => []): ProposalListEntry[] {
  const query = filters.query.trim().toLocaleLowerCase();
  return entries.filter((entry) => {
    if (filters.boardId && entry.boardId !== filters.boardId) return false;
    if (filters.stage && entry.stage !== filters.stage) return false;
    if (filters.actionType && entry.actionType !== filters.actionType) return false;
    if (filters.leadDepartment && entry.leadDepartment !== filters.leadDepartment) return false;
    if (filters.dueOnly && entry.nextDue === null) return false;
    if (query && ![entry.title, entry.boardTitle, ...wordsOf(entry)].join(' ').toLocaleLowerCase().includes(query)) return false;
    return true;
  });
}

/**
 * The rows sorted by `key`: texts in the person's language's order, stages in workflow order,
 * action types and departments in vocabulary order, progress by share done. A proposal with nothing
 * due goes last whichever way due dates sort. Ties keep the board's, then the title's order.
 */
export function sortProposals(entries: readonly ProposalListEntry[], key: ProposalSortKey, direction: SortDirection, locale: string): ProposalListEntry[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  const sign = direction === 'ascending' ? 1 : -1;
  const tie = (a: ProposalListEntry, b: ProposalListEntry) => collator.compare(a.boardTitle, b.boardTitle) || collator.compare(a.title, b.title) || a.cardId.localeCompare(b.cardId);
  const compare = (a: ProposalListEntry, b: ProposalListEntry): number => {
    switch (key) {
      case 'title':
        return collator.compare(a.title, b.title);
      case 'board':
        return collator.compare(a.boardTitle, b.boardTitle);
      case 'stage':
        return stageIndex(a.stage) - stageIndex(b.stage);
      case 'actionType':
        return ACTION_TYPES.indexOf(a.actionType) - ACTION_TYPES.indexOf(b.actionType);
      case 'leadDepartment':
        return DEPARTMENTS.indexOf(a.leadDepartment) - DEPARTMENTS.indexOf(b.leadDepartment);
      case 'progress':
        return doneShare(a) - doneShare(b);
      case 'nextDue':
        return (a.nextDue ?? '').localeCompare(b.nextDue ?? '');
    }
  };
  return [...entries].sort((a, b) => {
    if (key === 'nextDue' && (a.nextDue === null) !== (b.nextDue === null)) return a.nextDue === null ? 1 : -1;
    return sign * compare(a, b) || tie(a, b);
  });
}

/** The address of a proposal's card on its board, which opens it. */
export const cardHref = (entry: Pick<ProposalListEntry, 'boardId' | 'cardId'>): string => `/boards/${entry.boardId}?card=${entry.cardId}`;

/** The address of a proposal's document. */
export const documentHref = (entry: Pick<ProposalListEntry, 'boardId' | 'cardId'>): string => `/boards/${entry.boardId}/proposals/${entry.cardId}`;

/** The address of an agreement on the partners page. */
export const agreementHref = (agreementId: string): string => recordPath('agreement', agreementId);
