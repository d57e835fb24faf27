// issue-22 22-cold: the day's start, exactly. A bench day starts with every agent idle and no line
// in flight; the optimum the bench divides by is the MDP's STATIONARY average. This propagates the
// state distribution of the Markovian variant's chain from the empty state over the scenario's day
// (the uniformised steps, no sampling) under a fixed policy — progressive (the optimal policy at
// α = 0) and the optimum's policy at the given targets — and prints the day's expected talk and
// abandon rate beside the stationary ones: what the day's transient alone costs a policy that
// never learns anything.
// `tsx --conditions=@paceline/source bench/optimum/day-transient.ts SCENARIO [TARGET...]`
import type { MarkovPolicy } from '@paceline/pacing';
import { loadScenarios } from '../scenario';
import { printTable } from '../support/table';
import { optimumFor, solverFor, withMarkovianVariants } from './markovian-variant';

/** A policy's expected talk fraction and abandon rate over `hours` from the empty state, and stationary. */
export function dayFromEmpty(
  scenarioName: string,
  policy: MarkovPolicy | 'progressive',
  hours: number,
): { day: { talkFraction: number; abandonRate: number }; stationary: { talkFraction: number; abandonRate: number } } {
  const scenario = withMarkovianVariants(loadScenarios()).find((s) => s.name === scenarioName);
  if (scenario === undefined) throw new Error(`unknown scenario "${scenarioName}"`);
  const solver = solverFor(scenario);
  const { space, chain, model: m } = solver;
  const n = space.size;
  const choice = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const t = space.t[s] as number;
    const w = space.w[s] as number;
    const l = space.l[s] as number;
    const q = space.q[s] as number;
    const hold = policy === 'progressive' ? Math.max(l, Math.min(m.agents - t - w, m.lineCap - q)) : policy.linesFor(t, w, l, q);
    const to = space.at(t, w, Math.min(hold, m.lineCap - q), q);
    choice[s] = to < 0 ? s : to;
  }
  const steps = Math.round(hours * 3_600 * chain.uniform);
  let p = new Float64Array(n);
  let next = new Float64Array(n);
  p[choice[space.at(0, 0, 0, 0)] as number] = 1;
  let talk = 0;
  let abandons = 0;
  let live = 0;
  for (let k = 0; k < steps; k++) {
    next.fill(0);
    for (let s = 0; s < n; s++) {
      const mass = p[s] as number;
      if (mass === 0) continue;
      talk += mass * (chain.talk[s] as number);
      abandons += mass * (chain.abandons[s] as number);
      live += mass * (chain.live[s] as number);
      for (let e = chain.from[s] as number; e < (chain.from[s + 1] as number); e++) {
        const target = choice[chain.to[e] as number] as number;
        next[target] = (next[target] as number) + mass * (chain.prob[e] as number);
      }
    }
    [p, next] = [next, p];
  }
  const stationary = solver.evaluate(choice);
  return {
    day: { talkFraction: (talk * chain.uniform) / steps / m.agents, abandonRate: live > 0 ? abandons / live : 0 },
    stationary: { talkFraction: stationary.talkFraction, abandonRate: stationary.abandonRate },
  };
}

if (process.argv[1]?.endsWith('day-transient.ts')) {
  const [name = 'small-team-3-markov', ...targets] = process.argv.slice(2);
  const scenario = withMarkovianVariants(loadScenarios()).find((s) => s.name === name);
  if (scenario === undefined) throw new Error(`unknown scenario "${name}"`);
  const rows: string[][] = [];
  const row = (label: string, policy: MarkovPolicy | 'progressive') => {
    const r = dayFromEmpty(name, policy, scenario.durationHours);
    rows.push([
      label,
      r.stationary.talkFraction.toFixed(4),
      `${(r.stationary.abandonRate * 100).toFixed(2)}%`,
      r.day.talkFraction.toFixed(4),
      `${(r.day.abandonRate * 100).toFixed(2)}%`,
      `${((1 - r.day.talkFraction / r.stationary.talkFraction) * 100).toFixed(2)}`,
    ]);
  };
  row('progressive', 'progressive');
  for (const t of targets.length > 0 ? targets.map(Number) : [0.01, 0.02, 0.03])
    row(`optimum's policy @ ${t}`, optimumFor(scenario, t).policy);
  printTable(
    `${name}: a ${scenario.durationHours}-h day from the empty state vs the stationary average (exact, the MDP's chain)`,
    ['policy', 'stationary talk', 'abandon', 'day talk', 'abandon', 'day loss, % of talk'],
    rows,
  );
}
