/**
 * Planned meetings against a real server on port 0: planned through a stock y-websocket client,
 * read back from the calendar feeds with an iCalendar parser (`node-ical`) at the right instant in
 * the school's time zone, moved and cancelled, and kept from a partner guest's and a viewer's hands.
 */
import ical, { type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import { BoardDoc, type CreatedCalendarFeed, type PlannedMeeting } from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { cookieClient, syncedClient } from '../helpers/sync-client.js';
import { adminToken, api, createBoard, createMember, eventually, joinAsGuest, synced } from '../helpers/test-server.js';

async function fetchFeed(url: string) {
  const response = await fetch(url);
  const text = await response.text();
  const events = Object.values(ical.sync.parseICS(text)).filter((entry): entry is VEvent => entry?.type === 'VEVENT');
  return { response, text, events };
}
const textOf = (value: unknown) => (typeof value === 'string' ? value : (value as { val: string }).val);

describe('planned meetings', () => {
  const ctx = serverPerTest({ env: { MAIL_TIME_ZONE: 'Europe/Paris' } });

  /** A board the workspace cannot see, with a viewer on it, and a meeting planned by its owner through a live client. */
  async function setUp() {
    const url = ctx.server.url;
    const admin = await adminToken(url);
    const boardId = await createBoard(url, admin, 'Alliance Porto');
    expect((await api(url, `/api/boards/${boardId}/sharing`, { method: 'PATCH', token: admin, headers: { origin: url }, body: { workspaceAccess: 'none' } })).status).toBe(204);
    const viewer = await createMember(url, 'viewer', ['studies']);
    expect((await api(url, `/api/boards/${boardId}/members/${viewer.id}`, { method: 'PUT', token: admin, headers: { origin: url }, body: { role: 'viewer' } })).status).toBe(204);
    expect((await api(url, '/api/auth/me', { method: 'PATCH', token: viewer.token, headers: { origin: url }, body: { locale: 'en' } })).status).toBe(200);
    const owner = await syncedClient(url, boardId, admin, ctx.track);
    const board = new BoardDoc(owner.doc);
    const meetingId = board.plannedMeetings.create({ title: 'Steering committee', date: '2027-03-29', start: '10:00', minutes: 90, place: 'Room B12', note: 'Budget 2028' });
    await eventually(
      async () => (await ctx.server.sync.readDocument(boardId, (doc) => new BoardDoc(doc).plannedMeetings.get(meetingId))) !== undefined,
      5000,
      'the meeting on the server',
    );
    const createFeed = async (token: string, feedBoard: string | null) =>
      (await api<CreatedCalendarFeed>(url, '/api/calendar-feeds', { method: 'POST', token, headers: { origin: url }, body: { boardId: feedBoard } })).body.url;
    return { url, admin, boardId, viewer, board, meetingId, createFeed };
  }

  it('puts a planned meeting in the board’s feed and its members’ own feeds at its time in the school’s zone, then moves and removes it', async () => {
    const { boardId, viewer, board, meetingId, createFeed, url } = await setUp();
    const boardFeed = await createFeed(viewer.token, boardId);
    const ownFeed = await createFeed(viewer.token, null);

    const first = await fetchFeed(boardFeed);
    const uid = `meeting.${boardId}.${meetingId}.board@passerelle`;
    const event = first.events.find((candidate) => candidate.uid === uid)!;
    // 10:00 in Paris on 29 March 2027 is summer time: 08:00 UTC.
    expect(event.start.toISOString()).toBe('2027-03-29T08:00:00.000Z');
    expect(event.end!.toISOString()).toBe('2027-03-29T09:30:00.000Z');
    expect(event.datetype).toBe('date-time');
    expect([textOf(event.summary), textOf(event.location), textOf(event.url), event.sequence]).toEqual(['Meeting: Steering committee', 'Room B12', `${url}/boards/${boardId}`, 0]);
    expect(event.description).toContain('Agenda: Budget 2028');
    expect(first.text).toContain('DTSTART:20270329T080000Z');
    expect(first.text).toContain('DTEND:20270329T093000Z');
    const own = await fetchFeed(ownFeed);
    expect(own.events.map((candidate) => candidate.uid)).toEqual([`meeting.${boardId}.${meetingId}.own@passerelle`]);
    expect(own.events[0]!.start.toISOString()).toBe('2027-03-29T08:00:00.000Z');

    // Moved to November, winter time: 10:00 in Paris is 09:00 UTC; the same event, one sequence up.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    board.plannedMeetings.update(meetingId, { date: '2027-11-02', place: 'Visio: https://meet.example.org/porto' });
    await eventually(async () => (await fetchFeed(boardFeed)).events.find((candidate) => candidate.uid === uid)?.sequence === 1, 10_000, 'the moved meeting', 50);
    const moved = (await fetchFeed(boardFeed)).events.find((candidate) => candidate.uid === uid)!;
    expect([moved.start.toISOString(), moved.end!.toISOString(), textOf(moved.location)]).toEqual(['2027-11-02T09:00:00.000Z', '2027-11-02T10:30:00.000Z', 'Visio: https://meet.example.org/porto']);

    // Cancelled: gone from both feeds.
    board.plannedMeetings.delete(meetingId);
    await eventually(async () => !(await fetchFeed(boardFeed)).events.some((candidate) => candidate.uid === uid), 10_000, 'the cancelled meeting gone', 50);
    expect((await fetchFeed(ownFeed)).events).toEqual([]);
  });

  it('leaves meetings out of the own feed of a person who reads the board through the workspace only', async () => {
    const { url, admin, boardId, createFeed } = await setUp();
    expect((await api(url, `/api/boards/${boardId}/sharing`, { method: 'PATCH', token: admin, headers: { origin: url }, body: { workspaceAccess: 'viewer' } })).status).toBe(204);
    const reader = await createMember(url, 'reader', ['studies']);
    expect((await fetchFeed(await createFeed(reader.token, boardId))).events).toHaveLength(1);
    expect((await fetchFeed(await createFeed(reader.token, null))).events).toEqual([]);
  });

  it('puts back what a partner guest with the editor role changes in the planned meetings, and refuses a viewer’s change', async () => {
    const { url, admin, boardId, viewer, meetingId } = await setUp();
    const planned = (doc: BoardDoc) => doc.plannedMeetings.list().map(({ id, date, start, title }) => ({ id, date, start, title }));
    const expected = [{ id: meetingId, date: '2027-03-29', start: '10:00', title: 'Steering committee' }];

    const guest = await joinAsGuest({ serverUrl: url, as: { token: admin }, boardId, role: 'editor', name: 'Ana Sousa' });
    const partner = cookieClient(url, boardId, guest.cookie, ctx.track);
    await synced(partner.provider);
    const partnerBoard = new BoardDoc(partner.doc);
    await eventually(() => partnerBoard.plannedMeetings.get(meetingId) !== undefined, 5000, 'the meeting at the guest');
    // The guest sees the meeting, then tries to move it, to plan another and, last, to cancel it.
    partnerBoard.plannedMeetings.update(meetingId, { start: '18:00' });
    partnerBoard.plannedMeetings.create({ title: 'Partner meeting', date: '2027-04-01', start: '09:00' } satisfies Partial<PlannedMeeting>);
    partnerBoard.plannedMeetings.delete(meetingId);
    // A card the guest adds in the same minutes is theirs to add: only the meetings are put back.
    const columnId = partnerBoard.addColumn('Partner column');

    await eventually(() => partnerBoard.columns.has(columnId) && JSON.stringify(planned(partnerBoard)) === JSON.stringify(expected), 10_000, 'the guest’s copy put back');
    const onServer = await ctx.server.sync.readDocument(boardId, (doc) => ({ meetings: planned(new BoardDoc(doc)), column: new BoardDoc(doc).columns.has(columnId) }));
    expect(onServer).toEqual({ meetings: expected, column: true });

    // A viewer member may not write to the board at all.
    const reader = await syncedClient(url, boardId, viewer.token, ctx.track);
    new BoardDoc(reader.doc).plannedMeetings.delete(meetingId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await ctx.server.sync.readDocument(boardId, (doc) => planned(new BoardDoc(doc)))).toEqual(expected);
  });

  it('puts back a value written over a planned meeting that is no planned meeting', async () => {
    const { url, admin, boardId, meetingId } = await setUp();
    const editor = await syncedClient(url, boardId, admin, ctx.track);
    const editorBoard = new BoardDoc(editor.doc);
    await eventually(() => editorBoard.plannedMeetings.get(meetingId) !== undefined, 5000, 'the meeting at the second client');
    editorBoard.plannedMeetings.map.set(meetingId, { title: 'No date any more' });
    editorBoard.plannedMeetings.map.set('junk', 42);
    await eventually(() => editorBoard.plannedMeetings.get(meetingId)?.date === '2027-03-29' && !editorBoard.plannedMeetings.map.has('junk'), 10_000, 'the meeting put back');
  });
});
