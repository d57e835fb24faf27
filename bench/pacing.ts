// `pnpm bench:pacing [--seeds N] [--first-seed N] [--scenario NAME] [--pacer NAME] [--jobs N] [--engine]`:
// every scenario × pacer on the same seeds, a table for people and bench/results/pacing.json
// for machines (`--engine`: the real engine in sim's engine mode, recorded in pacing-engine.json). Iterate on other seeds (`--first-seed 101`) so tuning does not fit the default ones.
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEngineScenario, runSimulation } from '@paceline/sim';
import { benchPacer, PACER_NAMES, type PacerName } from './pacers';
import { loadScenarios, type Scenario, simulationOf } from './scenario';
import { percentile, printTable } from './support/table';

/** One run's sums (what the aggregate needs). */
interface RunSums {
  scenario: string;
  pacer: PacerName;
  seed: number;
  talkMs: number;
  wrapMs: number;
  loggedInMs: number;
  liveAnswers: number;
  abandoned: number;
  dials: number;
  waits: number;
  waitMs: number;
  dailyRates: number[];
}

interface Job {
  scenario: string;
  pacer: PacerName;
  seed: number;
}

/** `--engine`: run the real engine (sim's engine mode) instead of driving the pacer directly. */
const ENGINE = process.argv.includes('--engine');

async function runJob(scenarios: Map<string, Scenario>, job: Job): Promise<RunSums> {
  const scenario = scenarios.get(job.scenario) as Scenario;
  const options = simulationOf(scenario, job.seed, benchPacer(job.pacer));
  if (ENGINE) {
    const e = await runEngineScenario(options);
    return {
      ...job,
      talkMs: e.talkMs,
      wrapMs: e.wrapMs,
      loggedInMs: e.loggedInMs,
      liveAnswers: e.liveAnswers,
      abandoned: e.abandoned,
      dials: e.dials,
      waits: e.waits,
      waitMs: e.waitMs,
      dailyRates: e.days.filter((d) => d.liveAnswers > 0).map((d) => d.abandoned / d.liveAnswers),
    };
  }
  const r = runSimulation(options);
  return {
    ...job,
    talkMs: r.talkMs,
    wrapMs: r.wrapMs,
    loggedInMs: r.loggedInMs,
    liveAnswers: r.counters.liveAnswers,
    abandoned: r.counters.abandoned,
    dials: r.counters.dials,
    waits: r.counters.waits,
    waitMs: r.counters.waitMs,
    dailyRates: r.counters.days.filter((d) => d.liveAnswers > 0).map((d) => d.abandoned / d.liveAnswers),
  };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

async function main(): Promise<void> {
  const scenarios = new Map(loadScenarios().map((s) => [s.name, s]));
  const worker = arg('worker');
  const seeds = Number(arg('seeds') ?? 20);
  const only = arg('scenario');
  const firstSeed = Number(arg('first-seed') ?? 1);
  const onlyPacer = arg('pacer');
  if (!Number.isInteger(firstSeed)) throw new Error(`--first-seed: expected a whole number, got ${arg('first-seed')}`);
  if (onlyPacer !== undefined && !(PACER_NAMES as readonly string[]).includes(onlyPacer))
    throw new Error(`--pacer: unknown "${onlyPacer}"; known: ${PACER_NAMES.join(', ')}`);
  const pacers = PACER_NAMES.filter((p) => onlyPacer === undefined || p === onlyPacer);
  if (!Number.isInteger(seeds) || seeds < 1) throw new Error(`--seeds: expected a positive whole number, got ${arg('seeds')}`);
  if (only !== undefined && !scenarios.has(only))
    throw new Error(`--scenario: unknown "${only}"; known: ${[...scenarios.keys()].join(', ')}`);
  const jobs: Job[] = [];
  for (const name of scenarios.keys()) {
    if (only !== undefined && name !== only) continue;
    for (const pacer of pacers) for (let seed = firstSeed; seed < firstSeed + seeds; seed++) jobs.push({ scenario: name, pacer, seed });
  }

  if (worker !== undefined) {
    const [index, count] = worker.split('/').map(Number) as [number, number];
    const out: RunSums[] = [];
    for (let i = index; i < jobs.length; i += count) out.push(await runJob(scenarios, jobs[i] as Job));
    process.send?.(out);
    return;
  }

  const started = performance.now();
  const parallel = Math.max(1, Number(arg('jobs') ?? 2));
  const self = fileURLToPath(import.meta.url);
  const parts = await Promise.all(
    Array.from(
      { length: parallel },
      (_, i) =>
        new Promise<RunSums[]>((resolve, reject) => {
          const child = fork(self, [...process.argv.slice(2), '--worker', `${i}/${parallel}`], { execArgv: process.execArgv });
          let got: RunSums[] = [];
          child.on('message', (m) => {
            got = m as RunSums[];
          });
          child.on('error', reject);
          child.on('exit', (code) => (code === 0 ? resolve(got) : reject(new Error(`worker ${i} exited with ${code}`))));
        }),
    ),
  );
  const runs = parts.flat();

  const results = [];
  for (const name of scenarios.keys()) {
    if (only !== undefined && name !== only) continue;
    const rows: string[][] = [];
    for (const pacer of pacers) {
      const rs = runs.filter((r) => r.scenario === name && r.pacer === pacer);
      const sum = (f: (r: RunSums) => number) => rs.reduce((a, r) => a + f(r), 0);
      const loggedIn = sum((r) => r.loggedInMs);
      const live = sum((r) => r.liveAnswers);
      const waits = sum((r) => r.waits);
      const row = {
        scenario: name,
        pacer,
        talkFraction: round(sum((r) => r.talkMs) / loggedIn, 4),
        occupancy: round(sum((r) => r.talkMs + r.wrapMs) / loggedIn, 4),
        abandonRate: round(live > 0 ? sum((r) => r.abandoned) / live : 0, 5),
        abandonRateDailyP95: round(
          percentile(
            rs.flatMap((r) => r.dailyRates),
            0.95,
          ),
          5,
        ),
        agentWaitMeanS: round(waits > 0 ? sum((r) => r.waitMs) / waits / 1000 : 0, 2),
        dialsPerAgentHour: round(sum((r) => r.dials) / (loggedIn / 3_600_000), 2),
        liveAnswers: live,
        seeds: rs.length,
      };
      results.push(row);
      rows.push([
        pacer,
        row.talkFraction.toFixed(3),
        row.occupancy.toFixed(3),
        `${(row.abandonRate * 100).toFixed(2)}%`,
        `${(row.abandonRateDailyP95 * 100).toFixed(2)}%`,
        row.agentWaitMeanS.toFixed(1),
        row.dialsPerAgentHour.toFixed(1),
        String(row.liveAnswers),
      ]);
    }
    printTable(
      `${name} (${seeds} seeds${ENGINE ? ', engine mode' : ''})`,
      ['pacer', 'talk', 'occupancy', 'abandon', 'daily p95', 'wait s', 'dials/agent-h', 'live answers'],
      rows,
    );
  }
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  // Only a full run on the default seeds is the recorded result; a narrowed one just prints.
  if (only !== undefined || onlyPacer !== undefined || firstSeed !== 1) {
    console.log(`\n${runs.length} runs in ${secs} s (narrowed: bench/results/pacing.json left as it was)`);
    return;
  }
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  // The engine-mode run is recorded beside the pacer-direct one, never over it.
  const file = ENGINE ? 'pacing-engine.json' : 'pacing.json';
  writeFileSync(join(dir, file), `${JSON.stringify({ results }, null, 2)}\n`);
  console.log(`\n${runs.length} runs in ${secs} s → bench/results/${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
