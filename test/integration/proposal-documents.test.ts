/**
 * A proposal's text as synced documents (`/sync/<boardId>/proposal/<cardId>` and `/internal`):
 * created from the card's programme template on first load, shared sections to the board's members
 * and guests, internal sections to members only, refused for cards that are not proposals, written
 * by two stock y-websocket clients at once, and deleted with their board.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode, ProposalDoc, plainText, proposalDocName, proposalInternalDocName } from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { addCard, proposalPerTest } from '../helpers/proposals.js';
import { admittedSync, cookieClient } from '../helpers/sync-client.js';
import { api, createMember, eventually, joinAsGuest, login, rawSocket, synced } from '../helpers/test-server.js';
import { stockClient, syncUrlOf } from '../helpers/stock-client.js';
import { encodeUpdateMessage } from '../../server/src/sync/protocol.js';

describe('proposal documents', () => {
  const ctx = serverPerTest();
  const given = proposalPerTest(ctx, 'Green chemistry cooperation partnership');
  let noteId: string;

  /** A stock client of a document by API token, synced. */
  async function open(name: string, as = given.token): Promise<{ doc: Y.Doc; proposal: ProposalDoc; destroy: () => void }> {
    const doc = new Y.Doc();
    const { provider } = stockClient(syncUrlOf(ctx.server.url), name, { params: { token: as }, doc });
    ctx.track(() => provider.destroy());
    await synced(provider);
    return { doc, proposal: new ProposalDoc(doc), destroy: () => provider.destroy() };
  }

  /** The names of the documents stored in the server's database. */
  function storedDocuments(): string[] {
    const db = new Database(join(ctx.dataDir, 'passerelle.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT doc FROM doc_updates UNION SELECT doc FROM doc_snapshots').all() as { doc: string }[];
      return rows.map((row) => row.doc);
    } finally {
      db.close();
    }
  }

  const syncUrl = (name: string, query = '') => `${ctx.server.url.replace('http', 'ws')}/sync/${name}${query}`;

  beforeEach(async () => {
    noteId = await addCard(ctx.server, given.boardId, 'Idée de visite', null);
  });

  it('creates the shared sections of the card’s template on first load, and the internal ones in the internal document', async () => {
    const shared = await open(proposalDocName(given.boardId, given.cardId));
    await eventually(() => shared.proposal.list().length > 0, 5000, 'sections');
    const internal = await open(proposalInternalDocName(given.boardId, given.cardId));
    await eventually(() => internal.proposal.list().length > 0, 5000, 'internal sections');

    expect(shared.proposal.templateId).toBe(internal.proposal.templateId);
    const sharedIds = shared.proposal.list().map((section) => section.id);
    const internalIds = internal.proposal.list().map((section) => section.id);
    expect(sharedIds.length).toBeGreaterThan(3);
    expect(internalIds.length).toBeGreaterThan(0);
    expect(sharedIds.filter((id) => internalIds.includes(id))).toEqual([]);
    for (const section of shared.proposal.list()) {
      expect(section.title.fr).not.toBe('');
      expect(section.title.en).not.toBe('');
      expect(section.status).toBe('to_write');
      expect(section.owner?.kind).toBe('department');
    }
  });

  it('lets two people write in the same section at once and converge', async () => {
    const name = proposalDocName(given.boardId, given.cardId);
    const first = await open(name);
    const member = await createMember(ctx.server.url, 'camille', ['research']);
    const second = await open(name, member.token);
    await eventually(() => second.proposal.list().length > 0, 5000, 'sections');
    const sectionId = first.proposal.list()[0]!.id;

    const write = (client: { doc: Y.Doc; proposal: ProposalDoc }, text: string) =>
      client.doc.transact(() => {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText(text)]);
        client.proposal.text(sectionId, 'fr')!.push([paragraph]);
      });
    write(first, 'La chimie verte est au cœur du projet.');
    write(second, 'Porto apporte son laboratoire de catalyse.');

    await eventually(() => plainText(first.proposal.text(sectionId, 'fr')!).split('\n').length === 2, 5000, 'both paragraphs at the first');
    await eventually(() => plainText(second.proposal.text(sectionId, 'fr')!) === plainText(first.proposal.text(sectionId, 'fr')!), 5000, 'convergence');
    expect(plainText(first.proposal.text(sectionId, 'fr')!)).toContain('chimie verte');
    expect(plainText(first.proposal.text(sectionId, 'fr')!)).toContain('catalyse');
  });

  it('refuses the documents of a note card and of a card that does not exist (4404 to a member)', async () => {
    for (const name of [proposalDocName(given.boardId, noteId), proposalDocName(given.boardId, 'AAAAAAAAAAAAAAAAAAAAA'), proposalInternalDocName(given.boardId, noteId)]) {
      const client = rawSocket(syncUrl(name, `?token=${given.token}`));
      expect((await client.closed).code, name).toBe(CloseCode.BoardNotFound);
      expect(client.received).toHaveLength(0);
    }
  });

  it('refuses a person without access to the board, and one who is not signed in', async () => {
    const admin = await login(ctx.server.url);
    expect((await api(ctx.server.url, `/api/boards/${given.boardId}/sharing`, { method: 'PATCH', cookie: admin, headers: { origin: ctx.server.url }, body: { workspaceAccess: 'none' } })).status).toBe(204);
    const outsider = await createMember(ctx.server.url, 'olivier', ['studies']);
    for (const name of [proposalDocName(given.boardId, given.cardId), proposalInternalDocName(given.boardId, given.cardId)]) {
      const refused = rawSocket(syncUrl(name, `?token=${outsider.token}`));
      expect((await refused.closed).code, name).toBe(CloseCode.Forbidden);
      expect(refused.received).toHaveLength(0);
      const anonymous = rawSocket(syncUrl(name));
      expect((await anonymous.closed).code, name).toBe(CloseCode.Unauthorized);
    }
  });

  it('gives a partner guest the shared sections and never the internal ones, nor a note’s or an unknown card’s document', async () => {
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: given.token }, boardId: given.boardId, role: 'editor' });
    const shared = cookieClient(ctx.server.url, proposalDocName(given.boardId, given.cardId), guest.cookie, ctx.track);
    await synced(shared.provider);
    await eventually(() => new ProposalDoc(shared.doc).list().length > 0, 5000, 'shared sections at the guest');

    for (const name of [proposalInternalDocName(given.boardId, given.cardId), proposalDocName(given.boardId, noteId), proposalDocName(given.boardId, 'AAAAAAAAAAAAAAAAAAAAA')]) {
      const refused = rawSocket(syncUrl(name), { cookie: guest.cookie, origin: ctx.server.url });
      // Refused alike whether the card exists or not: a guest learns nothing of the board's other cards.
      expect((await refused.closed).code, name).toBe(CloseCode.Forbidden);
      expect(refused.received).toHaveLength(0);
    }
    // Nothing of the internal sections' titles reached the guest in any frame.
    const internal = await open(proposalInternalDocName(given.boardId, given.cardId));
    await eventually(() => internal.proposal.list().length > 0, 5000, 'internal sections');
    const received = Buffer.concat(shared.frames).toString('utf8');
    for (const section of internal.proposal.list()) expect(received).not.toContain(section.title.en);
  });

  it('refuses a viewer’s writes and keeps the document as it was', async () => {
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: given.token }, boardId: given.boardId, role: 'viewer' });
    const client = await admittedSync(ctx.server.url, proposalDocName(given.boardId, given.cardId), { cookie: guest.cookie }, ctx.track);
    const forged = new Y.Doc();
    const proposal = new ProposalDoc(forged);
    proposal.createSections('forged', [{ id: 'forged', title: { fr: 'Faux', en: 'Forged' }, guidance: { fr: '', en: '' }, charLimit: null, defaultOwner: 'sri' }]);
    client.socket.send(encodeUpdateMessage(Y.encodeStateAsUpdate(forged)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const member = await open(proposalDocName(given.boardId, given.cardId));
    await eventually(() => member.proposal.list().length > 0, 5000, 'sections');
    expect(member.proposal.section('forged')).toBeNull();
  });

  it('stamps who last changed each text, and undoes a stamp a client writes itself', async () => {
    const name = proposalDocName(given.boardId, given.cardId);
    const member = await createMember(ctx.server.url, 'camille', ['research']);
    const writer = await open(name, member.token);
    const reader = await open(name);
    await eventually(() => writer.proposal.list().length > 0, 5000, 'sections');
    const sectionId = writer.proposal.list()[0]!.id;

    writer.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Texte de Camille')]);
      writer.proposal.text(sectionId, 'fr')!.push([paragraph]);
    });
    await eventually(() => reader.proposal.lastEdit(sectionId, 'fr') !== null, 5000, 'the stamp at the reader');
    expect(reader.proposal.lastEdit(sectionId, 'fr')).toMatchObject({ userId: member.id, name: 'camille' });
    expect(reader.proposal.lastEdit(sectionId, 'en')).toBeNull();

    // A stamp in someone else's name, written by the client, is put back.
    writer.proposal.stampEdit(sectionId, 'en', { userId: 'someone-else', name: 'Quelqu’un', at: '2026-01-01T00:00:00.000Z' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await eventually(() => writer.proposal.lastEdit(sectionId, 'en') === null, 5000, 'the forged stamp undone at the writer');
    expect(reader.proposal.lastEdit(sectionId, 'en')).toBeNull();
  });

  it('lets a guest editor write the texts but not change the structure or a section’s settings', async () => {
    const guest = await joinAsGuest({ serverUrl: ctx.server.url, as: { token: given.token }, boardId: given.boardId, role: 'editor' });
    const name = proposalDocName(given.boardId, given.cardId);
    const client = cookieClient(ctx.server.url, name, guest.cookie, ctx.track);
    await synced(client.provider);
    const proposal = new ProposalDoc(client.doc);
    await eventually(() => proposal.list().length > 0, 5000, 'sections at the guest');
    const [first] = proposal.list();
    const member = await open(name);

    client.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Contribution de Porto')]);
      proposal.text(first!.id, 'en')!.push([paragraph]);
    });
    proposal.setStatus(first!.id, 'done');
    proposal.setOwner(first!.id, { kind: 'department', department: 'admissions' });
    proposal.createSections('forged', [{ id: 'forged', title: { fr: 'Ajoutée', en: 'Added' }, guidance: { fr: '', en: '' }, charLimit: null, defaultOwner: 'sri' }]);
    client.doc.getMap('meta').set('templateId', 'forged');

    await eventually(() => plainText(member.proposal.text(first!.id, 'en')!) === 'Contribution de Porto', 5000, 'the guest’s text at the member');
    await eventually(() => proposal.section('forged') === null && proposal.section(first!.id)!.status === 'to_write', 5000, 'the structure put back at the guest');
    expect(member.proposal.section('forged')).toBeNull();
    expect(member.proposal.section(first!.id)).toMatchObject({ status: 'to_write', owner: first!.owner });
    expect(member.proposal.templateId).not.toBe('forged');
    expect(member.proposal.lastEdit(first!.id, 'en')).toMatchObject({ userId: guest.me.id, name: 'Ana Sousa' });
  });

  it('deletes a board’s proposal documents with the board', async () => {
    await open(proposalDocName(given.boardId, given.cardId));
    await open(proposalInternalDocName(given.boardId, given.cardId));
    await eventually(() => storedDocuments().filter((name) => name.startsWith(`${given.boardId}/proposal/`)).length === 2, 5000, 'both stored');
    expect((await api(ctx.server.url, `/api/boards/${given.boardId}`, { method: 'DELETE', token: given.token })).status).toBe(204);
    expect(storedDocuments().filter((name) => name === given.boardId || name.startsWith(`${given.boardId}/`))).toEqual([]);
  });
});
