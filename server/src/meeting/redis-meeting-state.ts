import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '@passerelle/shared';
import { defineScript, type CommandParser } from 'redis';
import { keyPrefixOf, StoreConnection, type RedisStoreOptions } from '../store/redis-connection.js';
import {
  decodeAttendance,
  decodeMeeting,
  encodeMeeting,
  MeetingStateStoreError,
  type AttendanceRecord,
  type MeetingDraft,
  type MeetingLifetimes,
  type MeetingSnapshot,
  type MeetingStateStore,
} from './meeting-state-store.js';

/**
 * The `MeetingStateStore` for several Passerelle processes serving the same boards. Each board's
 * meeting is three keys, all with the board id as hash tag (one Redis Cluster slot, as a script
 * touching them requires):
 *
 * - `<prefix>meeting:{<boardId>}:state`, a hash: `meeting` (the JSON of `BoardMeetingRecord`) and
 *   `version` (a random token, new at each write). Its TTL is the idle time: every change, join,
 *   leave, and each process's periodic refresh while anyone attends there, sets it again, so a
 *   meeting nobody has open anywhere (or whose processes all died) lapses by itself.
 * - `<prefix>meeting:{<boardId>}:people`, a hash: connection id → JSON of `AttendanceRecord`;
 * - `<prefix>meeting:{<boardId>}:expiries`, a sorted set: connection id → when its attendance
 *   lapses (Redis's clock, so processes' clocks need not agree). A process that dies without saying
 *   so stops refreshing its connections, and they drop out of the participants list.
 *
 * A change is optimistic: read the meeting and its version, apply the change in this process, and
 * write only if the version is still the one read (a Lua script, which Redis runs whole); otherwise
 * read again and retry. Changes from this process to one board are queued first, so retries only
 * happen between processes. Nothing is locked, so a process that stalls or dies mid-change blocks
 * no one, and no lock can expire under a slow writer. A random version rather than a counter: a
 * meeting that ended and started again can never be mistaken for the one read.
 */
/** Connection settings as for every Redis store (`RedisStoreOptions`); the key prefix must not contain `{` or `}`: the hash tag is the board id. */
export interface RedisMeetingStateOptions extends RedisStoreOptions {
  /**
   * Most attempts of one change when other processes keep changing the same meeting (default 50).
   * Each failed attempt means another process's change went in, so the meeting makes progress;
   * this only bounds how long one person may wait before hearing `internal`.
   */
  maxAttempts?: number;
}

/** Redis's clock in ms, and the dropping of lapsed attendance: shared by the scripts below. */
const PRELUDE = `
  local function now_ms()
    local t = redis.call('TIME')
    return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  local function drop_lapsed(people, expiries, now)
    local lapsed = redis.call('ZRANGEBYSCORE', expiries, '-inf', now)
    if #lapsed > 0 then
      redis.call('ZREMRANGEBYSCORE', expiries, '-inf', now)
      redis.call('HDEL', people, unpack(lapsed))
    end
    return #lapsed
  end`;

/** The meeting, its version and every live attendance, as one view: `[version, meeting, ...attendance]`. */
const READ = defineScript({
  NUMBER_OF_KEYS: 3,
  SCRIPT: `${PRELUDE}
    drop_lapsed(KEYS[2], KEYS[3], now_ms())
    local stored = redis.call('HMGET', KEYS[1], 'version', 'meeting')
    local reply = { stored[1] or '', stored[2] or '' }
    for _, record in ipairs(redis.call('HVALS', KEYS[2])) do reply[#reply + 1] = record end
    return reply`,
  parseCommand(parser: CommandParser, state: string, people: string, expiries: string) {
    parser.pushKeys([state, people, expiries]);
  },
  transformReply: undefined as unknown as () => string[],
});

/**
 * Writes the meeting (or, given '', ends it) if its version is still `expected` ('' for none);
 * 1 when written, 0 when another change went in first.
 */
const COMMIT = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `
    if (redis.call('HGET', KEYS[1], 'version') or '') ~= ARGV[1] then return 0 end
    if ARGV[3] == '' then
      redis.call('DEL', KEYS[1])
    else
      redis.call('HSET', KEYS[1], 'version', ARGV[2], 'meeting', ARGV[3])
      redis.call('PEXPIRE', KEYS[1], ARGV[4])
    end
    return 1`,
  parseCommand(parser: CommandParser, state: string, expected: string, version: string, meeting: string, idleMs: number) {
    parser.pushKey(state);
    parser.push(expected, version, meeting, String(idleMs));
  },
  transformReply: undefined as unknown as () => number,
});

/**
 * Records (or refreshes) attendances and keeps the meeting from lapsing; returns how many lapsed
 * attendances were dropped. The two attendance keys expire with their latest entry (a TTL is only
 * ever lengthened here), so that they vanish too once every process has stopped.
 */
const ATTEND = defineScript({
  NUMBER_OF_KEYS: 3,
  SCRIPT: `${PRELUDE}
    local now = now_ms()
    local dropped = drop_lapsed(KEYS[2], KEYS[3], now)
    local ttl = tonumber(ARGV[1])
    for i = 3, #ARGV, 2 do
      redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
      redis.call('ZADD', KEYS[3], string.format('%d', now + ttl), ARGV[i])
    end
    if #ARGV > 2 then
      for _, key in ipairs({ KEYS[2], KEYS[3] }) do
        if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
      end
    end
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return dropped`,
  parseCommand(parser: CommandParser, state: string, people: string, expiries: string, ttlMs: number, idleMs: number, entries: string[]) {
    parser.pushKeys([state, people, expiries]);
    parser.push(String(ttlMs), String(idleMs), ...entries);
  },
  transformReply: undefined as unknown as () => number,
});

/** Forgets attendances; the meeting's idle time starts again from now. */
const LEAVE = defineScript({
  NUMBER_OF_KEYS: 3,
  SCRIPT: `
    for i = 2, #ARGV do
      redis.call('HDEL', KEYS[2], ARGV[i])
      redis.call('ZREM', KEYS[3], ARGV[i])
    end
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    return 1`,
  parseCommand(parser: CommandParser, state: string, people: string, expiries: string, idleMs: number, connectionIds: string[]) {
    parser.pushKeys([state, people, expiries]);
    parser.push(String(idleMs), ...connectionIds);
  },
  transformReply: undefined as unknown as () => number,
});

const SCRIPTS = { READ, COMMIT, ATTEND, LEAVE };

/** A `MeetingStateStore` on Redis, shared by every process that uses the same Redis and key prefix. */
export class RedisMeetingStateStore implements MeetingStateStore {
  readonly sharedAcrossProcesses = true;
  readonly #redis: StoreConnection<typeof SCRIPTS>;
  readonly #keyPrefix: string;
  readonly #maxAttempts: number;
  /** Per board, the end of this process's queue of changes. */
  readonly #queues = new Map<string, Promise<void>>();

  /** Starts connecting at once; the first operation waits for the connection (see `connect` to fail fast). */
  constructor(options: RedisMeetingStateOptions) {
    this.#keyPrefix = keyPrefixOf(options, () => new MeetingStateStoreError('keyPrefix must not contain { or }: the hash tag is the board id'));
    this.#maxAttempts = options.maxAttempts ?? 50;
    // A meeting message sent while Redis is unreachable is refused at once (no offline queue): the
    // person sees an error and may try again, rather than being acknowledged late, after others moved on.
    this.#redis = new StoreConnection(options, SCRIPTS);
  }

  /** Opens a store and resolves once Redis answered, so that a wrong `REDIS_URL` stops the server at start. */
  static async connect(options: RedisMeetingStateOptions): Promise<RedisMeetingStateStore> {
    const store = new RedisMeetingStateStore(options);
    return store.#redis.ready(store);
  }

  #keys(boardId: string) {
    const base = `${this.#keyPrefix}meeting:{${boardId}}:`;
    return { state: `${base}state`, people: `${base}people`, expiries: `${base}expiries` };
  }

  async read(boardId: string): Promise<MeetingSnapshot> {
    await this.#redis.connected;
    const keys = this.#keys(boardId);
    const reply: unknown = await this.#redis.client.READ(keys.state, keys.people, keys.expiries);
    if (!Array.isArray(reply) || reply.length < 2 || !reply.every((value) => typeof value === 'string')) {
      throw new MeetingStateStoreError(`unexpected reply reading the meeting of board ${boardId}`);
    }
    const [, meeting, ...attendance] = reply as string[];
    return {
      meeting: meeting === '' ? null : decodeMeeting(meeting, boardId),
      attendance: attendance.map((json) => decodeAttendance(json, boardId)),
    };
  }

  update<T>(boardId: string, change: (draft: MeetingDraft) => T, lifetimes: Pick<MeetingLifetimes, 'idleMs'>): Promise<T> {
    return this.#serially(boardId, async () => {
      await this.#redis.connected;
      const { state } = this.#keys(boardId);
      for (let attempt = 1; ; attempt++) {
        const [version, before] = await this.#redis.client.hmGet(state, ['version', 'meeting']);
        const draft: MeetingDraft = { meeting: before ? decodeMeeting(before, boardId) : null };
        const result = change(draft);
        const after = draft.meeting ? encodeMeeting(draft.meeting) : null;
        if (after === (before ?? null)) return result;
        const written: unknown = await this.#redis.client.COMMIT(state, version ?? '', newId(), after ?? '', lifetimes.idleMs);
        if (written === 1) return result;
        if (written !== 0) throw new MeetingStateStoreError(`unexpected reply writing the meeting of board ${boardId}`);
        if (attempt >= this.#maxAttempts) {
          throw new MeetingStateStoreError(`the meeting of board ${boardId} kept changing: gave up after ${attempt} attempts`);
        }
        // Another process's change went in; a short random pause keeps two busy processes from
        // colliding in step again.
        await sleep(Math.floor(Math.random() * Math.min(2 ** attempt, 50)));
      }
    });
  }

  async attend(boardId: string, attendance: AttendanceRecord[], lifetimes: MeetingLifetimes): Promise<number> {
    await this.#redis.connected;
    const keys = this.#keys(boardId);
    const entries = attendance.flatMap((record) => [record.connectionId, JSON.stringify(record)]);
    const dropped: unknown = await this.#redis.client.ATTEND(keys.state, keys.people, keys.expiries, lifetimes.attendanceTtlMs, lifetimes.idleMs, entries);
    if (typeof dropped !== 'number') throw new MeetingStateStoreError(`unexpected reply recording attendance on board ${boardId}`);
    return dropped;
  }

  async leave(boardId: string, connectionIds: string[], lifetimes: Pick<MeetingLifetimes, 'idleMs'>): Promise<void> {
    await this.#redis.connected;
    const keys = this.#keys(boardId);
    await this.#redis.client.LEAVE(keys.state, keys.people, keys.expiries, lifetimes.idleMs, connectionIds);
  }

  /** Resolves when Redis answers now, rejects otherwise (readiness). */
  async ping(): Promise<void> {
    await this.#redis.ping();
  }

  async close(): Promise<void> {
    await this.#redis.connected.catch(() => {});
    await Promise.allSettled(this.#queues.values());
    await this.#redis.close();
  }

  /** Runs this process's changes to one board one after the other, in the order they came. */
  #serially<T>(boardId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(boardId) ?? Promise.resolve();
    const run = previous.then(task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(boardId, settled);
    void settled.then(() => {
      if (this.#queues.get(boardId) === settled) this.#queues.delete(boardId);
    });
    return run;
  }
}
