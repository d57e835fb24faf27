import { LuaScript } from './lua-script';

/*
 * The agent pool's waiting callers (issue 23): the hash (`RedisKeys.poolWaiting`, field
 * ["nodeId","callId"] → PooledWaitingCaller JSON) and its indexes, all under the tenant's hash tag
 * (one Cluster slot): rb11's order by `queuedAt` (`poolWaitingOrder`, a service order's read) and
 * rb12's by `seenAt` (`poolWaitingSeen`, the sweep's read). Every write of a caller goes through
 * these scripts, so the hash and its indexes change together.
 */

/**
 * rb11: a waiting caller written, and indexed by `queuedAt` for the service order's read; rb12: and
 * by `seenAt` for the sweep.
 * KEYS: 1 the waiting callers' hash, 2 their order (zset), 3 their `seenAt` (zset).
 * ARGV: 1 field, 2 caller JSON, 3 queuedAt, 4 seenAt.
 */
export const putWaitingScript = new LuaScript(
  'agentPoolPutWaiting',
  `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return 1
`,
);

/** rb11: a waiting caller removed with its index entries. KEYS: as putWaiting. ARGV: 1 field. */
export const removeWaitingScript = new LuaScript(
  'agentPoolRemoveWaiting',
  `
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
`,
);

/** rb12: the most entries one sweep deletes (a backlog goes over the next sweeps): bounds the script's hold on Redis. */
export const WAITING_SWEEP_LIMIT = 1_000;

/**
 * rb12: a gone node's waiting callers deleted. Readers pass over an entry its node has not
 * republished within their freshness window, but nothing deleted it: a crashed node's callers
 * stayed in the hash and both indexes for ever. The entries seen before `staleBefore` are found
 * through the `seenAt` index (no read of the live callers) and deleted from the hash and both
 * indexes in this one script, with the marks' index entry of an agent a take gave one of them
 * (`takenBy`, when the index still points at it).
 * KEYS: 1 the waiting callers' hash, 2 their order, 3 their `seenAt`, 4 the marks' index (one slot).
 * ARGV: 1 staleBefore (epoch ms; entries seen before it go), 2 the most to delete.
 * Returns: how many entries were deleted.
 */
export const sweepWaitingScript = new LuaScript(
  'agentPoolSweepWaiting',
  `
local fields = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for i = 1, #fields do
  local raw = redis.call('HGET', KEYS[1], fields[i])
  local caller = raw and cjson.decode(raw)
  if caller and type(caller.takenBy) == 'string' and redis.call('HGET', KEYS[4], caller.takenBy) == fields[i] then
    redis.call('HDEL', KEYS[4], caller.takenBy)
  end
  redis.call('HDEL', KEYS[1], fields[i])
  redis.call('ZREM', KEYS[2], fields[i])
  redis.call('ZREM', KEYS[3], fields[i])
end
return #fields
`,
);
