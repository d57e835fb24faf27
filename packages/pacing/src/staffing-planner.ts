import { PacelineError } from '@paceline/core';
import { assertAgents, assertNonNegative, DEFAULT_INTERVAL_SECONDS, erlangCMetricsUnchecked } from './erlang';
import type { ErlangAMetrics } from './erlang-a';
import { erlangAUnchecked } from './erlang-a';

/**
 * Staffing planners. Two questions campaign managers ask during preparation (DESIGN.md,
 * lifecycle step 1):
 * - outbound: "how many agents, and how many days, to work this list?" — a workload
 *   calculation, since the pacer decides when calls arrive;
 * - callbacks / inbound: "how many agents per 30-minute interval to answer these calls
 *   at this service level?" — a queueing calculation (Erlang C, or Erlang A when callers
 *   abandon).
 */

/** Ceil that forgives floating-point noise: 12.000000000001 agents is 12 agents. */
function ceilCount(value: number): number {
  return Math.max(0, Math.ceil(value - 1e-9));
}

function invalid(fn: string, path: string, expected: string, got: unknown): PacelineError {
  return new PacelineError('E_INVALID_INPUT', `${fn}: ${path}: expected ${expected}, got ${String(got)}`, {
    issues: [{ path, message: `expected ${expected}` }],
  });
}

function assertFraction(fn: string, path: string, value: number, options: { allowZero: boolean; allowOne: boolean }): void {
  const ok = Number.isFinite(value) && (options.allowZero ? value >= 0 : value > 0) && (options.allowOne ? value <= 1 : value < 1);
  if (!ok) {
    const range = `${options.allowZero ? '[0' : '(0'}, 1${options.allowOne ? ']' : ')'}`;
    throw invalid(fn, path, `a fraction in ${range}`, value);
  }
}

// ---------------------------------------------------------------------------------------
// Outbound
// ---------------------------------------------------------------------------------------

/** How the campaign is dialled, which decides what fills an agent's time between contacts. */
export type PlanDialMode = 'predictive' | 'progressive';

/**
 * Input of {@link planOutboundStaffing}. Field names follow the `paceline plan` flags:
 * `--contacts 50000 --contact-rate 0.2 --talk 180 --wrap 30 --hours 8 [--occupancy 0.85]
 * [--attempts 3] [--days 5 | --agents 40] [--mode progressive --answer-delay 8 --no-contact 25]`.
 */
export interface OutboundPlanInput {
  /** Records on the list to work (`--contacts`). */
  readonly contacts: number;
  /** Live answers per attempt, in (0, 1] (`--contact-rate`; DESIGN.md: contact rate = live answers / attempts). */
  readonly contactRate: number;
  /** Mean talk time of a live contact in seconds (`--talk`). */
  readonly talkSeconds: number;
  /** Mean wrap-up time after a live contact in seconds (`--wrap`); default 0. */
  readonly wrapSeconds?: number;
  /** Logged-in hours per agent per working day (`--hours`). */
  readonly hoursPerDay: number;
  /**
   * Occupancy the pacer is expected to hold, in (0, 1] (`--occupancy`); default 0.85.
   * In progressive mode it only caps the occupancy the dial cycle allows.
   */
  readonly targetOccupancy?: number;
  /** Attempts per record until a live answer (`--attempts`); default 1 (one pass through the list). */
  readonly maxAttemptsPerContact?: number;
  /** Working days to finish the list in (`--days`); default 1. Give this or `agents`, not both. */
  readonly targetDays?: number;
  /** A fixed team size (`--agents`): the plan then reports how long the list takes. */
  readonly agents?: number;
  /** `predictive` (default): the pacer hides ringing and failed attempts; `progressive`: agents wait through them. */
  readonly dialMode?: PlanDialMode;
  /** Progressive only: mean ring time before a live answer, in seconds (`--answer-delay`); default 0. */
  readonly answerDelaySeconds?: number;
  /** Progressive only: mean duration of an attempt without a live answer (no answer, busy, machine), in seconds; default 0. */
  readonly nonContactAttemptSeconds?: number;
}

/** Result of {@link planOutboundStaffing}. */
export interface OutboundPlan {
  /** Team size: the smallest that finishes within `targetDays`, or the `agents` given. */
  readonly agentsNeeded: number;
  /** Working days that team needs at `expectedOccupancy` (≤ `targetDays` when the team was computed). */
  readonly daysToComplete: number;
  /** `daysToComplete × hoursPerDay`: dialling hours on the calendar. */
  readonly hoursToComplete: number;
  /** (talk + wrap-up) / logged-in time the plan assumes (DESIGN.md definition). */
  readonly expectedOccupancy: number;
  /** Expected dial attempts over the whole list. */
  readonly expectedAttempts: number;
  /** Expected live contacts (records reached) over the whole list. */
  readonly expectedLiveContacts: number;
  /** Agent-hours of talk plus wrap-up. */
  readonly handleHours: number;
  /** Logged-in agent-hours needed: `handleHours / expectedOccupancy`. */
  readonly agentHours: number;
  /** Dial attempts per agent per logged-in hour the pacer must sustain. */
  readonly attemptsPerAgentHour: number;
}

const DEFAULT_TARGET_OCCUPANCY = 0.85;

/**
 * Plans an outbound campaign: agents needed and time to complete a list.
 *
 * With per-attempt contact rate p and at most k attempts per record, a record is reached
 * with probability 1 − (1 − p)^k after (1 − (1 − p)^k) / p attempts on average (a
 * truncated geometric series). Each live contact costs talk + wrap-up seconds of agent
 * work; logged-in time is that divided by the occupancy. In progressive mode the agent
 * also sits through ringing and failed attempts, so occupancy is the closed form
 * (S + W) / (S + W + R + ((1 − p)/p)·F) (talk S, wrap W, answer delay R, failed-attempt
 * time F), capped by `targetOccupancy`.
 *
 * @example planOutboundStaffing({ contacts: 50_000, contactRate: 0.2, talkSeconds: 180, wrapSeconds: 30, hoursPerDay: 8 })
 * // → { agentsNeeded: 86, daysToComplete: 0.9975, expectedOccupancy: 0.85, expectedLiveContacts: 10000, … }
 * @throws PacelineError `E_INVALID_INPUT` naming the bad field.
 */
export function planOutboundStaffing(input: OutboundPlanInput): OutboundPlan {
  const fn = 'planOutboundStaffing';
  if (!Number.isSafeInteger(input.contacts) || input.contacts < 0)
    throw invalid(fn, 'contacts', 'a whole number of records ≥ 0', input.contacts);
  assertFraction(fn, 'contactRate', input.contactRate, { allowZero: false, allowOne: true });
  assertNonNegative(fn, 'talkSeconds', input.talkSeconds, true);
  const wrapSeconds = input.wrapSeconds ?? 0;
  assertNonNegative(fn, 'wrapSeconds', wrapSeconds);
  if (!Number.isFinite(input.hoursPerDay) || input.hoursPerDay <= 0 || input.hoursPerDay > 24) {
    throw invalid(fn, 'hoursPerDay', 'hours in (0, 24]', input.hoursPerDay);
  }
  const targetOccupancy = input.targetOccupancy ?? DEFAULT_TARGET_OCCUPANCY;
  assertFraction(fn, 'targetOccupancy', targetOccupancy, { allowZero: false, allowOne: true });
  const maxAttempts = input.maxAttemptsPerContact ?? 1;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) throw invalid(fn, 'maxAttemptsPerContact', 'a positive integer', maxAttempts);
  if (input.agents !== undefined && input.targetDays !== undefined) {
    throw new PacelineError('E_INVALID_INPUT', `${fn}: give either agents (to get the days) or targetDays (to get the agents), not both`, {
      issues: [{ path: 'agents', message: 'cannot be combined with targetDays' }],
    });
  }
  if (input.agents !== undefined) assertAgents(fn, 'agents', input.agents);
  const targetDays = input.targetDays ?? 1;
  assertNonNegative(fn, 'targetDays', targetDays, true);
  const dialMode = input.dialMode ?? 'predictive';
  if (dialMode !== 'predictive' && dialMode !== 'progressive') throw invalid(fn, 'dialMode', '"predictive" or "progressive"', dialMode);
  const answerDelaySeconds = input.answerDelaySeconds ?? 0;
  assertNonNegative(fn, 'answerDelaySeconds', answerDelaySeconds);
  const nonContactAttemptSeconds = input.nonContactAttemptSeconds ?? 0;
  assertNonNegative(fn, 'nonContactAttemptSeconds', nonContactAttemptSeconds);

  const p = input.contactRate;
  const reachProbability = -Math.expm1(maxAttempts * Math.log1p(-p)); // 1 − (1 − p)^k, exact for small p too
  const expectedLiveContacts = input.contacts * reachProbability;
  const expectedAttempts = expectedLiveContacts / p;
  const handleSeconds = input.talkSeconds + wrapSeconds;
  const expectedOccupancy =
    dialMode === 'predictive'
      ? targetOccupancy
      : Math.min(targetOccupancy, handleSeconds / (handleSeconds + answerDelaySeconds + ((1 - p) / p) * nonContactAttemptSeconds));

  const handleHours = (expectedLiveContacts * handleSeconds) / 3600;
  const agentHours = handleHours / expectedOccupancy;
  const agentsNeeded = input.agents ?? ceilCount(agentHours / (targetDays * input.hoursPerDay));
  const daysToComplete = agentsNeeded === 0 ? 0 : agentHours / (agentsNeeded * input.hoursPerDay);
  return {
    agentsNeeded,
    daysToComplete,
    hoursToComplete: daysToComplete * input.hoursPerDay,
    expectedOccupancy,
    expectedAttempts,
    expectedLiveContacts,
    handleHours,
    agentHours,
    attemptsPerAgentHour: agentHours === 0 ? 0 : expectedAttempts / agentHours,
  };
}

// ---------------------------------------------------------------------------------------
// Callbacks / inbound, per interval
// ---------------------------------------------------------------------------------------

/** Forecast of one interval (usually 30 minutes). */
export interface IntervalForecast {
  /** Calls expected in the interval (an average: fractions are fine). */
  readonly calls: number;
  /** Average handle time (talk + hold + wrap-up) in seconds. */
  readonly ahtSeconds: number;
  /** Free label carried to the output, e.g. `"09:30"`. */
  readonly label?: string;
}

/**
 * Input of {@link planIntervalStaffing}. Give at least one of `targetServiceLevel`,
 * `maxAsaSeconds`, `maxAbandonFraction`; every one given must hold in every interval.
 */
export interface IntervalStaffingInput {
  /** The forecast, one entry per interval. */
  readonly intervals: readonly IntervalForecast[];
  /** Length of an interval in seconds; default 1800 (30 minutes). */
  readonly intervalSeconds?: number;
  /** Fraction of calls to answer within `targetAnswerSeconds`, in (0, 1), e.g. 0.8 for "80% in 20 s". */
  readonly targetServiceLevel?: number;
  /** Answer-time target in seconds for the service level (target and reported); default 20. */
  readonly targetAnswerSeconds?: number;
  /** Upper bound on the average speed of answer, in seconds. */
  readonly maxAsaSeconds?: number;
  /** Upper bound on the fraction of calls abandoned, in (0, 1); needs `meanPatienceSeconds`. */
  readonly maxAbandonFraction?: number;
  /** Mean caller patience in seconds; when given, every interval is modelled with Erlang A instead of Erlang C. */
  readonly meanPatienceSeconds?: number;
  /** Upper bound on occupancy, in (0, 1] (burn-out guard), e.g. 0.9. */
  readonly maxOccupancy?: number;
  /** Fraction of paid time agents are not available for calls (breaks, training, absence), in [0, 1). */
  readonly shrinkage: number;
}

/** Staffing and expected performance for one interval. */
export interface IntervalStaffing {
  /** The forecast's label, when it had one. */
  readonly label?: string;
  /** Calls forecast for the interval. */
  readonly calls: number;
  /** Average handle time in seconds. */
  readonly ahtSeconds: number;
  /** calls × AHT / interval length. */
  readonly offeredLoadErlangs: number;
  /** Agents needed on the phones (before shrinkage): the smallest count meeting every target. */
  readonly agents: number;
  /** Agents to schedule (after shrinkage): ⌈agents / (1 − shrinkage)⌉. */
  readonly scheduledAgents: number;
  /** Probability a call waits at all. */
  readonly waitProbability: number;
  /** Fraction of calls answered within `targetAnswerSeconds`. */
  readonly serviceLevel: number;
  /** Average speed of answer of answered calls, in seconds. */
  readonly asaSeconds: number;
  /** Probability a call abandons (0 under Erlang C). */
  readonly abandonProbability: number;
  /** Expected occupancy of the agents on the phones. */
  readonly occupancy: number;
}

/** Result of {@link planIntervalStaffing}. */
export interface IntervalStaffingPlan {
  /** `erlang-a` when `meanPatienceSeconds` was given, else `erlang-c`. */
  readonly model: 'erlang-c' | 'erlang-a';
  /** One entry per forecast interval, in order. */
  readonly intervals: readonly IntervalStaffing[];
  /** Largest `agents` over the intervals. */
  readonly peakAgents: number;
  /** Largest `scheduledAgents` over the intervals. */
  readonly peakScheduledAgents: number;
  /** Σ agents × interval length, in hours: on-phone agent-hours. */
  readonly agentHours: number;
  /** Σ scheduledAgents × interval length, in hours: paid agent-hours. */
  readonly scheduledAgentHours: number;
}

/** Beyond this the forecast is not a call centre any more; refuse rather than loop. */
const MAX_AGENTS = 10_000_000;
const DEFAULT_TARGET_ANSWER_SECONDS = 20;

/**
 * Erlang staffing per interval for callbacks and inbound calls, with shrinkage.
 *
 * For each interval: A = calls × AHT / interval; the number of agents on the phones is the
 * smallest N meeting every target given (service level, ASA, abandonment, occupancy),
 * using Erlang C (patient callers; N > A) or Erlang A when `meanPatienceSeconds` is given
 * (Garnett, Mandelbaum & Reiman 2002). All targets are monotone in N, so N is found by
 * doubling then bisection. Shrinkage converts agents on the phones to agents to schedule.
 *
 * @example planIntervalStaffing({ intervals: [{ calls: 100, ahtSeconds: 180 }], targetServiceLevel: 0.8, targetAnswerSeconds: 20, shrinkage: 0.3 })
 * // → intervals[0]: { agents: 14, scheduledAgents: 20, serviceLevel: 0.8884, … }
 * @throws PacelineError `E_INVALID_INPUT` naming the bad field.
 */
export function planIntervalStaffing(input: IntervalStaffingInput): IntervalStaffingPlan {
  const fn = 'planIntervalStaffing';
  if (!Array.isArray(input.intervals) || input.intervals.length === 0)
    throw invalid(fn, 'intervals', 'a non-empty list of forecasts', input.intervals);
  const intervalSeconds = input.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
  assertNonNegative(fn, 'intervalSeconds', intervalSeconds, true);
  const targetAnswerSeconds = input.targetAnswerSeconds ?? DEFAULT_TARGET_ANSWER_SECONDS;
  assertNonNegative(fn, 'targetAnswerSeconds', targetAnswerSeconds);
  const { targetServiceLevel, maxAsaSeconds, maxAbandonFraction, meanPatienceSeconds, maxOccupancy } = input;
  if (targetServiceLevel === undefined && maxAsaSeconds === undefined && maxAbandonFraction === undefined) {
    throw new PacelineError('E_INVALID_INPUT', `${fn}: give at least one target: targetServiceLevel, maxAsaSeconds or maxAbandonFraction`, {
      issues: [{ path: 'targetServiceLevel', message: 'expected a target' }],
    });
  }
  if (targetServiceLevel !== undefined) assertFraction(fn, 'targetServiceLevel', targetServiceLevel, { allowZero: false, allowOne: false });
  if (maxAsaSeconds !== undefined) assertNonNegative(fn, 'maxAsaSeconds', maxAsaSeconds, true);
  if (maxAbandonFraction !== undefined) {
    assertFraction(fn, 'maxAbandonFraction', maxAbandonFraction, { allowZero: false, allowOne: false });
    if (meanPatienceSeconds === undefined) {
      throw new PacelineError(
        'E_INVALID_INPUT',
        `${fn}: maxAbandonFraction needs meanPatienceSeconds: abandonment is modelled with Erlang A from the callers' mean patience`,
        { issues: [{ path: 'meanPatienceSeconds', message: 'required with maxAbandonFraction' }] },
      );
    }
  }
  if (meanPatienceSeconds !== undefined && (Number.isNaN(meanPatienceSeconds) || meanPatienceSeconds <= 0)) {
    throw invalid(fn, 'meanPatienceSeconds', 'a number > 0', meanPatienceSeconds);
  }
  if (maxOccupancy !== undefined) assertFraction(fn, 'maxOccupancy', maxOccupancy, { allowZero: false, allowOne: true });
  assertFraction(fn, 'shrinkage', input.shrinkage, { allowZero: true, allowOne: false });
  input.intervals.forEach((interval, i) => {
    assertNonNegative(fn, `intervals[${i}].calls`, interval.calls);
    assertNonNegative(fn, `intervals[${i}].ahtSeconds`, interval.ahtSeconds, true);
  });

  const model = meanPatienceSeconds === undefined ? 'erlang-c' : 'erlang-a';
  const evaluate = (agents: number, load: number, ahtSeconds: number): ErlangAMetrics =>
    meanPatienceSeconds === undefined
      ? { ...erlangCMetricsUnchecked(agents, load, ahtSeconds, targetAnswerSeconds), abandonProbability: 0, meanWaitSeconds: 0 }
      : erlangAUnchecked(agents, load, ahtSeconds, meanPatienceSeconds, targetAnswerSeconds);
  const meets = (m: ErlangAMetrics): boolean =>
    (targetServiceLevel === undefined || m.serviceLevel >= targetServiceLevel) &&
    (maxAsaSeconds === undefined || m.asaSeconds <= maxAsaSeconds) &&
    (maxAbandonFraction === undefined || m.abandonProbability <= maxAbandonFraction) &&
    (maxOccupancy === undefined || m.occupancy <= maxOccupancy);

  const intervals = input.intervals.map((forecast, i): IntervalStaffing => {
    const load = (forecast.calls * forecast.ahtSeconds) / intervalSeconds;
    const labelled = forecast.label === undefined ? {} : { label: forecast.label };
    if (load === 0) {
      return {
        ...labelled,
        calls: forecast.calls,
        ahtSeconds: forecast.ahtSeconds,
        offeredLoadErlangs: 0,
        agents: 0,
        scheduledAgents: 0,
        waitProbability: 0,
        serviceLevel: 1,
        asaSeconds: 0,
        abandonProbability: 0,
        occupancy: 0,
      };
    }
    const agents = smallestAgents(fn, i, load, (n) => meets(evaluate(n, load, forecast.ahtSeconds)), model === 'erlang-c');
    const m = evaluate(agents, load, forecast.ahtSeconds);
    return {
      ...labelled,
      calls: forecast.calls,
      ahtSeconds: forecast.ahtSeconds,
      offeredLoadErlangs: load,
      agents,
      scheduledAgents: ceilCount(agents / (1 - input.shrinkage)),
      waitProbability: m.waitProbability,
      serviceLevel: m.serviceLevel,
      asaSeconds: m.asaSeconds,
      abandonProbability: m.abandonProbability,
      occupancy: m.occupancy,
    };
  });

  const hoursPerInterval = intervalSeconds / 3600;
  let peakAgents = 0;
  let peakScheduledAgents = 0;
  let agentHours = 0;
  let scheduledAgentHours = 0;
  for (const s of intervals) {
    peakAgents = Math.max(peakAgents, s.agents);
    peakScheduledAgents = Math.max(peakScheduledAgents, s.scheduledAgents);
    agentHours += s.agents * hoursPerInterval;
    scheduledAgentHours += s.scheduledAgents * hoursPerInterval;
  }
  return { model, intervals, peakAgents, peakScheduledAgents, agentHours, scheduledAgentHours };
}

/**
 * Smallest N ≥ 1 with `meets(N)`, for a predicate monotone in N: gallop up from a lower
 * bound, then bisect. Erlang C needs N > A for a finite queue, so it starts there.
 */
function smallestAgents(fn: string, index: number, load: number, meets: (agents: number) => boolean, needsStableQueue: boolean): number {
  let low = needsStableQueue ? Math.floor(load) + 1 : 1; // candidate; everything below is known (or assumed) to fail
  if (meets(low)) {
    // Erlang C: N ≤ A never meets a target. Erlang A: low is 1, the least there is.
    return low;
  }
  let step = 1;
  let high = low + step;
  while (!meets(high)) {
    low = high;
    step *= 2;
    high = low + step;
    if (high > MAX_AGENTS) {
      throw new PacelineError(
        'E_INVALID_INPUT',
        `${fn}: intervals[${index}]: no staffing up to ${MAX_AGENTS} agents meets the targets; check calls and ahtSeconds`,
        {
          issues: [{ path: `intervals[${index}]`, message: 'targets unreachable' }],
        },
      );
    }
  }
  return bisect(low, high, meets);
}

/** Smallest N in (failing, passing] that meets the predicate, given meets(passing) and not meets(failing). */
function bisect(failing: number, passing: number, meets: (agents: number) => boolean): number {
  let lo = failing;
  let hi = passing;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (meets(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
