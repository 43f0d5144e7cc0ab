/**
 * The workspace's versions against a real server (port 0), on SQLite and on a real Redis: an
 * automatic version after an agreements manager's changes over a real y-websocket connection, a
 * named version, a read-only preview of the records, and an administrator's restore that every
 * connected client converges on and that the records' history and the audit log show as the
 * administrator's change. Members list and preview; only administrators restore and delete.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WORKSPACE_DOC, WorkspaceDoc, type AuditEvent, type HistoryEntry, type Me, type VersionSummary, type WorkspaceRestoreResult, type WorkspaceVersionView } from '@passerelle/shared';
import { apiWithCookie, eventually, joinAsGuest, synced } from '../helpers/test-server.js';
import { adminWithBoardPerTest, serverPerTest } from '../helpers/per-test.js';
import { redisForThisFile } from '../helpers/redis-fixture.js';
import { cookieClient } from '../helpers/sync-client.js';

const redis = redisForThisFile();
let redisUrl = '';
/** Each test's own keys on the shared Redis, kept across a restart within the test. */
let redisPrefix = '';

const stores: [string, () => Record<string, string>][] = [
  ['SQLite', () => ({})],
  ['Redis', () => ({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: redisPrefix })],
];

beforeAll(async () => {
  redisUrl = (await redis.server()).url;
});

describe.each(stores)('workspace versions (%s)', (_name, env) => {
  beforeEach(() => {
    redisPrefix = redis.freshPrefix();
  });
  const ctx = serverPerTest(() => ({ env: env(), versionIntervalMs: 300 }));
  const setup = adminWithBoardPerTest(() => ctx.server.url, 'Réunion Porto');
  const { asAdmin, member } = setup;

  async function seed(): Promise<void> {
    await ctx.server.sync.editDocument(
      WORKSPACE_DOC,
      (doc) => {
        const ws = new WorkspaceDoc(doc);
        ws.partners.create({ name: 'Universidade do Porto' }, 'partner-porto');
        ws.agreements.create({ title: 'Accord Porto' }, 'agreement-porto');
        ws.mobilities.create({ academicYear: '2026/2027', planned: 4, department: 'studies' }, 'flow-studies');
      },
      { id: 'admin', name: 'Admin' },
    );
  }

  async function agreementsManager(email: string): Promise<{ cookie: string; id: string }> {
    const person = await member(email);
    expect((await asAdmin<Me>(`/api/users/${person.id}`, { method: 'PATCH', body: { managesAgreements: true } })).status).toBe(200);
    return person;
  }

  async function open(cookie: string): Promise<WorkspaceDoc> {
    const client = cookieClient(ctx.server.url, WORKSPACE_DOC, cookie, ctx.track);
    await synced(client.provider);
    return new WorkspaceDoc(client.doc);
  }

  it('takes versions after changes and by name, previews them read-only, and lets only administrators restore and delete them', async () => {
    await seed();
    const manager = await agreementsManager('accords@example.org');
    const reader = await member('lecteur@example.org');
    const asManager = apiWithCookie(ctx.server.url, manager.cookie);
    const asReader = apiWithCookie(ctx.server.url, reader.cookie);
    const managerWs = await open(manager.cookie);
    const readerWs = await open(reader.cookie);

    // An automatic version follows the manager's change, naming them.
    managerWs.partners.update('partner-porto', { name: 'Université de Porto' });
    let auto: VersionSummary | undefined;
    await eventually(async () => {
      const listed = (await asReader<{ versions: VersionSummary[] }>('/api/workspace/versions')).body.versions;
      auto = listed.find((version) => version.kind === 'auto' && version.editors.some((editor) => editor.id === manager.id));
      return auto !== undefined;
    }, 5000, 'an automatic version naming the manager');
    expect(auto?.boardId).toBe('workspace');

    // A member who may change some record names the current state; a reader may not.
    expect((await asReader('/api/workspace/versions', { method: 'POST', body: { name: 'By a reader' } })).status).toBe(403);
    const named = await asManager<VersionSummary>('/api/workspace/versions', { method: 'POST', body: { name: 'Avant l’appel' } });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ kind: 'named', name: 'Avant l’appel', createdBy: { id: manager.id } });

    // Every member previews a version's records, read-only.
    const view = await asReader<WorkspaceVersionView>(`/api/workspace/versions/${named.body.id}`);
    expect(view.status).toBe(200);
    expect(view.body.partners).toEqual([expect.objectContaining({ id: 'partner-porto', name: 'Université de Porto' })]);
    expect(view.body.agreements).toEqual([expect.objectContaining({ id: 'agreement-porto', title: 'Accord Porto' })]);
    expect(view.body.mobilities).toEqual([expect.objectContaining({ id: 'flow-studies', planned: 4 })]);
    expect((await asReader('/api/workspace/versions/version-none01')).status).toBe(404);

    // Later changes: a rename, a deleted agreement, a new partner.
    managerWs.partners.update('partner-porto', { name: 'Porto (renamed)' });
    managerWs.agreements.delete('agreement-porto');
    managerWs.partners.create({ name: 'Universidad de Sevilla' }, 'partner-sevilla');
    await eventually(() => readerWs.partners.get('partner-sevilla') !== undefined && readerWs.agreements.get('agreement-porto') === undefined, 5000, 'the changes at the reader');

    // Restoring is for administrators only.
    expect((await asManager(`/api/workspace/versions/${named.body.id}/restore`, { method: 'POST' })).status).toBe(403);
    expect((await asReader(`/api/workspace/versions/${named.body.id}/restore`, { method: 'POST' })).status).toBe(403);
    const restored = await asAdmin<WorkspaceRestoreResult>(`/api/workspace/versions/${named.body.id}/restore`, { method: 'POST' });
    expect(restored.status).toBe(200);
    expect(restored.body.restored.id).toBe(named.body.id);
    // The state just before was kept, so the restore can itself be undone.
    expect(restored.body.before).toMatchObject({ kind: 'auto' });

    // Every connected client converges on the version's records.
    for (const ws of [readerWs, managerWs]) {
      await eventually(
        () => ws.partners.get('partner-porto')?.name === 'Université de Porto' && ws.agreements.get('agreement-porto')?.title === 'Accord Porto' && ws.partners.get('partner-sevilla') === undefined,
        5000,
        'the restored records on a client',
      );
    }

    // The records' history names the administrator's restore, record by record.
    const { body: me } = await asAdmin<Me>('/api/auth/me');
    const history = async (recordId: string) => (await asReader<{ entries: HistoryEntry[] }>(`/api/workspace/history?recordId=${recordId}`)).body.entries;
    // An entry of its own, not merged into the manager's edit of a moment before.
    expect((await history('partner-porto'))[0]).toMatchObject({ actorId: me.id, action: 'updated', fields: ['name'], coActors: [] });
    expect((await history('partner-porto'))[1]).toMatchObject({ actorId: manager.id, coActors: [] });
    expect((await history('agreement-porto'))[0]).toMatchObject({ actorId: me.id, action: 'created' });
    expect((await history('partner-sevilla'))[0]).toMatchObject({ actorId: me.id, action: 'deleted' });
    const audit = await asAdmin<{ events: AuditEvent[] }>('/api/audit?type=workspace_version_restored');
    expect(audit.body.events).toEqual([expect.objectContaining({ actorId: me.id, target: 'workspace', details: expect.objectContaining({ versionId: named.body.id }) })]);
    // Each record the restore changed is in the audit log at once, under the administrator.
    const changed = await asAdmin<{ events: AuditEvent[] }>('/api/audit?type=record_changed');
    expect(changed.body.events).toContainEqual(expect.objectContaining({ actorId: me.id, target: 'partner:partner-porto' }));

    // The state before the restore is a version an administrator can restore in turn.
    const undone = await asAdmin<WorkspaceRestoreResult>(`/api/workspace/versions/${restored.body.before!.id}/restore`, { method: 'POST' });
    expect(undone.status).toBe(200);
    await eventually(() => readerWs.partners.get('partner-sevilla')?.name === 'Universidad de Sevilla' && readerWs.partners.get('partner-porto')?.name === 'Porto (renamed)', 5000, 'the restore undone');

    // Deleting a version: administrators only.
    expect((await asManager(`/api/workspace/versions/${named.body.id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await asAdmin(`/api/workspace/versions/${named.body.id}`, { method: 'DELETE' })).status).toBe(204);
    const listed = (await asReader<{ versions: VersionSummary[] }>('/api/workspace/versions')).body.versions;
    expect(listed.map((version) => version.id)).not.toContain(named.body.id);
  });

  it('keeps the workspace’s versions from partner guests', async () => {
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { cookie: setup.adminCookie }, boardId: setup.boardId, role: 'editor' });
    const asGuest = apiWithCookie(ctx.server.url, guest.cookie);
    expect((await asGuest('/api/workspace/versions')).status).toBe(403);
    expect((await asGuest('/api/workspace/versions', { method: 'POST', body: { name: 'Guest' } })).status).toBe(403);
  });

  it('keeps the versions across a restart of the server', async () => {
    await seed();
    const named = await asAdmin<VersionSummary>('/api/workspace/versions', { method: 'POST', body: { name: 'Before the restart' } });
    expect(named.status).toBe(201);
    await ctx.restart();
    const after = await apiWithCookie(ctx.server.url, setup.adminCookie)<WorkspaceVersionView>(`/api/workspace/versions/${named.body.id}`);
    expect(after.status).toBe(200);
    expect(after.body.partners.map((partner) => partner.name)).toEqual(['Universidade do Porto']);
  });
});
