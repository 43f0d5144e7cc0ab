/**
 * Proposal templates and progress across two processes on one Redis (the built server), as behind a
 * balancer: a template an administrator copied and edited through one process gives its sections to
 * a proposal first opened through the other, and a change made there reaches a page following the
 * board through the first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardDoc, ProposalDoc, proposalDocName, type ProposalProgressEvent, type TemplateEntry } from '@passerelle/shared';
import { startRedisPair, type RedisPair } from '../helpers/server-process.js';
import { adminToken, api, connectClient, connectedSocket, createBoard, eventually, sendAndAck, synced } from '../helpers/test-server.js';

/** How long a change may take to cross from one process to the other (two shared cores). */
const CROSSING = 10_000;

describe('proposal templates and progress across two processes on Redis', () => {
  let pair: RedisPair;
  let token: string;
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    pair = await startRedisPair({ keyPrefix: 'test:' });
    token = await adminToken(pair.first.url);
  });

  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    await pair?.stop();
  });

  it('a template edited through one process shapes a proposal opened through the other, whose progress reaches the first', async () => {
    const { first, second } = pair;
    const copy = await api<TemplateEntry>(first.url, '/api/templates/cooperation-partnership-hed/copy', { method: 'POST', token, body: {} });
    expect(copy.status).toBe(201);
    const guidance = { fr: 'Conseils', en: 'Guidance' };
    const edited = await api(first.url, `/api/templates/${copy.body.template.id}`, {
      method: 'PUT',
      token,
      body: {
        name: copy.body.template.name,
        actionType: 'strategic_partnership',
        sections: [
          { id: 'vision', title: { fr: 'Vision', en: 'Vision' }, guidance, charLimit: 1000, internal: false, defaultOwner: 'sri' },
          { id: 'budget', title: { fr: 'Budget', en: 'Budget' }, guidance, charLimit: null, internal: true, defaultOwner: 'sri' },
        ],
      },
    });
    expect(edited.status).toBe(200);
    // The other process lists it too.
    await eventually(async () => (await api(second.url, `/api/templates/${copy.body.template.id}`, { token })).status === 200, CROSSING, 'the copy listed on the second process');

    const boardId = await createBoard(first.url, token, 'Partenariats');
    const board = connectClient(second.url, boardId, token);
    cleanups.push(() => board.provider.destroy());
    await synced(board.provider);
    const cardId = board.doc.transact(() => {
      const boardDoc = new BoardDoc(board.doc);
      return boardDoc.addProposal(boardDoc.addColumn('Projets'), { title: 'GREENPATH', createdBy: 'admin', fields: { templateId: copy.body.template.id } });
    });

    const follower = await connectedSocket(first.url, { token }, (cleanup) => cleanups.push(cleanup));
    const events: ProposalProgressEvent[] = [];
    follower.on('proposal:progress', (event) => events.push(event));
    expect(await sendAndAck(follower, 'proposals:follow', { boardId })).toEqual({ ok: true });

    await eventually(async () => {
      const listed = await api<{ proposals: { cardId: string }[] }>(second.url, `/api/boards/${boardId}/proposals`, { token });
      return listed.body.proposals.some((proposal) => proposal.cardId === cardId);
    }, CROSSING, 'the card stored');
    const writer = connectClient(second.url, proposalDocName(boardId, cardId), token);
    cleanups.push(() => writer.provider.destroy());
    await synced(writer.provider);
    const proposal = new ProposalDoc(writer.doc);
    await eventually(() => proposal.list().length > 0, CROSSING, 'sections created');
    expect(proposal.templateId).toBe(copy.body.template.id);
    expect(proposal.list().map((section) => section.id)).toEqual(['vision']);

    proposal.setStatus('vision', 'done');
    await eventually(() => events.some((event) => event.cardId === cardId && event.progress.done === 1), CROSSING, 'the progress event on the first process');
    expect(events.at(-1)).toMatchObject({ boardId, cardId, templateId: copy.body.template.id, progress: { sections: 2, done: 1 } });
  });
});
