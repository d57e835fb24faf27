import type { SurvivalCurve } from './decaying-histogram';
import { type FittedShape, fitShape, shapeShrunkConditionalSurvival, shrunkConditionalSurvival } from './thin-tail';

/**
 * The busy agents' completion tables the predictive walk reads (talk convolved with the
 * wrap-up after it, and the wrap-up alone), built from the estimators' survival curves.
 * issue-23 23-flowtab: moved out of `pacing-estimators.ts` unchanged, so the per-flow tables
 * (`flow-work.ts`) are built by the same code as the pooled ones.
 */

/** DESIGN.md: a live answer must reach an agent within 2 s of the greeting's end. */
export const ABANDON_GRACE_MS = 2_000;

// Step of the talk/wrap-up convolution, ms: fine against a 2-s grace and 10-s horizons.
export const CONVOLUTION_STEP_MS = 250;

/**
 * P(an agent `row·binMs` into a call is free, talk and wrap-up both over, within horizon k +
 * the 2-s grace), `K` entries per row. Talk and wrap-up are independent: the sum over the
 * talk's remaining life u of P(talk ends in (a+u, a+u+du] | talk > a) · P(wrap ≤ τ − u).
 * With no wrap-up it is 1 − S(a+τ)/S(a). O(rows · K · τ/du), run only at a rebuild.
 */
export function onCallFreeTable(
  talk: SurvivalCurve,
  wrap: SurvivalCurve,
  horizonMs: Float64Array,
  binMs: number,
  bins: number,
  shrink?: ConditionalShrink, // issue-22 22-est3, 22-smooth3
): Float64Array {
  const K = horizonMs.length;
  const du = CONVOLUTION_STEP_MS;
  let maxTau = 0;
  for (let k = 0; k < K; k++) maxTau = Math.max(maxTau, (horizonMs[k] ?? 0) + ABANDON_GRACE_MS);
  const steps = Math.ceil(maxTau / du);
  const perBin = binMs / du;
  // Talk survival on the du grid, far enough past the last row for the longest horizon.
  const sT = new Float64Array(Math.ceil(bins * perBin) + steps + 2);
  for (let i = 0; i < sT.length; i++) sT[i] = talk.at(i * du);
  // Wrap-up CDF at the middle of each step: fW[m] = P(wrap ≤ (m + ½)·du).
  const fW = new Float64Array(steps + 1);
  for (let m = 0; m <= steps; m++) fW[m] = wrap.cdf((m + 0.5) * du);
  const t = new Float64Array((bins + 1) * steps);
  for (let i = 0; i <= bins; i++) {
    const base = Math.round(i * perBin);
    const sa = sT[base] as number;
    // issue-22 22-est3: the talk's remaining life from this row, shrunk where the data are thin.
    const shrunk = shrink !== undefined && sa > 1e-9 ? shrink(i * binMs, maxTau, du) : undefined;
    for (let k = 0; k < K; k++) {
      const tau = (horizonMs[k] ?? 0) + ABANDON_GRACE_MS;
      const J = Math.floor(tau / du);
      let q: number;
      if (shrunk !== undefined) {
        let acc = 0;
        for (let j = 0; j < J; j++) acc += ((shrunk[j] as number) - (shrunk[j + 1] as number)) * (fW[J - j - 1] as number);
        q = acc;
      } else if (sa > 1e-9) {
        let acc = 0;
        // talk ends in step j (remaining life ≈ (j + ½)·du); wrap must fit in the rest.
        for (let j = 0; j < J; j++) acc += ((sT[base + j] as number) - (sT[base + j + 1] as number)) * (fW[J - j - 1] as number);
        q = acc / sa;
      } else {
        // Past every observation: the talk's exponential tail, then a typical wrap-up.
        q = talk.endsWithin(i * binMs, tau / 2) * wrap.cdf(tau / 2);
      }
      t[i * K + k] = Math.min(1, Math.max(0, q));
    }
  }
  return t;
}

/**
 * issue-22 22-est3: the wrap-up table (P(an agent `row·binMs` into wrap-up is free by horizon k
 * + the grace)) from the shrunk conditional survival; past every observation as the raw table.
 */
export function shrunkFreeTable(
  curve: SurvivalCurve,
  horizonMs: Float64Array,
  binMs: number,
  bins: number,
  shrink: ConditionalShrink,
): Float64Array {
  const steps = horizonMs.length;
  const du = CONVOLUTION_STEP_MS;
  let maxTau = 0;
  for (let k = 0; k < steps; k++) maxTau = Math.max(maxTau, (horizonMs[k] ?? 0) + ABANDON_GRACE_MS);
  const t = new Float64Array((bins + 1) * steps);
  for (let i = 0; i <= bins; i++) {
    const a = i * binMs;
    const sa = curve.at(a);
    const r = sa > 1e-9 ? shrink(a, maxTau, du) : undefined;
    for (let k = 0; k < steps; k++) {
      const h = (horizonMs[k] ?? 0) + ABANDON_GRACE_MS;
      if (r === undefined) {
        t[i * steps + k] = curve.endsWithin(a, h);
        continue;
      }
      // Linear between the grid points.
      const x = h / du;
      const j = Math.floor(x);
      const lo = r[j] as number;
      const hi = (r[j + 1] ?? lo) as number;
      t[i * steps + k] = Math.min(1, Math.max(0, 1 - (lo + (hi - lo) * (x - j))));
    }
  }
  return t;
}

/**
 * issue-22 22-est3 / 22-smooth3: a row's conditional survival R[j] ≈ P(X > a + j·stepMs | X > a)
 * over [0, maxMs], shrunk where the data are thin (`thin-tail.ts`).
 */
export type ConditionalShrink = (aMs: number, maxMs: number, stepMs: number) => Float64Array;

/** issue-22 22-est3: toward a constant hazard pooled after the row (`workPriorEvents`). */
export function constantHazardShrink(curve: SurvivalCurve, priorEvents: number): ConditionalShrink {
  return (aMs, maxMs, stepMs) => shrunkConditionalSurvival(curve, curve.effectiveCount, aMs, { priorEvents, maxMs, stepMs });
}

/** issue-22 22-smooth3: toward the Weibull or lognormal fitted to the whole curve (`workShapePriorEvents`). */
export function fittedShapeShrink(curve: SurvivalCurve, priorEvents: number): ConditionalShrink {
  const shape: FittedShape | undefined = fitShape(curve.binned());
  return (aMs, maxMs, stepMs) => shapeShrunkConditionalSurvival(curve, curve.effectiveCount, shape, aMs, { priorEvents, maxMs, stepMs });
}

/**
 * P(an agent `row·binMs` into wrap-up is free by horizon k + the 2-s grace), `K` entries per
 * row: 1 − S(a + τ)/S(a), or past every observation the tail's chance; shrunk where the data
 * are thin with `priorEvents` > 0 (issue-22 22-est3). issue-23 23-flowtab: was a closure of
 * `PacingEstimators.#build`, unchanged.
 */
export function wrapFreeTable(
  curve: SurvivalCurve,
  horizonMs: Float64Array,
  binMs: number,
  bins: number,
  priorEvents: number,
): Float64Array {
  const steps = horizonMs.length;
  if (priorEvents > 0) return shrunkFreeTable(curve, horizonMs, binMs, bins, constantHazardShrink(curve, priorEvents));
  const t = new Float64Array((bins + 1) * steps);
  for (let i = 0; i <= bins; i++) {
    const a = i * binMs;
    const sa = curve.at(a);
    for (let k = 0; k < steps; k++) {
      const h = (horizonMs[k] ?? 0) + ABANDON_GRACE_MS;
      t[i * steps + k] = sa > 1e-9 ? Math.min(1, Math.max(0, 1 - curve.at(a + h) / sa)) : curve.endsWithin(a, h);
    }
  }
  return t;
}

/** Rows of a completion table: elapsed times up to the 99.95th percentile (past it the last row stands in). */
export function tableRows(curve: SurvivalCurve, binMs: number, maxBins: number): number {
  return Math.max(1, Math.min(maxBins, Math.ceil(curve.quantile(0.9995) / binMs) + 1));
}

/** An on-call table and what it was built from ({@link cachedOnCallTable}). */
export interface OnCallCache {
  readonly table: Float64Array;
  readonly bins: number;
  readonly horizonMs: Float64Array;
  /** Finished calls counted when it was built. */
  readonly work: number;
}

/**
 * The on-call table (`onCallFreeTable`, the costly convolution), reused from `cache` while it is
 * fresh: the same rows and horizons count, fewer than `rebuildEvery` finished calls since (`work`),
 * and no horizon moved by two convolution steps or more (talk and wrap-up move slowly). Serves the
 * pooled table (`PacingEstimators`) and each contact flow's (`FlowWorkSamples`, issue-23 23-flowtab).
 * `priorEvents` > 0: shrunk toward a constant hazard (issue-22 22-est3).
 */
export function cachedOnCallTable(
  cache: OnCallCache | undefined,
  talk: SurvivalCurve,
  wrap: SurvivalCurve,
  horizonMs: Float64Array,
  binMs: number,
  bins: number,
  work: { count: number; rebuildEvery: number; priorEvents: number },
): OnCallCache {
  let fresh =
    cache !== undefined &&
    cache.bins === bins &&
    cache.horizonMs.length === horizonMs.length &&
    work.count - cache.work < work.rebuildEvery;
  for (let k = 0; fresh && cache !== undefined && k < horizonMs.length; k++)
    fresh = Math.abs((horizonMs[k] ?? 0) - (cache.horizonMs[k] ?? 0)) < 2 * CONVOLUTION_STEP_MS;
  if (fresh && cache !== undefined) return cache;
  const shrink = work.priorEvents > 0 ? constantHazardShrink(talk, work.priorEvents) : undefined;
  return { table: onCallFreeTable(talk, wrap, horizonMs, binMs, bins, shrink), bins, horizonMs, work: work.count };
}
