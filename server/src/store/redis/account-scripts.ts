import { defineScript, type CommandParser } from 'redis';

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

/**
 * Ends one session of a person or a guest: keys: the session; args: base, hash. The session names
 * its owner (`<owner>Id`), whose index of sessions (`<owner>:<id>:sessions`, a sorted set for a
 * person, a set for a guest) drops it.
 */
const endSession = (owner: 'user' | 'guest', remove: 'ZREM' | 'SREM') =>
  script(`
  local ownerId = redis.call('HGET', KEYS[1], '${owner}Id')
  redis.call('DEL', KEYS[1])
  if ownerId then redis.call('${remove}', ARGV[1] .. '${owner}:' .. ownerId .. ':sessions', ARGV[2]) end
  return 'ok'`);

/** Ends one session: keys: `session:<hash>`; args: base, hash. */
const DELETE_SESSION = endSession('user', 'ZREM');

/** Ends every session of a person but the one kept: keys: `user:<id>:sessions`; args: base, user id, kept hash ('' for none). */
const DELETE_SESSIONS_OF = script(`
  for _, hash in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    if hash ~= ARGV[3] then
      local session = ARGV[1] .. 'session:' .. hash
      if redis.call('HGET', session, 'userId') == ARGV[2] then redis.call('DEL', session) end
      redis.call('ZREM', KEYS[1], hash)
    end
  end
  return 'ok'`);

/**
 * Removes an account an undone import created: keys: `users`, `users:by-email`, `user:<id>`,
 * `user:<id>:boards`, `user:<id>:sessions`, `user:<id>:tokens`, `user:<id>:external-ids`,
 * `external-ids`; args: base, user id. Its email, board roles, sessions, tokens, provider links,
 * calendar feeds, mail choices and link secret go with it, as SQLite's cascades take them. 1 when
 * it existed.
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
  local linked = redis.call('HGETALL', KEYS[7])
  for i = 1, #linked, 2 do
    local field = linked[i] .. ' ' .. linked[i + 1]
    if redis.call('HGET', KEYS[8], field) == ARGV[2] then redis.call('HDEL', KEYS[8], field) end
  end
  local user = base .. 'user:' .. ARGV[2]
  for _, feedId in ipairs(redis.call('HVALS', user .. ':calendar-feeds')) do
    local feed = base .. 'calendar-feed:' .. feedId
    local stored = redis.call('HMGET', feed, 'tokenHash', 'boardId')
    if stored[1] then redis.call('HDEL', base .. 'calendar-feeds:by-hash', stored[1]) end
    if stored[2] then redis.call('SREM', base .. 'board:' .. stored[2] .. ':calendar-feeds', feedId) end
    redis.call('DEL', feed)
  end
  redis.call('DEL', KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], user .. ':digest', user .. ':calendar-feeds', user .. ':mail-preferences', user .. ':mail-link-secret')
  redis.call('ZREM', KEYS[1], ARGV[2])
  return 1`);

/**
 * Links an account to its identity at a provider: keys `user:<id>`, `external-ids` (field
 * `<issuer> <subject>`, value the account; no space in an issuer URL), `user:<id>:external-ids`
 * (issuer to subject); args: base, user id, issuer, subject. Either side already linked elsewhere: 'conflict'.
 */
const LINK_EXTERNAL_ID = script(`
  if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing:1' end
  local field = ARGV[3] .. ' ' .. ARGV[4]
  local owner = redis.call('HGET', KEYS[2], field)
  local current = redis.call('HGET', KEYS[3], ARGV[3])
  if (owner and owner ~= ARGV[2]) or (current and current ~= ARGV[4]) then return 'conflict' end
  redis.call('HSET', KEYS[2], field, ARGV[2])
  redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
  return 'ok'`);

/**
 * Claims a person's digest of one day: key `user:<id>:digest` (the last day claimed and when); args:
 * base, day, at. Days compare as text (YYYY-MM-DD). Replies {'taken'} or {'claimed', previous at or ''}.
 */
const CLAIM_DIGEST = script(`
  local last = redis.call('HMGET', KEYS[1], 'day', 'at')
  if last[1] and last[1] >= ARGV[2] then return {'taken'} end
  redis.call('HSET', KEYS[1], 'day', ARGV[2], 'at', ARGV[3])
  return {'claimed', last[2] or ''}`);

/** Deletes an API token if it is the person's: keys: `token:<id>`, `tokens:by-hash`, `user:<id>:tokens`; args: base, user id, token id. */
const DELETE_TOKEN = script(`
  if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[2] then return 0 end
  redis.call('HDEL', KEYS[2], redis.call('HGET', KEYS[1], 'tokenHash'))
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[3], ARGV[3])
  return 1`);

/**
 * Deletes a board and what SQLite deletes with it (ON DELETE CASCADE): its members' roles, its guest
 * invites, their guests and the guests' sessions, its calendar feeds. Its history and notifications stay, as in SQLite
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
  local feeds = KEYS[1] .. ':calendar-feeds'
  for _, feedId in ipairs(redis.call('SMEMBERS', feeds)) do
    local feed = base .. 'calendar-feed:' .. feedId
    local stored = redis.call('HMGET', feed, 'tokenHash', 'userId')
    if stored[1] then redis.call('HDEL', base .. 'calendar-feeds:by-hash', stored[1]) end
    if stored[2] then
      local slots = base .. 'user:' .. stored[2] .. ':calendar-feeds'
      if redis.call('HGET', slots, ARGV[2]) == feedId then redis.call('HDEL', slots, ARGV[2]) end
    end
    redis.call('DEL', feed)
  end
  redis.call('DEL', KEYS[1], KEYS[3], KEYS[4], feeds)
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
const DELETE_GUEST_SESSION = endSession('guest', 'SREM');

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

/**
 * Sets a person's calendar feed for a board (or their own, slot '~'), replacing the feed the slot
 * held and its secret: keys: `calendar-feed:<id>`, `calendar-feeds:by-hash`,
 * `user:<id>:calendar-feeds` (slot to feed id), the person, the board (or the person again); args:
 * base, id, token hash, slot, then the feed's fields.
 */
const PUT_CALENDAR_FEED = script(`
  if redis.call('EXISTS', KEYS[4]) == 0 then return 'missing:1' end
  if redis.call('EXISTS', KEYS[5]) == 0 then return 'missing:2' end
  if redis.call('EXISTS', KEYS[1]) == 1 then return 'taken' end
  if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 then return 'taken' end
  local previous = redis.call('HGET', KEYS[3], ARGV[4])
  if previous then
    local old = ARGV[1] .. 'calendar-feed:' .. previous
    local hash = redis.call('HGET', old, 'tokenHash')
    if hash then redis.call('HDEL', KEYS[2], hash) end
    redis.call('DEL', old)
    if ARGV[4] ~= '~' then redis.call('SREM', KEYS[5] .. ':calendar-feeds', previous) end
  end
  redis.call('HSET', KEYS[1], unpack(ARGV, 5))
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[2])
  redis.call('HSET', KEYS[3], ARGV[4], ARGV[2])
  if ARGV[4] ~= '~' then redis.call('SADD', KEYS[5] .. ':calendar-feeds', ARGV[2]) end
  return 'ok'`);

/**
 * Revokes a calendar feed of its owner: keys: `calendar-feed:<id>`, `calendar-feeds:by-hash`,
 * `user:<id>:calendar-feeds`; args: base, owner id, feed id. 1 when it was theirs.
 */
const DELETE_CALENDAR_FEED = script(`
  if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[2] then return 0 end
  redis.call('HDEL', KEYS[2], redis.call('HGET', KEYS[1], 'tokenHash'))
  local slot = redis.call('HGET', KEYS[1], 'boardId')
  if not slot then slot = '~' end
  if redis.call('HGET', KEYS[3], slot) == ARGV[3] then redis.call('HDEL', KEYS[3], slot) end
  if slot ~= '~' then redis.call('SREM', ARGV[1] .. 'board:' .. slot .. ':calendar-feeds', ARGV[3]) end
  redis.call('DEL', KEYS[1])
  return 1`);

/**
 * Stamps the events a feed serves: keys: `calendar-event:<uid>` of each; args: base, now, then each
 * event's fingerprint in the keys' order. Replies sequence and modifiedAt of each, flat. Run alone,
 * so two processes serving the same changed event raise its sequence once.
 */
const STAMP_EVENTS = script(`
  local out = {}
  for i, key in ipairs(KEYS) do
    local fingerprint = ARGV[2 + i]
    local stored = redis.call('HMGET', key, 'fingerprint', 'sequence', 'modifiedAt')
    if stored[1] == fingerprint then
      out[#out + 1] = stored[2]
      out[#out + 1] = stored[3]
    else
      local sequence = 0
      if stored[1] then sequence = tonumber(stored[2]) + 1 end
      redis.call('HSET', key, 'fingerprint', fingerprint, 'sequence', sequence, 'modifiedAt', ARGV[2])
      out[#out + 1] = tostring(sequence)
      out[#out + 1] = ARGV[2]
    end
  end
  return out`);

export const SCRIPTS = {
  CREATE_USER,
  PATCH,
  SET_ONCE,
  INSERT,
  CREATE_SESSION,
  DELETE_SESSION,
  DELETE_SESSIONS_OF,
  DELETE_TOKEN,
  DELETE_IMPORTED_USER,
  LINK_EXTERNAL_ID,
  CLAIM_DIGEST,
  DELETE_BOARD,
  SET_BOARD_MEMBER,
  CREATE_GUEST_SESSION,
  DELETE_GUEST_SESSION,
  APPEND_LOG,
  CREATE_NOTIFICATION,
  NEWEST_NOTIFICATIONS,
  MARK_READ,
  PUT_CALENDAR_FEED,
  DELETE_CALENDAR_FEED,
  STAMP_EVENTS,
};

