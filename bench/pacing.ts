// `pnpm bench:pacing`: every scenario × pacer on the same seeds, a table for people and
// bench/results/pacing.json for machines (`--help` for the options). Iterate on other seeds
// (`--first-seed 101`) so tuning does not fit the default ones.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMarkovian, optimumFor, withMarkovianVariants } from './optimum/markovian-variant';
import { OPT_IN_PACER_NAMES, PACER_NAMES } from './pacers';
import { loadScenarios, type Scenario } from './scenario';
import { CliError, type CliSpec, integerOption, parseCli, runCli, stringOption, userPath } from './support/cli';
import { type CustomPacer, loadPacerModule } from './support/pacer-module';
import { aggregate, type Job, OPTIMUM_POLICY, type PacingRow, type RunSums, runJob } from './support/pacing-runs';
import { printTable } from './support/table';

const SPEC: CliSpec = {
  command: 'bench:pacing',
  summary:
    'Runs every scenario of bench/scenarios/ with every pacer on the same seeds (one 8-hour day each), prints a table per\n' +
    'scenario and writes bench/results/pacing.json (a narrowed run writes JSON only with --out).',
  options: {
    seeds: { type: 'string', valueName: 'N', description: 'seeds per scenario and pacer (default 20; --frontier: 5)' },
    'first-seed': { type: 'string', valueName: 'N', description: 'first seed (default 1; tune on 101+)' },
    scenario: { type: 'string', valueName: 'NAME', multiple: true, description: 'only this scenario (repeatable)' },
    pacer: { type: 'string', valueName: 'NAME', multiple: true, description: `only this pacer (repeatable): ${PACER_NAMES.join(', ')}` },
    'pacer-module': {
      type: 'string',
      valueName: 'FILE',
      description: 'also benchmark the pacer this module exports (default export: () => Pacer)',
    },
    baseline: {
      type: 'string',
      valueName: 'NAME',
      description: 'the pacer the ratio column divides by (default progressive, else the first run)',
    },
    out: { type: 'string', valueName: 'FILE', description: 'write the JSON here (any run, narrowed or not)' },
    merge: {
      type: 'boolean',
      description:
        'merge this run into the JSON (--out FILE or bench/results/pacing.json): its rows replace those of the same scenario\n' +
        'and pacer, the others stay; ratios are recomputed against the file’s baseline pacer where the file has its row',
    },
    jobs: { type: 'string', valueName: 'N', description: 'worker processes (default 2)' },
    engine: { type: 'boolean', description: 'run the real engine (sim engine mode); recorded in pacing-engine.json' },
    'ringing-by-answer': {
      type: 'boolean',
      description: 'the predictive pacer with the estimators’ opt-in ringingByAnswer (a narrowed run: JSON only with --out)',
    },
    frontier: {
      type: 'boolean',
      description: 'sweep abandon targets 1%, 2%, 3% and the VICIdial loop’s settings; writes pacing-frontier.json',
    },
  },
  examples: [
    'pnpm bench:pacing --scenario itc-20 --seeds 4 --first-seed 101',
    'pnpm bench:pacing --scenario itc-20 --out x.json',
    'nice -n 10 pnpm bench:pacing --scenario team-10 --pacer predictive --jobs 1 --merge',
    'pnpm bench:pacing --pacer-module ./examples/custom-pacer/my-pacer.ts --scenario small-team-5 --baseline predictive',
    'nice -n 10 pnpm bench:pacing --frontier',
  ],
};

const TARGETS = [0.01, 0.02, 0.03];
// The VICIdial loop's drop limit: the target sweep already runs it at 1%, 2% and 3%.
const DROP_LIMITS = [0.005, 0.015];
const RESULTS = join(import.meta.dirname, 'results');

/** What the parent sends a worker. */
interface WorkOrder {
  readonly jobs: Job[];
  readonly engine: boolean;
  readonly pacerModule?: string;
}

async function work(order: WorkOrder): Promise<RunSums[]> {
  const scenarios = new Map(withMarkovianVariants(loadScenarios()).map((s) => [s.name, s]));
  const custom = order.pacerModule === undefined ? undefined : await loadPacerModule(order.pacerModule, PACER_NAMES);
  const out: RunSums[] = [];
  for (const job of order.jobs) {
    out.push(await runJob(scenarios.get(job.scenario) as Scenario, job, { engine: order.engine, ...(custom ? { custom } : {}) }));
  }
  return out;
}

/** Run `jobs` over `parallel` forked workers (each gets every parallel-th job). */
async function runAll(jobs: Job[], parallel: number, engine: boolean, custom: CustomPacer | undefined): Promise<RunSums[]> {
  const self = fileURLToPath(import.meta.url);
  const parts = await Promise.all(
    Array.from(
      { length: Math.min(parallel, jobs.length) },
      (_, i) =>
        new Promise<RunSums[]>((resolve, reject) => {
          const child = fork(self, [], { execArgv: process.execArgv, env: { ...process.env, PACELINE_BENCH_WORKER: '1' } });
          let got: RunSums[] = [];
          child.on('message', (m) => {
            got = m as RunSums[];
          });
          child.on('error', reject);
          child.on('exit', (code) => (code === 0 ? resolve(got) : reject(new Error(`worker ${i} exited with ${code}`))));
          const order: WorkOrder = {
            jobs: jobs.filter((_, j) => j % parallel === i),
            engine,
            ...(custom ? { pacerModule: custom.path } : {}),
          };
          child.send(order);
        }),
    ),
  );
  return parts.flat();
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

async function main(): Promise<void> {
  const values = parseCli(SPEC);
  if (values === undefined) return;
  const scenarios = withMarkovianVariants(loadScenarios());
  const frontier = values.frontier === true;
  const engine = values.engine === true;
  const ringingByAnswer = values['ringing-by-answer'] === true;
  const seeds = integerOption(values, 'seeds', frontier ? 5 : 20, 1);
  const firstSeed = integerOption(values, 'first-seed', 1, 0);
  const parallel = integerOption(values, 'jobs', 2, 1);
  const onlyScenarios = (values.scenario as string[] | undefined) ?? [];
  for (const s of onlyScenarios)
    if (!scenarios.some((x) => x.name === s))
      throw new CliError(`--scenario: unknown "${s}"; known: ${scenarios.map((x) => x.name).join(', ')}`);
  const modulePath = stringOption(values, 'pacer-module');
  const custom = modulePath === undefined ? undefined : await loadPacerModule(userPath(modulePath), PACER_NAMES);
  const known = [...PACER_NAMES, ...OPT_IN_PACER_NAMES, ...(custom ? [custom.name] : [])]; // issue-22 small: opt-in names
  const onlyPacers = (values.pacer as string[] | undefined) ?? [];
  for (const p of onlyPacers) if (!known.includes(p)) throw new CliError(`--pacer: unknown "${p}"; known: ${known.join(', ')}`);
  const optIn = OPT_IN_PACER_NAMES as readonly string[]; // issue-22 small: run only when named
  const pacers = known.filter((p) => (onlyPacers.length === 0 && !optIn.includes(p)) || onlyPacers.includes(p));
  const baseline = stringOption(values, 'baseline') ?? (pacers.includes('progressive') ? 'progressive' : (pacers[0] as string));
  if (!pacers.includes(baseline)) throw new CliError(`--baseline: "${baseline}" is not among the pacers run (${pacers.join(', ')})`);
  // The frontier sweeps the scenarios of bench/scenarios/ (the Markovian variants have their exact optimum instead).
  const chosen = scenarios.filter(
    (s) => (onlyScenarios.length === 0 && !(frontier && isMarkovian(s.name))) || onlyScenarios.includes(s.name),
  );
  const out = stringOption(values, 'out');
  if (ringingByAnswer && values.merge === true && out === undefined)
    throw new CliError('--ringing-by-answer: an opt-in variant is not merged into the recorded pacing.json; add --out FILE');
  const narrowed = onlyScenarios.length > 0 || onlyPacers.length > 0 || firstSeed !== 1 || seeds !== (frontier ? 5 : 20) || ringingByAnswer;

  const seedList = Array.from({ length: seeds }, (_, i) => firstSeed + i);
  const jobs: Job[] = [];
  for (const s of chosen) {
    if (frontier) {
      for (const pacer of pacers.filter((p) => p !== 'progressive' && p !== 'power'))
        for (const target of TARGETS) for (const seed of seedList) jobs.push({ scenario: s.name, pacer, seed, abandonTarget: target });
      if (pacers.includes('vicidial-adaptive'))
        for (const dropLimit of DROP_LIMITS)
          for (const seed of seedList) jobs.push({ scenario: s.name, pacer: 'vicidial-adaptive', seed, dropLimit });
    } else {
      // On a Markovian variant the MDP's own optimal policy runs too: the simulator must reproduce what the MDP predicts.
      const here = isMarkovian(s.name) && onlyPacers.length === 0 ? [...pacers, OPTIMUM_POLICY] : pacers;
      for (const pacer of here)
        for (const seed of seedList) jobs.push({ scenario: s.name, pacer, seed, ...(ringingByAnswer ? { ringingByAnswer } : {}) });
    }
  }
  const started = performance.now();
  const runs = await runAll(jobs, parallel, engine, custom);
  const secs = ((performance.now() - started) / 1000).toFixed(1);

  if (frontier) {
    const file = out === undefined ? join(RESULTS, 'pacing-frontier.json') : userPath(out);
    writeJson(file, frontierReport(chosen, runs, seeds));
    console.log(`\n${runs.length} runs in ${secs} s → ${relative(process.cwd(), file)}`);
    return;
  }

  const results: (PacingRow & {
    talkVsBaseline: number;
    optimumTalk?: number;
    optimumTalkFullInformation?: number;
    talkVsOptimum?: number;
    mdpPolicyTalk?: number;
    mdpPolicyAbandonRate?: number;
  })[] = [];
  for (const s of chosen) {
    const names = isMarkovian(s.name) && onlyPacers.length === 0 ? [...pacers, OPTIMUM_POLICY] : pacers;
    const rows = names.map((p) =>
      aggregate(
        s.name,
        p,
        runs.filter((r) => r.scenario === s.name && r.pacer === p),
      ),
    );
    const base = rows.find((r) => r.pacer === baseline) as PacingRow;
    const table: string[][] = [];
    for (const row of rows) {
      const ratio = base.talkFraction > 0 ? row.talkFraction / base.talkFraction : 0;
      const out: (typeof results)[number] = { ...row, talkVsBaseline: Number(ratio.toFixed(4)) };
      if (isMarkovian(s.name)) {
        // The optimum at this row's own realised abandon rate (the same abandon), observed and with full information.
        const target = Math.min(row.abandonRate, 0.2);
        out.optimumTalk = Number(optimumFor(s, target).talkFraction.toFixed(4));
        out.optimumTalkFullInformation = Number(optimumFor(s, target, true).talkFraction.toFixed(4));
        out.talkVsOptimum = Number((row.talkFraction / out.optimumTalk).toFixed(4));
        if (row.pacer === OPTIMUM_POLICY) {
          const own = optimumFor(s, s.pacing.abandonTarget).policyPerformance;
          out.mdpPolicyTalk = Number(own.talkFraction.toFixed(4));
          out.mdpPolicyAbandonRate = Number(own.abandonRate.toFixed(5));
        }
      }
      results.push(out);
      table.push([
        row.pacer,
        `${row.talkFraction.toFixed(3)} ± ${row.talkFraction95.toFixed(3)}`,
        `${ratio.toFixed(3)}×`,
        out.optimumTalk === undefined ? '—' : `${out.optimumTalk.toFixed(3)} (${((out.talkVsOptimum ?? 0) * 100).toFixed(1)}%)`,
        out.optimumTalkFullInformation === undefined ? '—' : out.optimumTalkFullInformation.toFixed(3),
        pct(row.abandonRate),
        pct(row.abandonRateDailyP95),
        row.calibration === null ? '—' : row.calibration.toFixed(2),
        row.agentWaitMeanS.toFixed(1),
        row.dialsPerAgentHour.toFixed(1),
      ]);
    }
    printTable(
      `${s.name} (${seeds} seeds${engine ? ', engine mode' : ''}; ± is the 95% interval over seeds)`,
      [
        'pacer',
        'talk',
        `vs ${baseline}`,
        'optimum (share)',
        'full-info bound',
        'abandon',
        'daily p95',
        'predicted÷realised',
        'wait s',
        'dials/agent-h',
      ],
      table,
    );
    const policyRow = results.find((r) => r.scenario === s.name && r.pacer === OPTIMUM_POLICY);
    if (policyRow?.mdpPolicyTalk !== undefined)
      console.log(
        `  MDP check: its optimal policy at ${pct(s.pacing.abandonTarget)} predicts talk ${policyRow.mdpPolicyTalk.toFixed(3)} at ${pct(policyRow.mdpPolicyAbandonRate ?? 0)}; the simulator gives ${policyRow.talkFraction.toFixed(3)} at ${pct(policyRow.abandonRate)}`,
      );
  }
  // A full run on the default seeds is the recorded result; a narrowed one writes only with --out or --merge.
  const merge = values.merge === true;
  const recorded = join(RESULTS, engine ? 'pacing-engine.json' : 'pacing.json');
  const file = out !== undefined ? userPath(out) : narrowed && !merge ? undefined : recorded;
  if (file === undefined) {
    console.log(`\n${runs.length} runs in ${secs} s (narrowed: nothing written; add --out FILE or --merge for JSON)`);
    return;
  }
  writeJson(file, merge ? mergeInto(file, baseline, results) : { baseline, results });
  console.log(`\n${runs.length} runs in ${secs} s → ${relative(process.cwd(), file)}`);
}

/** The frontier: each pacer's talk and abandons per target, and the VICIdial loop's best setting ≤ 3%. */
function frontierReport(chosen: readonly Scenario[], runs: readonly RunSums[], seeds: number) {
  const results: (PacingRow & { target: number })[] = [];
  const vicidialBest: Record<string, (PacingRow & { dropLimit: number }) | null> = {};
  for (const s of chosen) {
    const rows: string[][] = [];
    const here = runs.filter((r) => r.scenario === s.name);
    for (const pacer of [...new Set(here.filter((r) => r.abandonTarget !== undefined).map((r) => r.pacer))]) {
      for (const target of TARGETS) {
        const row = {
          ...aggregate(
            s.name,
            pacer,
            here.filter((r) => r.pacer === pacer && r.abandonTarget === target),
          ),
          target,
        };
        results.push(row);
        rows.push([pacer, pct(target), row.talkFraction.toFixed(3), pct(row.abandonRate), pct(row.abandonRateDailyP95)]);
      }
    }
    let best: (PacingRow & { dropLimit: number }) | null = null;
    for (const dropLimit of [...DROP_LIMITS, ...TARGETS].sort()) {
      const group = here.filter(
        (r) =>
          r.pacer === 'vicidial-adaptive' && (r.dropLimit === dropLimit || (r.dropLimit === undefined && r.abandonTarget === dropLimit)),
      );
      if (group.length === 0) continue;
      const row = { ...aggregate(s.name, 'vicidial-adaptive', group), dropLimit };
      const legal = row.abandonRate <= 0.03 && row.abandonRateDailyP95 <= 0.03;
      if (legal && (best === null || row.talkFraction > best.talkFraction)) best = row;
    }
    vicidialBest[s.name] = best;
    rows.push([
      'vicidial-adaptive best ≤ 3%',
      best === null ? 'none' : `limit ${pct(best.dropLimit)}`,
      best === null ? '—' : best.talkFraction.toFixed(3),
      best === null ? '—' : pct(best.abandonRate),
      best === null ? '—' : pct(best.abandonRateDailyP95),
    ]);
    printTable(`${s.name} frontier (${seeds} seeds)`, ['pacer', 'target', 'talk', 'abandon', 'daily p95'], rows);
  }
  return { seeds, results, vicidialBest };
}

/** A recorded row: the bars' fields and whatever else the run added. */
interface RecordedRow {
  readonly scenario: string;
  readonly pacer: string;
  readonly talkFraction: number;
  talkVsBaseline?: number;
}

/**
 * `--merge`: the file's rows with this run's replacing those of the same scenario and pacer (in
 * the file's order, new ones after); each row's ratio is recomputed against the file's baseline
 * pacer on the same scenario where that row exists.
 */
function mergeInto<Row extends RecordedRow>(
  file: string,
  runBaseline: string,
  fresh: readonly Row[],
): { baseline: string; results: Row[] } {
  const old = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { baseline?: string; results?: Row[] })
    : { baseline: runBaseline, results: [] };
  const baseline = old.baseline ?? runBaseline;
  const key = (r: Row) => `${r.scenario}\u0000${r.pacer}`;
  const byKey = new Map(fresh.map((r) => [key(r), r]));
  const merged = (old.results ?? []).map((r) => byKey.get(key(r)) ?? r);
  const seen = new Set(merged.map(key));
  for (const r of fresh) if (!seen.has(key(r))) merged.push(r);
  for (const r of merged) {
    const base = merged.find((b) => b.scenario === r.scenario && b.pacer === baseline);
    if (base !== undefined && base.talkFraction > 0) r.talkVsBaseline = Number((r.talkFraction / base.talkFraction).toFixed(4));
  }
  return { baseline, results: merged };
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

if (process.env.PACELINE_BENCH_WORKER === '1') {
  process.once('message', (order) => {
    work(order as WorkOrder).then(
      (out) => process.send?.(out, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
} else runCli(main);
