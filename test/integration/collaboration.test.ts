import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { BoardDoc, type AppNotification, type BoardRole, type Department, type HistoryEntry } from '@passerelle/shared';
import { api, createBoard, eventually, login, signedInAdmin } from '../helpers/test-server.js';
import { serverPerTest } from '../helpers/per-test.js';
import { syncedClient } from '../helpers/sync-client.js';

/**
 * Comments through the API, mentions, sign-off requests and assignments as notifications, and the
 * board's history, against a real server with real y-websocket and socket.io clients.
 */
describe('comments, notifications and history', () => {
  const ctx = serverPerTest();
  let boardId: string;
  let cardId: string;
  let owner: BoardDoc;
  const people: Record<string, { id: string; token: string; cookie: string; received: AppNotification[] }> = {};

  /** A member with departments and (unless null) an explicit role on the board. */
  async function person(key: string, departments: Department[], role: BoardRole | null): Promise<void> {
    const admin = await login(ctx.server.url);
    const email = `${key}@example.org`;
    const created = await api<{ id: string }>(ctx.server.url, '/api/users', {
      method: 'POST',
      body: { email, password: 'a-long-password', name: key, departments },
      cookie: admin,
    });
    expect(created.status).toBe(201);
    const cookie = await login(ctx.server.url, { email, password: 'a-long-password' });
    const token = await api<{ token: string }>(ctx.server.url, '/api/tokens', { method: 'POST', body: { name: 't' }, cookie });
    people[key] = { id: created.body.id, token: token.body.token, cookie, received: [] };
    if (role) {
      const set = await api(ctx.server.url, `/api/boards/${boardId}/members/${created.body.id}`, { method: 'PUT', body: { role }, token: people.owner.token });
      expect(set.status).toBe(204);
    }
  }

  /** A socket.io connection that records the notifications pushed to `key`. */
  async function listen(key: string): Promise<void> {
    const socket: Socket = connectSocketIo(ctx.server.url, { transports: ['websocket'], auth: { token: people[key].token } });
    ctx.cleanups.push(() => socket.disconnect());
    socket.on('notification', (notification: AppNotification) => people[key].received.push(notification));
    await new Promise((resolve, reject) => {
      socket.on('connect', () => resolve(null));
      socket.on('connect_error', reject);
    });
  }

  /** A y-websocket replica of the board, as `key`. */
  async function open(key: string) {
    const client = await syncedClient(ctx.server.url, boardId, people[key].token, ctx.track);
    return new BoardDoc(client.doc);
  }

  const notificationsOf = async (key: string) =>
    (await api<{ notifications: AppNotification[]; unread: number }>(ctx.server.url, '/api/notifications', { token: people[key].token })).body;
  const historyOf = async (key: string, query = '') =>
    api<{ entries: HistoryEntry[] }>(ctx.server.url, `/api/boards/${boardId}/history${query}`, { token: people[key].token });
  const comment = (key: string, body: unknown, card = cardId) =>
    api<{ id: string }>(ctx.server.url, `/api/boards/${boardId}/cards/${card}/comments`, { method: 'POST', body, token: people[key].token });

  beforeEach(async () => {
    people.owner = { ...(await signedInAdmin(ctx.server.url)), received: [] };
    boardId = await createBoard(ctx.server.url, people.owner.token, 'Stratégie 2027');
    // Only the people given a role see this board.
    expect((await api(ctx.server.url, `/api/boards/${boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'none' }, token: people.owner.token })).status).toBe(204);
    await person('cole', ['company_relations'], 'commenter');
    await person('vera', ['admissions'], 'viewer');
    await person('eddy', ['research'], 'editor');
    await person('marie', ['studies'], 'viewer');
    await person('paul', ['studies'], null);

    owner = await open('owner');
    const columnId = owner.addColumn('Propositions');
    cardId = owner.addProposal(columnId, { title: 'Alliance chimie verte', createdBy: people.owner.id });
    // Seen by another replica: the server has it.
    const observer = await open('vera');
    await eventually(() => observer.getProposal(cardId) !== undefined, 5000, 'proposal on the server');
  });

  afterEach(() => {
    for (const key of Object.keys(people)) delete people[key];
  });

  it('applies a commenter’s comment to the board, where every replica sees it with its author', async () => {
    const posted = await comment('cole', { text: 'Le partenaire de Porto est partant.' });
    expect(posted.status).toBe(201);
    await eventually(() => owner.getProposal(cardId)!.comments.length === 1, 5000, 'comment on the owner’s replica');
    expect(owner.getProposal(cardId)!.comments[0]).toMatchObject({
      id: posted.body.id,
      authorId: people.cole.id,
      authorName: 'cole',
      text: 'Le partenaire de Porto est partant.',
      mentions: [],
    });
  });

  it('refuses comments from viewers (403), on unknown cards (404) and from people without access (404)', async () => {
    expect((await comment('vera', { text: 'Je ne peux que lire.' })).status).toBe(403);
    expect((await comment('cole', { text: 'Carte inconnue' }, 'unknown-card-id')).status).toBe(404);
    expect((await comment('paul', { text: 'Je ne vois pas ce tableau' })).status).toBe(404);
    expect((await comment('cole', { text: '   ' })).status).toBe(400);
    expect(owner.getProposal(cardId)!.comments).toEqual([]);
  });

  it('lets a commenter guest comment, without mentions', async () => {
    const invite = await api<{ url: string }>(ctx.server.url, `/api/boards/${boardId}/guest-invites`, {
      method: 'POST',
      body: { role: 'commenter', label: 'Porto', expiresInHours: 24 },
      token: people.owner.token,
    });
    expect(invite.status).toBe(201);
    const secret = invite.body.url.split('/guest/')[1];
    const joined = await fetch(`${ctx.server.url}/api/guest-invites/${secret}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ana (Porto)' }),
    });
    expect(joined.status).toBe(201);
    const cookie = joined.headers.getSetCookie()[0].split(';')[0];
    const posted = await api(ctx.server.url, `/api/boards/${boardId}/cards/${cardId}/comments`, {
      method: 'POST',
      body: { text: '@marie nous sommes d’accord', mentions: [people.marie.id] },
      cookie,
    });
    expect(posted.status).toBe(201);
    await eventually(() => owner.getProposal(cardId)!.comments.length === 1, 5000, 'guest comment');
    expect(owner.getProposal(cardId)!.comments[0]).toMatchObject({ authorName: 'Ana (Porto)', mentions: [] });
    expect((await notificationsOf('marie')).notifications).toEqual([]);
    // Guests have no notifications and no history.
    expect((await api(ctx.server.url, '/api/notifications', { cookie })).body).toEqual({ notifications: [], unread: 0 });
    expect((await api(ctx.server.url, `/api/boards/${boardId}/history`, { cookie })).status).toBe(403);
  });

  it('notifies a mentioned member who can see the board, live and in their list, and no one else', async () => {
    for (const key of ['marie', 'paul', 'cole', 'eddy']) await listen(key);
    const posted = await comment('cole', { text: '@marie @paul pouvez-vous valider le budget ?', mentions: [people.marie.id, people.paul.id] });
    expect(posted.status).toBe(201);

    await eventually(() => people.marie.received.length === 1, 5000, 'notification pushed to marie');
    expect(people.marie.received[0]).toMatchObject({
      kind: 'mention',
      boardId,
      boardTitle: 'Stratégie 2027',
      cardId,
      subject: 'Alliance chimie verte',
      actorId: people.cole.id,
      actorName: 'cole',
      excerpt: '@marie @paul pouvez-vous valider le budget ?',
      readAt: null,
    });
    const listed = await notificationsOf('marie');
    expect(listed.unread).toBe(1);
    expect(listed.notifications.map((n) => n.id)).toEqual([people.marie.received[0].id]);

    // Paul is mentioned but cannot see the board: not notified. The others were not mentioned.
    expect((await notificationsOf('paul')).notifications).toEqual([]);
    expect(people.paul.received).toEqual([]);
    expect(people.cole.received).toEqual([]);
    expect(people.eddy.received).toEqual([]);
    // Both mentions are kept with the comment, for highlighting.
    await eventually(() => owner.getProposal(cardId)!.comments.length === 1, 5000, 'comment');
    expect(owner.getProposal(cardId)!.comments[0].mentions).toEqual([
      { id: people.marie.id, name: 'marie' },
      { id: people.paul.id, name: 'paul' },
    ]);

    const read = await api(ctx.server.url, '/api/notifications/read', { method: 'POST', body: { ids: [people.marie.received[0].id] }, token: people.marie.token });
    expect(read.status).toBe(204);
    const after = await notificationsOf('marie');
    expect(after.unread).toBe(0);
    expect(after.notifications[0].readAt).not.toBeNull();
  });

  it('lets authors and owners delete a comment, and no one else', async () => {
    const posted = await comment('cole', { text: 'À supprimer' });
    const path = `/api/boards/${boardId}/cards/${cardId}/comments/${posted.body.id}`;
    expect((await api(ctx.server.url, path, { method: 'DELETE', token: people.eddy.token })).status).toBe(403);
    expect((await api(ctx.server.url, path, { method: 'DELETE', token: people.cole.token })).status).toBe(204);
    await eventually(() => owner.getProposal(cardId)!.comments.length === 0, 5000, 'comment deleted');
    expect((await api(ctx.server.url, path, { method: 'DELETE', token: people.cole.token })).status).toBe(404);

    const other = await comment('eddy', { text: 'Modéré par la propriétaire' });
    expect((await api(ctx.server.url, `/api/boards/${boardId}/cards/${cardId}/comments/${other.body.id}`, { method: 'DELETE', token: people.owner.token })).status).toBe(204);
  });

  it('asks every member of a department who can see the board to sign off', async () => {
    await listen('marie');
    await listen('paul');
    const asked = await api(ctx.server.url, `/api/boards/${boardId}/cards/${cardId}/sign-off-requests`, {
      method: 'POST',
      body: { department: 'studies' },
      token: people.eddy.token,
    });
    expect(asked.status).toBe(202);
    await eventually(() => people.marie.received.length === 1, 5000, 'sign-off request pushed');
    expect(people.marie.received[0]).toMatchObject({ kind: 'sign_off_request', cardId, excerpt: 'studies', actorName: 'eddy', subject: 'Alliance chimie verte' });
    expect(people.paul.received).toEqual([]);
    expect((await notificationsOf('paul')).notifications).toEqual([]);

    // Commenters and viewers may not ask; an unknown department is a bad request.
    const body = { department: 'studies' };
    expect((await api(ctx.server.url, `/api/boards/${boardId}/cards/${cardId}/sign-off-requests`, { method: 'POST', body, token: people.cole.token })).status).toBe(403);
    expect(
      (await api(ctx.server.url, `/api/boards/${boardId}/cards/${cardId}/sign-off-requests`, { method: 'POST', body: { department: 'nope' }, token: people.eddy.token })).status,
    ).toBe(400);
  });

  it('notifies a person an action item is given to, unless they took it themselves', async () => {
    await listen('marie');
    await listen('eddy');
    const eddy = await open('eddy');
    const actionId = eddy.actions.create({ title: 'Relancer Porto', ownerId: people.marie.id, ownerName: 'marie' });
    await eventually(() => people.marie.received.length === 1, 5000, 'assignment pushed');
    expect(people.marie.received[0]).toMatchObject({ kind: 'assignment', cardId: actionId, subject: 'Relancer Porto', actorId: people.eddy.id });

    eddy.actions.create({ title: 'Préparer la visite', ownerId: people.eddy.id, ownerName: 'eddy' });
    eddy.actions.update(actionId, { done: true });
    // A later change that does notify proves the earlier ones were processed and sent nothing.
    eddy.actions.update(actionId, { ownerId: people.owner.id, ownerName: 'owner' });
    await eventually(async () => (await notificationsOf('owner')).notifications.length === 1, 5000, 'owner assignment');
    expect(people.eddy.received).toEqual([]);
    expect(people.marie.received).toHaveLength(1);
  });

  it('records who changed which card and which fields, one entry per burst of changes, kept across a restart', async () => {
    const eddy = await open('eddy');
    const title = eddy.cardTitleText(cardId)!;
    for (const letter of ' (Porto)') title.insert(title.length, letter);
    eddy.setProposalStage(cardId, 'sri_review');
    const otherCard = eddy.addCard(eddy.listColumns()[0].id, { title: 'Note de réunion', createdBy: people.eddy.id });

    await eventually(
      async () => (await historyOf('owner', `?cardId=${cardId}`)).body.entries.some((entry) => entry.actorId === people.eddy.id && entry.fields.includes('stage')),
      5000,
      'history of the card',
    );
    const card = (await historyOf('owner', `?cardId=${cardId}`)).body.entries;
    const byEddy = card.filter((entry) => entry.actorId === people.eddy.id);
    expect(byEddy).toHaveLength(1);
    expect(byEddy[0]).toMatchObject({ actorName: 'eddy', cardId, subjectKind: 'card', subject: 'Alliance chimie verte (Porto)', action: 'updated' });
    expect(byEddy[0].fields.sort()).toEqual(['stage', 'title']);
    expect(card.find((entry) => entry.actorId === people.owner.id)).toMatchObject({ action: 'created', subject: 'Alliance chimie verte' });

    const board = (await historyOf('vera')).body.entries;
    expect(board.find((entry) => entry.cardId === otherCard)).toMatchObject({ action: 'created', subject: 'Note de réunion', actorId: people.eddy.id });
    expect(board.find((entry) => entry.subjectKind === 'column')).toMatchObject({ action: 'created', cardId: null, subject: 'Propositions' });
    // People who cannot see the board get nothing.
    expect((await historyOf('paul')).status).toBe(404);

    // Stopping the server writes the entries still coalescing; they come back after a restart.
    await ctx.restart();
    const stored = (await api<{ entries: HistoryEntry[] }>(ctx.server.url, `/api/boards/${boardId}/history?cardId=${cardId}`, { token: people.owner.token })).body.entries;
    expect(stored.map((entry) => [entry.actorName, entry.action])).toEqual([
      ['eddy', 'updated'],
      ['admin', 'created'],
    ]);
    expect(stored.every((entry) => entry.id > 0)).toBe(true);
  });
});
