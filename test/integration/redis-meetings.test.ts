/**
 * Live meetings across processes: two Passerelle processes (the built server) on one Redis started by
 * the test, as behind a load balancer. The facilitator is connected to the first, partners and
 * colleagues to either; everyone must share one meeting with the guarantees of a single process.
 * What someone must not see before a reveal is checked on every event their socket received.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdapter } from '@socket.io/redis-adapter';
import { pino } from 'pino';
import { createClient } from 'redis';
import { Server as SocketServer } from 'socket.io';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io as connectSocketIo } from 'socket.io-client';
import {
  BoardDoc,
  type BoardRole,
  type ClientToServerEvents,
  type MeetingReply,
  type MeetingUpdate,
  type PresenterView,
} from '@passerelle/shared';
import type { BoardAccess } from '../../server/src/access/board-access.js';
import { registerMeetings, type MeetingService } from '../../server/src/meeting/meeting-service.js';
import type { MeetingStateStore } from '../../server/src/meeting/meeting-state-store.js';
import { RedisMeetingStateStore } from '../../server/src/meeting/redis-meeting-state.js';
import type { SyncServer } from '../../server/src/sync/sync-server.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { startRedisPair, type RedisPair, type ServerProcess } from '../helpers/server-process.js';
import { meetingParticipant, type MeetingSocket, type Participant } from '../helpers/meeting-client.js';
import { adminToken, api, connectClient, createBoard, eventually, joinAsGuest, login, synced } from '../helpers/test-server.js';

/** How long a change may take to cross from one process to the other (two shared cores). */
const CROSSING = 10_000;

describe('live meetings across two processes on Redis', () => {
  let pair: RedisPair;
  let first: ServerProcess;
  let second: ServerProcess;
  let adminApiToken: string;
  const cleanups: (() => void)[] = [];
  let people = 0;

  // One pair of processes for the file (starting them is most of the time); each test has its own board.
  beforeAll(async () => {
    pair = await startRedisPair({ keyPrefix: 'test:' });
    ({ first, second } = pair);
    adminApiToken = await adminToken(first.url);
  });

  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    await pair?.stop();
  });

  /** A board with three proposal cards and one agenda item, written through the first process. */
  async function meetingBoard(title: string) {
    const boardId = await createBoard(first.url, adminApiToken, title);
    const client = connectClient(first.url, boardId, adminApiToken);
    cleanups.push(() => client.provider.destroy());
    await synced(client.provider);
    const board = new BoardDoc(client.doc);
    const columnId = board.addColumn('Pistes');
    const cardIds = ['Double diplôme', 'École d’été', 'Thèses en cotutelle'].map((cardTitle) => board.addCard(columnId, { title: cardTitle, createdBy: 'admin' }));
    const agendaItemId = board.agenda.create({ title: 'Mobilités entrantes', minutes: 15, position: 'a0' });
    // Once a fresh client of the second process has them, both processes do.
    await readBoard(second, boardId, (fresh) => fresh.listCards(columnId).length === 3 && fresh.agenda.has(agendaItemId));
    return { boardId, columnId, cardIds, agendaItemId };
  }

  /** The board as a stock y-websocket client of `server` reads it, once `ready` holds. */
  async function readBoard(server: ServerProcess, boardId: string, ready: (board: BoardDoc) => boolean = () => true): Promise<BoardDoc> {
    const client = connectClient(server.url, boardId, adminApiToken);
    cleanups.push(() => client.provider.destroy());
    await synced(client.provider);
    const board = new BoardDoc(client.doc);
    await eventually(() => ready(board), CROSSING, 'the board to hold what is expected');
    return board;
  }

  /** A workspace member with `role` on the board (workspace access `viewer` for the rest); returns an API token. */
  async function member(boardId: string, name: string, role: BoardRole): Promise<string> {
    const email = `${name.toLowerCase()}-${++people}@example.org`;
    const adminCookie = await login(first.url);
    const created = await api<{ id: string }>(first.url, '/api/users', {
      method: 'POST',
      cookie: adminCookie,
      body: { email, name, password: 'correct horse battery', locale: 'fr' },
    });
    expect(created.status).toBe(201);
    expect((await api(first.url, `/api/boards/${boardId}/sharing`, { method: 'PATCH', token: adminApiToken, body: { workspaceAccess: 'viewer' } })).status).toBe(204);
    if (role !== 'viewer') {
      const assigned = await api(first.url, `/api/boards/${boardId}/members/${created.body.id}`, { method: 'PUT', token: adminApiToken, body: { role } });
      expect(assigned.status).toBe(204);
    }
    const cookie = await login(first.url, { email, password: 'correct horse battery' });
    const { body } = await api<{ token: string }>(first.url, '/api/tokens', { method: 'POST', body: { name: 'meeting tests' }, cookie });
    return body.token;
  }

  /** A partner guest of the board, joined through an invite link on `server`; returns their session cookie. */
  async function guest(server: ServerProcess, boardId: string, name: string, role: 'editor' | 'commenter' | 'viewer'): Promise<string> {
    return (await joinAsGuest({ serverUrl: first.url, as: { token: adminApiToken }, boardId, role, name, joinAt: server.url })).cookie;
  }

  /** A socket.io client of `server` with an API token or a session cookie. */
  const participant = (server: ServerProcess, credential: string) => meetingParticipant(server.url, credential, (cleanup) => cleanups.push(cleanup), CROSSING);

  async function joined(server: ServerProcess, credential: string, boardId: string): Promise<Participant> {
    const person = await participant(server, credential);
    expect(await person.send('meeting:join', { boardId, locale: 'fr' })).toEqual({ ok: true });
    return person;
  }

  /** The administrator, on the first process, joined and facilitating a new meeting. */
  async function facilitatedMeeting(boardId: string): Promise<Participant> {
    const facilitator = await joined(first, adminApiToken, boardId);
    expect(await facilitator.send('meeting:start', { boardId })).toEqual({ ok: true });
    return facilitator;
  }

  const names = (update: MeetingUpdate | undefined) => (update?.meeting?.participants.map((p) => p.name) ?? []).sort();

  it('a guest on the second process joins the meeting run from the first and sees its facilitator, timer, agenda item and presenter view', async () => {
    const { boardId, agendaItemId } = await meetingBoard('Réunion partenaires Porto');
    const facilitator = await facilitatedMeeting(boardId);
    expect(await facilitator.send('meeting:agenda', { boardId, itemId: agendaItemId })).toEqual({ ok: true });
    const view: PresenterView = { view: 'pipeline', cardId: null, scrollLeft: 480, scrollTop: 0 };
    expect(await facilitator.send('meeting:present', { boardId, view })).toEqual({ ok: true });

    const partner = await joined(second, await guest(second, boardId, 'Ana Sousa', 'commenter'), boardId);
    // The state the second process sends on joining is the meeting the first one runs.
    const seen = partner.lastState()?.meeting;
    expect(seen).toMatchObject({
      facilitator: { name: 'admin' },
      facilitatorPresent: true,
      currentAgendaItemId: agendaItemId,
      presenterView: view,
      timer: { durationMs: 15 * 60_000 },
    });
    expect(seen?.timer.endsAt).toBeGreaterThan(Date.now());
    expect(names(partner.lastState())).toEqual(['Ana Sousa', 'admin']);
    await eventually(() => names(facilitator.lastState()).includes('Ana Sousa'), CROSSING, 'the guest in the facilitator’s participants');
    expect(facilitator.lastState()?.meeting?.participants.find((p) => p.name === 'Ana Sousa')?.kind).toBe('guest');

    // What the facilitator does next reaches the second process: the view, the timer.
    const next: PresenterView = { view: 'board', cardId: null, scrollLeft: 0, scrollTop: 960 };
    expect(await facilitator.send('meeting:present', { boardId, view: next })).toEqual({ ok: true });
    await eventually(() => partner.views.length === 1, CROSSING, 'the view on the second process');
    expect(partner.views[0]).toEqual(next);
    expect(await facilitator.send('meeting:timer', { boardId, command: { action: 'pause' } })).toEqual({ ok: true });
    await eventually(() => partner.lastState()?.meeting?.timer.endsAt === null, CROSSING, 'the paused timer on the second process');

    // A guest may not facilitate, whichever process they reach.
    expect(await partner.send('meeting:timer', { boardId, command: { action: 'resume' } })).toEqual({ ok: false, error: 'forbidden' });

    // Leaving on the second process takes the guest off the facilitator's list on the first.
    expect(await partner.send('meeting:leave', { boardId })).toEqual({ ok: true });
    await eventually(() => !names(facilitator.lastState()).includes('Ana Sousa'), CROSSING, 'the guest gone from the participants');
  });

  it('counts every ballot cast at once on both processes, and shows a participant on the second process only counts until the reveal', async () => {
    const { boardId, cardIds } = await meetingBoard('Priorités 2026');
    const facilitator = await facilitatedMeeting(boardId);
    const voterOnFirst = await joined(first, await member(boardId, 'Camille', 'commenter'), boardId);
    const voterOnSecond = await joined(second, await member(boardId, 'Omar', 'commenter'), boardId);
    const guestOnSecond = await joined(second, await guest(second, boardId, 'Ana Sousa', 'commenter'), boardId);
    const observerOnSecond = await joined(second, await member(boardId, 'Valentina', 'viewer'), boardId);

    const started = await facilitator.send('meeting:vote:start', { boardId, limit: 4, maxPerCard: 4, anonymous: false });
    expect(started.ok).toBe(true);
    const roundId = (started as { value: { roundId: string } }).value.roundId;
    await eventually(() => guestOnSecond.lastState()?.meeting?.voting?.roundId === roundId, CROSSING, 'the round on the second process');

    // Four dots each, all sent at once: two voters on the first process's side of the card list,
    // the guest on its own card, from both processes.
    const cast = (voter: Participant, cardId: string) => voter.send('meeting:vote', { boardId, roundId, cardId, delta: 1 });
    const replies = await Promise.all([
      ...Array.from({ length: 4 }, () => cast(voterOnFirst, cardIds[1])),
      ...Array.from({ length: 4 }, () => cast(voterOnSecond, cardIds[2])),
      ...Array.from({ length: 4 }, () => cast(guestOnSecond, cardIds[0])),
    ]);
    expect(replies).toEqual(Array.from({ length: 12 }, () => ({ ok: true })));
    expect(await cast(voterOnSecond, cardIds[2])).toEqual({ ok: false, error: 'vote_limit' });

    for (const person of [facilitator, voterOnFirst, voterOnSecond, guestOnSecond, observerOnSecond]) {
      await eventually(() => person.lastState()?.meeting?.voting?.votesCast === 12, CROSSING, 'every dot counted for everyone');
      expect(person.lastState()?.meeting?.voting).toMatchObject({ status: 'open', voterCount: 3, results: null });
    }
    await eventually(() => guestOnSecond.personal.at(-1)?.votes[cardIds[0]] === 4, CROSSING, 'the guest’s own dots');
    expect(guestOnSecond.personal.at(-1)).toMatchObject({ roundId, votes: { [cardIds[0]]: 4 }, remainingVotes: 0 });
    expect(voterOnFirst.personal.at(-1)?.votes).toEqual({ [cardIds[1]]: 4 });

    // Before the reveal, nothing anyone on the second process received names a card someone else
    // voted for, nor did the facilitator's socket on the first receive any card voted for.
    for (const message of guestOnSecond.wire) for (const cardId of [cardIds[1], cardIds[2]]) expect(message).not.toContain(cardId);
    for (const message of voterOnSecond.wire) for (const cardId of [cardIds[0], cardIds[1]]) expect(message).not.toContain(cardId);
    for (const person of [observerOnSecond, facilitator]) {
      expect(person.wire.length).toBeGreaterThan(0);
      for (const message of person.wire) for (const cardId of cardIds) expect(message).not.toContain(cardId);
    }
    expect((await readBoard(second, boardId)).voteRounds.list()).toEqual([]);

    expect(await facilitator.send('meeting:vote:reveal', { boardId, roundId })).toEqual({ ok: true });
    await eventually(() => observerOnSecond.lastState()?.meeting?.voting?.status === 'revealed', CROSSING, 'the reveal on the second process');
    expect(observerOnSecond.lastState()?.meeting?.voting?.results?.map((tally) => [tally.cardId, tally.votes]).sort()).toEqual(
      [
        [cardIds[0], 4],
        [cardIds[1], 4],
        [cardIds[2], 4],
      ].sort(),
    );
    expect(await cast(guestOnSecond, cardIds[1])).toEqual({ ok: false, error: 'conflict' });
    const stored = await readBoard(second, boardId, (board) => board.voteRounds.list().length === 1);
    expect(stored.voteRounds.get(roundId)).toMatchObject({ voterCount: 3, limit: 4 });
  });

  it('keeps a private contribution made on the second process from everyone on the first until the reveal, then makes it a card', async () => {
    const { boardId, columnId } = await meetingBoard('Idées de coopération');
    const facilitator = await facilitatedMeeting(boardId);
    const colleagueOnFirst = await joined(first, await member(boardId, 'Camille', 'commenter'), boardId);
    const author = await joined(second, await guest(second, boardId, 'Ana Sousa', 'commenter'), boardId);
    expect(await facilitator.send('meeting:private', { boardId, enabled: true })).toEqual({ ok: true });
    await eventually(() => author.lastState()?.meeting?.privateMode.enabled === true, CROSSING, 'private mode on the second process');

    const title = 'Stage de recherche à Braga';
    const contributed = await author.send('meeting:contribute', { boardId, columnId, title, description: 'Deux places' });
    expect(contributed.ok).toBe(true);
    for (const person of [facilitator, colleagueOnFirst]) {
      await eventually(() => person.lastState()?.meeting?.privateMode.contributionCount === 1, CROSSING, 'the count on the first process');
    }
    expect(author.personal.at(-1)?.contributions.map((c) => c.title)).toEqual([title]);
    for (const person of [facilitator, colleagueOnFirst]) for (const message of person.wire) expect(message).not.toContain('Braga');
    expect((await readBoard(first, boardId)).listCards(columnId).map((card) => card.title)).not.toContain(title);

    const revealed = await facilitator.send('meeting:private:reveal', { boardId });
    expect(revealed.ok).toBe(true);
    const [cardId] = (revealed as { value: { cardIds: string[] } }).value.cardIds;
    for (const server of [first, second]) {
      const board = await readBoard(server, boardId, (b) => b.getCard(cardId) !== undefined);
      expect(board.getCard(cardId)).toMatchObject({ title, description: 'Deux places', columnId });
    }
    await eventually(() => author.lastState()?.meeting?.privateMode.enabled === false, CROSSING, 'private mode over on the second process');
    await eventually(() => author.personal.at(-1)?.contributions.length === 0, CROSSING, 'the author’s pending list emptied');
  });

  it('removes an attendee on the second process who loses access when it changes through the first, and tells them nothing more', async () => {
    const { boardId } = await meetingBoard('Accès retiré');
    const facilitator = await facilitatedMeeting(boardId);
    const colleague = await joined(second, await member(boardId, 'Valentina', 'viewer'), boardId);
    await eventually(() => names(facilitator.lastState()).includes('Valentina'), CROSSING, 'the colleague in the meeting');

    expect((await api(first.url, `/api/boards/${boardId}/sharing`, { method: 'PATCH', token: adminApiToken, body: { workspaceAccess: 'none' } })).status).toBe(204);
    await eventually(() => !names(facilitator.lastState()).includes('Valentina'), CROSSING, 'the colleague gone from the participants');
    const heard = colleague.states.length;
    expect(await facilitator.send('meeting:timer', { boardId, command: { action: 'start', seconds: 300 } })).toEqual({ ok: true });
    await eventually(() => facilitator.lastState()?.meeting?.timer.endsAt !== null, CROSSING, 'the timer');
    // A change made after hers, on the second process, does reach others there: she would have had it by now.
    const witness = await joined(second, adminApiToken, boardId);
    expect(witness.lastState()?.meeting?.timer.endsAt).not.toBeNull();
    expect(colleague.states.length).toBe(heard);
    expect(await colleague.send('meeting:join', { boardId })).toEqual({ ok: false, error: 'forbidden' });
  });
});

/**
 * How long meetings and attendance last across processes. These need a short idle time, so the
 * processes are socket.io servers built in this test process (real sockets, a real Redis, the
 * socket.io Redis adapter and the real meeting service), with access and the board document
 * stubbed out: every person is an editor of every board, and no board document is written.
 */
describe('meeting lifetimes across processes', () => {
  const IDLE_MS = 1500;
  const REFRESH_MS = 100;
  const BOARD = 'board_lifetimes_1';
  let redis: RedisServer;
  let prefixes = 0;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  /** A Passerelle-like process: socket.io with the Redis adapter and meetings on `state`. */
  async function meetingProcess(keyPrefix: string, state?: MeetingStateStore): Promise<{ url: string; meetings: MeetingService }> {
    const http = createServer();
    const io = new SocketServer(http, { transports: ['websocket'] });
    const publisher = createClient({ url: redis.url });
    const subscriber = publisher.duplicate();
    publisher.on('error', () => {});
    subscriber.on('error', () => {});
    await Promise.all([publisher.connect(), subscriber.connect()]);
    io.adapter(createAdapter(publisher, subscriber, { key: `${keyPrefix}socket.io` }));
    io.use((socket, next) => {
      const { id, name } = socket.handshake.auth as { id: string; name: string };
      socket.data.principal = { kind: 'guest', id, name };
      next();
    });
    const meetings = registerMeetings(io as never, {
      access: { roleOf: async () => 'editor' } as unknown as BoardAccess,
      sync: { documentOf: () => undefined } as unknown as SyncServer,
      logger: pino({ level: 'silent' }),
      state: state ?? (await RedisMeetingStateStore.connect({ url: redis.url, keyPrefix })),
      idleMeetingMs: IDLE_MS,
      attendanceRefreshMs: REFRESH_MS,
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      await meetings.close();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    });
    return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, meetings };
  }

  /** Someone connected to `url`, with the meeting states they receive. */
  async function person(url: string, id: string) {
    const socket: MeetingSocket = connectSocketIo(url, { transports: ['websocket'], reconnection: false, auth: { id, name: id } });
    closers.push(async () => void socket.disconnect());
    const states: MeetingUpdate[] = [];
    socket.on('meeting:state', (update) => states.push(update));
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve());
      socket.on('connect_error', reject);
    });
    const send = <E extends keyof ClientToServerEvents>(event: E, message: Parameters<ClientToServerEvents[E]>[0]): Promise<MeetingReply<any>> =>
      (socket.timeout(5000) as any).emitWithAck(event, message);
    expect(await send('meeting:join', { boardId: BOARD })).toEqual({ ok: true });
    return { socket, states, send, participants: () => (states.at(-1)?.meeting?.participants.map((p) => p.id) ?? []).sort() };
  }

  it('keeps a meeting while anyone attends on any process, and ends it the idle time after the last one left everywhere', async () => {
    const keyPrefix = `lifetimes-${++prefixes}:`;
    const [a, b] = [await meetingProcess(keyPrefix), await meetingProcess(keyPrefix)];
    const facilitator = await person(a.url, 'facilitator');
    expect(await facilitator.send('meeting:start', { boardId: BOARD })).toEqual({ ok: true });
    const partner = await person(b.url, 'partner');
    expect(partner.states.at(-1)?.meeting?.facilitator.id).toBe('facilitator');

    // Nobody is left on the first process; the second's attendee keeps the meeting for longer than the idle time.
    facilitator.socket.disconnect();
    await eventually(() => partner.states.at(-1)?.meeting?.facilitatorPresent === false, 5000, 'the facilitator gone');
    await sleep(IDLE_MS * 2);
    expect(await a.meetings.isRunning(BOARD)).toBe(true);

    // Once the last attendee anywhere leaves, the meeting waits the idle time, then ends for every process.
    partner.socket.disconnect();
    const left = Date.now();
    await sleep(IDLE_MS / 2);
    expect(await a.meetings.isRunning(BOARD)).toBe(true);
    await eventually(async () => !(await b.meetings.isRunning(BOARD)), IDLE_MS * 4, 'the meeting to lapse');
    expect(Date.now() - left).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(await a.meetings.isRunning(BOARD)).toBe(false);
  });

  it('drops from the participants list someone attending on a process that stopped without saying so', async () => {
    const keyPrefix = `lifetimes-${++prefixes}:`;
    const a = await meetingProcess(keyPrefix);
    // The second process's store goes silent on demand, as the process would if it hung or died:
    // it neither refreshes nor removes its attendance any more.
    const inner = await RedisMeetingStateStore.connect({ url: redis.url, keyPrefix });
    let silent = false;
    const silenced: MeetingStateStore = {
      sharedAcrossProcesses: true,
      read: (boardId) => inner.read(boardId),
      update: (boardId, change, lifetimes) => inner.update(boardId, change, lifetimes),
      attend: (boardId, attendance, lifetimes) => (silent ? Promise.resolve(0) : inner.attend(boardId, attendance, lifetimes)),
      leave: (boardId, connectionIds, lifetimes) => (silent ? Promise.resolve() : inner.leave(boardId, connectionIds, lifetimes)),
      close: () => inner.close(),
    };
    const b = await meetingProcess(keyPrefix, silenced);
    const facilitator = await person(a.url, 'facilitator');
    expect(await facilitator.send('meeting:start', { boardId: BOARD })).toEqual({ ok: true });
    const partner = await person(b.url, 'partner');
    await eventually(() => facilitator.participants().includes('partner'), 5000, 'the partner listed');
    // Refreshes keep the partner listed well past the attendance lifetime (three refreshes).
    await sleep(REFRESH_MS * 8);
    expect(facilitator.participants()).toEqual(['facilitator', 'partner']);

    silent = true;
    partner.socket.disconnect();
    await eventually(() => !facilitator.participants().includes('partner'), 5000, 'the partner dropped from the list');
    expect(facilitator.participants()).toEqual(['facilitator']);
    expect(await a.meetings.isRunning(BOARD)).toBe(true);
  });
});
