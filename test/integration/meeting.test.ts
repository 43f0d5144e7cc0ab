/**
 * Live meetings over a real server: real socket.io clients for the meeting controls, a stock
 * y-websocket client to read what the meeting stored in the board. What others must not see before
 * a reveal is checked on every event they actually received.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { BoardDoc, type BoardRole } from '@passerelle/shared';
import { adminToken, api, connectClient, createBoard, eventually, joinAsGuest, login, synced } from '../helpers/test-server.js';
import { serverPerTest } from '../helpers/per-test.js';
import { meetingParticipant, type Participant } from '../helpers/meeting-client.js';

describe('live meetings', () => {
  const ctx = serverPerTest();
  let adminApiToken: string;
  let boardId: string;
  let columnId: string;
  let cardIds: string[];

  beforeEach(async () => {
    adminApiToken = await adminToken(ctx.server.url);
    boardId = await createBoard(ctx.server.url, adminApiToken, 'Réunion partenaires Porto');
    const client = connectClient(ctx.server.url, boardId, adminApiToken);
    await synced(client.provider);
    const board = new BoardDoc(client.doc);
    columnId = board.addColumn('Pistes');
    cardIds = ['Double diplôme', 'École d’été', 'Thèses en cotutelle'].map((title) => board.addCard(columnId, { title, createdBy: 'admin' }));
    await eventually(() => ctx.server.sync.documentOf(boardId) !== undefined && new BoardDoc(ctx.server.sync.documentOf(boardId)!).listCards(columnId).length === 3);
    client.provider.destroy();
  });

  /** A workspace member with an explicit role on the board (the workspace's own access is `viewer`). */
  async function member(name: string, role: BoardRole, locale: 'fr' | 'en' = 'fr'): Promise<{ id: string; token: string }> {
    const email = `${name.toLowerCase()}@example.org`;
    const adminCookie = await login(ctx.server.url);
    const created = await api<{ id: string }>(ctx.server.url, '/api/users', {
      method: 'POST',
      cookie: adminCookie,
      body: { email, name, password: 'correct horse battery', locale },
    });
    expect(created.status).toBe(201);
    await ctx.server.accounts.directory.setWorkspaceAccess(boardId, 'viewer');
    if (role !== 'viewer') await ctx.server.accounts.directory.setBoardMember(boardId, created.body.id, role);
    const cookie = await login(ctx.server.url, { email, password: 'correct horse battery' });
    const { body } = await api<{ token: string }>(ctx.server.url, '/api/tokens', { method: 'POST', body: { name: 'meeting tests' }, cookie });
    return { id: created.body.id, token: body.token };
  }

  /** A guest of the board, joined through an invite link with `role`; returns their session cookie. */
  async function guest(name: string, role: 'editor' | 'commenter' | 'viewer', onBoard = boardId): Promise<string> {
    return (await joinAsGuest({ serverUrl: ctx.server.url, as: { token: adminApiToken }, boardId: onBoard, role, name })).cookie;
  }

  const participant = (credential: string) => meetingParticipant(ctx.server.url, credential, ctx.track);

  /** The board as a stock y-websocket client reads it from the server. */
  async function readBoard(): Promise<BoardDoc> {
    const client = connectClient(ctx.server.url, boardId, adminApiToken);
    ctx.cleanups.push(() => client.provider.destroy());
    await synced(client.provider);
    return new BoardDoc(client.doc);
  }

  async function facilitatedMeeting(): Promise<Participant> {
    const facilitator = await participant(adminApiToken);
    expect(await facilitator.send('meeting:join', { boardId, locale: 'fr' })).toEqual({ ok: true });
    expect(await facilitator.send('meeting:start', { boardId })).toEqual({ ok: true });
    return facilitator;
  }

  it('lets a viewer follow the meeting but not vote, contribute or facilitate', async () => {
    const facilitator = await facilitatedMeeting();
    const viewer = await participant((await member('Valentina', 'viewer')).token);
    expect(await viewer.send('meeting:join', { boardId })).toEqual({ ok: true });
    await eventually(() => viewer.lastState()?.meeting?.facilitator.name !== undefined, 5000, 'the meeting state');
    expect(await viewer.send('meeting:start', { boardId })).toEqual({ ok: false, error: 'forbidden' });
    expect(await viewer.send('meeting:take-over', { boardId })).toEqual({ ok: false, error: 'forbidden' });
    expect(await viewer.send('meeting:timer', { boardId, command: { action: 'start', seconds: 60 } })).toEqual({ ok: false, error: 'forbidden' });

    const round = await facilitator.send('meeting:vote:start', { boardId, limit: 3 });
    expect(round.ok).toBe(true);
    const roundId = (round as { value: { roundId: string } }).value.roundId;
    expect(await viewer.send('meeting:vote', { boardId, roundId, cardId: cardIds[0], delta: 1 })).toEqual({ ok: false, error: 'forbidden' });
    expect(await facilitator.send('meeting:private', { boardId, enabled: true })).toEqual({ ok: true });
    expect(await viewer.send('meeting:contribute', { boardId, columnId, title: 'Idée' })).toEqual({ ok: false, error: 'forbidden' });
    expect(facilitator.lastState().meeting?.voting?.votesCast).toBe(0);
  });

  it('refuses a person who may not see the board, on every message', async () => {
    const outsider = await member('Olivier', 'viewer');
    await ctx.server.accounts.directory.setWorkspaceAccess(boardId, 'none');
    const socket = await participant(outsider.token);
    expect(await socket.send('meeting:join', { boardId })).toEqual({ ok: false, error: 'forbidden' });
    expect(await socket.send('meeting:start', { boardId })).toEqual({ ok: false, error: 'forbidden' });
    expect(socket.states).toEqual([]);
  });

  it('lets a partner guest take part on their board with their role, and never reach another board', async () => {
    const facilitator = await facilitatedMeeting();
    const otherBoard = await createBoard(ctx.server.url, adminApiToken, 'Autre tableau');
    const other = await participant(adminApiToken);
    await other.send('meeting:join', { boardId: otherBoard });
    expect(await other.send('meeting:start', { boardId: otherBoard })).toEqual({ ok: true });
    const otherRound = await other.send('meeting:vote:start', { boardId: otherBoard, limit: 3 });

    const partner = await participant(await guest('Ana Sousa', 'commenter'));
    expect(await partner.send('meeting:join', { boardId })).toEqual({ ok: true });
    const round = await facilitator.send('meeting:vote:start', { boardId, limit: 1 });
    const roundId = (round as { value: { roundId: string } }).value.roundId;
    expect(await partner.send('meeting:vote', { boardId, roundId, cardId: cardIds[0], delta: 1 })).toEqual({ ok: true });
    expect(await partner.send('meeting:take-over', { boardId })).toEqual({ ok: false, error: 'forbidden' });
    await eventually(() => facilitator.lastState()?.meeting?.participants.some((p) => p.kind === 'guest' && p.name === 'Ana Sousa') === true);

    const otherRoundId = (otherRound as { value: { roundId: string } }).value.roundId;
    expect(await partner.send('meeting:join', { boardId: otherBoard })).toEqual({ ok: false, error: 'forbidden' });
    expect(await partner.send('meeting:vote', { boardId: otherBoard, roundId: otherRoundId, cardId: cardIds[0], delta: 1 })).toEqual({
      ok: false,
      error: 'forbidden',
    });
    expect(partner.states.every((state) => state.boardId === boardId)).toBe(true);

    const partnerEditor = await participant(await guest('João Lima', 'editor'));
    await partnerEditor.send('meeting:join', { boardId });
    expect(await partnerEditor.send('meeting:take-over', { boardId })).toEqual({ ok: true });
    expect(await partnerEditor.send('meeting:start', { boardId: otherBoard })).toEqual({ ok: false, error: 'forbidden' });
  });

  it('refuses a malformed message without acting on it', async () => {
    const facilitator = await facilitatedMeeting();
    expect(await facilitator.send('meeting:vote:start', { boardId, limit: 500 } as never)).toEqual({ ok: false, error: 'invalid_request' });
    expect(await facilitator.send('meeting:join', { boardId: '../../etc' })).toEqual({ ok: false, error: 'invalid_request' });
    expect(facilitator.lastState().meeting?.voting).toBeNull();
  });

  it('keeps votes hidden from everyone but the voter until the reveal, then stores the tallies in the board', async () => {
    const facilitator = await facilitatedMeeting();
    const voter = await participant((await member('Camille', 'commenter')).token);
    const observer = await participant((await member('Omar', 'commenter')).token);
    await voter.send('meeting:join', { boardId });
    await observer.send('meeting:join', { boardId });
    const started = await facilitator.send('meeting:vote:start', { boardId, limit: 2, anonymous: false });
    const roundId = (started as { value: { roundId: string } }).value.roundId;

    expect(await voter.send('meeting:vote', { boardId, roundId, cardId: cardIds[1], delta: 1 })).toEqual({ ok: true });
    expect(await voter.send('meeting:vote', { boardId, roundId, cardId: cardIds[1], delta: 1 })).toEqual({ ok: true });
    expect(await voter.send('meeting:vote', { boardId, roundId, cardId: cardIds[2], delta: 1 })).toEqual({ ok: false, error: 'vote_limit' });
    await eventually(() => observer.lastState()?.meeting?.voting?.votesCast === 2, 5000, 'the observer to see the count');
    await eventually(() => voter.personal.at(-1)?.votes[cardIds[1]] === 2, 5000, 'the voter to see their dots');
    expect(voter.personal.at(-1)?.remainingVotes).toBe(0);

    // Neither the other participant nor the facilitator received anything that names the card voted for.
    for (const other of [observer, facilitator]) {
      expect(other.wire.length).toBeGreaterThan(0);
      for (const message of other.wire) expect(message).not.toContain(cardIds[1]);
    }
    expect(observer.lastState().meeting?.voting).toMatchObject({ status: 'open', voterCount: 1, votesCast: 2, results: null });
    expect((await readBoard()).voteRounds.list()).toEqual([]);

    expect(await facilitator.send('meeting:vote:reveal', { boardId, roundId })).toEqual({ ok: true });
    await eventually(() => observer.lastState()?.meeting?.voting?.status === 'revealed', 5000, 'the reveal');
    expect(observer.lastState().meeting?.voting?.results).toEqual([
      { cardId: cardIds[1], cardTitle: 'École d’été', votes: 2, voters: [{ id: expect.any(String), name: 'Camille', votes: 2 }] },
    ]);
    expect(await voter.send('meeting:vote', { boardId, roundId, cardId: cardIds[0], delta: -1 })).toEqual({ ok: false, error: 'conflict' });

    const board = await readBoard();
    await eventually(() => board.voteRounds.list().length === 1, 5000, 'the stored round');
    expect(board.voteRounds.get(roundId)).toMatchObject({ limit: 2, anonymous: false, voterCount: 1, tallies: [{ cardId: cardIds[1], votes: 2 }] });
  });

  it('never names voters of an anonymous vote, even after the reveal', async () => {
    const facilitator = await facilitatedMeeting();
    const camille = await member('Camille', 'commenter');
    const voter = await participant(camille.token);
    await voter.send('meeting:join', { boardId });
    const started = await facilitator.send('meeting:vote:start', { boardId, limit: 1, anonymous: true });
    const roundId = (started as { value: { roundId: string } }).value.roundId;
    await voter.send('meeting:vote', { boardId, roundId, cardId: cardIds[0], delta: 1 });
    await facilitator.send('meeting:vote:reveal', { boardId, roundId });
    await eventually(() => facilitator.lastState()?.meeting?.voting?.status === 'revealed', 5000, 'the reveal');
    const results = facilitator.lastState().meeting?.voting?.results;
    expect(results).toEqual([{ cardId: cardIds[0], cardTitle: 'Double diplôme', votes: 1, voters: [] }]);
    for (const state of facilitator.states) expect(JSON.stringify(state.meeting?.voting ?? null)).not.toMatch(new RegExp(`Camille|${camille.id}`));
    const board = await readBoard();
    await eventually(() => board.voteRounds.list().length === 1, 5000, 'the stored round');
    expect(JSON.stringify(board.voteRounds.list())).not.toMatch(new RegExp(`Camille|${camille.id}`));
  });

  it('hides private contributions until the reveal, then makes them cards of their author', async () => {
    const facilitator = await facilitatedMeeting();
    const author = await member('Camille', 'commenter');
    const writer = await participant(author.token);
    const observer = await participant((await member('Omar', 'commenter')).token);
    await writer.send('meeting:join', { boardId });
    await observer.send('meeting:join', { boardId });
    expect(await writer.send('meeting:contribute', { boardId, columnId, title: 'Avant le mode privé' })).toEqual({ ok: false, error: 'conflict' });
    await facilitator.send('meeting:private', { boardId, enabled: true });

    expect((await writer.send('meeting:contribute', { boardId, columnId, title: 'Stage de recherche à Porto', description: 'Deux places' })).ok).toBe(true);
    const withdrawn = await writer.send('meeting:contribute', { boardId, columnId, title: 'Idée retirée' });
    await writer.send('meeting:contribution:withdraw', { boardId, contributionId: (withdrawn as { value: { contributionId: string } }).value.contributionId });
    await eventually(() => observer.lastState()?.meeting?.privateMode.contributionCount === 1, 5000, 'the count');
    expect(writer.personal.at(-1)?.contributions.map((c) => c.title)).toEqual(['Stage de recherche à Porto']);
    for (const other of [observer, facilitator]) for (const message of other.wire) expect(message).not.toContain('Porto');
    const before = await readBoard();
    expect(before.listCards(columnId).map((c) => c.title)).not.toContain('Stage de recherche à Porto');

    const revealed = await facilitator.send('meeting:private:reveal', { boardId });
    expect(revealed.ok).toBe(true);
    const [cardId] = (revealed as { value: { cardIds: string[] } }).value.cardIds;
    const board = await readBoard();
    await eventually(() => board.getCard(cardId) !== undefined, 5000, 'the revealed card');
    expect(board.getCard(cardId)).toMatchObject({ title: 'Stage de recherche à Porto', description: 'Deux places', columnId, createdBy: author.id });
    expect(board.listCards(columnId).map((c) => c.title)).not.toContain('Idée retirée');
    await eventually(() => observer.lastState()?.meeting?.privateMode.enabled === false, 5000, 'private mode to end');
    expect(writer.personal.at(-1)?.contributions).toEqual([]);
  });

  it('turns captured decisions and action items into cards of a Decisions column and action items', async () => {
    const facilitator = await facilitatedMeeting();
    const owner = await member('Camille', 'editor');
    const decision = await facilitator.send('meeting:capture', {
      boardId,
      item: { kind: 'decision', title: 'Renouveler l’accord avec Porto', details: 'Pour 2026-2030' },
    });
    const action = await facilitator.send('meeting:capture', {
      boardId,
      item: { kind: 'action', title: 'Envoyer le projet d’accord', ownerId: owner.id, ownerName: 'Camille', dueDate: '2026-01-15' },
    });
    expect(decision.ok && action.ok).toBe(true);
    const board = await readBoard();
    const decisions = board.listColumns().find((column) => column.title === 'Décisions');
    expect(decisions).toBeDefined();
    await eventually(() => board.listCards(decisions!.id).length === 2, 5000, 'the two cards');
    expect(board.listCards(decisions!.id).map((card) => card.title)).toEqual(['Renouveler l’accord avec Porto', 'Action : Envoyer le projet d’accord']);
    const { actionId } = (action as { value: { actionId: string } }).value;
    expect(board.actions.get(actionId)).toMatchObject({
      title: 'Envoyer le projet d’accord',
      ownerId: owner.id,
      ownerName: 'Camille',
      dueDate: '2026-01-15',
      source: 'meeting',
      sourceId: facilitator.lastState().meeting?.meetingId,
    });

    const commenter = await participant((await member('Omar', 'commenter')).token);
    expect(await commenter.send('meeting:capture', { boardId, item: { kind: 'decision', title: 'Non' } })).toEqual({ ok: false, error: 'forbidden' });
  });

  it('writes a meeting’s records in the boards’ language, not the facilitator’s, and names the column it wrote into', async () => {
    // The workspace writes its boards in French (the default); this facilitator reads the app in English.
    const english = await member('Emily', 'editor', 'en');
    const facilitator = await participant(english.token);
    expect(await facilitator.send('meeting:join', { boardId, locale: 'en' })).toEqual({ ok: true });
    expect(await facilitator.send('meeting:start', { boardId })).toEqual({ ok: true });
    const decision = await facilitator.send('meeting:capture', { boardId, item: { kind: 'decision', title: 'Renew the Porto agreement', details: '' } });
    const action = await facilitator.send('meeting:capture', {
      boardId,
      item: { kind: 'action', title: 'Send the draft', ownerId: null, ownerName: 'Ana', dueDate: '2026-01-15' },
    });
    expect(await facilitator.send('meeting:end', { boardId })).toEqual({ ok: true });

    expect(decision).toMatchObject({ ok: true, value: { columnTitle: 'Décisions' } });
    expect(action).toMatchObject({ ok: true, value: { columnTitle: 'Décisions' } });
    const board = await readBoard();
    expect(board.listColumns().map((column) => column.title)).toEqual(['Pistes', 'Décisions']);
    const decisions = board.listColumns()[1].id;
    await eventually(() => board.listCards(decisions).length === 2, 5000, 'the two cards');
    const [decisionCard, actionCard] = board.listCards(decisions);
    expect(decisionCard.description).toMatch(/^Réunion du \d{1,2} \S+ \d{4}$/);
    expect(actionCard.title).toBe('Action : Send the draft');
    expect(actionCard.description).toMatch(/^Responsable : Ana · échéance le 2026-01-15\n\nRéunion du /);
    const { actionId } = (action as { value: { actionId: string } }).value;
    expect(board.actions.get(actionId)?.sourceLabel).toMatch(/^Réunion du /);
  });

  it('names the column a capture went into as it is titled on the board, in whichever language it was made', async () => {
    const writer = connectClient(ctx.server.url, boardId, adminApiToken);
    ctx.cleanups.push(() => writer.provider.destroy());
    await synced(writer.provider);
    new BoardDoc(writer.doc).addColumn('Decisions');
    await eventually(() => new BoardDoc(ctx.server.sync.documentOf(boardId)!).listColumns().length === 2);
    const facilitator = await facilitatedMeeting();
    const decision = await facilitator.send('meeting:capture', { boardId, item: { kind: 'decision', title: 'Renouveler', details: '' } });
    // A French reader is told the real column, "Decisions", not a « Décisions » that does not exist.
    expect(decision).toMatchObject({ ok: true, value: { columnTitle: 'Decisions' } });
    expect((await readBoard()).listColumns().map((column) => column.title)).toEqual(['Pistes', 'Decisions']);
  });

  it('keeps the meeting going when the facilitator leaves, and lets another editor take over', async () => {
    const facilitator = await facilitatedMeeting();
    const editor = await participant((await member('Camille', 'editor')).token);
    await editor.send('meeting:join', { boardId });
    await facilitator.send('meeting:timer', { boardId, command: { action: 'start', seconds: 600 } });
    expect(await editor.send('meeting:timer', { boardId, command: { action: 'pause' } })).toEqual({ ok: false, error: 'conflict' });

    facilitator.socket.disconnect();
    await eventually(() => editor.lastState()?.meeting?.facilitatorPresent === false, 5000, 'the facilitator to be gone');
    expect(editor.lastState().meeting?.timer.endsAt).not.toBeNull();
    expect(await editor.send('meeting:take-over', { boardId })).toEqual({ ok: true });
    expect(await editor.send('meeting:timer', { boardId, command: { action: 'pause' } })).toEqual({ ok: true });
    await eventually(() => editor.lastState()?.meeting?.facilitator.name === 'Camille', 5000, 'the new facilitator');
    expect(editor.lastState().meeting?.timer.endsAt).toBeNull();
  });

  it('relays the presenter view to followers, and starts an agenda item with its timebox', async () => {
    const facilitator = await facilitatedMeeting();
    const follower = await participant((await member('Camille', 'viewer')).token);
    await follower.send('meeting:join', { boardId });
    const views: unknown[] = [];
    follower.socket.on('meeting:view', (event) => views.push(event.view));
    const view = { view: 'pipeline', cardId: cardIds[0], scrollLeft: 480, scrollTop: 0 } as const;
    expect(await facilitator.send('meeting:present', { boardId, view })).toEqual({ ok: true });
    await eventually(() => views.length === 1, 5000, 'the view');
    expect(views[0]).toEqual(view);
    expect(await follower.send('meeting:present', { boardId, view })).toEqual({ ok: false, error: 'forbidden' });

    const client = connectClient(ctx.server.url, boardId, adminApiToken);
    ctx.cleanups.push(() => client.provider.destroy());
    await synced(client.provider);
    const itemId = new BoardDoc(client.doc).agenda.create({ title: 'Mobilités entrantes', minutes: 15, position: 'a0' });
    await eventually(() => new BoardDoc(ctx.server.sync.documentOf(boardId)!).agenda.has(itemId), 5000, 'the agenda item on the server');
    expect(await facilitator.send('meeting:agenda', { boardId, itemId })).toEqual({ ok: true });
    await eventually(() => follower.lastState()?.meeting?.currentAgendaItemId === itemId, 5000, 'the current item');
    expect(follower.lastState().meeting?.timer.durationMs).toBe(15 * 60_000);
    expect(await facilitator.send('meeting:agenda', { boardId, itemId: 'no-such-item' })).toEqual({ ok: false, error: 'not_found' });
  });
});
