/**
 * The sign-off gates against an editor with a stock y-websocket client, who writes the card's Y.Map
 * fields directly instead of going through `BoardDoc`: replacing or deleting the whole `signOffs`
 * map, overwriting one department's entry with another value, changing what the gates depend on
 * (`selectsStudents`, `actionType`, `kind`) with the stage and back, forging the signer's name and
 * time. Whatever they write, on a real server with real SQLite: no proposal stands past a gate
 * without its sign-offs, no department's sign-off is removed by someone outside it, and every
 * sign-off records the server's name for the person and a time the server vouches for.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc, signOffKey, type Department, type ProposalStage, type SignOff } from '@passerelle/shared';
import { eventually } from '../helpers/test-server.js';
import { peopleWithBoardPerTest, serverPerTest } from '../helpers/per-test.js';

describe('sign-off gates written around by an editor', () => {
  const ctx = serverPerTest();
  /** People by key: `sri` is the administrator (in the SRI); `editor` is an editor in no department. */
  const workflow = peopleWithBoardPerTest(ctx, { studies: ['studies'], teacher: ['specialty_teachers'], research: ['research'], editor: [] }, 'Propositions');
  const { people } = workflow;

  /** A stock y-websocket client for `key`, with the workflow refusals the server sends them. */
  async function open(key: string) {
    const client = await workflow.open(key);
    return { ...client, refusals: await workflow.refusalsOf(key), card: (cardId: string) => client.board.cards.get(cardId)! };
  }
  type Client = Awaited<ReturnType<typeof open>>;

  /** A sign-off as the web app writes it: in the person's own name, at the time of the click. */
  const genuine = (key: string, gate: ProposalStage, department: Department): SignOff => ({
    gate,
    department,
    userId: people[key].id,
    userName: people[key].name,
    at: new Date().toISOString(),
  });
  const signOffsOf = (client: Client, cardId: string) =>
    client.board
      .getProposal(cardId)!
      .signOffs.map((s) => `${s.gate}:${s.department}:${s.userId}`)
      .sort();
  const stageOf = (client: Client, cardId: string) => client.board.getProposal(cardId)?.stage;
  /** Lets the server's corrections (if any) reach every client before a state is asserted stable. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  /**
   * A double degree at the departmental framing: the SRI signed its review (a passed gate), the
   * studies and research directorates signed the framing, the specialty teachers have not yet.
   */
  async function proposalInFraming(sri: Client, observers: Client[]): Promise<{ cardId: string; signed: string[] }> {
    const column = sri.board.addColumn('Propositions');
    const cardId = sri.board.addProposal(column, { title: 'Double diplôme Sherbrooke', createdBy: people.sri.id, fields: { actionType: 'double_degree' } });
    sri.board.setProposalStage(cardId, 'sri_review');
    sri.board.signOff(cardId, genuine('sri', 'sri_review', 'sri'));
    sri.board.setProposalStage(cardId, 'departmental_framing');
    for (const observer of observers) await eventually(() => stageOf(observer, cardId) === 'departmental_framing', 5000, 'framing everywhere');
    const studies = await open('studies');
    const research = await open('research');
    studies.board.signOff(cardId, genuine('studies', 'departmental_framing', 'studies'));
    research.board.signOff(cardId, genuine('research', 'departmental_framing', 'research'));
    const signed = [
      `sri_review:sri:${people.sri.id}`,
      `departmental_framing:research:${people.research.id}`,
      `departmental_framing:studies:${people.studies.id}`,
    ].sort();
    for (const client of [sri, ...observers]) await eventually(() => signOffsOf(client, cardId).join() === signed.join(), 5000, 'three sign-offs');
    return { cardId, signed };
  }

  it('replacing, deleting or overwriting the whole signOffs map of a card puts back every sign-off the editor could not withdraw, and tells them', async () => {
    const sri = await open('sri');
    const editor = await open('editor');
    const { cardId, signed } = await proposalInFraming(sri, [editor]);

    // An editor in no department: a fresh empty map, no map at all, then a string in its place.
    const attacks: ((card: Y.Map<unknown>) => void)[] = [
      (card) => card.set('signOffs', new Y.Map()),
      (card) => card.delete('signOffs'),
      (card) => card.set('signOffs', 'aucun'),
    ];
    for (const [index, attack] of attacks.entries()) {
      attack(editor.card(cardId));
      await eventually(() => editor.refusals.length === 3 * (index + 1), 5000, `refusals of attack ${index}`);
      await settle();
      expect(signOffsOf(sri, cardId)).toEqual(signed);
      expect(signOffsOf(editor, cardId)).toEqual(signed);
    }
    expect(editor.refusals.map((r) => `${r.reason}:${r.department}`).sort()).toEqual(
      ['sri', 'sri', 'sri', 'studies', 'studies', 'studies', 'research', 'research', 'research'].map((d) => `not_in_department:${d}`).sort(),
    );

    // A member of the studies directorate replaces the map: only their own department's sign-off
    // goes (the framing is not passed); the SRI's and the research directorate's come back.
    const studies = await open('studies');
    studies.card(cardId).set('signOffs', new Y.Map());
    await eventually(() => studies.refusals.length === 2, 5000, 'studies refusals');
    await settle();
    expect(signOffsOf(sri, cardId)).toEqual([`departmental_framing:research:${people.research.id}`, `sri_review:sri:${people.sri.id}`]);
    expect(studies.refusals.map((r) => `${r.reason}:${r.department}`).sort()).toEqual(['not_in_department:research', 'not_in_department:sri']);

    // The SRI replaces the map: its own sign-off is the record of a passed gate and stays too.
    sri.card(cardId).set('signOffs', new Y.Map());
    await eventually(() => sri.refusals.length === 2, 5000, 'sri refusals');
    await settle();
    expect(signOffsOf(studies, cardId)).toEqual([`departmental_framing:research:${people.research.id}`, `sri_review:sri:${people.sri.id}`]);
    expect(sri.refusals.map((r) => `${r.reason}:${r.department}`).sort()).toEqual(['not_in_department:research', 'sign_off_locked:sri']);
  });

  it('overwriting one department’s sign-off with another value puts the department’s own back', async () => {
    const sri = await open('sri');
    const studies = await open('studies');
    const { cardId, signed } = await proposalInFraming(sri, [studies]);
    const signOffs = () => studies.card(cardId).get('signOffs') as Y.Map<unknown>;

    // The research slot filled with the studies directorate's sign-off, then with one for research in
    // the studies member's own name; the SRI's slot with a sign-off "for the SRI" by the studies member.
    signOffs().set(signOffKey('departmental_framing', 'research'), genuine('studies', 'departmental_framing', 'studies'));
    signOffs().set(signOffKey('departmental_framing', 'research'), genuine('studies', 'departmental_framing', 'research'));
    signOffs().set(signOffKey('sri_review', 'sri'), genuine('studies', 'sri_review', 'sri'));
    // (The second write may lose to the server's correction of the first, concurrent with it: then it changes nothing.)
    const refused = (department: Department) => studies.refusals.some((r) => r.department === department);
    await eventually(() => refused('research') && refused('sri'), 5000, 'refusals');
    await settle();
    expect(signOffsOf(sri, cardId)).toEqual(signed);
    expect(signOffsOf(studies, cardId)).toEqual(signed);
    expect(studies.refusals.every((r) => r.reason === 'not_in_department')).toBe(true);
  });

  it('a proposal moved past a gate while selectsStudents, actionType or kind said otherwise goes back when they change back', async () => {
    const sri = await open('sri');
    const editor = await open('editor');
    const teacher = await open('teacher');
    const column = sri.board.addColumn('Propositions');
    const elsewhere = sri.board.addColumn('Ailleurs');
    // A knowledge alliance that selects students: admissions and company relations must sign too.
    const cardId = sri.board.addProposal(column, {
      title: 'Alliance chimie verte',
      createdBy: people.sri.id,
      fields: { actionType: 'knowledge_alliance', selectsStudents: true },
    });
    sri.board.setProposalStage(cardId, 'sri_review');
    sri.board.signOff(cardId, genuine('sri', 'sri_review', 'sri'));
    sri.board.setProposalStage(cardId, 'departmental_framing');
    await eventually(() => stageOf(teacher, cardId) === 'departmental_framing', 5000, 'framing');
    const studies = await open('studies');
    const research = await open('research');
    studies.board.signOff(cardId, genuine('studies', 'departmental_framing', 'studies'));
    teacher.board.signOff(cardId, genuine('teacher', 'departmental_framing', 'specialty_teachers'));
    research.board.signOff(cardId, genuine('research', 'departmental_framing', 'research'));
    await eventually(() => editor.board.getProposal(cardId)!.signOffs.length === 4, 5000, 'four sign-offs');

    // 1. Students not selected and a strategic partnership, with the stage, in one change: allowed then.
    const card = editor.card(cardId);
    editor.doc.transact(() => {
      card.set('selectsStudents', false);
      card.set('actionType', 'strategic_partnership');
      card.set('stage', 'partner_framing');
    });
    await eventually(() => stageOf(sri, cardId) === 'partner_framing', 5000, 'partner framing, with the gates that then applied');
    // Students selected again: the admissions service has not signed, so the proposal goes back.
    card.set('selectsStudents', true);
    await eventually(() => stageOf(sri, cardId) === 'departmental_framing', 5000, 'back to the framing');
    await eventually(() => editor.refusals.length === 1, 5000, 'refusal');
    expect(editor.refusals[0]).toMatchObject({
      reason: 'missing_sign_offs',
      target: 'partner_framing',
      missing: [{ gate: 'departmental_framing', departments: ['admissions'] }],
    });

    // 2. The same with the action type, put back in a change that also moves the card to another column.
    editor.doc.transact(() => {
      card.set('selectsStudents', false);
      card.set('stage', 'implementation');
    });
    await eventually(() => stageOf(sri, cardId) === 'implementation', 5000, 'implementation');
    editor.doc.transact(() => {
      card.set('actionType', 'knowledge_alliance');
      card.set('columnId', elsewhere);
    });
    await eventually(() => stageOf(sri, cardId) === 'departmental_framing', 5000, 'back to the framing again');
    await eventually(() => editor.refusals.length === 2, 5000, 'second refusal');
    expect(editor.refusals[1]).toMatchObject({ missing: [{ gate: 'departmental_framing', departments: ['company_relations'] }] });

    // 3. Turned into a note to move it, then back into a proposal.
    editor.doc.transact(() => {
      card.set('kind', 'note');
      card.set('stage', 'agreement_signed');
    });
    await eventually(() => sri.board.getCard(cardId)?.kind === 'note', 5000, 'a note');
    card.set('kind', 'proposal');
    await eventually(() => stageOf(sri, cardId) === 'departmental_framing', 5000, 'back to the framing a third time');

    await settle();
    for (const client of [sri, editor, teacher]) expect(stageOf(client, cardId)).toBe('departmental_framing');
    expect(sri.refusals).toEqual([]);
  });

  it('a sign-off records the server’s name for the person and the server’s time, whatever the client wrote', async () => {
    const sri = await open('sri');
    const studies = await open('studies');
    const column = sri.board.addColumn('Propositions');
    const cardId = sri.board.addProposal(column, { title: 'Programme intensif', createdBy: people.sri.id });
    await eventually(() => studies.board.getProposal(cardId) !== undefined, 5000, 'proposal on studies');

    // A forged name, a backdated time, and something extra in the entry.
    const before = Date.now();
    const signOffs = studies.card(cardId).get('signOffs') as Y.Map<unknown>;
    signOffs.set(signOffKey('departmental_framing', 'studies'), {
      ...genuine('studies', 'departmental_framing', 'studies'),
      userName: 'Le directeur général',
      at: '2019-01-01T00:00:00.000Z',
      note: 'validé en comité',
    });
    const stamped = () => sri.board.getProposal(cardId)!.signOffs.find((s) => s.userName === people.studies.name);
    await eventually(() => stamped() !== undefined, 5000, 'stamped sign-off');
    const after = Date.now();
    const entry = (sri.card(cardId).get('signOffs') as Y.Map<unknown>).get(signOffKey('departmental_framing', 'studies'));
    expect(Object.keys(entry as object).sort()).toEqual(['at', 'department', 'gate', 'userId', 'userName']);
    expect(Date.parse(stamped()!.at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(stamped()!.at)).toBeLessThanOrEqual(after);
    // A time in the future is no better.
    signOffs.set(signOffKey('departmental_framing', 'studies'), { ...genuine('studies', 'departmental_framing', 'studies'), at: '2099-01-01T00:00:00.000Z' });
    await eventually(() => Date.parse(stamped()!.at) < Date.parse('2099-01-01T00:00:00.000Z') && Date.parse(stamped()!.at) >= after, 5000, 'future time stamped');
    expect(studies.refusals).toEqual([]);

    // What the web app writes (its own name, the time of the click) is kept as written, so that
    // undoing the click withdraws the sign-off as it did.
    studies.board.withdrawSignOff(cardId, 'departmental_framing', 'studies');
    await eventually(() => sri.board.getProposal(cardId)!.signOffs.length === 0, 5000, 'withdrawn');
    const origin = Symbol('web app');
    const undo = new Y.UndoManager(studies.board.cards, { trackedOrigins: new Set([origin]) });
    const written = genuine('studies', 'departmental_framing', 'studies');
    studies.doc.transact(() => studies.board.signOff(cardId, written), origin);
    await eventually(() => sri.board.getProposal(cardId)!.signOffs.length === 1, 5000, 'signed again');
    await settle();
    expect(sri.board.getProposal(cardId)!.signOffs).toEqual([written]);
    undo.undo();
    await eventually(() => sri.board.getProposal(cardId)!.signOffs.length === 0, 5000, 'undone');
  });
});
