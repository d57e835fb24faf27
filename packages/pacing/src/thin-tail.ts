import type { SurvivalCurve } from './decaying-histogram';

/**
 * issue-22 22-est3: a duration's conditional survival, shrunk where the data are thin.
 *
 * The walk reads "an agent `a` into a call frees within τ" (τ ≈ 2–25 s) as 1 − S(a+τ)/S(a): it
 * counts the samples that ended in one short window after `a`. With a few hundred calls a day
 * (a 3-agent team) that is a handful of events per window — at a 150-s mean talk, 500 calls and
 * a = 300 s, ~4 ± 2 — so the per-agent free probabilities the small team's walk sums are mostly
 * noise. A longer memory does not help (the day holds only so many calls). Here the short-window
 * estimate is shrunk toward the hazard pooled over a wider window after `a` (occurrences ÷
 * exposure, exact for a constant hazard), by the events the short window holds: with `e`
 * weighted events in [a, a+τmax] the weight of the raw curve is e / (e + priorEvents) — a
 * Gamma–Poisson posterior mean on the survival scale. Where the window holds many events it is
 * the raw curve; where it holds few, a constant hazard learnt from the events that are there.
 */
export interface ThinTailOptions {
  /** Prior strength, in events (0: no shrinkage, the raw curve). */
  readonly priorEvents: number;
  /** The longest window the table reads, ms (τmax). */
  readonly maxMs: number;
  /** Grid step of the returned survival, ms. */
  readonly stepMs: number;
}

/** The pooled window grows by τmax until it holds this many × priorEvents events, up to this many τmax. */
const POOL_EVENTS_FACTOR = 4;
const POOL_MAX_WINDOWS = 16;

/**
 * R[j] ≈ P(X > a + j·stepMs | X > a) for j = 0..ceil(maxMs/stepMs) + 1, shrunk as above.
 * `effectiveCount` is the curve's effective sample size. Requires S(a) > 0.
 */
export function shrunkConditionalSurvival(curve: SurvivalCurve, effectiveCount: number, aMs: number, o: ThinTailOptions): Float64Array {
  const steps = Math.ceil(o.maxMs / o.stepMs) + 2;
  const r = new Float64Array(steps);
  const sa = curve.at(aMs);
  for (let j = 0; j < steps; j++) r[j] = Math.min(1, Math.max(0, curve.at(aMs + j * o.stepMs) / sa));
  if (!(o.priorEvents > 0) || !(sa > 0)) return r;
  const events = effectiveCount * (sa - curve.at(aMs + o.maxMs));
  const w = events / (events + o.priorEvents);
  const hazard = pooledHazard(curve, effectiveCount, aMs, o);
  for (let j = 0; j < steps; j++) r[j] = w * (r[j] as number) + (1 - w) * Math.exp(-hazard * j * o.stepMs);
  return r;
}

/** Occurrences ÷ exposure over [a, a+W], W the first multiple of maxMs holding enough events (per ms). */
function pooledHazard(curve: SurvivalCurve, effectiveCount: number, aMs: number, o: ThinTailOptions): number {
  const sa = curve.at(aMs);
  const want = POOL_EVENTS_FACTOR * o.priorEvents;
  let exposure = 0; // ∫ S(t)/S(a) dt over the window, ms
  let end = aMs;
  for (let n = 1; n <= POOL_MAX_WINDOWS; n++) {
    const to = aMs + n * o.maxMs;
    for (let t = end; t < to; t += o.stepMs)
      exposure += ((curve.at(t) + curve.at(Math.min(to, t + o.stepMs))) / 2 / sa) * Math.min(o.stepMs, to - t);
    end = to;
    if (effectiveCount * (sa - curve.at(to)) >= want || curve.at(to) <= 0) break;
  }
  const ended = 1 - curve.at(end) / sa;
  if (exposure > 0 && ended > 0) return ended / exposure;
  // No event in the window at all: the distribution's mean as a residual life.
  return curve.meanMs > 0 ? 1 / curve.meanMs : 0;
}
