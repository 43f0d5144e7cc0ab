/**
 * What a meeting writes to the board document. Each function runs inside one `editDocument`
 * transaction, so a reveal or a capture lands whole or not at all.
 */
import { LOCALES, translate, type BoardDoc, type CaptureResult, type CapturedItemFields, type Locale, type VoteTally } from '@passerelle/shared';
import type { PendingContribution } from './board-meeting.js';
import type { VoteLedger } from './vote-ledger.js';

/** Stores a round's tallies as a `VoteRound` record and returns them. */
export function storeVoteRound(board: BoardDoc, round: VoteLedger, context: { meetingId: string; revealedBy: string; now: number }): VoteTally[] {
  const tallies = round.tally((cardId) => board.getCard(cardId)?.title);
  board.voteRounds.create(
    {
      meetingId: context.meetingId,
      label: round.label,
      limit: round.limit,
      anonymous: round.anonymous,
      voterCount: round.voterIds.length,
      revealedAt: new Date(context.now).toISOString(),
      revealedBy: context.revealedBy,
      tallies,
    },
    round.roundId,
  );
  return tallies;
}

/**
 * Turns one author's private contributions into cards (in the column they chose, or the first
 * column if it was deleted meanwhile) and returns the card ids.
 */
export function addContributionCards(board: BoardDoc, contributions: PendingContribution[], locale: Locale): string[] {
  return contributions.map((contribution) => {
    const columnId = board.columns.has(contribution.columnId) ? contribution.columnId : fallbackColumn(board, locale);
    return board.addCard(columnId, { title: contribution.title, description: contribution.description, createdBy: contribution.authorId });
  });
}

/**
 * Writes a captured decision or action item as a card of the "Decisions" column; an action item is
 * also added to the board's action items, with its owner, due date and the meeting as its source.
 */
export function addCapturedItem(
  board: BoardDoc,
  item: CapturedItemFields,
  context: { meetingId: string; startedAt: number; locale: Locale; capturedBy: string },
): CaptureResult {
  const columnId = decisionsColumn(board, context.locale);
  // The column as it is titled on the board (it may predate this meeting, in another language).
  const columnTitle = board.listColumns().find((column) => column.id === columnId)?.title ?? '';
  const meetingLabel = translate(context.locale, 'meeting.record.source', { date: formatDate(context.startedAt, context.locale) });
  if (item.kind === 'decision') {
    const description = [item.details, meetingLabel].filter(Boolean).join('\n\n');
    return { cardId: board.addCard(columnId, { title: item.title, description, createdBy: context.capturedBy }), columnTitle, actionId: null };
  }
  const summary = item.dueDate
    ? translate(context.locale, 'meeting.record.actionDue', { owner: item.ownerName, date: item.dueDate })
    : translate(context.locale, 'meeting.record.action', { owner: item.ownerName });
  const cardId = board.addCard(columnId, {
    title: `${translate(context.locale, 'meeting.record.actionPrefix')} ${item.title}`,
    description: `${summary}\n\n${meetingLabel}`,
    createdBy: context.capturedBy,
  });
  const actionId = board.actions.create({
    title: item.title,
    ownerId: item.ownerId,
    ownerName: item.ownerName,
    department: item.department,
    dueDate: item.dueDate,
    source: 'meeting',
    sourceId: context.meetingId,
    sourceLabel: meetingLabel,
  });
  return { cardId, columnTitle, actionId };
}

/**
 * The board's "Decisions" column, created at the end in `locale` (the board's content language) if missing. A column named so in
 * any supported language counts, so that people capturing in French and English share one column.
 */
export function decisionsColumn(board: BoardDoc, locale: Locale): string {
  const names = new Set(LOCALES.map((l) => translate(l, 'meeting.record.decisionsColumn').toLocaleLowerCase()));
  const existing = board.listColumns().find((column) => names.has(column.title.trim().toLocaleLowerCase()));
  return existing?.id ?? board.addColumn(translate(locale, 'meeting.record.decisionsColumn'));
}

function fallbackColumn(board: BoardDoc, locale: Locale): string {
  return board.listColumns()[0]?.id ?? board.addColumn(translate(locale, 'meeting.record.contributionsColumn'));
}

function formatDate(epochMs: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long' }).format(new Date(epochMs));
}
