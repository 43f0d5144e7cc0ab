/**
 * The room with a document kind of the test's own, over in-memory sockets and store: it knows no
 * kind, and whatever a kind decides reaches it through its hooks — migrations before anyone is
 * served, corrections after a person's change, a redacted view for some readers.
 */
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { GUARD_ORIGIN } from '../../shared/src/index.js';
import { MemoryDocumentStore } from '../../server/src/store/memory-document-store.js';
import type { ConnectionIdentity } from '../../server/src/sync/connection.js';
import type { DocumentHooks } from '../../server/src/sync/hooks.js';
import { MessageType } from '../../server/src/sync/protocol.js';
import { DocumentRoom } from '../../server/src/sync/room.js';

/** The part of a ws socket the room uses; what it sends is applied to a client document. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly doc = new Y.Doc();
  readonly frames: Uint8Array[] = [];

  send(message: Uint8Array, callback?: (error?: Error) => void): void {
    this.frames.push(message);
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) === MessageType.Sync) syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), this.doc, 'server');
    callback?.();
  }

  close(): void {
    this.readyState = 3;
  }

  /** Sends a frame to the room as a client would. */
  deliver(write: (encoder: encoding.Encoder) => void): void {
    const encoder = encoding.createEncoder();
    write(encoder);
    this.emit('message', Buffer.from(encoding.toUint8Array(encoder)), true);
  }

  /** Sends this client's step 1. */
  askForDocument(): void {
    this.deliver((e) => {
      encoding.writeVarUint(e, MessageType.Sync);
      syncProtocol.writeSyncStep1(e, this.doc);
    });
  }

  /** Makes a change on this client and sends it as an update. */
  edit(change: (doc: Y.Doc) => void): void {
    const before = Y.encodeStateVector(this.doc);
    change(this.doc);
    const update = Y.encodeStateAsUpdate(this.doc, before);
    this.deliver((e) => {
      encoding.writeVarUint(e, MessageType.Sync);
      syncProtocol.writeUpdate(e, update);
    });
  }
}

const person = (userId: string, kind: 'member' | 'guest' = 'member'): ConnectionIdentity => ({ userId, name: userId, kind, departments: [], readOnly: false });

async function eventually(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !check(); attempt++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

/** A kind of notes: `secret` is never kept, and a reader marked secretless never receives it. */
function notesHooks(log: string[]): DocumentHooks {
  return {
    schema: { version: 1, versionOf: (doc) => (doc.getMap('meta').get('schemaVersion') as number | undefined) ?? 0 },
    onLoad(doc) {
      log.push(`load, ${doc.getMap('notes').size} notes`);
      doc.getMap('meta').set('schemaVersion', 1);
    },
    afterTransaction({ doc, transaction, actor }) {
      const notes = doc.getMap('notes');
      if (!transaction.changed.has(notes as never) || !notes.has('secret')) return;
      log.push(`secret removed from ${actor.userId}'s change`);
      doc.transact(() => notes.delete('secret'), GUARD_ORIGIN);
      return { redacted: true };
    },
    beforeRelay: (reader) => (reader.kind === 'guest' ? 'redacted' : 'updates'),
    onChange: (_doc, _transaction, actor) => log.push(`change by ${actor.id}`),
  };
}

function openRoom(store: MemoryDocumentStore, hooks: DocumentHooks): DocumentRoom {
  return new DocumentRoom({
    name: 'notes',
    hooks,
    store,
    logger: pino({ level: 'silent' }),
    compactThreshold: 100,
    maxDocumentBytes: 1 << 20,
    maxMessagesPerSecond: 100,
    onClosed: () => {},
    onIdle: () => {},
  });
}

describe('DocumentRoom with a kind of its own', () => {
  it('runs onLoad on the stored document before greeting anyone, and stores what it changed', async () => {
    const store = new MemoryDocumentStore();
    const stored = new Y.Doc();
    stored.getMap('notes').set('first', 'kept');
    await store.append('notes', Y.encodeStateAsUpdate(stored));
    const log: string[] = [];
    const room = openRoom(store, notesHooks(log));
    const socket = new FakeSocket();
    room.addConnection(socket as unknown as WebSocket, person('ana'));
    socket.askForDocument();
    await room.ready;
    await eventually(() => socket.doc.getMap('notes').get('first') === 'kept');
    expect(log[0]).toBe('load, 1 notes');
    await room.whenPersisted();
    expect((await store.load('notes')).lastSeq).toBe(2);
    await room.close(1000, 'done');
  });

  it('runs afterTransaction on a person’s change, relays the correction with it, and gives a redacted reader only the tombstone', async () => {
    const store = new MemoryDocumentStore();
    const log: string[] = [];
    const room = openRoom(store, notesHooks(log));
    const [writer, member, guest] = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    room.addConnection(writer as unknown as WebSocket, person('ana'));
    room.addConnection(member as unknown as WebSocket, person('bo'));
    room.addConnection(guest as unknown as WebSocket, person('partner', 'guest'));
    await room.ready;
    for (const socket of [writer, member, guest]) socket.askForDocument();
    const guestFramesBefore = guest.frames.length;
    const memberFramesBefore = member.frames.length;

    writer.edit((doc) => doc.getMap('notes').set('secret', 'budget 987654'));
    await room.whenPersisted();
    await eventually(() => guest.frames.length > guestFramesBefore && member.frames.length > memberFramesBefore);

    expect(log).toContain("secret removed from ana's change");
    expect(log).toContain('change by ana');
    expect(room.doc.getMap('notes').has('secret')).toBe(false);
    expect(member.doc.getMap('notes').has('secret')).toBe(false);
    const value = Buffer.from('budget 987654');
    expect(Buffer.concat(member.frames.slice(memberFramesBefore)).includes(value)).toBe(true);
    expect(Buffer.concat(guest.frames.slice(guestFramesBefore)).includes(value)).toBe(false);
    await room.close(1000, 'done');
  });

  it('stores a change before it relays it', async () => {
    const store = new MemoryDocumentStore();
    const room = openRoom(store, notesHooks([]));
    const [writer, reader] = [new FakeSocket(), new FakeSocket()];
    room.addConnection(writer as unknown as WebSocket, person('ana'));
    room.addConnection(reader as unknown as WebSocket, person('bo'));
    await room.ready;
    /** For each frame carrying the change: whether the store held it when the frame was sent (the memory store reads at the call). */
    const storedAtRelay: Promise<boolean>[] = [];
    const send = reader.send.bind(reader);
    reader.send = (message, callback) => {
      if (Buffer.from(message).includes(Buffer.from('hello'))) {
        storedAtRelay.push(
          store.load('notes').then((stored) => {
            const replica = new Y.Doc();
            for (const update of stored.updates) Y.applyUpdate(replica, update);
            return replica.getMap('notes').get('plain') === 'hello';
          }),
        );
      }
      send(message, callback);
    };
    writer.edit((doc) => doc.getMap('notes').set('plain', 'hello'));
    await eventually(() => reader.doc.getMap('notes').get('plain') === 'hello');
    expect(storedAtRelay.length).toBeGreaterThan(0);
    expect(await Promise.all(storedAtRelay)).toEqual(storedAtRelay.map(() => true));
    await room.close(1000, 'done');
  });
});
