import { defineScript, type CommandParser } from 'redis';
import {
  AuditEventType,
  BoardRole,
  Department,
  GuestRole,
  NotificationKind,
  WorkspaceAccess,
  type ApiTokenSummary,
  type AppNotification,
  type AuditEvent,
  type BoardSummary,
  type HistoryEntry,
  type Locale,
} from '@passerelle/shared';
import {
  EmailTakenError,
  type AccountStore,
  type BoardAccessRecord,
  type GuestInviteRecord,
  type GuestRecord,
  type InvitationRecord,
  type NewAuditEvent,
  type UserRecord,
} from './account-store.js';
import { closeStoreClient, openStoreClient, pingRedis, RedisStoreError, storeKeyBase, readyOrClosed, type RedisStoreOptions } from './redis-connection.js';

/**
 * The `AccountStore` for several Passerelle processes: people, sessions, tokens, the list of boards
 * and their access, invitations, guests, the audit log, notifications and board history, all in
 * Redis, so that any process can serve any request. Key layout and why: `docs/redis.md`.
 *
 * It keeps every rule the SQLite store's schema enforces (unique emails and token hashes, one first
 * administrator, single-use invitations, references to existing people and boards, what deleting a
 * board takes with it). Each write that checks or touches more than one key is one Lua script, which
 * Redis runs alone: two processes creating the same email, or accepting the same invitation, are
 * serialised by Redis itself. Lists come back in the SQLite store's order, ties included.
 */
export type RedisAccountStoreOptions = RedisStoreOptions;

/** A write refused because it would break a rule of the stored data, as SQLite's constraints refuse it. */
export class AccountConstraintError extends Error {
  override readonly name = 'AccountConstraintError';
  constructor(
    /** Which kind of rule: a reference to a row that does not exist, or a second row with a unique value. */
    readonly constraint: 'FOREIGN KEY' | 'UNIQUE',
    detail: string,
  ) {
    super(`${constraint} constraint failed: ${detail}`);
  }
}

/**
 * One script with any number of keys: `KEYS` are the keys it was given, `ARGV[1]` is always the
 * store's key base, so a cascade can name the keys it finds (every key shares the base's hash tag,
 * hence the slot). It replies with a status word, a number or a list.
 */
function script(source: string) {
  return defineScript({
    SCRIPT: source,
    parseCommand(parser: CommandParser, keys: string[], args: string[]) {
      parser.pushKeysLength(keys);
      parser.push(...args);
    },
    transformReply: undefined as unknown as () => unknown,
  });
}

/**
 * Creates a person: keys `users`, `users:by-email`, `user:<id>`, `seq`; args: base, id, email,
 * first-only flag, then the hash's fields. The email index is the uniqueness rule, checked and set in
 * the same step as the account is written; with the flag, only while no account exists at all.
 */
const CREATE_USER = script(`
  if ARGV[4] == '1' and redis.call('ZCARD', KEYS[1]) > 0 then return 'not_first' end
  if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 then return 'email_taken' end
  if redis.call('EXISTS', KEYS[3]) == 1 then return 'id_taken' end
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[2])
  redis.call('HSET', KEYS[3], unpack(ARGV, 5))
  redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[4]), ARGV[2])
  return 'ok'`);

/**
 * Updates fields of one record only if it exists (an update never creates a half record): key: the
 * record; args: base, the number of field/value pairs, the pairs, then fields to remove (null values).
 */
const PATCH = script(`
  if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
  local pairs = tonumber(ARGV[2])
  if pairs > 0 then redis.call('HSET', KEYS[1], unpack(ARGV, 3, 2 + 2 * pairs)) end
  if #ARGV > 2 + 2 * pairs then redis.call('HDEL', KEYS[1], unpack(ARGV, 3 + 2 * pairs)) end
  return 1`);

/**
 * Sets a field of a record once: keys: the record; args: base, field, value, then fields that must
 * all be absent (a revoked or accepted link stays so). 1 when it was set. This is what makes an
 * invitation single-use: of two concurrent acceptances, the second finds `acceptedAt`.
 */
const SET_ONCE = script(`
  if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
  for i = 4, #ARGV do
    if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 1 then return 0 end
  end
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
  return 1`);

/**
 * Inserts a record that refers to others and may be indexed by a unique value: keys: the record, its
 * list (a sorted set in insertion order), `seq`, the unique index (or the record again when it has
 * none), then every record it refers to; args: base, id, unique value ('' for none), the number of
 * referred keys, then the fields. Replies 'missing:<n>' with the first referred key that does not
 * exist, or 'taken' when the id or the unique value is.
 */
const INSERT = script(`
  local refs = tonumber(ARGV[4])
  for i = 1, refs do
    if redis.call('EXISTS', KEYS[4 + i]) == 0 then return 'missing:' .. i end
  end
  if redis.call('EXISTS', KEYS[1]) == 1 then return 'taken' end
  if ARGV[3] ~= '' and redis.call('HEXISTS', KEYS[4], ARGV[3]) == 1 then return 'taken' end
  redis.call('HSET', KEYS[1], unpack(ARGV, 5))
  if ARGV[3] ~= '' then redis.call('HSET', KEYS[4], ARGV[3], ARGV[2]) end
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[2])
  return 'ok'`);

/**
 * Opens a session: keys: the person, `session:<hash>`, `user:<id>:sessions`; args: base, hash,
 * user id, expiresAt, its epoch milliseconds, createdAt, now in epoch milliseconds. The session key
 * expires by itself at `expiresAt`; the person's index of sessions (for deactivation) drops the
 * entries of expired sessions and lives as long as the longest one.
 */
const CREATE_SESSION = script(`
  if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing:1' end
  if redis.call('EXISTS', KEYS[2]) == 1 then return 'taken' end
  redis.call('HSET', KEYS[2], 'userId', ARGV[3], 'expiresAt', ARGV[4], 'createdAt', ARGV[6])
  redis.call('PEXPIREAT', KEYS[2], ARGV[5])
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[7])
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[2])
  local longest = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', KEYS[3], longest[2])
  return 'ok'`);

/** Ends one session: keys: `session:<hash>`; args: base, hash. */
const DELETE_SESSION = script(`
  local userId = redis.call('HGET', KEYS[1], 'userId')
  redis.call('DEL', KEYS[1])
  if userId then redis.call('ZREM', ARGV[1] .. 'user:' .. userId .. ':sessions', ARGV[2]) end
  return 'ok'`);

/** Ends every session of a person: keys: `user:<id>:sessions`; args: base, user id. */
const DELETE_SESSIONS_OF = script(`
  for _, hash in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    local session = ARGV[1] .. 'session:' .. hash
    if redis.call('HGET', session, 'userId') == ARGV[2] then redis.call('DEL', session) end
  end
  redis.call('DEL', KEYS[1])
  return 'ok'`);

/**
 * Removes an account an undone import created: keys: `users`, `users:by-email`, `user:<id>`,
 * `user:<id>:boards`, `user:<id>:sessions`, `user:<id>:tokens`; args: base, user id. Its email,
 * board roles, sessions and tokens go with it, as SQLite's cascades take them. 1 when it existed.
 */
const DELETE_IMPORTED_USER = script(`
  if redis.call('EXISTS', KEYS[3]) == 0 then return 0 end
  local base = ARGV[1]
  local email = redis.call('HGET', KEYS[3], 'email')
  if email and redis.call('HGET', KEYS[2], email) == ARGV[2] then redis.call('HDEL', KEYS[2], email) end
  for _, boardId in ipairs(redis.call('HKEYS', KEYS[4])) do
    redis.call('HDEL', base .. 'board:' .. boardId .. ':members', ARGV[2])
  end
  for _, hash in ipairs(redis.call('ZRANGE', KEYS[5], 0, -1)) do
    local session = base .. 'session:' .. hash
    if redis.call('HGET', session, 'userId') == ARGV[2] then redis.call('DEL', session) end
  end
  for _, tokenId in ipairs(redis.call('ZRANGE', KEYS[6], 0, -1)) do
    local token = base .. 'token:' .. tokenId
    local tokenHash = redis.call('HGET', token, 'tokenHash')
    if tokenHash then redis.call('HDEL', base .. 'tokens:by-hash', tokenHash) end
    redis.call('DEL', token)
  end
  redis.call('DEL', KEYS[3], KEYS[4], KEYS[5], KEYS[6])
  redis.call('ZREM', KEYS[1], ARGV[2])
  return 1`);

/** Deletes an API token if it is the person's: keys: `token:<id>`, `tokens:by-hash`, `user:<id>:tokens`; args: base, user id, token id. */
const DELETE_TOKEN = script(`
  if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[2] then return 0 end
  redis.call('HDEL', KEYS[2], redis.call('HGET', KEYS[1], 'tokenHash'))
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[3], ARGV[3])
  return 1`);

/**
 * Deletes a board and what SQLite deletes with it (ON DELETE CASCADE): its members' roles, its guest
 * invites, their guests and the guests' sessions. Its history and notifications stay, as in SQLite
 * (they have no reference to the board row). Keys: `board:<id>`, `boards`, `board:<id>:members`,
 * `board:<id>:guest-invites`, `guest-invites:by-token`; args: base, board id. 1 when it existed.
 */
const DELETE_BOARD = script(`
  if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
  local base = ARGV[1]
  for _, userId in ipairs(redis.call('HKEYS', KEYS[3])) do
    redis.call('HDEL', base .. 'user:' .. userId .. ':boards', ARGV[2])
  end
  for _, inviteId in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
    local invite = base .. 'guest-invite:' .. inviteId
    local tokenHash = redis.call('HGET', invite, 'tokenHash')
    if tokenHash then redis.call('HDEL', KEYS[5], tokenHash) end
    for _, guestId in ipairs(redis.call('ZRANGE', invite .. ':guests', 0, -1)) do
      local guest = base .. 'guest:' .. guestId
      for _, hash in ipairs(redis.call('SMEMBERS', guest .. ':sessions')) do
        local session = base .. 'guest-session:' .. hash
        if redis.call('HGET', session, 'guestId') == guestId then redis.call('DEL', session) end
      end
      redis.call('DEL', guest, guest .. ':sessions')
    end
    redis.call('DEL', invite, invite .. ':guests')
  end
  redis.call('DEL', KEYS[1], KEYS[3], KEYS[4])
  redis.call('ZREM', KEYS[2], ARGV[2])
  return 1`);

/**
 * Sets or removes a member's role on a board, in the board's members and the person's boards: keys:
 * `board:<id>`, `user:<id>`, `board:<id>:members`, `user:<id>:boards`; args: base, board id,
 * user id, role ('' removes).
 */
const SET_BOARD_MEMBER = script(`
  if ARGV[4] == '' then
    redis.call('HDEL', KEYS[3], ARGV[3])
    redis.call('HDEL', KEYS[4], ARGV[2])
    return 'ok'
  end
  if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing:1' end
  if redis.call('EXISTS', KEYS[2]) == 0 then return 'missing:2' end
  redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
  redis.call('HSET', KEYS[4], ARGV[2], ARGV[4])
  return 'ok'`);

/** Opens a guest's session: keys: `guest:<id>`, `guest-session:<hash>`, `guest:<id>:sessions`; args: base, hash, guest id, createdAt. */
const CREATE_GUEST_SESSION = script(`
  if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing:1' end
  if redis.call('EXISTS', KEYS[2]) == 1 then return 'taken' end
  redis.call('HSET', KEYS[2], 'guestId', ARGV[3], 'createdAt', ARGV[4])
  redis.call('SADD', KEYS[3], ARGV[2])
  return 'ok'`);

/** Ends a guest's session: keys: `guest-session:<hash>`; args: base, hash. */
const DELETE_GUEST_SESSION = script(`
  local guestId = redis.call('HGET', KEYS[1], 'guestId')
  redis.call('DEL', KEYS[1])
  if guestId then redis.call('SREM', ARGV[1] .. 'guest:' .. guestId .. ':sessions', ARGV[2]) end
  return 'ok'`);

/**
 * Appends numbered entries to a log: keys: the counter, the entries hash, the index of all entries;
 * args: base, the prefix of secondary index keys, then pairs of (secondary index suffix, or '' for
 * none; JSON). Numbers come from the counter, so they only go up, as SQLite's AUTOINCREMENT ids.
 * Used for the audit log (secondary index: the type) and board history (the card).
 */
const APPEND_LOG = script(`
  local ids = {}
  for i = 3, #ARGV, 2 do
    local id = redis.call('INCR', KEYS[1])
    redis.call('HSET', KEYS[2], id, ARGV[i + 1])
    redis.call('ZADD', KEYS[3], id, id)
    if ARGV[i] ~= '' then redis.call('ZADD', ARGV[2] .. ARGV[i], id, id) end
    ids[#ids + 1] = id
  end
  return ids`);

/**
 * Stores a notification: keys: the person, `notification:<id>`, `user:<id>:notifications`,
 * `user:<id>:notifications:unread`; args: base, id, the index member (`<at>\0<id>`), unread flag,
 * then the fields.
 */
const CREATE_NOTIFICATION = script(`
  if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing:1' end
  if redis.call('EXISTS', KEYS[2]) == 1 then return 'taken' end
  redis.call('HSET', KEYS[2], unpack(ARGV, 5))
  redis.call('ZADD', KEYS[3], 0, ARGV[3])
  if ARGV[4] == '1' then redis.call('SADD', KEYS[4], ARGV[2]) end
  return 'ok'`);

/**
 * The ids of a person's newest notifications by `at`: keys: `user:<id>:notifications` (members
 * `<at>\0<id>`, all of score 0, so in byte order as SQLite compares text); args: base, limit (-1:
 * all). Among notifications of the same instant SQLite orders by id ascending, which this order
 * reversed does not: when the limit cuts into an instant, every notification of that instant is
 * returned, and the caller sorts and cuts.
 */
const NEWEST_NOTIFICATIONS = script(`
  local newest = redis.call('ZRANGE', KEYS[1], '+', '-', 'BYLEX', 'REV', 'LIMIT', 0, tonumber(ARGV[2]))
  if tonumber(ARGV[2]) < 0 or #newest < tonumber(ARGV[2]) or #newest == 0 then return newest end
  local last = newest[#newest]
  local at = string.sub(last, 1, string.find(last, '\\0', 1, true) - 1)
  local reply = {}
  for _, member in ipairs(newest) do
    if string.sub(member, 1, #at + 1) ~= at .. '\\0' then reply[#reply + 1] = member end
  end
  for _, member in ipairs(redis.call('ZRANGE', KEYS[1], '[' .. at .. '\\0', '(' .. at .. '\\1', 'BYLEX')) do
    reply[#reply + 1] = member
  end
  return reply`);

/**
 * Marks a person's unread notifications read: keys: `user:<id>:notifications:unread`; args: base,
 * at, then the ids (none: all of them). Only ids in the person's unread set are touched.
 */
const MARK_READ = script(`
  local ids = {}
  if #ARGV == 2 then ids = redis.call('SMEMBERS', KEYS[1]) else
    for i = 3, #ARGV do
      if redis.call('SISMEMBER', KEYS[1], ARGV[i]) == 1 then ids[#ids + 1] = ARGV[i] end
    end
  end
  for _, id in ipairs(ids) do
    redis.call('HSET', ARGV[1] .. 'notification:' .. id, 'readAt', ARGV[2])
    redis.call('SREM', KEYS[1], id)
  end
  return #ids`);

const SCRIPTS = {
  CREATE_USER,
  PATCH,
  SET_ONCE,
  INSERT,
  CREATE_SESSION,
  DELETE_SESSION,
  DELETE_SESSIONS_OF,
  DELETE_TOKEN,
  DELETE_IMPORTED_USER,
  DELETE_BOARD,
  SET_BOARD_MEMBER,
  CREATE_GUEST_SESSION,
  DELETE_GUEST_SESSION,
  APPEND_LOG,
  CREATE_NOTIFICATION,
  NEWEST_NOTIFICATIONS,
  MARK_READ,
};

type Fields = Record<string, string>;
/** A record's fields to write: null and undefined values are left out (absent field = null). */
type Writable = Record<string, string | null | undefined>;

/** Field/value pairs of the present values, as HSET takes them. */
function pairsOf(record: Writable): string[] {
  return Object.entries(record).flatMap(([field, value]) => (value === null || value === undefined ? [] : [field, value]));
}

/** SQLite compares text byte by byte (BINARY collation): UTF-8 byte order, which UTF-16 `<` is not. */
function compareText(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Sorts stably (ties keep their insertion order, as SQLite's rowid order) by one text key. */
function sortByText<T>(items: T[], key: (item: T) => string, direction: 'asc' | 'desc'): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return items.sort((a, b) => sign * compareText(key(a), key(b)));
}

/** A field every stored record of this kind has; its absence means Redis holds something we did not write. */
function required(fields: Fields, field: string, what: string): string {
  const value = fields[field];
  if (value === undefined) throw new RedisStoreError(`stored ${what} ${fields.id ?? '?'} has no ${field}`);
  return value;
}

const nullable = (fields: Fields, field: string): string | null => fields[field] ?? null;
const asLocale = (value: string | null): Locale | null => (value === 'fr' || value === 'en' ? value : null);
const exists = (fields: Fields): boolean => Object.keys(fields).length > 0;

/** A JSON array of strings as stored; anything else reads as empty. */
function parseStrings(json: string | undefined): string[] {
  try {
    const value: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** Departments as stored (a JSON array); unknown values are dropped rather than trusted. */
const parseDepartments = (json: string | undefined): Department[] => parseStrings(json).filter((d): d is Department => Department.safeParse(d).success);

function parseObject(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function toUser(fields: Fields): UserRecord {
  return {
    id: required(fields, 'id', 'user'),
    email: required(fields, 'email', 'user'),
    name: required(fields, 'name', 'user'),
    passwordHash: required(fields, 'passwordHash', 'user'),
    isAdmin: fields.isAdmin === '1',
    locale: asLocale(nullable(fields, 'locale')),
    departments: parseDepartments(fields.departments),
    createdAt: required(fields, 'createdAt', 'user'),
    deactivatedAt: nullable(fields, 'deactivatedAt'),
  };
}

function toBoard(fields: Fields): BoardSummary {
  return {
    id: required(fields, 'id', 'board'),
    title: required(fields, 'title', 'board'),
    createdBy: required(fields, 'createdBy', 'board'),
    createdAt: required(fields, 'createdAt', 'board'),
    updatedAt: required(fields, 'updatedAt', 'board'),
  };
}

function toInvitation(fields: Fields, createdByName: string): InvitationRecord {
  return {
    id: required(fields, 'id', 'invitation'),
    tokenHash: required(fields, 'tokenHash', 'invitation'),
    email: required(fields, 'email', 'invitation'),
    departments: parseDepartments(fields.departments),
    isAdmin: fields.isAdmin === '1',
    createdBy: required(fields, 'createdBy', 'invitation'),
    createdByName,
    createdAt: required(fields, 'createdAt', 'invitation'),
    expiresAt: required(fields, 'expiresAt', 'invitation'),
    acceptedAt: nullable(fields, 'acceptedAt'),
    revokedAt: nullable(fields, 'revokedAt'),
  };
}

function toGuestInvite(fields: Fields, createdByName: string, guestCount: number): GuestInviteRecord {
  return {
    id: required(fields, 'id', 'guest invite'),
    boardId: required(fields, 'boardId', 'guest invite'),
    tokenHash: required(fields, 'tokenHash', 'guest invite'),
    // An unknown stored role grants the least.
    role: GuestRole.safeParse(fields.role).data ?? 'viewer',
    label: required(fields, 'label', 'guest invite'),
    createdBy: required(fields, 'createdBy', 'guest invite'),
    createdByName,
    createdAt: required(fields, 'createdAt', 'guest invite'),
    expiresAt: required(fields, 'expiresAt', 'guest invite'),
    revokedAt: nullable(fields, 'revokedAt'),
    guestCount,
  };
}

function toGuest(fields: Fields): GuestRecord {
  return {
    id: required(fields, 'id', 'guest'),
    inviteId: required(fields, 'inviteId', 'guest'),
    name: required(fields, 'name', 'guest'),
    organisation: nullable(fields, 'organisation'),
    locale: asLocale(nullable(fields, 'locale')),
    joinedAt: required(fields, 'joinedAt', 'guest'),
    revokedAt: nullable(fields, 'revokedAt'),
  };
}

function toNotification(fields: Fields): AppNotification {
  return {
    id: required(fields, 'id', 'notification'),
    // As stored, like the SQLite store: the kind was validated when the notification was made.
    kind: required(fields, 'kind', 'notification') as NotificationKind,
    at: required(fields, 'at', 'notification'),
    boardId: required(fields, 'boardId', 'notification'),
    boardTitle: required(fields, 'boardTitle', 'notification'),
    cardId: nullable(fields, 'cardId'),
    subject: required(fields, 'subject', 'notification'),
    actorId: nullable(fields, 'actorId'),
    actorName: nullable(fields, 'actorName'),
    excerpt: required(fields, 'excerpt', 'notification'),
    readAt: nullable(fields, 'readAt'),
  };
}

/** Reads one audit event written by `recordAudit`. */
function toAuditEvent(id: number, json: string): AuditEvent {
  const stored = parseObject(json);
  const details = stored.details && typeof stored.details === 'object' && !Array.isArray(stored.details) ? (stored.details as AuditEvent['details']) : {};
  return {
    id,
    at: String(stored.at ?? ''),
    // As stored, like the SQLite store: the type was one of AuditEventType when it was recorded.
    type: stored.type as AuditEventType,
    actorId: stringOrNull(stored.actorId),
    actorName: stringOrNull(stored.actorName),
    target: stringOrNull(stored.target),
    details,
    ip: stringOrNull(stored.ip),
  };
}

/** Reads one history entry written by `appendHistory`. */
function toHistoryEntry(id: number, json: string): HistoryEntry {
  const stored = parseObject(json);
  return {
    id,
    at: String(stored.at ?? ''),
    actorId: String(stored.actorId ?? ''),
    actorName: String(stored.actorName ?? ''),
    cardId: stringOrNull(stored.cardId),
    subjectKind: stored.subjectKind as HistoryEntry['subjectKind'],
    subject: String(stored.subject ?? ''),
    action: stored.action as HistoryEntry['action'],
    fields: Array.isArray(stored.fields) ? stored.fields.filter((f): f is string => typeof f === 'string') : [],
  };
}

/** `ZRANGE ... BYSCORE REV LIMIT` bounds for "ids below `before`, newest first, at most `limit`" (SQLite: LIMIT < 0 is all). */
function pageOf(query: { before?: number; limit: number }) {
  return {
    max: query.before === undefined ? '+inf' : `(${query.before}`,
    count: query.limit < 0 ? -1 : query.limit,
  };
}

/** An `AccountStore` on Redis, shared by every process that uses the same Redis and key prefix. */
export class RedisAccountStore implements AccountStore {
  readonly #client: ReturnType<typeof openStoreClient<typeof SCRIPTS>>['client'];
  readonly #connected: Promise<unknown>;
  /** `<prefix>{accounts}:`: the start of every key. */
  readonly #base: string;

  /** Starts connecting at once; the first operation waits for the connection (see `connect` to fail fast). */
  constructor(options: RedisAccountStoreOptions) {
    this.#base = storeKeyBase(options, 'accounts');
    const { client, connected } = openStoreClient(options, SCRIPTS);
    this.#client = client;
    this.#connected = connected;
  }

  /** Opens a store and resolves once Redis answered, so that a wrong `REDIS_URL` stops the server at start. */
  static async connect(options: RedisAccountStoreOptions): Promise<RedisAccountStore> {
    const store = new RedisAccountStore(options);
    return readyOrClosed(store, () => store.#connected.then(() => store.#client.ping()));
  }

  /** The key `<base><parts joined by :>`. */
  #key(...parts: string[]): string {
    return this.#base + parts.join(':');
  }

  /** Runs a script once connected; its first argument is always the key base. */
  async #run<Name extends keyof typeof SCRIPTS>(name: Name, keys: string[], args: string[]): Promise<unknown> {
    await this.#connected;
    return this.#client[name](keys, [this.#base, ...args]);
  }

  /** Turns a script's status word into the error SQLite would have thrown. */
  #check(status: unknown, refs: string[], what: string): void {
    if (status === 'ok') return;
    if (typeof status === 'string' && status.startsWith('missing:')) {
      throw new AccountConstraintError('FOREIGN KEY', `${what} refers to ${refs[Number(status.slice('missing:'.length)) - 1] ?? 'a missing record'}, which does not exist`);
    }
    if (status === 'taken') throw new AccountConstraintError('UNIQUE', `${what} already exists`);
    throw new RedisStoreError(`unexpected reply writing ${what}: ${String(status)}`);
  }

  async #hash(key: string): Promise<Fields> {
    await this.#connected;
    return this.#client.hGetAll(key);
  }

  /** The records behind a list of ids, in the list's order, without those deleted meanwhile. */
  async #records(ids: string[], keyOf: (id: string) => string): Promise<Fields[]> {
    await this.#connected;
    const records = await Promise.all(ids.map((id) => this.#client.hGetAll(keyOf(id))));
    return records.filter(exists);
  }

  /** Members of a sorted set in score order (for lists: insertion order). */
  async #members(key: string): Promise<string[]> {
    await this.#connected;
    return this.#client.zRange(key, 0, -1);
  }

  /** Who a record names as its creator, as the SQLite store's LEFT JOIN on users gives it: '' when unknown. */
  async #namesOf(userIds: string[]): Promise<Map<string, string>> {
    await this.#connected;
    const unique = [...new Set(userIds)];
    const names = await Promise.all(unique.map((id) => this.#client.hGet(this.#key('user', id), 'name')));
    return new Map(unique.map((id, index) => [id, names[index] ?? '']));
  }

  // ---- People ----------------------------------------------------------------------------------

  async countUsers(): Promise<number> {
    await this.#connected;
    return this.#client.zCard(this.#key('users'));
  }

  async #insertUser(user: UserRecord, onlyFirst: boolean): Promise<boolean> {
    const fields = pairsOf({
      id: user.id,
      email: user.email,
      name: user.name,
      passwordHash: user.passwordHash,
      isAdmin: user.isAdmin ? '1' : '0',
      locale: user.locale,
      departments: JSON.stringify(user.departments),
      createdAt: user.createdAt,
      deactivatedAt: user.deactivatedAt,
    });
    const status = await this.#run(
      'CREATE_USER',
      [this.#key('users'), this.#key('users', 'by-email'), this.#key('user', user.id), this.#key('seq')],
      [user.id, user.email, onlyFirst ? '1' : '0', ...fields],
    );
    if (status === 'not_first') return false;
    if (status === 'email_taken') throw new EmailTakenError();
    if (status === 'id_taken') throw new AccountConstraintError('UNIQUE', `user ${user.id} already exists`);
    this.#check(status, [], `user ${user.id}`);
    return true;
  }

  async createUser(user: UserRecord): Promise<void> {
    await this.#insertUser(user, false);
  }

  /** Atomic across processes: of several concurrent calls on an empty store, exactly one creates its account. */
  async createFirstUser(user: UserRecord): Promise<boolean> {
    return this.#insertUser(user, true);
  }

  /**
   * The setup link processes starting on an empty store agree on (`SetupLinkRegistry`): the first
   * secret offered is kept and returned to every process. Only meaningful while no account exists,
   * when it is the one way in; once the administrator exists it is ignored.
   */
  async agreeOnSetupSecret(secret: string): Promise<string> {
    await this.#connected;
    const key = this.#key('setup-secret');
    await this.#client.set(key, secret, { condition: 'NX' });
    const agreed = await this.#client.get(key);
    if (typeof agreed !== 'string') throw new RedisStoreError('the shared setup secret vanished');
    return agreed;
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    await this.#connected;
    const id = await this.#client.hGet(this.#key('users', 'by-email'), email);
    return id === null || id === undefined ? undefined : this.findUserById(id);
  }

  async findUserById(id: string): Promise<UserRecord | undefined> {
    const fields = await this.#hash(this.#key('user', id));
    return exists(fields) ? toUser(fields) : undefined;
  }

  async updateUser(
    id: string,
    patch: { name?: string; locale?: Locale | null; departments?: Department[]; isAdmin?: boolean; deactivatedAt?: string | null },
  ): Promise<UserRecord | undefined> {
    await this.#patch(this.#key('user', id), {
      departments: patch.departments === undefined ? undefined : JSON.stringify([...new Set(patch.departments)]),
      name: patch.name,
      locale: patch.locale,
      isAdmin: patch.isAdmin === undefined ? undefined : patch.isAdmin ? '1' : '0',
      deactivatedAt: patch.deactivatedAt,
    });
    return this.findUserById(id);
  }

  /** Applies a patch whole to an existing record: undefined leaves a field, null removes it. 1 when the record exists. */
  async #patch(key: string, patch: Writable): Promise<boolean> {
    const set = Object.entries(patch).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    const removed = Object.entries(patch).filter(([, value]) => value === null).map(([field]) => field);
    return (await this.#run('PATCH', [key], [String(set.length), ...set.flat(), ...removed])) === 1;
  }

  async deleteImportedUser(id: string): Promise<boolean> {
    const keys = [this.#key('users'), this.#key('users', 'by-email'), this.#key('user', id), this.#key('user', id, 'boards'), this.#key('user', id, 'sessions'), this.#key('user', id, 'tokens')];
    return (await this.#run('DELETE_IMPORTED_USER', keys, [id])) === 1;
  }

  async listUsers(): Promise<UserRecord[]> {
    const records = await this.#records(await this.#members(this.#key('users')), (id) => this.#key('user', id));
    return sortByText(records.map(toUser), (user) => user.name, 'asc');
  }

  // ---- Sessions and API tokens -------------------------------------------------------------------

  /**
   * The session key expires by itself at `expiresAt` (Redis's clock), so no sweeper is needed; a
   * session past its expiry is then not found, where the SQLite store returns it for the caller to
   * refuse (AuthService treats both alike). An `expiresAt` that is not a date is refused.
   */
  async createSession(tokenHash: string, userId: string, expiresAt: string): Promise<void> {
    const expiresAtMs = Date.parse(expiresAt);
    if (!Number.isFinite(expiresAtMs)) throw new RangeError(`a session's expiresAt must be a date, got ${expiresAt}`);
    const userKey = this.#key('user', userId);
    const status = await this.#run(
      'CREATE_SESSION',
      [userKey, this.#key('session', tokenHash), this.#key('user', userId, 'sessions')],
      [tokenHash, userId, expiresAt, String(Math.floor(expiresAtMs)), new Date().toISOString(), String(Date.now())],
    );
    this.#check(status, [`user ${userId}`], 'session');
  }

  async findSession(tokenHash: string): Promise<{ userId: string; expiresAt: string } | undefined> {
    const fields = await this.#hash(this.#key('session', tokenHash));
    if (!exists(fields)) return undefined;
    return { userId: required(fields, 'userId', 'session'), expiresAt: required(fields, 'expiresAt', 'session') };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.#run('DELETE_SESSION', [this.#key('session', tokenHash)], [tokenHash]);
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    await this.#run('DELETE_SESSIONS_OF', [this.#key('user', userId, 'sessions')], [userId]);
  }

  async createApiToken(token: { id: string; userId: string; name: string; tokenHash: string; createdAt: string }): Promise<void> {
    const userKey = this.#key('user', token.userId);
    const status = await this.#run(
      'INSERT',
      [this.#key('token', token.id), this.#key('user', token.userId, 'tokens'), this.#key('seq'), this.#key('tokens', 'by-hash'), userKey],
      [token.id, token.tokenHash, '1', ...pairsOf({ id: token.id, userId: token.userId, name: token.name, tokenHash: token.tokenHash, createdAt: token.createdAt })],
    );
    this.#check(status, [`user ${token.userId}`], `API token ${token.id}`);
  }

  async findApiToken(tokenHash: string): Promise<{ id: string; userId: string } | undefined> {
    await this.#connected;
    const id = await this.#client.hGet(this.#key('tokens', 'by-hash'), tokenHash);
    if (id === null || id === undefined) return undefined;
    const userId = await this.#client.hGet(this.#key('token', id), 'userId');
    return userId === null || userId === undefined ? undefined : { id, userId };
  }

  async touchApiToken(id: string, usedAt: string): Promise<void> {
    await this.#patch(this.#key('token', id), { lastUsedAt: usedAt });
  }

  async listApiTokens(userId: string): Promise<ApiTokenSummary[]> {
    const records = await this.#records(await this.#members(this.#key('user', userId, 'tokens')), (id) => this.#key('token', id));
    const tokens = records.map((fields) => ({
      id: required(fields, 'id', 'API token'),
      name: required(fields, 'name', 'API token'),
      createdAt: required(fields, 'createdAt', 'API token'),
      lastUsedAt: nullable(fields, 'lastUsedAt'),
    }));
    return sortByText(tokens, (token) => token.createdAt, 'asc');
  }

  async deleteApiToken(userId: string, id: string): Promise<boolean> {
    const deleted = await this.#run('DELETE_TOKEN', [this.#key('token', id), this.#key('tokens', 'by-hash'), this.#key('user', userId, 'tokens')], [userId, id]);
    return deleted === 1;
  }

  // ---- Boards and access -------------------------------------------------------------------------

  async createBoard(board: BoardSummary): Promise<void> {
    const status = await this.#run(
      'INSERT',
      [this.#key('board', board.id), this.#key('boards'), this.#key('seq'), this.#key('board', board.id), this.#key('user', board.createdBy)],
      [
        board.id,
        '',
        '1',
        // A new board is open to every member as an editor, as the SQLite column's default.
        ...pairsOf({ id: board.id, title: board.title, createdBy: board.createdBy, createdAt: board.createdAt, updatedAt: board.updatedAt, workspaceAccess: 'editor' }),
      ],
    );
    this.#check(status, [`user ${board.createdBy}`], `board ${board.id}`);
  }

  async getBoard(id: string): Promise<BoardSummary | undefined> {
    const fields = await this.#hash(this.#key('board', id));
    return exists(fields) ? toBoard(fields) : undefined;
  }

  async listBoards(): Promise<BoardSummary[]> {
    const records = await this.#records(await this.#members(this.#key('boards')), (id) => this.#key('board', id));
    return sortByText(records.map(toBoard), (board) => board.updatedAt, 'desc');
  }

  async renameBoard(id: string, title: string, updatedAt: string): Promise<BoardSummary | undefined> {
    await this.#patch(this.#key('board', id), { title, updatedAt });
    return this.getBoard(id);
  }

  async deleteBoard(id: string): Promise<boolean> {
    const deleted = await this.#run(
      'DELETE_BOARD',
      [this.#key('board', id), this.#key('boards'), this.#key('board', id, 'members'), this.#key('board', id, 'guest-invites'), this.#key('guest-invites', 'by-token')],
      [id],
    );
    return deleted === 1;
  }

  async workspaceAccessOf(boardIds: readonly string[]): Promise<Map<string, WorkspaceAccess>> {
    await this.#connected;
    const access = new Map<string, WorkspaceAccess>();
    if (boardIds.length === 0) return access;
    // One round trip for every board.
    const pipeline = this.#client.multi();
    for (const boardId of boardIds) pipeline.hGet(this.#key('board', boardId), 'workspaceAccess');
    const replies = (await pipeline.execAsPipeline()) as unknown as (string | null)[];
    boardIds.forEach((boardId, index) => {
      const stored = replies[index];
      if (stored !== null && stored !== undefined) access.set(boardId, WorkspaceAccess.safeParse(stored).data ?? 'none');
    });
    return access;
  }

  async getBoardAccess(boardId: string): Promise<BoardAccessRecord | undefined> {
    await this.#connected;
    // One MULTI: the board's setting and its members as of the same moment.
    const [workspaceAccess, members] = (await this.#client
      .multi()
      .hGet(this.#key('board', boardId), 'workspaceAccess')
      .hGetAll(this.#key('board', boardId, 'members'))
      .exec()) as unknown as [string | null, Fields];
    if (workspaceAccess === null || workspaceAccess === undefined) return undefined;
    return {
      workspaceAccess: WorkspaceAccess.safeParse(workspaceAccess).data ?? 'none',
      // By user id, as SQLite reads them through the (board_id, user_id) primary key.
      members: Object.entries(members)
        .sort(([a], [b]) => compareText(a, b))
        .flatMap(([userId, stored]) => {
          const role = BoardRole.safeParse(stored);
          return role.success ? [{ userId, role: role.data }] : [];
        }),
    };
  }

  async setWorkspaceAccess(boardId: string, access: WorkspaceAccess): Promise<void> {
    await this.#patch(this.#key('board', boardId), { workspaceAccess: access });
  }

  async setBoardMember(boardId: string, userId: string, role: BoardRole | null): Promise<void> {
    const status = await this.#run(
      'SET_BOARD_MEMBER',
      [this.#key('board', boardId), this.#key('user', userId), this.#key('board', boardId, 'members'), this.#key('user', userId, 'boards')],
      [boardId, userId, role ?? ''],
    );
    this.#check(status, [`board ${boardId}`, `user ${userId}`], `member ${userId} of board ${boardId}`);
  }

  async boardRolesOf(userId: string): Promise<Map<string, BoardRole>> {
    const stored = await this.#hash(this.#key('user', userId, 'boards'));
    const roles = new Map<string, BoardRole>();
    for (const [boardId, value] of Object.entries(stored)) {
      const role = BoardRole.safeParse(value);
      if (role.success) roles.set(boardId, role.data);
    }
    return roles;
  }

  // ---- Member invitations ------------------------------------------------------------------------

  async createInvitation(invitation: Omit<InvitationRecord, 'createdByName'>): Promise<void> {
    const status = await this.#run(
      'INSERT',
      [this.#key('invitation', invitation.id), this.#key('invitations'), this.#key('seq'), this.#key('invitations', 'by-token'), this.#key('user', invitation.createdBy)],
      [
        invitation.id,
        invitation.tokenHash,
        '1',
        ...pairsOf({
          id: invitation.id,
          tokenHash: invitation.tokenHash,
          email: invitation.email,
          departments: JSON.stringify(invitation.departments),
          isAdmin: invitation.isAdmin ? '1' : '0',
          createdBy: invitation.createdBy,
          createdAt: invitation.createdAt,
          expiresAt: invitation.expiresAt,
          acceptedAt: invitation.acceptedAt,
          revokedAt: invitation.revokedAt,
        }),
      ],
    );
    this.#check(status, [`user ${invitation.createdBy}`], `invitation ${invitation.id}`);
  }

  async #invitations(ids: string[]): Promise<InvitationRecord[]> {
    const records = await this.#records(ids, (id) => this.#key('invitation', id));
    const names = await this.#namesOf(records.map((fields) => required(fields, 'createdBy', 'invitation')));
    return records.map((fields) => toInvitation(fields, names.get(fields.createdBy!) ?? ''));
  }

  async findInvitationByToken(tokenHash: string): Promise<InvitationRecord | undefined> {
    await this.#connected;
    const id = await this.#client.hGet(this.#key('invitations', 'by-token'), tokenHash);
    if (id === null || id === undefined) return undefined;
    const [invitation] = await this.#invitations([id]);
    return invitation;
  }

  async listInvitations(): Promise<InvitationRecord[]> {
    const invitations = await this.#invitations(await this.#members(this.#key('invitations')));
    return sortByText(invitations, (invitation) => invitation.createdAt, 'desc');
  }

  /** Atomic across processes: of concurrent acceptances (or an acceptance and a revocation), one wins. */
  async acceptInvitation(id: string, at: string): Promise<boolean> {
    return (await this.#run('SET_ONCE', [this.#key('invitation', id)], ['acceptedAt', at, 'acceptedAt', 'revokedAt'])) === 1;
  }

  async revokeInvitation(id: string, at: string): Promise<boolean> {
    return (await this.#run('SET_ONCE', [this.#key('invitation', id)], ['revokedAt', at, 'acceptedAt', 'revokedAt'])) === 1;
  }

  // ---- Partner guests ----------------------------------------------------------------------------

  async createGuestInvite(invite: Omit<GuestInviteRecord, 'createdByName' | 'guestCount'>): Promise<void> {
    const status = await this.#run(
      'INSERT',
      [
        this.#key('guest-invite', invite.id),
        this.#key('board', invite.boardId, 'guest-invites'),
        this.#key('seq'),
        this.#key('guest-invites', 'by-token'),
        this.#key('board', invite.boardId),
        this.#key('user', invite.createdBy),
      ],
      [
        invite.id,
        invite.tokenHash,
        '2',
        ...pairsOf({
          id: invite.id,
          boardId: invite.boardId,
          tokenHash: invite.tokenHash,
          role: invite.role,
          label: invite.label,
          createdBy: invite.createdBy,
          createdAt: invite.createdAt,
          expiresAt: invite.expiresAt,
          revokedAt: invite.revokedAt,
        }),
      ],
    );
    this.#check(status, [`board ${invite.boardId}`, `user ${invite.createdBy}`], `guest invite ${invite.id}`);
  }

  /** Guest invites with their creator's name and how many guests joined through each. */
  async #guestInvites(ids: string[]): Promise<GuestInviteRecord[]> {
    const records = await this.#records(ids, (id) => this.#key('guest-invite', id));
    const [names, counts] = await Promise.all([
      this.#namesOf(records.map((fields) => required(fields, 'createdBy', 'guest invite'))),
      Promise.all(records.map((fields) => this.#client.zCard(this.#key('guest-invite', fields.id!, 'guests')))),
    ]);
    return records.map((fields, index) => toGuestInvite(fields, names.get(fields.createdBy!) ?? '', counts[index]));
  }

  async findGuestInviteByToken(tokenHash: string): Promise<GuestInviteRecord | undefined> {
    await this.#connected;
    const id = await this.#client.hGet(this.#key('guest-invites', 'by-token'), tokenHash);
    return id === null || id === undefined ? undefined : this.getGuestInvite(id);
  }

  async getGuestInvite(id: string): Promise<GuestInviteRecord | undefined> {
    await this.#connected;
    const [invite] = await this.#guestInvites([id]);
    return invite;
  }

  async listGuestInvites(boardId: string): Promise<GuestInviteRecord[]> {
    const invites = await this.#guestInvites(await this.#members(this.#key('board', boardId, 'guest-invites')));
    return sortByText(invites, (invite) => invite.createdAt, 'desc');
  }

  async revokeGuestInvite(id: string, at: string): Promise<boolean> {
    return (await this.#run('SET_ONCE', [this.#key('guest-invite', id)], ['revokedAt', at, 'revokedAt'])) === 1;
  }

  async createGuest(guest: GuestRecord): Promise<void> {
    const guestKey = this.#key('guest', guest.id);
    const status = await this.#run(
      'INSERT',
      // No unique value besides the id: the record itself stands in for the index (never read, as the value is '').
      [guestKey, this.#key('guest-invite', guest.inviteId, 'guests'), this.#key('seq'), guestKey, this.#key('guest-invite', guest.inviteId)],
      [
        guest.id,
        '',
        '1',
        ...pairsOf({
          id: guest.id,
          inviteId: guest.inviteId,
          name: guest.name,
          organisation: guest.organisation,
          locale: guest.locale,
          joinedAt: guest.joinedAt,
          revokedAt: guest.revokedAt,
        }),
      ],
    );
    this.#check(status, [`guest invite ${guest.inviteId}`], `guest ${guest.id}`);
  }

  async getGuest(id: string): Promise<GuestRecord | undefined> {
    const fields = await this.#hash(this.#key('guest', id));
    return exists(fields) ? toGuest(fields) : undefined;
  }

  async listGuests(boardId: string): Promise<GuestRecord[]> {
    // Invite by invite, each invite's guests in the order they joined, then by joinedAt: SQLite's
    // order for ties, as it walks the board's invites and then each invite's guests.
    const inviteIds = await this.#members(this.#key('board', boardId, 'guest-invites'));
    const guestIds = (await Promise.all(inviteIds.map((id) => this.#members(this.#key('guest-invite', id, 'guests'))))).flat();
    const records = await this.#records(guestIds, (id) => this.#key('guest', id));
    return sortByText(records.map(toGuest), (guest) => guest.joinedAt, 'desc');
  }

  async revokeGuest(id: string, at: string): Promise<boolean> {
    return (await this.#run('SET_ONCE', [this.#key('guest', id)], ['revokedAt', at, 'revokedAt'])) === 1;
  }

  async createGuestSession(tokenHash: string, guestId: string): Promise<void> {
    const status = await this.#run(
      'CREATE_GUEST_SESSION',
      [this.#key('guest', guestId), this.#key('guest-session', tokenHash), this.#key('guest', guestId, 'sessions')],
      [tokenHash, guestId, new Date().toISOString()],
    );
    this.#check(status, [`guest ${guestId}`], 'guest session');
  }

  async findGuestSession(tokenHash: string): Promise<{ guestId: string } | undefined> {
    const fields = await this.#hash(this.#key('guest-session', tokenHash));
    return exists(fields) ? { guestId: required(fields, 'guestId', 'guest session') } : undefined;
  }

  async deleteGuestSession(tokenHash: string): Promise<void> {
    await this.#run('DELETE_GUEST_SESSION', [this.#key('guest-session', tokenHash)], [tokenHash]);
  }

  // ---- Audit log, notifications, history ----------------------------------------------------------

  async recordAudit(event: NewAuditEvent): Promise<void> {
    const stored = {
      at: event.at ?? new Date().toISOString(),
      type: event.type,
      actorId: event.actorId,
      actorName: event.actorName,
      target: event.target,
      details: event.details,
      ip: event.ip,
    };
    await this.#run('APPEND_LOG', [this.#key('seq', 'audit'), this.#key('audit', 'events'), this.#key('audit')], [this.#key('audit', 'type', ''), event.type, JSON.stringify(stored)]);
  }

  async listAudit(query: { type?: AuditEventType; before?: number; limit: number }): Promise<AuditEvent[]> {
    const index = query.type === undefined ? this.#key('audit') : this.#key('audit', 'type', query.type);
    const ids = await this.#newestIds(index, query);
    if (ids.length === 0) return [];
    const stored = await this.#client.hmGet(this.#key('audit', 'events'), ids);
    return ids.flatMap((id, i) => (typeof stored[i] === 'string' ? [toAuditEvent(Number(id), stored[i])] : []));
  }

  /** Ids of a numbered log below `before`, newest first, at most `limit`. */
  async #newestIds(index: string, query: { before?: number; limit: number }): Promise<string[]> {
    if (query.limit === 0) return [];
    await this.#connected;
    const { max, count } = pageOf(query);
    return this.#client.zRange(index, max, '-inf', { BY: 'SCORE', REV: true, LIMIT: { offset: 0, count } });
  }

  async createNotification(userId: string, n: AppNotification): Promise<void> {
    const status = await this.#run(
      'CREATE_NOTIFICATION',
      [this.#key('user', userId), this.#key('notification', n.id), this.#key('user', userId, 'notifications'), this.#key('user', userId, 'notifications', 'unread')],
      [
        n.id,
        `${n.at}\u0000${n.id}`,
        n.readAt === null ? '1' : '0',
        ...pairsOf({
          id: n.id,
          kind: n.kind,
          at: n.at,
          boardId: n.boardId,
          boardTitle: n.boardTitle,
          cardId: n.cardId,
          subject: n.subject,
          actorId: n.actorId,
          actorName: n.actorName,
          excerpt: n.excerpt,
          readAt: n.readAt,
        }),
      ],
    );
    this.#check(status, [`user ${userId}`], `notification ${n.id}`);
  }

  async listNotifications(userId: string, limit: number): Promise<AppNotification[]> {
    if (limit === 0) return [];
    const members = (await this.#run('NEWEST_NOTIFICATIONS', [this.#key('user', userId, 'notifications')], [String(limit < 0 ? -1 : limit)])) as string[];
    const ids = members.map((member) => member.slice(member.indexOf('\u0000') + 1));
    const notifications = (await this.#records(ids, (id) => this.#key('notification', id))).map(toNotification);
    // ORDER BY at DESC, id: newest first, and among those of one instant by id.
    const ordered = notifications.sort((a, b) => compareText(b.at, a.at) || compareText(a.id, b.id));
    return limit < 0 ? ordered : ordered.slice(0, limit);
  }

  async countUnreadNotifications(userId: string): Promise<number> {
    await this.#connected;
    return this.#client.sCard(this.#key('user', userId, 'notifications', 'unread'));
  }

  async markNotificationsRead(userId: string, ids: string[] | null, at: string): Promise<void> {
    // An empty list marks none (the script reads "no ids" as all).
    if (ids !== null && ids.length === 0) return;
    await this.#run('MARK_READ', [this.#key('user', userId, 'notifications', 'unread')], [at, ...(ids ?? [])]);
  }

  async appendHistory(boardId: string, entries: Omit<HistoryEntry, 'id'>[]): Promise<void> {
    if (entries.length === 0) return;
    const args = entries.flatMap((e) => [
      e.cardId === null ? '' : e.cardId,
      JSON.stringify({ at: e.at, actorId: e.actorId, actorName: e.actorName, cardId: e.cardId, subjectKind: e.subjectKind, subject: e.subject, action: e.action, fields: e.fields }),
    ]);
    await this.#run(
      'APPEND_LOG',
      [this.#key('seq', 'history'), this.#key('history', boardId, 'entries'), this.#key('history', boardId)],
      [this.#key('history', boardId, 'card', ''), ...args],
    );
  }

  async listHistory(boardId: string, query: { cardId?: string; before?: number; limit: number }): Promise<HistoryEntry[]> {
    const index = query.cardId === undefined ? this.#key('history', boardId) : this.#key('history', boardId, 'card', query.cardId);
    const ids = await this.#newestIds(index, query);
    if (ids.length === 0) return [];
    const stored = await this.#client.hmGet(this.#key('history', boardId, 'entries'), ids);
    return ids.flatMap((id, i) => (typeof stored[i] === 'string' ? [toHistoryEntry(Number(id), stored[i])] : []));
  }

  async ping(): Promise<void> {
    await pingRedis(this.#client);
  }

  async close(): Promise<void> {
    await closeStoreClient(this.#client, this.#connected);
  }
}
