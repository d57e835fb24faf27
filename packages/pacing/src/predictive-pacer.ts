import { AgentState } from '@paceline/core';
import { type AbandonGovernorOptions, type GovernorVerdict, governAbandons, parseAbandonGovernorOptions } from './abandon-governor';
import type { ModelEstimates } from './model-estimates';
import { expectedPositivePart } from './normal';
import type { ObservedAgent, ObservedCall, Pacer, PacerState, PacingDecision } from './pacer';
import { progressiveDecision } from './progressive-pacer';

/** Options of {@link predictivePacer}. */
export interface PredictivePacerOptions {
  /** Abandon-governor tuning (margin, fallback point, recovery speed). */
  readonly governor?: Partial<AbandonGovernorOptions>;
}

/**
 * The supply/demand picture at each horizon, summed over agents and calls in flight:
 * `mean[k]` = E[agents free by h_k + 2 s] − E[live answers needing one by h_k], `variance[k]`
 * its variance (independent Bernoulli terms).
 */
interface Picture {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  /** Scratch: calls in flight per age bin, so identical Bernoullis are added once, times their count. */
  pendingRows: Int32Array;
}

/** What launching `n` calls now is expected to cost and bring. */
export interface LaunchAssessment {
  /** Expected abandons among the `n` calls. */
  readonly expectedAbandons: number;
  /** Expected live answers among the `n` calls. */
  readonly expectedLive: number;
}

// A live answer is a whole person: the normal approximation of an integer count gets a
// continuity correction of half a call.
const CONTINUITY = 0.5;
// Floor on the spread so a fully determined picture still gives a smooth, finite answer.
const MIN_VARIANCE = 0.05;

function fillPicture(state: PacerState, est: ModelEstimates, picture: Picture): void {
  const K = est.horizons;
  const { mean, variance } = picture;
  mean.fill(0);
  variance.fill(0);
  const agents = state.agents;
  let ready = 0;
  for (let a = 0; a < agents.length; a++) {
    const agent = agents[a] as ObservedAgent;
    const st = agent.state;
    if (st === AgentState.Ready) {
      if (agent.leaving !== true) ready++;
      continue;
    }
    let table: Float64Array;
    let row: number;
    if (st === AgentState.OnCall || st === AgentState.Reserved) {
      if (agent.leaving === true) continue;
      table = est.handleFree;
      row = st === AgentState.Reserved ? 0 : Math.min(Math.floor(agent.timeInStateMs / est.handleBinMs), est.handleBins);
    } else if (st === AgentState.WrapUp) {
      if (agent.leaving === true) continue;
      table = est.wrapFree;
      row = Math.min(Math.floor(agent.timeInStateMs / est.wrapBinMs), est.wrapBins);
    } else continue;
    addBernoullis(table, row * K, K, mean, variance, 1);
  }
  if (ready > 0) for (let k = 0; k < K; k++) mean[k] = (mean[k] as number) + ready;
  const calls = state.calls;
  const analysing = est.liveGivenAnswered;
  let waiting = 0;
  let analysed = 0;
  if (picture.pendingRows.length < est.pendingBins) picture.pendingRows = new Int32Array(est.pendingBins);
  const rows = picture.pendingRows;
  rows.fill(0, 0, est.pendingBins);
  for (let c = 0; c < calls.length; c++) {
    const call = calls[c] as ObservedCall;
    const phase = call.phase;
    if (phase === 'waiting') waiting++;
    else if (phase === 'analysing') analysed++;
    else {
      const row = Math.floor(call.ageMs / est.pendingBinMs);
      if (row < est.pendingBins) rows[row] = (rows[row] as number) + 1;
    }
  }
  for (let row = 0; row < est.pendingBins; row++) {
    const count = rows[row] as number;
    if (count > 0) addBernoullis(est.pendingLive, row * K, K, mean, variance, -1, count);
  }
  const demand = waiting + analysed * analysing;
  const spread = analysed * analysing * (1 - analysing);
  for (let k = 0; k < K; k++) {
    mean[k] = (mean[k] as number) - demand;
    variance[k] = (variance[k] as number) + spread;
  }
}

/** Add K Bernoulli terms (probabilities `table[base..base+K)`) with `sign` to the picture. */
/** Add `count` independent Bernoullis with success probabilities `table[base + k]` (sign −1 subtracts their mean). */
function addBernoullis(
  table: Float64Array,
  base: number,
  K: number,
  mean: Float64Array,
  variance: Float64Array,
  sign: number,
  count = 1,
): void {
  for (let k = 0; k < K; k++) {
    const q = table[base + k] as number;
    mean[k] = (mean[k] as number) + sign * count * q;
    variance[k] = (variance[k] as number) + count * q * (1 - q);
  }
}

/**
 * Expected uncovered new calls over the horizons, per new call's share: averaged over k of
 * (E[(D − S + L_n)⁺] − E[(D − S)⁺]) / π_k, where L_n is the live answers of the n new calls
 * by h_k. Multiplied by P(live) it is the expected abandons of the n calls.
 */
function uncoveredShare(est: ModelEstimates, picture: Picture, n: number): number {
  const K = est.horizons;
  let total = 0;
  for (let k = 0; k < K; k++) {
    const pi = est.newLiveByHorizon[k] ?? 0;
    if (pi <= 1e-9) continue;
    const m0 = CONTINUITY - (picture.mean[k] ?? 0);
    const v0 = (picture.variance[k] ?? 0) + MIN_VARIANCE;
    const before = expectedPositivePart(m0, Math.sqrt(v0));
    const after = expectedPositivePart(m0 + n * pi, Math.sqrt(v0 + n * pi * (1 - pi)));
    total += (after - before) / pi;
  }
  return total / K;
}

/**
 * The predictive pacer: model-based pacing under the abandon governor.
 *
 * At each horizon h_k (quantiles of the delay until a live call needs an agent) it sums the
 * chance each agent is free by h_k + 2 s (talk/wrap-up survival given the time already
 * spent: 1 − S(a+h)/S(a)), less the chance each call in flight needs an agent by h_k (given
 * its age and that it has not answered yet). It then launches the most calls whose expected
 * abandons stay within the governor's budget: `allowedRate × expected live answers`.
 *
 * It acts progressively at a cold start (too few observations), below the campaign's
 * `minAgentsForPredictive`, and when the governor falls back. Lines in flight never exceed
 * `maxLinesPerAgent` × agents at work (ready, reserved, on a call or in wrap-up and staying).
 * Pure: the scratch arrays it reuses are overwritten on every call, never read across calls.
 */
export function predictivePacer(options: PredictivePacerOptions = {}): Pacer {
  const governor = parseAbandonGovernorOptions(options.governor ?? {});
  let picture: Picture = { mean: new Float64Array(0), variance: new Float64Array(0), pendingRows: new Int32Array(0) };
  const scratch = (K: number): Picture => {
    if (picture.mean.length !== K) picture = { mean: new Float64Array(K), variance: new Float64Array(K), pendingRows: picture.pendingRows };
    return picture;
  };

  return {
    name: 'predictive',
    decide(state: PacerState): PacingDecision {
      const o = state.options;
      let ready = 0;
      let working = 0;
      for (let i = 0; i < state.agents.length; i++) {
        const agent = state.agents[i];
        if (agent === undefined) continue;
        const st = agent.state;
        if (st === AgentState.Ready) {
          ready++;
          if (agent.leaving !== true) working++;
        } else if ((st === AgentState.OnCall || st === AgentState.Reserved || st === AgentState.WrapUp) && agent.leaving !== true)
          working++;
      }
      const inFlight = state.calls.length;
      if (working === 0) return { launch: 0, reason: 'no-agents', inputs: { ready, working, inFlight } };
      if (working < o.minAgentsForPredictive) return progressiveDecision(state, 'small-team', true);
      const est = state.estimates;
      if (!est.warm || est.horizons === 0) return progressiveDecision(state, 'cold-start', true);
      const verdict = governAbandons(state.abandons, o.abandonTarget, governor);
      if (verdict.mode === 'fallback') return progressiveDecision(state, 'governor-fallback', true);

      const cap = Math.floor(o.maxLinesPerAgent * working);
      const room = cap - inFlight;
      const pLive = est.liveProbability;
      if (room <= 0 || pLive <= 0)
        return decision(0, room <= 0 ? 'line-cap' : 'model', verdict, 0, 0, ready, working, inFlight, cap, pLive);

      const pic = scratch(est.horizons);
      fillPicture(state, est, pic);
      const n = largestWithinBudget(est, pic, verdict.allowedRate, room);
      const abandons = n > 0 ? pLive * uncoveredShare(est, pic, n) : 0;
      return decision(n, n === room ? 'line-cap' : 'model', verdict, abandons, n * pLive, ready, working, inFlight, cap, pLive);
    },
  };
}

function decision(
  launch: number,
  reason: string,
  v: GovernorVerdict,
  expectedAbandons: number,
  expectedLive: number,
  ready: number,
  working: number,
  inFlight: number,
  cap: number,
  pLive: number,
): PacingDecision {
  return {
    launch,
    reason,
    inputs: {
      ready,
      working,
      inFlight,
      cap,
      pLive,
      governor: v.mode,
      measuredRate: v.measuredRate,
      allowedRate: v.allowedRate,
      budget: v.allowedRate * expectedLive,
      expectedAbandons,
      expectedLive,
    },
  };
}

/**
 * The most calls (≤ room) whose expected abandons stay within `allowed × expected live`.
 * The feasible launches form a prefix [0, n*] (the uncovered share is convex in n), and most
 * decisions launch 0 or 1: test 1, then gallop and bisect.
 */
function largestWithinBudget(est: ModelEstimates, pic: Picture, allowed: number, room: number): number {
  if (uncoveredShare(est, pic, 1) > allowed) return 0;
  let lo = 1;
  let hi = room;
  let step = 2;
  while (lo < room) {
    const probe = Math.min(room, lo + step);
    if (uncoveredShare(est, pic, probe) > allowed * probe) {
      hi = probe;
      break;
    }
    lo = probe;
    step *= 2;
  }
  if (lo === room) return room;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (uncoveredShare(est, pic, mid) <= allowed * mid) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * What launching `n` calls now would cost under the predictive model (expected abandons)
 * and bring (expected live answers); for dashboards, tests and what-if tools. Needs warm
 * estimates (0 and 0 otherwise).
 */
export function assessLaunch(state: PacerState, n: number): LaunchAssessment {
  const est = state.estimates;
  if (!est.warm || est.horizons === 0 || n <= 0) return { expectedAbandons: 0, expectedLive: 0 };
  const pic: Picture = { mean: new Float64Array(est.horizons), variance: new Float64Array(est.horizons), pendingRows: new Int32Array(0) };
  fillPicture(state, est, pic);
  return { expectedAbandons: est.liveProbability * uncoveredShare(est, pic, n), expectedLive: n * est.liveProbability };
}
