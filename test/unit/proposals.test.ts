/**
 * Proposals on a board (schema version 2): cards of kind `proposal` with structured fields,
 * collaborative sections, a checklist, comments and sign-offs, moved through the workflow only when
 * the departments have signed the gates on the way.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  BoardDoc,
  GateError,
  PROPOSAL_SECTIONS,
  ValidationError,
  type Department,
  type ProposalFields,
  type ProposalStage,
  type SignOff,
} from '../../shared/src/index.js';
import { PROPOSAL_FIELD_DEFAULTS } from '../helpers/defaults.js';
import { countUpdates, thrownBy } from '../helpers/observe.js';

function newBoard(): { board: BoardDoc; column: string } {
  const board = new BoardDoc(new Y.Doc());
  const column = board.addColumn('Projets');
  return { board, column };
}

function signOffBy(gate: ProposalStage, department: Department, userId = `user-${department}`): SignOff {
  return { gate, department, userId, userName: `Signer ${department}`, at: new Date().toISOString() };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('addProposal', () => {
  it('adds a submitted strategic-partnership proposal led by the SRI, with empty sections, checklist, comments and sign-offs', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'Programme intensif Erasmus', createdBy: 'user-sri' });

    expect(board.getProposal(id)).toEqual({
      id,
      kind: 'proposal',
      columnId: column,
      position: expect.any(String),
      title: 'Programme intensif Erasmus',
      description: '',
      createdBy: 'user-sri',
      createdAt: expect.any(Number),
      ...PROPOSAL_FIELD_DEFAULTS,
      sections: { objectives: '', activities: '', impact: '' },
      checklist: [],
      comments: [],
      signOffs: [],
    });
    expect(board.getCard(id)?.kind).toBe('proposal');
    expect(board.listCards(column).map((card) => card.id)).toEqual([id]);
    expect(board.listProposals().map((proposal) => proposal.id)).toEqual([id]);
  });

  it('keeps the given fields, description and sections', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, {
      title: 'Alliance de la connaissance en chimie',
      description: 'Avec nos partenaires industriels',
      createdBy: 'user-sri',
      fields: { actionType: 'knowledge_alliance', region: 'eu', priorities: [2], selectsStudents: true },
      sections: { objectives: 'Former ensemble', impact: 'Emploi' },
    });
    expect(board.getProposal(id)).toMatchObject({
      description: 'Avec nos partenaires industriels',
      actionType: 'knowledge_alliance',
      region: 'eu',
      priorities: [2],
      selectsStudents: true,
      sections: { objectives: 'Former ensemble', activities: '', impact: 'Emploi' },
    });
  });

  it('adds the proposal in one transaction', () => {
    const { board, column } = newBoard();
    let transactions = 0;
    board.doc.on('afterTransaction', () => transactions++);
    board.addProposal(column, { title: 'Capacity building Afrique', createdBy: 'u' });
    expect(transactions).toBe(1);
  });

  it('may start at sri_review, since no gate stands before it', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u', fields: { stage: 'sri_review' } });
    expect(board.getProposal(id)?.stage).toBe('sri_review');
  });

  it.each(['departmental_framing', 'partner_framing', 'implementation'] as ProposalStage[])(
    'refuses to start at %s with a GateError and writes nothing',
    (stage) => {
      const { board, column } = newBoard();
      const updates = countUpdates(board.doc);
      const error = thrownBy(() => board.addProposal(column, { title: 'Too fast', createdBy: 'u', fields: { stage } }));
      expect(error).toBeInstanceOf(GateError);
      expect((error as GateError).target).toBe(stage);
      expect((error as GateError).missing[0]).toEqual({ gate: 'sri_review', departments: ['sri'] });
      expect(board.cards.size).toBe(0);
      expect(board.listCards(column)).toEqual([]);
      expect(updates()).toBe(0);
    },
  );

  it('may start closed, since closing is always allowed', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'Archived idea', createdBy: 'u', fields: { stage: 'closed' } });
    expect(board.getProposal(id)?.stage).toBe('closed');
  });

  it('refuses invalid fields with a ValidationError and writes nothing', () => {
    const { board, column } = newBoard();
    const updates = countUpdates(board.doc);
    const error = thrownBy(() =>
      board.addProposal(column, { title: 'p', createdBy: 'u', fields: { startDate: '2026-09-01', endDate: '2026-01-31' } }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: 'endDate', message: 'validation.dateOrder' }]);
    expect(board.cards.size).toBe(0);
    expect(updates()).toBe(0);
  });
});

describe('setProposalStage', () => {
  it('walks a knowledge alliance that selects students through the whole workflow as departments sign', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, {
      title: 'Alliance chimie verte',
      createdBy: 'u',
      fields: { actionType: 'knowledge_alliance', selectsStudents: true },
    });
    const stage = () => board.getProposal(id)?.stage;

    board.setProposalStage(id, 'sri_review');
    expect(stage()).toBe('sri_review');
    expect(() => board.setProposalStage(id, 'departmental_framing')).toThrow(GateError);
    expect(stage()).toBe('sri_review');

    board.signOff(id, signOffBy('sri_review', 'sri'));
    board.setProposalStage(id, 'departmental_framing');
    expect(stage()).toBe('departmental_framing');

    const framing: Department[] = ['studies', 'specialty_teachers', 'research', 'admissions', 'company_relations'];
    for (const department of framing) {
      expect(() => board.setProposalStage(id, 'partner_framing'), `before ${department}`).toThrow(GateError);
      board.signOff(id, signOffBy('departmental_framing', department));
    }
    for (const next of ['partner_framing', 'agreement_signed', 'implementation', 'closed'] as ProposalStage[]) {
      board.setProposalStage(id, next);
      expect(stage()).toBe(next);
    }
    // Reopening to a later stage passes, since every gate is signed.
    board.setProposalStage(id, 'implementation');
    expect(stage()).toBe('implementation');
    expect(board.getProposal(id)?.signOffs.map((s) => `${s.gate}:${s.department}`).sort()).toEqual(
      ['sri_review:sri', ...framing.map((d) => `departmental_framing:${d}`)].sort(),
    );
  });

  it('explains a refused move: target, each gate with exactly its missing departments, a name and a message', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u', fields: { selectsStudents: true } });
    board.signOff(id, signOffBy('departmental_framing', 'research'));
    const error = thrownBy(() => board.setProposalStage(id, 'agreement_signed')) as GateError;

    expect(error).toBeInstanceOf(GateError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('GateError');
    expect(error.target).toBe('agreement_signed');
    expect(error.missing).toEqual([
      { gate: 'sri_review', departments: ['sri'] },
      { gate: 'departmental_framing', departments: ['studies', 'specialty_teachers', 'admissions'] },
    ]);
    expect(error.message).toContain('agreement_signed');
    expect(error.message).toContain('sri_review(sri)');
  });

  it('leaves the document untouched when it refuses a move', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u' });
    const updates = countUpdates(board.doc);
    expect(() => board.setProposalStage(id, 'implementation')).toThrow(GateError);
    expect(updates()).toBe(0);
  });

  it('always lets a proposal move back or close', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u' });
    board.signOff(id, signOffBy('sri_review', 'sri'));
    for (const department of ['studies', 'specialty_teachers', 'research'] as Department[]) {
      board.signOff(id, signOffBy('departmental_framing', department));
    }
    board.setProposalStage(id, 'implementation');
    board.setProposalStage(id, 'sri_review');
    expect(board.getProposal(id)?.stage).toBe('sri_review');
    board.setProposalStage(id, 'submitted');
    board.setProposalStage(id, 'closed');
    expect(board.getProposal(id)?.stage).toBe('closed');
  });

  it('refuses to reopen a closed, unsigned proposal past a gate', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u' });
    board.setProposalStage(id, 'closed');
    expect(() => board.setProposalStage(id, 'partner_framing')).toThrow(GateError);
    board.setProposalStage(id, 'sri_review');
    expect(board.getProposal(id)?.stage).toBe('sri_review');
  });

  it('writes nothing when the proposal already stands at the stage', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u', fields: { stage: 'sri_review' } });
    const updates = countUpdates(board.doc);
    board.setProposalStage(id, 'sri_review');
    expect(updates()).toBe(0);
  });

  it('refuses to move a note or a missing card through the workflow', () => {
    const { board, column } = newBoard();
    const note = board.addCard(column, { title: 'Just a note', createdBy: 'u' });
    for (const id of [note, 'no-such-card']) {
      const error = thrownBy(() => board.setProposalStage(id, 'sri_review'));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([{ path: '', message: 'validation.notFound' }]);
    }
    expect(board.cards.get(note)?.get('stage')).toBeUndefined();
  });
});

describe('sign-offs', () => {
  it('blocks forward moves again once a sign-off is withdrawn', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u', fields: { stage: 'sri_review' } });
    board.signOff(id, signOffBy('sri_review', 'sri'));
    board.setProposalStage(id, 'departmental_framing');
    board.setProposalStage(id, 'sri_review');

    board.withdrawSignOff(id, 'sri_review', 'sri');
    expect(board.getProposal(id)?.signOffs).toEqual([]);
    const error = thrownBy(() => board.setProposalStage(id, 'departmental_framing')) as GateError;
    expect(error.missing).toEqual([{ gate: 'sri_review', departments: ['sri'] }]);
    expect(board.getProposal(id)?.stage).toBe('sri_review');
  });

  it('keeps one sign-off per gate and department, the latest replacing the earlier', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u' });
    board.signOff(id, { gate: 'sri_review', department: 'sri', userId: 'alice', userName: 'Alice', at: '2026-01-05T10:00:00.000Z' });
    board.signOff(id, { gate: 'sri_review', department: 'sri', userId: 'bob', userName: 'Bob', at: '2026-01-06T10:00:00.000Z' });
    expect(board.getProposal(id)?.signOffs).toEqual([
      { gate: 'sri_review', department: 'sri', userId: 'bob', userName: 'Bob', at: '2026-01-06T10:00:00.000Z' },
    ]);
  });

  it('lists sign-offs in the order they were given', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u' });
    board.signOff(id, { ...signOffBy('departmental_framing', 'research'), at: '2026-03-02T00:00:00.000Z' });
    board.signOff(id, { ...signOffBy('sri_review', 'sri'), at: '2026-03-01T00:00:00.000Z' });
    expect(board.getProposal(id)?.signOffs.map((s) => s.department)).toEqual(['sri', 'research']);
  });

  it('counts sign-offs given concurrently on two replicas for different departments once they exchange updates', () => {
    const origin = new BoardDoc(new Y.Doc());
    const column = origin.addColumn('Projets');
    const id = origin.addProposal(column, { title: 'Double diplôme Concepción', createdBy: 'u', fields: { stage: 'sri_review' } });
    origin.signOff(id, signOffBy('sri_review', 'sri'));
    origin.setProposalStage(id, 'departmental_framing');
    const [alice, bob] = [new BoardDoc(new Y.Doc()), new BoardDoc(new Y.Doc())];
    Y.applyUpdate(alice.doc, Y.encodeStateAsUpdate(origin.doc));
    Y.applyUpdate(bob.doc, Y.encodeStateAsUpdate(origin.doc));

    alice.signOff(id, signOffBy('departmental_framing', 'studies'));
    alice.signOff(id, signOffBy('departmental_framing', 'specialty_teachers'));
    bob.signOff(id, signOffBy('departmental_framing', 'research'));
    expect(() => alice.setProposalStage(id, 'partner_framing')).toThrow(GateError);
    expect(() => bob.setProposalStage(id, 'partner_framing')).toThrow(GateError);

    Y.applyUpdate(bob.doc, Y.encodeStateAsUpdate(alice.doc, Y.encodeStateVector(bob.doc)));
    Y.applyUpdate(alice.doc, Y.encodeStateAsUpdate(bob.doc, Y.encodeStateVector(alice.doc)));

    for (const replica of [alice, bob]) {
      expect(replica.getProposal(id)?.signOffs.map((s) => s.department).sort()).toEqual(['research', 'specialty_teachers', 'sri', 'studies']);
    }
    bob.setProposalStage(id, 'partner_framing');
    expect(bob.getProposal(id)?.stage).toBe('partner_framing');
  });

  it('ignores a stored sign-off without a user', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u' });
    (board.cards.get(id)?.get('signOffs') as Y.Map<unknown>).set('sri_review:sri', { gate: 'sri_review', department: 'sri' });
    expect(board.getProposal(id)?.signOffs).toEqual([]);
    expect(() => board.setProposalStage(id, 'departmental_framing')).toThrow(GateError);
  });
});

describe('updateProposal', () => {
  it('updates fields and writes only the ones that changed', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u', fields: { region: 'africa' } });
    const changed: string[][] = [];
    board.cards.get(id)!.observe((event) => changed.push([...event.keysChanged].sort()));

    board.updateProposal(id, { region: 'africa', actionType: 'capacity_building', startDate: '2026-09-01' });
    expect(changed).toEqual([['actionType', 'startDate']]);
    expect(board.getProposal(id)).toMatchObject({ region: 'africa', actionType: 'capacity_building', startDate: '2026-09-01' });
  });

  it('refuses an end date before the start date and changes nothing', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u', fields: { startDate: '2026-09-01' } });
    const updates = countUpdates(board.doc);
    const error = thrownBy(() => board.updateProposal(id, { endDate: '2026-06-30', region: 'eu' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: 'endDate', message: 'validation.dateOrder' }]);
    expect(board.getProposal(id)).toMatchObject({ startDate: '2026-09-01', endDate: null, region: null });
    expect(updates()).toBe(0);
  });

  it('ignores a stage in the patch, so the gates cannot be bypassed', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u' });
    const patch = { stage: 'implementation', region: 'latin_america' } as Partial<ProposalFields>;
    board.updateProposal(id, patch);
    expect(board.getProposal(id)).toMatchObject({ stage: 'submitted', region: 'latin_america' });
  });

  it('ignores keys that are not proposal fields, so the card keeps its kind, title and sign-offs', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'Capacity building Afrique', createdBy: 'u' });
    board.signOff(id, signOffBy('sri_review', 'sri'));
    const title = board.cardTitleText(id);
    // As a patch built from an untyped form or message might arrive.
    const patch = { kind: 'note', title: 'x', signOffs: undefined, columnId: undefined, region: 'africa' } as unknown as Partial<ProposalFields>;
    board.updateProposal(id, patch);

    expect(board.getProposal(id)).toMatchObject({ kind: 'proposal', title: 'Capacity building Afrique', columnId: column, region: 'africa' });
    expect(board.cardTitleText(id)).toBe(title);
    expect(board.getProposal(id)?.signOffs.map((s) => s.department)).toEqual(['sri']);
  });

  it('makes the admissions service a required signatory once the project selects students', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u', fields: { stage: 'sri_review' } });
    board.signOff(id, signOffBy('sri_review', 'sri'));
    for (const department of ['studies', 'specialty_teachers', 'research'] as Department[]) {
      board.signOff(id, signOffBy('departmental_framing', department));
    }
    board.updateProposal(id, { selectsStudents: true });
    const error = thrownBy(() => board.setProposalStage(id, 'partner_framing')) as GateError;
    expect(error.missing).toEqual([{ gate: 'departmental_framing', departments: ['admissions'] }]);
  });

  it('clears an optional field set to null', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u', fields: { region: 'africa' } });
    board.updateProposal(id, { region: null });
    expect(board.getProposal(id)?.region).toBeNull();
  });
});

describe('proposal sections', () => {
  it('are Y.Texts that editors bind to, read back in the proposal', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u', sections: { objectives: 'Former' } });
    for (const section of PROPOSAL_SECTIONS) expect(board.proposalSectionText(id, section)).toBeInstanceOf(Y.Text);
    board.proposalSectionText(id, 'objectives')!.insert(6, ' des ingénieurs');
    board.proposalSectionText(id, 'activities')!.insert(0, 'Missions d’enseignement');
    expect(board.getProposal(id)?.sections).toEqual({ objectives: 'Former des ingénieurs', activities: 'Missions d’enseignement', impact: '' });
  });

  it('merge concurrent typing in one section character by character', () => {
    const origin = new BoardDoc(new Y.Doc());
    const column = origin.addColumn('Projets');
    const id = origin.addProposal(column, { title: 'p', createdBy: 'u', sections: { impact: 'Impact' } });
    const [alice, bob] = [new BoardDoc(new Y.Doc()), new BoardDoc(new Y.Doc())];
    Y.applyUpdate(alice.doc, Y.encodeStateAsUpdate(origin.doc));
    Y.applyUpdate(bob.doc, Y.encodeStateAsUpdate(origin.doc));
    alice.proposalSectionText(id, 'impact')!.insert(0, 'Fort ');
    bob.proposalSectionText(id, 'impact')!.insert(6, ' durable');
    Y.applyUpdate(bob.doc, Y.encodeStateAsUpdate(alice.doc));
    Y.applyUpdate(alice.doc, Y.encodeStateAsUpdate(bob.doc));
    expect(alice.getProposal(id)?.sections.impact).toBe('Fort Impact durable');
    expect(bob.getProposal(id)?.sections.impact).toBe('Fort Impact durable');
  });

  it('do not exist on a note', () => {
    const { board, column } = newBoard();
    const note = board.addCard(column, { title: 'n', createdBy: 'u' });
    expect(board.proposalSectionText(note, 'objectives')).toBeUndefined();
    expect(board.getProposal(note)).toBeUndefined();
  });
});

describe('proposal checklist', () => {
  it('keeps items in the order they were added, through toggles, renames and deletions', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u' });
    const first = board.addChecklistItem(id, 'Rencontrer le partenaire');
    const second = board.addChecklistItem(id, '  Valider avec la direction des études  ');
    const third = board.addChecklistItem(id, 'Signer l’accord');
    const view = () => board.getProposal(id)!.checklist.map(({ id: itemId, text, done }) => ({ itemId, text, done }));

    expect(view()).toEqual([
      { itemId: first, text: 'Rencontrer le partenaire', done: false },
      { itemId: second, text: 'Valider avec la direction des études', done: false },
      { itemId: third, text: 'Signer l’accord', done: false },
    ]);

    board.setChecklistItem(id, second, { done: true });
    board.setChecklistItem(id, first, { text: 'Rencontrer le partenaire à Concepción' });
    board.setChecklistItem(id, third, { text: '   ' });
    expect(view()).toEqual([
      { itemId: first, text: 'Rencontrer le partenaire à Concepción', done: false },
      { itemId: second, text: 'Valider avec la direction des études', done: true },
      { itemId: third, text: 'Signer l’accord', done: false },
    ]);

    board.deleteChecklistItem(id, first);
    const fourth = board.addChecklistItem(id, 'Suivre la mise en œuvre');
    expect(view().map((item) => item.itemId)).toEqual([second, third, fourth]);

    board.setChecklistItem(id, second, { done: false });
    expect(view()[0].done).toBe(false);
  });

  it('refuses a blank item with validation.required', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u' });
    const error = thrownBy(() => board.addChecklistItem(id, '   ')) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues).toEqual([{ path: 'text', message: 'validation.required' }]);
    expect(board.getProposal(id)?.checklist).toEqual([]);
  });
});

describe('proposal comments', () => {
  it('are listed by time, whatever order they arrive in', () => {
    vi.useFakeTimers();
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u' });

    vi.setSystemTime(new Date('2026-03-02T10:00:00.000Z'));
    const later = board.addComment(id, { authorId: 'u2', authorName: 'Direction de la recherche', text: 'D’accord' });
    vi.setSystemTime(new Date('2026-03-01T09:00:00.000Z'));
    const earlier = board.addComment(id, { authorId: 'u1', authorName: 'SRI', text: '  Avis des spécialités ?  ' });

    expect(board.getProposal(id)?.comments).toEqual([
      { id: earlier, authorId: 'u1', authorName: 'SRI', text: 'Avis des spécialités ?', at: '2026-03-01T09:00:00.000Z', mentions: [] },
      { id: later, authorId: 'u2', authorName: 'Direction de la recherche', text: 'D’accord', at: '2026-03-02T10:00:00.000Z', mentions: [] },
    ]);
  });

  it('are ordered by time across replicas that comment concurrently', () => {
    vi.useFakeTimers();
    const origin = new BoardDoc(new Y.Doc());
    const column = origin.addColumn('Projets');
    const id = origin.addProposal(column, { title: 'p', createdBy: 'u' });
    const [alice, bob] = [new BoardDoc(new Y.Doc()), new BoardDoc(new Y.Doc())];
    Y.applyUpdate(alice.doc, Y.encodeStateAsUpdate(origin.doc));
    Y.applyUpdate(bob.doc, Y.encodeStateAsUpdate(origin.doc));
    vi.setSystemTime(new Date('2026-03-01T10:00:02.000Z'));
    alice.addComment(id, { authorId: 'a', authorName: 'Alice', text: 'second' });
    vi.setSystemTime(new Date('2026-03-01T10:00:01.000Z'));
    bob.addComment(id, { authorId: 'b', authorName: 'Bob', text: 'first' });
    Y.applyUpdate(bob.doc, Y.encodeStateAsUpdate(alice.doc));
    Y.applyUpdate(alice.doc, Y.encodeStateAsUpdate(bob.doc));
    for (const replica of [alice, bob]) expect(replica.getProposal(id)?.comments.map((c) => c.text)).toEqual(['first', 'second']);
  });

  it('can be deleted, and a blank comment is refused', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u' });
    const comment = board.addComment(id, { authorId: 'u', authorName: 'SRI', text: 'À relire' });
    expect(() => board.addComment(id, { authorId: 'u', authorName: 'SRI', text: ' ' })).toThrow(ValidationError);
    board.deleteComment(id, comment);
    expect(board.getProposal(id)?.comments).toEqual([]);
  });
});

describe('convertToProposal', () => {
  it('turns a note into a submitted proposal keeping its id, title, description, column and position', () => {
    const { board, column } = newBoard();
    board.addCard(column, { title: 'Before', createdBy: 'u' });
    const id = board.addCard(column, { title: 'Partenariat stratégique', description: 'Avec trois écoles', createdBy: 'user-7' });
    board.addCard(column, { title: 'After', createdBy: 'u' });
    const note = board.getCard(id)!;
    expect(board.getProposal(id)).toBeUndefined();

    board.convertToProposal(id);

    const proposal = board.getProposal(id);
    expect(proposal).toMatchObject({ ...note, kind: 'proposal', stage: 'submitted', actionType: 'strategic_partnership', checklist: [], signOffs: [] });
    expect(board.listCards(column).map((card) => card.title)).toEqual(['Before', 'Partenariat stratégique', 'After']);
    for (const section of PROPOSAL_SECTIONS) expect(board.proposalSectionText(id, section)).toBeInstanceOf(Y.Text);
    // The proposal can now collect sign-offs and move.
    board.signOff(id, signOffBy('sri_review', 'sri'));
    board.setProposalStage(id, 'departmental_framing');
    expect(board.getProposal(id)?.stage).toBe('departmental_framing');
  });

  it('keeps the same title Y.Text, so an editor bound to it keeps working', () => {
    const { board, column } = newBoard();
    const id = board.addCard(column, { title: 'Idée', createdBy: 'u' });
    const title = board.cardTitleText(id);
    board.convertToProposal(id);
    expect(board.cardTitleText(id)).toBe(title);
  });

  it('does nothing to a card that is already a proposal, or to a missing card', () => {
    const { board, column } = newBoard();
    const id = board.addProposal(column, { title: 'p', createdBy: 'u', fields: { region: 'africa' } });
    board.addChecklistItem(id, 'Keep me');
    const updates = countUpdates(board.doc);
    board.convertToProposal(id);
    board.convertToProposal('no-such-card');
    expect(updates()).toBe(0);
    expect(board.getProposal(id)).toMatchObject({ region: 'africa', checklist: [{ text: 'Keep me' }] });
  });

  it('lists proposals but not notes', () => {
    const { board, column } = newBoard();
    board.addCard(column, { title: 'note', createdBy: 'u' });
    const proposal = board.addProposal(column, { title: 'proposal', createdBy: 'u' });
    expect(board.listProposals().map((p) => p.id)).toEqual([proposal]);
  });
});
