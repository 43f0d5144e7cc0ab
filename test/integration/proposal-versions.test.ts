/**
 * A proposal's version history against a real server (port 0, real SQLite, stock y-websocket
 * clients): named versions of both of a proposal's documents, listed with their name and author;
 * a version read as it was while the text moved on; a restore that brings both documents back and
 * reaches a connected editor live, in place, and is recorded in the board's history; a word-level
 * comparison of a section; partner guests kept to the shared sections and away from restores; roles
 * and outsiders; the board's caps on versions; and two built processes on Redis, one naming a
 * version and the other restoring it for an editor connected to the first.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BoardDoc,
  ProposalDoc,
  plainText,
  proposalDocName,
  proposalInternalDocName,
  writeRichText,
  type HistoryEntry,
  type Me,
  type ProposalRestoreResult,
  type ProposalVersionComparison,
  type ProposalVersionSummary,
  type ProposalVersionView,
  type VersionSummary,
} from '@passerelle/shared';
import { adminWithBoardPerTest, redisPairPerTest, serverPerTest } from '../helpers/per-test.js';
import { TEST_ACTOR, addCard, proposalPerTest } from '../helpers/proposals.js';
import { api, connectClient, createMember, eventually, joinAsGuest, synced } from '../helpers/test-server.js';

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

const paragraph = (text: string) => [{ type: 'paragraph' as const, runs: [{ text }] }];

describe('a proposal’s version history', () => {
  const ctx = serverPerTest();
  const given = proposalPerTest(ctx, 'Double diplôme avec Porto');

  /** Calls the API as someone (an API token or a session cookie), from the server's origin. */
  const call = <T>(who: { token: string } | { cookie: string }, path: string, init: { method?: string; body?: unknown; language?: string } = {}) =>
    api<T>(ctx.server.url, path, { method: init.method, body: init.body, ...who, headers: { origin: ctx.server.url, 'accept-language': init.language ?? 'en' } });
  const admin = () => ({ token: given.token });
  const versionsPath = (cardId = given.cardId) => `/api/boards/${given.boardId}/proposals/${cardId}/versions`;
  const shared = () => proposalDocName(given.boardId, given.cardId);
  const internal = () => proposalInternalDocName(given.boardId, given.cardId);

  /** Replaces one language of a section's text by one paragraph, as the server's edit. */
  function setText(name: string, sectionId: string, language: 'fr' | 'en', text: string): Promise<void> {
    return ctx.server.sync.editDocument(
      name,
      (doc) => {
        const fragment = new ProposalDoc(doc).text(sectionId, language)!;
        fragment.delete(0, fragment.length);
        writeRichText(fragment, paragraph(text));
      },
      TEST_ACTOR,
    );
  }

  /** The first shared and the first internal section, with a text in each (French). */
  async function writeBoth(sharedText: string, internalText: string): Promise<{ sharedId: string; internalId: string }> {
    const sharedId = await ctx.server.sync.readDocument(shared(), (doc) => new ProposalDoc(doc).list()[0]!.id);
    const internalId = await ctx.server.sync.readDocument(internal(), (doc) => new ProposalDoc(doc).list()[0]!.id);
    await setText(shared(), sharedId, 'fr', sharedText);
    await setText(internal(), internalId, 'fr', internalText);
    return { sharedId, internalId };
  }

  const name = (who: { token: string } | { cookie: string }, versionName: string, language?: string) =>
    call<ProposalVersionSummary & ErrorBody>(who, versionsPath(), { method: 'POST', body: { name: versionName }, language });
  const list = async (who: { token: string } | { cookie: string } = admin()) => (await call<{ versions: ProposalVersionSummary[] }>(who, versionsPath())).body.versions;

  /** A stock y-websocket client of one of the proposal's documents, synced. */
  async function client(documentName: string, token = given.token): Promise<ProposalDoc> {
    const { doc, provider } = connectClient(ctx.server.url, documentName, token);
    ctx.track(() => provider.destroy());
    await synced(provider);
    return new ProposalDoc(doc);
  }

  /** A member of the workspace with `role` on the board (workspace access none: only their own role opens it). */
  async function memberWithRole(key: string, role: 'viewer' | 'editor' | null): Promise<{ id: string; token: string }> {
    const member = await createMember(ctx.server.url, key, ['research']);
    expect((await call(admin(), `/api/boards/${given.boardId}/sharing`, { method: 'PATCH', body: { workspaceAccess: 'none' } })).status).toBeLessThan(300);
    if (role) expect((await call(admin(), `/api/boards/${given.boardId}/members/${member.id}`, { method: 'PUT', body: { role } })).status).toBeLessThan(300);
    return member;
  }

  it('names versions of the proposal, listed newest first with their name and who named them; a blank or too long name is refused in the caller’s language', async () => {
    const { sharedId } = await writeBoth('Nous proposons un échange de deux semestres.', 'Budget : 12 000 euros.');
    const me = (await call<Me>(admin(), '/api/auth/me')).body;

    const first = await name(admin(), '  Envoyée aux partenaires  ');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'named', name: 'Envoyée aux partenaires', boardId: given.boardId, cardId: given.cardId, createdBy: { id: me.id, name: me.name } });
    await setText(shared(), sharedId, 'fr', 'Autre texte.');
    const second = await name(admin(), 'Déposée à l’agence');
    expect(second.status).toBe(201);

    const listed = await list();
    expect(listed.map((version) => version.name)).toEqual(['Déposée à l’agence', 'Envoyée aux partenaires']);
    expect(listed.every((version) => version.createdBy?.id === me.id && version.cardId === given.cardId)).toBe(true);
    // The board's own history does not list them, nor serve them.
    const boardVersions = await call<{ versions: VersionSummary[] }>(admin(), `/api/boards/${given.boardId}/versions`);
    expect(boardVersions.body.versions.map((version) => version.id)).not.toContain(first.body.id);
    expect((await call(admin(), `/api/boards/${given.boardId}/versions/${first.body.id}`)).status).toBe(404);

    const blank = await name(admin(), '   ', 'fr');
    expect(blank.status).toBe(400);
    expect(blank.body.error.code).toBe('invalid_request');
    expect(blank.body.error.details).toEqual([{ path: 'name', message: 'Donnez un nom à la version.' }]);
    const long = await name(admin(), 'x'.repeat(121));
    expect(long.status).toBe(400);
    expect(long.body.error.details).toEqual([{ path: 'name', message: 'A version’s name has at most 120 characters.' }]);
    expect((await name(admin(), 'x'.repeat(120))).status).toBe(201);
    expect(await list()).toHaveLength(3);
  });

  it('shows a version read only as it was, shared and internal sections with their rich text, while the proposal has moved on', async () => {
    const { sharedId, internalId } = await writeBoth('Nous proposons un échange de deux semestres.', 'Budget : 12 000 euros.');
    await ctx.server.sync.editDocument(shared(), (doc) => new ProposalDoc(doc).setStatus(sharedId, 'in_review'), TEST_ACTOR);
    const version = (await name(admin(), 'Envoyée aux partenaires')).body;
    await writeBoth('Un tout autre texte.', 'Budget : 20 000 euros.');
    await ctx.server.sync.editDocument(shared(), (doc) => new ProposalDoc(doc).setStatus(sharedId, 'done'), TEST_ACTOR);

    const view = await call<ProposalVersionView>(admin(), `${versionsPath()}/${version.id}`);
    expect(view.status).toBe(200);
    expect(view.body.version).toMatchObject({ id: version.id, name: 'Envoyée aux partenaires', cardId: given.cardId });
    expect(view.body.title).toBe('Double diplôme avec Porto');
    const sharedSection = view.body.sections.find((section) => section.id === sharedId)!;
    expect(sharedSection).toMatchObject({ internal: false, status: 'in_review', texts: { fr: paragraph('Nous proposons un échange de deux semestres.'), en: [] } });
    expect(sharedSection.title.fr).not.toBe('');
    const internalSection = view.body.sections.find((section) => section.id === internalId)!;
    expect(internalSection).toMatchObject({ internal: true, texts: { fr: paragraph('Budget : 12 000 euros.') } });
    // In the template's order, shared and internal sections interleaved as the template has them.
    const orders = view.body.sections.map((section) => section.order);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));

    expect((await call(admin(), `${versionsPath()}/unknownversion1`)).status).toBe(404);
    // A version is its own proposal's: under another proposal of the board, not found.
    const otherCard = await addCard(ctx.server, given.boardId, 'Semestre à Lisbonne');
    expect((await call(admin(), `${versionsPath(otherCard)}/${version.id}`)).status).toBe(404);
    expect((await call<{ versions: unknown[] }>(admin(), versionsPath(otherCard))).body.versions).toEqual([]);
  });

  it('restores both documents for a connected editor, in place and live, keeps the state before as a version, and records who restored', async () => {
    const { sharedId, internalId } = await writeBoth('Nous proposons un échange de deux semestres.', 'Budget : 12 000 euros.');
    const version = (await name(admin(), 'Envoyée aux partenaires')).body;
    await writeBoth('Texte réécrit après l’envoi.', 'Budget : 20 000 euros.');
    await ctx.server.sync.editDocument(shared(), (doc) => new ProposalDoc(doc).setStatus(sharedId, 'done'), TEST_ACTOR);

    const editor = await memberWithRole('camille', 'editor');
    const sharedClient = await client(shared(), editor.token);
    const internalClient = await client(internal(), editor.token);
    const boundFragment = sharedClient.text(sharedId, 'fr')!;
    expect(plainText(boundFragment)).toBe('Texte réécrit après l’envoi.');

    const restored = await call<ProposalRestoreResult>(admin(), `${versionsPath()}/${version.id}/restore`, { method: 'POST' });
    expect(restored.status).toBe(200);
    expect(restored.body.restored.id).toBe(version.id);
    expect(restored.body.before).toMatchObject({ kind: 'auto', cardId: given.cardId });

    await eventually(() => plainText(sharedClient.text(sharedId, 'fr')!) === 'Nous proposons un échange de deux semestres.', 5000, 'the shared text restored at the client');
    await eventually(() => plainText(internalClient.text(internalId, 'fr')!) === 'Budget : 12 000 euros.', 5000, 'the internal text restored at the client');
    await eventually(() => sharedClient.section(sharedId)?.status === 'to_write', 5000, 'the section’s status restored');
    // The text the editor is bound to is the one that changed: an editor on it sees the restore as an edit.
    expect(sharedClient.text(sharedId, 'fr')).toBe(boundFragment);
    // The server stamps the restored texts with the person who restored them.
    const me = (await call<Me>(admin(), '/api/auth/me')).body;
    expect(sharedClient.lastEdit(sharedId, 'fr')).toMatchObject({ userId: me.id });

    // The state before is a version of its own: the restore can be undone.
    const before = await call<ProposalVersionView>(admin(), `${versionsPath()}/${restored.body.before!.id}`);
    expect(before.body.sections.find((section) => section.id === sharedId)!.texts.fr).toEqual(paragraph('Texte réécrit après l’envoi.'));
    expect(before.body.sections.find((section) => section.id === internalId)!.texts.fr).toEqual(paragraph('Budget : 20 000 euros.'));
    expect((await list()).map((summary) => summary.kind)).toEqual(['auto', 'named']);

    const history = await call<{ entries: HistoryEntry[] }>(admin(), `/api/boards/${given.boardId}/history?cardId=${given.cardId}`);
    expect(history.body.entries).toContainEqual(expect.objectContaining({ actorId: me.id, cardId: given.cardId, action: 'updated', fields: ['proposalText'], subject: 'Double diplôme avec Porto' }));

    // After the restore, the editor's own edits go on as usual.
    sharedClient.doc.transact(() => {
      const text = (sharedClient.text(sharedId, 'fr')!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(0, 'Enfin : ');
    });
    await eventually(
      () => ctx.server.sync.readDocument(shared(), (doc) => plainText(new ProposalDoc(doc).text(sharedId, 'fr')!) === 'Enfin : Nous proposons un échange de deux semestres.'),
      5000,
      'the editor’s edit after the restore',
    );
  });

  it('compares a section word by word between two versions, or a version and now', async () => {
    const { sharedId } = await writeBoth('Nous proposons un échange de deux semestres.', 'Budget : 12 000 euros.');
    const sent = (await name(admin(), 'Envoyée aux partenaires')).body;
    await setText(shared(), sharedId, 'fr', 'Nous proposons un échange de trois semestres avec Porto.');
    const submitted = (await name(admin(), 'Déposée à l’agence')).body;
    await setText(shared(), sharedId, 'fr', 'Nous proposons un stage de trois semestres avec Porto.');

    const compare = (from: string, to: string, sectionId = sharedId, lang = 'fr', language = 'en') =>
      call<ProposalVersionComparison & ErrorBody>(admin(), `${versionsPath()}/compare?from=${from}&to=${to}&sectionId=${sectionId}&lang=${lang}`, { language });
    const marked = (comparison: ProposalVersionComparison, kind: 'added' | 'removed') =>
      comparison.changes.filter((change) => change.kind === kind).map((change) => change.text.trim()).filter(Boolean);

    const versions = await compare(sent.id, submitted.id);
    expect(versions.status).toBe(200);
    expect(versions.body).toMatchObject({ sectionId: sharedId, language: 'fr', from: { id: sent.id }, to: { id: submitted.id } });
    expect(marked(versions.body, 'removed')).toEqual(['deux']);
    expect(marked(versions.body, 'added').join(' ')).toBe('trois avec Porto');
    expect(versions.body.changes.map((change) => (change.kind === 'removed' ? '' : change.text)).join('')).toBe('Nous proposons un échange de trois semestres avec Porto.');

    const againstNow = await compare(submitted.id, 'current');
    expect(againstNow.body.to).toBeNull();
    expect(marked(againstNow.body, 'removed')).toEqual(['échange']);
    expect(marked(againstNow.body, 'added')).toEqual(['stage']);

    const same = await compare('current', 'current');
    expect(same.body.changes.every((change) => change.kind === 'same')).toBe(true);
    // The English text was never written: nothing to mark.
    expect((await compare(sent.id, 'current', sharedId, 'en')).body.changes.filter((change) => change.kind !== 'same')).toEqual([]);

    const badLanguage = await compare(sent.id, 'current', sharedId, 'de', 'fr');
    expect(badLanguage.status).toBe(400);
    expect(badLanguage.body.error.details).toEqual([{ path: 'lang', message: 'Choisissez la langue à comparer : fr ou en.' }]);
    expect((await compare('not a version', 'current')).status).toBe(400);
    expect((await compare('unknownversion1', 'current')).status).toBe(404);
    expect((await compare(sent.id, 'current', 'no-such-section')).status).toBe(404);
  });

  it('gives partner guests the shared sections only, never an internal one, and no restore nor deletion', async () => {
    const { sharedId, internalId } = await writeBoth('Nous proposons un échange de deux semestres.', 'Budget confidentiel : 12 000 euros.');
    const version = (await name(admin(), 'Envoyée aux partenaires')).body;
    await setText(internal(), internalId, 'fr', 'Budget confidentiel : 20 000 euros.');
    const internalTitles = await ctx.server.sync.readDocument(internal(), (doc) => new ProposalDoc(doc).list().map((section) => section.title.fr));

    const viewer = await joinAsGuest({ serverUrl: ctx.server.url, as: admin(), boardId: given.boardId, role: 'viewer' });
    const editor = await joinAsGuest({ serverUrl: ctx.server.url, as: admin(), boardId: given.boardId, role: 'editor', name: 'João Silva' });
    const guestViewer = { cookie: viewer.cookie };
    const guestEditor = { cookie: editor.cookie };

    expect((await list(guestViewer)).map((summary) => summary.id)).toEqual([version.id]);
    const view = await call<ProposalVersionView>(guestViewer, `${versionsPath()}/${version.id}`);
    expect(view.status).toBe(200);
    expect(view.body.sections.length).toBeGreaterThan(0);
    expect(view.body.sections.every((section) => !section.internal)).toBe(true);
    expect(view.body.sections.map((section) => section.id)).toContain(sharedId);
    expect(view.body.sections.map((section) => section.id)).not.toContain(internalId);
    const served = JSON.stringify(view.body);
    expect(served).not.toContain('confidentiel');
    for (const title of internalTitles) expect(served).not.toContain(title);
    // Members get the internal sections in the same view.
    expect((await call<ProposalVersionView>(admin(), `${versionsPath()}/${version.id}`)).body.sections.map((section) => section.id)).toContain(internalId);

    const compare = (who: { cookie: string } | { token: string }, sectionId: string) =>
      call<ProposalVersionComparison>(who, `${versionsPath()}/compare?from=${version.id}&to=current&sectionId=${sectionId}&lang=fr`);
    expect((await compare(guestViewer, internalId)).status).toBe(404);
    expect((await compare(guestViewer, sharedId)).status).toBe(200);
    expect((await compare(admin(), internalId)).body.changes.filter((change) => change.kind === 'added').map((change) => change.text.trim())).toEqual(['20']);

    for (const guest of [guestViewer, guestEditor]) {
      expect((await call(guest, `${versionsPath()}/${version.id}/restore`, { method: 'POST' })).status).toBe(403);
      expect((await call(guest, `${versionsPath()}/${version.id}`, { method: 'DELETE' })).status).toBe(403);
    }
    // A guest viewer names nothing; a guest editor, who writes the shared text, may mark a milestone.
    expect((await name(guestViewer, 'Lue par Porto')).status).toBe(403);
    const byGuest = await name(guestEditor, 'Relue par Porto');
    expect(byGuest.status).toBe(201);
    expect(byGuest.body.createdBy?.name).toBe('João Silva');
    expect((await list()).map((summary) => summary.name)).toEqual(['Relue par Porto', 'Envoyée aux partenaires']);
    expect(await internalTextOf(internalId)).toBe('Budget confidentiel : 20 000 euros.');

    // A guest of another board learns nothing of this one.
    const otherBoard = await api<{ id: string }>(ctx.server.url, '/api/boards', { method: 'POST', body: { title: 'Autre' }, token: given.token, headers: { origin: ctx.server.url } });
    const stranger = await joinAsGuest({ serverUrl: ctx.server.url, as: admin(), boardId: otherBoard.body.id, role: 'editor' });
    expect((await call({ cookie: stranger.cookie }, versionsPath())).status).toBe(404);
    expect((await call({ cookie: stranger.cookie }, `${versionsPath()}/${version.id}`)).status).toBe(404);
  });

  async function internalTextOf(sectionId: string): Promise<string> {
    return ctx.server.sync.readDocument(internal(), (doc) => plainText(new ProposalDoc(doc).text(sectionId, 'fr')!));
  }

  it('lets viewers read but not name, restore or delete; editors delete; outsiders and cards that are no proposals get 404', async () => {
    await writeBoth('Texte.', 'Budget.');
    const version = (await name(admin(), 'Envoyée aux partenaires')).body;
    const viewer = await memberWithRole('vera', 'viewer');
    const outsider = await memberWithRole('otto', null);
    const editor = await memberWithRole('eddy', 'editor');
    const as = (member: { token: string }) => ({ token: member.token });

    expect(await list(as(viewer))).toHaveLength(1);
    expect((await call(as(viewer), `${versionsPath()}/${version.id}`)).status).toBe(200);
    expect((await name(as(viewer), 'Mienne')).status).toBe(403);
    expect((await call(as(viewer), `${versionsPath()}/${version.id}/restore`, { method: 'POST' })).status).toBe(403);
    expect((await call(as(viewer), `${versionsPath()}/${version.id}`, { method: 'DELETE' })).status).toBe(403);

    for (const path of [versionsPath(), `${versionsPath()}/${version.id}`, `${versionsPath()}/compare?from=current&to=current&sectionId=x&lang=fr`]) {
      expect((await call(as(outsider), path)).status).toBe(404);
    }
    expect((await name(as(outsider), 'Mienne')).status).toBe(404);
    expect((await call(as(outsider), `${versionsPath()}/${version.id}/restore`, { method: 'POST' })).status).toBe(404);

    const note = await addCard(ctx.server, given.boardId, 'Idée de visite', null);
    expect((await call(admin(), versionsPath(note))).status).toBe(404);
    expect((await call(admin(), versionsPath(note), { method: 'POST', body: { name: 'Note' } })).status).toBe(404);
    expect((await name(admin(), 'Après relecture')).status).toBe(201);

    expect((await call(as(editor), `${versionsPath()}/${version.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(as(editor), `${versionsPath()}/${version.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await list()).map((summary) => summary.name)).toEqual(['Après relecture']);
  });
});

describe('a proposal’s versions within the board’s caps', () => {
  const ctx = serverPerTest({ versionLimits: { maxNamedPerBoard: 2 } });
  const given = proposalPerTest(ctx, 'Semestre à Porto');

  it('counts the proposal’s named versions with the board’s, and refuses one too many in the caller’s language until one is deleted', async () => {
    const call = <T>(path: string, init: { method?: string; body?: unknown } = {}) =>
      api<T>(ctx.server.url, path, { ...init, token: given.token, headers: { origin: ctx.server.url, 'accept-language': 'fr' } });
    const proposalVersions = `/api/boards/${given.boardId}/proposals/${given.cardId}/versions`;
    expect((await call(`/api/boards/${given.boardId}/versions`, { method: 'POST', body: { name: 'Comité' } })).status).toBe(201);
    const first = await call<ProposalVersionSummary>(proposalVersions, { method: 'POST', body: { name: 'Envoyée aux partenaires' } });
    expect(first.status).toBe(201);

    const refused = await call<ErrorBody>(proposalVersions, { method: 'POST', body: { name: 'Déposée à l’agence' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('version_limit');
    expect(refused.body.error.details![0]!.message).toBe('Un tableau et ses propositions gardent au plus 2 versions nommées à eux tous.');
    expect((await call(`/api/boards/${given.boardId}/versions`, { method: 'POST', body: { name: 'Comité 2' } })).status).toBe(409);

    expect((await call(`${proposalVersions}/${first.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(proposalVersions, { method: 'POST', body: { name: 'Déposée à l’agence' } })).status).toBe(201);
  });
});

describe('a proposal’s versions with two processes on Redis', () => {
  const ctx = redisPairPerTest({ keyPrefix: 'proposal-versions:' });
  const setup = adminWithBoardPerTest(() => ctx.first.url, 'Partenariat Porto');

  it('a version named through one process is restored through the other, and an editor connected to the first sees it', async () => {
    const token = (await setup.asAdmin<{ token: string }>('/api/tokens', { method: 'POST', body: { name: 'tests' } })).body.token;
    const open = async (name: string) => {
      const { doc, provider } = connectClient(ctx.first.url, name, token);
      ctx.track(() => provider.destroy());
      await synced(provider);
      return doc;
    };
    const board = new BoardDoc(await open(setup.boardId));
    const cardId = board.addCard(board.addColumn('Projets'), { title: 'Double diplôme', createdBy: 'admin' });
    board.doc.transact(() => {
      board.convertToProposal(cardId);
      board.updateProposal(cardId, { actionType: 'strategic_partnership' });
    });
    await eventually(async () => (await setup.asAdmin(`/api/boards/${setup.boardId}/proposals/${cardId}/versions`)).status === 200, 5000, 'the proposal card on the server');
    const proposal = new ProposalDoc(await open(proposalDocName(setup.boardId, cardId)));
    await eventually(() => proposal.list().length > 0, 5000, 'the sections');
    const sectionId = proposal.list()[0]!.id;
    const write = (text: string) =>
      proposal.doc.transact(() => {
        const fragment = proposal.text(sectionId, 'fr')!;
        fragment.delete(0, fragment.length);
        writeRichText(fragment, paragraph(text));
      });
    const versions = `/api/boards/${setup.boardId}/proposals/${cardId}/versions`;
    const on = <T>(url: string, path: string, method = 'GET', body?: unknown) => api<T>(url, path, { method, body, cookie: setup.adminCookie, headers: { origin: url } });
    const readOnFirst = async () => (await on<ProposalVersionComparison>(ctx.first.url, `${versions}/compare?from=current&to=current&sectionId=${sectionId}&lang=fr`)).body.changes.map((change) => change.text).join('');

    write('Nous proposons un échange de deux semestres.');
    await eventually(async () => (await readOnFirst()) === 'Nous proposons un échange de deux semestres.', 5000, 'the text stored');
    const named = await on<ProposalVersionSummary>(ctx.first.url, versions, 'POST', { name: 'Envoyée aux partenaires' });
    expect(named.status).toBe(201);
    write('Un texte réécrit ensuite.');
    await eventually(async () => (await readOnFirst()) === 'Un texte réécrit ensuite.', 5000, 'the new text stored');

    const restored = await on<ProposalRestoreResult>(ctx.second.url, `${versions}/${named.body.id}/restore`, 'POST');
    expect(restored.status).toBe(200);
    await eventually(() => plainText(proposal.text(sectionId, 'fr')!) === 'Nous proposons un échange de deux semestres.', 5000, 'the restore at the editor on the first process');
    const listed = await on<{ versions: ProposalVersionSummary[] }>(ctx.first.url, versions);
    expect(listed.body.versions.map((version) => version.kind)).toEqual(['auto', 'named']);
    const before = await on<ProposalVersionView>(ctx.second.url, `${versions}/${restored.body.before!.id}`);
    expect(before.body.sections.find((section) => section.id === sectionId)!.texts.fr).toEqual(paragraph('Un texte réécrit ensuite.'));
  });
});
