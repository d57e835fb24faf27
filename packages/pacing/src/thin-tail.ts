import type { SurvivalCurve } from './decaying-histogram';
import { normalCdf } from './normal';

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

/**
 * issue-22 22-smooth3: a parametric shape fitted to a whole work-time histogram — the
 * shape-keeping target of {@link shapeShrunkConditionalSurvival}. Two families, the better one by
 * the binned log-likelihood: a Weibull (the exponential is its shape 1; its hazard rises or falls
 * monotonely) and a lognormal (hazard rising then falling: the bench's talk and wrap-up times).
 * Both are fitted by maximum likelihood on the bins' midpoints (the Weibull shape by bisection on
 * its monotone score, the lognormal in closed form), so the fit reads every sample the histogram
 * holds — ~1,000 effective calls at the default half-life — not the handful one short window holds.
 * Atoms are kept as they are: a bin holding at least {@link ATOM_MIN_SHARE} of the mass and
 * {@link ATOM_RATIO}× its neighbours' mean (small-team-3's talk has 8% of its calls at exactly 6 s)
 * is left out of the fit and added back, spread over its bin as the raw curve spreads it — a
 * smooth family fitted through such a spike would bend the whole body (a Weibull of shape < 1).
 */
export interface FittedShape {
  readonly family: 'weibull' | 'lognormal';
  /** P(X > tMs) of the fitted distribution. */
  survival(tMs: number): number;
}

/** What {@link fitShape} reads of a histogram: its bins' masses (bin `i` covers [i·binMs, (i+1)·binMs)). */
export interface BinnedSample {
  readonly binMs: number;
  /** Mass (weight) per bin; the overflow beyond the last bin is left out of the fit. */
  readonly masses: ArrayLike<number>;
}

const WEIBULL_SHAPE_RANGE = [0.05, 30] as const;
/** An atom: at least this share of the whole mass in one bin … */
export const ATOM_MIN_SHARE = 0.02;
/** … and this many times the mean of the {@link ATOM_NEIGHBOURS} bins each side of it. */
export const ATOM_RATIO = 5;
const ATOM_NEIGHBOURS = 5;

/**
 * The better-fitting of a Weibull and a lognormal on the binned sample, or `undefined` when the
 * sample cannot carry a shape (no mass, or all of it in one bin: a degenerate spread).
 */
export function fitShape(sample: BinnedSample): FittedShape | undefined {
  const { binMs, masses } = sample;
  let whole = 0;
  for (let i = 0; i < masses.length; i++) whole += Math.max(0, masses[i] as number);
  if (!(whole > 0)) return undefined;
  const atoms: { readonly from: number; readonly mass: number }[] = [];
  const xs: number[] = [];
  const ms: number[] = [];
  let total = 0;
  for (let i = 0; i < masses.length; i++) {
    const m = masses[i] as number;
    if (!(m > 0)) continue;
    if (m >= ATOM_MIN_SHARE * whole) {
      let around = 0;
      let n = 0;
      for (let j = Math.max(0, i - ATOM_NEIGHBOURS); j <= Math.min(masses.length - 1, i + ATOM_NEIGHBOURS); j++)
        if (j !== i) {
          around += Math.max(0, masses[j] as number);
          n++;
        }
      if (n > 0 && m > (ATOM_RATIO * around) / n) {
        atoms.push({ from: i * binMs, mass: m / whole });
        continue;
      }
    }
    xs.push((i + 0.5) * binMs);
    ms.push(m);
    total += m;
  }
  if (xs.length < 2 || !(total > 0)) return undefined;
  const body = total / whole;
  /** The atoms' mass above t, each spread uniformly over its bin (as the raw curve reads it). */
  const atomsAbove = (t: number) => {
    let above = 0;
    for (const a of atoms) above += a.mass * Math.min(1, Math.max(0, (a.from + binMs - t) / binMs));
    return above;
  };
  const withAtoms = (shape: FittedShape): FittedShape =>
    atoms.length === 0 ? shape : { family: shape.family, survival: (t) => body * shape.survival(t) + atomsAbove(t) };
  let meanX = 0;
  let meanLog = 0;
  for (let i = 0; i < xs.length; i++) {
    meanX += ((ms[i] as number) * (xs[i] as number)) / total;
    meanLog += ((ms[i] as number) * Math.log(xs[i] as number)) / total;
  }
  // Lognormal: μ, σ² the weighted mean and variance of ln x.
  let varLog = 0;
  for (let i = 0; i < xs.length; i++) varLog += ((ms[i] as number) * (Math.log(xs[i] as number) - meanLog) ** 2) / total;
  const sigma = Math.sqrt(varLog);
  const lognormal: FittedShape = {
    family: 'lognormal',
    survival: (t) => (t <= 0 ? 1 : normalCdf(-(Math.log(t) - meanLog) / sigma)),
  };
  // Weibull on y = x / mean: the score Σ m y^k ln y / Σ m y^k − 1/k − mean(ln y) increases in k.
  const logY = xs.map((x) => Math.log(x / meanX));
  const meanLogY = meanLog - Math.log(meanX);
  const score = (k: number) => {
    let a = 0;
    let b = 0;
    for (let i = 0; i < xs.length; i++) {
      const yk = (ms[i] as number) * Math.exp(k * (logY[i] as number));
      a += yk * (logY[i] as number);
      b += yk;
    }
    return a / b - 1 / k - meanLogY;
  };
  let lo: number = WEIBULL_SHAPE_RANGE[0];
  let hi: number = WEIBULL_SHAPE_RANGE[1];
  for (let it = 0; it < 60; it++) {
    const mid = Math.sqrt(lo * hi);
    if (score(mid) > 0) hi = mid;
    else lo = mid;
  }
  const k = Math.sqrt(lo * hi);
  let momentK = 0;
  for (let i = 0; i < xs.length; i++) momentK += ((ms[i] as number) * Math.exp(k * (logY[i] as number))) / total;
  const scale = meanX * momentK ** (1 / k);
  const weibull: FittedShape = { family: 'weibull', survival: (t) => (t <= 0 ? 1 : Math.exp(-((t / scale) ** k))) };
  if (!(sigma > 1e-9) || !Number.isFinite(scale)) return Number.isFinite(scale) ? withAtoms(weibull) : undefined;
  return withAtoms(binnedLogLikelihood(lognormal, binMs, xs, ms) > binnedLogLikelihood(weibull, binMs, xs, ms) ? lognormal : weibull);
}

/** Σ m · ln P(the fitted X falls in the sample's bin), the bins' masses as weights. */
function binnedLogLikelihood(shape: FittedShape, binMs: number, xs: readonly number[], ms: readonly number[]): number {
  let ll = 0;
  for (let i = 0; i < xs.length; i++) {
    const from = (xs[i] as number) - binMs / 2;
    const p = shape.survival(from) - shape.survival(from + binMs);
    ll += (ms[i] as number) * Math.log(Math.max(p, 1e-300));
  }
  return ll;
}

/**
 * issue-22 22-smooth3: R[j] ≈ P(X > a + j·stepMs | X > a) for j = 0..ceil(maxMs/stepMs) + 1, the
 * raw conditional survival shrunk toward the fitted shape's where the short window is thin:
 * R = w · raw + (1 − w) · S_fit(a + u)/S_fit(a), w = e / (e + priorEvents), e the weighted events
 * in [a, a + maxMs] (as {@link shrunkConditionalSurvival}, whose target is a constant hazard
 * instead: exact only for exponential times). Where the fit has no mass left at `a` (its tail
 * underflows) or there is no fit, the raw curve. Requires S(a) > 0.
 */
export function shapeShrunkConditionalSurvival(
  curve: SurvivalCurve,
  effectiveCount: number,
  shape: FittedShape | undefined,
  aMs: number,
  o: ThinTailOptions,
): Float64Array {
  const steps = Math.ceil(o.maxMs / o.stepMs) + 2;
  const r = new Float64Array(steps);
  const sa = curve.at(aMs);
  for (let j = 0; j < steps; j++) r[j] = Math.min(1, Math.max(0, curve.at(aMs + j * o.stepMs) / sa));
  const fa = shape?.survival(aMs) ?? 0;
  if (!(o.priorEvents > 0) || !(sa > 0) || shape === undefined || !(fa > 1e-12)) return r;
  const events = effectiveCount * (sa - curve.at(aMs + o.maxMs));
  const w = events / (events + o.priorEvents);
  for (let j = 0; j < steps; j++) {
    const fit = Math.min(1, shape.survival(aMs + j * o.stepMs) / fa);
    r[j] = w * (r[j] as number) + (1 - w) * fit;
  }
  return r;
}
