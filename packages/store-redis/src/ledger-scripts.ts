import { LuaScript } from './lua-script';

/*
 * The one attempt write of {@link putAttemptScript} and {@link restoreAttemptScript} (which
 * guards it): store the attempt (KEYS and ARGV as `putAttemptScript`'s), append a new one to
 * its contact's list, and keep the open set in step with `endedAt`. Returns 1 when the attempt
 * is new, 0 when it replaced a stored one.
 */
const WRITE_ATTEMPT = `
local function writeAttempt()
  local id = ARGV[1]
  local isNew = redis.call('HSET', KEYS[1], id, ARGV[2])
  if isNew == 1 then redis.call('RPUSH', KEYS[4], id) end
  if ARGV[3] == '1' then
    if not redis.call('ZSCORE', KEYS[2], id) then redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), id) end
  else
    redis.call('ZREM', KEYS[2], id)
  end
  return isNew
end
`;

/**
 * Create or replace an attempt. A new attempt is appended to its contact's list (oldest
 * first); the open set follows `endedAt` (open while absent).
 *
 * KEYS: 1 attempts hash, 2 open-attempts zset, 3 attempt insertion counter, 4 the contact's attempt list.
 * ARGV: 1 attempt id, 2 attempt JSON, 3 '1' if the attempt is open, '0' if it has ended.
 * Returns: 1 when the attempt is new, 0 when it replaced a stored one.
 */
export const putAttemptScript = new LuaScript(
  'putAttempt',
  `${WRITE_ATTEMPT}
return writeAttempt()
`,
);

/**
 * Read attempts through an index, in index order: a contact's list (oldest first) or the
 * campaign's open set (insertion order). One script so the index and the records are read
 * at the same instant.
 *
 * KEYS: 1 the index (a list or a sorted set), 2 attempts hash.
 * ARGV: 1 'list' or 'zset' (the index's type).
 * Returns: the attempts' JSON strings.
 */
export const listAttemptsScript = new LuaScript(
  'listAttempts',
  `
local ids
if ARGV[1] == 'list' then ids = redis.call('LRANGE', KEYS[1], 0, -1) else ids = redis.call('ZRANGE', KEYS[1], 0, -1) end
local out = {}
for _, id in ipairs(ids) do
  local json = redis.call('HGET', KEYS[2], id)
  if json then out[#out + 1] = json end
end
return out
`,
);

/**
 * Record a live answer in the abandon ledger, idempotent per attempt id: recording the same
 * attempt again replaces its entry (time and abandoned flag), it never counts twice. An entry
 * recorded as a machine (issue-17: the call was revised to one) leaves both sets, so it counts
 * in neither. Entries before `expireBefore` (the entry's time minus the retention) are dropped.
 *
 * KEYS: 1 live-answer zset, 2 abandoned zset.
 * ARGV: 1 attempt id, 2 at (epoch ms), 3 '1' if abandoned, else '0', 4 expireBefore (epoch ms),
 * 5 '1' if it was a machine, else '0'.
 * Returns: 1 when the attempt was not in the ledger yet, 0 when its entry was replaced (or removed).
 */
export const recordLiveAnswerScript = new LuaScript(
  'recordLiveAnswer',
  `
if ARGV[5] == '1' then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 1 - redis.call('ZREM', KEYS[1], ARGV[1])
end
local isNew = redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
if ARGV[3] == '1' then redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1]) else redis.call('ZREM', KEYS[2], ARGV[1]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
return isNew
`,
);

/**
 * Count the abandon ledger over the half-open window since ≤ at < until, both counts from
 * one snapshot.
 *
 * KEYS: 1 live-answer zset, 2 abandoned zset.
 * ARGV: 1 since (epoch ms, inclusive), 2 until (epoch ms, exclusive).
 * Returns: {live answers, abandoned}.
 */
export const countLiveAnswersScript = new LuaScript(
  'countLiveAnswers',
  `
local before = '(' .. ARGV[2]
return {redis.call('ZCOUNT', KEYS[1], ARGV[1], before), redis.call('ZCOUNT', KEYS[2], ARGV[1], before)}
`,
);

/**
 * Write back an attempt the server lost (the write journal's replay). Guarded so that it never
 * reopens an attempt: an open journalled attempt does not replace a stored one that has ended
 * (another write got there after the journal's).
 *
 * KEYS and ARGV: as {@link putAttemptScript} (ARGV 3 is '0' when the journalled attempt has ended).
 * Returns: 1 when written back, 0 when the stored attempt was kept.
 */
export const restoreAttemptScript = new LuaScript(
  'restoreAttempt',
  `${WRITE_ATTEMPT}
local id = ARGV[1]
local stored = redis.call('HGET', KEYS[1], id)
if stored and ARGV[3] == '1' then
  local ok, record = pcall(cjson.decode, stored)
  if ok and type(record) == 'table' and record.endedAt ~= nil and record.endedAt ~= cjson.null then return 0 end
end
writeAttempt()
return 1
`,
);

/**
 * Write back a live answer the server lost (the write journal's replay). Guarded so that an
 * abandon is never taken back: it writes when the attempt is missing from the ledger, or when
 * the journal says abandoned and the ledger does not. A journalled machine (issue-17: the
 * attempt's latest write) is taken out of the ledger again.
 *
 * KEYS and ARGV: as {@link recordLiveAnswerScript}.
 * Returns: 1 when written back, 0 when the ledger was kept.
 */
export const restoreLiveAnswerScript = new LuaScript(
  'restoreLiveAnswer',
  `
if ARGV[5] == '1' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 1
end
local present = redis.call('ZSCORE', KEYS[1], ARGV[1])
if present then
  if ARGV[3] ~= '1' or redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
if ARGV[3] == '1' then redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
return 1
`,
);
