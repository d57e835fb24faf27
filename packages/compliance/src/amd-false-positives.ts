import { PacelineError } from '@paceline/core';

/**
 * How the estimate was made, for reports and the regulator:
 * - `bench-default`: no reviewed calls yet; the detector's measured rate on the held-out corpus.
 * - `listen-back`: sampled machine decisions reviewed by a person (via the recording tap), pooled
 *   with the bench rate as a prior worth `priorWeight` reviewed calls.
 */
export type AmdEstimateMethod = 'bench-default' | 'listen-back';

/** A reasoned estimate of the share of machine decisions that were in fact people (AMD false positives). */
export interface AmdFalsePositiveEstimate {
  /** Estimated P(person | decided machine), 0..1. */
  readonly rate: number;
  /** A 95% interval on `rate` (Wilson score on the pooled counts). */
  readonly low: number;
  readonly high: number;
  readonly method: AmdEstimateMethod;
  /** Machine decisions reviewed by listening back. */
  readonly reviewed: number;
  /** Of those, people. */
  readonly reviewedPeople: number;
  /** One sentence for the dashboard and reports: how it was made. */
  readonly explanation: string;
}

/** What calibration has seen for a campaign. */
export interface AmdEvidence {
  /** Machine decisions a person listened back to (sampled via the recording tap). */
  readonly reviewed: number;
  /** Of those, the ones that were people. */
  readonly reviewedPeople: number;
  /** The detector's held-out rate: people among machine decisions on the bench corpus. */
  readonly benchRate: number;
  /** How many reviewed calls the bench rate is worth (default 50): more reviews soon outweigh it. */
  readonly priorWeight?: number;
}

function check(name: string, value: number, max = Number.POSITIVE_INFINITY): void {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new PacelineError('E_INVALID_INPUT', `amd evidence: ${name} must be a number in [0, ${max}], got ${value}`, { field: name });
  }
}

/**
 * Estimate the AMD false-positive rate of a campaign: the bench rate as a prior worth
 * `priorWeight` reviews, updated with listened-back machine decisions (a Beta–binomial mean).
 * Agents' "answering machine" dispositions on calls connected as people measure the other error
 * (machines taken for people) and do not enter this rate.
 */
export function estimateAmdFalsePositives(evidence: AmdEvidence): AmdFalsePositiveEstimate {
  const priorWeight = evidence.priorWeight ?? 50;
  check('benchRate', evidence.benchRate, 1);
  check('reviewed', evidence.reviewed);
  check('reviewedPeople', evidence.reviewedPeople, evidence.reviewed);
  check('priorWeight', priorWeight);
  const n = priorWeight + evidence.reviewed;
  const people = evidence.benchRate * priorWeight + evidence.reviewedPeople;
  const rate = n === 0 ? evidence.benchRate : people / n;
  const [low, high] = wilson(rate, Math.max(1, n));
  const method: AmdEstimateMethod = evidence.reviewed > 0 ? 'listen-back' : 'bench-default';
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
  const explanation =
    method === 'bench-default'
      ? `No reviewed calls yet: the detector's held-out bench rate, ${percent(evidence.benchRate)} of machine decisions were people.`
      : `${evidence.reviewedPeople} people in ${evidence.reviewed} machine decisions listened back, pooled with the bench rate ` +
        `${percent(evidence.benchRate)} (worth ${priorWeight} reviews): ${percent(rate)} (95% ${percent(low)}–${percent(high)}).`;
  return { rate, low, high, method, reviewed: evidence.reviewed, reviewedPeople: evidence.reviewedPeople, explanation };
}

/** Wilson score interval (95%). */
function wilson(p: number, n: number): [number, number] {
  const z = 1.96;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Abandon counts with the estimated AMD false positives added (Ofcom: the rate includes them). */
export interface AdjustedAbandonCounts {
  /** Measured live answers plus the estimated people hung up on as machines. */
  readonly liveAnswers: number;
  /** Measured abandons plus the same estimate (each such person is an abandoned live call). */
  readonly abandoned: number;
  readonly rate: number;
  /** machineDecisions × estimate.rate (fractional: an expectation). */
  readonly estimatedFalsePositives: number;
  readonly machineDecisions: number;
  readonly measured: { readonly liveAnswers: number; readonly abandoned: number };
}

/**
 * Add the estimated false positives to measured counts: a person the detector hung up on was a
 * live answer and an abandoned call, so both grow by `machineDecisions × rate`. Pure arithmetic.
 */
export function withAmdFalsePositives(
  measured: { readonly liveAnswers: number; readonly abandoned: number },
  machineDecisions: number,
  estimate: Pick<AmdFalsePositiveEstimate, 'rate'>,
): AdjustedAbandonCounts {
  check('machineDecisions', machineDecisions);
  check('rate', estimate.rate, 1);
  const estimatedFalsePositives = machineDecisions * estimate.rate;
  const liveAnswers = measured.liveAnswers + estimatedFalsePositives;
  const abandoned = measured.abandoned + estimatedFalsePositives;
  return {
    liveAnswers,
    abandoned,
    rate: liveAnswers === 0 ? 0 : abandoned / liveAnswers,
    estimatedFalsePositives,
    machineDecisions,
    measured: { liveAnswers: measured.liveAnswers, abandoned: measured.abandoned },
  };
}
