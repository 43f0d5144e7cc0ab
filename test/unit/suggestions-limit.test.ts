/**
 * The over-limit highlight of the section editor counts as the programme counts the text as it would
 * be submitted: a pending suggested insertion is neither counted nor highlighted until accepted, a
 * pending suggested deletion still counts.
 */
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { describe, expect, it } from 'vitest';
import { overLimitStart } from '../../web/src/lib/editor/over-limit.js';
import { DeletionMark, InsertionMark } from '../../web/src/lib/editor/suggestions.js';

const schema = getSchema([StarterKit.configure({ undoRedo: false }), InsertionMark, DeletionMark]);
const suggestion = (id: string) => ({ id, authorId: 'user-cole', authorName: 'Cole', at: '2026-12-02T10:00:00.000Z' });
const inserted = (text: string, id = 's1') => schema.text(text, [schema.marks.insertion!.create(suggestion(id))]);
const deleted = (text: string, id = 's2') => schema.text(text, [schema.marks.deletion!.create(suggestion(id))]);
const plain = (text: string) => schema.text(text);
const doc = (...paragraphs: ReturnType<typeof plain>[][]) => schema.node('doc', null, paragraphs.map((runs) => schema.node('paragraph', null, runs)));

describe('the over-limit highlight with pending suggestions', () => {
  it('does not count a pending insertion', () => {
    // 'Porto ' (6) + 'ensemble' (8) = 14 agreed characters: within a limit of 14 whatever is proposed.
    const text = doc([plain('Porto '), inserted('et Lisbonne '), plain('ensemble')]);
    expect(overLimitStart(text, 14)).toBeNull();
    // Over a limit of 10: the overrun starts at 'mble', after the insertion's 12 characters.
    expect(overLimitStart(text, 10)).toBe(1 + 'Porto et Lisbonne ense'.length);
  });

  it('still counts a pending deletion', () => {
    const text = doc([plain('Porto '), deleted('et Lisbonne '), plain('ensemble')]);
    expect(overLimitStart(text, 20)).toBe(1 + 'Porto et Lisbonne en'.length);
  });

  it('counts a text without suggestions as it always did', () => {
    expect(overLimitStart(doc([plain('Porto')], [plain('Braga')]), 7)).toBe(1 + 'Porto'.length + 2 + 'Br'.length);
  });
});
