/**
 * Calendar feeds: the routes a person manages their feeds with (under `/api`, members only) and the
 * feed itself at its secret address (`/calendar/<secret>.ics`, no session: calendar applications
 * fetch it alone). A feed is computed from the live documents at each request, as its owner may read
 * them now: a board they lost access to, or a deactivated owner, answers 404 like a revoked address.
 */
import { createHash, randomBytes } from 'node:crypto';
import express, { type Request } from 'express';
import ical from 'ical-generator';
import {
  CALENDAR_FEED_PATH,
  CreateCalendarFeedRequest,
  newId,
  translate,
  type CalendarFeedListResponse,
  type CalendarFeedSummary,
  type CreatedCalendarFeed,
} from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import { hashSecret, type MemberPrincipal } from '../auth/auth-service.js';
import { ApiError, parseBody } from '../http/errors.js';
import { memberOf, requireMember } from '../http/guards.js';
import type { BoardDirectory, CalendarFeedRecord, CalendarFeedStore, PeopleStore, UserRecord } from '../store/account-store.js';
import { boardFeedEvents, type FeedEvent, type FeedScope, type FeedSources } from './feed-events.js';

export interface CalendarRouterOptions {
  calendars: CalendarFeedStore;
  people: PeopleStore;
  directory: BoardDirectory;
  access: BoardAccess;
  sources: FeedSources;
  /** The server's public URL (`PUBLIC_URL`); null: the request's own origin. */
  publicUrl: string | null;
  /** The school's time zone (`MAIL_TIME_ZONE`): planned meetings are at its wall clock, and feeds are written in it. */
  timeZone: string;
}

/** Prefix of feed secrets, so that a leaked address is recognisable (secret scanners, logs). */
const FEED_SECRET_PREFIX = 'pcal_';

/**
 * How long a calendar application should wait before asking again (REFRESH-INTERVAL, and Outlook's
 * X-PUBLISHED-TTL): an hour keeps dates fresh without a board's many subscribers polling it hard.
 */
const REFRESH_SECONDS = 60 * 60;

const linkBaseOf = (options: CalendarRouterOptions, request: Request) => options.publicUrl ?? `${request.protocol}://${request.get('host')}`;

/** The routes under `/api` a member manages their feeds with; guests are refused (403). */
export function createCalendarRouter(options: CalendarRouterOptions): express.Router {
  const { calendars, directory, access } = options;
  const router = express.Router();

  const summaryOf = async (feed: CalendarFeedRecord): Promise<CalendarFeedSummary> => ({
    id: feed.id,
    boardId: feed.boardId,
    boardTitle: feed.boardId === null ? '' : ((await directory.getBoard(feed.boardId))?.title ?? ''),
    createdAt: feed.createdAt,
  });

  // Feeds of boards the person can no longer open are left out: they answer 404 anyway.
  router.get('/calendar-feeds', requireMember, async (request, response) => {
    const feeds = await calendars.listFeeds(memberOf(request).id);
    const visible: CalendarFeedSummary[] = [];
    for (const feed of feeds) {
      if (feed.boardId !== null && (await access.roleOf(request.principal!, feed.boardId)) === null) continue;
      visible.push(await summaryOf(feed));
    }
    const body: CalendarFeedListResponse = { feeds: visible };
    response.json(body);
  });

  // Creates the feed, or renews it: the new secret replaces the old one, which then answers 404.
  router.post('/calendar-feeds', requireMember, async (request, response) => {
    const { boardId } = parseBody(CreateCalendarFeedRequest, request.body);
    if (boardId !== null && (await access.roleOf(request.principal!, boardId)) === null) throw new ApiError('not_found');
    const secret = `${FEED_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
    const feed: CalendarFeedRecord = { id: newId(), userId: memberOf(request).id, boardId, createdAt: new Date().toISOString() };
    await calendars.putFeed({ ...feed, tokenHash: hashSecret(secret) });
    const body: CreatedCalendarFeed = { feed: await summaryOf(feed), url: `${linkBaseOf(options, request)}${CALENDAR_FEED_PATH}/${secret}.ics` };
    response.status(201).json(body);
  });

  router.delete('/calendar-feeds/:feedId', requireMember, async (request, response) => {
    const deleted = await calendars.deleteFeed(memberOf(request).id, String(request.params.feedId));
    if (!deleted) throw new ApiError('not_found');
    response.status(204).end();
  });

  return router;
}

/** The principal a feed is read as: its owner, as an API token would sign them in. */
function principalOf(user: UserRecord): MemberPrincipal {
  return { kind: 'member', id: user.id, name: user.name, user, via: 'token', sessionHash: null, expiresAt: null };
}

/**
 * `GET /calendar/<secret>.ics`: the feed as an iCalendar file. Each event keeps its uid across
 * requests; SEQUENCE goes up and LAST-MODIFIED (and DTSTAMP, which for a published calendar is the
 * last revision) moves each time it changes, so calendar applications update the event in place.
 * The ETag is the body's hash: a calendar asking again with `If-None-Match` gets 304 when nothing changed.
 */
export function createCalendarFeedRoute(options: CalendarRouterOptions): express.Router {
  const { calendars, people, directory, access, sources } = options;
  const router = express.Router();

  router.get(`${CALENDAR_FEED_PATH}/:file`, async (request, response, next) => {
    try {
      const notFound = () => response.status(404).type('text/plain').send('Not found');
      const match = /^(.+)\.ics$/.exec(String(request.params.file));
      if (!match || !match[1].startsWith(FEED_SECRET_PREFIX)) return notFound();
      const feed = await calendars.findFeedByToken(hashSecret(match[1]));
      const owner = feed ? await people.findUserById(feed.userId) : undefined;
      if (!feed || !owner || owner.deactivatedAt !== null) return notFound();
      const principal = principalOf(owner);
      const locale = owner.locale ?? 'fr';
      const writing = { locale, linkBase: linkBaseOf(options, request), timeZone: options.timeZone };

      let name: string;
      const events: FeedEvent[] = [];
      if (feed.boardId !== null) {
        const board = await directory.getBoard(feed.boardId);
        if (!board || (await access.roleOf(principal, board.id)) === null) return notFound();
        name = translate(locale, 'calendar.feed.boardName', { board: board.title });
        events.push(...(await boardFeedEvents(sources, board, { ...writing, scope: { kind: 'board' } })));
      } else {
        name = translate(locale, 'calendar.feed.ownName');
        const boards = await directory.listBoards();
        const roles = await access.rolesOf(principal, boards.map((board) => board.id));
        // Meetings are those of the boards the person is a member of, not of every board the workspace opens to them.
        const memberships = await directory.boardRolesOf(owner.id);
        for (const board of boards.filter((candidate) => roles.has(candidate.id)).sort((a, b) => a.id.localeCompare(b.id))) {
          const scope: FeedScope = { kind: 'own', userId: owner.id, departments: owner.departments, member: memberships.has(board.id) };
          events.push(...(await boardFeedEvents(sources, board, { ...writing, scope })));
        }
      }

      const stamps = await calendars.stampEvents(events, new Date().toISOString());
      const calendar = ical({
        name,
        prodId: { company: 'Passerelle', product: 'Passerelle', language: locale.toUpperCase() },
        ttl: REFRESH_SECONDS,
      });
      for (const event of events) {
        const stamp = stamps.get(event.uid);
        const modified = new Date(stamp?.modifiedAt ?? 0);
        // A meeting is written at its instant in UTC, which every calendar application shows in its
        // own zone; a dated item is a day, the same everywhere.
        const when = event.timed ? { start: event.timed.start, end: event.timed.end } : { start: event.start, end: event.end, allDay: true };
        calendar.createEvent({
          id: event.uid,
          ...when,
          location: event.location || null,
          summary: event.summary,
          description: event.description,
          url: event.url,
          sequence: stamp?.sequence ?? 0,
          stamp: modified,
          lastModified: modified,
        });
      }
      const body = calendar.toString();
      const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
      // Private: the feed is one person's; no-cache: a cache may keep it but must ask again.
      response.setHeader('Cache-Control', 'private, no-cache');
      response.setHeader('ETag', etag);
      if (request.get('if-none-match') === etag) return response.status(304).end();
      response.type('text/calendar; charset=utf-8').send(body);
    } catch (error) {
      next(error);
    }
  });

  return router;
}
