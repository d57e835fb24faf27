// One pacing-bench run (scenario × pacer × seed) and the aggregate of a group of runs: what
// bench/pacing.ts prints and records. The calibration wraps the pacer: every launch is also
// assessed by the predictive model (`assessLaunch`), so predicted ÷ realised abandons is
// measured on each pacer's own traffic.
import type { PacingOptions } from '@paceline/core';
import {
  assessLaunch,
  type CampaignObservation,
  type CampaignPacer,
  createCampaignPacer,
  type ModelEstimates,
  type Pacer,
  type PacerState,
  type PacingEstimatorsOptions,
} from '@paceline/pacing';
import { runEngineScenario, runSimulation } from '@paceline/sim';
import { optimumPolicyPacer } from '../optimum/markovian-variant';
import { benchPacer, exactAgentTimingOf, OPT_IN_PACER_NAMES, PACER_NAMES, type PacerName } from '../pacers'; // issue-22 small: opt-in names
import { type Scenario, simulationOf } from '../scenario';
import { vicidialAdaptivePacer } from '../vicidial-adaptive';
import { meanInterval } from './cli';
import { percentile } from './table';

/** What one run is: a scenario, a pacer (a built-in name or the custom module's), a seed, and a setting. */
export interface Job {
  readonly scenario: string;
  readonly pacer: string;
  readonly seed: number;
  /** Override of the scenario's `pacing.abandonTarget` (the frontier sweep). */
  readonly abandonTarget?: number;
  /** The VICIdial-style loop's drop-rate limit (the frontier's search for its best setting). */
  readonly dropLimit?: number;
  /** The predictive pacer's estimators condition ringing calls on the answer delay (`ringingByAnswer`, opt-in). */
  readonly ringingByAnswer?: boolean;
}

/** The MDP's optimal policy run as a pacer (Markovian variants only): validates the optimum against the simulator. */
export const OPTIMUM_POLICY = 'optimum-policy';

/** One run's sums. */
export interface RunSums extends Job {
  talkMs: number;
  wrapMs: number;
  loggedInMs: number;
  liveAnswers: number;
  abandoned: number;
  /** Abandons the predictive model expected for the calls this run launched (warm decisions only). */
  predictedAbandons: number;
  /** The same forecasts before the pacer's run-learnt scale (the walk's own bias). */
  predictedRawAbandons: number;
  dials: number;
  waits: number;
  waitMs: number;
  dailyRates: number[];
  /** Live-rate changes the pacer's estimators detected (each one cut their attempt memory). */
  liveRateChanges: number;
}

/**
 * A pacer factory from `--pacer-module` (a fresh pacer per run). issue-22 22-start: a pacer may carry
 * `benchEstimators` (partial `PacingEstimatorsOptions`) for the estimators the bench gives it;
 * `benchExactAgentTiming`, the walk its launches' calibration is assessed by (default `false`, the
 * placement walk): a module wrapping the predictive pacer gives that pacer's own (its default `'small-teams'`).
 */
export type PacerFactory = () => Pacer & {
  readonly benchEstimators?: Partial<PacingEstimatorsOptions>;
  readonly benchExactAgentTiming?: boolean | 'small-teams';
};

/** A `--pacer-module` pacer as a run takes it: its name, factory and calibration walk (`loadPacerModule`). */
export interface JobCustomPacer {
  readonly name: string;
  readonly create: PacerFactory;
  readonly exactAgentTiming?: boolean | 'small-teams';
}

/** A fresh campaign pacer for `job`. */
export function jobPacer(job: Job, scenario: Scenario, custom?: { name: string; create: PacerFactory }): CampaignPacer {
  if (job.pacer === OPTIMUM_POLICY) return createCampaignPacer({ dialMode: 'predictive' }, { pacer: optimumPolicyPacer(scenario) });
  if (custom !== undefined && job.pacer === custom.name) {
    const pacer = custom.create();
    const estimators = pacer.benchEstimators; // issue-22 22-start
    return createCampaignPacer({ dialMode: 'predictive' }, estimators === undefined ? { pacer } : { pacer, estimators });
  }
  if (job.pacer === 'vicidial-adaptive' && job.dropLimit !== undefined)
    return createCampaignPacer({ dialMode: 'predictive' }, { pacer: vicidialAdaptivePacer({ dropLimit: job.dropLimit }) });
  if (job.pacer === 'predictive' && job.ringingByAnswer === true)
    return createCampaignPacer({ dialMode: 'predictive' }, { estimators: { ringingByAnswer: true } });
  if (![...PACER_NAMES, ...OPT_IN_PACER_NAMES].includes(job.pacer as PacerName)) throw new Error(`unknown pacer "${job.pacer}"`);
  return benchPacer(job.pacer as PacerName);
}

// tidy: the launch-input builder shared with bench/calibration-hourly.ts (the rest of this file is 22-default's).
/** The `assessLaunch` input for the launch a pacer decided on `observation`: the pacer's own view, with `estimates` and `forecastScale`. */
export function launchInput(observation: CampaignObservation, estimates: ModelEstimates, forecastScale: number): PacerState {
  return {
    now: observation.now,
    agents: observation.agents,
    calls: observation.calls,
    options: observation.campaign.pacing,
    abandons: { liveAnswers: observation.liveAnswers, abandoned: observation.abandoned, windowMs: observation.windowMs },
    estimates,
    forecastScale,
  };
}

/** `pacer` with every launch assessed by the predictive model; `predicted()` is the running sum. */
function calibrated(
  pacer: CampaignPacer,
  exactAgentTiming: boolean | 'small-teams' = false, // issue-22 small: the pacer's walk option
): { pacer: CampaignPacer; predicted: () => number; predictedRaw: () => number } {
  let predicted = 0;
  let predictedRaw = 0;
  return {
    predicted: () => predicted,
    predictedRaw: () => predictedRaw,
    pacer: {
      ...pacer,
      decide(observation) {
        // The forecast the pacer itself uses: its run-learnt realised ÷ predicted (1 for pacers that learn none).
        const forecastScale = pacer.forecastScale?.() ?? 1;
        const d = pacer.decide(observation);
        if (d.launch > 0) {
          const estimates = pacer.estimators.estimates();
          // issue-22 22-mdpcal: a launch the MDP policy decided carries its own model's forecast (`forecast: 'markov'`).
          // issue-22 22-hybrid6: so does the two-sided hybrid's (`forecast: 'hybrid'`: the walk's lines by the walk, the policy's added ones by the MDP).
          const own = d.inputs.forecast === 'markov' || d.inputs.forecast === 'hybrid' ? d.inputs.expectedAbandons : undefined;
          if (typeof own === 'number') {
            predicted += own;
            predictedRaw += own / forecastScale;
          } else if (estimates.warm) {
            const expected = assessLaunch(
              launchInput(observation, estimates, forecastScale), // tidy: one builder (calibration-hourly.ts too)
              d.launch,
              { exactAgentTiming }, // issue-22 small
            ).expectedAbandons;
            predicted += expected;
            predictedRaw += expected / forecastScale;
          }
        }
        return d;
      },
    },
  };
}

/** Run one job (pacer-direct, or the real engine in sim's engine mode). */
export async function runJob(scenario: Scenario, job: Job, options: { engine?: boolean; custom?: JobCustomPacer } = {}): Promise<RunSums> {
  const shaped: Scenario =
    job.abandonTarget === undefined
      ? scenario
      : { ...scenario, pacing: { ...(scenario.pacing as PacingOptions), abandonTarget: job.abandonTarget } };
  // The walk the calibration assesses launches by: the pacer's own (a module's from its `benchExactAgentTiming`;
  // before, every module's was the placement walk, and a probe of the default read 1.53 where the default read 1.09).
  const custom = options.custom !== undefined && job.pacer === options.custom.name ? options.custom : undefined;
  const walk = custom ? (custom.exactAgentTiming ?? false) : exactAgentTimingOf(job.pacer); // issue-22 small
  const { pacer, predicted, predictedRaw } = calibrated(jobPacer(job, shaped, options.custom), walk);
  const simulation = simulationOf(shaped, job.seed, pacer);
  if (options.engine === true) {
    const e = await runEngineScenario(simulation);
    return {
      ...job,
      talkMs: e.talkMs,
      wrapMs: e.wrapMs,
      loggedInMs: e.loggedInMs,
      liveAnswers: e.liveAnswers,
      abandoned: e.abandoned,
      predictedAbandons: predicted(),
      predictedRawAbandons: predictedRaw(),
      dials: e.dials,
      waits: e.waits,
      waitMs: e.waitMs,
      dailyRates: e.days.filter((d) => d.liveAnswers > 0).map((d) => d.abandoned / d.liveAnswers),
      liveRateChanges: pacer.estimators.liveRateChanges,
    };
  }
  const r = runSimulation(simulation);
  return {
    ...job,
    talkMs: r.talkMs,
    wrapMs: r.wrapMs,
    loggedInMs: r.loggedInMs,
    liveAnswers: r.counters.liveAnswers,
    abandoned: r.counters.abandoned,
    predictedAbandons: predicted(),
    predictedRawAbandons: predictedRaw(),
    dials: r.counters.dials,
    waits: r.counters.waits,
    waitMs: r.counters.waitMs,
    dailyRates: r.counters.days.filter((d) => d.liveAnswers > 0).map((d) => d.abandoned / d.liveAnswers),
    liveRateChanges: pacer.estimators.liveRateChanges,
  };
}

/** The aggregate of one scenario × pacer (× setting) over its seeds: the JSON row's fields. */
export interface PacingRow {
  scenario: string;
  pacer: string;
  talkFraction: number;
  /** Half-width of the 95% interval of the per-seed talk fraction. */
  talkFraction95: number;
  occupancy: number;
  abandonRate: number;
  abandonRateDailyP95: number;
  agentWaitMeanS: number;
  dialsPerAgentHour: number;
  liveAnswers: number;
  abandoned: number;
  /** Predicted ÷ realised abandons (null with fewer than 20 realised). */
  calibration: number | null;
  /** The walk's own predicted ÷ realised, before the run-learnt scale (null with fewer than 20 realised). */
  calibrationRaw: number | null;
  /** Live-rate changes detected per run (mean over seeds; 0 on a steady day). */
  liveRateChanges: number;
  seeds: number;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Aggregate runs of one group (same scenario, pacer and setting). */
export function aggregate(scenario: string, pacer: string, rs: readonly RunSums[]): PacingRow {
  const sum = (f: (r: RunSums) => number) => rs.reduce((a, r) => a + f(r), 0);
  const loggedIn = sum((r) => r.loggedInMs);
  const live = sum((r) => r.liveAnswers);
  const abandoned = sum((r) => r.abandoned);
  const waits = sum((r) => r.waits);
  const spread = meanInterval(rs.map((r) => r.talkMs / r.loggedInMs));
  return {
    scenario,
    pacer,
    talkFraction: round(sum((r) => r.talkMs) / loggedIn, 4),
    talkFraction95: round(spread.halfWidth, 4),
    occupancy: round(sum((r) => r.talkMs + r.wrapMs) / loggedIn, 4),
    abandonRate: round(live > 0 ? abandoned / live : 0, 5),
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
    abandoned,
    calibration: abandoned >= 20 ? round(sum((r) => r.predictedAbandons) / abandoned, 3) : null,
    calibrationRaw: abandoned >= 20 ? round(sum((r) => r.predictedRawAbandons) / abandoned, 3) : null,
    liveRateChanges: round(sum((r) => r.liveRateChanges) / Math.max(1, rs.length), 2),
    seeds: rs.length,
  };
}
