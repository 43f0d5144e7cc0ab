/**
 * Redis mode and internal fields: an internal field an older client writes onto the shared board
 * through one process is removed there, and members of that process see the value go by. The
 * update that process stores and publishes holds the value and its removal together; the other
 * process applies both in one transaction and relays its own encoding of it, in which the value is
 * only a tombstone: nobody there, guest or member, receives the value. The fan-out batches of both
 * processes must keep it so.
 */
import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { BoardDoc, type BoardSummary, type GuestInviteCreated } from '@passerelle/shared';
import { type ServerProcess } from '../helpers/server-process.js';
import { redisPairPerTest } from '../helpers/per-test.js';
import { cookieClient as syncCookieClient } from '../helpers/sync-client.js';
import { api, eventually, login, synced } from '../helpers/test-server.js';

describe('guests in Redis mode', () => {
  const ctx = redisPairPerTest({ keyPrefix: 'test:' });

  /** A stock client authenticated by a session cookie, keeping a copy of every frame it receives. */
  function cookieClient(server: ServerProcess, name: string, cookie: string) {
    const client = syncCookieClient(server.url, name, cookie, ctx.track);
    return { ...client, board: new BoardDoc(client.doc) };
  }

  it('an internal value an older client wrote through one process never reaches the other process’s clients, guests included', async () => {
    const adminCookie = await login(ctx.first.url);
    const asAdmin = <T>(path: string, body: unknown) => api<T>(ctx.first.url, path, { method: 'POST', body, cookie: adminCookie, headers: { origin: ctx.first.url } });
    const boardId = (await asAdmin<BoardSummary>('/api/boards', { title: 'Réunion Porto' })).body.id;
    const invite = await asAdmin<GuestInviteCreated>(`/api/boards/${boardId}/guest-invites`, { role: 'viewer', label: 'Universidade do Porto', expiresInHours: 24 });
    const joined = await fetch(`${ctx.second.url}/api/guest-invites/${invite.body.url.split('/guest/')[1]}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ctx.second.url },
      body: JSON.stringify({ name: 'Ana Sousa', organisation: 'Universidade do Porto' }),
    });
    expect(joined.status).toBe(201);
    const guestCookie = joined.headers.getSetCookie().find((c) => c.startsWith('passerelle_session='))!.split(';')[0];

    const stale = cookieClient(ctx.first, boardId, adminCookie);
    await synced(stale.provider);
    const column = stale.board.addColumn('Propositions');
    const cardId = stale.board.addProposal(column, { title: 'Renforcement des capacités Cameroun', createdBy: 'admin' });
    const partner = cookieClient(ctx.second, boardId, guestCookie);
    const colleague = cookieClient(ctx.second, boardId, adminCookie);
    const neighbour = cookieClient(ctx.first, boardId, adminCookie);
    await Promise.all([synced(partner.provider), synced(colleague.provider), synced(neighbour.provider)]);
    await eventually(() => partner.board.getProposal(cardId) !== undefined, 5000, 'the card on the guest');

    stale.board.cards.get(cardId)!.set('budgetEstimate', 987654);
    await eventually(() => !stale.board.cards.get(cardId)!.has('budgetEstimate'), 5000, 'internal field removed');
    stale.board.cards.get(cardId)!.set('region', 'africa');
    await eventually(() => partner.board.getProposal(cardId)?.region === 'africa', 5000, 'later edit reached the guest');
    await eventually(() => colleague.board.getProposal(cardId)?.region === 'africa', 5000, 'and the colleague');
    expect(partner.board.cards.get(cardId)!.has('budgetEstimate')).toBe(false);

    const encoder = encoding.createEncoder();
    encoding.writeAny(encoder, 987654);
    const value = Buffer.from(encoding.toUint8Array(encoder));
    // A member on the first process saw the value go by...
    await eventually(() => neighbour.board.getProposal(cardId)?.region === 'africa', 5000, 'the edit on the first process');
    expect(Buffer.concat(neighbour.frames).includes(value)).toBe(true);
    // ...nobody on the second process did, the guest least of all.
    expect(Buffer.concat(colleague.frames).includes(value)).toBe(false);
    expect(Buffer.concat(partner.frames).includes(value)).toBe(false);
  });
});
