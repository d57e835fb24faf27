import {
  type AgentPool,
  type Clock,
  commandTimeoutOf,
  PacelineError,
  type PooledAgent,
  type PooledCommitment,
  type PooledWaitingCaller,
  type PoolServiceOrder,
  type PoolTake,
  systemClock,
} from '@paceline/core';
import { boundedClient } from './command-timeout';
import { RedisKeys } from './keys';
import { LuaScript, type RedisClient } from './lua-script';
import { putWaitingScript, removeWaitingScript, sweepWaitingScript, WAITING_SWEEP_LIMIT } from './pool-waiting-scripts';

/*
 * The pool is one hash per tenant (`<p>:<t>:ap:{<t>}:agents`): agentId → the PooledAgent as JSON,
 * beside the waiting callers' hash in the same Cluster slot (`<p>:<t>:ap:{<t>}:waiting`).
 * `put` and `remove` are single commands; `reserve` and `takeWaiting` are one script each, so two
 * leaders racing for the same agent (or the same caller) cannot both get it. A few thousand
 * agents list in one HGETALL.
 */

/**
 * issue-23 23-xnode: the agent step every script shares (ARGV aligned: 1 agentId, 2 callId,
 * 3 now, 4 freshSince; KEYS[1] the agents hash): `readyAgent()` the agent's entry when it is
 * ready and fresh (else nil), `reserveAgent(agent)` it reserved for the call since now.
 */
const AGENT_STEP = `
local function readyAgent()
  local raw = redis.call('HGET', KEYS[1], ARGV[1])
  if not raw then return nil end
  local agent = cjson.decode(raw)
  if agent.state ~= 'ready' or tonumber(agent.seenAt) < tonumber(ARGV[4]) then return nil end
  return agent
end
local function reserveAgent(agent)
  agent.state = 'reserved'
  agent.since = tonumber(ARGV[3])
  agent.callId = ARGV[2]
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(agent))
end
`;

/**
 * issue-23 23-xnode: the router rule on the pool's state (KEYS[1] the agents hash, KEYS[2] the
 * commitments hash, 23-xwait: KEYS[3] the waiting callers' hash, all in the tenant's slot).
 * 23-xwait: `takenAgents(freshSince)`: agent id → the fresh waiting entry a take gave it to
 * (`takenBy`): not ready whatever its node last put (its heartbeat before the offer arrives).
 * rb11: read through the marks' index (KEYS[4], `poolTaken`: one entry per agent a take marked), not
 * every waiting caller — at 5,000 waiting callers the scan held Redis ~40 ms a take (bench:redis-take). `counts(campaignId, freshSince, mineNode)`: P (the
 * fresh entries' in flight, `mineNode`'s left out) and k (the smallest fresh absorb, nil if none);
 * `readyOf(campaignId, except, freshSince)`: R, the campaign's fresh ready agents but `except`;
 * `kept(campaignIds, except, freshSince)`: true when a campaign would have max(0, P − k) > R.
 */
const RULE_STEP = `
local TAKEN = nil
local function takenAgents(freshSince)
  if TAKEN then return TAKEN end
  TAKEN = {}
  local marks = redis.call('HGETALL', KEYS[4])
  for i = 1, #marks, 2 do
    local raw = redis.call('HGET', KEYS[3], marks[i + 1])
    local c = raw and cjson.decode(raw)
    if c and c.takenBy == marks[i] and tonumber(c.seenAt) >= freshSince then TAKEN[c.takenBy] = c end
  end
  return TAKEN
end
local function counts(campaignId, freshSince, mineNode)
  local inFlight, absorb = 0, nil
  local all = redis.call('HVALS', KEYS[2])
  for i = 1, #all do
    local c = cjson.decode(all[i])
    if c.campaignId == campaignId and c.nodeId ~= mineNode and tonumber(c.seenAt) >= freshSince then
      inFlight = inFlight + tonumber(c.inFlight)
      if type(c.absorb) == 'number' and (absorb == nil or c.absorb < absorb) then absorb = c.absorb end
    end
  end
  return inFlight, absorb
end
local function readyOf(campaignId, except, freshSince)
  local n = 0
  local all = redis.call('HVALS', KEYS[1])
  for i = 1, #all do
    local a = cjson.decode(all[i])
    if a.agentId ~= except and a.state == 'ready' and tonumber(a.seenAt) >= freshSince and type(a.campaignIds) == 'table' and not takenAgents(freshSince)[a.agentId] then
      for j = 1, #a.campaignIds do
        if a.campaignIds[j] == campaignId then n = n + 1 break end
      end
    end
  end
  return n
end
local function kept(campaignIds, except, freshSince)
  for i = 1, #campaignIds do
    local inFlight, absorb = counts(campaignIds[i], freshSince, nil)
    if inFlight > 0 and readyOf(campaignIds[i], except, freshSince) < math.max(0, inFlight - (absorb or 0)) then return true end
  end
  return false
end
`;

/**
 * issue-23 23-xwait: the router's order across nodes (needs RULE_STEP; KEYS[3] the waiting
 * callers' hash; rb11: KEYS[5] their order by `queuedAt`, read up to the taker unless a queue of the
 * order has a higher priority than the taker's, then every caller). `inOrder(agentId, campaignIds, freshSince, order)` (order: the
 * `PoolServiceOrder` decoded): 'older' when a take gave the agent another caller, or when the
 * fresh waiting callers before the taker, each given in order the ready agent idle longest with
 * its queue's skills that it has not declined and that the rule lets it take, get the agent or
 * leave the rule no room for it; 'kept' when the rule keeps the agent anyway; nil otherwise. The
 * memory pool's #inOrder step by step.
 */
const ORDER_STEP = `
local function contains(list, x)
  if type(list) ~= 'table' then return false end
  for i = 1, #list do if list[i] == x then return true end end
  return false
end
local function inOrder(agentId, campaignIds, freshSince, order)
  local taken = takenAgents(freshSince)
  local mark = taken[agentId]
  if mark and not (mark.nodeId == order.nodeId and mark.callId == order.callId) then return 'older' end
  local queues = {}
  for i = 1, #order.queues do queues[order.queues[i].id] = order.queues[i] end
  local function before(c, p)
    if p ~= order.priority then return p > order.priority end
    local at = tonumber(c.queuedAt)
    if at ~= order.queuedAt then return at < order.queuedAt end
    if c.callId ~= order.callId then return c.callId < order.callId end
    return c.nodeId < order.nodeId
  end
  local callers = {}
  local function consider(raw)
    if not raw then return end
    local c = cjson.decode(raw)
    local q = queues[c.queueId]
    if q and type(c.takenBy) ~= 'string' and tonumber(c.seenAt) >= order.waitingSince and before(c, q.priority) then
      callers[#callers + 1] = { c = c, p = q.priority }
    end
  end
  local higher = false
  for i = 1, #order.queues do if order.queues[i].priority > order.priority then higher = true end end
  if higher then
    local all = redis.call('HVALS', KEYS[3])
    for i = 1, #all do consider(all[i]) end
  else
    -- rb11: no queue above the taker's priority: only callers queued up to it can come first (KEYS[5])
    local fields = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', string.format('%.17g', order.queuedAt))
    for from = 1, #fields, 500 do
      local all = redis.call('HMGET', KEYS[3], unpack(fields, from, math.min(from + 499, #fields)))
      for i = 1, #all do consider(all[i]) end
    end
  end
  if #callers == 0 then return nil end
  table.sort(callers, function(x, y)
    if x.p ~= y.p then return x.p > y.p end
    local xa, ya = tonumber(x.c.queuedAt), tonumber(y.c.queuedAt)
    if xa ~= ya then return xa < ya end
    if x.c.callId ~= y.c.callId then return x.c.callId < y.c.callId end
    return x.c.nodeId < y.c.nodeId
  end)
  local spare = {}
  local function spareOf(id)
    if spare[id] == nil then
      local inFlight, absorb = counts(id, freshSince, nil)
      if inFlight > 0 then
        spare[id] = readyOf(id, agentId, freshSince) + 1 - math.max(0, inFlight - (absorb or 0))
      else
        spare[id] = math.huge
      end
    end
    return spare[id]
  end
  local function allowed(ids)
    if type(ids) ~= 'table' then return true end
    for i = 1, #ids do if spareOf(ids[i]) < 1 then return false end end
    return true
  end
  local free = {}
  local agents = redis.call('HVALS', KEYS[1])
  for i = 1, #agents do
    local a = cjson.decode(agents[i])
    if a.agentId == agentId or (a.state == 'ready' and tonumber(a.seenAt) >= freshSince and not taken[a.agentId]) then free[#free + 1] = a end
  end
  table.sort(free, function(x, y)
    if tonumber(x.since) ~= tonumber(y.since) then return tonumber(x.since) < tonumber(y.since) end
    return x.agentId < y.agentId
  end)
  local consumed = false
  for i = 1, #callers do
    local c = callers[i].c
    local skills = queues[c.queueId].skills
    for j = 1, #free do
      local a = free[j]
      local skilled = true
      if type(skills) == 'table' then
        for k = 1, #skills do if not contains(a.skills, skills[k]) then skilled = false break end end
      end
      if skilled and not contains(c.declined, a.agentId) and allowed(a.campaignIds) then
        if a.agentId == agentId then return 'older' end
        table.remove(free, j)
        if type(a.campaignIds) == 'table' then
          for k = 1, #a.campaignIds do
            local id = a.campaignIds[k]
            if spareOf(id) ~= math.huge then spare[id] = spare[id] - 1 end
            if contains(campaignIds, id) then consumed = true end
          end
        end
        break
      end
    end
  end
  if allowed(campaignIds) then return nil end
  if consumed then return 'older' end
  return 'kept'
end
`;

/**
 * rb8 (issue-23): `markTaken(field)` marks the waiting entry at `field` (decoded as `caller`) taken by
 * ARGV[1] and indexes the mark by agent (KEYS[4], `RedisKeys.poolTaken`), so a reserve reads one
 * entry. Every script that sets `takenBy` goes through it.
 */
const MARK_STEP = `
local function markTaken(field, caller)
  caller.takenBy = ARGV[1]
  redis.call('HSET', KEYS[3], field, cjson.encode(caller))
  redis.call('HSET', KEYS[4], ARGV[1], field)
end
`;

/**
 * The reserve's `takenBy` check: `index` (production; rb8) the one waiting entry the marks' index
 * gives for the agent (KEYS[4]; an index entry its waiting entry no longer bears out is dropped);
 * `scan` (issue-23 23-xclaim, the first version) every waiting entry;
 * `none` no check. Exported for bench/redis-reserve.ts (what each costs); not in the package's index.
 */
export function reserveSource(check: 'index' | 'scan' | 'none'): string {
  const taken = {
    index: `
local function takenNow()
  local field = redis.call('HGET', KEYS[4], ARGV[1])
  if not field then return false end
  local raw = redis.call('HGET', KEYS[3], field)
  local caller = raw and cjson.decode(raw)
  if caller and caller.takenBy == ARGV[1] then return tonumber(caller.seenAt) >= tonumber(ARGV[4]) end
  redis.call('HDEL', KEYS[4], ARGV[1])
  return false
end
`,
    scan: `
local function takenNow()
  local all = redis.call('HVALS', KEYS[3])
  for i = 1, #all do
    local c = cjson.decode(all[i])
    if c.takenBy == ARGV[1] and tonumber(c.seenAt) >= tonumber(ARGV[4]) then return true end
  end
  return false
end
`,
    none: `
local function takenNow() return false end
`,
  }[check];
  return `${AGENT_STEP}${taken}
local agent = readyAgent()
if not agent or takenNow() then return 0 end
reserveAgent(agent)
return 1
`;
}

/**
 * KEYS: 1 the agents hash, 2 the commitments hash, 3 the waiting callers' hash (issue-23 23-xclaim), 4 the
 * marks' index (rb8; one slot: the tenant's tag).
 * ARGV: 1 agentId, 2 callId, 3 now (epoch ms), 4 freshSince (epoch ms).
 * Returns: 1 when the agent was ready and fresh and no fresh waiting entry is marked taken by it
 * (`takenBy`: a take gave it a caller) and is now reserved for the call; 0 otherwise. The mark is
 * found through the index (one entry read), not by reading every waiting caller (bench:redis-reserve).
 */
const reserveScript = new LuaScript('agentReserve', reserveSource('index'));

/**
 * issue-23 23-pool: a waiting caller taken for an agent, atomically; 23-xnode: the router rule
 * checked in the same script.
 * KEYS: 1 the agents hash, 2 the commitments hash, 3 the waiting callers' hash, 4 (rb8) the marks' index, 5 (rb11) the waiting callers' order,
 * 6 (rb12) their `seenAt` index (an entry the take creates goes in it) — one slot: the tenant's tag.
 * ARGV: 1 agentId, 2 callId, 3 now (epoch ms), 4 freshSince (epoch ms), 5 the caller's field, 6 the caller's node,
 * 7 23-xwait: the service order (JSON, '' for none).
 * Returns: 'older' (23-xwait) when an older caller comes first for the agent; 'taken' when no agent was taken for the caller yet, the agent was ready and fresh and
 * the rule allows it: the agent is now reserved for the caller and the caller's entry marked
 * taken; 'kept' when the rule keeps the agent; 'unavailable' otherwise.
 */
const takeWaitingScript = new LuaScript(
  'agentPoolTakeWaiting',
  `${AGENT_STEP}${RULE_STEP}${ORDER_STEP}${MARK_STEP}
local waiting = redis.call('HGET', KEYS[3], ARGV[5])
local caller = nil
if waiting then
  caller = cjson.decode(waiting)
  if caller.takenBy then return 'unavailable' end
end
local agent = readyAgent()
if not agent or takenAgents(tonumber(ARGV[4]))[ARGV[1]] then return 'unavailable' end
if ARGV[7] ~= '' then
  local refused = inOrder(ARGV[1], agent.campaignIds, tonumber(ARGV[4]), cjson.decode(ARGV[7]))
  if refused then return refused end
end
if type(agent.campaignIds) == 'table' and kept(agent.campaignIds, ARGV[1], tonumber(ARGV[4])) then return 'kept' end
reserveAgent(agent)
if not caller then
  caller = { callId = ARGV[2], queueId = '', nodeId = ARGV[6], queuedAt = tonumber(ARGV[3]), seenAt = tonumber(ARGV[3]) }
  redis.call('ZADD', KEYS[6], ARGV[3], ARGV[5]) -- rb12: in the seen index, so the sweep finds it if its node dies
end
markTaken(ARGV[5], caller)
return 'taken'
`,
);

/**
 * issue-23 23-xnode: an agent its own node gives to a caller, the rule checked in the same script.
 * KEYS: 1 the agents hash, 2 the commitments hash, 3 the waiting callers' hash, 4 (rb8) the marks' index, 5 (rb11) the waiting callers' order.
 * ARGV: 1 agentId, 2 callId, 3 now, 4 freshSince, 5 the agent's campaign ids (JSON array),
 * 6 23-xwait: the service order (JSON, '' for none), 7 the caller's waiting field ('' for none).
 * Returns: 'older' (23-xwait) when an older caller comes first for the agent; 'kept' when the rule
 * keeps the agent; else 'taken' (its entry, when present, reserved; the caller's waiting entry,
 * when present, marked taken by it).
 */
const claimScript = new LuaScript(
  'agentPoolClaim',
  `${AGENT_STEP}${RULE_STEP}${ORDER_STEP}${MARK_STEP}
local campaignIds = cjson.decode(ARGV[5])
if ARGV[6] ~= '' then
  local refused = inOrder(ARGV[1], campaignIds, tonumber(ARGV[4]), cjson.decode(ARGV[6]))
  if refused then return refused end
end
if kept(campaignIds, ARGV[1], tonumber(ARGV[4])) then return 'kept' end
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then reserveAgent(cjson.decode(raw)) end
if ARGV[7] ~= '' then
  local waiting = redis.call('HGET', KEYS[3], ARGV[7])
  if waiting then markTaken(ARGV[7], cjson.decode(waiting)) end
end
return 'taken'
`,
);

/**
 * issue-23 23-xnode: a node's launch ordered against the takes.
 * KEYS: 1 the agents hash, 2 the commitments hash, 3 (23-xwait) the waiting callers' hash, 4 (rb11) the marks' index.
 * ARGV: 1 the node's field, 2 its commitment (JSON; inFlight without the launch), 3 launch,
 * 4 freshSince. Returns: m, the calls the rule allows; the commitment is written with inFlight + m.
 */
const launchScript = new LuaScript(
  'agentPoolLaunch',
  `${RULE_STEP}
local mine = cjson.decode(ARGV[2])
local freshSince = tonumber(ARGV[4])
local inFlight, absorb = counts(mine.campaignId, freshSince, mine.nodeId)
inFlight = inFlight + tonumber(mine.inFlight)
if type(mine.absorb) == 'number' and (absorb == nil or mine.absorb < absorb) then absorb = mine.absorb end
local room = readyOf(mine.campaignId, nil, freshSince) + (absorb or 0) - inFlight
local m = math.min(tonumber(ARGV[3]), math.max(0, room))
mine.inFlight = tonumber(mine.inFlight) + m
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(mine))
return m
`,
);

/**
 * issue-23 23-dist: a campaign's router-rule commitments, its stale ones dropped
 * in the same script (a node refreshing its entry meanwhile cannot lose it).
 * KEYS: 1 the commitments hash. ARGV: 1 freshSince (epoch ms), 2 campaignId.
 * Returns: the campaign's fresh entries' JSON (23-xnode: every campaign's entries share one hash).
 */
const listCommitmentsScript = new LuaScript(
  'agentPoolCommitments',
  `
local all = redis.call('HGETALL', KEYS[1])
local fresh = {}
for i = 1, #all, 2 do
  local entry = cjson.decode(all[i + 1])
  if entry.campaignId ~= ARGV[2] then
  elseif tonumber(entry.seenAt) < tonumber(ARGV[1]) then
    redis.call('HDEL', KEYS[1], all[i])
  else
    fresh[#fresh + 1] = all[i + 1]
  end
end
return fresh
`,
);

/** Options of {@link RedisAgentPool}: the same client, tenant and prefix as the tenant's `RedisStore`. */
export interface RedisAgentPoolOptions {
  /** A connected ioredis client; the host owns it (the pool never closes it). */
  readonly redis: RedisClient;
  /** The tenant whose agents this instance sees. */
  readonly tenant: string;
  /** First segment of every key; default `paceline`. */
  readonly keyPrefix?: string;
  /**
   * issue-23 23-realaway: the longest a pool call waits for Redis's answer, ms; default
   * {@link POOL_COMMAND_TIMEOUT_MS}; 0: no bound. A frozen server (or a dropped link the OS has not
   * noticed) answers nothing and ioredis, without its own `commandTimeout`, waits for ever: the
   * engine's claim, reserve and take would never fail over to its own agents. Past the bound the
   * call rejects (the engine reports it and goes on as with the pool away); Redis may still run
   * the command later — every pool write is an idempotent refresh or bounded by freshness.
   */
  readonly commandTimeoutMs?: number;
  /** The clock the bound runs on; default the system clock. */
  readonly clock?: Clock;
}

/** issue-23 23-realaway: {@link RedisAgentPoolOptions.commandTimeoutMs}'s default: below the 2-s live-answer rule. */
export const POOL_COMMAND_TIMEOUT_MS = 1_000;

/** The `AgentPool` on Redis: every engine node's agents, for the leaders of their campaigns. */
export class RedisAgentPool implements AgentPool {
  readonly #redis: RedisClient;
  readonly #key: string;
  readonly #waitingKey: string;
  readonly #commitmentsKey: string;
  readonly #takenKey: string;
  readonly #orderKey: string;
  readonly #seenKey: string;

  constructor(options: RedisAgentPoolOptions) {
    if (options?.redis === undefined) {
      throw new PacelineError('E_INVALID_CONFIG', 'RedisAgentPool options.redis: expected an ioredis client (new Redis(url)), got nothing');
    }
    const timeoutMs = commandTimeoutOf(options.commandTimeoutMs, POOL_COMMAND_TIMEOUT_MS, 'RedisAgentPool');
    // issue-23 23-realaway: every command bounded by `commandTimeoutMs` (rb9: the bound every Redis adapter shares)
    this.#redis = boundedClient(options.redis, timeoutMs, options.clock ?? systemClock(), 'RedisAgentPool');
    const keys = new RedisKeys(options.keyPrefix ?? 'paceline', options.tenant);
    this.#key = keys.agents;
    this.#waitingKey = keys.poolWaiting;
    this.#orderKey = keys.poolWaitingOrder;
    this.#seenKey = keys.poolWaitingSeen;
    this.#commitmentsKey = keys.poolCommitments;
    this.#takenKey = keys.poolTaken;
  }

  async put(agent: PooledAgent): Promise<void> {
    if (!agent.agentId) throw new PacelineError('E_INVALID_INPUT', 'AgentPool.put: agentId: expected a non-empty agent id');
    await this.#redis.hset(this.#key, agent.agentId, JSON.stringify(agent));
  }

  async remove(agentId: string): Promise<void> {
    await this.#redis.hdel(this.#key, agentId);
  }

  async list(campaignId: string, freshSince: number): Promise<PooledAgent[]> {
    return (await this.listAll(freshSince)).filter((a) => a.campaignIds.includes(campaignId));
  }

  async listAll(freshSince: number): Promise<PooledAgent[]> {
    const all = await this.#redis.hgetall(this.#key);
    return Object.keys(all)
      .sort()
      .map((id) => fromJson(all[id] as string))
      .filter((a) => a.seenAt >= freshSince);
  }

  async reserve(agentId: string, callId: string, now: number, freshSince: number): Promise<boolean> {
    const keys = [this.#key, this.#commitmentsKey, this.#waitingKey, this.#takenKey];
    return Number(await reserveScript.run(this.#redis, keys, [agentId, callId, now, freshSince])) === 1;
  }

  async takeWaiting(
    callId: string,
    agentId: string,
    now: number,
    freshSince: number,
    nodeId: string,
    order?: PoolServiceOrder,
  ): Promise<PoolTake> {
    const keys = [this.#key, this.#commitmentsKey, this.#waitingKey, this.#takenKey, this.#orderKey, this.#seenKey];
    return (await takeWaitingScript.run(this.#redis, keys, [
      agentId,
      callId,
      now,
      freshSince,
      waitingField(nodeId, callId),
      nodeId,
      order ? JSON.stringify(order) : '',
    ])) as PoolTake;
  }

  async claimAgent(
    agentId: string,
    campaignIds: readonly string[],
    callId: string,
    now: number,
    freshSince: number,
    order?: PoolServiceOrder,
  ): Promise<'taken' | 'kept' | 'older'> {
    const field = order ? waitingField(order.nodeId, callId) : '';
    const args = [agentId, callId, now, freshSince, JSON.stringify(campaignIds), order ? JSON.stringify(order) : '', field];
    const keys = [this.#key, this.#commitmentsKey, this.#waitingKey, this.#takenKey, this.#orderKey];
    return (await claimScript.run(this.#redis, keys, args)) as 'taken' | 'kept' | 'older';
  }

  async launchCommitment(commitment: PooledCommitment, launch: number, freshSince: number): Promise<number> {
    const args = [commitmentField(commitment), JSON.stringify(commitment), launch, freshSince];
    return Number(await launchScript.run(this.#redis, [this.#key, this.#commitmentsKey, this.#waitingKey, this.#takenKey], args));
  }

  async putWaiting(caller: PooledWaitingCaller): Promise<void> {
    const field = waitingField(caller.nodeId, caller.callId);
    const args = [field, JSON.stringify(caller), caller.queuedAt, caller.seenAt];
    await putWaitingScript.run(this.#redis, [this.#waitingKey, this.#orderKey, this.#seenKey], args);
  }

  async removeWaiting(callId: string, nodeId: string): Promise<void> {
    await removeWaitingScript.run(this.#redis, [this.#waitingKey, this.#orderKey, this.#seenKey], [waitingField(nodeId, callId)]);
  }

  /** rb12: up to {@link WAITING_SWEEP_LIMIT} entries a sweep (see `agentPoolSweepWaiting`). */
  async sweepWaiting(staleBefore: number): Promise<number> {
    const keys = [this.#waitingKey, this.#orderKey, this.#seenKey, this.#takenKey];
    return Number(await sweepWaitingScript.run(this.#redis, keys, [staleBefore, WAITING_SWEEP_LIMIT]));
  }

  async listWaiting(freshSince: number): Promise<PooledWaitingCaller[]> {
    const all = await this.#redis.hgetall(this.#waitingKey);
    return Object.values(all)
      .map((raw) => JSON.parse(raw) as PooledWaitingCaller)
      .filter((c) => c.seenAt >= freshSince)
      .sort((x, y) => x.queuedAt - y.queuedAt || compare(x.callId, y.callId) || compare(x.nodeId, y.nodeId));
  }

  async putCommitment(commitment: PooledCommitment): Promise<void> {
    if (!commitment.nodeId) throw new PacelineError('E_INVALID_INPUT', 'AgentPool.putCommitment: nodeId: expected a non-empty node id');
    await this.#redis.hset(this.#commitmentsKey, commitmentField(commitment), JSON.stringify(commitment));
  }

  async listCommitments(campaignId: string, freshSince: number): Promise<PooledCommitment[]> {
    const raw = (await listCommitmentsScript.run(this.#redis, [this.#commitmentsKey], [freshSince, campaignId])) as string[];
    return raw.map((entry) => JSON.parse(entry) as PooledCommitment).sort((x, y) => compare(x.nodeId, y.nodeId));
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** issue-23 23-xnode: a waiting caller's field: its node and call id (two nodes' trunks may reuse a call id). */
function waitingField(nodeId: string, callId: string): string {
  return JSON.stringify([nodeId, callId]);
}

/** issue-23 23-xnode: a node's commitment to a campaign, in the tenant's one commitments hash. */
function commitmentField(c: PooledCommitment): string {
  return JSON.stringify([c.campaignId, c.nodeId]);
}

/** cjson writes an empty Lua table as `{}`: read the arrays back as arrays. */
function fromJson(raw: string): PooledAgent {
  const agent = JSON.parse(raw) as PooledAgent;
  const list = (x: unknown) => (Array.isArray(x) ? x : []);
  return { ...agent, campaignIds: list(agent.campaignIds), skills: list(agent.skills) };
}

/** An `AgentPool` on Redis for one tenant; see {@link RedisAgentPoolOptions}. */
export function createRedisAgentPool(options: RedisAgentPoolOptions): AgentPool {
  return new RedisAgentPool(options);
}
