import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { skipUpdatesFrom } from '../../web/src/lib/sync/quiet-origin.js';

/** A whole board's worth of changes from another document, as a local copy holds them. */
function copyOfBoard(cards: number): Uint8Array {
  const source = new Y.Doc();
  const list = source.getArray<Y.Map<unknown>>('cards');
  source.transact(() => {
    for (let i = 0; i < cards; i++) list.push([new Y.Map<unknown>([['title', `Card ${i}`]])]);
  });
  return Y.encodeStateAsUpdate(source);
}

describe('skipUpdatesFrom', () => {
  it('encodes nothing for the copy’s transaction and reports the next ones as before', async () => {
    const doc = new Y.Doc();
    const copy = { name: 'local copy' };
    const seen: unknown[] = [];
    const listener = (_update: Uint8Array, origin: unknown) => seen.push(origin);
    let encoded = 0;
    doc.on('update', listener);
    // Whether Yjs would encode the copy's transaction: it does when an 'update' listener is there at its end.
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.origin === copy && doc['_observers'].has('update')) encoded++;
    });
    skipUpdatesFrom(doc, copy, [listener]);

    Y.applyUpdate(doc, copyOfBoard(50), copy);
    expect(doc.getArray('cards').length).toBe(50);
    expect(seen).toEqual([]);
    expect(encoded).toBe(0);

    // Back right after it, synchronously, for a change of another origin.
    doc.transact(() => doc.getArray('cards').delete(0), 'local');
    expect(seen).toEqual(['local']);
    await Promise.resolve();
    doc.transact(() => doc.getArray('cards').delete(0), 'server');
    expect(seen).toEqual(['local', 'server']);
    expect(doc['_observers'].get('update')?.size).toBe(1);
  });

  it('puts the listeners back once the copy’s transaction is over, with no other transaction after it', async () => {
    const doc = new Y.Doc();
    const copy = {};
    const seen: unknown[] = [];
    const listener = (_update: Uint8Array, origin: unknown) => seen.push(origin);
    doc.on('update', listener);
    skipUpdatesFrom(doc, copy, [listener]);
    Y.applyUpdate(doc, copyOfBoard(3), copy);
    await Promise.resolve();
    expect(doc['_observers'].get('update')?.has(listener)).toBe(true);
    doc.getArray('cards').delete(0);
    expect(seen).toEqual([null]);
  });

  it('reports a change an observer makes in answer to the copy’s transaction', () => {
    const doc = new Y.Doc();
    const copy = {};
    const seen: unknown[] = [];
    const listener = (update: Uint8Array, origin: unknown) => seen.push({ origin, bytes: update.length > 0 });
    doc.on('update', listener);
    skipUpdatesFrom(doc, copy, [listener]);
    const meta = doc.getMap('meta');
    // A board that repairs itself once read (another origin, inside the copy's observers).
    doc.getArray('cards').observe((_event, transaction) => {
      if (transaction.origin === copy && !meta.has('repaired')) doc.transact(() => meta.set('repaired', true), 'repair');
    });
    Y.applyUpdate(doc, copyOfBoard(5), copy);
    // The repair is reported (its listeners are back before it starts; the copy's own update may
    // then be encoded after all, which its listeners skip).
    expect(seen).toContainEqual({ origin: 'repair', bytes: true });
  });

  it('leaves other origins alone, and stops when the document is closed', () => {
    const doc = new Y.Doc();
    const copy = {};
    const seen: unknown[] = [];
    const listener = (_update: Uint8Array, origin: unknown) => seen.push(origin);
    doc.on('update', listener);
    const stop = skipUpdatesFrom(doc, copy, [listener]);
    Y.applyUpdate(doc, copyOfBoard(2), 'server');
    expect(seen).toEqual(['server']);
    stop();
    Y.applyUpdate(doc, copyOfBoard(4), copy);
    expect(seen).toEqual(['server', copy]);
  });
});
