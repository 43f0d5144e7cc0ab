/**
 * Comments on a proposal's text through the API: anchored to words with Yjs relative positions,
 * they stay on those words while another person writes around them; replies, resolve and reopen,
 * mentions that notify; guests comment on shared sections only, viewers not at all.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ProposalComments, ProposalDoc, encodeAnchor, proposalDocName, proposalInternalDocName, resolveAnchor, type AppNotification } from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { proposalPerTest, writeSection } from '../helpers/proposals.js';
import { stockClient, syncUrlOf } from '../helpers/stock-client.js';
import { api, createMember, eventually, joinAsGuest, synced } from '../helpers/test-server.js';

const SENTENCE = 'Le projet développe la chimie verte avec Porto.';

describe('proposal comments', () => {
  const ctx = serverPerTest();
  const given = proposalPerTest(ctx, 'GREENPATH');
  let sectionId: string;
  let internalSectionId: string;

  /** Anchors on `words` in the section's French text, as an editor would from a selection. */
  const anchorOn = (words: string, name = proposalDocName(given.boardId, given.cardId), section = sectionId) =>
    ctx.server.sync.readDocument(name, (doc) => {
      const paragraph = new ProposalDoc(doc).text(section, 'fr')!.get(0) as Y.XmlElement;
      const text = paragraph.get(0) as Y.XmlText;
      const from = text.toString().indexOf(words);
      return {
        start: encodeAnchor(Y.createRelativePositionFromTypeIndex(text, from)),
        end: encodeAnchor(Y.createRelativePositionFromTypeIndex(text, from + words.length)),
        quote: words,
      };
    });

  const post = (path: string, body: unknown, as: { token: string } | { cookie: string } = { token: given.token }, headers: Record<string, string> = {}) =>
    api<{ id: string; mentions: { id: string; name: string }[]; error?: { details: { message: string }[] } }>(ctx.server.url, `/api/boards/${given.boardId}/proposals/${given.cardId}${path}`, {
      method: 'POST',
      ...as,
      headers: { origin: ctx.server.url, ...headers },
      body,
    });

  beforeEach(async () => {
    ({ sectionId } = await writeSection(ctx.server, proposalDocName(given.boardId, given.cardId), 0, { fr: [{ type: 'paragraph', runs: [{ text: SENTENCE }] }] }));
    ({ sectionId: internalSectionId } = await writeSection(ctx.server, proposalInternalDocName(given.boardId, given.cardId), 0, {
      fr: [{ type: 'paragraph', runs: [{ text: 'Budget confidentiel de 250 000 euros.' }] }],
    }));
  });

  it('keeps a comment on its words while another person writes before, inside and after them', async () => {
    const anchor = await anchorOn('chimie verte');
    const created = await post('/comments', { sectionId, language: 'fr', ...anchor, text: 'Préciser les procédés.' });
    expect(created.status).toBe(201);

    // A co-author edits the text around the words over a stock client.
    const doc = new Y.Doc();
    const { provider } = stockClient(syncUrlOf(ctx.server.url), proposalDocName(given.boardId, given.cardId), { params: { token: given.token }, doc });
    ctx.track(() => provider.destroy());
    await synced(provider);
    const text = (new ProposalDoc(doc).text(sectionId, 'fr')!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(0, 'En 2027, ');
    text.insert(text.toString().indexOf('verte'), 'très ');
    text.insert(text.toString().indexOf('avec Porto'), 'durable ');
    text.insert(text.length, ' Et Sherbrooke.');

    await eventually(
      () => ctx.server.sync.readDocument(proposalDocName(given.boardId, given.cardId), (server) => new ProposalDoc(server).text(sectionId, 'fr')!.toString().includes('Sherbrooke')),
      5000,
      'the edits at the server',
    );
    const words = await ctx.server.sync.readDocument(proposalDocName(given.boardId, given.cardId), (server) => {
      const [comment] = new ProposalComments(server).list(sectionId);
      const fragment = new ProposalDoc(server).text(sectionId, 'fr')!;
      const start = resolveAnchor(server, comment!.start, fragment)!;
      const end = resolveAnchor(server, comment!.end, fragment)!;
      return (start.type as Y.XmlText).toString().slice(start.index, end.index);
    });
    expect(words).toBe('chimie très verte');
    // The co-author's replica holds the same comment, synced like any change.
    await eventually(() => new ProposalComments(doc).list().length === 1, 5000, 'the comment at the co-author');
    const me = await api<{ id: string; name: string }>(ctx.server.url, '/api/auth/me', { token: given.token });
    expect(new ProposalComments(doc).list()[0]).toMatchObject({ quote: 'chimie verte', text: 'Préciser les procédés.', authorId: me.body.id, authorName: me.body.name });
  });

  it('takes replies, resolve and reopen, and notifies the members it mentions', async () => {
    const camille = await createMember(ctx.server.url, 'camille', ['research']);
    const created = await post('/comments', { sectionId, language: 'fr', ...(await anchorOn('Porto')), text: '@camille un avis ?', mentions: [camille.id, 'nobody-at-all'] });
    expect(created.status).toBe(201);
    expect(created.body.mentions).toEqual([{ id: camille.id, name: 'camille' }]);
    const notifications = await api<{ notifications: AppNotification[] }>(ctx.server.url, '/api/notifications', { token: camille.token });
    expect(notifications.body.notifications).toEqual([expect.objectContaining({ kind: 'mention', boardId: given.boardId, cardId: given.cardId, subject: 'GREENPATH', excerpt: '@camille un avis ?' })]);

    expect((await post(`/comments/${created.body.id}/replies`, { text: 'D’accord, je regarde.' }, { token: camille.token })).status).toBe(201);
    expect((await post(`/comments/${created.body.id}/resolve`, {}, { token: camille.token })).status).toBe(204);
    const read = () => ctx.server.sync.readDocument(proposalDocName(given.boardId, given.cardId), (doc) => new ProposalComments(doc).get(created.body.id)!);
    expect(await read()).toMatchObject({ resolvedBy: 'camille', replies: [expect.objectContaining({ authorName: 'camille', text: 'D’accord, je regarde.' })] });
    expect((await post(`/comments/${created.body.id}/reopen`, {})).status).toBe(204);
    expect(await read()).toMatchObject({ resolvedAt: null, resolvedBy: null });
  });

  it('refuses an anchor outside the section’s text in the caller’s language, and unknown sections, cards and comments', async () => {
    const elsewhere = await anchorOn('Budget', proposalInternalDocName(given.boardId, given.cardId), internalSectionId);
    const wrong = await post('/comments', { sectionId, language: 'fr', ...elsewhere, text: 'Hors sujet' }, { token: given.token }, { 'accept-language': 'fr' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error!.details[0]!.message).toBe('Le commentaire doit porter sur des mots du texte de la section dans cette langue.');
    const english = await post('/comments', { sectionId, language: 'en', ...(await anchorOn('Porto')), text: 'Wrong language' });
    expect(english.status).toBe(400);
    expect((await post('/comments', { sectionId, language: 'fr', start: 'not-base64!', end: 'x', text: 'Cassé' })).status).toBe(400);
    expect((await post('/comments', { sectionId: 'no-such-section', language: 'fr', ...(await anchorOn('Porto')), text: 'Perdu' })).status).toBe(404);
    expect((await post('/comments/AAAAAAAAAAAAAAAAAAAAA/replies', { text: 'Perdu' })).status).toBe(404);
    expect(await ctx.server.sync.readDocument(proposalDocName(given.boardId, given.cardId), (doc) => new ProposalComments(doc).list())).toEqual([]);
  });

  it('lets a guest commenter comment on a shared section, never an internal one, without mentions; a viewer not at all', async () => {
    const camille = await createMember(ctx.server.url, 'camille', ['research']);
    const commenter = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: given.token }, boardId: given.boardId, role: 'commenter', name: 'Ana Sousa' });
    const shared = await post('/comments', { sectionId, language: 'fr', ...(await anchorOn('Porto')), text: 'Notre laboratoire', mentions: [camille.id] }, { cookie: commenter.cookie });
    expect(shared.status).toBe(201);
    expect(shared.body.mentions).toEqual([]);
    const internalAnchor = await anchorOn('Budget', proposalInternalDocName(given.boardId, given.cardId), internalSectionId);
    expect((await post('/comments', { sectionId: internalSectionId, language: 'fr', ...internalAnchor, text: 'Curieux' }, { cookie: commenter.cookie })).status).toBe(404);
    // Resolving someone else's comment takes an editor; a commenter resolves their own.
    const members = await post('/comments', { sectionId, language: 'fr', ...(await anchorOn('chimie')), text: 'Interne au SRI' });
    expect((await post(`/comments/${members.body.id}/resolve`, {}, { cookie: commenter.cookie })).status).toBe(403);
    expect((await post(`/comments/${shared.body.id}/resolve`, {}, { cookie: commenter.cookie })).status).toBe(204);

    const viewer = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: given.token }, boardId: given.boardId, role: 'viewer', name: 'Rui Costa' });
    expect((await post('/comments', { sectionId, language: 'fr', ...(await anchorOn('Porto')), text: 'Moi aussi' }, { cookie: viewer.cookie })).status).toBe(403);
    const notifications = await api<{ notifications: AppNotification[] }>(ctx.server.url, '/api/notifications', { token: camille.token });
    expect(notifications.body.notifications).toEqual([]);
  });

  it('undoes comments a client writes, edits or removes over its sync connection: only the API writes them', async () => {
    const anchor = await anchorOn('chimie verte');
    const created = await post('/comments', { sectionId, language: 'fr', ...anchor, text: 'Préciser les procédés.' });
    expect(created.status).toBe(201);
    const name = proposalDocName(given.boardId, given.cardId);
    const doc = new Y.Doc();
    const { provider } = stockClient(syncUrlOf(ctx.server.url), name, { params: { token: given.token }, doc });
    ctx.track(() => provider.destroy());
    await synced(provider);
    const comments = doc.getMap('comments');
    doc.transact(() => {
      const forged = new Y.Map<unknown>();
      forged.set('sectionId', sectionId);
      forged.set('text', 'Validé par la directrice');
      forged.set('authorName', 'La directrice');
      comments.set('forged', forged);
      (comments.get(created.body.id) as Y.Map<unknown>).set('text', 'Texte remplacé');
    });
    await eventually(
      () => ctx.server.sync.readDocument(name, (stored) => !stored.getMap('comments').has('forged')),
      5_000,
      'the forged comment undone',
    );
    const stored = await ctx.server.sync.readDocument(name, (stored) => new ProposalComments(stored).list().map((comment) => comment.text));
    expect(stored).toEqual(['Préciser les procédés.']);
    // The writer's own copy is brought back too.
    await eventually(() => !comments.has('forged') && (comments.get(created.body.id) as Y.Map<unknown>).get('text') === 'Préciser les procédés.', 5_000, 'the client corrected');

    doc.transact(() => comments.delete(created.body.id));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await ctx.server.sync.readDocument(name, (stored) => new ProposalComments(stored).list().length)).toBe(1);
  });
});
