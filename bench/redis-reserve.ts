/**
 * `pnpm bench:redis-reserve` — what the Redis `agentReserve` script's `takenBy` check costs
 * (issue-23 23-xclaim: a reserve refuses an agent a fresh waiting entry marks taken; the script
 * reads the whole waiting-callers hash, HVALS + a JSON decode per caller). On a throw-away
 * redis-server (started here, AOF everysec as in production), for each count of waiting callers
 * (a tenth of them marked `takenBy` other agents), the production script and a baseline — the
 * same script without the check, run alternately in the same process — reserve a ready agent
 * `--reserves` times each. Reported per script call: Redis's own time (INFO commandstats
 * `usec_per_call` of EVALSHA, reset before each batch; no network) and the client's round trip
 * (p50, p99). Prints a table and writes bench/results/redis-reserve.json. No seeds: nothing random.
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
import { Redis } from 'ioredis';
import { RedisKeys } from '../packages/store-redis/src/keys';
import { LuaScript } from '../packages/store-redis/src/lua-script';
import { RedisAgentPool, reserveScript } from '../packages/store-redis/src/redis-agent-pool';
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

/** The check the baseline leaves out, exactly as the production script has it. */
const CHECK = ' or takenAgents(tonumber(ARGV[4]))[ARGV[1]]';
if (!reserveScript.source.includes(CHECK))
  throw new Error('bench:redis-reserve: the agentReserve script no longer has the takenBy check this bench removes');
const baselineScript = new LuaScript('agentReserveWithoutTakenCheck', reserveScript.source.replace(CHECK, ''));

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
  withCheck: Batch;
  baseline: Batch;
  /** withCheck / baseline, Redis's time per call. */
  redisRatio: number;
  /** withCheck / baseline, round trip p50. */
  roundTripRatio: number;
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
    await pool.put({ agentId, nodeId: 'n1', state: 'ready', since: NOW, seenAt: NOW, campaignIds: ['c1'], skills: ['en'] });
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
  const keys = [names.agents, names.poolCommitments, names.poolWaiting];
  for (const waiting of waitingCounts) {
    await redis.del(names.poolWaiting);
    for (let i = 0; i < waiting; i++) {
      // A tenth of them taken by agents of other nodes (never the ones reserved here); all fresh.
      const takenBy = i % 10 === 0 ? { takenBy: `other-${i}` } : {};
      await pool.putWaiting({
        callId: `in-${i}`,
        queueId: 'sales',
        nodeId: `n${i % 3}`,
        queuedAt: NOW - i * 1_000,
        seenAt: NOW,
        ...takenBy,
      });
    }
    const withCheck: Batch[] = [];
    const baseline: Batch[] = [];
    for (let r = 0; r < rounds; r++) {
      withCheck.push(await batch(redis, pool, keys, reserveScript));
      baseline.push(await batch(redis, pool, keys, baselineScript));
    }
    const w = median(withCheck);
    const b = median(baseline);
    rows.push({
      waiting,
      withCheck: w,
      baseline: b,
      redisRatio: round(w.redisUsPerCall / b.redisUsPerCall),
      roundTripRatio: round(w.roundTripUs.p50 / b.roundTripUs.p50),
    });
  }
} finally {
  redis.disconnect();
  await server.stop();
}

printTable(
  `agentReserve: the takenBy check's cost by waiting callers (${reserves} reserves × ${rounds} alternating batches each; median batch)`,
  ['waiting', 'redis µs/call', 'baseline µs/call', 'ratio', 'rtt p50 µs', 'baseline p50', 'ratio', 'rtt p99 µs', 'baseline p99'],
  rows.map((r) => [
    r.waiting,
    round(r.withCheck.redisUsPerCall),
    round(r.baseline.redisUsPerCall),
    r.redisRatio,
    round(r.withCheck.roundTripUs.p50, 0),
    round(r.baseline.roundTripUs.p50, 0),
    r.roundTripRatio,
    round(r.withCheck.roundTripUs.p99, 0),
    round(r.baseline.roundTripUs.p99, 0),
  ]),
);
writeFileSync(out, `${JSON.stringify({ reserves, rounds, agents: AGENTS, rows }, null, 2)}\n`);
console.log(`\nwrote ${out}`);
