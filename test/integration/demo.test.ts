import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BoardDoc, ProposalDoc, WorkspaceDoc, WORKSPACE_DOC, checkDoubleDegreePlan, plainText, proposalDocName, type BoardSummary } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import { adminToken, api, connectClient, startTestServer, synced, tempDataDir } from '../helpers/test-server.js';

describe('the demo workspace', () => {
  let data: ReturnType<typeof tempDataDir>;
  let server: PasserelleServer;
  const cleanups: (() => void)[] = [];

  beforeEach(() => {
    data = tempDataDir();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await server?.close();
    data.remove();
  });

  async function openBoth(token: string, boardId: string) {
    const board = connectClient(server.url, boardId, token);
    const workspace = connectClient(server.url, WORKSPACE_DOC, token);
    cleanups.push(() => board.provider.destroy(), () => workspace.provider.destroy());
    await Promise.all([synced(board.provider), synced(workspace.provider)]);
    return { board: new BoardDoc(board.doc), workspace: new WorkspaceDoc(workspace.doc) };
  }

  it('is created on a first start, from the policy statement, with the three cooperation tracks in order', async () => {
    server = await startTestServer({ dataDir: data.dir, env: { DEMO_WORKSPACE: 'true' } });
    const token = await adminToken(server.url);
    const { body } = await api<{ boards: BoardSummary[] }>(server.url, '/api/boards', { token });
    expect(body.boards.map((b) => b.title)).toEqual(['Stratégie internationale ESCOM']);
    const { board, workspace } = await openBoth(token, body.boards[0].id);

    expect(board.listColumns().map((c) => c.title)).toEqual([
      'Mobilité (priorité actuelle)',
      '1) Vers des partenariats stratégiques',
      '2) Vers des alliances de la connaissance',
      '3) Vers de la coopération internationale',
    ]);
    const tracks = board.listColumns().slice(1).map((column) => board.listCards(column.id).map((card) => board.getProposal(card.id)!.actionType));
    expect(tracks).toEqual([['strategic_partnership', 'double_degree'], ['knowledge_alliance'], ['capacity_building']]);

    // Partner regions of the seed: EU and North America, Latin America and South-East Asia being developed, Cameroon.
    const regions = new Set(workspace.partners.list().map((p) => p.region));
    expect([...regions].sort()).toEqual(['africa', 'eu', 'latin_america', 'north_america', 'south_east_asia']);
    expect(workspace.partners.list().find((p) => p.country === 'CM')?.region).toBe('africa');

    // Study mobility: 6 a year for the last 2 years, a baseline (targets above it).
    const study = workspace.mobilities.list().filter((f) => f.direction === 'outgoing' && f.population === 'student' && f.purpose === 'study' && f.realised !== null);
    expect(study.map((f) => [f.academicYear, f.realised])).toEqual([
      ['2024/2025', 6],
      ['2025/2026', 6],
    ]);
    expect(workspace.targets.list().filter((t) => t.population === 'student' && t.purpose === 'study' && t.direction === 'outgoing').every((t) => t.target > 6)).toBe(true);

    // One double degree meets the CTI rule, the other one does not: both cases are there to see.
    const plans = workspace.agreements.list().filter((a) => a.doubleDegreePlan).map((a) => checkDoubleDegreePlan(a.doubleDegreePlan!).ok);
    expect(plans.sort()).toEqual([false, true]);

    // Every proposal stands at a stage its sign-offs allow, and all five priorities are used.
    const proposals = board.listProposals();
    expect(new Set(proposals.flatMap((p) => p.priorities))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(proposals.find((p) => p.actionType === 'strategic_partnership')?.stage).toBe('departmental_framing');
    expect(board.roadmap.list().map((r) => r.horizon).sort()).toEqual(['long', 'medium', 'medium', 'short', 'short']);

    // The cooperation partnership's text is drafted in both languages, in line, with its internal sections apart.
    const strategic = proposals.find((p) => p.actionType === 'strategic_partnership')!;
    const shared = connectClient(server.url, proposalDocName(body.boards[0].id, strategic.id), token);
    cleanups.push(() => shared.provider.destroy());
    await synced(shared.provider);
    const text = new ProposalDoc(shared.doc);
    expect(text.list().length).toBeGreaterThan(3);
    for (const section of text.list()) {
      expect(plainText(text.text(section.id, 'fr')!), section.id).not.toBe('');
      expect(plainText(text.text(section.id, 'en')!), section.id).not.toBe('');
    }
    expect(plainText(text.text(text.list()[0]!.id, 'fr')!)).toContain('GREENPATH');
    expect(text.progress('2026-12-01')).toMatchObject({ overLimit: 0, outOfDate: 0 });
  });

  it('is written in English with DEMO_LANGUAGE=en, and not at all with DEMO_WORKSPACE=false', async () => {
    server = await startTestServer({ dataDir: data.dir, env: { DEMO_WORKSPACE: 'true', DEMO_LANGUAGE: 'en' } });
    const token = await adminToken(server.url);
    const { body } = await api<{ boards: BoardSummary[] }>(server.url, '/api/boards', { token });
    expect(body.boards.map((b) => b.title)).toEqual(['ESCOM international strategy']);
    await server.close();

    const empty = tempDataDir();
    try {
      server = await startTestServer({ dataDir: empty.dir, env: { DEMO_WORKSPACE: 'false' } });
      const emptyToken = await adminToken(server.url);
      expect((await api<{ boards: BoardSummary[] }>(server.url, '/api/boards', { token: emptyToken })).body.boards).toEqual([]);
    } finally {
      await server.close();
      empty.remove();
    }
  });

  it('is not written again on a later start, even after its board was deleted', async () => {
    server = await startTestServer({ dataDir: data.dir, env: { DEMO_WORKSPACE: 'true' } });
    const token = await adminToken(server.url);
    const { body } = await api<{ boards: BoardSummary[] }>(server.url, '/api/boards', { token });
    expect((await api(server.url, `/api/boards/${body.boards[0].id}`, { method: 'DELETE', token })).status).toBe(204);
    await server.close();
    server = await startTestServer({ dataDir: data.dir, env: { DEMO_WORKSPACE: 'true' } });
    expect((await api<{ boards: BoardSummary[] }>(server.url, '/api/boards', { token })).body.boards).toEqual([]);
  });
});
