/**
 * The end of access, proved over real connections to a real server with a real SQLite store: an API
 * token revoked, a board deleted, an administrator demoted. Each must reach the connections already
 * open (sync and socket.io), not only the requests that come after; and nothing of a deleted board
 * may stay in the store.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { io as connectSocketIo } from 'socket.io-client';
import WebSocket from 'ws';
import {
  CloseCode,
  InternalDoc,
  internalDocName,
  newId,
  type BoardSummary,
  type Me,
  type MeetingUpdate,
} from '@passerelle/shared';
import { api, apiWithCookie, connectedSocket, eventually, rawSocket, sendAndAck, within } from '../helpers/test-server.js';
import { adminWithBoardPerTest, serverPerTest } from '../helpers/per-test.js';
import { admittedSync as admittedSyncTo } from '../helpers/sync-client.js';

/** A marker that only the internal document holds. */
const INTERNAL_MARKER = 'Budget interne confidentiel 987654';

describe('access lifecycle over real connections', () => {
  const ctx = serverPerTest();
  const setup = adminWithBoardPerTest(() => ctx.server.url, 'Réunion Porto');
  const { asAdmin, member } = setup;

  const wsUrl = (name: string) => `${ctx.server.url.replace('http', 'ws')}/sync/${name}`;

  const admittedSync = (name: string, credentials: { token: string } | { cookie: string }) => admittedSyncTo(ctx.server.url, name, credentials, ctx.track);

  const connectTo = (credentials: { token: string } | { cookie: string }) => connectedSocket(ctx.server.url, credentials, ctx.track);
  const send = sendAndAck;

  /** The stored rows of a document in the server's SQLite database (updates and snapshot). */
  function storedRows(name: string): number {
    const db = new Database(join(ctx.dataDir, 'passerelle.sqlite'), { readonly: true });
    try {
      const updates = db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ?').get(name) as { n: number };
      const snapshots = db.prepare('SELECT COUNT(*) AS n FROM doc_snapshots WHERE doc = ?').get(name) as { n: number };
      return updates.n + snapshots.n;
    } finally {
      db.close();
    }
  }

  describe('revoking an API token', () => {
    it('ends every sync and socket.io connection opened with it, and only those', async () => {
      const person = await member('camille@example.org');
      const created = await apiWithCookie(ctx.server.url, person.cookie)<{ token: string; id: string }>('/api/tokens', { method: 'POST', body: { name: 'script' } });
      expect(created.status).toBe(201);
      const { token, id: tokenId } = created.body;

      const boardByToken = await admittedSync(setup.boardId, { token });
      const internalByToken = await admittedSync(internalDocName(setup.boardId), { token });
      const boardByCookie = await admittedSync(setup.boardId, { cookie: person.cookie });
      const socketByToken = await connectTo({ token });
      const socketByCookie = await connectTo({ cookie: person.cookie });
      const ended = new Promise<{ reason: string }>((resolve) => socketByToken.once('access:ended', resolve));
      const disconnected = new Promise<void>((resolve) => socketByToken.once('disconnect', () => resolve()));

      const revoked = await api(ctx.server.url, `/api/tokens/${tokenId}`, { method: 'DELETE', cookie: person.cookie, headers: { origin: ctx.server.url } });
      expect(revoked.status).toBe(204);

      expect((await within(boardByToken.closed, 3000, 'token sync connection ended')).code).toBe(CloseCode.AccessRevoked);
      expect((await within(internalByToken.closed, 3000, 'token internal connection ended')).code).toBe(CloseCode.AccessRevoked);
      expect((await within(ended, 3000, 'token socket.io told')).reason).toBe('revoked');
      await within(disconnected, 3000, 'token socket.io disconnected');
      // The person's own session goes on: only what the token opened ends.
      expect(boardByCookie.socket.readyState).toBe(WebSocket.OPEN);
      expect(socketByCookie.connected).toBe(true);
      // And the token opens nothing any more.
      const again = rawSocket(`${wsUrl(setup.boardId)}?token=${encodeURIComponent(token)}`);
      expect((await again.closed).code).toBe(CloseCode.Unauthorized);
      const refused = connectSocketIo(ctx.server.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, auth: { token } });
      ctx.cleanups.push(() => refused.disconnect());
      expect((await new Promise<Error>((resolve) => refused.once('connect_error', resolve))).message).toBe('unauthorized');
    });
  });

  describe('deleting a board', () => {
    it('closes the connections to its internal document and removes the internal text from the store', async () => {
      await ctx.server.sync.editDocument(internalDocName(setup.boardId), (doc) => new InternalDoc(doc).notes.insert(0, INTERNAL_MARKER), { id: 'admin', name: 'Admin' });
      const internal = await admittedSync(internalDocName(setup.boardId), { cookie: setup.adminCookie });
      const board = await admittedSync(setup.boardId, { cookie: setup.adminCookie });
      expect(storedRows(internalDocName(setup.boardId))).toBeGreaterThan(0);

      expect((await asAdmin(`/api/boards/${setup.boardId}`, { method: 'DELETE' })).status).toBe(204);

      expect((await within(board.closed, 3000, 'board connection ended')).code).toBe(CloseCode.BoardNotFound);
      expect((await within(internal.closed, 3000, 'internal connection ended')).code).toBe(CloseCode.BoardNotFound);
      expect(storedRows(setup.boardId)).toBe(0);
      expect(storedRows(internalDocName(setup.boardId))).toBe(0);
      expect(ctx.server.sync.openBoards).not.toContain(internalDocName(setup.boardId));
      // Nothing reopens it.
      const again = rawSocket(wsUrl(internalDocName(setup.boardId)), { cookie: setup.adminCookie, origin: ctx.server.url });
      expect((await again.closed).code).toBe(CloseCode.BoardNotFound);
      expect(storedRows(internalDocName(setup.boardId))).toBe(0);
    });
  });

  describe('the sweep of documents without a board', () => {
    /** Stores both documents of a board id, as a room would. */
    async function writeDocuments(id: string, text: string): Promise<void> {
      await ctx.server.sync.editDocument(id, (doc) => doc.getMap('meta').set('note', text), { id: 'admin', name: 'Admin' });
      await ctx.server.sync.editDocument(internalDocName(id), (doc) => new InternalDoc(doc).notes.insert(0, text), { id: 'admin', name: 'Admin' });
    }

    it('removes the documents of a board that no longer exists, and keeps every existing board’s and the workspace’s', async () => {
      await writeDocuments(setup.boardId, 'kept');
      await ctx.server.sync.editDocument('workspace', (doc) => doc.getMap('meta').set('note', 'kept'), { id: 'admin', name: 'Admin' });
      // A board whose row is gone while its documents stayed, as a crash in the middle of a deletion leaves it.
      const orphan = (await asAdmin<BoardSummary>('/api/boards', { method: 'POST', body: { title: 'Orpheline' } })).body.id;
      await writeDocuments(orphan, INTERNAL_MARKER);
      await ctx.server.accounts.directory.deleteBoard(orphan);

      const removed = await ctx.server.sync.sweepOrphanDocuments({ graceMs: 0 });

      expect([...removed].sort()).toEqual([orphan, internalDocName(orphan)].sort());
      expect(storedRows(orphan)).toBe(0);
      expect(storedRows(internalDocName(orphan))).toBe(0);
      for (const name of [setup.boardId, internalDocName(setup.boardId), 'workspace']) expect(storedRows(name), name).toBeGreaterThan(0);
    });

    it('keeps the documents of a board whose row appears during the grace period (written before it, as the demo workspace is)', async () => {
      const arriving = newId();
      await writeDocuments(arriving, 'arriving');

      const admin = (await asAdmin<Me>('/api/auth/me')).body;
      const sweeping = ctx.server.sync.sweepOrphanDocuments({ graceMs: 400 });
      const now = new Date().toISOString();
      await ctx.server.accounts.directory.createBoard({ id: arriving, title: 'Démo', createdBy: admin.id, createdAt: now, updatedAt: now });

      expect(await sweeping).toEqual([]);
      expect(storedRows(arriving)).toBeGreaterThan(0);
      expect(storedRows(internalDocName(arriving))).toBeGreaterThan(0);
    });

    it('runs when the server starts: the documents without a board are found and named in the log', async () => {
      const orphan = (await asAdmin<BoardSummary>('/api/boards', { method: 'POST', body: { title: 'Orpheline' } })).body.id;
      await writeDocuments(orphan, 'left behind');
      await ctx.server.accounts.directory.deleteBoard(orphan);

      const lines: string[] = [];
      const logger = pino({ level: 'info', base: undefined }, new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }));
      await ctx.restart({ logger });

      await eventually(() => lines.some((line) => line.includes('documents without a board')), 5000, 'the sweep at start');
      const found = lines.map((line) => JSON.parse(line) as { msg: string; documents?: string[] }).find((record) => record.msg.includes('documents without a board'));
      expect([...(found?.documents ?? [])].sort()).toEqual([orphan, internalDocName(orphan)].sort());
    });
  });

  describe('demoting an administrator', () => {
    it('takes their administrator rights from their open socket.io connections: no meeting of another board, no capture, out of its meeting', async () => {
      const person = await member('chloe@example.org');
      expect((await asAdmin(`/api/users/${person.id}`, { method: 'PATCH', body: { isAdmin: true } })).status).toBe(200);
      // Boards the person sees only as an administrator.
      expect((await asAdmin(`/api/boards/${setup.boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'none' } })).status).toBe(204);
      const otherBoard = (await asAdmin<BoardSummary>('/api/boards', { method: 'POST', body: { title: 'Budget SRI' } })).body.id;
      expect((await asAdmin(`/api/boards/${otherBoard}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'none' } })).status).toBe(204);

      const demoted = await connectTo({ cookie: person.cookie });
      const owner = await connectTo({ cookie: setup.adminCookie });
      const ownerStates: MeetingUpdate[] = [];
      owner.on('meeting:state', (update) => ownerStates.push(update));
      expect(await send(owner, 'meeting:join', { boardId: setup.boardId, locale: 'fr' })).toEqual({ ok: true });
      expect(await send(demoted, 'meeting:join', { boardId: setup.boardId, locale: 'fr' })).toEqual({ ok: true });
      expect(await send(demoted, 'meeting:start', { boardId: setup.boardId })).toEqual({ ok: true });
      await eventually(() => ownerStates.at(-1)?.meeting?.participants.length === 2, 5000, 'both in the meeting');

      expect((await asAdmin(`/api/users/${person.id}`, { method: 'PATCH', body: { isAdmin: false } })).status).toBe(200);

      expect(await send(demoted, 'meeting:capture', { boardId: setup.boardId, item: { kind: 'decision', title: 'Budget validé' } })).toEqual({ ok: false, error: 'forbidden' });
      expect(await send(demoted, 'meeting:join', { boardId: otherBoard, locale: 'fr' })).toEqual({ ok: false, error: 'forbidden' });
      expect(await send(demoted, 'meeting:start', { boardId: otherBoard })).toEqual({ ok: false, error: 'forbidden' });
      const participants = () => ownerStates.at(-1)?.meeting?.participants.map((participant) => participant.id) ?? [];
      await eventually(() => participants().length === 1, 5000, 'the demoted person out of the meeting');
      expect(participants()).not.toContain(person.id);
    });
  });
});
