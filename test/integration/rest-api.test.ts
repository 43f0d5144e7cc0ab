import { describe, expect, it } from 'vitest';
import { BoardDoc, InternalDoc, RuledEdit, WorkspaceDoc, internalDocName, type RestCard } from '@passerelle/shared';
import { serverPerTest, peopleWithBoardPerTest } from '../helpers/per-test.js';
import { syncedClient } from '../helpers/sync-client.js';
import { api, eventually, joinAsGuest, login } from '../helpers/test-server.js';

/** Cards and workspace records over REST: live in open boards, and the same rules as sync. */
describe('REST API over cards and records', () => {
  const ctx = serverPerTest();
  const workflow = peopleWithBoardPerTest(ctx, { studies: ['studies'], reader: [] }, 'Propositions');
  const { people } = workflow;
  const url = () => ctx.server.url;
  const as = (key: string) => ({ token: people[key].token });
  const columnOf = async (key = 'sri') => {
    const { body } = await api<{ columns: { id: string }[] }>(url(), `/api/boards/${workflow.boardId}/columns`, as(key));
    return body.columns[0].id;
  };
  const withColumn = async () => {
    const sri = await workflow.open('sri');
    const columnId = sri.board.addColumn('Ideas');
    await eventually(async () => (await columnOf()) === columnId, 5000, 'column stored');
    return { sri, columnId };
  };

  it('creates, moves, updates and deletes a card, and an open board sees each change at once', async () => {
    const { sri, columnId } = await withColumn();
    const otherColumn = sri.board.addColumn('Done');
    const created = await api<RestCard>(url(), `/api/boards/${workflow.boardId}/cards`, { method: 'POST', ...as('sri'), body: { columnId, title: 'Summer school with Porto' } });
    expect(created.status).toBe(201);
    const cardId = created.body.id;
    await eventually(() => sri.board.getCard(cardId)?.title === 'Summer school with Porto', 5000, 'the card in the open board');

    await eventually(async () => (await api(url(), `/api/boards/${workflow.boardId}/cards/${cardId}/move`, { method: 'POST', ...as('sri'), body: { columnId: otherColumn, index: 0 } })).status === 200, 5000, 'column known');
    await eventually(() => sri.board.getCard(cardId)?.columnId === otherColumn, 5000, 'the move in the open board');

    const updated = await api<RestCard>(url(), `/api/boards/${workflow.boardId}/cards/${cardId}`, { method: 'PATCH', ...as('sri'), body: { title: 'Summer school 2027' } });
    expect(updated.status).toBe(200);
    expect(updated.body.title).toBe('Summer school 2027');
    await eventually(() => sri.board.getCard(cardId)?.title === 'Summer school 2027', 5000, 'the new title in the open board');

    expect((await api(url(), `/api/boards/${workflow.boardId}/cards/${cardId}`, { method: 'DELETE', ...as('sri') })).status).toBe(204);
    await eventually(() => sri.board.getCard(cardId) === undefined, 5000, 'the deletion in the open board');
  });

  it('refuses a stage past a gate without its sign-offs, in the caller’s language, and writes nothing of the change', async () => {
    const { sri, columnId } = await withColumn();
    const created = await api<RestCard>(url(), `/api/boards/${workflow.boardId}/cards`, { method: 'POST', ...as('sri'), body: { columnId, title: 'Double degree', kind: 'proposal' } });
    const cardId = created.body.id;
    const refused = await api<{ error: { code: string; message: string; details: { message: string }[] } }>(url(), `/api/boards/${workflow.boardId}/cards/${cardId}`, {
      method: 'PATCH',
      ...as('sri'),
      headers: { 'accept-language': 'fr' },
      body: { title: 'Renamed', stage: 'departmental_framing' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('workflow_refused');
    expect(refused.body.error.message).toBe('Le circuit de validation ne permet pas ce changement.');
    expect(refused.body.error.details[0].message).toContain('visa');
    const card = (await api<RestCard>(url(), `/api/boards/${workflow.boardId}/cards/${cardId}`, as('sri'))).body;
    expect(card.title).toBe('Double degree');
    expect(card.proposal?.fields.stage).toBe('submitted');
    expect(sri.board.getProposal(cardId)?.stage).toBe('submitted');
  });

  it('runs a REST change through the board’s rules as a browser’s change: a stage past a gate is put back and reported', async () => {
    const { sri, columnId } = await withColumn();
    const created = await api<RestCard>(url(), `/api/boards/${workflow.boardId}/cards`, { method: 'POST', ...as('sri'), body: { columnId, title: 'Bourse', kind: 'proposal' } });
    const cardId = created.body.id;
    const origin = new RuledEdit({ id: people.studies.id, name: 'studies', kind: 'member' }, { departments: ['studies'], role: 'editor' });
    await ctx.server.sync.editAs(workflow.boardId, (doc) => new BoardDoc(doc).cards.get(cardId)!.set('stage', 'implementation'), origin);
    expect(origin.refusals).toEqual([expect.objectContaining({ cardId, reason: 'missing_sign_offs', target: 'implementation' })]);
    // Put back at the furthest stage its sign-offs allow: the SRI's review, the first gate being past it.
    await eventually(() => sri.board.getProposal(cardId)?.stage === 'sri_review', 5000, 'the stage put back in the open board');
    expect(await ctx.server.sync.readDocument(workflow.boardId, (doc) => new BoardDoc(doc).getProposal(cardId)?.stage)).toBe('sri_review');
  });

  it('keeps internal fields in the internal document, shown to members and never to a guest', async () => {
    const { columnId } = await withColumn();
    const created = await api<RestCard>(url(), `/api/boards/${workflow.boardId}/cards`, {
      method: 'POST',
      ...as('sri'),
      body: { columnId, title: 'Lab exchange', kind: 'proposal', internal: { budgetEstimate: 12000 } },
    });
    expect(created.status).toBe(201);
    expect(created.body.internal?.fields.budgetEstimate).toBe(12000);
    const cardId = created.body.id;
    const board = await ctx.server.sync.readDocument(workflow.boardId, (doc) => new BoardDoc(doc).cards.get(cardId)!.has('budgetEstimate'));
    expect(board).toBe(false);
    const internal = await ctx.server.sync.readDocument(internalDocName(workflow.boardId), (doc) => new InternalDoc(doc).proposalFields(cardId).budgetEstimate);
    expect(internal).toBe(12000);

    const guest = await joinAsGuest({ serverUrl: url(), as: as('sri'), boardId: workflow.boardId, role: 'editor' });
    const seen = await api<{ cards: RestCard[] }>(url(), `/api/boards/${workflow.boardId}/cards`, { cookie: guest.cookie, headers: { origin: url() } });
    expect(seen.status).toBe(200);
    expect(seen.body.cards.map((card) => card.id)).toContain(cardId);
    expect(JSON.stringify(seen.body)).not.toContain('12000');
    expect(seen.body.cards.every((card) => card.internal === undefined)).toBe(true);
    const write = await api(url(), `/api/boards/${workflow.boardId}/cards/${cardId}`, { method: 'PATCH', cookie: guest.cookie, headers: { origin: url() }, body: { internal: { budgetEstimate: 1 } } });
    expect(write.status).toBe(403);
    expect((await api(url(), '/api/workspace/partners', { cookie: guest.cookie, headers: { origin: url() } })).status).toBe(404);
  });

  it('refuses a viewer’s writes, a viewer guest’s writes, and hides the board from an outsider', async () => {
    const { columnId } = await withColumn();
    const sriCookie = await login(url());
    await api(url(), `/api/boards/${workflow.boardId}/sharing`, { method: 'PATCH', cookie: sriCookie, headers: { origin: url() }, body: { workspaceAccess: 'viewer' } });
    expect((await api(url(), `/api/boards/${workflow.boardId}/cards`, as('reader'))).status).toBe(200);
    expect((await api(url(), `/api/boards/${workflow.boardId}/cards`, { method: 'POST', ...as('reader'), body: { columnId, title: 'No' } })).status).toBe(403);

    const guest = await joinAsGuest({ serverUrl: url(), as: as('sri'), boardId: workflow.boardId, role: 'viewer' });
    const guestWrite = await api(url(), `/api/boards/${workflow.boardId}/cards`, { method: 'POST', cookie: guest.cookie, headers: { origin: url() }, body: { columnId, title: 'No' } });
    expect(guestWrite.status).toBe(403);

    await api(url(), `/api/boards/${workflow.boardId}/sharing`, { method: 'PATCH', cookie: sriCookie, headers: { origin: url() }, body: { workspaceAccess: 'none' } });
    expect((await api(url(), `/api/boards/${workflow.boardId}/cards`, as('studies'))).status).toBe(404);
    const cards = await api<{ cards: RestCard[] }>(url(), `/api/boards/${workflow.boardId}/cards`, as('sri'));
    expect(cards.body.cards).toHaveLength(0);
  });

  it('creates, updates and deletes workspace records through the workspace document, live for an open page', async () => {
    const workspace = await syncedClient(url(), 'workspace', people.studies.token, ctx.track);
    const records = new WorkspaceDoc(workspace.doc);
    // Partners are the agreements managers': a member without the capability is refused, and nothing is written.
    const refused = await api(url(), '/api/workspace/partners', { method: 'POST', ...as('studies'), body: { name: 'Universidade do Minho', country: 'PT', kind: 'university' } });
    expect(refused.status).toBe(403);
    const granted = await api(url(), `/api/users/${people.studies.id}`, { method: 'PATCH', ...as('sri'), body: { managesAgreements: true } });
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    const created = await api<{ id: string; name: string }>(url(), '/api/workspace/partners', {
      method: 'POST',
      ...as('studies'),
      body: { name: 'Universidade do Porto', country: 'PT', kind: 'university' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await eventually(() => records.partners.get(created.body.id)?.name === 'Universidade do Porto', 5000, 'the partner in the open page');
    expect(records.partners.list().some((partner) => partner.name === 'Universidade do Minho')).toBe(false);
    const patched = await api<{ city: string }>(url(), `/api/workspace/partners/${created.body.id}`, { method: 'PATCH', ...as('studies'), body: { city: 'Porto' } });
    expect(patched.status).toBe(200);
    await eventually(() => records.partners.get(created.body.id)?.city === 'Porto', 5000, 'the change in the open page');

    const invalid = await api<{ error: { code: string; details: { path: string; message: string }[] } }>(url(), `/api/workspace/partners/${created.body.id}`, {
      method: 'PATCH',
      ...as('studies'),
      headers: { 'accept-language': 'en' },
      body: { name: '' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details[0]).toEqual({ path: 'name', message: 'Required.' });
    expect(records.partners.get(created.body.id)?.name).toBe('Universidade do Porto');

    expect((await api(url(), `/api/workspace/partners/${created.body.id}`, { method: 'DELETE', ...as('studies') })).status).toBe(204);
    await eventually(() => records.partners.get(created.body.id) === undefined, 5000, 'the deletion in the open page');
    expect((await api(url(), '/api/workspace/agreements', as('studies'))).body).toEqual({ records: [] });
  });
});
