import { LuaScript } from './lua-script';

/**
 * dnc-shared: the tenant's do-not-call requests. Every key is under the tenant's hash tag
 * (`<p>:<t>:dnc:{<t>}:…`), so on Redis Cluster both scripts run on one master; a number's
 * hash key is built in the script from the base (same slot), as the contact scripts do.
 *
 *   <p>:<t>:dnc:{<t>}:seq          string  the last sequence number (the list's version)
 *   <p>:<t>:dnc:{<t>}:log          zset    ["<list>","<phone>"] JSON by seq (every addition, in order)
 *   <p>:<t>:dnc:{<t>}:p:<phone>    hash    <list> → "<seq>:<entry JSON>" (the first request per list)
 *
 * `<list>` is `i` for the internal list, `c:<campaignId>` for a campaign's.
 */

/**
 * Add a request unless the number is already on that list. One script: the sequence number,
 * the log and the entry change together, so a reader that sees version N finds every addition
 * up to N.
 *
 * KEYS: 1 seq, 2 log, 3 the number's hash.
 * ARGV: 1 list key, 2 entry JSON, 3 log member.
 * Returns: the stored "<seq>:<entry JSON>" (the earlier one when the number was on the list).
 */
export const addDncScript = new LuaScript(
  'addDnc',
  `
local present = redis.call('HGET', KEYS[3], ARGV[1])
if present then return present end
local seq = redis.call('INCR', KEYS[1])
local value = seq .. ':' .. ARGV[2]
redis.call('HSET', KEYS[3], ARGV[1], value)
redis.call('ZADD', KEYS[2], seq, ARGV[3])
return value
`,
);

/**
 * The additions after a sequence number, the version and the entry at that number, from one
 * snapshot.
 *
 * KEYS: 1 seq, 2 log.
 * ARGV: 1 the number hashes' key base (`…:dnc:{<t>}:p:`), 2 afterSeq, 3 limit.
 * Returns: {version, anchor or nil, "<seq>:<entry JSON>"…}.
 */
export const listDncScript = new LuaScript(
  'listDnc',
  `
local function entry(member)
  local pair = cjson.decode(member)
  return redis.call('HGET', ARGV[1] .. pair[2], pair[1]) or false
end
local out = {tonumber(redis.call('GET', KEYS[1]) or '0'), false}
if tonumber(ARGV[2]) > 0 then
  local at = redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[2], ARGV[2])
  if at[1] then out[2] = entry(at[1]) end
end
local members = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[2], '+inf', 'LIMIT', 0, ARGV[3])
for i, member in ipairs(members) do out[i + 2] = entry(member) end
return out
`,
);
