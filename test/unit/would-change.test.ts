/**
 * `wouldChange` tells a read-only client's harmless sync step 2 from a write, looking only at what
 * the update names. Checked against the plain answer (apply it to a copy and compare) over many
 * replicas that edited, deleted and diverged at random.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { wouldChange } from '../../server/src/sync/protocol.js';

/** What applying `update` to a copy of `doc` really changes: its state vector or its delete set. */
function reallyChanges(doc: Y.Doc, update: Uint8Array): boolean {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateAsUpdate(copy);
  Y.applyUpdate(copy, update);
  const pending = copy.store.pendingDs !== null || copy.store.pendingStructs !== null;
  return pending || !equal(before, Y.encodeStateAsUpdate(copy));
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, index) => byte === b[index]);
}

/** A small deterministic random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function edit(doc: Y.Doc, next: () => number): void {
  const text = doc.getText('description');
  if (text.length > 0 && next() < 0.4) text.delete(Math.floor(next() * text.length), 1 + Math.floor(next() * Math.min(5, text.length)));
  else text.insert(Math.floor(next() * (text.length + 1)), 'mobilité'.slice(0, 1 + Math.floor(next() * 8)));
}

describe('wouldChange', () => {
  it('agrees with applying the update to a copy, for replicas that diverged at random', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const next = random(seed);
      const server = new Y.Doc();
      const client = new Y.Doc();
      for (let step = 0; step < 20; step++) edit(server, next);
      Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
      // The client may be behind (the server edits on), ahead (it edits), or both.
      for (let step = 0; step < Math.floor(next() * 6); step++) edit(server, next);
      for (let step = 0; step < Math.floor(next() * 4); step++) edit(client, next);
      const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
      expect(wouldChange(server, step2), `seed ${seed}`).toBe(reallyChanges(server, step2));
    }
  });

  it('a client that only repeats what the server has, deletions included, changes nothing', () => {
    const server = new Y.Doc();
    server.getText('description').insert(0, 'Double diplôme avec Polytechnique Montréal');
    server.getText('description').delete(0, 7);
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    expect(wouldChange(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)))).toBe(false);
    client.getText('description').delete(0, 3);
    expect(wouldChange(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)))).toBe(true);
  });
});
