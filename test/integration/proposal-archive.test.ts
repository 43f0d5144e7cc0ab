/**
 * Proposals in the workspace archive, through real servers (port 0, real SQLite): an export holds
 * each proposal card's shared and internal documents with their named versions; importing it into a
 * fresh server restores them, so that the proposal opens with the same text, its versions are listed
 * and viewable, and a second export holds exactly the same states. An archive written before
 * proposals were archived still imports. Archives stay the administrators' only: a partner guest or
 * a board's viewer can neither export nor import one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ProposalDoc,
  plainText,
  writeRichText,
  proposalDocName,
  proposalInternalDocName,
  type ImportResult,
  type ProposalVersionSummary,
  type ProposalVersionView,
  type WorkspaceArchive,
} from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import { TEST_ACTOR, addCard } from '../helpers/proposals.js';
import { api, createBoard, createMember, joinAsGuest, login, startTestServer, tempDataDir } from '../helpers/test-server.js';

const paragraph = (text: string) => [{ type: 'paragraph' as const, runs: [{ text }] }];
const decode = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

/** Every section's French text of a proposal document's state, by section id. */
function texts(state: Uint8Array): Record<string, string> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const proposal = new ProposalDoc(doc);
  return Object.fromEntries(proposal.list().map((section) => [section.id, plainText(proposal.text(section.id, 'fr')!)]));
}

/** Replaces the French text of a proposal document's first section, as the server's own edit. */
function rewrite(server: PasserelleServer, documentName: string, text: string): Promise<void> {
  return server.sync.editDocument(
    documentName,
    (doc) => {
      const proposal = new ProposalDoc(doc);
      const fragment = proposal.text(proposal.list()[0]!.id, 'fr')!;
      fragment.delete(0, fragment.length);
      writeRichText(fragment, paragraph(text));
    },
    TEST_ACTOR,
  );
}

/** Exports the workspace as an administrator. */
async function exportWorkspace(server: PasserelleServer, cookie: string): Promise<WorkspaceArchive> {
  const response = await fetch(`${server.url}/api/export`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return (await response.json()) as WorkspaceArchive;
}

/** Imports an archive as an administrator; resolves with the response. */
function importWorkspace(server: PasserelleServer, cookie: string, archive: unknown): Promise<Response> {
  return fetch(`${server.url}/api/import`, {
    method: 'POST',
    headers: { cookie, origin: server.url, 'content-type': 'application/vnd.passerelle.archive+json' },
    body: JSON.stringify(archive),
  });
}

describe('proposals in the workspace archive', () => {
  const sourceData = tempDataDir();
  const targetData = tempDataDir();
  const legacyData = tempDataDir();
  let source: PasserelleServer;
  let target: PasserelleServer | undefined;
  let legacy: PasserelleServer | undefined;
  let adminCookie: string;
  let adminToken: string;
  let boardId: string;
  let cardId: string;
  let archive: WorkspaceArchive;

  beforeAll(async () => {
    source = await startTestServer({ dataDir: sourceData.dir });
    adminCookie = await login(source.url);
    adminToken = (await api<{ token: string }>(source.url, '/api/tokens', { method: 'POST', body: { name: 'tests' }, cookie: adminCookie, headers: { origin: source.url } })).body.token;
    boardId = await createBoard(source.url, adminToken, 'Partenariat Porto');
    cardId = await addCard(source, boardId, 'Alliance verte');
    await rewrite(source, proposalDocName(boardId, cardId), 'La chimie verte réunit trois écoles.');
    await rewrite(source, proposalInternalDocName(boardId, cardId), 'Budget : 400 000 euros.');
    const named = await api<ProposalVersionSummary>(source.url, `/api/boards/${boardId}/proposals/${cardId}/versions`, { method: 'POST', body: { name: 'Envoyé aux partenaires' }, token: adminToken });
    expect(named.status).toBe(201);
    // The proposal moves on after its named version.
    await rewrite(source, proposalDocName(boardId, cardId), 'La chimie verte réunit quatre écoles.');
    await rewrite(source, proposalInternalDocName(boardId, cardId), 'Budget : 450 000 euros.');
  });

  afterAll(async () => {
    await Promise.all([source?.close(), target?.close(), legacy?.close()]);
    for (const data of [sourceData, targetData, legacyData]) data.remove();
  });

  it('exports each proposal’s shared and internal documents with their named versions', async () => {
    archive = await exportWorkspace(source, adminCookie);
    const board = archive.boards.find((candidate) => candidate.summary.id === boardId)!;
    expect(board.proposals.map((proposal) => proposal.cardId)).toEqual([cardId]);
    const [proposal] = board.proposals;
    expect(Object.values(texts(decode(proposal!.shared)))).toContain('La chimie verte réunit quatre écoles.');
    expect(Object.values(texts(decode(proposal!.internal)))).toContain('Budget : 450 000 euros.');
    const named = proposal!.versions.find((version) => version.name === 'Envoyé aux partenaires')!;
    expect(named.kind).toBe('named');
    expect(Object.values(texts(decode(named.board)))).toContain('La chimie verte réunit trois écoles.');
    expect(Object.values(texts(decode(named.internal)))).toContain('Budget : 400 000 euros.');
    // The board's own versions stay apart from the proposal's.
    expect(board.versions.map((version) => version.id)).not.toContain(named.id);
  });

  it('restores the proposals and their versions into a fresh server, and a second export holds the same states', async () => {
    target = await startTestServer({ dataDir: targetData.dir });
    const cookie = await login(target.url);
    const response = await importWorkspace(target, cookie, archive);
    expect(response.status).toBe(201);
    const source = archive.boards.find((candidate) => candidate.summary.id === boardId)!.proposals[0]!;
    expect(((await response.json()) as ImportResult).versions).toBeGreaterThanOrEqual(source.versions.length);

    const token = (await api<{ token: string }>(target.url, '/api/tokens', { method: 'POST', body: { name: 'tests' }, cookie, headers: { origin: target.url } })).body.token;
    // The proposal opens with its text, shared and internal.
    const opened = await target.sync.readDocument(proposalDocName(boardId, cardId), (doc) => Object.values(texts(Y.encodeStateAsUpdate(doc))));
    expect(opened).toContain('La chimie verte réunit quatre écoles.');
    const internal = await target.sync.readDocument(proposalInternalDocName(boardId, cardId), (doc) => Object.values(texts(Y.encodeStateAsUpdate(doc))));
    expect(internal).toContain('Budget : 450 000 euros.');
    // Its named version is listed and shows the text it named.
    const listed = await api<{ versions: ProposalVersionSummary[] }>(target.url, `/api/boards/${boardId}/proposals/${cardId}/versions`, { token });
    const named = listed.body.versions.find((version) => version.name === 'Envoyé aux partenaires')!;
    expect(named).toBeDefined();
    const view = await api<ProposalVersionView>(target.url, `/api/boards/${boardId}/proposals/${cardId}/versions/${named.id}`, { token });
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.body.sections)).toContain('La chimie verte réunit trois écoles.');
    expect(JSON.stringify(view.body.sections)).toContain('Budget : 400 000 euros.');

    const again = await exportWorkspace(target, cookie);
    const copy = again.boards.find((candidate) => candidate.summary.id === boardId)!.proposals;
    expect(copy.map(({ cardId: id, shared, internal: internalState }) => ({ id, shared, internalState }))).toEqual([{ id: cardId, shared: source.shared, internalState: source.internal }]);
    const withoutPeople = (versions: WorkspaceArchive['boards'][number]['versions']) => versions.map(({ createdBy: _c, editors: _e, ...rest }) => rest);
    expect(withoutPeople(copy[0]!.versions)).toEqual(withoutPeople(source.versions));
  });

  it('still imports an archive written before proposals were archived', async () => {
    legacy = await startTestServer({ dataDir: legacyData.dir });
    const cookie = await login(legacy.url);
    const older = { ...archive, boards: archive.boards.map(({ proposals: _proposals, ...board }) => board) };
    expect((await importWorkspace(legacy, cookie, older)).status).toBe(201);
    expect((await exportWorkspace(legacy, cookie)).boards.flatMap((board) => board.proposals)).toEqual([]);
  });

  it('keeps archives from a partner guest and from a board’s viewer', async () => {
    const guest = await joinAsGuest({ serverUrl: source.url, as: { token: adminToken }, boardId, role: 'editor' });
    expect((await api(source.url, '/api/export', { cookie: guest.cookie })).status).toBe(403);
    expect((await api(source.url, '/api/import', { method: 'POST', cookie: guest.cookie, headers: { origin: source.url }, body: archive })).status).toBe(403);
    const viewer = await createMember(source.url, 'vera', ['sri']);
    expect((await api(source.url, `/api/boards/${boardId}/members/${viewer.id}`, { method: 'PUT', body: { role: 'viewer' }, token: adminToken })).status).toBeLessThan(300);
    expect((await api(source.url, '/api/export', { token: viewer.token })).status).toBe(403);
    expect((await api(source.url, '/api/import', { method: 'POST', token: viewer.token, body: archive })).status).toBe(403);
  });
});
