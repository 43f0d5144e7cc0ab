/**
 * Who reads a board's first screen, and what they read through it: nothing more than the board
 * shows them live. A viewer reads it while they are one and not after; a revoked guest, the guest of
 * a deleted board and an address naming another document are refused; and while the board is open,
 * a card deleted or renamed since the summary was stored is not shown as it was.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc, readFirstScreen } from '@passerelle/shared';
import type { FirstScreenResponse } from '../../server/src/http/first-screen-routes.js';
import { api, connectClient, createMember, eventually, joinAsGuest, synced } from '../helpers/test-server.js';
import { serverPerTest, tokenWithBoardPerTest } from '../helpers/per-test.js';

describe('who reads a board’s first screen', () => {
  const ctx = serverPerTest();
  const setup = tokenWithBoardPerTest(() => ctx.server.url, 'Mobilités 2027');

  async function open(token: string): Promise<{ doc: Y.Doc; board: BoardDoc }> {
    const { doc, provider } = connectClient(ctx.server.url, setup.boardId, token);
    ctx.track(() => provider.destroy());
    await synced(provider);
    return { doc, board: new BoardDoc(doc) };
  }

  const firstScreen = (auth: { token: string } | { cookie: string }, boardPath = setup.boardId) =>
    api<FirstScreenResponse>(ctx.server.url, `/api/boards/${boardPath}/first-screen`, auth);

  /** Writes a column of cards, then restarts the server (which stores the board and its first screen). */
  async function storedBoard(): Promise<void> {
    const writer = await open(setup.token);
    const column = writer.board.addColumn('Accords');
    writer.doc.transact(() => {
      for (let index = 0; index < 5; index++) writer.board.addCard(column, { title: `Accord ${index}`, createdBy: 'w' });
    });
    await eventually(async () => (await open(setup.token)).board.cards.size === 5, 5000, 'the board stored');
    await ctx.restart();
  }

  const titles = (answer: { body: FirstScreenResponse }) => answer.body.columns.flatMap((column) => column.cards.map((card) => card.title));

  it('serves a viewer while they are one, and no longer once their role is taken away', async () => {
    await storedBoard();
    const origin = { origin: ctx.server.url };
    await api(ctx.server.url, `/api/boards/${setup.boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'none' }, token: setup.token, headers: origin });
    const viewer = await createMember(ctx.server.url, 'lecteur', ['studies']);
    expect((await firstScreen({ token: viewer.token })).status).toBe(404);
    const made = await api(ctx.server.url, `/api/boards/${setup.boardId}/members/${viewer.id}`, { method: 'PUT', token: setup.token, headers: origin, body: { role: 'viewer' } });
    expect(made.status).toBe(204);

    const answer = await firstScreen({ token: viewer.token });
    expect(answer.status).toBe(200);
    expect(titles(answer)).toEqual(['Accord 0', 'Accord 1', 'Accord 2', 'Accord 3', 'Accord 4']);

    const removed = await api(ctx.server.url, `/api/boards/${setup.boardId}/members/${viewer.id}`, { method: 'PUT', token: setup.token, headers: origin, body: { role: null } });
    expect(removed.status).toBe(204);
    const after = await firstScreen({ token: viewer.token });
    expect(after.status).toBe(404);
    expect(JSON.stringify(after.body)).not.toContain('Accord');
  });

  it('refuses a guest whose invite was revoked, and everyone once the board is deleted', async () => {
    await storedBoard();
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: setup.token }, boardId: setup.boardId });
    expect((await firstScreen({ cookie: guest.cookie })).status).toBe(200);

    const revoked = await api(ctx.server.url, `/api/boards/${setup.boardId}/guest-invites/${guest.invite.id}`, { method: 'DELETE', token: setup.token, headers: { origin: ctx.server.url } });
    expect(revoked.status).toBe(204);
    const fromRevoked = await firstScreen({ cookie: guest.cookie });
    expect(fromRevoked.status).toBe(401);
    expect(JSON.stringify(fromRevoked.body)).not.toContain('Accord');

    const other = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: setup.token }, boardId: setup.boardId });
    const deleted = await api(ctx.server.url, `/api/boards/${setup.boardId}`, { method: 'DELETE', token: setup.token, headers: { origin: ctx.server.url } });
    expect(deleted.status).toBe(204);
    for (const auth of [{ token: setup.token }, { cookie: other.cookie }]) {
      const answer = await firstScreen(auth);
      expect([401, 404]).toContain(answer.status);
      expect(JSON.stringify(answer.body)).not.toContain('Accord');
    }
  });

  it('answers 404 for an address naming another document than the board', async () => {
    await storedBoard();
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: setup.token }, boardId: setup.boardId });
    for (const path of [`${setup.boardId}%2Finternal`, `${setup.boardId}%2Fproposal%2Fx`, '..%2F..%2Fworkspace']) {
      expect((await firstScreen({ cookie: guest.cookie }, path)).status).toBe(404);
      expect((await firstScreen({ token: setup.token }, path)).status).toBe(404);
    }
  });

  it('while the board is open, shows it as it is now: a card deleted or renamed since it was stored is not shown as it was', async () => {
    await storedBoard();
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: setup.token }, boardId: setup.boardId });
    const before = { ...(await firstScreen({ cookie: guest.cookie })), etag: (await etagOf(guest.cookie)).now };
    expect(titles(before)).toContain('Accord 1');

    // Someone deletes a card and renames another; the board stays open, so nothing is compacted yet.
    const writer = await open(setup.token);
    const [, deleted, renamed] = before.body.columns[0].cards;
    writer.board.deleteCard(deleted.id);
    const title = writer.board.cardTitleText(renamed.id)!;
    writer.doc.transact(() => {
      title.delete(0, title.length);
      title.insert(0, 'Accord confidentiel retiré');
    });
    await eventually(async () => (await open(setup.token)).board.cards.size === 4, 5000, 'the deletion reached the server');

    const answer = await firstScreen({ cookie: guest.cookie });
    expect(answer.status).toBe(200);
    expect(titles(answer)).not.toContain('Accord 1');
    expect(titles(answer)).not.toContain('Accord 2');
    expect(titles(answer)).toContain('Accord confidentiel retiré');
    expect(answer.body.columns).toEqual(readFirstScreen(writer.doc).columns);
    // The validator follows what is shown now.
    const etag = (await etagOf(guest.cookie)).now;
    expect(etag).not.toBe(before.etag);
    const again = await fetch(`${ctx.server.url}/api/boards/${setup.boardId}/first-screen`, { headers: { cookie: guest.cookie, 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  async function etagOf(cookie: string): Promise<{ now: string }> {
    const response = await fetch(`${ctx.server.url}/api/boards/${setup.boardId}/first-screen`, { headers: { cookie } });
    return { now: response.headers.get('etag') ?? '' };
  }
});
