/**
 * `pnpm bench:engine` — the engine on real time with trunk-sim, stressing the store: throughput
 * (dials per second), CPU per dial (engine processes, and Redis), Redis commands per dial
 * (INFO commandstats) and the answer → agent-connect decision latency (from the trunk's
 * `analysed` event to the dialer's `connected`). Every run is one or more engine processes
 * (bench/support/engine-node.ts), each with its own campaign and agents, started together;
 * calls last a fraction of a second so the engine and the store, not the calls, are the limit.
 * Prints a table and writes bench/results/engine.json.
 *
 *   --store memory|redis|redis-cluster
 *                         memory: the embedded store, one process. redis: also a real
 *                         redis-server (started here, AOF everysec) with 1 and `--processes`
 *                         processes. redis-cluster (default): also a real Redis Cluster (three
 *                         masters, started here) with `--processes` processes. One invocation,
 *                         one machine, ratios between the runs.
 *   --processes N         engine processes of the multi-process runs (default 4)
 *   --seconds N           measured wall seconds per run (default 10, after 1 s of warm-up)
 *   --agents N            simulated agents per process (default 500)
 *   --cluster-replicas N  replicas per cluster master (default 0: the same work as one Redis)
 *   --contacts N          contacts per campaign (default 20 000: far more than a run can dial)
 *   --out FILE            where to write the JSON (default bench/results/engine.json)
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { type RedisCluster, startRedisCluster } from '../test/support/redis-cluster';
import { startRedisServer } from '../test/support/redis-process';
import type { EngineNodeResult } from './support/engine-node';
import { percentile, printTable } from './support/table';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    agents: { type: 'string' },
    store: { type: 'string' },
    processes: { type: 'string' },
    'cluster-replicas': { type: 'string' },
    contacts: { type: 'string' },
    out: { type: 'string' },
  },
});
const out = values.out ?? join(here, 'results', 'engine.json');
const seconds = Number(values.seconds ?? 10);
const agentCount = Number(values.agents ?? 500);
const manyProcesses = Number(values.processes ?? 4);
const clusterReplicas = Number(values['cluster-replicas'] ?? 0);
const storeKind = values.store ?? 'redis-cluster';
const WARMUP_S = 1;
if (!(seconds > 0) || !(agentCount > 0) || !(manyProcesses >= 2) || !(clusterReplicas >= 0)) {
  throw new Error('bench:engine: --seconds and --agents must be positive, --processes at least 2, --cluster-replicas ≥ 0');
}
if (!['memory', 'redis', 'redis-cluster'].includes(storeKind)) {
  throw new Error(`bench:engine: --store must be memory, redis or redis-cluster, got "${storeKind}"`);
}
/** Contacts per campaign: far more than a run can dial. */
const CONTACTS = Number(values.contacts ?? 20_000);
if (!(CONTACTS > 0)) throw new Error('bench:engine: --contacts must be positive');

type StoreKind = 'memory' | 'redis' | 'redis-cluster';

interface EngineRun {
  store: StoreKind;
  processes: number;
  agents: number;
  dialsPerSecond: number;
  /** Engine processes' CPU (user + system) per dial, ms. */
  cpuMsPerDial: number;
  /** Redis's CPU (every master) per dial, ms; absent in memory. */
  redisCpuMsPerDial?: number;
  /** Redis commands (INFO commandstats, every master) per dial; absent in memory. */
  redisCommandsPerDial?: number;
  connectLatencyMs: { p50: number; p99: number };
  /** Hopper claims handed back because the store took over 1 s to answer (all processes). */
  staleClaims: number;
}

/** The Redis servers a run uses (one, or the cluster's masters), for INFO. */
interface Backend {
  readonly url: string;
  readonly nodes: readonly { host: string; port: number }[];
}

/** Commands executed and CPU used so far by every master of `backend`. */
async function redisCounters(backend: Backend): Promise<{ commands: number; cpuMs: number }> {
  let commands = 0;
  let cpuMs = 0;
  for (const node of backend.nodes) {
    const client = new Redis(node.port, node.host, { lazyConnect: true });
    await client.connect();
    try {
      if (!(await client.info('replication')).includes('role:master')) continue;
      for (const m of (await client.info('commandstats')).matchAll(/calls=(\d+)/g)) commands += Number(m[1]);
      const cpu = await client.info('cpu');
      for (const m of cpu.matchAll(/^used_cpu_(?:sys|user):([\d.]+)/gm)) cpuMs += Number(m[1]) * 1_000;
    } finally {
      client.disconnect();
    }
  }
  return { commands, cpuMs };
}

/** Start `processes` engine processes, each on its own campaign, release them together, and sum what they report. */
async function run(store: StoreKind, processes: number, backend?: Backend): Promise<EngineRun> {
  const nodes = Array.from({ length: processes }, (_, i) => startNode(store, `n${i + 1}`, `bench-${i + 1}`, backend?.url));
  await Promise.all(nodes.map((n) => n.ready));
  for (const n of nodes) n.go();
  // The store's counters over the nodes' measured window (they measure after the same warm-up).
  await sleep(WARMUP_S * 1_000);
  const before = backend ? await redisCounters(backend) : undefined;
  await sleep(seconds * 1_000);
  const after = backend ? await redisCounters(backend) : undefined;
  const results = await Promise.all(nodes.map((n) => n.result));
  const latencies = results.flatMap((r) => r.connectLatenciesMs);
  const dials = results.reduce((sum, r) => sum + r.dials, 0);
  const perDial = (x: number) => (dials > 0 ? x / dials : 0);
  return {
    store,
    processes,
    agents: agentCount * processes,
    dialsPerSecond: round(results.reduce((sum, r) => sum + r.dials / r.seconds, 0)),
    cpuMsPerDial: round(perDial(results.reduce((sum, r) => sum + r.cpuMs, 0)), 3),
    ...(before && after
      ? {
          redisCpuMsPerDial: round(perDial(after.cpuMs - before.cpuMs), 3),
          redisCommandsPerDial: round(perDial(after.commands - before.commands), 1),
        }
      : {}),
    connectLatencyMs: { p50: round(percentile(latencies, 0.5), 3), p99: round(percentile(latencies, 0.99), 3) },
    staleClaims: results.reduce((sum, r) => sum + r.staleClaims, 0),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startNode(store: string, node: string, campaign: string, redisUrl?: string) {
  const args = [
    '--import',
    'tsx',
    '--conditions=@paceline/source',
    join(here, 'support', 'engine-node.ts'),
    ...['--store', store, '--node', node, '--campaign', campaign],
    ...['--agents', String(agentCount), '--contacts', String(CONTACTS), '--seconds', String(seconds)],
    ...(redisUrl ? ['--redis-url', redisUrl] : []),
  ];
  const child = spawn(process.execPath, args, { cwd: here, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: Array<(line: Record<string, unknown>) => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('{')) lines.shift()?.(JSON.parse(line) as Record<string, unknown>);
  });
  let reported = false;
  const exited = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) =>
      reported ? resolve() : reject(new Error(`bench:engine: engine process ${node} exited with code ${code} before reporting`)),
    ),
  );
  const next = () => Promise.race([new Promise<Record<string, unknown>>((resolve) => lines.push(resolve)), exited.then(() => ({}))]);
  const ready = next();
  // The result counts once the process has exited (its Redis connection closed before the server stops).
  const result = ready.then(async () => {
    const line = (await next()) as unknown as EngineNodeResult;
    reported = true;
    await exited;
    return line;
  });
  return { ready, result, go: () => child.stdin.end('go\n') };
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits));

const runs: EngineRun[] = [await run('memory', 1)];
const ratios: Record<string, number> = {};
if (storeKind !== 'memory') {
  for (const processes of [1, manyProcesses]) {
    const redis = await startRedisServer(); // a fresh server per run, AOF on, as in production
    try {
      runs.push(await run('redis', processes, { url: redis.url, nodes: [{ host: redis.host, port: redis.port }] }));
    } finally {
      await redis.stop();
    }
  }
  const [memory, redis1, redisMany] = runs as [EngineRun, EngineRun, EngineRun];
  ratios.redisVsMemory = round(redis1.dialsPerSecond / memory.dialsPerSecond, 3);
  ratios.manyProcessesVsOne = round(redisMany.dialsPerSecond / redis1.dialsPerSecond, 3);
}
if (storeKind === 'redis-cluster') {
  let cluster: RedisCluster | undefined;
  try {
    cluster = await startRedisCluster({ replicas: clusterReplicas });
    const url = `cluster://${cluster.nodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
    runs.push(await run('redis-cluster', manyProcesses, { url, nodes: cluster.nodes }));
  } finally {
    await cluster?.stop();
  }
  const redisMany = runs[2] as EngineRun;
  ratios.clusterVsRedis = round((runs[3] as EngineRun).dialsPerSecond / redisMany.dialsPerSecond, 3);
}
printTable(
  `Engine (real time, trunk-sim, ${agentCount} agents per process, ${seconds} s per run, ${availableParallelism()} cores)`,
  [
    'store',
    'processes',
    'agents',
    'dials/s',
    'engine CPU ms/dial',
    'Redis CPU ms/dial',
    'Redis cmds/dial',
    'connect p50 ms',
    'connect p99 ms',
    'stale claims',
  ],
  runs.map((r) => [
    r.store,
    r.processes,
    r.agents,
    r.dialsPerSecond,
    r.cpuMsPerDial,
    r.redisCpuMsPerDial ?? '–',
    r.redisCommandsPerDial ?? '–',
    r.connectLatencyMs.p50,
    r.connectLatencyMs.p99,
    r.staleClaims,
  ]),
);
if (ratios.redisVsMemory !== undefined) {
  console.log(`Redis / in-memory throughput (1 process, ${agentCount} agents): ${ratios.redisVsMemory} (target ≥ 0.7)`);
  console.log(
    `${manyProcesses} processes / 1 process on Redis: ${ratios.manyProcessesVsOne} (target ≥ 3.5 for 4; ${availableParallelism()} cores here)`,
  );
}
if (ratios.clusterVsRedis !== undefined)
  console.log(`Cluster / one Redis (${manyProcesses} processes): ${ratios.clusterVsRedis} (target ≥ 0.8)`);
writeFileSync(
  out,
  `${JSON.stringify({ seconds, agentsPerProcess: agentCount, cores: availableParallelism(), clusterReplicas, runs, ratios }, null, 2)}\n`,
);
console.log(`wrote ${out}`);
