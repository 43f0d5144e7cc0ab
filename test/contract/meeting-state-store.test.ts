/** Runs the `MeetingStateStore` contract over every implementation, then what is particular to Redis. */
import { describe, expect, it } from 'vitest';
import { BoardMeeting } from '../../server/src/meeting/board-meeting.js';
import { MemoryMeetingStateStore, MeetingStateStoreError } from '../../server/src/meeting/meeting-state-store.js';
import { RedisMeetingStateStore } from '../../server/src/meeting/redis-meeting-state.js';
import { openInspector, redisForThisFile } from '../helpers/redis-fixture.js';
import { redisStoreFixture } from '../helpers/store-fixture.js';
import { describeMeetingStateStoreContract, type MeetingStateStoreFixture } from './meeting-state-store.contract.js';

async function memoryStore(): Promise<MeetingStateStoreFixture> {
  const store = new MemoryMeetingStateStore();
  return { store, another: async () => store, cleanup: () => store.close() };
}

/** One real redis-server (AOF on) for this file; each fixture gets its own key prefix. */
const redis = redisForThisFile();
const { server: sharedRedis, freshPrefix } = redis;

/** A Redis store under a fresh key prefix; `another` opens a second connection on the same prefix, as a second process. */
async function redisStore(): Promise<MeetingStateStoreFixture> {
  const { store, openAnother, cleanup } = await redisStoreFixture(redis, (options) => RedisMeetingStateStore.connect(options));
  return { store, another: openAnother, cleanup };
}

const implementations: { name: string; factory: () => Promise<MeetingStateStoreFixture> }[] = [
  { name: 'MemoryMeetingStateStore', factory: memoryStore },
  { name: 'RedisMeetingStateStore', factory: redisStore },
];

describe.each(implementations)('$name', ({ name, factory }) => {
  describeMeetingStateStoreContract(name, factory);
});

describe('RedisMeetingStateStore', () => {
  async function withInspector<T>(
    run: (inspector: Awaited<ReturnType<typeof openInspector>>, keyPrefix: string, store: RedisMeetingStateStore) => Promise<T>,
  ): Promise<T> {
    const { url } = await sharedRedis();
    const keyPrefix = freshPrefix();
    const store = await RedisMeetingStateStore.connect({ url, keyPrefix });
    const inspector = await openInspector(url);
    try {
      return await run(inspector, keyPrefix, store);
    } finally {
      inspector.destroy();
      await store.close();
    }
  }

  it('keeps a board meeting in three keys under the prefix, with the board id as hash tag and the idle time as TTL', async () => {
    await withInspector(async (inspector, keyPrefix, store) => {
      await store.update('board_keys_1', (draft) => (draft.meeting = new BoardMeeting({ id: 'ana', name: 'Ana' }, 0)), { idleMs: 60_000 });
      await store.attend('board_keys_1', [{ connectionId: 'socket-1', person: { id: 'ana', name: 'Ana', kind: 'member' }, joinedAt: 1 }], {
        idleMs: 60_000,
        attendanceTtlMs: 30_000,
      });
      const base = `${keyPrefix}meeting:{board_keys_1}:`;
      expect((await inspector.keys(`${keyPrefix}*`)).sort()).toEqual([`${base}expiries`, `${base}people`, `${base}state`]);
      const ttl = await inspector.pTTL(`${base}state`);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(await inspector.pTTL(`${base}people`)).toBeGreaterThan(0);

      await store.leave('board_keys_1', ['socket-1'], { idleMs: 60_000 });
      await store.update('board_keys_1', (draft) => (draft.meeting = null), { idleMs: 60_000 });
      expect(await inspector.keys(`${keyPrefix}*`)).toEqual([]);
    });
  });

  it('refuses, with a named error, a stored meeting that is not one', async () => {
    await withInspector(async (inspector, keyPrefix, store) => {
      await inspector.hSet(`${keyPrefix}meeting:{board_bad_1}:state`, { version: 'v1', meeting: JSON.stringify({ version: 1, meetingId: 'm' }) });
      await expect(store.read('board_bad_1')).rejects.toThrow(MeetingStateStoreError);
      await expect(store.update('board_bad_1', () => undefined, { idleMs: 60_000 })).rejects.toThrow(/is not a meeting/);
      await inspector.hSet(`${keyPrefix}meeting:{board_bad_2}:people`, { 'socket-1': '{"connectionId":"socket-1"}' });
      await inspector.zAdd(`${keyPrefix}meeting:{board_bad_2}:expiries`, { score: Date.now() + 60_000, value: 'socket-1' });
      await expect(store.read('board_bad_2')).rejects.toThrow(MeetingStateStoreError);
    });
  });

  it('rejects connect with a clear error when Redis cannot be reached', async () => {
    await expect(RedisMeetingStateStore.connect({ url: 'redis://127.0.0.1:1', initialConnectAttempts: 2 })).rejects.toThrow(
      /could not connect to Redis after 2 attempts/,
    );
  });
});
