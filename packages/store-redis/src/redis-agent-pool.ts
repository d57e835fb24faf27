import { type AgentPool, PacelineError, type PooledAgent, type PooledCommitment, type PooledWaitingCaller } from '@paceline/core';
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
 * KEYS: 1 the agents hash.
 * ARGV: 1 agentId, 2 callId, 3 now (epoch ms), 4 freshSince (epoch ms).
 * Returns: 1 when the agent was ready and fresh and is now reserved for the call; 0 otherwise.
 */
const reserveScript = new LuaScript(
  'agentReserve',
  `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local agent = cjson.decode(raw)
if agent.state ~= 'ready' or tonumber(agent.seenAt) < tonumber(ARGV[4]) then return 0 end
agent.state = 'reserved'
agent.since = tonumber(ARGV[3])
agent.callId = ARGV[2]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(agent))
return 1
`,
);

/**
 * issue-23 23-pool: a waiting caller taken for an agent, atomically.
 * KEYS: 1 the agents hash, 2 the waiting callers' hash (one slot: the tenant's tag).
 * ARGV: 1 callId, 2 agentId, 3 now (epoch ms), 4 freshSince (epoch ms).
 * Returns: 1 when no agent was taken for the caller yet and the agent was ready and fresh: the
 * agent is now reserved for the caller and the caller's entry marked taken; 0 otherwise.
 */
const takeWaitingScript = new LuaScript(
  'agentPoolTakeWaiting',
  `
local waiting = redis.call('HGET', KEYS[2], ARGV[1])
local caller = nil
if waiting then
  caller = cjson.decode(waiting)
  if caller.takenBy then return 0 end
end
local raw = redis.call('HGET', KEYS[1], ARGV[2])
if not raw then return 0 end
local agent = cjson.decode(raw)
if agent.state ~= 'ready' or tonumber(agent.seenAt) < tonumber(ARGV[4]) then return 0 end
agent.state = 'reserved'
agent.since = tonumber(ARGV[3])
agent.callId = ARGV[1]
redis.call('HSET', KEYS[1], ARGV[2], cjson.encode(agent))
if not caller then
  caller = { callId = ARGV[1], queueId = '', nodeId = '', queuedAt = tonumber(ARGV[3]), seenAt = tonumber(ARGV[3]) }
end
caller.takenBy = ARGV[2]
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(caller))
return 1
`,
);

/**
 * issue-23 23-dist: a campaign's router-rule commitments, the stale ones dropped in the same
 * script (a node refreshing its entry meanwhile cannot lose it).
 * KEYS: 1 the campaign's commitments hash. ARGV: 1 freshSince (epoch ms).
 * Returns: the fresh entries' JSON, by node id.
 */
const listCommitmentsScript = new LuaScript(
  'agentPoolCommitments',
  `
local all = redis.call('HGETALL', KEYS[1])
local fresh = {}
for i = 1, #all, 2 do
  local entry = cjson.decode(all[i + 1])
  if tonumber(entry.seenAt) < tonumber(ARGV[1]) then
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
  readonly #keys: RedisKeys;

  constructor(options: RedisAgentPoolOptions) {
    if (options?.redis === undefined) {
      throw new PacelineError('E_INVALID_CONFIG', 'RedisAgentPool options.redis: expected an ioredis client (new Redis(url)), got nothing');
    }
    this.#redis = options.redis;
    this.#keys = new RedisKeys(options.keyPrefix ?? 'paceline', options.tenant);
    this.#key = this.#keys.agents;
    this.#waitingKey = this.#keys.poolWaiting;
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

  async takeWaiting(callId: string, agentId: string, now: number, freshSince: number): Promise<boolean> {
    return Number(await takeWaitingScript.run(this.#redis, [this.#key, this.#waitingKey], [callId, agentId, now, freshSince])) === 1;
  }

  async putWaiting(caller: PooledWaitingCaller): Promise<void> {
    await this.#redis.hset(this.#waitingKey, caller.callId, JSON.stringify(caller));
  }

  async removeWaiting(callId: string): Promise<void> {
    await this.#redis.hdel(this.#waitingKey, callId);
  }

  async listWaiting(freshSince: number): Promise<PooledWaitingCaller[]> {
    const all = await this.#redis.hgetall(this.#waitingKey);
    return Object.values(all)
      .map((raw) => JSON.parse(raw) as PooledWaitingCaller)
      .filter((c) => c.seenAt >= freshSince)
      .sort((x, y) => x.queuedAt - y.queuedAt || (x.callId < y.callId ? -1 : x.callId > y.callId ? 1 : 0));
  }

  async putCommitment(commitment: PooledCommitment): Promise<void> {
    if (!commitment.nodeId) throw new PacelineError('E_INVALID_INPUT', 'AgentPool.putCommitment: nodeId: expected a non-empty node id');
    await this.#redis.hset(this.#keys.campaign(commitment.campaignId).commitments, commitment.nodeId, JSON.stringify(commitment));
  }

  async listCommitments(campaignId: string, freshSince: number): Promise<PooledCommitment[]> {
    const raw = (await listCommitmentsScript.run(this.#redis, [this.#keys.campaign(campaignId).commitments], [freshSince])) as string[];
    return raw
      .map((entry) => JSON.parse(entry) as PooledCommitment)
      .sort((x, y) => (x.nodeId < y.nodeId ? -1 : x.nodeId > y.nodeId ? 1 : 0));
  }
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
