/**
 * The contract every `DocumentStore` passes. Each test proves one rule of the doc comments in
 * `server/src/store/document-store.ts`; an implementation is run through it from
 * `document-store.test.ts` with a factory that gives a fresh, empty store per test.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocumentStore } from '../../server/src/store/document-store.js';
import { storePerTest, type StoreFixture } from '../helpers/store-fixture.js';

export type DocumentStoreFixture = StoreFixture<DocumentStore>;

/** A Y.Doc with one text, and the updates each edit to it produced, in order. */
function editedDocument(edits: string[]): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('body');
  for (const edit of edits) text.insert(text.length, edit);
  return { doc, updates };
}

/** The text a fresh Y.Doc holds after applying `updates` in order. */
function replay(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getText('body').toString();
}

/** A snapshot of everything `edits[0..count)` produced, as the server's compaction makes it. */
function snapshotOf(updates: Uint8Array[], count: number): Uint8Array {
  return Y.mergeUpdates(updates.slice(0, count));
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const asArrays = (updates: Uint8Array[]): number[][] => updates.map((update) => Array.from(update));

export function describeDocumentStoreContract(name: string, factory: () => Promise<DocumentStoreFixture>): void {
  describe(`DocumentStore contract: ${name}`, () => {
    const opened = storePerTest(name, factory);

    describe('load', () => {
      it('loads an unknown document as empty with lastSeq 0', async () => {
        expect(await opened.store.load('never-written')).toEqual({ updates: [], lastSeq: 0, pendingUpdates: 0, snapshotSchemaVersion: null });
      });

      it('returns the updates in append order, and replaying them reproduces the document', async () => {
        const { doc, updates } = editedDocument(['Mobility ', 'agreement ', 'with ', 'Leuven']);
        for (const update of updates) await opened.store.append('board', update);

        const loaded = await opened.store.load('board');
        expect(asArrays(loaded.updates)).toEqual(asArrays(updates));
        expect(loaded.lastSeq).toBe(4);
        expect(loaded.pendingUpdates).toBe(4);
        expect(replay(loaded.updates)).toBe(doc.getText('body').toString());
        expect(replay(loaded.updates)).toBe('Mobility agreement with Leuven');
      });

      it('returns stored bytes exactly, including an empty update and every byte value', async () => {
        const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
        await opened.store.append('raw', everyByte);
        await opened.store.append('raw', new Uint8Array(0));
        expect(asArrays((await opened.store.load('raw')).updates)).toEqual([Array.from(everyByte), []]);
      });
    });

    describe('append', () => {
      it('returns strictly increasing sequence numbers per document, from 1', async () => {
        const seqs = [];
        for (let i = 0; i < 5; i++) seqs.push(await opened.store.append('board', bytes(i)));
        expect(seqs).toEqual([1, 2, 3, 4, 5]);
      });

      it('numbers each document independently', async () => {
        await opened.store.append('first', bytes(1));
        await opened.store.append('first', bytes(2));
        await opened.store.append('first', bytes(3));
        expect(await opened.store.append('second', bytes(9))).toBe(1);
        expect(await opened.store.append('first', bytes(4))).toBe(4);
        expect((await opened.store.load('second')).updates).toHaveLength(1);
        expect((await opened.store.load('first')).lastSeq).toBe(4);
      });

      it('keeps what it was given when the caller later reuses the buffer', async () => {
        const buffer = bytes(1, 2, 3, 4);
        await opened.store.append('board', buffer);
        buffer.fill(0xff);
        expect(asArrays((await opened.store.load('board')).updates)).toEqual([[1, 2, 3, 4]]);
      });

      it('stores only the viewed bytes of a Uint8Array that is a view into a larger buffer', async () => {
        const backing = bytes(9, 9, 1, 2, 3, 9, 9);
        await opened.store.append('board', backing.subarray(2, 5));
        expect(asArrays((await opened.store.load('board')).updates)).toEqual([[1, 2, 3]]);
      });

      it('gives 100 concurrent appends distinct sequence numbers and loads all of them in seq order', async () => {
        const payloads = Array.from({ length: 100 }, (_, i) => bytes(i, 100 - i));
        const seqs = await Promise.all(payloads.map((payload) => opened.store.append('busy', payload)));

        expect(new Set(seqs).size).toBe(100);
        expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
        const loaded = await opened.store.load('busy');
        expect(loaded.lastSeq).toBe(100);
        const inSeqOrder = payloads
          .map((payload, i) => ({ payload, seq: seqs[i] }))
          .sort((a, b) => a.seq - b.seq)
          .map(({ payload }) => Array.from(payload));
        expect(asArrays(loaded.updates)).toEqual(inSeqOrder);
      });

      it('does not let concurrent appends to two documents interfere', async () => {
        const work = Array.from({ length: 50 }, (_, i) => opened.store.append(i % 2 ? 'odd' : 'even', bytes(i)));
        await Promise.all(work);
        const [even, odd] = [await opened.store.load('even'), await opened.store.load('odd')];
        expect(even.lastSeq).toBe(25);
        expect(odd.lastSeq).toBe(25);
        expect(even.updates.flatMap((update) => Array.from(update))).toEqual(Array.from({ length: 25 }, (_, i) => i * 2));
        expect(odd.updates.flatMap((update) => Array.from(update))).toEqual(Array.from({ length: 25 }, (_, i) => i * 2 + 1));
      });
    });

    describe('compact', () => {
      it('replaces updates up to throughSeq by the snapshot and keeps later ones', async () => {
        const { updates } = editedDocument(['one ', 'two ', 'three ', 'four ', 'five']);
        for (const update of updates) await opened.store.append('board', update);

        await opened.store.compact('board', snapshotOf(updates, 3), 3);

        const loaded = await opened.store.load('board');
        expect(asArrays(loaded.updates)).toEqual(asArrays([snapshotOf(updates, 3), updates[3], updates[4]]));
        expect(loaded.lastSeq).toBe(5);
        expect(loaded.pendingUpdates).toBe(2);
        expect(replay(loaded.updates)).toBe('one two three four five');
      });

      it('keeps the sequence increasing after every logged update was compacted', async () => {
        const { updates } = editedDocument(['a', 'b', 'c']);
        for (const update of updates) await opened.store.append('board', update);
        await opened.store.compact('board', snapshotOf(updates, 3), 3);

        const compacted = await opened.store.load('board');
        expect(compacted.lastSeq).toBe(3);
        expect(compacted.pendingUpdates).toBe(0);
        expect(compacted.updates).toHaveLength(1);

        expect(await opened.store.append('board', bytes(4))).toBe(4);
        expect(await opened.store.append('board', bytes(5))).toBe(5);
      });

      it('replaces an earlier snapshot when compacting again', async () => {
        const { updates } = editedDocument(['alpha ', 'beta ', 'gamma ', 'delta']);
        for (const update of updates.slice(0, 2)) await opened.store.append('board', update);
        await opened.store.compact('board', snapshotOf(updates, 2), 2);
        for (const update of updates.slice(2)) await opened.store.append('board', update);
        await opened.store.compact('board', snapshotOf(updates, 4), 4);

        const loaded = await opened.store.load('board');
        expect(asArrays(loaded.updates)).toEqual(asArrays([snapshotOf(updates, 4)]));
        expect(loaded).toMatchObject({ lastSeq: 4, pendingUpdates: 0 });
        expect(replay(loaded.updates)).toBe('alpha beta gamma delta');
      });

      it('ignores a compaction older than the stored snapshot, so nothing it holds is lost', async () => {
        const { updates } = editedDocument(['un ', 'deux ', 'trois ', 'quatre']);
        for (const update of updates) await opened.store.append('board', update);
        await opened.store.compact('board', snapshotOf(updates, 4), 4);
        // A slower compaction, started from an older read, finishes last.
        await opened.store.compact('board', snapshotOf(updates, 2), 2);

        const loaded = await opened.store.load('board');
        expect(replay(loaded.updates)).toBe('un deux trois quatre');
        expect(loaded.lastSeq).toBe(4);
        expect(await opened.store.append('board', editedDocument(['x']).updates[0])).toBe(5);
      });

      it('keeps an update appended while the snapshot was being built', async () => {
        // The server reads the log, builds the snapshot, and meanwhile a new edit is appended.
        const { updates } = editedDocument(['before ', 'during']);
        await opened.store.append('board', updates[0]);
        const { lastSeq } = await opened.store.load('board');
        await opened.store.append('board', updates[1]);
        await opened.store.compact('board', snapshotOf(updates, 1), lastSeq);

        const loaded = await opened.store.load('board');
        expect(loaded.pendingUpdates).toBe(1);
        expect(replay(loaded.updates)).toBe('before during');
      });

      it('keeps the snapshot it was given when the caller later reuses the buffer', async () => {
        await opened.store.append('board', bytes(1));
        const snapshot = bytes(7, 7, 7);
        await opened.store.compact('board', snapshot, 1);
        snapshot.fill(0);
        expect(asArrays((await opened.store.load('board')).updates)).toEqual([[7, 7, 7]]);
      });

      it('leaves other documents alone', async () => {
        await opened.store.append('compacted', bytes(1));
        await opened.store.append('other', bytes(2));
        await opened.store.compact('compacted', bytes(10), 1);
        expect(await opened.store.load('other')).toEqual({ updates: [bytes(2)], lastSeq: 1, pendingUpdates: 1, snapshotSchemaVersion: null });
      });
    });

    describe('snapshotSchemaVersion', () => {
      it('returns the schema version recorded with the snapshot', async () => {
        const { updates } = editedDocument(['Erasmus ', 'Mundus']);
        for (const update of updates) await opened.store.append('board', update);
        await opened.store.compact('board', snapshotOf(updates, 2), 2, 3);

        const loaded = await opened.store.load('board');
        expect(loaded).toMatchObject({ lastSeq: 2, pendingUpdates: 0, snapshotSchemaVersion: 3 });
        expect(asArrays(loaded.updates)).toEqual(asArrays([snapshotOf(updates, 2)]));
      });

      it('loads a snapshot stored without a schema version as null', async () => {
        const { updates } = editedDocument(['sans ', 'version']);
        for (const update of updates) await opened.store.append('board', update);
        await opened.store.compact('board', snapshotOf(updates, 2), 2);
        expect((await opened.store.load('board')).snapshotSchemaVersion).toBeNull();
      });

      it('is replaced by the next compaction, including by one that records none', async () => {
        const { updates } = editedDocument(['a', 'b', 'c']);
        await opened.store.append('board', updates[0]);
        await opened.store.compact('board', snapshotOf(updates, 1), 1, 2);
        await opened.store.append('board', updates[1]);
        await opened.store.compact('board', snapshotOf(updates, 2), 2, 3);
        expect((await opened.store.load('board')).snapshotSchemaVersion).toBe(3);
        await opened.store.append('board', updates[2]);
        await opened.store.compact('board', snapshotOf(updates, 3), 3);
        expect((await opened.store.load('board')).snapshotSchemaVersion).toBeNull();
      });

      it('is kept by an ignored compaction older than the stored snapshot', async () => {
        const { updates } = editedDocument(['un ', 'deux']);
        for (const update of updates) await opened.store.append('board', update);
        await opened.store.compact('board', snapshotOf(updates, 2), 2, 3);
        await opened.store.compact('board', snapshotOf(updates, 1), 1, 1);
        expect((await opened.store.load('board')).snapshotSchemaVersion).toBe(3);
      });

      it('stays after an append, which makes the stored document more than the snapshot (pendingUpdates > 0)', async () => {
        const { updates } = editedDocument(['avant ', 'après']);
        await opened.store.append('board', updates[0]);
        await opened.store.compact('board', snapshotOf(updates, 1), 1, 3);
        await opened.store.append('board', updates[1]);

        const loaded = await opened.store.load('board');
        expect(loaded).toMatchObject({ lastSeq: 2, pendingUpdates: 1, snapshotSchemaVersion: 3 });
        expect(replay(loaded.updates)).toBe('avant après');
      });

      it('survives reopening the store', async (context) => {
        await opened.store.append('board', bytes(1));
        await opened.store.compact('board', bytes(9), 1, 3);
        await opened.reopen(context);
        expect(await opened.store.load('board')).toEqual({ updates: [bytes(9)], lastSeq: 1, pendingUpdates: 0, snapshotSchemaVersion: 3 });
      });

      it('is null for a document without a snapshot, and gone with a deleted document', async () => {
        await opened.store.append('board', bytes(1));
        expect((await opened.store.load('board')).snapshotSchemaVersion).toBeNull();
        await opened.store.compact('board', bytes(9), 1, 3);
        await opened.store.delete('board');
        await opened.store.append('board', bytes(2));
        expect((await opened.store.load('board')).snapshotSchemaVersion).toBeNull();
      });
    });

    describe('pendingUpdates', () => {
      it('counts the updates that follow the snapshot', async () => {
        for (let i = 1; i <= 4; i++) {
          await opened.store.append('board', bytes(i));
          expect((await opened.store.load('board')).pendingUpdates).toBe(i);
        }
        await opened.store.compact('board', bytes(0), 3);
        expect((await opened.store.load('board')).pendingUpdates).toBe(1);
        await opened.store.append('board', bytes(5));
        expect((await opened.store.load('board')).pendingUpdates).toBe(2);
      });
    });

    describe('delete', () => {
      it('removes the snapshot and every update, so the document loads as unknown', async () => {
        await opened.store.append('board', bytes(1));
        await opened.store.append('board', bytes(2));
        await opened.store.compact('board', bytes(12), 1);
        await opened.store.append('board', bytes(3));

        await opened.store.delete('board');
        expect(await opened.store.load('board')).toEqual({ updates: [], lastSeq: 0, pendingUpdates: 0, snapshotSchemaVersion: null });
      });

      it('leaves other documents alone', async () => {
        await opened.store.append('deleted', bytes(1));
        await opened.store.append('kept', bytes(2));
        await opened.store.delete('deleted');
        expect(await opened.store.load('kept')).toEqual({ updates: [bytes(2)], lastSeq: 1, pendingUpdates: 1, snapshotSchemaVersion: null });
      });

      it('accepts deleting a document that does not exist', async () => {
        await expect(opened.store.delete('never-written')).resolves.toBeUndefined();
      });
    });

    describe('list', () => {
      it('lists nothing in an empty store', async () => {
        expect(await opened.store.list()).toEqual([]);
      });

      it('lists every stored document once, whether it holds updates, a snapshot or both', async () => {
        const { updates } = editedDocument(['a', 'b']);
        for (const update of updates) await opened.store.append('logged', update);
        for (const update of updates) await opened.store.append('compacted', update);
        await opened.store.compact('compacted', snapshotOf(updates, 2), 2);
        for (const update of updates) await opened.store.append('both', update);
        await opened.store.compact('both', snapshotOf(updates, 1), 1);
        await opened.store.compact('snapshot-only', snapshotOf(updates, 2), 2);
        await opened.store.append('board-7/internal', bytes(1));
        await opened.store.append('workspace', bytes(2));

        expect((await opened.store.list()).sort()).toEqual(['board-7/internal', 'both', 'compacted', 'logged', 'snapshot-only', 'workspace']);
      });

      it('does not list a deleted document', async () => {
        await opened.store.append('deleted', bytes(1));
        await opened.store.compact('deleted', bytes(1), 1);
        await opened.store.append('kept', bytes(2));
        await opened.store.delete('deleted');
        expect(await opened.store.list()).toEqual(['kept']);
      });

      it('lists documents kept across reopening', async (context) => {
        await opened.store.append('board', bytes(1));
        await opened.store.append('board/internal', bytes(2));
        await opened.reopen(context);
        expect((await opened.store.list()).sort()).toEqual(['board', 'board/internal']);
      });
    });

    describe('summary', () => {
      const summary = (columns: string[]) => JSON.stringify({ columns, note: 'Mobilité « sortante » d’été' });

      it('is null for a document that has none', async () => {
        await opened.store.append('board', bytes(1));
        expect(await opened.store.loadSummary('board')).toBeNull();
        expect(await opened.store.loadSummary('never-written')).toBeNull();
      });

      it('returns the summary stored, exactly, with the sequence it reflects, for that document only', async () => {
        await opened.store.append('board', bytes(1));
        await opened.store.putSummary('board', summary(['À faire']), 1);
        expect(await opened.store.loadSummary('board')).toEqual({ summary: summary(['À faire']), throughSeq: 1 });
        expect(await opened.store.loadSummary('board/internal')).toBeNull();
      });

      it('is replaced by a summary of a later or the same state, and kept against one of an earlier state', async () => {
        await opened.store.putSummary('board', summary(['a']), 5);
        await opened.store.putSummary('board', summary(['b']), 7);
        expect(await opened.store.loadSummary('board')).toEqual({ summary: summary(['b']), throughSeq: 7 });
        await opened.store.putSummary('board', summary(['stale']), 6);
        expect(await opened.store.loadSummary('board')).toEqual({ summary: summary(['b']), throughSeq: 7 });
        await opened.store.putSummary('board', summary(['c']), 7);
        expect(await opened.store.loadSummary('board')).toEqual({ summary: summary(['c']), throughSeq: 7 });
      });

      it('leaves the document as it was', async () => {
        await opened.store.append('board', bytes(1));
        await opened.store.putSummary('board', summary(['a']), 1);
        expect(await opened.store.load('board')).toEqual({ updates: [bytes(1)], lastSeq: 1, pendingUpdates: 1, snapshotSchemaVersion: null });
        expect(await opened.store.append('board', bytes(2))).toBe(2);
      });

      it('is gone with a deleted document', async () => {
        await opened.store.append('board', bytes(1));
        await opened.store.putSummary('board', summary(['a']), 1);
        await opened.store.delete('board');
        expect(await opened.store.loadSummary('board')).toBeNull();
      });

      it('survives reopening the store', async (context) => {
        await opened.store.append('board', bytes(1));
        await opened.store.putSummary('board', summary(['a']), 1);
        await opened.reopen(context);
        expect(await opened.store.loadSummary('board')).toEqual({ summary: summary(['a']), throughSeq: 1 });
      });
    });

    describe('durability', () => {
      it('keeps every appended update across reopening', async (context) => {
        const { updates } = editedDocument(['Erasmus ', 'partners ', 'for 2026']);
        for (const update of updates) await opened.store.append('board', update);
        await opened.store.append('other', bytes(42));

        await opened.reopen(context);

        const loaded = await opened.store.load('board');
        expect(asArrays(loaded.updates)).toEqual(asArrays(updates));
        expect(loaded).toMatchObject({ lastSeq: 3, pendingUpdates: 3 });
        expect(replay(loaded.updates)).toBe('Erasmus partners for 2026');
        expect(asArrays((await opened.store.load('other')).updates)).toEqual([[42]]);
      });

      it('keeps the snapshot, the later updates and the sequence across reopening', async (context) => {
        const { updates } = editedDocument(['a', 'b', 'c', 'd']);
        for (const update of updates) await opened.store.append('board', update);
        await opened.store.compact('board', snapshotOf(updates, 4), 4);

        await opened.reopen(context);

        const loaded = await opened.store.load('board');
        expect(loaded).toMatchObject({ lastSeq: 4, pendingUpdates: 0 });
        expect(replay(loaded.updates)).toBe('abcd');
        expect(await opened.store.append('board', bytes(5))).toBe(5);
      });

      it('keeps a deletion across reopening', async (context) => {
        await opened.store.append('board', bytes(1));
        await opened.store.delete('board');
        await opened.reopen(context);
        expect(await opened.store.load('board')).toEqual({ updates: [], lastSeq: 0, pendingUpdates: 0, snapshotSchemaVersion: null });
      });
    });
  });
}
