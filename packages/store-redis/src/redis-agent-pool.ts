import {
  type AgentPool,
  PacelineError,
  type PooledAgent,
  type PooledCommitment,
  type PooledWaitingCaller,
  type PoolTake,
} from '@paceline/core';
import { RedisKeys } from './keys';
import { LuaScript, type RedisClient } from './lua-script';

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
 * commitments hash, both in the tenant's slot). `counts(campaignId, freshSince, mineNode)`: P (the
 * fresh entries' in flight, `mineNode`'s left out) and k (the smallest fresh absorb, nil if none);
 * `readyOf(campaignId, except, freshSince)`: R, the campaign's fresh ready agents but `except`;
 * `kept(campaignIds, except, freshSince)`: true when a campaign would have max(0, P − k) > R.
 */
const RULE_STEP = `
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
    if a.agentId ~= except and a.state == 'ready' and tonumber(a.seenAt) >= freshSince and type(a.campaignIds) == 'table' then
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
 * KEYS: 1 the agents hash.
 * ARGV: 1 agentId, 2 callId, 3 now (epoch ms), 4 freshSince (epoch ms).
 * Returns: 1 when the agent was ready and fresh and is now reserved for the call; 0 otherwise.
 */
const reserveScript = new LuaScript(
  'agentReserve',
  `${AGENT_STEP}
local agent = readyAgent()
if not agent then return 0 end
reserveAgent(agent)
return 1
`,
);

/**
 * issue-23 23-pool: a waiting caller taken for an agent, atomically; 23-xnode: the router rule
 * checked in the same script.
 * KEYS: 1 the agents hash, 2 the commitments hash, 3 the waiting callers' hash (one slot: the tenant's tag).
 * ARGV: 1 agentId, 2 callId, 3 now (epoch ms), 4 freshSince (epoch ms), 5 the caller's field, 6 the caller's node.
 * Returns: 'taken' when no agent was taken for the caller yet, the agent was ready and fresh and
 * the rule allows it: the agent is now reserved for the caller and the caller's entry marked
 * taken; 'kept' when the rule keeps the agent; 'unavailable' otherwise.
 */
const takeWaitingScript = new LuaScript(
  'agentPoolTakeWaiting',
  `${AGENT_STEP}${RULE_STEP}
local waiting = redis.call('HGET', KEYS[3], ARGV[5])
local caller = nil
if waiting then
  caller = cjson.decode(waiting)
  if caller.takenBy then return 'unavailable' end
end
local agent = readyAgent()
if not agent then return 'unavailable' end
if type(agent.campaignIds) == 'table' and kept(agent.campaignIds, ARGV[1], tonumber(ARGV[4])) then return 'kept' end
reserveAgent(agent)
if not caller then
  caller = { callId = ARGV[2], queueId = '', nodeId = ARGV[6], queuedAt = tonumber(ARGV[3]), seenAt = tonumber(ARGV[3]) }
end
caller.takenBy = ARGV[1]
redis.call('HSET', KEYS[3], ARGV[5], cjson.encode(caller))
return 'taken'
`,
);

/**
 * issue-23 23-xnode: an agent its own node gives to a caller, the rule checked in the same script.
 * KEYS: 1 the agents hash, 2 the commitments hash.
 * ARGV: 1 agentId, 2 callId, 3 now, 4 freshSince, 5 the agent's campaign ids (JSON array).
 * Returns: 'kept' when the rule keeps the agent; else 'taken' (its entry, when present, reserved).
 */
const claimScript = new LuaScript(
  'agentPoolClaim',
  `${AGENT_STEP}${RULE_STEP}
if kept(cjson.decode(ARGV[5]), ARGV[1], tonumber(ARGV[4])) then return 'kept' end
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then reserveAgent(cjson.decode(raw)) end
return 'taken'
`,
);

/**
 * issue-23 23-xnode: a node's launch ordered against the takes.
 * KEYS: 1 the agents hash, 2 the commitments hash.
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
}

/** The `AgentPool` on Redis: every engine node's agents, for the leaders of their campaigns. */
export class RedisAgentPool implements AgentPool {
  readonly #redis: RedisClient;
  readonly #key: string;
  readonly #waitingKey: string;
  readonly #commitmentsKey: string;

  constructor(options: RedisAgentPoolOptions) {
    if (options?.redis === undefined) {
      throw new PacelineError('E_INVALID_CONFIG', 'RedisAgentPool options.redis: expected an ioredis client (new Redis(url)), got nothing');
    }
    this.#redis = options.redis;
    const keys = new RedisKeys(options.keyPrefix ?? 'paceline', options.tenant);
    this.#key = keys.agents;
    this.#waitingKey = keys.poolWaiting;
    this.#commitmentsKey = keys.poolCommitments;
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
    return Number(await reserveScript.run(this.#redis, [this.#key], [agentId, callId, now, freshSince])) === 1;
  }

  async takeWaiting(callId: string, agentId: string, now: number, freshSince: number, nodeId: string): Promise<PoolTake> {
    const keys = [this.#key, this.#commitmentsKey, this.#waitingKey];
    return (await takeWaitingScript.run(this.#redis, keys, [
      agentId,
      callId,
      now,
      freshSince,
      waitingField(nodeId, callId),
      nodeId,
    ])) as PoolTake;
  }

  async claimAgent(
    agentId: string,
    campaignIds: readonly string[],
    callId: string,
    now: number,
    freshSince: number,
  ): Promise<'taken' | 'kept'> {
    const args = [agentId, callId, now, freshSince, JSON.stringify(campaignIds)];
    return (await claimScript.run(this.#redis, [this.#key, this.#commitmentsKey], args)) as 'taken' | 'kept';
  }

  async launchCommitment(commitment: PooledCommitment, launch: number, freshSince: number): Promise<number> {
    const args = [commitmentField(commitment), JSON.stringify(commitment), launch, freshSince];
    return Number(await launchScript.run(this.#redis, [this.#key, this.#commitmentsKey], args));
  }

  async putWaiting(caller: PooledWaitingCaller): Promise<void> {
    await this.#redis.hset(this.#waitingKey, waitingField(caller.nodeId, caller.callId), JSON.stringify(caller));
  }

  async removeWaiting(callId: string, nodeId: string): Promise<void> {
    await this.#redis.hdel(this.#waitingKey, waitingField(nodeId, callId));
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
