/**
 * `pnpm bench:redis-take` — what the Redis agent pool's inbound take and claim cost as the waiting
 * callers grow (rb11, issue 23's leftovers: rb8 indexed the reserve's `takenBy` check, the take and
 * the claim still read every waiting caller). On a throw-away redis-server (started here), for each
 * count of waiting callers (fresh, one queue, a tenth of them taken by other nodes' agents, indexed as
 * a take marks them) and 50 ready agents, each operation runs `--calls` times per batch:
 *   take        `takeWaiting` without a service order (the router rule's `takenAgents` scan)
 *   take+order  `takeWaiting` with the caller's service order, the caller the oldest (23-xwait's
 *               `inOrder` reads every waiting caller and finds none before it: the agent is taken)
 *   claim+order `claimAgent` with the same order (the agent's own node gives her the caller)
 *   reserve     `reserve` (rb8: one index entry read; the baseline)
 * Between two calls the agent is put back ready and the caller's entry unmarked (not timed). Reported
 * per script call: Redis's own time (INFO commandstats `usec_per_call` of EVALSHA, reset before each
 * batch) — the time Redis serves nothing else — and the client's round trip p50; the median of
 * `--rounds` alternating batches. Prints a table and writes bench/results/redis-take.json. No seeds:
 * nothing random.
 *
 *   --waiting 0,100,1000,5000   waiting callers in the hash (default)
 *   --calls N                   calls per operation and batch (default 200)
 *   --rounds N                  alternating batches (default 3)
 *   --out FILE                  default bench/results/redis-take.json
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AgentState, type PoolServiceOrder } from '@paceline/core';
import { Redis } from 'ioredis';
import { RedisKeys } from '../packages/store-redis/src/keys';
import { RedisAgentPool } from '../packages/store-redis/src/redis-agent-pool';
import { startRedisServer } from '../test/support/redis-process';
import { percentile, printTable } from './support/table';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { waiting: { type: 'string' }, calls: { type: 'string' }, rounds: { type: 'string' }, out: { type: 'string' } },
});
const waitingCounts = (values.waiting ?? '0,100,1000,5000').split(',').map(Number);
const calls = Number(values.calls ?? 200);
const rounds = Number(values.rounds ?? 3);
const out = values.out ?? join(here, 'results', 'redis-take.json');
if (!waitingCounts.every((n) => Number.isInteger(n) && n >= 0) || !(calls > 0) || !(rounds > 0)) {
  throw new Error('bench:redis-take: --waiting must list counts ≥ 0, --calls and --rounds must be positive');
}

const OPERATIONS = ['take', 'take+order', 'claim+order', 'reserve'] as const;
type Operation = (typeof OPERATIONS)[number];
const TENANT = 'bench';
const NOW = 1_700_000_000_000;
const FRESH_SINCE = NOW - 10_000;
const AGENTS = 50;
const NODE = 'n0';
/** The taker: the oldest waiting caller, so the service order finds none before it. */
const TAKER = 'in-taker';
const ORDER: PoolServiceOrder = {
  nodeId: NODE,
  callId: TAKER,
  priority: 0,
  queuedAt: NOW - 10_000_000,
  queues: [{ id: 'sales', priority: 0, skills: [] }],
  waitingSince: FRESH_SINCE,
};

interface Batch {
  /** Redis's time per EVALSHA, µs. */
  redisUsPerCall: number;
  /** The client's round trip p50, µs. */
  roundTripP50Us: number;
}

async function evalshaUsPerCall(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  const match = info
    .split('\n')
    .find((l) => l.startsWith('cmdstat_evalsha:'))
    ?.match(/usec_per_call=([\d.]+)/);
  if (!match) throw new Error('bench:redis-take: no EVALSHA in INFO commandstats');
  return Number(match[1]);
}

async function reset(redis: Redis, pool: RedisAgentPool, names: RedisKeys, agentId: string): Promise<void> {
  await pool.put({ agentId, nodeId: 'n1', state: AgentState.Ready, since: NOW, seenAt: NOW, campaignIds: ['c1'], skills: [] });
  await pool.putWaiting({ callId: TAKER, queueId: 'sales', nodeId: NODE, queuedAt: ORDER.queuedAt, seenAt: NOW });
  await redis.hdel(names.poolTaken, agentId);
}

async function call(pool: RedisAgentPool, operation: Operation, agentId: string, i: number): Promise<unknown> {
  switch (operation) {
    case 'take':
      return pool.takeWaiting(TAKER, agentId, NOW, FRESH_SINCE, NODE);
    case 'take+order':
      return pool.takeWaiting(TAKER, agentId, NOW, FRESH_SINCE, NODE, ORDER);
    case 'claim+order':
      return pool.claimAgent(agentId, ['c1'], TAKER, NOW, FRESH_SINCE, ORDER);
    case 'reserve':
      return (await pool.reserve(agentId, `call-${i}`, NOW, FRESH_SINCE)) ? 'taken' : 'refused';
  }
}

async function batch(redis: Redis, pool: RedisAgentPool, names: RedisKeys, operation: Operation): Promise<Batch> {
  await reset(redis, pool, names, 'a0');
  await call(pool, operation, 'a0', -1); // the script loaded (EVAL on NOSCRIPT) before the stats reset
  await redis.config('RESETSTAT');
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const agentId = `a${i % AGENTS}`;
    await reset(redis, pool, names, agentId);
    const start = process.hrtime.bigint();
    const outcome = await call(pool, operation, agentId, i);
    times.push(Number(process.hrtime.bigint() - start) / 1_000);
    if (outcome !== 'taken') throw new Error(`bench:redis-take: ${operation} of ${agentId} gave ${String(outcome)}, expected taken`);
  }
  return { redisUsPerCall: await evalshaUsPerCall(redis), roundTripP50Us: percentile(times, 0.5) };
}

const median = (batches: Batch[]): Batch =>
  [...batches].sort((x, y) => x.redisUsPerCall - y.redisUsPerCall)[Math.floor(batches.length / 2)] as Batch;
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

const server = await startRedisServer({ appendOnly: false });
const redis = new Redis(server.url);
const rows: { waiting: number; batches: Record<Operation, Batch> }[] = [];
try {
  const pool = new RedisAgentPool({ redis, tenant: TENANT });
  const names = new RedisKeys('paceline', TENANT);
  for (let a = 0; a < AGENTS; a++) await reset(redis, pool, names, `a${a}`);
  for (const waiting of waitingCounts) {
    await redis.del(names.poolWaiting, names.poolTaken);
    const pipeline = redis.pipeline();
    for (let i = 0; i < waiting; i++) {
      // A tenth taken by other nodes' agents (never the ones taken here), indexed as a take marks them; all fresh, all after the taker.
      const field = JSON.stringify([`n${1 + (i % 3)}`, `in-${i}`]);
      const caller = { callId: `in-${i}`, queueId: 'sales', nodeId: `n${1 + (i % 3)}`, queuedAt: NOW - i * 1_000, seenAt: NOW };
      pipeline.hset(names.poolWaiting, field, JSON.stringify(i % 10 === 0 ? { ...caller, takenBy: `other-${i}` } : caller));
      if (i % 10 === 0) pipeline.hset(names.poolTaken, `other-${i}`, field);
    }
    await pipeline.exec();
    const runs = Object.fromEntries(OPERATIONS.map((o) => [o, [] as Batch[]])) as Record<Operation, Batch[]>;
    for (let r = 0; r < rounds; r++) for (const o of OPERATIONS) runs[o].push(await batch(redis, pool, names, o));
    rows.push({ waiting, batches: Object.fromEntries(OPERATIONS.map((o) => [o, median(runs[o])])) as Record<Operation, Batch> });
  }
} finally {
  redis.disconnect();
  await server.stop();
}

printTable(
  `agent pool take / claim by waiting callers (${calls} calls × ${rounds} alternating batches; median batch): Redis µs per call, round trip p50 µs`,
  ['waiting', ...OPERATIONS.map((o) => `${o} µs`), ...OPERATIONS.map((o) => `rtt ${o}`)],
  rows.map((r) => [
    r.waiting,
    ...OPERATIONS.map((o) => round(r.batches[o].redisUsPerCall)),
    ...OPERATIONS.map((o) => round(r.batches[o].roundTripP50Us, 0)),
  ]),
);
writeFileSync(out, `${JSON.stringify({ calls, rounds, agents: AGENTS, rows }, null, 2)}\n`);
console.log(`\nwrote ${out}`);
