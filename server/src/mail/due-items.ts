/**
 * What comes due on the boards, and who it concerns: action items (their owner, else their
 * department), proposal sections (their owner: a person or a department), roadmap items and
 * planned meetings (no one owns them: the board's members). Read from the live documents, as the
 * calendar feeds are.
 */
import { BoardDoc, ProposalDoc, plannedMeetingSpan, proposalDocName, proposalInternalDocName, type Department, type Locale } from '@passerelle/shared';
import type { FeedSources } from '../calendar/feed-events.js';

/** What kind of item a reminder is about. */
export type DueItemKind = 'action' | 'roadmap' | 'section' | 'meeting';

/** Who an item concerns: one person, the members of a department, or the board's members. */
export type DueItemAudience = { kind: 'person'; userId: string } | { kind: 'department'; department: Department } | { kind: 'board' };

/** One dated item of a board, not done, with whom it concerns. */
export interface DueItem {
  kind: DueItemKind;
  boardId: string;
  boardTitle: string;
  /** Unique within the board and kind (`<proposal>/<section>` for a section). */
  itemId: string;
  /** In each language: a section's title is bilingual, any other item's is the same in both. */
  title: { fr: string; en: string };
  /** The proposal a section belongs to. */
  proposalTitle: string | null;
  /** `YYYY-MM-DD`: an action's or section's due date, a roadmap item's last day. */
  dueDate: string;
  audience: DueItemAudience;
  /** Where it opens in the web app, from the site's root. */
  path: string;
  /** A planned meeting's time: `HH:MM` on the school's clock, the instant it starts, and its place. */
  meeting?: { start: string; startsAt: Date; place: string };
}

/** An item's title in `locale`, or in the other language when it has none there. */
export function titleIn(title: { fr: string; en: string }, locale: Locale): string {
  return title[locale] || title.fr || title.en;
}

const same = (text: string) => ({ fr: text, en: text });

/**
 * The items of one board due between `from` and `to` (inclusive, `YYYY-MM-DD`) that are not done;
 * a planned meeting's time is read on the clock of `timeZone`, the school's.
 */
export async function dueItemsOf(sources: FeedSources, board: { id: string; title: string }, from: string, to: string, timeZone: string): Promise<DueItem[]> {
  const within = (day: string | null): day is string => day !== null && day >= from && day <= to;
  const boardPath = `/boards/${encodeURIComponent(board.id)}`;
  const { actions, roadmap, proposals, meetings } = await sources.read(board.id, (doc) => {
    const boardDoc = new BoardDoc(doc);
    return {
      actions: boardDoc.actions.list(),
      roadmap: boardDoc.roadmap.list(),
      proposals: boardDoc.listProposals().map((proposal) => ({ id: proposal.id, title: proposal.title })),
      meetings: boardDoc.plannedMeetings.list(),
    };
  });
  const items: DueItem[] = [];
  const base = { boardId: board.id, boardTitle: board.title };

  for (const action of actions) {
    if (action.done || !within(action.dueDate)) continue;
    const audience: DueItemAudience | null = action.ownerId ? { kind: 'person', userId: action.ownerId } : action.department ? { kind: 'department', department: action.department } : null;
    if (!audience) continue;
    items.push({ ...base, kind: 'action', itemId: action.id, title: same(action.title), proposalTitle: null, dueDate: action.dueDate, audience, path: `${boardPath}?view=actions` });
  }

  for (const item of roadmap) {
    const last = item.endDate ?? item.startDate;
    if (!within(last)) continue;
    items.push({ ...base, kind: 'roadmap', itemId: item.id, title: same(item.title), proposalTitle: null, dueDate: last, audience: { kind: 'board' }, path: `${boardPath}?view=roadmap` });
  }

  for (const meeting of meetings) {
    if (!within(meeting.date)) continue;
    items.push({
      ...base,
      kind: 'meeting',
      itemId: meeting.id,
      title: same(meeting.title),
      proposalTitle: null,
      dueDate: meeting.date,
      audience: { kind: 'board' },
      path: boardPath,
      meeting: { start: meeting.start, startsAt: plannedMeetingSpan(meeting, timeZone).start, place: meeting.place },
    });
  }

  for (const proposal of proposals) {
    const sharedName = proposalDocName(board.id, proposal.id);
    // A proposal's documents are never created just to look for dates.
    if (!(await sources.exists(sharedName))) continue;
    for (const name of [sharedName, proposalInternalDocName(board.id, proposal.id)]) {
      const sections = await sources.read(name, (doc) => new ProposalDoc(doc).list());
      for (const section of sections) {
        if (section.status === 'done' || section.owner === null || !within(section.dueDate)) continue;
        const audience: DueItemAudience = section.owner.kind === 'person' ? { kind: 'person', userId: section.owner.userId } : { kind: 'department', department: section.owner.department };
        items.push({
          ...base,
          kind: 'section',
          itemId: `${proposal.id}/${section.id}`,
          title: section.title,
          proposalTitle: proposal.title,
          dueDate: section.dueDate,
          audience,
          path: `${boardPath}?card=${encodeURIComponent(proposal.id)}`,
        });
      }
    }
  }
  return items;
}

/** The key a reminder is recorded under: one per item, due date (and time) and person, so a moved due date reminds again. */
export function reminderKey(item: DueItem, userId: string): string {
  const when = item.meeting ? `${item.dueDate}T${item.meeting.start}` : item.dueDate;
  return `${item.kind}:${item.boardId}:${item.itemId}:${when}:${userId}`;
}
