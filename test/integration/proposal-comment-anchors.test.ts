/**
 * Comments on proposal text stay tied to their words when a co-author's edit re-inserts them: the
 * editor's Yjs binding writes a paragraph split before the words, or their paragraph made a heading,
 * as deleting the words and inserting them again, which leaves the comment's anchors on deleted
 * characters. The server finds the words again by the comment's quote and ties the comment to the new
 * characters, so later edits inside the words keep it on them. Words really deleted stay deleted.
 * Real server on port 0, the co-author a stock y-websocket client writing as the binding writes.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ProposalComments, ProposalDoc, SectionText, encodeAnchor, proposalDocName } from '@passerelle/shared';
import { serverPerTest } from '../helpers/per-test.js';
import { proposalPerTest, writeSection } from '../helpers/proposals.js';
import { stockClient, syncUrlOf } from '../helpers/stock-client.js';
import { api, eventually, synced } from '../helpers/test-server.js';

const SENTENCE = 'Le projet relie trois universités partenaires en Europe.';

describe('comments on proposal text after edits that re-insert their words', () => {
  const ctx = serverPerTest();
  const given = proposalPerTest(ctx, 'GREENPATH');
  let sectionId: string;
  let commentId: string;
  let coauthor: Y.Doc;

  const docName = () => proposalDocName(given.boardId, given.cardId);
  /** The section's French text at the co-author. */
  const text = () => new ProposalDoc(coauthor).text(sectionId, 'fr')!;
  /** Where the server finds the comment's words now. */
  const placeAtServer = () =>
    ctx.server.sync.readDocument(docName(), (doc) => {
      const comment = new ProposalComments(doc).get(commentId)!;
      return new SectionText(new ProposalDoc(doc).text(sectionId, 'fr')!).locate(comment);
    });
  /** Waits until the server has the co-author's text. */
  const atServer = (words: string) =>
    eventually(
      () => ctx.server.sync.readDocument(docName(), (doc) => new ProposalDoc(doc).text(sectionId, 'fr')!.toString() === text().toString() && text().toString().includes(words)),
      5000,
      'the co-author’s edit at the server',
    );

  beforeEach(async () => {
    ({ sectionId } = await writeSection(ctx.server, docName(), 0, { fr: [{ type: 'paragraph', runs: [{ text: SENTENCE }] }] }));
    const anchors = await ctx.server.sync.readDocument(docName(), (doc) => {
      const words = 'trois universités';
      const xmlText = (new ProposalDoc(doc).text(sectionId, 'fr')!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
      const from = xmlText.toString().indexOf(words);
      return {
        start: encodeAnchor(Y.createRelativePositionFromTypeIndex(xmlText, from, 0)),
        end: encodeAnchor(Y.createRelativePositionFromTypeIndex(xmlText, from + words.length, -1)),
        quote: words,
      };
    });
    const created = await api<{ id: string }>(ctx.server.url, `/api/boards/${given.boardId}/proposals/${given.cardId}/comments`, {
      method: 'POST',
      token: given.token,
      headers: { origin: ctx.server.url },
      body: { sectionId, language: 'fr', ...anchors, text: 'Lesquelles ?' },
    });
    expect(created.status).toBe(201);
    commentId = created.body.id;
    coauthor = new Y.Doc();
    const { provider } = stockClient(syncUrlOf(ctx.server.url), docName(), { params: { token: given.token }, doc: coauthor });
    ctx.track(() => provider.destroy());
    await synced(provider);
    await eventually(() => new ProposalComments(coauthor).get(commentId) !== null, 5000, 'the comment at the co-author');
  });

  /** Splits the first paragraph before `words`, as the editor's binding writes it: the rest deleted, then inserted in a new paragraph. */
  const splitBefore = (words: string) =>
    coauthor.transact(() => {
      const xmlText = (text().get(0) as Y.XmlElement).get(0) as Y.XmlText;
      const at = xmlText.toString().indexOf(words);
      const rest = xmlText.toString().slice(at);
      xmlText.delete(at, rest.length);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(rest)]);
      text().insert(1, [paragraph]);
    });

  it('a paragraph split before the words: the comment is tied to them again, and edits inside them stay in it', async () => {
    splitBefore('relie');
    await atServer('relie');
    await eventually(async () => (await placeAtServer())?.moved === false, 5000, 'the comment tied again at the server');
    expect(await placeAtServer()).toMatchObject({ text: 'trois universités', moved: false });

    // Then the co-author writes inside the words: they stay commented, with the new word.
    const second = (text().get(1) as Y.XmlElement).get(0) as Y.XmlText;
    second.insert(second.toString().indexOf('universités'), 'grandes ');
    await atServer('grandes');
    expect(await placeAtServer()).toMatchObject({ text: 'trois grandes universités', moved: false });
    // The co-author's replica holds the new anchors too.
    await eventually(() => new SectionText(text()).locate(new ProposalComments(coauthor).get(commentId)!)?.text === 'trois grandes universités', 5000, 'the new anchors at the co-author');
  });

  it('a paragraph made a heading: the comment is tied to the heading’s words', async () => {
    coauthor.transact(() => {
      const heading = new Y.XmlElement('heading');
      heading.setAttribute('level', 2 as unknown as string);
      heading.insert(0, [new Y.XmlText(SENTENCE)]);
      text().delete(0, 1);
      text().insert(0, [heading]);
    });
    await atServer(SENTENCE);
    await eventually(async () => (await placeAtServer())?.moved === false, 5000, 'the comment tied again at the server');
    expect(await placeAtServer()).toMatchObject({ text: 'trois universités', moved: false });
  });

  it('a paragraph made a heading while its words also stand further on: the comment is tied to the heading’s', async () => {
    coauthor.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Ensuite, trois universités de plus.')]);
      text().insert(1, [paragraph]);
    });
    await atServer('Ensuite');
    coauthor.transact(() => {
      const heading = new Y.XmlElement('heading');
      heading.insert(0, [new Y.XmlText(SENTENCE)]);
      text().delete(0, 1);
      text().insert(0, [heading]);
    });
    await atServer(SENTENCE);
    await eventually(async () => (await placeAtServer())?.moved === false, 5000, 'the comment tied again at the server');
    expect(await placeAtServer()).toMatchObject({ text: 'trois universités', offset: SENTENCE.indexOf('trois'), moved: false });
  });

  it('words really deleted leave the comment about deleted text, its anchors untouched', async () => {
    const before = await ctx.server.sync.readDocument(docName(), (doc) => new ProposalComments(doc).get(commentId)!);
    coauthor.transact(() => {
      const xmlText = (text().get(0) as Y.XmlElement).get(0) as Y.XmlText;
      xmlText.delete(xmlText.toString().indexOf('trois universités'), 'trois universités '.length);
    });
    await atServer('relie partenaires');
    expect(await placeAtServer()).toBeNull();
    const after = await ctx.server.sync.readDocument(docName(), (doc) => new ProposalComments(doc).get(commentId)!);
    expect({ start: after.start, end: after.end }).toEqual({ start: before.start, end: before.end });
  });
});
