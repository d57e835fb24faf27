/**
 * `pnpm bench:redis-reserve` — what the Redis `agentReserve` script's `takenBy` check costs
 * (issue-23 23-xclaim: a reserve refuses an agent a fresh waiting entry marks taken). Three
 * versions of the script (`reserveSource`), run alternately in the same process: `index`
 * (production since rb8: the marks indexed by agent, one entry read), `scan` (23-xclaim's first
 * version: HVALS of the whole waiting-callers hash + a JSON decode per caller) and `none` (the
 * baseline: no check). On a throw-away redis-server (started here, AOF everysec as in
 * production), for each count of waiting callers (a tenth of them marked `takenBy` other agents,
 * indexed as a take marks them), each version reserves a ready agent `--reserves` times per
 * batch. Reported per script call: Redis's own time (INFO commandstats `usec_per_call` of
 * EVALSHA, reset before each batch; no network) and the client's round trip (p50, p99); ratios
 * against the baseline. Prints a table and writes bench/results/redis-reserve.json. No seeds:
 * nothing random.
 *
 *   --waiting 0,10,100,1000   waiting callers in the hash (default)
 *   --reserves N              reserves per script and count (default 2000)
 *   --rounds N                alternating batches per script and count (default 5; the median batch is reported)
 *   --out FILE                where to write the JSON (default bench/results/redis-reserve.json)
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AgentState } from '@paceline/core';
import { Redis } from 'ioredis';
import { RedisKeys } from '../packages/store-redis/src/keys';
import { LuaScript } from '../packages/store-redis/src/lua-script';
import { RedisAgentPool, reserveSource } from '../packages/store-redis/src/redis-agent-pool';
import { startRedisServer } from '../test/support/redis-process';
import { percentile, printTable } from './support/table';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { waiting: { type: 'string' }, reserves: { type: 'string' }, rounds: { type: 'string' }, out: { type: 'string' } },
});
const waitingCounts = (values.waiting ?? '0,10,100,1000').split(',').map(Number);
const reserves = Number(values.reserves ?? 2_000);
const rounds = Number(values.rounds ?? 5);
const out = values.out ?? join(here, 'results', 'redis-reserve.json');
if (!waitingCounts.every((n) => Number.isInteger(n) && n >= 0) || !(reserves > 0) || !(rounds > 0)) {
  throw new Error('bench:redis-reserve: --waiting must list counts ≥ 0, --reserves and --rounds must be positive');
}

const VERSIONS = ['index', 'scan', 'none'] as const;
type Version = (typeof VERSIONS)[number];
const scripts = Object.fromEntries(VERSIONS.map((v) => [v, new LuaScript(`agentReserve-${v}`, reserveSource(v))])) as Record<
  Version,
  LuaScript
>;

const TENANT = 'bench';
const NOW = 1_700_000_000_000;
const AGENTS = 50;

interface Batch {
  /** Redis's time per EVALSHA, µs (INFO commandstats). */
  redisUsPerCall: number;
  /** The client's round trip per reserve, µs. */
  roundTripUs: { p50: number; p99: number };
}

interface Row {
  waiting: number;
  /** Each version's median batch. */
  batches: Record<Version, Batch>;
  /** index / none and scan / none: Redis's time per call. */
  redisRatio: { index: number; scan: number };
  /** index / none and scan / none: round trip p50. */
  roundTripRatio: { index: number; scan: number };
}

async function evalshaUsPerCall(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  const line = info.split('\n').find((l) => l.startsWith('cmdstat_evalsha:'));
  const match = line?.match(/usec_per_call=([\d.]+)/);
  if (!match) throw new Error('bench:redis-reserve: no EVALSHA in INFO commandstats');
  return Number(match[1]);
}

/** `reserves` reserves of ready agents by `script`; between two, the agent put back ready (not timed). */
async function batch(redis: Redis, pool: RedisAgentPool, keys: readonly string[], script: LuaScript): Promise<Batch> {
  await script.run(redis, keys, ['a0', 'warm', NOW, NOW - 10_000]); // loaded (EVAL on NOSCRIPT) before the stats reset
  await redis.config('RESETSTAT');
  const times: number[] = [];
  for (let i = 0; i < reserves; i++) {
    const agentId = `a${i % AGENTS}`;
    await pool.put({ agentId, nodeId: 'n1', state: AgentState.Ready, since: NOW, seenAt: NOW, campaignIds: ['c1'], skills: ['en'] });
    const start = process.hrtime.bigint();
    const reserved = Number(await script.run(redis, keys, [agentId, `call-${i}`, NOW, NOW - 10_000]));
    times.push(Number(process.hrtime.bigint() - start) / 1_000);
    if (reserved !== 1) throw new Error(`bench:redis-reserve: ${script.name} refused agent ${agentId} (no waiting entry marks it)`);
  }
  return { redisUsPerCall: await evalshaUsPerCall(redis), roundTripUs: { p50: percentile(times, 0.5), p99: percentile(times, 0.99) } };
}

/** The median batch by Redis's time per call. */
function median(batches: Batch[]): Batch {
  return [...batches].sort((x, y) => x.redisUsPerCall - y.redisUsPerCall)[Math.floor(batches.length / 2)] as Batch;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));
const server = await startRedisServer();
const redis = new Redis(server.url);
const rows: Row[] = [];
try {
  const pool = new RedisAgentPool({ redis, tenant: TENANT });
  const names = new RedisKeys('paceline', TENANT);
  const keys = [names.agents, names.poolCommitments, names.poolWaiting, names.poolTaken];
  for (const waiting of waitingCounts) {
    await redis.del(names.poolWaiting, names.poolTaken);
    for (let i = 0; i < waiting; i++) {
      // A tenth of them taken by agents of other nodes (never the ones reserved here), indexed as a take marks them; all fresh.
      const caller = { callId: `in-${i}`, queueId: 'sales', nodeId: `n${i % 3}`, queuedAt: NOW - i * 1_000, seenAt: NOW };
      await pool.putWaiting(i % 10 === 0 ? { ...caller, takenBy: `other-${i}` } : caller);
      if (i % 10 === 0) await redis.hset(names.poolTaken, `other-${i}`, JSON.stringify([caller.nodeId, caller.callId]));
    }
    const runs = Object.fromEntries(VERSIONS.map((v) => [v, [] as Batch[]])) as Record<Version, Batch[]>;
    for (let r = 0; r < rounds; r++) for (const v of VERSIONS) runs[v].push(await batch(redis, pool, keys, scripts[v]));
    const batches = Object.fromEntries(VERSIONS.map((v) => [v, median(runs[v])])) as Record<Version, Batch>;
    const ratio = (v: Version, of: (b: Batch) => number) => round(of(batches[v]) / of(batches.none));
    rows.push({
      waiting,
      batches,
      redisRatio: { index: ratio('index', (b) => b.redisUsPerCall), scan: ratio('scan', (b) => b.redisUsPerCall) },
      roundTripRatio: { index: ratio('index', (b) => b.roundTripUs.p50), scan: ratio('scan', (b) => b.roundTripUs.p50) },
    });
  }
} finally {
  redis.disconnect();
  await server.stop();
}

printTable(
  `agentReserve: the takenBy check's cost by waiting callers (${reserves} reserves × ${rounds} alternating batches per version; median batch)`,
  [
    'waiting',
    'index µs',
    'scan µs',
    'none µs',
    'index/none',
    'scan/none',
    'rtt p50 index',
    'scan',
    'none',
    'rtt p99 index',
    'scan',
    'none',
  ],
  rows.map((r) => [
    r.waiting,
    ...VERSIONS.map((v) => round(r.batches[v].redisUsPerCall)),
    r.redisRatio.index,
    r.redisRatio.scan,
    ...VERSIONS.map((v) => round(r.batches[v].roundTripUs.p50, 0)),
    ...VERSIONS.map((v) => round(r.batches[v].roundTripUs.p99, 0)),
  ]),
);
writeFileSync(out, `${JSON.stringify({ reserves, rounds, agents: AGENTS, rows }, null, 2)}\n`);
console.log(`\nwrote ${out}`);
