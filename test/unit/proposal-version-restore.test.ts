/**
 * Restoring a version of a proposal document (`restoreDocument(…, 'proposal')`): applied on one
 * replica and sent to another as an ordinary update, both end with the version's sections and
 * texts; a text is edited in place (an editor bound to it stays bound), an edit made at the same
 * moment in another paragraph survives, and what lives beside the sections (comments, the server's
 * edit stamps) is left as it is.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ProposalComments, ProposalDoc, plainText, textBlocks, writeRichText, type SectionSeed } from '../../shared/src/index.js';
import { restoreDocument } from '../../server/src/versions/restore.js';

const SEEDS: SectionSeed[] = [
  { id: 'objectives', title: { fr: 'Objectifs', en: 'Objectives' }, guidance: { fr: '', en: '' }, charLimit: null, defaultOwner: 'sri' },
  { id: 'impact', title: { fr: 'Impact', en: 'Impact' }, guidance: { fr: '', en: '' }, charLimit: 2000, defaultOwner: 'research' },
];

function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function replicaOf(source: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  return doc;
}

const paragraphs = (...texts: string[]) => texts.map((text) => ({ type: 'paragraph' as const, runs: [{ text }] }));

/** Replaces a section's French text by paragraphs. */
function rewrite(proposal: ProposalDoc, sectionId: string, ...texts: string[]): void {
  proposal.doc.transact(() => {
    const fragment = proposal.text(sectionId, 'fr')!;
    fragment.delete(0, fragment.length);
    writeRichText(fragment, paragraphs(...texts));
  });
}

describe('restoring a version of a proposal', () => {
  it('brings both replicas to the version’s sections and texts, editing the bound text in place, re-creating a deleted section', () => {
    const server = new ProposalDoc(new Y.Doc());
    server.createSections('erasmus-ka220', SEEDS);
    writeRichText(server.text('objectives', 'fr')!, paragraphs('Deux semestres à Porto.', 'Un double diplôme.'));
    writeRichText(server.text('impact', 'en')!, paragraphs('Forty students a year.'));
    const version = replicaOf(server.doc);

    rewrite(server, 'objectives', 'Trois semestres à Porto.', 'Un double diplôme.', 'Et un stage.');
    server.setStatus('objectives', 'done');
    server.sections.delete('impact');
    const editor = new ProposalDoc(replicaOf(server.doc));
    const bound = editor.text('objectives', 'fr')!;

    restoreDocument(server.doc, version, 'proposal', 'restore');
    exchange(server.doc, editor.doc);

    for (const proposal of [server, editor]) {
      expect(textBlocks(proposal.text('objectives', 'fr')!)).toEqual(['Deux semestres à Porto.', 'Un double diplôme.']);
      expect(proposal.section('objectives')!.status).toBe('to_write');
      expect(plainText(proposal.text('impact', 'en')!)).toBe('Forty students a year.');
      expect(proposal.section('impact')!.charLimit).toBe(2000);
    }
    expect(editor.text('objectives', 'fr')).toBe(bound);
    expect(editor.doc.toJSON()).toEqual(server.doc.toJSON());
  });

  it('keeps an edit made at the same moment in a paragraph the restore does not change', () => {
    const server = new ProposalDoc(new Y.Doc());
    server.createSections('erasmus-ka220', SEEDS);
    writeRichText(server.text('objectives', 'fr')!, paragraphs('Deux semestres à Porto.', 'Un double diplôme.'));
    const version = replicaOf(server.doc);
    rewrite(server, 'objectives', 'Trois semestres à Porto.', 'Un double diplôme.');
    const editor = new ProposalDoc(replicaOf(server.doc));

    // The editor types in the second paragraph while the server restores the first.
    const second = (editor.text('objectives', 'fr')!.get(1) as Y.XmlElement).get(0) as Y.XmlText;
    second.insert(second.length - 1, ' reconnu');
    restoreDocument(server.doc, version, 'proposal', 'restore');
    exchange(server.doc, editor.doc);

    for (const proposal of [server, editor]) {
      expect(textBlocks(proposal.text('objectives', 'fr')!)).toEqual(['Deux semestres à Porto.', 'Un double diplôme reconnu.']);
    }
  });

  it('leaves comments and the server’s edit stamps as they are', () => {
    const server = new ProposalDoc(new Y.Doc());
    server.createSections('erasmus-ka220', SEEDS);
    const version = replicaOf(server.doc);
    writeRichText(server.text('objectives', 'fr')!, paragraphs('Texte ajouté.'));
    server.stampEdit('objectives', 'fr', { userId: 'u-camille', name: 'Camille', at: '2026-03-12T10:00:00.000Z' });
    const comments = new ProposalComments(server.doc);
    comments.add('comment-0001', {
      sectionId: 'objectives',
      language: 'fr',
      start: 'AA==',
      end: 'AA==',
      quote: 'Texte',
      authorId: 'u-camille',
      authorName: 'Camille',
      text: 'À relire',
      mentions: [],
      createdAt: '2026-03-12T10:00:00.000Z',
    });

    restoreDocument(server.doc, version, 'proposal', 'restore');

    expect(plainText(server.text('objectives', 'fr')!)).toBe('');
    expect(comments.list().map((comment) => comment.text)).toEqual(['À relire']);
    expect(server.lastEdit('objectives', 'fr')).toMatchObject({ userId: 'u-camille' });
  });
});
