/**
 * Who may change the workspace's records, proved over real y-websocket connections to a real server
 * with a real SQLite store: an outsider and a partner guest are turned away; a member who may change
 * nothing reads; a department changes its own mobility figures and no other's; an agreements manager
 * (made so by an administrator) changes partners and agreements; an administrator changes all. What
 * a person may not change is put back on their screen and never stored; what they may is history.
 */
import { describe, expect, it } from 'vitest';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import type * as Y from 'yjs';
import { CloseCode, WORKSPACE_DOC, WorkspaceDoc, type AuditEvent, type HistoryEntry, type Me, type SyncRefusal } from '@passerelle/shared';
import { eventually, joinAsGuest, rawSocket, synced } from '../helpers/test-server.js';
import { adminWithBoardPerTest, serverPerTest } from '../helpers/per-test.js';
import { cookieClient } from '../helpers/sync-client.js';

const YEAR = '2026/2027';

describe('workspace records over real connections', () => {
  const ctx = serverPerTest();
  const setup = adminWithBoardPerTest(() => ctx.server.url, 'Réunion Porto');
  const { asAdmin, member } = setup;

  /** The records every test starts from, written by the server on the administrator's behalf. */
  async function seed(): Promise<void> {
    await ctx.server.sync.editDocument(
      WORKSPACE_DOC,
      (doc) => {
        const ws = new WorkspaceDoc(doc);
        ws.partners.create({ name: 'Universidade do Porto' }, 'partner-porto');
        ws.agreements.create({ title: 'Accord Porto' }, 'agreement-porto');
        ws.mobilities.create({ academicYear: YEAR, planned: 4, department: 'studies' }, 'flow-studies');
        ws.mobilities.create({ academicYear: YEAR, planned: 2, department: 'research' }, 'flow-research');
        ws.targets.create({ academicYear: YEAR, target: 10, department: 'studies' }, 'target-studies');
        ws.targets.create({ academicYear: YEAR, target: 20 }, 'target-school');
      },
      { id: 'admin', name: 'Admin' },
    );
  }

  /** The workspace as the server holds it. */
  const stored = () => ctx.server.sync.readDocument(WORKSPACE_DOC, (doc) => new WorkspaceDoc(doc));

  /** A synced stock y-websocket client of the workspace for a session cookie, as a browser's. */
  async function open(cookie: string): Promise<{ doc: Y.Doc; ws: WorkspaceDoc }> {
    const client = cookieClient(ctx.server.url, WORKSPACE_DOC, cookie, ctx.track);
    await synced(client.provider);
    return { doc: client.doc, ws: new WorkspaceDoc(client.doc) };
  }

  /** The write refusals the server tells a person of over socket.io. */
  async function refusalsOf(cookie: string): Promise<SyncRefusal[]> {
    const refusals: SyncRefusal[] = [];
    const socket: Socket = connectSocketIo(ctx.server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie, origin: ctx.server.url }, reconnection: false });
    ctx.cleanups.push(() => socket.disconnect());
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    socket.on('sync:refused', (refusal: SyncRefusal) => refusals.push(refusal));
    return refusals;
  }

  async function agreementsManager(email: string): Promise<{ cookie: string; id: string }> {
    const person = await member(email);
    const granted = await asAdmin<Me>(`/api/users/${person.id}`, { method: 'PATCH', body: { managesAgreements: true } });
    expect(granted.status).toBe(200);
    expect(granted.body.managesAgreements).toBe(true);
    return person;
  }

  it('turns away an outsider (4401) and a partner guest (4403), who receive nothing of the records', async () => {
    await seed();
    const outsider = rawSocket(`${ctx.server.url.replace('http', 'ws')}/sync/${WORKSPACE_DOC}`);
    expect((await outsider.closed).code).toBe(CloseCode.Unauthorized);
    expect(outsider.received).toHaveLength(0);

    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { cookie: setup.adminCookie }, boardId: setup.boardId, role: 'editor' });
    const client = rawSocket(`${ctx.server.url.replace('http', 'ws')}/sync/${WORKSPACE_DOC}`, { cookie: guest.cookie, origin: ctx.server.url });
    expect((await client.closed).code).toBe(CloseCode.Forbidden);
    expect(client.received).toHaveLength(0);
  });

  it('lets a member who may change no record read the records, and refuses their writes', async () => {
    await seed();
    const reader = await member('lecteur@example.org');
    const refusals = await refusalsOf(reader.cookie);
    const { ws } = await open(reader.cookie);
    expect(ws.partners.get('partner-porto')?.name).toBe('Universidade do Porto');

    ws.partners.update('partner-porto', { name: 'Renamed by a reader' });
    ws.mobilities.update('flow-studies', { planned: 99 });
    await eventually(() => refusals.length > 0, 5000, 'the refusal');
    expect(refusals[0]).toMatchObject({ document: 'workspace', reason: 'read_only' });
    const server = await stored();
    expect(server.partners.get('partner-porto')?.name).toBe('Universidade do Porto');
    expect(server.mobilities.get('flow-studies')?.planned).toBe(4);
  });

  it('lets a department change its own mobility figures, and puts back its changes to another department’s, to the school’s and to partners', async () => {
    await seed();
    const studies = await member('etudes@example.org', ['studies']);
    const refusals = await refusalsOf(studies.cookie);
    const { ws } = await open(studies.cookie);

    ws.mobilities.update('flow-studies', { planned: 6 });
    ws.targets.update('target-studies', { target: 12 });
    await eventually(async () => (await stored()).mobilities.get('flow-studies')?.planned === 6, 5000, 'their own figure stored');
    expect((await stored()).targets.get('target-studies')?.target).toBe(12);

    ws.mobilities.update('flow-research', { planned: 50 });
    ws.targets.update('target-school', { target: 1 });
    ws.partners.update('partner-porto', { name: 'Renamed by studies' });
    ws.agreements.delete('agreement-porto');
    // Put back on their own screen, by the server's correction.
    await eventually(() => ws.mobilities.get('flow-research')?.planned === 2, 5000, 'the other department’s figure put back');
    await eventually(() => ws.targets.get('target-school')?.target === 20 && ws.partners.get('partner-porto')?.name === 'Universidade do Porto', 5000, 'the rest put back');
    await eventually(() => ws.agreements.get('agreement-porto')?.title === 'Accord Porto', 5000, 'the deleted agreement back');
    expect(refusals.length).toBeGreaterThan(0);
    const server = await stored();
    expect(server.mobilities.get('flow-research')?.planned).toBe(2);
    expect(server.targets.get('target-school')?.target).toBe(20);
    expect(server.partners.get('partner-porto')?.name).toBe('Universidade do Porto');
    expect(server.agreements.get('agreement-porto')?.title).toBe('Accord Porto');

    // Nor may it hand its figure to another department, or create one for another.
    ws.mobilities.update('flow-studies', { department: 'research' });
    ws.mobilities.create({ academicYear: YEAR, planned: 1, department: 'research' }, 'flow-made-for-research');
    await eventually(() => ws.mobilities.get('flow-studies')?.department === 'studies' && !ws.mobilities.has('flow-made-for-research'), 5000, 'hand-over put back');
    ws.mobilities.create({ academicYear: YEAR, planned: 1, department: 'studies' }, 'flow-made-by-studies');
    await eventually(async () => (await stored()).mobilities.has('flow-made-by-studies'), 5000, 'their new figure stored');
    expect((await stored()).mobilities.get('flow-studies')?.department).toBe('studies');
  });

  it('lets an agreements manager change partners, agreements and the school’s figures, not a department’s', async () => {
    await seed();
    const manager = await agreementsManager('accords@example.org');
    const { ws } = await open(manager.cookie);
    ws.partners.update('partner-porto', { city: 'Porto' });
    ws.agreements.update('agreement-porto', { status: 'signed' });
    ws.targets.update('target-school', { target: 25 });
    ws.mobilities.update('flow-research', { planned: 40 });
    await eventually(() => ws.mobilities.get('flow-research')?.planned === 2, 5000, 'the department’s figure put back');
    const server = await stored();
    expect(server.partners.get('partner-porto')?.city).toBe('Porto');
    expect(server.agreements.get('agreement-porto')?.status).toBe('signed');
    expect(server.targets.get('target-school')?.target).toBe(25);
    expect(server.mobilities.get('flow-research')?.planned).toBe(2);
  });

  it('takes the capability back at once: the manager’s connection reconnects read-only', async () => {
    await seed();
    const manager = await agreementsManager('accords@example.org');
    const { ws } = await open(manager.cookie);
    const revoked = await asAdmin<Me>(`/api/users/${manager.id}`, { method: 'PATCH', body: { managesAgreements: false } });
    expect(revoked.body.managesAgreements).toBe(false);
    const refusals = await refusalsOf(manager.cookie);
    // The stock client reconnects after AccessChanged; its write then meets the new rule.
    await eventually(() => refusals.length > 0 || (ws.partners.update('partner-porto', { city: 'Revoked' }), false), 10_000, 'the write refused');
    expect((await stored()).partners.get('partner-porto')?.city).toBe('');
  });

  it('lets an administrator change every record', async () => {
    await seed();
    const { ws } = await open(setup.adminCookie);
    ws.mobilities.update('flow-research', { planned: 3 });
    ws.partners.delete('partner-porto');
    await eventually(async () => {
      const server = await stored();
      return server.mobilities.get('flow-research')?.planned === 3 && !server.partners.has('partner-porto');
    }, 5000, 'the administrator’s changes stored');
  });

  it('records who changed which field of a record in its history and the audit log, and audits what was put back', async () => {
    await seed();
    const studies = await member('etudes@example.org', ['studies']);
    const { ws } = await open(studies.cookie);
    ws.mobilities.update('flow-studies', { planned: 7 });
    ws.mobilities.update('flow-studies', { notes: 'Deux de plus' });
    ws.mobilities.update('flow-research', { planned: 70 });
    await eventually(() => ws.mobilities.get('flow-research')?.planned === 2, 5000, 'put back');
    let history: HistoryEntry[] = [];
    await eventually(async () => {
      const all = (await asAdmin<{ entries: HistoryEntry[] }>('/api/workspace/history?recordId=flow-studies')).body.entries;
      history = all.filter((entry) => entry.actorId === studies.id);
      return history.length > 0 && history[0]!.fields.length === 2;
    }, 5000, 'history of the figure');
    // Two changes in a row by one person to one record: one entry, both fields.
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ actorId: studies.id, subjectKind: 'mobility', cardId: 'flow-studies', action: 'updated' });
    expect([...history[0]!.fields].sort()).toEqual(['notes', 'planned']);
    const research = await asAdmin<{ entries: HistoryEntry[] }>('/api/workspace/history?recordId=flow-research');
    expect(research.body.entries.filter((entry) => entry.actorId === studies.id)).toHaveLength(0);

    // The seed's creation, closed once someone else changed the record, is in the audit log.
    const created = await asAdmin<{ events: AuditEvent[] }>('/api/audit?type=record_created');
    expect(created.body.events.some((event) => event.target === 'mobility:flow-studies' && event.actorName === 'Admin')).toBe(true);
    const refused = await asAdmin<{ events: AuditEvent[] }>('/api/audit?type=record_change_refused');
    expect(refused.body.events.some((event) => event.actorId === studies.id && String(event.details.records).includes('mobility:flow-research'))).toBe(true);
  });
});
