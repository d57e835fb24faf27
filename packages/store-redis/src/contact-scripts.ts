import { LuaScript } from './lua-script';

/*
 * The contact scripts share these helpers. A contact is a hash (see keys.ts); the hopper is
 * a sorted set whose members all have score 0, so Redis orders them by their bytes: each
 * member is a fixed-width sort key followed by the contact id, and the first member is the
 * next contact to dial. The sort key encodes the port's hopper order exactly:
 *
 *   band (1)      0 = a callback that is due, 1 otherwise        (callbacks due first)
 *   priority (14) 10^13 − contact priority, clamped to ±(10^13−1) (higher priority first)
 *   retry (1)     0 = a retry (waiting), 1 otherwise             (retries before fresh)
 *   dueAt (16)    dueAt in epoch ms, absent = 0                  (earlier first)
 *   seq (12)      insertion order                                (the last tie-breaker)
 *
 * Contact keys are built from the campaign's base key (ARGV[1]); they carry the same
 * `{campaignId}` hash tag as the declared KEYS, so on Redis Cluster they live in the slot
 * the script runs on (the same practice as BullMQ's job keys).
 */
const HELPERS = `
local SORT_KEY_LENGTH = 44
local function hopperMember(state, priority, due, seq, id)
  local band = 1
  if state == 'callback' then band = 0 end
  local retry = 1
  if state == 'waiting' then retry = 0 end
  local p = tonumber(priority) or 0
  if p > 9999999999999 then p = 9999999999999 elseif p < -9999999999999 then p = -9999999999999 end
  local d = tonumber(due) or 0
  if d < 0 then d = 0 elseif d > 9999999999999999 then d = 9999999999999999 end
  return string.format('%d%014d%d%016d%012d', band, 10000000000000 - p, retry, d, tonumber(seq)) .. id
end
local function isScheduled(state)
  return state == 'waiting' or state == 'callback'
end
-- Remove a contact (fields as stored) from every index.
local function unindex(base, hopper, sched, due, id, state, priority, dueAt, seq)
  redis.call('ZREM', base .. 's:' .. state, id)
  if state == 'ready' or isScheduled(state) then
    redis.call('ZREM', hopper, hopperMember(state, priority, dueAt, seq, id))
  end
  if isScheduled(state) then
    redis.call('ZREM', sched, id)
    redis.call('ZREM', due, id)
  end
end
-- Add a contact to the indexes of its state: ready goes to the hopper at once, waiting and
-- callback wait in 'sched' until the claim that finds them due moves them to the hopper.
local function index(base, hopper, sched, due, id, state, priority, dueAt, seq)
  redis.call('ZADD', base .. 's:' .. state, seq, id)
  if state == 'ready' then
    redis.call('ZADD', hopper, 0, hopperMember(state, priority, dueAt, seq, id))
  elseif isScheduled(state) then
    local d = tonumber(dueAt) or 0
    redis.call('ZADD', sched, d, id)
    redis.call('ZADD', due, d, id)
  end
end
-- Write a contact's hash and add it to the indexes of its state (the caller has taken it out
-- of the old ones): the one write of updateContact and restoreContact. 'w' is the write id
-- (see updateContact), '' for a write that has none.
local function writeContact(base, hopper, sched, due, id, state, attempts, dueAt, agent, contact, priority, seq, version, w)
  redis.call('HSET', base .. 'c:' .. id, 'contact', contact, 'state', state, 'attempts', attempts, 'due', dueAt, 'agent', agent,
    'priority', priority, 'seq', seq, 'version', version, 'w', w)
  index(base, hopper, sched, due, id, state, priority, dueAt, seq)
end
`;

/**
 * Insert contacts that are not there yet, as `ready`, version 1, with the next insertion
 * sequence numbers.
 *
 * KEYS: 1 seq counter, 2 hopper, 3 sched, 4 due.
 * ARGV: 1 campaign base key, then per contact three values: id, contact JSON, priority.
 * Returns: the number of contacts added (ids already present are left untouched).
 */
export const addContactsScript = new LuaScript(
  'addContacts',
  `${HELPERS}
local base = ARGV[1]
local added = 0
for i = 2, #ARGV, 3 do
  local id = ARGV[i]
  local key = base .. 'c:' .. id
  if redis.call('EXISTS', key) == 0 then
    local seq = redis.call('INCR', KEYS[1]) - 1
    redis.call('HSET', key, 'contact', ARGV[i + 1], 'state', 'ready', 'attempts', 0, 'due', '', 'agent', '',
      'priority', ARGV[i + 2], 'seq', seq, 'version', 1)
    index(base, KEYS[2], KEYS[3], KEYS[4], id, 'ready', ARGV[i + 2], '', seq)
    added = added + 1
  end
end
return added
`,
);

/**
 * Optimistic update: replace a contact only if its stored version is still the expected one,
 * bump the version, and move it between indexes.
 *
 * KEYS: 1 hopper, 2 sched, 3 due.
 * ARGV: 1 campaign base key, 2 contact id, 3 expected version, 4 state, 5 attempts,
 *       6 dueAt ('' = none), 7 callback agent id ('' = none), 8 contact JSON, 9 priority,
 *       10 write id (unique per call of `updateContact`).
 * Returns: {new version, seq} on success; 0 when the contact does not exist or its version
 * moved on (another writer got there first).
 *
 * The write id makes the script safe to run twice: when a connection drops after Redis ran it
 * but before its answer came back, ioredis sends it again on the new connection, and the stored
 * version has already moved on — by this very write. A stored version one past the expected one
 * with this write's id (field `w`, cleared by every other writer) is that case, and answers as
 * the first run did, instead of a conflict that would make the engine abandon a launch it made.
 */
export const updateContactScript = new LuaScript(
  'updateContact',
  `${HELPERS}
local base = ARGV[1]
local id = ARGV[2]
local key = base .. 'c:' .. id
local old = redis.call('HMGET', key, 'version', 'state', 'priority', 'due', 'seq', 'w')
if not old[1] then return 0 end
if old[1] ~= ARGV[3] then
  if tonumber(old[1]) == tonumber(ARGV[3]) + 1 and old[6] == ARGV[10] then return {tonumber(old[1]), tonumber(old[5])} end
  return 0
end
unindex(base, KEYS[1], KEYS[2], KEYS[3], id, old[2], old[3], old[4], old[5])
local version = tonumber(old[1]) + 1
writeContact(base, KEYS[1], KEYS[2], KEYS[3], id, ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], old[5], version, ARGV[10])
return {version, tonumber(old[5])}
`,
);

/**
 * The hopper claim. First moves every waiting/callback contact with dueAt ≤ now into the
 * hopper, then walks the hopper in order and moves up to `limit` contacts to `queued`
 * (version + 1), skipping agent-owned callbacks whose agent is not in the given list (they
 * stay at the head of the hopper for their agent).
 *
 * KEYS: 1 hopper, 2 sched, 3 due.
 * ARGV: 1 campaign base key, 2 now (epoch ms — Redis's own clock is never read), 3 limit,
 *       4 the claiming store's writer id, 5 claim id (unique per call of `claimDue`),
 *       6… agent ids that may take agent-owned callbacks.
 * Returns: one flat HGETALL reply per claimed contact, in hopper order (empty when none).
 *
 * The claim id makes the script safe to run twice, as the write id does `updateContact`: when
 * the connection drops after Redis ran the claim but before its answer came back (Redis
 * SIGKILLed right after writing its AOF), ioredis sends it again on the new connection, and a
 * second claim would take other contacts and leave the first run's `queued` with nobody to dial
 * or hand them back. Each claim marks its contacts with its id (field `w`, replaced by any later
 * write) and keeps their ids under `claim:<writer id>` (one key per store and campaign, as a
 * store runs one claim of a campaign at a time; it expires after an hour). A run whose id is
 * already there answers as the first run did: the contacts it claimed that are still `queued`
 * under this claim.
 */
export const claimDueScript = new LuaScript(
  'claimDue',
  `${HELPERS}
local base, hopper, sched, due = ARGV[1], KEYS[1], KEYS[2], KEYS[3]
local now, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
local record, claimId = base .. 'claim:' .. ARGV[4], ARGV[5]
local prior = redis.call('LRANGE', record, 0, -1)
if prior[1] == claimId then
  local again = {}
  for i = 2, #prior do
    local key = base .. 'c:' .. prior[i]
    local c = redis.call('HMGET', key, 'state', 'w')
    if c[1] == 'queued' and c[2] == claimId then again[#again + 1] = redis.call('HGETALL', key) end
  end
  return again
end
local agents = {}
for i = 6, #ARGV do agents[ARGV[i]] = true end

local ready = redis.call('ZRANGEBYSCORE', sched, '-inf', now)
for _, id in ipairs(ready) do
  local c = redis.call('HMGET', base .. 'c:' .. id, 'state', 'priority', 'due', 'seq')
  redis.call('ZADD', hopper, 0, hopperMember(c[1], c[2], c[3], c[4], id))
  redis.call('ZREM', sched, id)
end

local claimed = {}
local ids = {}
local skipped = 0
local batch = math.max(limit, 32)
while #claimed < limit do
  local members = redis.call('ZRANGE', hopper, skipped, skipped + batch - 1)
  if #members == 0 then break end
  for _, member in ipairs(members) do
    if #claimed >= limit then break end
    local id = string.sub(member, SORT_KEY_LENGTH + 1)
    local key = base .. 'c:' .. id
    local take = true
    if string.sub(member, 1, 1) == '0' then
      local agent = redis.call('HGET', key, 'agent')
      if agent and agent ~= '' and not agents[agent] then take = false end
    end
    if take then
      local c = redis.call('HMGET', key, 'state', 'seq')
      redis.call('ZREM', hopper, member)
      redis.call('ZREM', base .. 's:' .. c[1], id)
      if isScheduled(c[1]) then redis.call('ZREM', due, id) end
      redis.call('ZADD', base .. 's:queued', c[2], id)
      redis.call('HSET', key, 'state', 'queued', 'w', claimId)
      redis.call('HINCRBY', key, 'version', 1)
      claimed[#claimed + 1] = redis.call('HGETALL', key)
      ids[#ids + 1] = id
    else
      skipped = skipped + 1
    end
  end
end
if #ids > 0 then
  redis.call('DEL', record)
  redis.call('RPUSH', record, claimId, unpack(ids))
  redis.call('PEXPIRE', record, 3600000)
end
return claimed
`,
);

/**
 * Write back a contact the server lost (the write journal's replay, see `write-journal.ts`).
 * Guarded: in mode `lt` it writes only when the stored version is below `against` (or the
 * contact is missing), in mode `eq` only when the stored version equals `against` (a claim
 * just made from a stale record). A missing contact gets its journalled sequence number, and
 * the sequence counter is moved past it.
 *
 * KEYS: 1 hopper, 2 sched, 3 due, 4 seq counter.
 * ARGV: 1 campaign base key, 2 contact id, 3 mode ('lt' | 'eq'), 4 against, 5 new version,
 *       6 state, 7 attempts, 8 dueAt ('' = none), 9 callback agent id ('' = none),
 *       10 contact JSON, 11 priority, 12 seq ('' = unknown: the next one).
 * Returns: 1 when the contact was written back, 0 when the guard left it alone.
 */
export const restoreContactScript = new LuaScript(
  'restoreContact',
  `${HELPERS}
local base = ARGV[1]
local id = ARGV[2]
local key = base .. 'c:' .. id
local old = redis.call('HMGET', key, 'version', 'state', 'priority', 'due', 'seq')
local current = tonumber(old[1])
local against = tonumber(ARGV[4])
local seq = old[5]
if current == nil then
  if ARGV[3] ~= 'lt' then return 0 end
  if ARGV[12] == '' then
    seq = redis.call('INCR', KEYS[4]) - 1
  else
    seq = ARGV[12]
    local counter = tonumber(redis.call('GET', KEYS[4])) or 0
    if counter <= tonumber(seq) then redis.call('SET', KEYS[4], tonumber(seq) + 1) end
  end
else
  if ARGV[3] == 'lt' and not (current < against) then return 0 end
  if ARGV[3] == 'eq' and current ~= against then return 0 end
  unindex(base, KEYS[1], KEYS[2], KEYS[3], id, old[2], old[3], old[4], old[5])
end
writeContact(base, KEYS[1], KEYS[2], KEYS[3], id, ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11], seq, ARGV[5], '')
return 1
`,
);

/**
 * Write back a campaign record the server lost, unless the stored one is as new or newer
 * (by `updatedAt`).
 *
 * KEYS: 1 campaigns hash.
 * ARGV: 1 campaign id, 2 record JSON, 3 its updatedAt.
 * Returns: 1 when written back, 0 when the stored record was kept.
 */
export const restoreCampaignScript = new LuaScript(
  'restoreCampaign',
  `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local ok, record = pcall(cjson.decode, current)
  if ok and type(record) == 'table' and tonumber(record.updatedAt) and tonumber(record.updatedAt) >= tonumber(ARGV[3]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`,
);
