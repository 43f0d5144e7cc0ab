/**
 * The parts of a sync room, each on its own and without sockets: a connection's rules (rate, read-only
 * refusal, presence stamp), the fan-out pacer, and the document log (stored before relayed, one append
 * per fan-out, compaction).
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { REMOTE_ORIGIN, colorForUser } from '../../shared/src/index.js';
import { NO_SYNC_METRICS } from '../../server/src/observability/metrics.js';
import { MemoryDocumentStore } from '../../server/src/store/memory-document-store.js';
import { MAX_PRESENCE_IDS_PER_CONNECTION, MAX_PRESENCE_STATE_BYTES, REFUSAL_NOTICE_INTERVAL_MS, SyncConnection, type ConnectionIdentity } from '../../server/src/sync/connection.js';
import type { DocumentStore } from '../../server/src/store/document-store.js';
import { DocumentLog, type QueuedUpdate } from '../../server/src/sync/document-log.js';
import { FanoutPacer } from '../../server/src/sync/pacer.js';
import { encodeAwarenessEntries, readAwarenessEntries } from '../../server/src/sync/protocol.js';
import { batchFrames } from '../../server/src/sync/relay.js';
import { DEFAULT_SYNC_WORK_LIMITS } from '../../server/src/sync/sync-budget.js';
import { eventually } from '../helpers/stock-client.js';

const silent = pino({ level: 'silent' });

const ana: ConnectionIdentity = { userId: 'user-ana', name: 'Ana', kind: 'member', departments: [], readOnly: false };

function connection(actor: ConnectionIdentity = ana, maxMessagesPerSecond = 100): SyncConnection {
  return new SyncConnection({} as WebSocket, actor, { maxMessagesPerSecond, ...DEFAULT_SYNC_WORK_LIMITS });
}

function states(update: Uint8Array): unknown[] {
  const entries = readAwarenessEntries(update, { maxEntries: 100, maxStateBytes: 1 << 20 });
  if (entries === 'too-large') throw new Error('too large');
  return entries.map((entry) => JSON.parse(entry.state));
}

describe('SyncConnection', () => {
  it('refuses a text frame and a connection sending faster than its rate (bursts of twice the rate)', () => {
    const client = connection(ana, 2);
    expect(client.receive(Buffer.from('hello'), false)).toEqual({ refused: 'text frame' });
    const query = Buffer.from([3]);
    for (let index = 0; index < 4; index++) expect(client.receive(query, true)).toEqual({ message: { type: 'query-awareness' } });
    expect(client.receive(query, true)).toEqual({ refused: 'too fast' });
  });

  it('keeps a frame it cannot decode as an error, to be reported in its turn', () => {
    expect(connection().receive(Buffer.from([9]), true)).toHaveProperty('error');
  });

  it('drops a read-only write that changes nothing quietly, and tells of a real one at most every interval', () => {
    const viewer = connection({ ...ana, readOnly: true });
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'shared');
    expect(viewer.refuseWrite(doc, Y.encodeStateAsUpdate(doc), 0)).toBe('unchanged');
    const other = new Y.Doc();
    other.getText('t').insert(0, 'forged');
    const write = Y.encodeStateAsUpdate(other);
    expect(viewer.refuseWrite(doc, write, 10_000)).toHaveProperty('notice');
    expect(viewer.refuseWrite(doc, write, 10_000 + REFUSAL_NOTICE_INTERVAL_MS - 1)).toBe('refused');
    expect(viewer.refuseWrite(doc, write, 10_000 + REFUSAL_NOTICE_INTERVAL_MS)).toHaveProperty('notice');
  });

  it('stamps each presence state with the signed-in identity, whatever the client wrote', () => {
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    const update = encodeAwarenessEntries([{ clientId: 7, clock: 1, state: JSON.stringify({ user: { id: 'someone-else', name: 'Boss', extra: 1 }, cursor: 2 }) }]);
    const stamped = connection().stampAwareness(update, awareness, () => undefined);
    expect(stamped).not.toBe('too-large');
    expect(states(stamped as Uint8Array)).toEqual([{ user: { id: 'user-ana', name: 'Ana', extra: 1, color: colorForUser('user-ana'), guest: false }, cursor: 2 }]);
  });

  it('ignores states for a client id another connection owns, and ids beyond its cap', () => {
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    const client = connection();
    const owner = connection({ ...ana, userId: 'user-bo' });
    const ids = Array.from({ length: MAX_PRESENCE_IDS_PER_CONNECTION + 2 }, (_, index) => index + 1);
    const update = encodeAwarenessEntries(ids.map((clientId) => ({ clientId, clock: 1, state: '{}' })));
    const stamped = client.stampAwareness(update, awareness, (clientId) => (clientId === 1 ? owner : undefined));
    expect(readAwarenessEntries(stamped as Uint8Array, { maxEntries: 100, maxStateBytes: 1 << 20 })).toHaveLength(MAX_PRESENCE_IDS_PER_CONNECTION);
  });

  it('refuses a presence state over the limit', () => {
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    const update = encodeAwarenessEntries([{ clientId: 1, clock: 1, state: JSON.stringify({ pad: 'x'.repeat(MAX_PRESENCE_STATE_BYTES) }) }]);
    expect(connection().stampAwareness(update, awareness, () => undefined)).toBe('too-large');
  });
});

describe('batchFrames', () => {
  it('gives each sender the rest of the batch, and none to a sender of all of it', () => {
    const [a, b] = [{}, {}];
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    doc.getText('t').insert(0, 'a');
    doc.getText('t').insert(1, 'b');
    const batch = [{ update: updates[0], origin: a }, { update: updates[1], origin: b }];
    const frames = batchFrames(batch, Y.mergeUpdates(updates), new Set([a, b]));
    expect(frames.rest.get(a)).toBeInstanceOf(Uint8Array);
    expect(frames.rest.get(b)).toBeInstanceOf(Uint8Array);
    expect(batchFrames([batch[0]], updates[0], new Set([a])).rest.get(a)).toBeNull();
  });
});

describe('FanoutPacer', () => {
  it('fans out at the next turn while under the rate, running the fan-out before the waiters resume', async () => {
    const order: string[] = [];
    const pacer = new FanoutPacer(() => 2, () => order.push('fan-out'));
    await pacer.next().then(() => order.push('waiter'));
    expect(order).toEqual(['fan-out', 'waiter']);
  });

  it('releases its waiters when stopped', async () => {
    const pacer = new FanoutPacer(() => 1_000_000, () => {});
    const waiting = pacer.next();
    pacer.stop();
    await expect(waiting).resolves.toBeUndefined();
  });
});

describe('DocumentLog', () => {
  function setup(compactThreshold = 100, store: DocumentStore = new MemoryDocumentStore()) {
    const doc = new Y.Doc();
    const events: string[] = [];
    const pacer = new FanoutPacer(() => 1, () => {});
    const log = new DocumentLog({
      name: 'doc',
      doc,
      store,
      metrics: NO_SYNC_METRICS,
      logger: silent,
      compactThreshold,
      schemaVersionOf: () => 7,
      pacer,
      prepareRelay: (batch: readonly QueuedUpdate[]) => {
        events.push(`prepare ${batch.length}`);
        return () => events.push(`relay after seq ${log.lastSeq}`);
      },
      isClosed: () => false,
      isOpen: () => true,
      onFailure: () => events.push('failure'),
      onSnapshot: () => events.push('snapshot'),
    });
    doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => log.enqueue(update, origin, transaction, 'server', false));
    return { store, doc, log, events };
  }

  it('stores every update of a turn in one append, before relaying it', async () => {
    const { store, doc, log, events } = setup();
    doc.getText('t').insert(0, 'a');
    doc.getText('t').insert(1, 'b');
    await log.whenPersisted();
    expect(events).toEqual(['prepare 2', 'relay after seq 1']);
    const stored = await store.load('doc');
    expect(stored.lastSeq).toBe(1);
    const replica = new Y.Doc();
    for (const update of stored.updates) Y.applyUpdate(replica, update);
    expect(replica.getText('t').toString()).toBe('ab');
  });

  it('relays an update another process stored without appending it again', async () => {
    const { store, doc, log, events } = setup();
    const remote = new Y.Doc();
    remote.getText('t').insert(0, 'remote');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), REMOTE_ORIGIN);
    await log.whenPersisted();
    expect(events).toEqual(['prepare 1', 'relay after seq 0']);
    expect((await store.load('doc')).lastSeq).toBe(0);
  });

  it('compacts once the threshold of logged updates is reached, recording the schema version', async () => {
    const { store, doc, log, events } = setup(2);
    doc.getText('t').insert(0, 'a');
    await log.whenPersisted();
    doc.getText('t').insert(1, 'b');
    await log.whenPersisted();
    expect(events.filter((event) => event === 'snapshot')).toHaveLength(1);
    const stored = await store.load('doc');
    expect(stored).toMatchObject({ pendingUpdates: 0, snapshotSchemaVersion: 7 });
    expect(log.storedBytes).toBe(stored.updates[0].byteLength);
  });

  it('folds only what is below the watermark when another process’s update has not arrived yet', async () => {
    const { store, doc, log } = setup();
    await log.read();
    // Another process appended seq 1; this one appends seq 2 before hearing of 1.
    const other = new Y.Doc();
    other.getText('t').insert(0, 'other');
    await store.append('doc', Y.encodeStateAsUpdate(other));
    doc.getText('t').insert(0, 'mine');
    await log.whenPersisted();
    await log.compact();
    // Seq 1 is not in this document: the compaction kept it in the log.
    const stored = await store.load('doc');
    const replica = new Y.Doc();
    for (const update of stored.updates) Y.applyUpdate(replica, update);
    expect(replica.getText('t').toString()).toContain('other');
    expect(replica.getText('t').toString()).toContain('mine');
  });

  /** Another process's document: `write` changes it and returns the change as an update. */
  function otherProcess() {
    const other = new Y.Doc();
    return (text: string) => {
      const before = Y.encodeStateVector(other);
      other.getText('t').insert(other.getText('t').length, text);
      return Y.encodeStateAsUpdate(other, before);
    };
  }

  it('catches up from the store when an update from another process waits for one whose message never came', async () => {
    const { store, doc, log } = setup();
    await log.read();
    const write = otherProcess();
    // Stored and published by the other process while this one's subscription was being restored: lost.
    await store.append('doc', write('a'));
    const second = write('b');
    log.applyRemote(await store.append('doc', second), second);
    expect(doc.getText('t').toString()).toBe('');
    await eventually(() => doc.getText('t').toString() === 'ab', 3000, 'the missing update read from the store');
  });

  it('keeps trying to catch up while the store cannot be read, and catches up once it can', async () => {
    const memory = new MemoryDocumentStore();
    let unreachable = 0;
    // The store lost Redis too and is still reconnecting when the fan-out is back.
    const store = new Proxy(memory, {
      get(target, property) {
        if (property === 'load') {
          return (name: string) => (unreachable > 0 ? (unreachable--, Promise.reject(new Error('The client is closed'))) : target.load(name));
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const { doc, log } = setup(100, store);
    await log.read();
    await memory.append('doc', otherProcess()('missed'));
    unreachable = 3;
    await log.resync();
    expect(unreachable).toBe(0);
    expect(doc.getText('t').toString()).toBe('missed');
  });
});
