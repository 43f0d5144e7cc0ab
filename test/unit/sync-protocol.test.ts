/**
 * The sync protocol module, without sockets: each frame a stock y-websocket client sends is decoded
 * once into a tagged message, malformed frames are refused, and the encoders write what stock
 * clients read.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  MalformedFrameError,
  MessageType,
  encodeAwarenessEntries,
  encodeAwarenessMessage,
  encodePermissionDenied,
  encodeSyncStep1Message,
  encodeSyncStep2Message,
  encodeUpdateMessage,
  isFreshClientStep1,
  readAwarenessEntries,
  readMessage,
  takePendingUpdate,
} from '../../server/src/sync/protocol.js';

/** A frame as a stock client builds it. */
function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}

describe('readMessage', () => {
  it('reads a sync step 1 with its state vector, and tells a fresh client apart', () => {
    const fresh = readMessage(frame((e) => { encoding.writeVarUint(e, MessageType.Sync); syncProtocol.writeSyncStep1(e, new Y.Doc()); }));
    expect(fresh.type).toBe('step1');
    expect(isFreshClientStep1(fresh)).toBe(true);
    const doc = docWithText('hello');
    const known = readMessage(frame((e) => { encoding.writeVarUint(e, MessageType.Sync); syncProtocol.writeSyncStep1(e, doc); }));
    expect(known).toEqual({ type: 'step1', stateVector: Y.encodeStateVector(doc) });
    expect(isFreshClientStep1(known)).toBe(false);
  });

  it('reads a sync step 2 and an update with the update they carry', () => {
    const doc = docWithText('hello');
    const update = Y.encodeStateAsUpdate(doc);
    expect(readMessage(frame((e) => { encoding.writeVarUint(e, MessageType.Sync); syncProtocol.writeSyncStep2(e, doc); }))).toEqual({ type: 'step2', update });
    expect(readMessage(frame((e) => { encoding.writeVarUint(e, MessageType.Sync); syncProtocol.writeUpdate(e, update); }))).toEqual({ type: 'update', update });
  });

  it('reads awareness, presence queries and the unused auth message', () => {
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    awareness.setLocalState({ user: { name: 'Ana' } });
    const message = encodeAwarenessMessage(awareness, [awareness.clientID]);
    expect(readMessage(message)).toEqual({ type: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]) });
    expect(readMessage(frame((e) => encoding.writeVarUint(e, MessageType.QueryAwareness)))).toEqual({ type: 'query-awareness' });
    expect(readMessage(frame((e) => { encoding.writeVarUint(e, MessageType.Auth); authProtocol.writePermissionDenied(e, 'x'); }))).toEqual({ type: 'auth' });
  });

  it('refuses an unknown message type and an unknown sync message type', () => {
    expect(() => readMessage(frame((e) => encoding.writeVarUint(e, 9)))).toThrow(/unknown message type 9/);
    expect(() => readMessage(frame((e) => { encoding.writeVarUint(e, MessageType.Sync); encoding.writeVarUint(e, 7); }))).toThrow(MalformedFrameError);
  });

  it('refuses a truncated update, keeping the size it declared', () => {
    const truncated = frame((e) => { encoding.writeVarUint(e, MessageType.Sync); encoding.writeVarUint(e, syncProtocol.messageYjsUpdate); encoding.writeVarUint(e, 1_000_000); encoding.writeUint8(e, 1); });
    // A frame of its own, not a view into a larger buffer: its bytes really run out.
    const error = (() => {
      try {
        readMessage(truncated.slice());
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(MalformedFrameError);
    expect((error as MalformedFrameError).declaredUpdateBytes).toBe(1_000_000);
  });

  it('refuses an empty frame', () => {
    expect(() => readMessage(new Uint8Array(0))).toThrow();
  });
});

describe('awareness entries', () => {
  it('reads the entries a stock client encodes, and encodes them back to the same bytes', () => {
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    awareness.setLocalState({ user: { name: 'Ana' }, cursor: 3 });
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]);
    const entries = readAwarenessEntries(update, { maxEntries: 10, maxStateBytes: 1024 });
    expect(entries).toEqual([{ clientId: awareness.clientID, clock: 1, state: JSON.stringify({ user: { name: 'Ana' }, cursor: 3 }) }]);
    expect(encodeAwarenessEntries(entries as never)).toEqual(update);
  });

  it('reads no more than maxEntries, leaving the rest unread', () => {
    const update = encodeAwarenessEntries([1, 2, 3].map((clientId) => ({ clientId, clock: 1, state: '{}' })));
    expect(readAwarenessEntries(update, { maxEntries: 2, maxStateBytes: 1024 })).toEqual([
      { clientId: 1, clock: 1, state: '{}' },
      { clientId: 2, clock: 1, state: '{}' },
    ]);
  });

  it('reports a state over maxStateBytes before reading it', () => {
    const update = encodeAwarenessEntries([{ clientId: 1, clock: 1, state: JSON.stringify({ pad: 'x'.repeat(100) }) }]);
    expect(readAwarenessEntries(update, { maxEntries: 10, maxStateBytes: 50 })).toBe('too-large');
  });
});

describe('encoders', () => {
  it('write a sync step 2 in one allocation that y-protocols reads as its own', () => {
    const doc = docWithText('hello');
    const expected = frame((e) => { encoding.writeVarUint(e, MessageType.Sync); syncProtocol.writeSyncStep2(e, doc); });
    expect(encodeSyncStep2Message(Y.encodeStateAsUpdate(doc))).toEqual(expected);
  });

  it('write the step 1 and updates a stock client applies', () => {
    const doc = docWithText('hello');
    const replica = new Y.Doc();
    const decoder = decoding.createDecoder(encodeUpdateMessage(Y.encodeStateAsUpdate(doc)));
    expect(decoding.readVarUint(decoder)).toBe(MessageType.Sync);
    syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), replica, null);
    expect(replica.getText('t').toString()).toBe('hello');
    expect(readMessage(encodeSyncStep1Message(doc))).toEqual({ type: 'step1', stateVector: Y.encodeStateVector(doc) });
  });

  it('write the permission-denied message with its reason', () => {
    const decoder = decoding.createDecoder(encodePermissionDenied('read-only'));
    expect(decoding.readVarUint(decoder)).toBe(MessageType.Auth);
    let reason = '';
    authProtocol.readAuthMessage(decoder, new Y.Doc(), (_doc, denied) => (reason = denied));
    expect(reason).toBe('read-only');
  });
});

describe('takePendingUpdate', () => {
  it('takes out what waits for missing structs, leaving the document with nothing pending', () => {
    const source = new Y.Doc();
    source.getText('t').insert(0, 'a');
    const first = Y.encodeStateAsUpdate(source);
    const before = Y.encodeStateVector(source);
    source.getText('t').insert(1, 'b');
    const second = Y.encodeStateAsUpdate(source, before);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, second);
    expect(doc.store.pendingStructs).not.toBeNull();
    const pending = takePendingUpdate(doc);
    expect(pending).not.toBeNull();
    expect(doc.store.pendingStructs).toBeNull();
    expect(takePendingUpdate(doc)).toBeNull();
    Y.applyUpdate(doc, first);
    Y.applyUpdateV2(doc, pending!);
    expect(doc.getText('t').toString()).toBe('ab');
  });
});
