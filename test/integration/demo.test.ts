import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BoardDoc, boardCoverage, checkDependencies, ProposalDoc, WorkspaceDoc, WORKSPACE_DOC, checkDoubleDegreePlan, plainText, proposalDocName, type BoardSummary, type CooperationKind, type MobilityFlow } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import { adminToken, api, connectClient, startTestServer, synced, tempDataDir } from '../helpers/test-server.js';

/** The items of `list` by key, keys in first-seen order. */
function groupBy<T>(list: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of list) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

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
    // Its first screen is stored with it (read here before anyone opens the board, so from the
    // store): the board's page carries it from the very first visit.
    const firstScreen = await api<{ columns: { title: string }[] }>(server.url, `/api/boards/${body.boards[0].id}/first-screen`, { token });
    expect(firstScreen.status).toBe(200);
    const { board, workspace } = await openBoth(token, body.boards[0].id);
    expect(firstScreen.body.columns.map((column) => column.title)).toEqual(board.listColumns().map((column) => column.title));

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

    // Study mobility: 6 a year for the last 2 years, mostly outgoing, a baseline (targets above it).
    const realisedStudy = (direction?: string) =>
      [...groupBy(workspace.mobilities.list().filter((f) => f.purpose === 'study' && f.realised !== null && (!direction || f.direction === direction)), (f) => f.academicYear)].map(
        ([year, flows]) => [year, flows.reduce((sum, f) => sum + f.realised!, 0)],
      );
    expect(realisedStudy()).toEqual([
      ['2024/2025', 6],
      ['2025/2026', 6],
    ]);
    expect(realisedStudy('outgoing')).toEqual([
      ['2024/2025', 4],
      ['2025/2026', 4],
    ]);
    expect(workspace.targets.list().filter((t) => t.population === 'student' && t.purpose === 'study' && t.direction === 'outgoing').every((t) => t.target > 4)).toBe(true);

    // One double degree meets the CTI rule, the other one does not: both cases are there to see.
    const plans = workspace.agreements.list().filter((a) => a.doubleDegreePlan).map((a) => checkDoubleDegreePlan(a.doubleDegreePlan!).ok);
    expect(plans.sort()).toEqual([false, true]);

    // Every proposal stands at a stage its sign-offs allow, and all five priorities are used.
    const proposals = board.listProposals();
    expect(new Set(proposals.flatMap((p) => p.priorities))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(proposals.find((p) => p.actionType === 'strategic_partnership')?.stage).toBe('departmental_framing');
    expect(board.roadmap.list().map((r) => r.horizon).sort()).toEqual(['long', 'medium', 'medium', 'short', 'short']);

    // The roadmap's items wait for one another in the statement's order, each starting after what it waits for ends.
    const roadmap = board.roadmap.list();
    expect(roadmap.filter((item) => item.dependsOn.length > 0)).toHaveLength(3);
    expect(checkDependencies(roadmap)).toMatchObject({ cycles: [], earlyStarts: [] });
    // The coverage of the policy statement tells what is not planned yet: doctoral training, programmes for diverse audiences, quality.
    const coverage = boardCoverage({ proposals, roadmap, actions: board.actions.list() });
    expect(coverage.gaps).toEqual(['1.3', '2.1', '2.3']);
    expect(coverage.priorities.every((priority) => priority.gaps.length < priority.objectives.length)).toBe(true);

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

  it('records flows within its agreements’ quotas, and study totals that match the figures its texts and targets state', async () => {
    server = await startTestServer({ dataDir: data.dir, env: { DEMO_WORKSPACE: 'true' } });
    const token = await adminToken(server.url);
    const { body } = await api<{ boards: BoardSummary[] }>(server.url, '/api/boards', { token });
    const { board, workspace } = await openBoth(token, body.boards[0].id);
    const flows = workspace.mobilities.list();
    const agreements = workspace.agreements.list();

    // Quotas: an agreement's figure is per direction ('both' counts for each) and per academic year;
    // only an active agreement whose years include the flow's year covers it.
    const kindOf = (f: MobilityFlow): CooperationKind | null =>
      f.purpose === 'study' ? 'student_study' : f.purpose === 'internship' ? 'student_traineeship' : f.purpose === 'teaching' ? 'staff_teaching' : 'staff_training';
    const withPartner = flows.filter((f) => f.partnerId);
    expect(new Set(withPartner.map((f) => f.partnerId)).size).toBeGreaterThan(1);
    const groups = groupBy(withPartner, (f) => [f.partnerId, f.academicYear, f.direction, kindOf(f)].join('|'));
    for (const [key, group] of groups) {
      const [partnerId, year, direction, kind] = key.split('|');
      const moving = group.reduce((sum, f) => sum + Math.max(f.planned, f.realised ?? 0), 0);
      const quota = agreements
        .filter((a) => a.partnerId === partnerId && a.status === 'active' && (!a.fromYear || a.fromYear <= year) && (!a.toYear || year <= a.toYear))
        .flatMap((a) => a.conditions)
        .filter((c) => c.kind === kind && (c.direction === 'both' || c.direction === direction))
        .reduce((sum, c) => sum + c.mobilitiesPerYear, 0);
      expect(moving, `${workspace.partners.get(partnerId)?.name} ${year} ${direction} ${kind}`).toBeLessThanOrEqual(quota);
    }

    // The study chart (every study flow of a year) gives the 6 a year the texts state for the last two years.
    const studyPlanned = (year: string) => flows.filter((f) => f.purpose === 'study' && f.academicYear === year).reduce((sum, f) => sum + f.planned, 0);
    const stated = (text: string) => Number(/\((\d+) (?:mobilités )?par an depuis 2 ans\)/.exec(text)?.[1]);
    const shortMobility = board.listProposals().find((p) => p.title.startsWith('Mobilité courte'))!;
    expect(stated(board.getProposal(shortMobility.id)!.sections.objectives ?? '')).toBe(6);
    expect(['2024/2025', '2025/2026'].map(studyPlanned)).toEqual([6, 6]);

    // In a year with planned flows, each kind of flow with a target adds up to exactly that target.
    const plannedYears = new Set(flows.filter((f) => f.realised === null).map((f) => f.academicYear));
    expect([...plannedYears]).toEqual(['2026/2027']);
    const targetsOfYear = workspace.targets.list().filter((t) => plannedYears.has(t.academicYear));
    expect(targetsOfYear.length).toBeGreaterThan(2);
    for (const target of targetsOfYear) {
      const planned = flows
        .filter((f) => f.academicYear === target.academicYear && f.direction === target.direction && f.population === target.population && f.purpose === target.purpose)
        .reduce((sum, f) => sum + f.planned, 0);
      expect(planned, `${target.academicYear} ${target.direction} ${target.population} ${target.purpose}`).toBe(target.target);
    }
    const studyTarget = targetsOfYear.filter((t) => t.purpose === 'study').reduce((sum, t) => sum + t.target, 0);
    expect(studyPlanned('2026/2027')).toBe(studyTarget);

    // The proposals that led to agreements link to them, each agreement with one of the proposal's
    // partners and of the proposal's kind: the short study mobility to the Porto and Dortmund
    // agreements' third-year conditions, the Sherbrooke double degree to its agreement.
    const linked = board.listProposals().filter((p) => p.agreementIds.length > 0);
    expect(linked.map((p) => p.actionType).sort()).toEqual(['double_degree', 'mobility_agreement']);
    for (const proposal of linked) {
      for (const agreementId of proposal.agreementIds) {
        const agreement = workspace.agreements.get(agreementId);
        expect(agreement, proposal.title).toBeDefined();
        expect(proposal.partnerIds).toContain(agreement!.partnerId);
        if (proposal.actionType === 'double_degree') expect(agreement!.type).toBe('double_degree');
        else expect(agreement!.conditions.some((c) => c.firstYear === '2026/2027' && c.direction === 'outgoing' && c.kind === 'student_study')).toBe(true);
      }
    }
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
