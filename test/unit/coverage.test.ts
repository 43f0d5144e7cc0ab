/**
 * The policy statement's coverage by a board (`boardCoverage`), and the objectives of the statement
 * as records carry them (`policyObjectives`): a board written before objectives existed still reads.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ActionItem,
  BoardDoc,
  boardCoverage,
  migrateBoard,
  POLICY_OBJECTIVES,
  PolicyObjective,
  ProposalFields,
  RoadmapItem,
  type CoverageProposal,
  type Stored,
} from '../../shared/src/index.js';

const proposal = (id: string, fields: Partial<CoverageProposal> = {}): CoverageProposal => ({ id, title: id, priorities: [], policyObjectives: [], ...fields });
const item = (id: string, fields: Partial<RoadmapItem> = {}): Stored<RoadmapItem> => ({ ...RoadmapItem.parse({ title: id, ...fields }), id });
const action = (id: string, fields: Partial<ActionItem> = {}): Stored<ActionItem> => ({ ...ActionItem.parse({ title: id, ...fields }), id });

describe('objectives of the policy statement', () => {
  it('lists the fifteen objectives of the five priorities, and accepts only those', () => {
    expect(POLICY_OBJECTIVES).toEqual(['1.1', '1.2', '1.3', '1.4', '2.1', '2.2', '2.3', '3.1', '3.2', '3.3', '4.1', '4.2', '4.3', '4.4', '5.1']);
    for (const objective of POLICY_OBJECTIVES) expect(PolicyObjective.safeParse(objective).success).toBe(true);
    for (const wrong of ['5.2', '2.4', '6.1', '0.1', '1', '1.10', 'objectives']) expect(PolicyObjective.safeParse(wrong).success, wrong).toBe(false);
  });

  it('reads a list a newer version wrote as none, without hiding the record', () => {
    expect(ProposalFields.parse({ policyObjectives: ['3.1', '9.9'] }).policyObjectives).toEqual([]);
    expect(RoadmapItem.safeParse({ title: 'a', policyObjectives: 'all' }).success).toBe(true);
    expect(ActionItem.parse({ title: 'a', policyObjectives: ['4.2'] }).policyObjectives).toEqual(['4.2']);
  });

  it('opens a board written before objectives existed with none on its proposals, roadmap items and actions', () => {
    const written = new Y.Doc();
    migrateBoard(written, { internal: new Y.Doc() });
    const before = new BoardDoc(written);
    const column = before.addColumn('Mobility');
    const cardId = before.addProposal(column, { title: 'Short mobility', createdBy: 'u', fields: { priorities: [3] } });
    before.cards.get(cardId)!.delete('policyObjectives');
    before.roadmap.create({ title: 'Develop mobility' });
    before.roadmap.map.forEach((fields) => fields.delete('policyObjectives'));
    before.actions.create({ title: 'Call Porto' });
    before.actions.map.forEach((fields) => fields.delete('policyObjectives'));

    const reopened = new Y.Doc();
    Y.applyUpdate(reopened, Y.encodeStateAsUpdate(written));
    migrateBoard(reopened, { internal: new Y.Doc() });
    const board = new BoardDoc(reopened);
    expect(board.getProposal(cardId)).toMatchObject({ priorities: [3], policyObjectives: [] });
    expect(board.roadmap.list().map((record) => record.policyObjectives)).toEqual([[]]);
    expect(board.actions.list().map((record) => record.policyObjectives)).toEqual([[]]);
    // The text section named "objectives" is another thing and stays a text.
    board.updateProposal(cardId, { policyObjectives: ['3.1'] });
    expect(board.getProposal(cardId)).toMatchObject({ policyObjectives: ['3.1'], sections: { objectives: '' } });
  });
});

describe('boardCoverage', () => {
  it('shows every objective as a gap on an empty board', () => {
    const coverage = boardCoverage({ proposals: [], roadmap: [], actions: [] });
    expect(coverage.gaps).toEqual(POLICY_OBJECTIVES);
    expect(coverage).toMatchObject({ covered: 0, total: 15 });
    expect(coverage.priorities.map((priority) => priority.objectives.length)).toEqual([4, 3, 3, 4, 1]);
  });

  it('lists a proposal under each objective it names, opening its own card', () => {
    const coverage = boardCoverage({ proposals: [proposal('p1', { priorities: [3], policyObjectives: ['3.1', '1.2'] })], roadmap: [], actions: [] });
    const objective = (id: string) => coverage.priorities.flatMap((priority) => priority.objectives).find((entry) => entry.objective === id)!;
    expect(objective('3.1').links).toEqual([{ kind: 'proposal', id: 'p1', title: 'p1', through: null, cardId: 'p1', done: false }]);
    expect(objective('1.2').links.map((link) => link.id)).toEqual(['p1']);
    expect(objective('3.2').links).toEqual([]);
    expect(coverage.gaps).not.toContain('3.1');
    expect(coverage.covered).toBe(2);
    // Priority 3 is reached through objective 3.1, so the proposal is not listed again for the priority as a whole.
    expect(coverage.priorities[2].whole).toEqual([]);
  });

  it('lists a proposal that names only a priority for that priority as a whole, leaving its objectives gaps', () => {
    const coverage = boardCoverage({ proposals: [proposal('p1', { priorities: [4] })], roadmap: [], actions: [] });
    expect(coverage.priorities[3].whole.map((link) => link.id)).toEqual(['p1']);
    expect(coverage.priorities[3].gaps).toEqual(['4.1', '4.2', '4.3', '4.4']);
  });

  it('counts a roadmap item through the proposals it carries and through its own objectives, its own first', () => {
    const coverage = boardCoverage({
      proposals: [proposal('p1', { title: 'Short mobility', priorities: [3], policyObjectives: ['3.1'] }), proposal('p2', { priorities: [5] })],
      roadmap: [item('r1', { proposalIds: ['p1', 'p2', 'gone'], policyObjectives: ['4.2', '3.1'] })],
      actions: [],
    });
    const links = (objective: string) => coverage.priorities.flatMap((priority) => priority.objectives).find((entry) => entry.objective === objective)!.links;
    expect(links('3.1').map((link) => [link.kind, link.id, link.through])).toEqual([
      ['proposal', 'p1', null],
      ['roadmap', 'r1', null],
    ]);
    expect(links('4.2')).toEqual([{ kind: 'roadmap', id: 'r1', title: 'r1', through: null, cardId: null, done: false }]);
    expect(coverage.priorities[4].whole.map((link) => [link.kind, link.id, link.through?.id, link.cardId])).toEqual([
      ['proposal', 'p2', undefined, 'p2'],
      ['roadmap', 'r1', 'p2', 'p2'],
    ]);
  });

  it('counts an action through the proposal or roadmap item it came from', () => {
    const coverage = boardCoverage({
      proposals: [proposal('p1', { title: 'Alliance', policyObjectives: ['5.1'] })],
      roadmap: [item('r1', { title: 'Mobility', proposalIds: ['p1'], policyObjectives: ['3.2'] })],
      actions: [
        action('a1', { source: 'proposal', sourceId: 'p1' }),
        action('a2', { source: 'roadmap', sourceId: 'r1', done: true }),
        action('a3', { source: 'meeting', sourceId: 'p1' }),
      ],
    });
    const links = (objective: string) => coverage.priorities.flatMap((priority) => priority.objectives).find((entry) => entry.objective === objective)!.links;
    expect(links('5.1').map((link) => [link.id, link.through?.id ?? null, link.cardId])).toEqual([
      ['p1', null, 'p1'],
      ['r1', 'p1', 'p1'],
      ['a1', 'p1', 'p1'],
      ['a2', 'r1', null],
    ]);
    expect(links('3.2').map((link) => [link.id, link.done])).toEqual([
      ['r1', false],
      ['a2', true],
    ]);
    // An action from a meeting does not inherit what a proposal of the same id advances.
    expect(links('5.1').some((link) => link.id === 'a3')).toBe(false);
  });
});
