/**
 * `pnpm bench:engine` — the engine on real time with trunk-sim: throughput (dials per second)
 * and the answer → agent-connect decision latency (from the trunk's `analysed` event to the
 * dialer's `connected`). Every run is one or two engine processes (bench/support/engine-node.ts),
 * each with its own campaign and agents, started together. Prints a table and writes
 * bench/results/engine.json.
 *
 *   --store memory|redis  memory (default): the embedded store, one process. redis: also runs on
 *                         a real redis-server (started here, AOF on) with 1 and 2 processes, in
 *                         the same run as the in-memory baseline, with the ratios between them.
 *   --seconds N           measured wall seconds per run (default 10, after 1 s of warm-up)
 *   --agents N            simulated agents per process (default 100)
 *   --out FILE            where to write the JSON (default bench/results/engine.json)
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startRedisServer } from '../test/support/redis-process';
import type { EngineNodeResult } from './support/engine-node';
import { percentile, printTable } from './support/table';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { seconds: { type: 'string' }, agents: { type: 'string' }, store: { type: 'string' }, out: { type: 'string' } },
});
const out = values.out ?? join(here, 'results', 'engine.json');
const seconds = Number(values.seconds ?? 10);
const agentCount = Number(values.agents ?? 100);
const storeKind = values.store ?? 'memory';
if (!(seconds > 0) || !(agentCount > 0)) throw new Error('bench:engine: --seconds and --agents must be positive numbers');
if (storeKind !== 'memory' && storeKind !== 'redis') throw new Error(`bench:engine: --store must be memory or redis, got "${storeKind}"`);
/** Contacts per campaign: far more than a run can dial. */
const CONTACTS = 20_000;

interface EngineRun {
  store: 'memory' | 'redis';
  processes: number;
  agents: number;
  dialsPerSecond: number;
  connectLatencyMs: { p50: number; p99: number };
}

/** Start `processes` engine processes, each on its own campaign, release them together, and sum what they report. */
async function run(store: 'memory' | 'redis', processes: number, redisUrl?: string): Promise<EngineRun> {
  const nodes = Array.from({ length: processes }, (_, i) => startNode(store, `n${i + 1}`, `bench-${i + 1}`, redisUrl));
  await Promise.all(nodes.map((n) => n.ready));
  for (const n of nodes) n.go();
  const results = await Promise.all(nodes.map((n) => n.result));
  const latencies = results.flatMap((r) => r.connectLatenciesMs);
  return {
    store,
    processes,
    agents: agentCount * processes,
    dialsPerSecond: round(results.reduce((sum, r) => sum + r.dials / r.seconds, 0)),
    connectLatencyMs: { p50: round(percentile(latencies, 0.5), 3), p99: round(percentile(latencies, 0.99), 3) },
  };
}

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
let ratios: Record<string, number> | undefined;
if (storeKind === 'redis') {
  for (const processes of [1, 2]) {
    const redis = await startRedisServer(); // a fresh server per run, AOF on, as in production
    try {
      runs.push(await run('redis', processes, redis.url));
    } finally {
      await redis.stop();
    }
  }
  const [memory, redis1, redis2] = runs as [EngineRun, EngineRun, EngineRun];
  ratios = {
    redisVsMemory: round(redis1.dialsPerSecond / memory.dialsPerSecond, 3),
    twoProcessesVsOne: round(redis2.dialsPerSecond / redis1.dialsPerSecond, 3),
  };
}
printTable(
  `Engine (real time, trunk-sim, ${agentCount} agents per process, ${seconds} s per run)`,
  ['store', 'processes', 'agents', 'dials/s', 'connect p50 ms', 'connect p99 ms'],
  runs.map((r) => [r.store, r.processes, r.agents, r.dialsPerSecond, r.connectLatencyMs.p50, r.connectLatencyMs.p99]),
);
if (ratios) {
  console.log(`Redis / in-memory throughput (1 process): ${ratios.redisVsMemory} (target ≥ 0.5)`);
  console.log(`2 processes / 1 process on Redis: ${ratios.twoProcessesVsOne} (target ≥ 1.6)`);
}
writeFileSync(out, `${JSON.stringify({ seconds, agentsPerProcess: agentCount, runs, ...(ratios ? { ratios } : {}) }, null, 2)}\n`);
console.log(`wrote ${out}`);
