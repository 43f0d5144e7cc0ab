/**
 * The events of a calendar feed, read from the boards' live documents at each request: action items
 * with a due date, roadmap items with dates, proposal sections with a due date, and planned
 * meetings. A person's own feed keeps what is theirs or their departments', and the meetings of the
 * boards they are a member of; a board's feed keeps everything dated on it.
 */
import { createHash } from 'node:crypto';
import {
  BoardDoc,
  ProposalDoc,
  proposalDocName,
  proposalInternalDocName,
  translate,
  type Department,
  type Locale,
  type MessageKey,
  type SectionOwner,
} from '@passerelle/shared';
import type { ReadDocument } from '../documents/index.js';
import { plannedMeetingEvents } from './meeting-events.js';

/** How feeds read the documents. */
export interface FeedSources {
  /** Reads a document's live state (`SyncServer.readDocument`). */
  read: ReadDocument;
  /** Whether a document was ever opened; a proposal's is never created just to list its dates. */
  exists(name: string): Promise<boolean>;
}

/** Whose dates a feed keeps: one person's (and their departments') or everything on the board. */
export type FeedScope =
  | {
      kind: 'own';
      userId: string;
      departments: readonly Department[];
      /** Whether the person is a member of the board (not only a reader through the workspace): its meetings are theirs then. */
      member: boolean;
    }
  | { kind: 'board' };

/** One dated item, ready to be written as an all-day event, or as a timed one when `timed` is set. */
export interface FeedEvent {
  /** Stable across requests and changes, so that a calendar application updates the event. */
  uid: string;
  /** `YYYY-MM-DD`, first day. */
  start: string;
  /** `YYYY-MM-DD`, the day after the last (iCalendar's DTEND of an all-day event is exclusive). */
  end: string;
  summary: string;
  description: string;
  url: string;
  /** What the event says, in no particular language: it changes exactly when the event does. */
  fingerprint: string;
  /** An event at a time of day (a planned meeting): its instants. */
  timed?: { start: Date; end: Date };
  /** Where it takes place, as typed (a room, an address, a video link). */
  location?: string;
}

/** The board a feed reads, and how to write its events. */
export interface FeedBoard {
  id: string;
  title: string;
}

/** What an event is written with. */
export interface FeedWriting {
  locale: Locale;
  /** `https://host`: links back to the board are built on it. */
  linkBase: string;
  scope: FeedScope;
  /** The school's time zone (`MAIL_TIME_ZONE`): planned meetings' times are its wall clock. */
  timeZone: string;
}

function dayAfter(day: string): string {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

function fingerprintOf(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url');
}

function sectionIsMine(owner: SectionOwner | null, scope: FeedScope): boolean {
  if (scope.kind === 'board') return true;
  if (owner === null) return false;
  return owner.kind === 'person' ? owner.userId === scope.userId : scope.departments.includes(owner.department);
}

/** The events of one board that `writing.scope` keeps, in the board's order (actions, roadmap, meetings, sections). */
export async function boardFeedEvents(sources: FeedSources, board: FeedBoard, writing: FeedWriting): Promise<FeedEvent[]> {
  const { locale, linkBase, scope } = writing;
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const boardUrl = `${linkBase}/boards/${board.id}`;
  const cardUrl = (cardId: string) => `${boardUrl}?card=${encodeURIComponent(cardId)}`;
  const describe = (lines: (string | null)[], url: string) => [...lines.filter((line): line is string => line !== null), t('calendar.description.open', { url })].join('\n');
  const scopeTag = scope.kind === 'own' ? 'own' : 'board';
  // Fingerprints name the link by its path: the host a feed is asked through (without PUBLIC_URL,
  // each process's own) must not count as a change.
  const pathOf = (url: string) => url.slice(linkBase.length);

  const { actions, roadmap, proposals, meetings } = await sources.read(board.id, (doc) => {
    const boardDoc = new BoardDoc(doc);
    return {
      actions: boardDoc.actions.list(),
      roadmap: boardDoc.roadmap.list(),
      meetings: boardDoc.plannedMeetings.list(),
      proposals: boardDoc.listProposals().map((proposal) => ({ id: proposal.id, title: proposal.title })),
    };
  });
  const proposalIds = new Set(proposals.map((proposal) => proposal.id));
  const events: FeedEvent[] = [];

  for (const action of actions) {
    if (action.dueDate === null) continue;
    if (scope.kind === 'own' && action.ownerId !== scope.userId && !(action.department !== null && scope.departments.includes(action.department))) continue;
    // An action that came from a proposal opens it; any other opens the board's list of actions.
    const url = action.sourceId !== null && proposalIds.has(action.sourceId) ? cardUrl(action.sourceId) : `${boardUrl}?view=actions`;
    events.push({
      uid: `action.${board.id}.${action.id}.${scopeTag}@passerelle`,
      start: action.dueDate,
      end: dayAfter(action.dueDate),
      summary: t(action.done ? 'calendar.event.actionDone' : 'calendar.event.action', { title: action.title }),
      description: describe(
        [
          t('calendar.description.board', { board: board.title }),
          action.ownerName ? t('calendar.description.owner', { owner: action.ownerName }) : null,
          action.sourceLabel ? t('calendar.description.source', { source: action.sourceLabel }) : null,
        ],
        url,
      ),
      url,
      fingerprint: fingerprintOf(['action', board.title, action.title, action.dueDate, action.done, action.ownerName, action.sourceLabel, pathOf(url)]),
    });
  }

  // Roadmap items have no lead: they reach a board's feed only.
  if (scope.kind === 'board') {
    for (const item of roadmap) {
      const start = item.startDate ?? item.endDate;
      if (start === null) continue;
      const last = item.endDate ?? start;
      const url = `${boardUrl}?view=roadmap`;
      events.push({
        uid: `roadmap.${board.id}.${item.id}.${scopeTag}@passerelle`,
        start,
        end: dayAfter(last),
        summary: t('calendar.event.roadmap', { title: item.title }),
        description: describe([t('calendar.description.board', { board: board.title }), item.phase ? t('calendar.description.phase', { phase: item.phase }) : null], url),
        url,
        fingerprint: fingerprintOf(['roadmap', board.title, item.title, start, last, item.phase, pathOf(url)]),
      });
    }
  }

  if (scope.kind === 'board' || scope.member) events.push(...plannedMeetingEvents(meetings, board, { locale, linkBase, timeZone: writing.timeZone, scopeTag }));

  for (const proposal of proposals) {
    const sharedName = proposalDocName(board.id, proposal.id);
    if (!(await sources.exists(sharedName))) continue;
    // Feeds belong to members, who read the internal sections too.
    for (const name of [sharedName, proposalInternalDocName(board.id, proposal.id)]) {
      const sections = await sources.read(name, (doc) => new ProposalDoc(doc).list());
      for (const section of sections) {
        if (section.dueDate === null || !sectionIsMine(section.owner, scope)) continue;
        const url = cardUrl(proposal.id);
        const done = section.status === 'done';
        const sectionTitle = section.title[locale] || section.title.fr || section.title.en;
        events.push({
          uid: `section.${board.id}.${proposal.id}.${section.id}.${scopeTag}@passerelle`,
          start: section.dueDate,
          end: dayAfter(section.dueDate),
          summary: t(done ? 'calendar.event.sectionDone' : 'calendar.event.section', { section: sectionTitle, proposal: proposal.title }),
          description: describe([t('calendar.description.board', { board: board.title })], url),
          url,
          fingerprint: fingerprintOf(['section', board.title, proposal.title, section.title, section.dueDate, done, pathOf(url)]),
        });
      }
    }
  }
  return events;
}
