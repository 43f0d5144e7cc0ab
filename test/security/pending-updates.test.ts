/**
 * An update whose structs wait for missing ones must never be completed inside another person's
 * change. Yjs keeps such structs and integrates them within whichever later update fills the gap,
 * in that update's transaction: an editor who knows a colleague's client id and clock (both are in
 * the document) could forge a sign-off in that colleague's next structs, and have it judged, and
 * accepted, as the colleague's own. Real server, real SQLite, stock y-websocket clients, and the
 * forged update sent as raw frames.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { BoardDoc, signOffKey } from '@passerelle/shared';
import { eventually } from '../helpers/test-server.js';
import { peopleWithBoardPerTest, serverPerTest } from '../helpers/per-test.js';

describe('updates waiting for missing structs', () => {
  const ctx = serverPerTest();
  const workflow = peopleWithBoardPerTest(ctx, { teacher: ['specialty_teachers'], editor: [] }, 'Double diplômes');
  const { people, open } = workflow;

  it("a sign-off forged into a colleague's next structs is never integrated with their change", async () => {
    const sri = await open('sri');
    const teacher = await open('teacher');
    const column = sri.board.addColumn('Propositions');
    const cardId = sri.board.addProposal(column, { title: 'Double diplôme Laval', createdBy: people.sri.id, fields: { actionType: 'double_degree' } });
    sri.board.setProposalStage(cardId, 'sri_review');
    sri.board.signOff(cardId, { gate: 'sri_review', department: 'sri', userId: people.sri.id, userName: 'sri', at: new Date().toISOString() });
    sri.board.setProposalStage(cardId, 'departmental_framing');
    await eventually(() => teacher.board.getProposal(cardId)?.stage === 'departmental_framing', 5_000, 'framing reaches the teacher');
    const key = signOffKey('departmental_framing', 'specialty_teachers');

    // The editor replays the teacher's next edit (a region set: one struct) in a replica that
    // speaks with the teacher's client id, then writes the sign-off after it.
    const teacherClient = teacher.doc.clientID;
    const teacherClock = Y.getState(teacher.doc.store, teacherClient);
    const editor = await open('editor');
    await eventually(() => editor.board.getProposal(cardId)?.stage === 'departmental_framing', 5_000, 'framing reaches the editor');
    const forgery = new Y.Doc();
    forgery.clientID = teacherClient;
    Y.applyUpdate(forgery, Y.encodeStateAsUpdate(editor.doc));
    new BoardDoc(forgery).cards.get(cardId)!.set('region', 'north_america');
    new BoardDoc(forgery).signOff(cardId, { gate: 'departmental_framing', department: 'specialty_teachers', userId: people.teacher!.id, userName: 'teacher', at: new Date().toISOString() });
    const stateVector = Y.decodeStateVector(Y.encodeStateVector(editor.doc));
    stateVector.set(teacherClient, teacherClock + 1);
    // Only the sign-off: it starts one struct after what the server has of the teacher.
    const forged = Y.encodeStateAsUpdate(forgery, Y.encodeStateVector(stateVector));

    const raw = new WebSocket(`${ctx.server.url.replace('http', 'ws')}/sync/${workflow.boardId}?token=${people.editor!.token}`);
    ctx.cleanups.push(() => raw.terminate());
    await new Promise((resolve) => raw.once('open', resolve));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 2);
    encoding.writeVarUint8Array(encoder, forged);
    raw.send(encoding.toUint8Array(encoder));
    await new Promise((resolve) => setTimeout(resolve, 200));

    // The teacher's own next edit: exactly the struct the forgery waited for.
    teacher.board.cards.get(cardId)!.set('region', 'north_america');
    await eventually(() => sri.board.getProposal(cardId)?.region === 'north_america', 5_000, "the teacher's edit reaches the SRI");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const onServer = new BoardDoc(ctx.server.sync.documentOf(workflow.boardId)!);
    expect(onServer.getProposal(cardId)!.signOffs.map((signOff) => `${signOff.gate}:${signOff.department}`)).not.toContain(key);
    expect(sri.board.getProposal(cardId)!.signOffs.map((signOff) => `${signOff.gate}:${signOff.department}`)).not.toContain(key);
    // Nothing is left waiting in the server's document either.
    expect(ctx.server.sync.documentOf(workflow.boardId)!.store.pendingStructs).toBeNull();
  });
});
