/**
 * The list of every proposal across boards (`GET /api/proposals`), against a real server on port 0,
 * attacked as an outsider, a viewer and a partner guest: each sees the proposals of the boards they
 * have a role on and nothing else, a guest only their board's, with the shared sections' due dates
 * and progress only. The rule is one board's list's (`GET /api/boards/:boardId/proposals`).
 */
import { describe, expect, it } from 'vitest';
import { ProposalDoc, proposalDocName, proposalInternalDocName, type AgreementOriginsResponse, type AllProposalsResponse, type ProposalListResponse } from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { TEST_ACTOR, addCard } from '../helpers/proposals.js';
import { adminToken, api, createBoard, createMember, joinAsGuest } from '../helpers/test-server.js';

describe('every proposal across boards', () => {
  const ctx = serverPerTest();

  /** Three boards: two shared with nobody in the workspace, one the workspace may read; a proposal (and a note) on each. */
  async function setUp() {
    const url = ctx.server.url;
    const admin = await adminToken(url);
    const boards = {
      alpha: await createBoard(url, admin, 'Alpha'),
      bravo: await createBoard(url, admin, 'Bravo'),
      charlie: await createBoard(url, admin, 'Charlie'),
    };
    for (const [key, boardId] of Object.entries(boards)) {
      const workspaceAccess = key === 'charlie' ? 'viewer' : 'none';
      expect((await api(url, `/api/boards/${boardId}/sharing`, { method: 'PATCH', token: admin, headers: { origin: url }, body: { workspaceAccess } })).status).toBe(204);
    }
    const cards = {
      alpha: await addCard(ctx.server, boards.alpha, 'Double diplôme Porto', { actionType: 'double_degree', leadDepartment: 'studies', partnerIds: ['porto'], agreementIds: ['agreement-porto'] }),
      bravo: await addCard(ctx.server, boards.bravo, 'Alliance Delft', { actionType: 'knowledge_alliance' }),
      charlie: await addCard(ctx.server, boards.charlie, 'Mobilité Montréal', { actionType: 'mobility_agreement' }),
    };
    await addCard(ctx.server, boards.alpha, 'A note, not a proposal', null);
    // A due date on a shared section and an earlier one on an internal section of Alpha's proposal.
    await ctx.server.sync.editDocument(proposalDocName(boards.alpha, cards.alpha), (doc) => {
      const proposal = new ProposalDoc(doc);
      proposal.setDueDate(proposal.list()[0]!.id, '2031-05-01');
    }, TEST_ACTOR);
    const internalSection = await ctx.server.sync.editDocument(proposalInternalDocName(boards.alpha, cards.alpha), (doc) => {
      const proposal = new ProposalDoc(doc);
      const section = proposal.list()[0]!;
      proposal.setDueDate(section.id, '2031-03-01');
      return section.id;
    }, TEST_ACTOR);
    const viewer = await createMember(url, 'viewer', ['studies']);
    expect((await api(url, `/api/boards/${boards.alpha}/members/${viewer.id}`, { method: 'PUT', token: admin, headers: { origin: url }, body: { role: 'viewer' } })).status).toBe(204);
    const outsider = await createMember(url, 'outsider', ['sri']);
    return { url, admin, boards, cards, internalSection, viewer, outsider };
  }

  const list = async (url: string, as: { token: string } | { cookie: string }) => {
    const response = await api<AllProposalsResponse>(url, '/api/proposals', as);
    expect(response.status).toBe(200);
    return response.body.proposals;
  };

  it('gives a member the proposals of every board they can read, with their board, fields, due dates and progress', async () => {
    const { url, boards, cards, internalSection, viewer } = await setUp();
    const proposals = await list(url, { token: viewer.token });
    expect(proposals.map((proposal) => proposal.boardTitle)).toEqual(['Alpha', 'Charlie']);
    const porto = proposals[0]!;
    expect(porto).toMatchObject({
      boardId: boards.alpha,
      cardId: cards.alpha,
      title: 'Double diplôme Porto',
      stage: 'submitted',
      actionType: 'double_degree',
      leadDepartment: 'studies',
      partnerIds: ['porto'],
      agreementIds: ['agreement-porto'],
      nextDue: '2031-03-01',
    });
    expect(porto.dueSections.map((section) => section.dueDate)).toEqual(['2031-03-01', '2031-05-01']);
    expect(porto.dueSections[0]!.sectionId).toBe(internalSection);
    // What the board's own list says of it, progress included, is what this one says.
    const own = await api<ProposalListResponse>(url, `/api/boards/${boards.alpha}/proposals`, { token: viewer.token });
    expect(own.body.proposals).toEqual([expect.objectContaining({ cardId: cards.alpha, progress: porto.progress })]);
    expect(proposals[1]).toMatchObject({ boardId: boards.charlie, cardId: cards.charlie, nextDue: null, dueSections: [] });
  });

  it('gives an outsider only the board the workspace may read, and nobody signed out anything', async () => {
    const { url, boards, outsider } = await setUp();
    const proposals = await list(url, { token: outsider.token });
    expect(proposals.map((proposal) => proposal.boardId)).toEqual([boards.charlie]);
    expect((await api(url, '/api/proposals')).status).toBe(401);
    expect((await api(url, '/api/proposals', { token: 'not-a-token' })).status).toBe(401);
  });

  it('gives a partner guest their one board’s proposals, with the shared sections’ due dates and progress only', async () => {
    const { url, admin, boards, cards } = await setUp();
    const guest = await joinAsGuest({ serverUrl: url, as: { token: admin }, boardId: boards.alpha });
    const proposals = await list(url, { cookie: guest.cookie });
    expect(proposals.map((proposal) => proposal.cardId)).toEqual([cards.alpha]);
    expect(proposals[0]!.nextDue).toBe('2031-05-01');
    expect(proposals[0]!.dueSections.map((section) => section.dueDate)).toEqual(['2031-05-01']);
    const member = (await list(url, { token: admin })).find((proposal) => proposal.cardId === cards.alpha)!;
    expect(proposals[0]!.progress.sections).toBeLessThan(member.progress.sections);
    // A guest of one board asking for another board's list is refused as if it did not exist.
    expect((await api(url, `/api/boards/${boards.bravo}/proposals`, { cookie: guest.cookie })).status).toBe(404);
  });

  it('says which proposal an agreement came from only to those who can read its board', async () => {
    const { url, admin, boards, cards, viewer, outsider } = await setUp();
    const links = async (as: { token: string } | { cookie: string }) => {
      const response = await api<AgreementOriginsResponse>(url, '/api/proposals/agreement-links', as);
      expect(response.status).toBe(200);
      return response.body.origins;
    };
    const porto = { agreementId: 'agreement-porto', boardId: boards.alpha, cardId: cards.alpha, title: 'Double diplôme Porto' };
    expect(await links({ token: viewer.token })).toEqual([porto]);
    expect(await links({ token: outsider.token })).toEqual([]);
    const guestOfBravo = await joinAsGuest({ serverUrl: url, as: { token: admin }, boardId: boards.bravo });
    expect(await links({ cookie: guestOfBravo.cookie })).toEqual([]);
    expect((await api(url, '/api/proposals/agreement-links')).status).toBe(401);
  });

  it('gives the administrator every board’s proposals, notes left out', async () => {
    const { url, admin, cards } = await setUp();
    const proposals = await list(url, { token: admin });
    expect(proposals.map((proposal) => proposal.cardId)).toEqual([cards.alpha, cards.bravo, cards.charlie]);
  });
});
