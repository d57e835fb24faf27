/**
 * A snapshot of a campaign's online estimates, with the tables the predictive pacer reads
 * in its hot path precomputed (so a decision is lookups and sums, no allocation).
 *
 * Tables are flat, `K = horizons` entries per row: entry `row·K + k` is for horizon `k`.
 * A new call's live answer arrives at a random delay; the horizons are quantiles of that
 * delay, so the pacer checks agent supply against live demand at K representative instants.
 */
export interface ModelEstimates {
  /** Enough observations for model-based pacing (else predictive acts progressively). */
  readonly warm: boolean;
  /** Attempts observed (raw count). */
  readonly attempts: number;
  /** Live answers observed (raw count). */
  readonly liveAnswers: number;
  /** Finished agent work items observed (raw count). */
  readonly workSamples: number;
  /** P(a launched call becomes a live answer), decaying estimate. */
  readonly liveProbability: number;
  /** Machine answers among answered calls, decaying estimate. */
  readonly machineFraction: number;
  /** P(live | answered): how often a call in analysis turns out live. */
  readonly liveGivenAnswered: number;
  /** Means, ms: originate → a live call needs an agent; a non-live attempt's line time; talk; wrap-up. */
  readonly meanLiveDelayMs: number;
  readonly meanNonLiveMs: number;
  readonly meanTalkMs: number;
  readonly meanWrapMs: number;
  /**
   * Number of horizons (steps of the predictive walk; 0 when cold): the quantiles of the live
   * delay plus fill-in steps from 0 so that no two are more than the 2-s abandon grace apart.
   */
  readonly horizons: number;
  /** The horizons, ms from now, increasing from 0. */
  readonly horizonMs: Float64Array;
  /** P(a call launched now is live and needs an agent by horizon k): one entry per horizon. */
  readonly newLiveByHorizon: Float64Array;
  /** P(a call launched now is live at step k): P(live)/K at the K quantile steps, 0 at fill-ins. */
  readonly newLiveByStep: Float64Array;
  /** Bin width of `handleFree` rows, ms of elapsed talk. */
  readonly handleBinMs: number;
  /** Rows in `handleFree` minus one (the last row is "past the range"). */
  readonly handleBins: number;
  /** P(an agent `row·binMs` into a call is free — talk and the wrap-up after it over — by horizon k + the 2 s grace). */
  readonly handleFree: Float64Array;
  readonly wrapBinMs: number;
  readonly wrapBins: number;
  /** P(an agent `row·binMs` into wrap-up is free by horizon k + the 2 s grace). */
  readonly wrapFree: Float64Array;
  readonly pendingBinMs: number;
  readonly pendingBins: number;
  /** P(an unanswered call `row·binMs` old becomes live by horizon k). Last row: 0. */
  readonly pendingLive: Float64Array;
  /**
   * issue-22 22-small: the same with the ringing call conditioned on its answer delay (the
   * estimators' `ringingByAnswer` conditioning, whatever that option says): what the predictive
   * pacer's per-agent walk of a small team reads (docs/pacing.md).
   */
  readonly pendingLiveByAnswer: Float64Array;
  /**
   * issue-22 22-smooth3: the on-call and wrap-up tables the small teams' per-agent walk reads in
   * place of `handleFree` / `wrapFree` — shrunk toward a fitted shape where the data are thin
   * (the estimators' `workShapePriorEvents`); absent when that option is off.
   */
  readonly handleFreeSmall?: Float64Array | undefined;
  readonly wrapFreeSmall?: Float64Array | undefined;
  /**
   * issue-23 23-flowtab: the warm contact flows' own `handleFree` / `wrapFree` (same layout),
   * which the walk reads for a busy agent of that flow (`ObservedAgent.flow`); absent unless the
   * estimators' `workByFlow` is on and two flows have been seen (then: the pooled tables for all).
   */
  readonly flowWork?: FlowWork | undefined;
  /**
   * issue-22 22-gate: BIC log-evidence, nats, that the finished calls' talk and wrap-up are
   * exponential rather than lognormal (the smaller of the two; `exponential-fit.ts`); > 0: the
   * exponential is the more probable model. Undefined: not computed (read as no evidence).
   */
  readonly exponentialWork?: number | undefined;
  /**
   * issue-22 22-early: on a cold snapshot (`warm` false) past the estimators' `early…` thresholds, a
   * warm model built from the observations so far (no flow tables). Pacers that read `warm` ignore
   * it; the predictive pacer decides on it on a team under its `earlyStartBelow` whose work looks
   * exponential. Absent on warm snapshots and before those thresholds.
   */
  readonly early?: ModelEstimates | undefined;
}

const EMPTY = new Float64Array(0);

/** Estimates with no observations: every model-based pacer starts progressive. */
export const COLD_ESTIMATES: ModelEstimates = Object.freeze({
  warm: false,
  attempts: 0,
  liveAnswers: 0,
  workSamples: 0,
  liveProbability: 0,
  machineFraction: 0,
  liveGivenAnswered: 0,
  meanLiveDelayMs: 0,
  meanNonLiveMs: 0,
  meanTalkMs: 0,
  meanWrapMs: 0,
  horizons: 0,
  horizonMs: EMPTY,
  newLiveByHorizon: EMPTY,
  newLiveByStep: EMPTY,
  handleBinMs: 1,
  handleBins: 0,
  handleFree: EMPTY,
  wrapBinMs: 1,
  wrapBins: 0,
  wrapFree: EMPTY,
  pendingBinMs: 1,
  pendingBins: 0,
  pendingLive: EMPTY,
  pendingLiveByAnswer: EMPTY, // issue-22 22-small
});

/**
 * issue-23 23-flowtab: the contact flow of the call an agent works on. In a blend the same
 * agents take inbound service calls (180 s mean handle time on `blend-15-morning`) and outbound
 * campaign calls (100 s): one pooled, age-conditioned talk/wrap-up table mixes the two.
 */
export type ContactFlow = 'inbound' | 'outbound';

/**
 * One flow's busy-agent completion tables, laid out as the pooled `handleFree` / `wrapFree`
 * (same bin widths, rows and horizons), so an agent's row is the same in either.
 */
export interface FlowWorkTables {
  /** Finished calls of this flow observed (raw count). */
  readonly workSamples: number;
  /** Means of this flow's talk and wrap-up, ms. */
  readonly meanTalkMs: number;
  readonly meanWrapMs: number;
  /** P(an agent `row·handleBinMs` into a call of this flow is free by horizon k + the grace). */
  readonly handleFree: Float64Array;
  /** P(an agent `row·wrapBinMs` into the wrap-up of a call of this flow is free by horizon k + the grace). */
  readonly wrapFree: Float64Array;
}

/**
 * The per-flow tables of a snapshot (`ModelEstimates.flowWork`): a flow is present once its
 * table is warm (`flowWarmWorkSamples` finished calls); a busy agent of an absent flow, or of
 * no known flow, is walked on the pooled table.
 */
export type FlowWork = Readonly<Partial<Record<ContactFlow, FlowWorkTables>>>;
