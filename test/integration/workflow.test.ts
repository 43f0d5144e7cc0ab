import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc, type Department, type ProposalStage, type SignOff } from '@passerelle/shared';
import { eventually } from '../helpers/test-server.js';
import { peopleWithBoardPerTest, serverPerTest } from '../helpers/per-test.js';

/** The server undoes workflow changes that break the rules, whatever client sent them. */
describe('workflow rules enforced by the server', () => {
  const ctx = serverPerTest();
  const workflow = peopleWithBoardPerTest(ctx, { studies: ['studies'], teacher: ['specialty_teachers'], research: ['research'] }, 'Propositions');
  const { people } = workflow;

  async function open(key: string) {
    return { ...(await workflow.open(key)), refusals: await workflow.refusalsOf(key) };
  }

  const stageOf = (board: BoardDoc, cardId: string) => board.getProposal(cardId)?.stage;
  /** Writes a stage without the client-side check, as a modified client could. */
  const forceStage = (board: BoardDoc, cardId: string, stage: ProposalStage) => board.cards.get(cardId)!.set('stage', stage);
  const signAs = (board: BoardDoc, cardId: string, key: string, gate: ProposalStage, department: Department, userId = people[key].id) =>
    board.signOff(cardId, { gate, department, userId, userName: key, at: new Date().toISOString() } satisfies SignOff);

  it('puts back a proposal moved past a gate without its sign-offs, and tells its author why', async () => {
    const sri = await open('sri');
    const observer = await open('studies');
    const column = sri.board.addColumn('Propositions');
    const cardId = sri.board.addProposal(column, { title: 'Alliance chimie verte', createdBy: people.sri.id, fields: { actionType: 'knowledge_alliance' } });
    sri.board.setProposalStage(cardId, 'sri_review');
    await eventually(() => stageOf(observer.board, cardId) === 'sri_review', 5000, 'sri_review on observer');

    forceStage(sri.board, cardId, 'partner_framing');
    await eventually(() => stageOf(sri.board, cardId) === 'sri_review', 5000, 'stage put back on the author');
    await eventually(() => sri.refusals.length === 1, 5000, 'refusal event');
    expect(sri.refusals[0]).toMatchObject({
      boardId: workflow.boardId,
      cardId,
      reason: 'missing_sign_offs',
      target: 'partner_framing',
      missing: [
        { gate: 'sri_review', departments: ['sri'] },
        { gate: 'departmental_framing', departments: ['studies', 'specialty_teachers', 'research', 'company_relations'] },
      ],
    });
    // The observer never ends on the refused stage, and was not the one told.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stageOf(observer.board, cardId)).toBe('sri_review');
    expect(observer.refusals).toEqual([]);
  });

  it('lets the proposal through once every department concerned has signed off', async () => {
    const sri = await open('sri');
    const studies = await open('studies');
    const teacher = await open('teacher');
    const research = await open('research');
    const column = sri.board.addColumn('Propositions');
    const cardId = sri.board.addProposal(column, { title: 'Double diplôme Sherbrooke', createdBy: people.sri.id, fields: { actionType: 'double_degree' } });
    sri.board.setProposalStage(cardId, 'sri_review');
    signAs(sri.board, cardId, 'sri', 'sri_review', 'sri');
    sri.board.setProposalStage(cardId, 'departmental_framing');
    await eventually(() => stageOf(research.board, cardId) === 'departmental_framing', 5000, 'departmental framing everywhere');

    signAs(studies.board, cardId, 'studies', 'departmental_framing', 'studies');
    signAs(teacher.board, cardId, 'teacher', 'departmental_framing', 'specialty_teachers');
    signAs(research.board, cardId, 'research', 'departmental_framing', 'research');
    await eventually(() => sri.board.getProposal(cardId)!.signOffs.length === 4, 5000, 'four sign-offs on the SRI side');
    sri.board.setProposalStage(cardId, 'partner_framing');
    await eventually(() => [studies, teacher, research].every((c) => stageOf(c.board, cardId) === 'partner_framing'), 5000, 'partner framing');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stageOf(sri.board, cardId)).toBe('partner_framing');
    expect(sri.refusals).toEqual([]);
  });

  it('removes a sign-off given for a department the person is not in, or in someone else’s name', async () => {
    const sri = await open('sri');
    const studies = await open('studies');
    const column = sri.board.addColumn('Propositions');
    const cardId = sri.board.addProposal(column, { title: 'Mobilité courte en 3e année', createdBy: people.sri.id });
    await eventually(() => studies.board.getProposal(cardId) !== undefined, 5000, 'proposal on studies');

    signAs(studies.board, cardId, 'studies', 'departmental_framing', 'research');
    signAs(studies.board, cardId, 'studies', 'departmental_framing', 'studies', people.sri.id);
    signAs(studies.board, cardId, 'studies', 'sri_review', 'sri');
    await eventually(() => studies.refusals.length === 3, 5000, 'three refusals');
    expect(studies.refusals.map((r) => [r.reason, r.department])).toEqual([
      ['not_in_department', 'research'],
      ['not_in_department', 'studies'],
      ['not_in_department', 'sri'],
    ]);
    await eventually(() => studies.board.getProposal(cardId)!.signOffs.length === 0, 5000, 'forged sign-offs removed');
    expect(sri.board.getProposal(cardId)!.signOffs).toEqual([]);

    // Their own department, in their own name: kept.
    signAs(studies.board, cardId, 'studies', 'departmental_framing', 'studies');
    await eventually(() => sri.board.getProposal(cardId)!.signOffs.length === 1, 5000, 'genuine sign-off kept');
  });

  it('lets a department withdraw its sign-off before the gate is passed, and keeps it afterwards', async () => {
    const sri = await open('sri');
    const studies = await open('studies');
    const column = sri.board.addColumn('Propositions');
    const cardId = sri.board.addProposal(column, { title: 'Programme intensif', createdBy: people.sri.id });
    sri.board.setProposalStage(cardId, 'sri_review');
    await eventually(() => studies.board.getProposal(cardId) !== undefined, 5000, 'proposal on studies');
    signAs(studies.board, cardId, 'studies', 'departmental_framing', 'studies');
    await eventually(() => sri.board.getProposal(cardId)!.signOffs.length === 1, 5000, 'studies sign-off');

    // Someone outside the studies directorate cannot withdraw it.
    sri.board.withdrawSignOff(cardId, 'departmental_framing', 'studies');
    await eventually(() => sri.refusals.some((r) => r.reason === 'not_in_department' && r.department === 'studies'), 5000, 'refusal');
    await eventually(() => sri.board.getProposal(cardId)!.signOffs.length === 1, 5000, 'sign-off put back');

    // Its own department can, before the gate.
    studies.board.withdrawSignOff(cardId, 'departmental_framing', 'studies');
    await eventually(() => sri.board.getProposal(cardId)!.signOffs.length === 0, 5000, 'withdrawn');
    expect(studies.refusals).toEqual([]);

    // After the gate (SRI review passed), the SRI's own sign-off is the record of why: kept.
    signAs(sri.board, cardId, 'sri', 'sri_review', 'sri');
    sri.board.setProposalStage(cardId, 'departmental_framing');
    await eventually(() => studies.board.getProposal(cardId)?.stage === 'departmental_framing', 5000, 'past SRI review');
    sri.board.withdrawSignOff(cardId, 'sri_review', 'sri');
    await eventually(() => sri.refusals.some((r) => r.reason === 'sign_off_locked'), 5000, 'locked refusal');
    await eventually(() => studies.board.getProposal(cardId)!.signOffs.some((s) => s.gate === 'sri_review'), 5000, 'SRI sign-off still there');
  });

  it('puts a proposal created beyond its gates at the furthest stage its sign-offs allow', async () => {
    const sri = await open('sri');
    const column = sri.board.addColumn('Propositions');
    // Built by hand, as a modified client could: a proposal created directly at implementation.
    const cardId = sri.board.addProposal(column, { title: 'Projet forcé', createdBy: people.sri.id });
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(sri.doc));
    const forgedBoard = new BoardDoc(forged);
    const second = forgedBoard.addProposal(column, { title: 'Autre projet forcé', createdBy: people.sri.id });
    forgedBoard.cards.get(second)!.set('stage', 'implementation');
    Y.applyUpdate(sri.doc, Y.encodeStateAsUpdate(forged, Y.encodeStateVector(sri.doc)));
    forceStage(sri.board, cardId, 'departmental_framing');
    await eventually(() => stageOf(sri.board, second) === 'sri_review' && stageOf(sri.board, cardId) === 'sri_review', 5000, 'both put back to SRI review');
  });

  it('keeps the corrected stage after the board is reloaded from storage', async () => {
    const sri = await open('sri');
    const column = sri.board.addColumn('Propositions');
    const cardId = sri.board.addProposal(column, { title: 'Persistant', createdBy: people.sri.id });
    forceStage(sri.board, cardId, 'closed');
    forceStage(sri.board, cardId, 'implementation');
    await eventually(() => stageOf(sri.board, cardId) === 'sri_review', 5000, 'put back');
    await ctx.restart();
    const again = await open('sri');
    expect(stageOf(again.board, cardId)).toBe('sri_review');
  });
});
