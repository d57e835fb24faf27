// `pnpm bench:pacing-speed`: decision throughput of the predictive pacer at 10, 100 and 1,000
// agents, and the simulator's speed on a 100-agent 8-hour day. Printed beside a baseline
// measured in the same process (progressive), written to bench/results/pacing-speed.json
// (`--help` for the options).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AgentState, type PacingOptions, PacingOptionsSchema, seededRandom } from '@paceline/core';
import {
  MarkovLaunch,
  type ObservedAgent,
  type ObservedCall,
  observeMarkov,
  type Pacer,
  type PacerState,
  PacingEstimators,
  predictivePacer,
  progressivePacer,
} from '@paceline/pacing';
import { runSimulation } from '@paceline/sim';
import Value from 'typebox/value';
import { benchPacer } from './pacers';
import { loadScenarios, simulationOf } from './scenario';
import { type CliSpec, integerOption, parseCli, runCli, stringOption, userPath } from './support/cli';

const SPEC: CliSpec = {
  command: 'bench:pacing-speed',
  summary:
    'Decisions per second of the predictive pacer at 10, 100 and 1,000 agents (baseline: progressive on the same states) and\n' +
    "the simulator's speed on a 100-agent 8-hour day; writes bench/results/pacing-speed.json.",
  options: {
    agents: {
      type: 'string',
      valueName: 'N',
      multiple: true,
      description: 'team sizes for the decision speed (repeatable; default 10, 100, 1000)',
    },
    'budget-ms': { type: 'string', valueName: 'MS', description: 'measuring time per team size (default 600)' },
    'skip-small-teams': { type: 'boolean', description: "skip the small teams' MDP solve and decision latency" },
    out: { type: 'string', valueName: 'FILE', description: 'write the JSON here instead of bench/results/pacing-speed.json' },
  },
  examples: ['pnpm bench:pacing-speed', 'pnpm bench:pacing-speed --agents 1000 --out speed.json'],
};

const random = seededRandom(2024);

function warmEstimates() {
  const est = new PacingEstimators();
  for (let i = 0; i < 5_000; i++) {
    if (random.next() < 1 / 3) {
      const d = 10_000 * (0.6 + 0.8 * random.next());
      est.observeAttempt({ outcome: 'human', answerDelayMs: d, liveDelayMs: d, durationMs: d });
      est.observeWork({ talkMs: -90_000 * Math.log(1 - random.next()), wrapMs: 5_000 * random.next() });
    } else est.observeAttempt({ outcome: random.next() < 0.5 ? 'failed' : 'no-answer', durationMs: 20_000 * (0.5 + random.next()) });
  }
  return est.estimates();
}

/** Realistic states for `agents` agents: most talking, some in wrap-up, a few ready; ~1 line per agent in flight. */
function states(agents: number, variants: number): PacerState[] {
  const estimates = warmEstimates();
  const options = Value.Default(PacingOptionsSchema, {}) as PacingOptions;
  return Array.from({ length: variants }, () => {
    const list: ObservedAgent[] = [];
    for (let i = 0; i < agents; i++) {
      const u = random.next();
      const state = u < 0.72 ? AgentState.OnCall : u < 0.84 ? AgentState.WrapUp : u < 0.94 ? AgentState.Ready : AgentState.NotReady;
      list.push({ id: `a${i}`, state, timeInStateMs: Math.floor(random.next() * 240_000) });
    }
    const calls: ObservedCall[] = [];
    const inFlight = Math.floor(agents * (0.5 + random.next()));
    for (let i = 0; i < inFlight; i++) {
      calls.push({ id: `c${i}`, ageMs: Math.floor(random.next() * 25_000), phase: random.next() < 0.9 ? 'ringing' : 'analysing' });
    }
    return { now: 0, agents: list, calls, options, abandons: { liveAnswers: 5_000, abandoned: 110, windowMs: 30 * 86_400_000 }, estimates };
  });
}

/** Decisions per second of `pacer` over `ss`, measured for ~`budgetMs` after a warm-up. */
function rate(pacer: Pacer, ss: PacerState[], budgetMs = 600): number {
  let sink = 0;
  for (let i = 0; i < 2_000; i++) sink += pacer.decide(ss[i % ss.length] as PacerState).launch;
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < budgetMs) {
    for (let i = 0; i < 200; i++) sink += pacer.decide(ss[n++ % ss.length] as PacerState).launch;
    t = performance.now();
  }
  if (sink < 0) console.log(sink);
  return (n / (t - t0)) * 1000;
}

async function main(): Promise<void> {
  const values = parseCli(SPEC);
  if (values === undefined) return;
  const teams = ((values.agents as string[] | undefined) ?? ['10', '100', '1000']).map((a) =>
    integerOption({ agents: a }, 'agents', 10, 1),
  );
  const budgetMs = integerOption(values, 'budget-ms', 600, 50);
  const out = stringOption(values, 'out');
  const decisionsPerSecond: Record<string, number> = {};
  const rows: string[][] = [];
  for (const agents of teams) {
    const ss = states(agents, 64);
    const base = rate(progressivePacer(), ss, budgetMs);
    const ours = rate(predictivePacer(), ss, budgetMs);
    decisionsPerSecond[String(agents)] = Math.round(ours);
    rows.push([String(agents), Math.round(ours).toLocaleString('en'), `${(1e6 / ours).toFixed(1)} µs`, `${(base / ours).toFixed(1)}×`]);
  }
  console.log('\npredictive decision (baseline: progressive on the same states, same process)');
  printTable(['agents', 'decisions/s', 'per decision', 'cost vs progressive'], rows);

  const scenario = loadScenarios().find((s) => s.name === 'large-100-low-contact');
  if (!scenario) throw new Error('bench/scenarios/large-100-low-contact.json is missing');
  const day = (name: 'progressive' | 'predictive', seed: number) => {
    const t0 = performance.now();
    const r = runSimulation(simulationOf(scenario, seed, benchPacer(name)));
    return { seconds: (performance.now() - t0) / 1000, events: r.events };
  };
  day('predictive', 99); // warm-up
  const runs = [1, 2, 3].map((seed) => ({ base: day('progressive', seed), ours: day('predictive', seed) }));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const simDay100AgentsSeconds = median(runs.map((r) => r.ours.seconds));
  const simEventsPerSecond = Math.round(median(runs.map((r) => r.ours.events / r.ours.seconds)));
  const baseSeconds = median(runs.map((r) => r.base.seconds));
  console.log('\nsimulator: large-100-low-contact, one 8-hour day (median of 3 seeds)');
  printTable(
    ['pacer', 'seconds', 'events/s', 'vs progressive'],
    [
      [
        'progressive',
        baseSeconds.toFixed(3),
        Math.round(median(runs.map((r) => r.base.events / r.base.seconds))).toLocaleString('en'),
        '1.0×',
      ],
      [
        'predictive',
        simDay100AgentsSeconds.toFixed(3),
        simEventsPerSecond.toLocaleString('en'),
        `${(simDay100AgentsSeconds / baseSeconds).toFixed(1)}×`,
      ],
    ],
  );

  const markov = markovCost(values['skip-small-teams'] === true ? [] : [3, 5]);

  const file = out === undefined ? join(import.meta.dirname, 'results', 'pacing-speed.json') : userPath(out);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify({ decisionsPerSecond, simEventsPerSecond, simDay100AgentsSeconds: Number(simDay100AgentsSeconds.toFixed(3)), ...markov }, null, 2)}\n`,
  );
  console.log(`\n→ ${file}`);
}

/**
 * issue-22 22-markov: a small team's MDP policy (`markovPolicy: 'small-teams'`) — one whole
 * solve (`MarkovLaunch` with no budget, at 1 %), and the default pacer deciding one state until its
 * policy is paid for: the decisions that took, the longest of them and the mean.
 */
function markovCost(teams: number[]): {
  markovSolveMs?: Record<string, number>;
  markovDecisionMs?: Record<string, { max: number; mean: number; decisions: number }>;
} {
  if (teams.length === 0) return {};
  const markovSolveMs: Record<string, number> = {};
  const markovDecisionMs: Record<string, { max: number; mean: number; decisions: number }> = {};
  const rows: string[][] = [];
  for (const agents of teams) {
    const [state] = states(agents, 1);
    if (state === undefined) continue;
    // The pacer first (the solve is not in the process-wide memo yet: its CPU is measured).
    const decided = { ...state, calls: [], options: { ...state.options, minAgentsForPredictive: 2 } };
    const pacer = predictivePacer({ markovPolicy: 'small-teams' });
    let max = 0;
    let total = 0;
    let n = 0;
    for (; n < 1_000_000; ) {
      const t = performance.now();
      const d = pacer.decide(decided);
      const ms = performance.now() - t;
      n++;
      total += ms;
      if (ms > max) max = ms;
      if (d.reason === 'markov-policy') break;
    }
    // One whole solve of the same team at 1 % (another α: not in the memo).
    const cap = Math.floor(state.options.maxLinesPerAgent * agents);
    const t0 = performance.now();
    new MarkovLaunch(Number.POSITIVE_INFINITY).launch(observeMarkov(state), agents, state.estimates, 0.01, cap);
    markovSolveMs[String(agents)] = Math.round(performance.now() - t0);
    markovDecisionMs[String(agents)] = { max: Number(max.toFixed(2)), mean: Number((total / n).toFixed(3)), decisions: n };
    rows.push([String(agents), String(markovSolveMs[String(agents)]), String(n), max.toFixed(2), (total / n).toFixed(3)]);
  }
  console.log(
    '\nsmall teams: the MDP policy (a whole solve at 1 %; the pacer with markovPolicy small-teams decides until its stepped solve is paid for)',
  );
  printTable(['agents', 'whole solve ms', 'decisions', 'longest decision ms', 'mean ms'], rows);
  return { markovSolveMs, markovDecisionMs };
}

function printTable(head: string[], body: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) console.log(line(r));
}

runCli(main);
