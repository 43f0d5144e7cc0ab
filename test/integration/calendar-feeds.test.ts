/**
 * Calendar feeds against a real server on port 0: feeds read back with an iCalendar parser
 * (`node-ical`), kept up to date by edits made through a real y-websocket client, revoked and
 * renewed, and attacked as an outsider, a partner guest and a viewer who loses access.
 */
import ical, { type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import { BoardDoc, ProposalDoc, proposalDocName, proposalInternalDocName, webcalUrl, type CalendarFeedListResponse, type CreatedCalendarFeed } from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { TEST_ACTOR, addCard } from '../helpers/proposals.js';
import { syncedClient } from '../helpers/sync-client.js';
import { adminToken, api, createBoard, createMember, eventually, joinAsGuest } from '../helpers/test-server.js';

/** The events of a feed by uid, and the raw text. */
async function fetchFeed(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const text = response.status === 200 ? await response.text() : '';
  const parsed = text ? ical.sync.parseICS(text) : {};
  const events = Object.values(parsed).filter((entry): entry is VEvent => entry?.type === 'VEVENT');
  return { response, text, events, calendar: parsed.vcalendar as unknown as Record<string, string> | undefined };
}

/** The day of an all-day event, as the parser gives it (local midnight of that day). */
const dayOf = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
const urlOf = (event: VEvent) => (typeof event.url === 'string' ? event.url : (event.url as unknown as { val: string }).val);
const summaryOf = (event: VEvent) => (typeof event.summary === 'string' ? event.summary : (event.summary as unknown as { val: string }).val);

describe('calendar feeds', () => {
  const ctx = serverPerTest();

  /**
   * A board the workspace cannot see, with a viewer from Studies on it; on it an action of Studies,
   * one of another person, a roadmap item, and a proposal whose shared section Studies writes (due)
   * and whose internal section has a due date too.
   */
  async function setUp() {
    const url = ctx.server.url;
    const admin = await adminToken(url);
    const boardId = await createBoard(url, admin, 'Alliance Porto');
    expect((await api(url, `/api/boards/${boardId}/sharing`, { method: 'PATCH', token: admin, headers: { origin: url }, body: { workspaceAccess: 'none' } })).status).toBe(204);
    const viewer = await createMember(url, 'viewer', ['studies']);
    expect((await api(url, `/api/boards/${boardId}/members/${viewer.id}`, { method: 'PUT', token: admin, headers: { origin: url }, body: { role: 'viewer' } })).status).toBe(204);
    expect((await api(url, '/api/auth/me', { method: 'PATCH', token: viewer.token, headers: { origin: url }, body: { locale: 'en' } })).status).toBe(200);
    const cardId = await addCard(ctx.server, boardId, 'Double diplôme Porto');
    const ids = await ctx.server.sync.editDocument(
      boardId,
      (doc) => {
        const board = new BoardDoc(doc);
        return {
          studiesAction: board.actions.create({ title: 'Send the learning agreements', department: 'studies', dueDate: '2031-04-10', sourceId: cardId, source: 'proposal' }),
          otherAction: board.actions.create({ title: 'Book the visit', ownerId: 'someone-else', ownerName: 'Someone', dueDate: '2031-04-12' }),
          roadmapItem: board.roadmap.create({ title: 'Sign the agreement', startDate: '2031-06-01', endDate: '2031-06-30' }),
        };
      },
      TEST_ACTOR,
    );
    const sharedSection = await ctx.server.sync.editDocument(proposalDocName(boardId, cardId), (doc) => {
      const proposal = new ProposalDoc(doc);
      const section = proposal.list()[0]!;
      proposal.setOwner(section.id, { kind: 'department', department: 'studies' });
      proposal.setDueDate(section.id, '2031-05-01');
      return section;
    }, TEST_ACTOR);
    await ctx.server.sync.editDocument(proposalInternalDocName(boardId, cardId), (doc) => {
      const proposal = new ProposalDoc(doc);
      const section = proposal.list()[0]!;
      proposal.setOwner(section.id, { kind: 'department', department: 'sri' });
      proposal.setDueDate(section.id, '2031-03-01');
    }, TEST_ACTOR);
    return { url, admin, boardId, cardId, viewer, ...ids, sharedSection };
  }

  const createFeed = async (url: string, token: string, boardId: string | null) => {
    const created = await api<CreatedCalendarFeed>(url, '/api/calendar-feeds', { method: 'POST', token, headers: { origin: url }, body: { boardId } });
    expect(created.status).toBe(201);
    return created.body;
  };

  it('serves a board’s dated items and a person’s own ones as iCalendar events in their language, each linking back to its card', async () => {
    const { url, boardId, cardId, viewer, studiesAction, otherAction, roadmapItem, sharedSection } = await setUp();
    const boardFeed = await createFeed(url, viewer.token, boardId);
    expect(boardFeed.url).toMatch(new RegExp(`^${url}/calendar/pcal_[\\w-]{43}\\.ics$`));
    expect(webcalUrl(boardFeed.url).startsWith('webcal://')).toBe(true);
    expect(boardFeed.feed).toMatchObject({ boardId, boardTitle: 'Alliance Porto' });

    const board = await fetchFeed(boardFeed.url);
    expect(board.response.status).toBe(200);
    expect(board.response.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(board.calendar?.['WR-CALNAME'] ?? board.text).toContain('Passerelle: Alliance Porto');
    const byUid = new Map(board.events.map((event) => [event.uid, event]));
    expect(board.events).toHaveLength(5);
    const action = byUid.get(`action.${boardId}.${studiesAction}.board@passerelle`)!;
    expect(summaryOf(action)).toBe('Action: Send the learning agreements');
    expect(dayOf(action.start)).toBe('2031-04-10');
    expect(action.datetype).toBe('date');
    expect(urlOf(action)).toBe(`${url}/boards/${boardId}?card=${cardId}`);
    expect(action.description).toContain(`Open in Passerelle: ${url}/boards/${boardId}?card=${cardId}`);
    expect(urlOf(byUid.get(`action.${boardId}.${otherAction}.board@passerelle`)!)).toBe(`${url}/boards/${boardId}?view=actions`);
    const roadmap = byUid.get(`roadmap.${boardId}.${roadmapItem}.board@passerelle`)!;
    expect([summaryOf(roadmap), dayOf(roadmap.start), dayOf(roadmap.end!)]).toEqual(['Roadmap: Sign the agreement', '2031-06-01', '2031-07-01']);
    const section = byUid.get(`section.${boardId}.${cardId}.${sharedSection.id}.board@passerelle`)!;
    expect(summaryOf(section)).toBe(`Due: ${sharedSection.title.en} (Double diplôme Porto)`);
    expect(dayOf(section.start)).toBe('2031-05-01');
    expect(urlOf(section)).toBe(`${url}/boards/${boardId}?card=${cardId}`);
    for (const event of board.events) expect([event.sequence, event.lastmodified?.toISOString()]).toEqual([0, event.dtstamp.toISOString()]);

    // The person's own feed: what is theirs or Studies', not another person's action, no roadmap item.
    const own = await fetchFeed((await createFeed(url, viewer.token, null)).url);
    expect(own.text).toContain('Passerelle: my actions and deadlines');
    expect(own.events.map((event) => event.uid).sort()).toEqual(
      [`action.${boardId}.${studiesAction}.own@passerelle`, `section.${boardId}.${cardId}.${sharedSection.id}.own@passerelle`].sort(),
    );

    // The same feed in French for a person who reads French.
    expect((await api(url, '/api/auth/me', { method: 'PATCH', token: viewer.token, headers: { origin: url }, body: { locale: 'fr' } })).status).toBe(200);
    const french = await fetchFeed(boardFeed.url);
    expect(french.events.map(summaryOf)).toContain('Action : Send the learning agreements');
    expect(french.events.map(summaryOf)).toContain('Feuille de route : Sign the agreement');
  });

  it('shows an edit made on the board through a live client in the next fetch, as the same event with a higher sequence', async () => {
    const { url, admin, boardId, viewer, studiesAction } = await setUp();
    const feedUrl = (await createFeed(url, viewer.token, boardId)).url;
    const uid = `action.${boardId}.${studiesAction}.board@passerelle`;
    const before = await fetchFeed(feedUrl);
    const etag = before.response.headers.get('etag')!;
    expect(etag).toBeTruthy();
    // Nothing changed: the calendar application is told so.
    const again = await fetch(feedUrl, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const first = before.events.find((event) => event.uid === uid)!;

    // LAST-MODIFIED counts whole seconds: the edit comes in a later one.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const client = await syncedClient(url, boardId, admin, ctx.track);
    new BoardDoc(client.doc).actions.update(studiesAction, { dueDate: '2031-04-20', title: 'Send the signed learning agreements' });

    await eventually(async () => (await fetch(feedUrl, { headers: { 'if-none-match': etag } })).status === 200, 10_000, 'the feed to change', 50);
    const after = await fetchFeed(feedUrl);
    const moved = after.events.find((event) => event.uid === uid)!;
    expect(after.events).toHaveLength(before.events.length);
    expect([summaryOf(moved), dayOf(moved.start), moved.sequence]).toEqual(['Action: Send the signed learning agreements', '2031-04-20', 1]);
    expect(moved.lastmodified!.getTime()).toBeGreaterThan(first.lastmodified!.getTime());
    expect(moved.dtstamp.getTime()).toBe(moved.lastmodified!.getTime());
    // The other events did not change, and say so.
    for (const event of after.events.filter((other) => other.uid !== uid)) expect(event.sequence).toBe(0);
    // Fetching again changes nothing more.
    const still = (await fetchFeed(feedUrl)).events.find((event) => event.uid === uid)!;
    expect(still.sequence).toBe(1);
  });

  it('answers 404 at a revoked address, and at the old one once renewed, while the new one works', async () => {
    const { url, boardId, viewer } = await setUp();
    const first = await createFeed(url, viewer.token, boardId);
    const renewed = await createFeed(url, viewer.token, boardId);
    expect((await fetchFeed(first.url)).response.status).toBe(404);
    expect((await fetchFeed(renewed.url)).response.status).toBe(200);
    const listed = await api<CalendarFeedListResponse>(url, '/api/calendar-feeds', { token: viewer.token });
    expect(listed.body.feeds).toEqual([{ id: renewed.feed.id, boardId, boardTitle: 'Alliance Porto', createdAt: renewed.feed.createdAt }]);
    // The list never gives the secret back.
    expect(JSON.stringify(listed.body)).not.toContain('pcal_');

    expect((await api(url, `/api/calendar-feeds/${renewed.feed.id}`, { method: 'DELETE', token: viewer.token, headers: { origin: url } })).status).toBe(204);
    expect((await fetchFeed(renewed.url)).response.status).toBe(404);
    expect((await api<CalendarFeedListResponse>(url, '/api/calendar-feeds', { token: viewer.token })).body.feeds).toEqual([]);
    // A made-up address, or one without the prefix, is no feed either.
    expect((await fetchFeed(`${url}/calendar/pcal_${'A'.repeat(43)}.ics`)).response.status).toBe(404);
    expect((await fetchFeed(renewed.url.replace('.ics', ''))).response.status).toBe(404);
  });

  it('refuses an outsider a board’s feed, a guest any feed, and another person’s feed to revoke', async () => {
    const { url, admin, boardId, viewer } = await setUp();
    const outsider = await createMember(url, 'outsider', ['studies']);
    const refused = await api(url, '/api/calendar-feeds', { method: 'POST', token: outsider.token, headers: { origin: url }, body: { boardId } });
    expect(refused.status).toBe(404);
    // The outsider's own feed has nothing of a board they cannot open, though Studies owns items on it.
    const own = await fetchFeed((await createFeed(url, outsider.token, null)).url);
    expect(own.response.status).toBe(200);
    expect(own.events).toEqual([]);

    const guest = await joinAsGuest({ serverUrl: url, as: { token: admin }, boardId });
    for (const body of [{ boardId }, { boardId: null }]) {
      expect((await api(url, '/api/calendar-feeds', { method: 'POST', cookie: guest.cookie, headers: { origin: url }, body })).status).toBe(403);
    }
    expect((await api(url, '/api/calendar-feeds', { cookie: guest.cookie })).status).toBe(403);
    expect((await api(url, '/api/calendar-feeds', {})).status).toBe(401);

    const viewerFeed = await createFeed(url, viewer.token, boardId);
    expect((await api(url, `/api/calendar-feeds/${viewerFeed.feed.id}`, { method: 'DELETE', token: outsider.token, headers: { origin: url } })).status).toBe(404);
    expect((await fetchFeed(viewerFeed.url)).response.status).toBe(200);
    expect((await api(url, '/api/calendar-feeds', { method: 'POST', token: viewer.token, headers: { origin: url }, body: { boardId: 'not an id' } })).status).toBe(400);
  });

  it('stops serving a board’s events to a person who lost access to it, and every feed of a deactivated person', async () => {
    const { url, admin, boardId, viewer, studiesAction } = await setUp();
    const boardFeed = await createFeed(url, viewer.token, boardId);
    const ownFeed = await createFeed(url, viewer.token, null);
    expect((await fetchFeed(ownFeed.url)).events.map((event) => event.uid)).toContain(`action.${boardId}.${studiesAction}.own@passerelle`);

    expect((await api(url, `/api/boards/${boardId}/members/${viewer.id}`, { method: 'PUT', token: admin, headers: { origin: url }, body: { role: null } })).status).toBe(204);
    expect((await fetchFeed(boardFeed.url)).response.status).toBe(404);
    const own = await fetchFeed(ownFeed.url);
    expect(own.response.status).toBe(200);
    expect(own.events).toEqual([]);
    expect((await api<CalendarFeedListResponse>(url, '/api/calendar-feeds', { token: viewer.token })).body.feeds.map((feed) => feed.boardId)).toEqual([null]);

    expect((await api(url, `/api/users/${viewer.id}`, { method: 'PATCH', token: admin, headers: { origin: url }, body: { active: false } })).status).toBe(200);
    expect((await fetchFeed(ownFeed.url)).response.status).toBe(404);
  });
});
