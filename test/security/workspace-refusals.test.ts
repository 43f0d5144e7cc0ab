/**
 * What a person hears when the server does not keep a change of theirs to the workspace, over real
 * y-websocket and socket.io connections to a real server: the records put back, each with its name,
 * when the record rules refuse them, and a read-only refusal when they may only read.
 */
import { describe, expect, it } from 'vitest';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { WORKSPACE_DOC, WorkspaceDoc, type WorkspaceRefusal } from '@passerelle/shared';
import { eventually, synced } from '../helpers/test-server.js';
import { adminWithBoardPerTest, serverPerTest } from '../helpers/per-test.js';
import { cookieClient } from '../helpers/sync-client.js';

const YEAR = '2026/2027';

describe('refused workspace changes, told to their author', () => {
  const ctx = serverPerTest();
  const setup = adminWithBoardPerTest(() => ctx.server.url, 'Réunion Porto');

  async function seed(): Promise<void> {
    await ctx.server.sync.editDocument(
      WORKSPACE_DOC,
      (doc) => {
        const ws = new WorkspaceDoc(doc);
        ws.partners.create({ name: 'Universidade do Porto' }, 'partner-porto');
        ws.mobilities.create({ academicYear: YEAR, planned: 4, department: 'studies' }, 'flow-studies');
        ws.mobilities.create({ academicYear: YEAR, planned: 2, department: 'research' }, 'flow-research');
      },
      { id: 'admin', name: 'Admin' },
    );
  }

  async function refusalsOf(cookie: string): Promise<WorkspaceRefusal[]> {
    const refusals: WorkspaceRefusal[] = [];
    const socket: Socket = connectSocketIo(ctx.server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie, origin: ctx.server.url }, reconnection: false });
    ctx.cleanups.push(() => socket.disconnect());
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    socket.on('workspace:refused', (refusal: WorkspaceRefusal) => refusals.push(refusal));
    return refusals;
  }

  async function open(cookie: string): Promise<WorkspaceDoc> {
    const client = cookieClient(ctx.server.url, WORKSPACE_DOC, cookie, ctx.track);
    await synced(client.provider);
    return new WorkspaceDoc(client.doc);
  }

  it('names the records the rules put back, with why, and says nothing of what was kept', async () => {
    await seed();
    const studies = await setup.member('etudes@example.org', ['studies']);
    const refusals = await refusalsOf(studies.cookie);
    const ws = await open(studies.cookie);

    ws.mobilities.update('flow-studies', { planned: 6 });
    await eventually(() => ctx.server.sync.readDocument(WORKSPACE_DOC, (doc) => new WorkspaceDoc(doc).mobilities.get('flow-studies')?.planned === 6), 5000, 'their own figure kept');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(refusals).toEqual([]);

    ws.doc.transact(() => {
      ws.mobilities.update('flow-research', { planned: 50 });
      ws.partners.update('partner-porto', { name: 'Renamed by studies' });
    });
    await eventually(() => refusals.length > 0, 5000, 'the refusal');
    expect(refusals).toEqual([
      {
        reason: 'not_allowed',
        records: expect.arrayContaining([
          { kind: 'mobility', id: 'flow-research', name: YEAR },
          { kind: 'partner', id: 'partner-porto', name: 'Universidade do Porto' },
        ]),
        settings: false,
      },
    ]);
    expect(refusals[0]!.records).toHaveLength(2);
    // Put back on their own screen, as on the server.
    await eventually(() => ws.mobilities.get('flow-research')?.planned === 2 && ws.partners.get('partner-porto')?.name === 'Universidade do Porto', 5000, 'their change put back');
  });

  it('tells a member who may only read that nothing of their change was taken', async () => {
    await seed();
    const reader = await setup.member('lecteur@example.org');
    const refusals = await refusalsOf(reader.cookie);
    const ws = await open(reader.cookie);
    ws.partners.update('partner-porto', { name: 'Renamed by a reader' });
    await eventually(() => refusals.length > 0, 5000, 'the refusal');
    expect(refusals).toEqual([{ reason: 'read_only', records: [], settings: false }]);
  });
});
