/**
 * Calendar feeds across two server processes sharing one Redis: an address created through one
 * process serves through the other, an edit made through a live client of the first shows in the
 * feed the second serves, and renewing through the second ends the old address on the first.
 */
import ical, { type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardDoc, type CreatedCalendarFeed } from '@passerelle/shared';
import { startRedisPair, type RedisPair } from '../helpers/server-process.js';
import { adminToken, api, connectClient, createBoard, eventually, synced } from '../helpers/test-server.js';

/** How long a change may take to cross from one process to the other (two shared cores). */
const CROSSING = 10_000;

async function eventsAt(url: string): Promise<{ status: number; events: VEvent[] }> {
  const response = await fetch(url);
  if (response.status !== 200) return { status: response.status, events: [] };
  const events = Object.values(ical.sync.parseICS(await response.text())).filter((entry): entry is VEvent => entry?.type === 'VEVENT');
  return { status: 200, events };
}

describe('calendar feeds across two processes on Redis', () => {
  let pair: RedisPair;
  let token: string;
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    pair = await startRedisPair({ keyPrefix: 'test:' });
    token = await adminToken(pair.first.url);
  });

  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    await pair?.stop();
  });

  it('serves a feed created on one process from the other, follows a live edit, and ends the old address everywhere once renewed', async () => {
    const { first, second } = pair;
    const boardId = await createBoard(first.url, token, 'Alliance Delft');
    const client = connectClient(first.url, boardId, token);
    cleanups.push(() => client.provider.destroy());
    await synced(client.provider);
    const board = new BoardDoc(client.doc);
    const actionId = board.actions.create({ title: 'Draft the agreement', dueDate: '2031-02-03' });

    const created = await api<CreatedCalendarFeed>(first.url, '/api/calendar-feeds', { method: 'POST', token, headers: { origin: first.url }, body: { boardId } });
    expect(created.status).toBe(201);
    const onSecond = created.body.url.replace(first.url, second.url);
    const uid = `action.${boardId}.${actionId}.board@passerelle`;
    let found: VEvent | undefined;
    await eventually(async () => {
      found = (await eventsAt(onSecond)).events.find((event) => event.uid === uid);
      return found !== undefined;
    }, CROSSING, 'the action in the feed of the other process', 100);
    expect(found!.sequence).toBe(0);

    board.actions.update(actionId, { dueDate: '2031-02-10' });
    await eventually(async () => {
      found = (await eventsAt(onSecond)).events.find((event) => event.uid === uid);
      return found?.sequence === 1;
    }, CROSSING, 'the moved action in the feed of the other process', 100);
    expect(found!.start.getDate()).toBe(10);
    // The first process serves the same stamp: the sequence went up once, not once per process.
    expect((await eventsAt(created.body.url)).events.find((event) => event.uid === uid)?.sequence).toBe(1);

    const renewed = await api<CreatedCalendarFeed>(second.url, '/api/calendar-feeds', { method: 'POST', token, headers: { origin: second.url }, body: { boardId } });
    expect(renewed.status).toBe(201);
    expect((await eventsAt(created.body.url)).status).toBe(404);
    expect((await eventsAt(onSecond)).status).toBe(404);
    expect((await eventsAt(renewed.body.url.replace(second.url, first.url))).status).toBe(200);
  });
});
