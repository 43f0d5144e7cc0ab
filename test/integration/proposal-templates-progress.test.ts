/**
 * A proposal's progress, live on its board: a y-websocket client changes a proposal's document, and
 * the socket.io clients following the board get its new progress about a second later, counted for
 * each of them (a partner guest: the shared sections only). Nobody follows a board they cannot see.
 */
import { describe, expect, it } from 'vitest';
import { BoardDoc, ProposalDoc, proposalDocName, proposalInternalDocName, type ProposalProgressEvent, type TemplateEntry } from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { TEST_ACTOR, proposalPerTest } from '../helpers/proposals.js';
import { syncedClient } from '../helpers/sync-client.js';
import { api, connectedSocket, createBoard, createMember, eventually, joinAsGuest, sendAndAck, within } from '../helpers/test-server.js';

describe('proposal progress on the board', () => {
  const ctx = serverPerTest();
  const given = proposalPerTest(ctx, 'GREENPATH');

  /** A socket.io client following the board's proposals, with every progress event it receives. */
  async function follower(credentials: { token: string } | { cookie: string }) {
    const socket = await connectedSocket(ctx.server.url, credentials, ctx.track);
    const events: ProposalProgressEvent[] = [];
    socket.on('proposal:progress', (event) => events.push(event));
    expect(await sendAndAck(socket, 'proposals:follow', { boardId: given.boardId })).toEqual({ ok: true });
    return { socket, events };
  }

  /** The number of sections of the card's shared and internal documents (opening both). */
  async function sectionCounts(): Promise<{ shared: number; internal: number }> {
    const count = (name: string) => ctx.server.sync.readDocument(name, (doc) => new ProposalDoc(doc).list().length);
    return { shared: await count(proposalDocName(given.boardId, given.cardId)), internal: await count(proposalInternalDocName(given.boardId, given.cardId)) };
  }

  it('sends members and guests the new progress when a section is marked done, a guest counting the shared sections only', async () => {
    const counts = await sectionCounts();
    expect(counts.internal).toBeGreaterThan(0);
    const member = await follower({ token: given.token });
    const guest = await follower({ cookie: (await joinAsGuest({ serverUrl: ctx.server.url, as: { token: given.token }, boardId: given.boardId })).cookie });

    const writer = await syncedClient(ctx.server.url, proposalDocName(given.boardId, given.cardId), given.token, ctx.track);
    const proposal = new ProposalDoc(writer.doc);
    const [first, second] = proposal.list();
    proposal.setStatus(first!.id, 'done');
    proposal.setStatus(second!.id, 'done');

    // (The card's creation may have sent an event of its own, with nothing done.)
    const doneEvents = (events: ProposalProgressEvent[]) => events.filter((event) => event.progress.done > 0);
    await within(eventually(() => doneEvents(member.events).length > 0 && doneEvents(guest.events).length > 0, 5000, 'progress events'), 6000, 'progress events');
    expect(doneEvents(member.events)[0]).toMatchObject({ boardId: given.boardId, cardId: given.cardId, progress: { sections: counts.shared + counts.internal, done: 2 } });
    expect(doneEvents(guest.events)[0]).toMatchObject({ boardId: given.boardId, cardId: given.cardId, progress: { sections: counts.shared, done: 2 } });
    expect(doneEvents(member.events)[0]!.templateId).toBe(doneEvents(guest.events)[0]!.templateId);
    // Both changes, a moment apart, went out together: nothing follows that event.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(doneEvents(member.events)).toHaveLength(1);
  });

  it('counts an internal section’s change for members, and sends guests nothing of it but the shared count', async () => {
    const counts = await sectionCounts();
    const member = await follower({ token: given.token });
    const guest = await follower({ cookie: (await joinAsGuest({ serverUrl: ctx.server.url, as: { token: given.token }, boardId: given.boardId })).cookie });
    const writer = await syncedClient(ctx.server.url, proposalInternalDocName(given.boardId, given.cardId), given.token, ctx.track);
    const internal = new ProposalDoc(writer.doc);
    internal.setStatus(internal.list()[0]!.id, 'done');

    await eventually(() => member.events.some((event) => event.progress.done === 1) && guest.events.length > 0, 5000, 'progress events');
    // The guest's event goes out in the same round as the member's.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(member.events.find((event) => event.progress.done === 1)!.progress).toMatchObject({ sections: counts.shared + counts.internal, done: 1 });
    for (const event of guest.events) expect(event.progress).toMatchObject({ sections: counts.shared, done: 0 });
  });

  it('sends a card’s new count when it names another template before its document is opened', async () => {
    const copy = await api<TemplateEntry>(ctx.server.url, '/api/templates/cooperation-partnership-hed/copy', { method: 'POST', token: given.token, body: {} });
    const guidance = { fr: 'Conseils', en: 'Guidance' };
    const edited = await api(ctx.server.url, `/api/templates/${copy.body.template.id}`, {
      method: 'PUT',
      token: given.token,
      body: {
        name: copy.body.template.name,
        actionType: 'strategic_partnership',
        sections: ['vision', 'impact'].map((id) => ({ id, title: { fr: id, en: id }, guidance, charLimit: null, internal: false, defaultOwner: 'sri' })),
      },
    });
    expect(edited.status).toBe(200);
    const member = await follower({ token: given.token });
    await ctx.server.sync.editDocument(given.boardId, (doc) => new BoardDoc(doc).updateProposal(given.cardId, { templateId: copy.body.template.id }), TEST_ACTOR);
    await eventually(() => member.events.some((event) => event.progress.sections === 2), 5000, 'the progress event');
    expect(member.events.find((event) => event.progress.sections === 2)).toEqual({ boardId: given.boardId, cardId: given.cardId, templateId: null, progress: { sections: 2, done: 0, overLimit: 0, overdue: 0, outOfDate: 0 } });
    // Counting it opened nothing: the template may still change.
    expect(ctx.server.sync.openBoards.filter((name) => name.includes(given.cardId))).toEqual([]);
  });

  /** Closes the board to the workspace's members who were not given a role on it. */
  async function closeBoardToWorkspace(): Promise<void> {
    const response = await fetch(`${ctx.server.url}/api/boards/${given.boardId}/sharing`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${given.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workspaceAccess: 'none' }),
    });
    expect(response.status).toBe(204);
  }

  const markFirstDone = () =>
    ctx.server.sync.editDocument(proposalDocName(given.boardId, given.cardId), (doc) => {
      const proposal = new ProposalDoc(doc);
      proposal.setStatus(proposal.list()[0]!.id, 'done');
    }, { id: 'admin', name: 'Admin' });

  it('refuses to let anyone follow a board they cannot see', async () => {
    await closeBoardToWorkspace();
    const outsider = await createMember(ctx.server.url, 'outsider', ['studies']);
    const socket = await connectedSocket(ctx.server.url, { token: outsider.token }, ctx.track);
    expect(await sendAndAck(socket, 'proposals:follow', { boardId: given.boardId })).toEqual({ ok: false, error: 'not_found' });
    expect(await sendAndAck(socket, 'proposals:follow', { boardId: 'not an id' } as never)).toEqual({ ok: false, error: 'invalid_request' });

    const otherBoard = await createBoard(ctx.server.url, given.token, 'Autre tableau');
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: given.token }, boardId: given.boardId });
    const guestSocket = await connectedSocket(ctx.server.url, { cookie: guest.cookie }, ctx.track);
    expect(await sendAndAck(guestSocket, 'proposals:follow', { boardId: otherBoard })).toEqual({ ok: false, error: 'not_found' });
  });

  it('stops sending a board’s progress to a member who may no longer see it', async () => {
    const colleague = await createMember(ctx.server.url, 'colleague', ['studies']);
    const before = await follower({ token: colleague.token });
    const admin = await follower({ token: given.token });
    await closeBoardToWorkspace();
    await markFirstDone();
    await eventually(() => admin.events.some((event) => event.progress.done === 1), 5000, 'the administrator’s event');
    // Sent in the same round as the administrator's, had it been sent (the card's creation may have been sent before the board closed).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(before.events.filter((event) => event.progress.done > 0)).toEqual([]);
  });
});
