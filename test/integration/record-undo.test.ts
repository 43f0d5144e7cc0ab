/**
 * Undoing one's own creation and deletion of workspace records (the web app's `undoableRecordChange`)
 * over real y-websocket connections to a real server: a deletion undone brings the records back with
 * their fields for everyone, a creation undone removes them, and the records' history shows both;
 * an undo is refused when someone else changed the records since.
 */
import { describe, expect, it } from 'vitest';
import { WORKSPACE_DOC, WorkspaceDoc, type HistoryEntry, type Me } from '@passerelle/shared';
import { undoableRecordChange } from '../../web/src/lib/record-undo.js';
import { eventually, synced } from '../helpers/test-server.js';
import { adminWithBoardPerTest, serverPerTest } from '../helpers/per-test.js';
import { cookieClient } from '../helpers/sync-client.js';

/** The web app's origin of this person's own edits. */
const LOCAL = Symbol('local-edit');

describe('undoing one’s own record creation and deletion', () => {
  const ctx = serverPerTest();
  const setup = adminWithBoardPerTest(() => ctx.server.url, 'Réunion Porto');

  async function manager(email: string): Promise<{ cookie: string; id: string }> {
    const person = await setup.member(email);
    expect((await setup.asAdmin<Me>(`/api/users/${person.id}`, { method: 'PATCH', body: { managesAgreements: true } })).status).toBe(200);
    return person;
  }

  async function open(cookie: string): Promise<WorkspaceDoc> {
    const client = cookieClient(ctx.server.url, WORKSPACE_DOC, cookie, ctx.track);
    await synced(client.provider);
    return new WorkspaceDoc(client.doc);
  }

  const stored = () => ctx.server.sync.readDocument(WORKSPACE_DOC, (doc) => new WorkspaceDoc(doc).partners.get('partner-porto') ?? null);

  it('brings deleted records back with their fields for everyone, and the history shows who did', async () => {
    const camille = await manager('camille@example.org');
    const other = await manager('dominique@example.org');
    const mine = await open(camille.cookie);
    const theirs = await open(other.cookie);
    mine.partners.create({ name: 'Universidade do Porto', city: 'Porto', country: 'PT' }, 'partner-porto');
    mine.agreements.create({ title: 'Accord Porto', partnerId: 'partner-porto' }, 'agreement-porto');
    await eventually(() => theirs.agreements.get('agreement-porto') !== undefined, 5000, 'the records at the other');

    const undo = undoableRecordChange(mine.doc, LOCAL, () => {
      mine.agreements.delete('agreement-porto');
      mine.partners.delete('partner-porto');
    });
    await eventually(() => theirs.partners.get('partner-porto') === undefined && theirs.agreements.get('agreement-porto') === undefined, 5000, 'the deletion at the other');
    expect(undo()).toBe('undone');
    await eventually(() => theirs.partners.get('partner-porto')?.city === 'Porto' && theirs.agreements.get('agreement-porto')?.partnerId === 'partner-porto', 5000, 'the records back at the other');
    expect(await stored()).toMatchObject({ name: 'Universidade do Porto', city: 'Porto', country: 'PT' });
    // Once only.
    expect(undo()).toBe('refused');
    await eventually(async () => {
      const { body } = await setup.asAdmin<{ entries: HistoryEntry[] }>('/api/workspace/history?recordId=partner-porto');
      return body.entries.filter((entry) => entry.actorId === camille.id).map((entry) => entry.action).includes('deleted');
    }, 5000, 'the history');
  });

  it('removes a record one created, unless someone else changed it since', async () => {
    const camille = await manager('camille@example.org');
    const other = await manager('dominique@example.org');
    const mine = await open(camille.cookie);
    const theirs = await open(other.cookie);

    const undoFirst = undoableRecordChange(mine.doc, LOCAL, () => mine.partners.create({ name: 'Universidad de Sevilla' }, 'partner-sevilla'));
    // One's own later changes do not stand in the way.
    mine.doc.transact(() => mine.partners.update('partner-sevilla', { city: 'Sevilla' }), LOCAL);
    await eventually(() => theirs.partners.get('partner-sevilla')?.city === 'Sevilla', 5000, 'the new partner at the other');
    expect(undoFirst()).toBe('undone');
    await eventually(() => theirs.partners.get('partner-sevilla') === undefined, 5000, 'the creation undone at the other');

    const undoSecond = undoableRecordChange(mine.doc, LOCAL, () => mine.partners.create({ name: 'Universidade do Porto' }, 'partner-porto'));
    await eventually(() => theirs.partners.get('partner-porto') !== undefined, 5000, 'the second partner at the other');
    theirs.partners.update('partner-porto', { city: 'Porto' });
    await eventually(() => mine.partners.get('partner-porto')?.city === 'Porto', 5000, 'the other’s change here');
    expect(undoSecond()).toBe('refused');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await stored()).toMatchObject({ name: 'Universidade do Porto', city: 'Porto' });
  });

  it('refuses to bring back a deleted record someone has made again', async () => {
    const camille = await manager('camille@example.org');
    const other = await manager('dominique@example.org');
    const mine = await open(camille.cookie);
    const theirs = await open(other.cookie);
    mine.partners.create({ name: 'Universidade do Porto' }, 'partner-porto');
    await eventually(() => theirs.partners.get('partner-porto') !== undefined, 5000, 'the partner at the other');
    const undo = undoableRecordChange(mine.doc, LOCAL, () => mine.partners.delete('partner-porto'));
    await eventually(() => theirs.partners.get('partner-porto') === undefined, 5000, 'the deletion at the other');
    theirs.partners.create({ name: 'Porto, made again' }, 'partner-porto');
    await eventually(() => mine.partners.get('partner-porto')?.name === 'Porto, made again', 5000, 'the new one here');
    expect(undo()).toBe('refused');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await stored())?.name).toBe('Porto, made again');
  });
});
