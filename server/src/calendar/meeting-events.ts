/**
 * Planned meetings as calendar events: each at its time of day, in the school's time zone, with
 * its place. A cancelled meeting is gone from the board, so it is gone from the feed.
 */
import { createHash } from 'node:crypto';
import { plannedMeetingSpan, translate, type Locale, type StoredPlannedMeeting } from '@passerelle/shared';
import type { FeedEvent } from './feed-events.js';

/** What a meeting's event is written with. */
export interface MeetingEventWriting {
  locale: Locale;
  /** `https://host`: the board's link is built on it. */
  linkBase: string;
  /** The school's time zone (`MAIL_TIME_ZONE`): meetings' times are its wall clock. */
  timeZone: string;
  scopeTag: 'own' | 'board';
}

/** The events of a board's planned meetings, soonest first. */
export function plannedMeetingEvents(meetings: readonly StoredPlannedMeeting[], board: { id: string; title: string }, writing: MeetingEventWriting): FeedEvent[] {
  const { locale, linkBase, timeZone, scopeTag } = writing;
  const path = `/boards/${board.id}`;
  const url = `${linkBase}${path}`;
  return meetings.map((meeting) => {
    const { start, end } = plannedMeetingSpan(meeting, timeZone);
    const lines = [
      translate(locale, 'calendar.description.board', { board: board.title }),
      meeting.note ? translate(locale, 'meetingPlan.calendar.note', { note: meeting.note }) : null,
      translate(locale, 'calendar.description.open', { url }),
    ];
    return {
      uid: `meeting.${board.id}.${meeting.id}.${scopeTag}@passerelle`,
      start: meeting.date,
      end: meeting.date,
      timed: { start, end },
      location: meeting.place,
      summary: translate(locale, 'meetingPlan.calendar.event', { title: meeting.title }),
      description: lines.filter((line): line is string => line !== null).join('\n'),
      url,
      fingerprint: createHash('sha256')
        .update(JSON.stringify(['meeting', board.title, meeting.title, start.toISOString(), end.toISOString(), timeZone, meeting.place, meeting.note, path]))
        .digest('base64url'),
    };
  });
}
