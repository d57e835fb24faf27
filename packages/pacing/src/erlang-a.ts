import { PacelineError } from '@paceline/core';
import { assertAgents, assertNonNegative, erlangCMetricsUnchecked, logAddExp, logExpm1, logInverseErlangB } from './erlang';

/**
 * Erlang A: the M/M/N+M queue (Palm 1943; Garnett, Mandelbaum & Reiman 2002, "Designing a
 * call center with impatient customers", MSOM 4(3)). Poisson arrivals at rate λ, N agents
 * with exponential handle times (rate μ = 1/AHT), and callers who hang up after an
 * exponential patience (rate θ = 1/mean patience) if not yet answered.
 *
 * Everything is computed exactly from the birth–death chain of the number of calls in the
 * system (no asymptotic approximation), in log space, in units where μ = 1:
 *
 *   π_n ∝ Aⁿ/n!  for n ≤ N,   π_{N+j} = π_N · Π_{k=1..j} A / (N + kθ)  for j ≥ 0.
 *
 * An arrival that finds j callers queued (PASTA) reaches an agent after
 * V = Σ_{k=0..j} Exp(N + kθ) if it stays; it stays with probability E[e^{−θV}] =
 * N / (N + (j+1)θ) (the product telescopes). Tilting by e^{−θV} turns V into
 * V' = Σ_{k=1..j+1} Exp(N + kθ), and −θV' has the law of ln U with U ~ Beta(N/θ + 1, j+1)
 * (the Mellin transform of a Beta with integer second parameter is that product). Hence
 *
 *   P(answered within t | j) = N / (N + (j+1)θ) · (1 − I_x(N/θ + 1, j + 1)),  x = e^{−θt},
 *
 * with I the regularised incomplete Beta function, which for integer b follows the
 * positive recursion I_x(a, 1) = x^a, I_x(a, b+1) = I_x(a, b) + x^a(1−x)^b / (b·B(a, b))
 * (DLMF 8.17.21). Abandonment: P(ab | j) = (j+1)θ / (N + (j+1)θ), and the mean wait of
 * those answered: E[V; answered | j] = N / (N + (j+1)θ) · Σ_{k=1..j+1} 1/(N + kθ).
 */

/** Queue lengths summed before we refuse: bounds the work for a very long queue. */
const MAX_QUEUE_TERMS = 5_000_000;

/** Stop summing once the remaining tail is below e^−40 of the largest term. */
const LOG_TAIL_TOLERANCE = 40;

/** Input of {@link erlangA}. */
export interface ErlangAInput {
  /** Agents on the phones (not scheduled heads: apply shrinkage separately). */
  readonly agents: number;
  /** Offered load in Erlangs, calls × AHT / interval; see `offeredLoadErlangs`. */
  readonly offeredLoadErlangs: number;
  /** Average handle time in seconds. */
  readonly ahtSeconds: number;
  /**
   * Mean caller patience in seconds (exponential). `Infinity` gives Erlang C. Estimate it
   * as total waiting time of all callers / number of abandons (Garnett et al. 2002, §5).
   */
  readonly meanPatienceSeconds: number;
  /** Answer-time target for the service level, e.g. 20 for "80% in 20 s". */
  readonly targetAnswerSeconds: number;
}

/** Performance of an M/M/N+M queue. */
export interface ErlangAMetrics {
  /** Probability that a call finds all agents busy and waits at all. */
  readonly waitProbability: number;
  /** Probability that a call hangs up before an agent answers. */
  readonly abandonProbability: number;
  /**
   * Fraction of all offered calls answered by an agent within `targetAnswerSeconds`.
   * Abandoned calls count as misses however quickly they hung up (the conservative definition).
   */
  readonly serviceLevel: number;
  /** Average speed of answer in seconds: mean wait of answered calls (answered at once count 0). */
  readonly asaSeconds: number;
  /** Mean time in queue in seconds over all offered calls, abandoned ones until they hung up (Little: Lq/λ). */
  readonly meanWaitSeconds: number;
  /** Fraction of agents' time spent handling calls: A·(1 − P(abandon)) / N. */
  readonly occupancy: number;
}

/**
 * Erlang A (M/M/N+M) performance: probability of wait, probability of abandonment,
 * service level, ASA and occupancy. Unlike Erlang C it is defined when the load exceeds
 * the agents (impatient callers keep the queue finite), and it tends to Erlang C as the
 * mean patience tends to infinity and to Erlang B as it tends to 0.
 *
 * @example erlangA({ agents: 12, offeredLoadErlangs: 10, ahtSeconds: 180, meanPatienceSeconds: 120, targetAnswerSeconds: 20 })
 * @throws PacelineError `E_INVALID_INPUT` on bad input, or when the queue is so long
 *   (load far above the agents with very long patience) that summing it is unreasonable.
 */
export function erlangA(input: ErlangAInput): ErlangAMetrics {
  const fn = 'erlangA';
  assertAgents(fn, 'agents', input.agents);
  assertNonNegative(fn, 'offeredLoadErlangs', input.offeredLoadErlangs);
  assertNonNegative(fn, 'ahtSeconds', input.ahtSeconds, true);
  assertNonNegative(fn, 'targetAnswerSeconds', input.targetAnswerSeconds);
  const patience = input.meanPatienceSeconds;
  if (Number.isNaN(patience) || patience <= 0) {
    throw new PacelineError(
      'E_INVALID_INPUT',
      `${fn}: meanPatienceSeconds: expected a number > 0 (Infinity for Erlang C), got ${String(patience)}`,
      {
        issues: [{ path: 'meanPatienceSeconds', message: 'expected a number > 0' }],
      },
    );
  }
  return erlangAUnchecked(input.agents, input.offeredLoadErlangs, input.ahtSeconds, patience, input.targetAnswerSeconds);
}

/** {@link erlangA} without validation. Internal. */
export function erlangAUnchecked(
  agents: number,
  load: number,
  ahtSeconds: number,
  meanPatienceSeconds: number,
  targetAnswerSeconds: number,
): ErlangAMetrics {
  if (load === 0) {
    return { waitProbability: 0, abandonProbability: 0, serviceLevel: 1, asaSeconds: 0, meanWaitSeconds: 0, occupancy: 0 };
  }
  if (meanPatienceSeconds === Number.POSITIVE_INFINITY) {
    const c = erlangCMetricsUnchecked(agents, load, ahtSeconds, targetAnswerSeconds);
    return { ...c, abandonProbability: 0, meanWaitSeconds: c.asaSeconds };
  }

  const n = agents;
  const theta = ahtSeconds / meanPatienceSeconds; // abandonment rate per waiting caller, in units of μ
  const logLoad = Math.log(load);
  // Σ_{n<N} π_n / π_N = 1/B(N, A) − 1.
  const logBelow = logExpm1(logInverseErlangB(n, load));

  // Incomplete Beta I_x(alpha, b) for b = j + 1, and its increment T_b, in log space.
  const alpha = n / theta + 1;
  const logX = (-theta * targetAnswerSeconds) / ahtSeconds;
  const logOneMinusX = Math.log(-Math.expm1(logX)); // −Infinity when the target is 0 s
  let logIncompleteBeta = alpha * logX;
  let logIncrement = Math.log(alpha) + alpha * logX + logOneMinusX;

  let logWeight = 0; // ln(π_{N+j} / π_N)
  let maxLogWeight = 0;
  let harmonic = 0; // Σ_{k=1..j+1} 1/(N + kθ): mean wait, in AHTs, of a caller who finds j queued and stays
  let sumWait = Number.NEGATIVE_INFINITY;
  let sumAbandon = Number.NEGATIVE_INFINITY;
  let sumAnswered = Number.NEGATIVE_INFINITY;
  let sumAnsweredInTarget = Number.NEGATIVE_INFINITY;
  let sumAnsweredWait = Number.NEGATIVE_INFINITY;
  let sumQueueLength = Number.NEGATIVE_INFINITY;

  for (let j = 0; ; j++) {
    if (j > 0) {
      logWeight += logLoad - Math.log(n + j * theta);
      // I ≤ 1 exactly; clamp the rounding so that 1 − I never goes negative.
      logIncompleteBeta = Math.min(0, logAddExp(logIncompleteBeta, logIncrement));
      logIncrement += logOneMinusX + Math.log((alpha + j) / (j + 1));
      if (logWeight > maxLogWeight) maxLogWeight = logWeight;
    }
    const exitRate = n + (j + 1) * theta;
    harmonic += 1 / exitRate;
    const logStay = Math.log(n / exitRate);
    sumWait = logAddExp(sumWait, logWeight);
    sumAbandon = logAddExp(sumAbandon, logWeight + Math.log(((j + 1) * theta) / exitRate));
    sumAnswered = logAddExp(sumAnswered, logWeight + logStay);
    sumAnsweredInTarget = logAddExp(sumAnsweredInTarget, logWeight + logStay + Math.log(-Math.expm1(logIncompleteBeta)));
    sumAnsweredWait = logAddExp(sumAnsweredWait, logWeight + logStay + Math.log(harmonic));
    if (j > 0) sumQueueLength = logAddExp(sumQueueLength, logWeight + Math.log(j));

    // Past the mode the weights fall at least geometrically with ratio r = A/(N + (j+1)θ),
    // so the tail (even weighted by queue length) is below w_j·(j+2)/(1 − r).
    const ratio = load / exitRate;
    if (ratio < 1 && logWeight + Math.log(j + 2) - Math.log1p(-ratio) < maxLogWeight - LOG_TAIL_TOLERANCE) break;
    if (j >= MAX_QUEUE_TERMS) {
      throw new PacelineError(
        'E_INVALID_INPUT',
        `erlangA: the queue is too long to evaluate (offered load ${load} Erlangs on ${n} agents with meanPatienceSeconds ${meanPatienceSeconds}); add agents or use a shorter patience`,
        { offeredLoadErlangs: load, agents: n, meanPatienceSeconds },
      );
    }
  }

  const logTotal = logAddExp(logBelow, sumWait);
  const answeredProbability = Math.exp(logAddExp(logBelow, sumAnswered) - logTotal);
  return {
    waitProbability: Math.exp(sumWait - logTotal),
    abandonProbability: Math.exp(sumAbandon - logTotal),
    serviceLevel: Math.exp(logAddExp(logBelow, sumAnsweredInTarget) - logTotal),
    asaSeconds: (Math.exp(sumAnsweredWait - logTotal) / answeredProbability) * ahtSeconds,
    meanWaitSeconds: (Math.exp(sumQueueLength - logTotal) / load) * ahtSeconds,
    occupancy: Math.min(1, (load * answeredProbability) / n),
  };
}
