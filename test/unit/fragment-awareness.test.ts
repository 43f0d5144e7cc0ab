/**
 * What one section text's editor hears of a proposal document's awareness: only the co-authors
 * whose caret is in its text (arriving, moving, leaving), carets that move once a frame however many
 * moved, and a person's own field set again to the same value is not sent to anyone. Two real
 * awarenesses exchange their updates as two browsers would through the server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { fragmentAwareness } from '../../web/src/lib/editor/fragment-awareness.js';

/** A caret (the caret extension's `cursor` field) at the start of `fragment`'s text. */
function caretIn(fragment: Y.XmlFragment) {
  const position = JSON.parse(JSON.stringify(Y.createRelativePositionFromTypeIndex(fragment, 0)));
  return { anchor: position, head: position };
}

describe('a section text’s view of the document’s awareness', () => {
  let mine: Y.Doc;
  let theirs: Y.Doc;
  let myAwareness: Awareness;
  let theirAwareness: Awareness;
  let french: Y.XmlFragment;
  let english: Y.XmlFragment;
  /** The frames requested and not yet drawn (the test draws them). */
  let frames: (() => void)[];
  const drawFrame = () => frames.splice(0).forEach((frame) => frame());

  beforeEach(() => {
    mine = new Y.Doc();
    theirs = new Y.Doc();
    const section = mine.getMap('sections').set('s1', new Y.Map());
    section.set('fr', new Y.XmlFragment());
    section.set('en', new Y.XmlFragment());
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine));
    french = (mine.getMap('sections').get('s1') as Y.Map<Y.XmlFragment>).get('fr')!;
    english = (mine.getMap('sections').get('s1') as Y.Map<Y.XmlFragment>).get('en')!;
    myAwareness = new Awareness(mine);
    theirAwareness = new Awareness(theirs);
    // Their awareness reaches mine as the server relays it.
    theirAwareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      applyAwarenessUpdate(myAwareness, encodeAwarenessUpdate(theirAwareness, [...added, ...updated, ...removed]), 'server');
    });
    frames = [];
    (globalThis as { requestAnimationFrame?: (callback: () => void) => number }).requestAnimationFrame = (callback) => frames.push(callback);
  });

  afterEach(() => {
    delete (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame;
    myAwareness.destroy();
    theirAwareness.destroy();
  });

  /** Where their caret is, in their copy of the document. */
  const theirCaretIn = (language: 'fr' | 'en') => caretIn((theirs.getMap('sections').get('s1') as Y.Map<Y.XmlFragment>).get(language)!);

  it('tells each text only of the carets that are, were or come into it', () => {
    const heardInFrench: number[] = [];
    const heardInEnglish: number[] = [];
    fragmentAwareness(myAwareness, french).on('change', () => heardInFrench.push(1));
    fragmentAwareness(myAwareness, english).on('change', () => heardInEnglish.push(1));

    theirAwareness.setLocalStateField('user', { name: 'Ana' });
    expect([heardInFrench.length, heardInEnglish.length]).toEqual([0, 0]);

    theirAwareness.setLocalStateField('cursor', theirCaretIn('fr'));
    drawFrame();
    expect([heardInFrench.length, heardInEnglish.length]).toEqual([1, 0]);

    // Moving to the English text: the French one hears it leave, the English one hears it come.
    theirAwareness.setLocalStateField('cursor', theirCaretIn('en'));
    drawFrame();
    expect([heardInFrench.length, heardInEnglish.length]).toEqual([2, 1]);
  });

  it('redraws carets that move once a frame, however many moves arrived', () => {
    const heard: number[] = [];
    fragmentAwareness(myAwareness, french).on('change', () => heard.push(1));
    theirAwareness.setLocalStateField('cursor', theirCaretIn('fr'));
    drawFrame();
    expect(heard).toHaveLength(1);

    const text = new Y.XmlText('abc');
    (theirs.getMap('sections').get('s1') as Y.Map<Y.XmlFragment>).get('fr')!.insert(0, [text]);
    for (let offset = 0; offset <= 3; offset++) {
      const position = JSON.parse(JSON.stringify(Y.createRelativePositionFromTypeIndex(text, offset)));
      theirAwareness.setLocalStateField('cursor', { anchor: position, head: position });
    }
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs));
    expect(heard).toHaveLength(1);
    drawFrame();
    expect(heard).toHaveLength(2);
  });

  it('hears someone leaving at once, and nothing after it stopped listening', () => {
    const heard: number[] = [];
    const view = fragmentAwareness(myAwareness, french);
    const listener = () => heard.push(1);
    view.on('change', listener);
    theirAwareness.setLocalStateField('cursor', theirCaretIn('fr'));
    drawFrame();
    expect(heard).toHaveLength(1);

    // Removed (their tab closed): no frame needed.
    applyAwarenessUpdate(myAwareness, encodeAwarenessUpdate(theirAwareness, [theirAwareness.clientID], new Map([[theirAwareness.clientID, null as unknown as Record<string, unknown>]])), 'server');
    expect(heard.length).toBeGreaterThanOrEqual(1);
    const afterLeaving = heard.length;

    theirAwareness.setLocalStateField('cursor', theirCaretIn('fr'));
    view.off('change', listener);
    drawFrame();
    expect(heard).toHaveLength(afterLeaving);
  });

  it('does not send this person’s field again when it is set to the value it has', () => {
    const sent: number[] = [];
    myAwareness.on('update', () => sent.push(1));
    const inFrench = fragmentAwareness(myAwareness, french);
    const inEnglish = fragmentAwareness(myAwareness, english);
    inFrench.setLocalStateField('user', { name: 'Bruno', color: '#123456' });
    inEnglish.setLocalStateField('user', { name: 'Bruno', color: '#123456' });
    expect(sent).toHaveLength(1);
    inEnglish.setLocalStateField('user', { name: 'Bruno L.', color: '#123456' });
    expect(sent).toHaveLength(2);
    expect(myAwareness.getLocalState()?.user).toEqual({ name: 'Bruno L.', color: '#123456' });
  });
});
