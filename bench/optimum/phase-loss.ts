// issue-22 22-cold: where a pacer's talk is lost against the exact optimum — the cold start vs the
// warm day. Each (pacer, seed) day is run twice on the same seed: cut at `CUT` hours and whole (a
// seeded run is a prefix of the longer one), so the first CUT hours and the rest are measured
// apart; each phase's talk is set against the stationary optimum at that phase's own abandon.
// Pacers: the bench's names, plus (diagnostics only, never a shipped pacer) `mdp-true` — the opt-in
// MDP policy with the scenario's TRUE means injected into its estimates once warm; `walk-true` — the
// default with every estimate (tables included) replaced once warm by an oracle's, learnt from
// 40,000 exact quantiles of the true distributions; `walk-true-cold` — the same oracle from the
// first decision (no cold start at all): how much of the gap is estimation and how much the cold start.
// `tsx --conditions=@paceline/source bench/optimum/phase-loss.ts SCENARIO SEEDS FIRST CUT [--cold-only] PACER...`
// (`--cold-only`: the first CUT hours only — cheap, so many seeds can measure the cold start.)
import { type ModelEstimates, type Pacer, PacingEstimators, predictivePacer } from '@paceline/pacing';
import { runSimulation } from '@paceline/sim';
import { loadScenarios, simulationOf } from '../scenario';
import { jobPacer } from '../support/pacing-runs';
import { printTable } from '../support/table';
import { markovModel, optimumFor, withMarkovianVariants } from './markovian-variant';

const [name = 'small-team-3-markov', seedsArg = '2', firstArg = '101', cutArg = '0.5', ...rest] = process.argv.slice(2);
const coldOnly = rest.includes('--cold-only');
const pacerArgs = rest.filter((a) => a !== '--cold-only');
const pacers = pacerArgs.length > 0 ? pacerArgs : ['predictive', 'predictive-mdp-small', 'optimum-policy', 'mdp-true'];
const scenario = withMarkovianVariants(loadScenarios()).find((s) => s.name === name);
if (scenario === undefined) throw new Error(`unknown scenario "${name}"`);
const cutMs = Number(cutArg) * 3_600_000;

/** The opt-in MDP policy reading the scenario's true means (diagnostic only, never a shipped pacer). */
function trueMdp(): Pacer {
  const m = markovModel(scenario as NonNullable<typeof scenario>);
  const inner = predictivePacer({ markovPolicy: 'small-teams' });
  const lineMs = 1_000 / m.lineRate;
  return {
    name: 'mdp-true',
    decide(state) {
      if (!state.estimates.warm) return inner.decide(state);
      const estimates = {
        ...state.estimates,
        liveProbability: m.liveProbability,
        meanLiveDelayMs: lineMs,
        meanNonLiveMs: lineMs,
        meanTalkMs: 1_000 / m.talkRate,
        meanWrapMs: Number.isFinite(m.wrapRate) ? 1_000 / m.wrapRate : 0,
      };
      return inner.decide({ ...state, estimates });
    },
  };
}

/** Estimates learnt from exact quantiles of the variant's true distributions (no noise, no drift). */
function oracleEstimates(): ModelEstimates {
  const m = markovModel(scenario as NonNullable<typeof scenario>);
  const est = new PacingEstimators({ halfLifeAttempts: 1e9, halfLifeWork: 1e9 });
  const n = 40_000;
  const expQ = (mean: number, i: number) => -mean * Math.log(1 - (((i * 7_919) % n) + 0.5) / n);
  const lineMs = 1_000 / m.lineRate;
  for (let i = 0; i < n; i++) {
    const live = Math.floor((i + 1) * m.liveProbability) - Math.floor(i * m.liveProbability) === 1;
    const d = expQ(lineMs, i);
    est.observeAttempt(live ? { outcome: 'human', answerDelayMs: d, liveDelayMs: d, durationMs: d } : { outcome: 'failed', durationMs: d });
    if (i % 2 === 0) {
      const k = i / 2;
      est.observeWork({ talkMs: expQ(1_000 / m.talkRate, k), wrapMs: Number.isFinite(m.wrapRate) ? expQ(1_000 / m.wrapRate, k + 13) : 0 });
    }
  }
  return est.estimates();
}

function trueWalk(fromStart: boolean): Pacer {
  const oracle = oracleEstimates();
  const inner = predictivePacer();
  return {
    name: 'walk-true',
    decide: (state) => inner.decide(fromStart || state.estimates.warm ? { ...state, estimates: oracle } : state),
  };
}

interface Phase {
  talk: number;
  loggedIn: number;
  live: number;
  abandoned: number;
}
const add = (a: Phase, b: Phase): Phase => ({
  talk: a.talk + b.talk,
  loggedIn: a.loggedIn + b.loggedIn,
  live: a.live + b.live,
  abandoned: a.abandoned + b.abandoned,
});
const zero: Phase = { talk: 0, loggedIn: 0, live: 0, abandoned: 0 };

function day(pacer: string, seed: number, durationMs?: number): Phase {
  const s = scenario as NonNullable<typeof scenario>;
  const create =
    pacer === 'mdp-true'
      ? trueMdp
      : pacer === 'walk-true'
        ? () => trueWalk(false)
        : pacer === 'walk-true-cold'
          ? () => trueWalk(true)
          : undefined;
  const campaign =
    create === undefined
      ? jobPacer({ scenario: s.name, pacer, seed }, s)
      : jobPacer({ scenario: s.name, pacer: 'x', seed }, s, { name: 'x', create });
  const options = simulationOf(s, seed, campaign);
  const r = runSimulation(durationMs === undefined ? options : { ...options, durationMs });
  return { talk: r.talkMs, loggedIn: r.loggedInMs, live: r.counters.liveAnswers, abandoned: r.counters.abandoned };
}

const share = (p: Phase) => {
  const rate = p.live > 0 ? p.abandoned / p.live : 0;
  const opt = optimumFor(scenario, Math.min(rate, 0.2)).talkFraction;
  return { tf: p.talk / p.loggedIn, rate, opt, share: p.talk / p.loggedIn / opt };
};
const fmt = (p: Phase) => {
  const x = share(p);
  return [x.tf.toFixed(4), `${(x.rate * 100).toFixed(2)}%`, x.opt.toFixed(4), `${(x.share * 100).toFixed(1)}%`];
};

const rows: string[][] = [];
for (const pacer of pacers) {
  let cold = zero;
  let whole = zero;
  for (let seed = Number(firstArg); seed < Number(firstArg) + Number(seedsArg); seed++) {
    cold = add(cold, day(pacer, seed, cutMs));
    if (!coldOnly) whole = add(whole, day(pacer, seed));
  }
  if (coldOnly) {
    rows.push([pacer, ...fmt(cold), '', '', '', '', '', '', '', '', '']);
    continue;
  }
  const warm: Phase = {
    talk: whole.talk - cold.talk,
    loggedIn: whole.loggedIn - cold.loggedIn,
    live: whole.live - cold.live,
    abandoned: whole.abandoned - cold.abandoned,
  };
  // The talk the whole day lost against the optimum at the day's abandon, split by phase (agent-hours).
  const opt = share(whole).opt;
  const lostCold = (opt * cold.loggedIn - cold.talk) / whole.loggedIn;
  const lostWarm = (opt * warm.loggedIn - warm.talk) / whole.loggedIn;
  rows.push([
    pacer,
    ...fmt(cold),
    ...fmt(warm),
    ...fmt(whole),
    `${((lostCold / opt) * 100).toFixed(2)} / ${((lostWarm / opt) * 100).toFixed(2)}`,
  ]);
}
printTable(
  `${name}: seeds ${firstArg}..${Number(firstArg) + Number(seedsArg) - 1}, cold = the first ${cutArg} h`,
  [
    'pacer',
    'cold talk',
    'abandon',
    'opt@ab',
    'share',
    'warm talk',
    'abandon',
    'opt@ab',
    'share',
    'day talk',
    'abandon',
    'opt@ab',
    'share',
    'day loss pts cold / warm',
  ],
  rows,
);
