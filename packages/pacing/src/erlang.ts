import { PacelineError } from '@paceline/core';

/**
 * Erlang B and Erlang C (M/M/N/N and M/M/N queues), computed in log space so that they
 * stay finite and accurate for thousands of agents and loads.
 *
 * Why log space: A^N / N! overflows a double at N ≈ 170, and the classic recursion
 * B(n) = A·B(n−1) / (n + A·B(n−1)) underflows to 0 once B < 1e−308 (e.g. 5,000 agents
 * on 10 Erlangs). We carry L(n) = ln(1/B(n)) instead, which obeys
 * 1/B(n) = 1 + (n/A)·1/B(n−1)  (Jagerman 1974, "Some properties of the Erlang loss function"),
 * so L(n) = logAddExp(0, L(n−1) + ln(n/A)). Every step adds positive quantities: no
 * cancellation, no factorials, no powers.
 */

/** Seconds in a 30-minute forecasting interval, the usual workforce-management grain. */
export const DEFAULT_INTERVAL_SECONDS = 1800;

/** ln(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}

/** ln(e^x − 1) for x > 0, accurate both for tiny x and for large x. */
export function logExpm1(x: number): number {
  return x > 1 ? x + Math.log1p(-Math.exp(-x)) : Math.log(Math.expm1(x));
}

/**
 * ln(1 / B(agents, A)) for A > 0, via the inverse Erlang B recursion in log space.
 * Internal: shared with the Erlang A module.
 */
export function logInverseErlangB(agents: number, offeredLoadErlangs: number): number {
  const logLoad = Math.log(offeredLoadErlangs);
  let logInverse = 0; // 1/B(0) = 1
  for (let n = 1; n <= agents; n++) {
    logInverse = logAddExp(0, logInverse + Math.log(n) - logLoad);
  }
  return logInverse;
}

/** Throws unless `value` is a positive safe integer. Internal. */
export function assertAgents(fn: string, name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new PacelineError('E_INVALID_INPUT', `${fn}: ${name}: expected a positive integer number of agents, got ${String(value)}`, {
      issues: [{ path: name, message: 'expected a positive integer' }],
    });
  }
}

/** Throws unless `value` is a finite number ≥ 0 (or > 0 when `strict`). Internal. */
export function assertNonNegative(fn: string, name: string, value: number, strict = false): void {
  if (!Number.isFinite(value) || value < 0 || (strict && value === 0)) {
    const expected = strict ? 'a finite number > 0' : 'a finite number ≥ 0';
    throw new PacelineError('E_INVALID_INPUT', `${fn}: ${name}: expected ${expected}, got ${String(value)}`, {
      issues: [{ path: name, message: `expected ${expected}` }],
    });
  }
}

/**
 * Offered load in Erlangs: the average number of calls in service if every call were
 * answered at once, A = calls × AHT / interval length (Little's law).
 *
 * @example offeredLoadErlangs(100, 180) // 100 calls per 30 min at 180 s AHT → 10 Erlangs
 */
export function offeredLoadErlangs(calls: number, ahtSeconds: number, intervalSeconds: number = DEFAULT_INTERVAL_SECONDS): number {
  assertNonNegative('offeredLoadErlangs', 'calls', calls);
  assertNonNegative('offeredLoadErlangs', 'ahtSeconds', ahtSeconds, true);
  assertNonNegative('offeredLoadErlangs', 'intervalSeconds', intervalSeconds, true);
  return (calls * ahtSeconds) / intervalSeconds;
}

/**
 * Erlang B: the probability that a call finds all `agents` busy and is lost, in a system
 * without a queue (M/M/N/N), for an offered load in Erlangs. In [0, 1]; decreasing in
 * `agents`. Stable for any number of agents (log-space recursion, see module comment).
 *
 * @throws PacelineError `E_INVALID_INPUT` when `agents` is not a positive integer or the load is negative.
 */
export function erlangB(agents: number, offeredLoadErlangs: number): number {
  assertAgents('erlangB', 'agents', agents);
  assertNonNegative('erlangB', 'offeredLoadErlangs', offeredLoadErlangs);
  if (offeredLoadErlangs === 0) return 0;
  return Math.exp(-logInverseErlangB(agents, offeredLoadErlangs));
}

/**
 * Erlang C: the probability that a call has to wait (all `agents` busy on arrival) in an
 * M/M/N queue with infinitely patient callers. Returns 1 when the load is at or above the
 * number of agents: the queue then grows without bound and every call eventually waits.
 *
 * C(N, A) = N·B / (N − A·(1 − B)), i.e. 1/C = A/N + (1 − A/N)/B, evaluated in log space.
 *
 * @throws PacelineError `E_INVALID_INPUT` when `agents` is not a positive integer or the load is negative.
 */
export function erlangC(agents: number, offeredLoadErlangs: number): number {
  assertAgents('erlangC', 'agents', agents);
  assertNonNegative('erlangC', 'offeredLoadErlangs', offeredLoadErlangs);
  return erlangCUnchecked(agents, offeredLoadErlangs);
}

/** {@link erlangC} without validation, for callers that already validated. Internal. */
export function erlangCUnchecked(agents: number, load: number): number {
  if (load === 0) return 0;
  if (load >= agents) return 1;
  const rho = load / agents;
  return Math.exp(-logAddExp(Math.log(rho), Math.log1p(-rho) + logInverseErlangB(agents, load)));
}

/** Input of {@link erlangCMetrics}. */
export interface ErlangCInput {
  /** Agents on the phones (not scheduled heads: apply shrinkage separately). */
  readonly agents: number;
  /** Offered load in Erlangs, see {@link offeredLoadErlangs}. */
  readonly offeredLoadErlangs: number;
  /** Average handle time (talk + hold + wrap-up) in seconds. */
  readonly ahtSeconds: number;
  /** Answer-time target for the service level, e.g. 20 for "80% in 20 s". */
  readonly targetAnswerSeconds: number;
}

/** Performance of an M/M/N queue with infinitely patient callers. */
export interface ErlangCMetrics {
  /** Probability that a call waits at all (Erlang C). */
  readonly waitProbability: number;
  /** Fraction of calls answered within `targetAnswerSeconds`. 0 when the queue is unstable. */
  readonly serviceLevel: number;
  /** Average speed of answer in seconds over all calls (those answered at once count 0). Infinity when unstable. */
  readonly asaSeconds: number;
  /** Fraction of agents' time spent handling calls, A/N (capped at 1). */
  readonly occupancy: number;
}

/**
 * Erlang C performance: probability of wait, service level and ASA.
 *
 * - SL(t) = 1 − C · e^{−(N − A)·t / AHT}   (waiting time given wait is exponential with rate (N − A)/AHT)
 * - ASA   = C · AHT / (N − A)
 *
 * When A ≥ N the queue is unstable: wait probability 1, service level 0, ASA Infinity.
 *
 * @example erlangCMetrics({ agents: 12, offeredLoadErlangs: 10, ahtSeconds: 180, targetAnswerSeconds: 20 })
 * // → { waitProbability: 0.4494, serviceLevel: 0.6402, asaSeconds: 40.45, occupancy: 0.833 }
 * @throws PacelineError `E_INVALID_INPUT` on a non-integer agent count or a negative or non-finite time or load.
 */
export function erlangCMetrics(input: ErlangCInput): ErlangCMetrics {
  const fn = 'erlangCMetrics';
  assertAgents(fn, 'agents', input.agents);
  assertNonNegative(fn, 'offeredLoadErlangs', input.offeredLoadErlangs);
  assertNonNegative(fn, 'ahtSeconds', input.ahtSeconds, true);
  assertNonNegative(fn, 'targetAnswerSeconds', input.targetAnswerSeconds);
  return erlangCMetricsUnchecked(input.agents, input.offeredLoadErlangs, input.ahtSeconds, input.targetAnswerSeconds);
}

/** {@link erlangCMetrics} without validation. Internal. */
export function erlangCMetricsUnchecked(agents: number, load: number, ahtSeconds: number, targetAnswerSeconds: number): ErlangCMetrics {
  if (load >= agents) {
    return { waitProbability: 1, serviceLevel: 0, asaSeconds: Number.POSITIVE_INFINITY, occupancy: 1 };
  }
  const waitProbability = erlangCUnchecked(agents, load);
  const spareAgents = agents - load;
  return {
    waitProbability,
    serviceLevel: 1 - waitProbability * Math.exp((-spareAgents * targetAnswerSeconds) / ahtSeconds),
    asaSeconds: (waitProbability * ahtSeconds) / spareAgents,
    occupancy: load / agents,
  };
}
