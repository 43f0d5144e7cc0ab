/**
 * The access rules, each proved over real connections (HTTP, y-websocket, socket.io) to a real server
 * with a real SQLite store: no session, expired invite, guest revoked mid-session, viewer writing,
 * guest reaching for the internal document or another board, cross-site requests, repeated wrong
 * passwords, sign-offs from outside the department, deactivation, security headers, audit log.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import {
  BoardDoc,
  CloseCode,
  InternalDoc,
  internalDocName,
  type AuditEvent,
  type BoardSummary,
  type GuestRole,
  type Me,
  type SyncRefusal,
} from '@passerelle/shared';
import { LoginLimiter } from '../../server/src/auth/login-limiter.js';
import { ADMIN, api, connectClient, createBoard, eventually, joinAsGuest, login, rawSocket, synced, type JoinedGuest } from '../helpers/test-server.js';
import { adminWithBoardPerTest, serverPerTest } from '../helpers/per-test.js';
import { cookieClient as syncCookieClient } from '../helpers/sync-client.js';

/** A marker that only the internal document holds: it must never reach a guest. */
const INTERNAL_MARKER = 'Budget interne confidentiel 987654';

describe('security rules over real connections', () => {
  const ctx = serverPerTest(() => ({
    // Tight limits so the lockout is reached quickly; the rule is the same as in production.
    loginLimiter: new LoginLimiter({ failuresPerPair: 3, firstDelaySeconds: 60, failuresPerAddress: 100 }),
  }));
  const setup = adminWithBoardPerTest(() => ctx.server.url, 'Réunion Porto');
  const { asAdmin, member } = setup;

  const wsUrl = (name: string) => `${ctx.server.url.replace('http', 'ws')}/sync/${name}`;

  /** A partner guest who joined the board through an invite link; returns their cookie and invite. */
  const guest = (role: GuestRole = 'viewer', onBoard = setup.boardId): Promise<JoinedGuest> =>
    joinAsGuest({ serverUrl: ctx.server.url, as: { cookie: setup.adminCookie }, boardId: onBoard, role });

  /** A stock y-websocket client authenticated by a session cookie, as a browser would be. */
  const cookieClient = (name: string, cookie: string) => syncCookieClient(ctx.server.url, name, cookie, ctx.track);

  function socketFor(cookie: string): Socket {
    const socket = connectSocketIo(ctx.server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie, origin: ctx.server.url }, reconnection: false });
    ctx.cleanups.push(() => socket.disconnect());
    return socket;
  }

  /** Writes the marker into the board's internal document, as a member would. */
  async function writeInternalContent(): Promise<void> {
    await ctx.server.sync.editDocument(internalDocName(setup.boardId), (doc) => new InternalDoc(doc).notes.insert(0, INTERNAL_MARKER), { id: 'admin', name: 'Admin' });
  }

  describe('no session', () => {
    it('is refused by REST (401), the sync endpoint (4401, nothing sent) and socket.io', async () => {
      for (const path of ['/api/boards', `/api/boards/${setup.boardId}`, '/api/people', '/api/auth/me']) {
        expect((await api(ctx.server.url, path)).status).toBe(401);
      }
      for (const name of [setup.boardId, internalDocName(setup.boardId), 'workspace']) {
        const client = rawSocket(wsUrl(name));
        expect((await client.closed).code).toBe(CloseCode.Unauthorized);
        expect(client.received).toHaveLength(0);
      }
      const socket = connectSocketIo(ctx.server.url, { path: '/socket.io', transports: ['websocket'], reconnection: false });
      ctx.cleanups.push(() => socket.disconnect());
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      expect(error.message).toBe('unauthorized');
    });
  });

  describe('partner guests', () => {
    it('see only their board: not the list of boards, the people, the workspace records, nor another board', async () => {
      const otherBoard = await createBoard(ctx.server.url, (await asAdmin<{ token: string }>('/api/tokens', { method: 'POST', body: { name: 't' } })).body.token, 'Interne SRI');
      const { cookie, me } = await guest('editor');
      expect(me.guest).toMatchObject({ boardId: setup.boardId, role: 'editor', organisation: 'Universidade do Porto' });

      const boards = await api<{ boards: BoardSummary[] }>(ctx.server.url, '/api/boards', { cookie });
      expect(boards.body.boards.map((b) => b.id)).toEqual([setup.boardId]);
      expect((await api(ctx.server.url, `/api/boards/${otherBoard}`, { cookie })).status).toBe(404);
      expect((await api(ctx.server.url, '/api/people', { cookie })).status).toBe(403);
      // A guest searches their own board only: every hit is on it.
      const search = await api<{ hits: { boardId: string }[] }>(ctx.server.url, '/api/search?q=porto', { cookie });
      expect(search.status).toBe(200);
      expect(search.body.hits.every((hit) => hit.boardId === setup.boardId)).toBe(true);
      expect((await api(ctx.server.url, '/api/tokens', { cookie })).status).toBe(403);
      expect((await api(ctx.server.url, '/api/boards', { method: 'POST', body: { title: 'x' }, cookie, headers: { origin: ctx.server.url } })).status).toBe(403);

      for (const name of [otherBoard, internalDocName(setup.boardId), internalDocName(otherBoard), 'workspace']) {
        const client = rawSocket(wsUrl(name), { cookie, origin: ctx.server.url });
        expect((await client.closed).code, name).toBe(CloseCode.Forbidden);
        expect(client.received, name).toHaveLength(0);
      }
    });

    it('never receive internal content on the wire, while members do', async () => {
      await writeInternalContent();
      await ctx.server.sync.editDocument(setup.boardId, (doc) => {
        const board = new BoardDoc(doc);
        board.addCard(board.addColumn('Ordre du jour'), { title: 'Double diplôme génie des procédés', createdBy: 'admin' });
      }, { id: 'admin', name: 'Admin' });

      const { cookie } = await guest('editor');
      const partner = cookieClient(setup.boardId, cookie);
      await synced(partner.provider);
      expect(new BoardDoc(partner.doc).listColumns()).toHaveLength(1);
      const wire = Buffer.concat(partner.frames).toString('latin1');
      expect(wire).toContain('Double dipl');
      expect(wire).not.toContain('987654');

      const colleague = cookieClient(internalDocName(setup.boardId), setup.adminCookie);
      await synced(colleague.provider);
      expect(new InternalDoc(colleague.doc).notes.toString()).toBe(INTERNAL_MARKER);
    });

    it('an internal field written onto the shared board (an older client) is removed, and guests never receive its value', async () => {
      await ctx.server.sync.editDocument(setup.boardId, (doc) => {
        const board = new BoardDoc(doc);
        board.addProposal(board.addColumn('Propositions'), { title: 'Renforcement des capacités Cameroun', createdBy: 'admin' });
      }, { id: 'admin', name: 'Admin' });
      const { cookie } = await guest('viewer');
      const partner = cookieClient(setup.boardId, cookie);
      await synced(partner.provider);

      const colleague = cookieClient(setup.boardId, setup.adminCookie);
      await synced(colleague.provider);
      const stale = cookieClient(setup.boardId, setup.adminCookie);
      await synced(stale.provider);
      const staleBoard = new BoardDoc(stale.doc);
      const [cardId] = [...staleBoard.cards.keys()];
      staleBoard.cards.get(cardId)!.set('budgetEstimate', 987654);
      await eventually(() => !staleBoard.cards.get(cardId)!.has('budgetEstimate'), 5000, 'internal field removed');
      // The guest got the card's later state; the value never crossed the wire to them.
      staleBoard.cards.get(cardId)!.set('region', 'africa');
      await eventually(() => new BoardDoc(partner.doc).getProposal(cardId)?.region === 'africa', 5000, 'later edit reached the guest');
      expect(new BoardDoc(partner.doc).cards.get(cardId)!.has('budgetEstimate')).toBe(false);
      // The value as Yjs encodes it on the wire: members saw it go by, the guest never did.
      const encoder = encoding.createEncoder();
      encoding.writeAny(encoder, 987654);
      const value = Buffer.from(encoding.toUint8Array(encoder));
      expect(Buffer.concat(colleague.frames).includes(value)).toBe(true);
      expect(Buffer.concat(partner.frames).includes(value)).toBe(false);
    });

    it('an expired invite link is refused, and a session whose invite expires is ended live', async () => {
      const { cookie, invite } = await guest('viewer');
      const db = new Database(join(ctx.dataDir, 'passerelle.sqlite'));
      ctx.cleanups.push(() => db.close());
      // The invite now expires in 1.5 s: a connection admitted before then is closed when it passes.
      db.prepare('UPDATE guest_invites SET expires_at = ? WHERE id = ?').run(new Date(Date.now() + 1500).toISOString(), invite.id);
      const live = rawSocket(wsUrl(setup.boardId), { cookie, origin: ctx.server.url });
      await live.opened;
      const closed = await live.closed;
      expect(closed.code).toBe(CloseCode.AccessRevoked);

      const token = invite.url.split('/guest/')[1];
      const preview = await api<{ error: { code: string; message: string } }>(ctx.server.url, `/api/guest-invites/${token}`, { headers: { 'accept-language': 'fr' } });
      expect(preview.status).toBe(410);
      expect(preview.body.error.code).toBe('invitation_expired');
      expect(preview.body.error.message).toContain('expiré');
      const lateJoin = await api(ctx.server.url, `/api/guest-invites/${token}/join`, { method: 'POST', body: { name: 'Late' }, headers: { origin: ctx.server.url } });
      expect(lateJoin.status).toBe(410);
      expect((await api(ctx.server.url, '/api/auth/me', { cookie })).status).toBe(401);
      const again = rawSocket(wsUrl(setup.boardId), { cookie, origin: ctx.server.url });
      expect((await again.closed).code).toBe(CloseCode.Unauthorized);
    });

    it('revoking an invite mid-session ends the guest’s sync and socket.io connections within seconds', async () => {
      const { cookie, invite } = await guest('editor');
      const partner = cookieClient(setup.boardId, cookie);
      await synced(partner.provider);
      const socket = socketFor(cookie);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const ended = new Promise<{ reason: string }>((resolve) => socket.once('access:ended', resolve));
      const closedCodes: number[] = [];
      partner.provider.on('connection-close', (event) => {
        if (event) closedCodes.push(event.code);
      });

      const started = Date.now();
      const revoke = await asAdmin(`/api/boards/${setup.boardId}/guest-invites/${invite.id}`, { method: 'DELETE' });
      expect(revoke.status).toBe(204);
      expect((await ended).reason).toBe('revoked');
      await eventually(() => closedCodes.includes(CloseCode.AccessRevoked), 5000, 'sync connection closed');
      expect(Date.now() - started).toBeLessThan(3000);
      // A final close code: the stock client does not come back.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(partner.provider.wsconnected).toBe(false);
      expect((await api(ctx.server.url, '/api/auth/me', { cookie })).status).toBe(401);
    });

    it('revoking one guest ends only that guest', async () => {
      const first = await guest('viewer');
      const second = await guest('viewer');
      const a = rawSocket(wsUrl(setup.boardId), { cookie: first.cookie, origin: ctx.server.url });
      const b = rawSocket(wsUrl(setup.boardId), { cookie: second.cookie, origin: ctx.server.url });
      await Promise.all([a.opened, b.opened]);
      expect((await asAdmin(`/api/boards/${setup.boardId}/guests/${first.me.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await a.closed).code).toBe(CloseCode.AccessRevoked);
      expect(b.socket.readyState).toBe(WebSocket.OPEN);
      b.socket.close();
    });
  });

  describe('roles', () => {
    it('a viewer’s document updates are refused, and the client and the person are told', async () => {
      await asAdmin(`/api/boards/${setup.boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'viewer' } });
      const viewer = await member('viewer@example.org');
      const socket = socketFor(viewer.cookie);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const refused = new Promise<SyncRefusal>((resolve) => socket.once('sync:refused', resolve));

      const client = cookieClient(setup.boardId, viewer.cookie);
      await synced(client.provider);
      new BoardDoc(client.doc).addColumn('Colonne pirate');
      expect(await refused).toEqual({ boardId: setup.boardId, document: 'board', reason: 'read_only' });
      await eventually(() => client.frames.some((frame) => frame[0] === 2), 5000, 'permission-denied message');

      // Nothing reached the store or anyone else.
      const { token } = (await asAdmin<{ token: string }>('/api/tokens', { method: 'POST', body: { name: 'check' } })).body;
      const observer = connectClient(ctx.server.url, setup.boardId, token);
      ctx.cleanups.push(() => observer.provider.destroy());
      await synced(observer.provider);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(new BoardDoc(observer.doc).listColumns()).toEqual([]);

      // REST follows the same rule.
      const rename = await api(ctx.server.url, `/api/boards/${setup.boardId}`, { method: 'PATCH', body: { title: 'x' }, cookie: viewer.cookie, headers: { origin: ctx.server.url } });
      expect(rename.status).toBe(403);
    });

    it('a viewer guest’s write is refused the same way; an editor guest’s goes through', async () => {
      const viewer = await guest('viewer');
      const client = cookieClient(setup.boardId, viewer.cookie);
      await synced(client.provider);
      new BoardDoc(client.doc).addColumn('Pas autorisé');
      await eventually(() => client.frames.some((frame) => frame[0] === 2), 5000, 'permission-denied message');

      const editor = await guest('editor');
      const other = cookieClient(setup.boardId, editor.cookie);
      await synced(other.provider);
      new BoardDoc(other.doc).addColumn('Proposé par le partenaire');
      const observer = cookieClient(setup.boardId, setup.adminCookie);
      await synced(observer.provider);
      await eventually(() => new BoardDoc(observer.doc).listColumns().length === 1, 5000, 'editor guest column');
      expect(new BoardDoc(observer.doc).listColumns()[0].title).toBe('Proposé par le partenaire');
    });

    it('a role change reaches live connections: a downgraded editor is reconnected as a viewer', async () => {
      const editor = await member('editor@example.org');
      const client = cookieClient(setup.boardId, editor.cookie);
      await synced(client.provider);
      const codes: number[] = [];
      client.provider.on('connection-close', (event) => event && codes.push(event.code));
      expect((await asAdmin(`/api/boards/${setup.boardId}/members/${editor.id}`, { method: 'PUT', body: { role: 'viewer' } })).status).toBe(204);
      await asAdmin(`/api/boards/${setup.boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'none' } });
      await eventually(() => codes.includes(CloseCode.AccessChanged), 5000, 'reconnect under the new role');
      await eventually(() => client.provider.synced, 5000, 'synced again');
      new BoardDoc(client.doc).addColumn('Après rétrogradation');
      await eventually(() => client.frames.some((frame) => frame[0] === 2), 5000, 'permission-denied message');

      const board = await api<BoardSummary>(ctx.server.url, `/api/boards/${setup.boardId}`, { cookie: editor.cookie });
      expect(board.body.role).toBe('viewer');
      await asAdmin(`/api/boards/${setup.boardId}/members/${editor.id}`, { method: 'PUT', body: { role: null } });
      expect((await api(ctx.server.url, `/api/boards/${setup.boardId}`, { cookie: editor.cookie })).status).toBe(404);
    });

    it('a sign-off by someone outside the department is removed by the server', async () => {
      const studies = await member('etudes@example.org', ['studies']);
      await ctx.server.sync.editDocument(setup.boardId, (doc) => {
        const board = new BoardDoc(doc);
        board.addProposal(board.addColumn('Propositions'), { title: 'Alliance chimie verte', createdBy: 'admin', fields: { stage: 'sri_review', actionType: 'knowledge_alliance' } });
      }, { id: 'admin', name: 'Admin' });
      const client = cookieClient(setup.boardId, studies.cookie);
      await synced(client.provider);
      const board = new BoardDoc(client.doc);
      const [cardId] = [...board.cards.keys()];
      board.signOff(cardId, { gate: 'departmental_framing', department: 'research', userId: studies.id, userName: 'etudes', at: new Date().toISOString() });
      board.signOff(cardId, { gate: 'departmental_framing', department: 'studies', userId: studies.id, userName: 'etudes', at: new Date().toISOString() });
      await eventually(() => board.getProposal(cardId)!.signOffs.length === 1, 5000, 'outsider sign-off removed');
      expect(board.getProposal(cardId)!.signOffs[0].department).toBe('studies');
    });
  });

  describe('accounts', () => {
    it('repeated wrong passwords lock the account’s sign-in, even with the right password, and are audited', async () => {
      const wrong = { email: ADMIN.email, password: 'not-the-password' };
      for (let attempt = 0; attempt < 3; attempt++) {
        expect((await api(ctx.server.url, '/api/auth/login', { method: 'POST', body: wrong, headers: { origin: ctx.server.url } })).status).toBe(401);
      }
      const locked = await fetch(`${ctx.server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ctx.server.url, 'accept-language': 'fr' },
        body: JSON.stringify(ADMIN),
      });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await locked.json()) as { error: { message: string } }).error.message).toContain('Trop de tentatives');
      // Another account is not affected.
      await member('autre@example.org');

      const audit = await asAdmin<{ events: AuditEvent[] }>('/api/audit?limit=50');
      const types = audit.body.events.filter((e) => e.target === ADMIN.email).map((e) => e.type);
      expect(types.filter((t) => t === 'login_failed')).toHaveLength(2);
      expect(types).toContain('login_locked');
    });

    it('a deactivated member is signed out everywhere at once and cannot sign in again', async () => {
      const person = await member('depart@example.org');
      const live = rawSocket(wsUrl(setup.boardId), { cookie: person.cookie, origin: ctx.server.url });
      await live.opened;
      expect((await asAdmin(`/api/users/${person.id}`, { method: 'PATCH', body: { active: false } })).status).toBe(200);
      expect((await live.closed).code).toBe(CloseCode.AccessRevoked);
      expect((await api(ctx.server.url, '/api/auth/me', { cookie: person.cookie })).status).toBe(401);
      const again = await api(ctx.server.url, '/api/auth/login', { method: 'POST', body: { email: 'depart@example.org', password: 'a-long-password' }, headers: { origin: ctx.server.url } });
      expect(again.status).toBe(401);
      expect((await api<{ people: { id: string }[] }>(ctx.server.url, '/api/people', { cookie: setup.adminCookie })).body.people.map((p) => p.id)).not.toContain(person.id);
    });

    it('a member invitation works once, and an expired one is refused', async () => {
      const created = await asAdmin<{ url: string; id: string }>('/api/invitations', { method: 'POST', body: { email: 'nouvelle@example.org', departments: ['admissions'] } });
      expect(created.status).toBe(201);
      const token = created.body.url.split('/join/')[1];
      const accept = await api<Me>(ctx.server.url, `/api/invitations/by-token/${token}/accept`, { method: 'POST', body: { name: 'Nouvelle', password: 'another-long-password' }, headers: { origin: ctx.server.url } });
      expect(accept.status).toBe(201);
      expect(accept.body.departments).toEqual(['admissions']);
      expect((await api(ctx.server.url, `/api/invitations/by-token/${token}/accept`, { method: 'POST', body: { name: 'Twice', password: 'another-long-password' }, headers: { origin: ctx.server.url } })).status).toBe(404);

      const later = await asAdmin<{ url: string; id: string }>('/api/invitations', { method: 'POST', body: { email: 'tard@example.org' } });
      const db = new Database(join(ctx.dataDir, 'passerelle.sqlite'));
      ctx.cleanups.push(() => db.close());
      db.prepare('UPDATE invitations SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), later.body.id);
      const expired = await api(ctx.server.url, `/api/invitations/by-token/${later.body.url.split('/join/')[1]}`);
      expect(expired.status).toBe(410);
    });
  });

  describe('cross-site requests and headers', () => {
    it('a state-changing request from another site is refused even with a valid session cookie', async () => {
      const fromEvil = await api(ctx.server.url, '/api/boards', { method: 'POST', body: { title: 'CSRF' }, cookie: setup.adminCookie, headers: { origin: 'https://evil.example' } });
      expect(fromEvil.status).toBe(403);
      const fetchSite = await api(ctx.server.url, '/api/boards', { method: 'POST', body: { title: 'CSRF' }, cookie: setup.adminCookie, headers: { 'sec-fetch-site': 'cross-site' } });
      expect(fetchSite.status).toBe(403);
      const logout = await api(ctx.server.url, '/api/auth/logout', { method: 'POST', cookie: setup.adminCookie, headers: { origin: 'https://evil.example' } });
      expect(logout.status).toBe(403);
      const boards = await api<{ boards: BoardSummary[] }>(ctx.server.url, '/api/boards', { cookie: setup.adminCookie });
      expect(boards.body.boards.map((b) => b.title)).toEqual(['Réunion Porto']);
      // socket.io and the sync endpoint ignore a cookie sent from another origin.
      const socket = connectSocketIo(ctx.server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: setup.adminCookie, origin: 'https://evil.example' }, reconnection: false });
      ctx.cleanups.push(() => socket.disconnect());
      expect((await new Promise<Error>((resolve) => socket.once('connect_error', resolve))).message).toBe('unauthorized');
    });

    it('session cookies are HttpOnly and SameSite, Secure behind TLS; security headers are set', async () => {
      const plain = await fetch(`${ctx.server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
      const cookie = plain.headers.getSetCookie()[0];
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).not.toMatch(/Secure/i);
      const tls = await fetch(`${ctx.server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify(ADMIN),
      });
      expect(tls.headers.getSetCookie()[0]).toMatch(/; Secure/i);
      expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
      expect(plain.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(plain.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(plain.headers.get('referrer-policy')).toBe('no-referrer');
    });
  });

  it('the audit log records invitations, guests, role changes and revocations, for administrators only', async () => {
    const { invite } = await guest('commenter');
    const person = await member('audit@example.org');
    await asAdmin(`/api/boards/${setup.boardId}/members/${person.id}`, { method: 'PUT', body: { role: 'owner' } });
    await asAdmin(`/api/boards/${setup.boardId}/guest-invites/${invite.id}`, { method: 'DELETE' });
    await asAdmin('/api/invitations', { method: 'POST', body: { email: 'x@example.org' } });
    const audit = await asAdmin<{ events: AuditEvent[] }>('/api/audit');
    const types = audit.body.events.map((e) => e.type);
    for (const type of ['guest_invite_created', 'guest_joined', 'board_role_changed', 'guest_invite_revoked', 'invitation_created', 'login_succeeded'] as const) {
      expect(types, type).toContain(type);
    }
    const joined = audit.body.events.find((e) => e.type === 'guest_joined')!;
    expect(joined).toMatchObject({ actorName: 'Ana Sousa', target: setup.boardId });
    expect((await api(ctx.server.url, '/api/audit', { cookie: person.cookie })).status).toBe(403);
  });
});
