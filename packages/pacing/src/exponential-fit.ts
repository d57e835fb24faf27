// issue 22 (22-gate): how far the finished calls' durations fit the MDP's exponential model.
//
// Why: the two-sided hybrid (`markov-hybrid.ts`, `markovHybridCut`) follows the constrained MDP's
// policy where it holds fewer lines than the walk. The MDP's state is counts only: it reads every
// busy agent as equally likely to free next, which is exact only when talk and wrap-up are
// exponential (memoryless). On the Markovian small teams the cuts are worth 1.2 points of the
// optimum (small-team-5-markov 98.2 → 99.4 %, seeds 1–20); on the lognormal 3-agent team they
// remove exactly the lines the walk's age-aware tables under-price and break its calibration (1.32,
// 22-hybrid7). So the cuts are trusted only as far as the data say the MDP's model holds: the
// sample the estimators already keep (the decaying histograms of talk and of wrap-up) is asked
// whether an exponential explains it better than a lognormal — the Bayesian information criterion
// of the two fits (the lognormal pays for its second parameter: ½ ln n nats). Not a tuned
// threshold: 0 nats is where the two models are equally probable a posteriori; the evidence grows
// with the sample either way (≈ n × the Kullback–Leibler gap), so a team's verdict settles within
// its first tens of calls and does not flicker once it has settled.
import type { SurvivalCurve } from './decaying-histogram';
import { normalCdf } from './normal';

/**
 * BIC log-evidence, nats, that the sample of `curve` is exponential rather than lognormal:
 * ℓ_exp − ℓ_lognormal + ½ ln n on the binned sample (each bin's probability under each fitted
 * model; the mass beyond the histogram's range read as censored), n the histogram's effective
 * count, the exponential fitted by its mean, the lognormal by the mean and variance of the bins'
 * log midpoints. > 0: the exponential is the more probable model.
 * Degenerate samples: all the mass in the first bin (no such duration, e.g. no wrap-up — nothing
 * for the exponential to get wrong) → +Infinity; all of it in one later bin (a constant) → −Infinity;
 * no samples → 0 (no evidence).
 */
export function exponentialEvidence(curve: SurvivalCurve): number {
  const n = curve.effectiveCount;
  const { binMs, masses } = curve.binned();
  let inRange = 0;
  let meanLog = 0;
  let occupied = 0;
  let first = -1;
  for (let i = 0; i < masses.length; i++) {
    const m = masses[i] as number;
    if (!(m > 0)) continue;
    inRange += m;
    meanLog += m * Math.log((i + 0.5) * binMs);
    occupied++;
    if (first < 0) first = i;
  }
  if (!(n > 0) || !(inRange > 0) || !(curve.meanMs >= 0)) return 0;
  const overflow = Math.max(0, 1 - inRange);
  if (occupied === 1 && overflow <= 1e-12) return first === 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  meanLog /= inRange;
  let varLog = 0;
  for (let i = 0; i < masses.length; i++) {
    const m = masses[i] as number;
    if (m > 0) varLog += m * (Math.log((i + 0.5) * binMs) - meanLog) ** 2;
  }
  const sigma = Math.sqrt(varLog / inRange);
  const rate = curve.meanMs > 0 ? 1 / curve.meanMs : 1 / binMs;
  const expSurvival = (t: number) => Math.exp(-rate * t);
  const logSurvival = (t: number) =>
    t <= 0 ? 1 : sigma > 1e-9 ? normalCdf(-(Math.log(t) - meanLog) / sigma) : t < Math.exp(meanLog) ? 1 : 0;
  let llExp = 0;
  let llLog = 0;
  for (let i = 0; i < masses.length; i++) {
    const m = masses[i] as number;
    if (!(m > 0)) continue;
    const from = i * binMs;
    llExp += m * Math.log(Math.max(expSurvival(from) - expSurvival(from + binMs), 1e-300));
    llLog += m * Math.log(Math.max(logSurvival(from) - logSurvival(from + binMs), 1e-300));
  }
  if (overflow > 1e-12) {
    const edge = masses.length * binMs;
    llExp += overflow * Math.log(Math.max(expSurvival(edge), 1e-300));
    llLog += overflow * Math.log(Math.max(logSurvival(edge), 1e-300));
  }
  return n * (llExp - llLog) + 0.5 * Math.log(Math.max(n, 1));
}

/**
 * issue-22 22-gate: the evidence that the agents' work (talk, and wrap-up where there is one) is
 * exponential — the smaller of the two {@link exponentialEvidence}s: the MDP's model needs both.
 */
export function exponentialWorkEvidence(talk: SurvivalCurve, wrap: SurvivalCurve): number {
  return Math.min(exponentialEvidence(talk), exponentialEvidence(wrap));
}
