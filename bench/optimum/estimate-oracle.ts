// issue-22 22-est3: which estimate's noise costs a small team — an oracle per estimate.
// Each diagnostic pacer (never shipped) is the default predictive pacer reading estimators fed the
// run's own observations, except that ONE family of them is replaced by a noiseless stream from the
// Markovian variant's true distributions (deterministic low-discrepancy quantiles):
//   `rate`  — the live/non-live labels (so the live rate), the delays kept as observed;
//   `work`  — the talk and wrap-up times (the on-call and wrap-up tables; `talk`, `wrap` one each);
//   `delay` — the answer / line delays (the horizons, arrivals and ringing-call tables);
//   `all`   — the three; `none` — none (must reproduce the default bit for bit).
// Labels and delays can be swapped apart only because a Markovian variant's live and non-live lines
// share one delay distribution. The counts (and so the cold start) stay the run's; every estimator
// keeps its default half-lives, so `all` is the default's machinery on perfect data.
// `tsx --conditions=@paceline/source bench/optimum/estimate-oracle.ts SCENARIO SEEDS FIRST ORACLE...`
// (ORACLE: none rate work delay all, or joined with '+', e.g. rate+work). Prints talk, abandon,
// daily p95 and the share of the exact optimum at the pooled abandon.
import {
  type AttemptObservation,
  type Pacer,
  PacingEstimators,
  type PacingEstimatorsOptions,
  predictivePacer,
  type WorkObservation,
} from '@paceline/pacing';
import { runSimulation } from '@paceline/sim';
import { loadScenarios, type Scenario, simulationOf } from '../scenario';
import { jobPacer } from '../support/pacing-runs';
import { printTable } from '../support/table';
import { markovModel, optimumFor, withMarkovianVariants } from './markovian-variant';

export type OraclePart = 'rate' | 'talk' | 'wrap' | 'delay';

/** frac(n·α): a Weyl sequence, low-discrepancy over every window (so over every half-life's memory). */
const weyl = (n: number, alpha: number) => ((n + 0.5) * alpha) % 1;
const PHI = 0.618_033_988_749_894_9;
const SQRT2 = 0.414_213_562_373_095_1;
const SQRT3 = 0.732_050_807_568_877_2;
const expQuantile = (mean: number, u: number) => -mean * Math.log(1 - u);

/**
 * Estimators fed the run's observations with the `parts` replaced by the variant's truth. Only for
 * a Markovian variant (exponential line, talk and wrap-up times; no greeting, no AMD).
 */
export class PartialOracleEstimators {
  readonly inner: PacingEstimators;
  readonly #parts: ReadonlySet<OraclePart>;
  readonly #p: number;
  readonly #lineMs: number;
  readonly #talkMs: number;
  readonly #wrapMs: number;
  #attempts = 0;
  #work = 0;

  constructor(variant: Scenario, parts: readonly OraclePart[], options: Partial<PacingEstimatorsOptions> = {}) {
    const m = markovModel(variant);
    this.inner = new PacingEstimators(options);
    this.#parts = new Set(parts);
    this.#p = m.liveProbability;
    this.#lineMs = 1_000 / m.lineRate;
    this.#talkMs = 1_000 / m.talkRate;
    this.#wrapMs = Number.isFinite(m.wrapRate) ? 1_000 / m.wrapRate : 0;
  }

  observeAttempt(o: AttemptObservation): void {
    const n = this.#attempts++;
    let live = o.outcome === 'human';
    let d = live ? (o.liveDelayMs ?? o.answerDelayMs ?? o.durationMs) : o.durationMs;
    // Exactly p of every run of attempts is live (the labels carry no noise).
    if (this.#parts.has('rate')) live = Math.floor((n + 1) * this.#p) - Math.floor(n * this.#p) === 1;
    if (this.#parts.has('delay')) d = expQuantile(this.#lineMs, weyl(n, PHI));
    this.inner.observeAttempt(
      live ? { outcome: 'human', answerDelayMs: d, liveDelayMs: d, durationMs: d } : { outcome: 'failed', durationMs: d },
    );
  }

  observeWork(o: WorkObservation): void {
    const k = this.#work++;
    const talkMs = this.#parts.has('talk') ? expQuantile(this.#talkMs, weyl(k, SQRT2)) : o.talkMs;
    const wrapMs = this.#parts.has('wrap') ? (this.#wrapMs > 0 ? expQuantile(this.#wrapMs, weyl(k, SQRT3)) : 0) : o.wrapMs;
    this.inner.observeWork({ ...(talkMs === undefined ? {} : { talkMs }), ...(wrapMs === undefined ? {} : { wrapMs }) });
  }
}

/** Parse `rate+work` etc. into parts (`none`: no part, `all`: every part). */
export function oracleParts(arg: string): OraclePart[] {
  if (arg === 'none') return [];
  if (arg === 'all') return ['rate', 'talk', 'wrap', 'delay'];
  const parts = arg.split('+').flatMap((p) => (p === 'work' ? ['talk', 'wrap'] : [p]));
  for (const p of parts) if (p !== 'rate' && p !== 'talk' && p !== 'wrap' && p !== 'delay') throw new Error(`unknown oracle part "${p}"`);
  return parts as OraclePart[];
}

interface DayResult {
  talk: number;
  loggedIn: number;
  live: number;
  abandoned: number;
  daily: number[];
}

/** One seeded day of the default pacer reading the partial oracle's estimates once the run is warm. */
export function oracleDay(variant: Scenario, parts: readonly OraclePart[], seed: number, durationMs?: number): DayResult {
  const hybrid = new PartialOracleEstimators(variant, parts);
  const inner = predictivePacer();
  const create = (): Pacer => ({
    name: 'x',
    decide(state) {
      if (!state.estimates.warm) return inner.decide(state);
      const e = hybrid.inner.estimates();
      return inner.decide(e.warm ? { ...state, estimates: e } : state);
    },
  });
  const campaign = jobPacer({ scenario: variant.name, pacer: 'x', seed }, variant, { name: 'x', create });
  const fed = {
    ...campaign,
    observeOutcome(o: AttemptObservation) {
      campaign.observeOutcome(o);
      hybrid.observeAttempt(o);
    },
    observeWork(w: WorkObservation) {
      campaign.observeWork(w);
      hybrid.observeWork(w);
    },
  };
  const options = simulationOf(variant, seed, fed);
  const r = runSimulation(durationMs === undefined ? options : { ...options, durationMs });
  return {
    talk: r.talkMs,
    loggedIn: r.loggedInMs,
    live: r.counters.liveAnswers,
    abandoned: r.counters.abandoned,
    daily: r.counters.days.filter((d) => d.liveAnswers > 0).map((d) => d.abandoned / d.liveAnswers),
  };
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] ?? 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [name = 'small-team-3-markov', seedsArg = '2', firstArg = '101', ...oracles] = process.argv.slice(2);
  const variant = withMarkovianVariants(loadScenarios()).find((s) => s.name === name);
  if (variant === undefined) throw new Error(`unknown scenario "${name}"`);
  const rows: string[][] = [];
  for (const arg of oracles.length > 0 ? oracles : ['none', 'rate', 'work', 'delay', 'all']) {
    const parts = oracleParts(arg);
    let talk = 0;
    let loggedIn = 0;
    let live = 0;
    let abandoned = 0;
    const daily: number[] = [];
    const shares: number[] = [];
    for (let seed = Number(firstArg); seed < Number(firstArg) + Number(seedsArg); seed++) {
      const d = oracleDay(variant, parts, seed);
      talk += d.talk;
      loggedIn += d.loggedIn;
      live += d.live;
      abandoned += d.abandoned;
      daily.push(...d.daily);
      console.log(`SEED ${JSON.stringify({ oracle: arg, seed, ...d })}`);
      const rate = d.live > 0 ? d.abandoned / d.live : 0;
      shares.push(d.talk / d.loggedIn / optimumFor(variant, Math.min(rate, 0.2)).talkFraction);
    }
    const rate = live > 0 ? abandoned / live : 0;
    const opt = optimumFor(variant, Math.min(rate, 0.2)).talkFraction;
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    const sd = Math.sqrt(shares.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, shares.length - 1));
    rows.push([
      arg,
      (talk / loggedIn).toFixed(4),
      `${(rate * 100).toFixed(2)}%`,
      `${(p95(daily) * 100).toFixed(2)}%`,
      opt.toFixed(4),
      `${((talk / loggedIn / opt) * 100).toFixed(2)}%`,
      `±${((1.96 * sd * 100) / Math.sqrt(shares.length)).toFixed(2)}`,
    ]);
    console.error(`${arg} done`);
  }
  printTable(
    `${name}: seeds ${firstArg}..${Number(firstArg) + Number(seedsArg) - 1}, the default walk with one estimate family from the truth once warm`,
    ['oracle', 'talk', 'abandon', 'daily p95', 'opt@ab', 'share', 'per-seed share ±95%'],
    rows,
  );
}
