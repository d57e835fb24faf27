import { PacelineError } from '@paceline/core';
import { assertNonNegative, logAddExp } from '../erlang';

/**
 * The blended centre under a threshold (reservation) policy, as a birth–death chain — the model
 * of Bhulai & Koole 2003 ("A queueing model for call blending in call centers", IEEE TAC 48(8)),
 * with impatient inbound callers as in Erlang A (Garnett, Mandelbaum & Reiman 2002).
 *
 * N agents serve both flows; outbound work is always there to fill an agent. The policy keeps
 * `reserve` = r agents idle for inbound: an agent who frees while fewer than r are idle and
 * nobody is queued stays idle; while r are idle the next one to free takes outbound work. The
 * state is k = idle agents − queued inbound callers, k ≤ r:
 *
 *        λ          λ                λ          λ
 *   … ←── −1 ←──── 0 ←──── 1 ←── … ←── r−1 ←──── r
 *   … ──→    ────→   ────→    ──→ …     ────→
 *     Nμ+θ     Nμ    (N−1)μ          (N−r+1)μ
 *
 * Arrivals (Poisson, rate λ) move k down; completions move it up at μ per busy agent (N − k of
 * them when k ≥ 0, all N when k < 0) plus θ per queued caller who hangs up (patience exponential,
 * mean 1/θ). At k = r a completion hands the agent to outbound, so k stays r. Detailed balance
 * gives the stationary law: π_{k−1} = π_k · λ / up(k − 1).
 *
 * An arrival (PASTA) that finds k ≥ 1 is answered at once. One that finds j = −k ≥ 0 callers
 * queued has every agent busy ahead of it, exactly the Erlang A waiting room: it is answered
 * within t with probability N/(N + (j+1)θ') · (1 − I_x(N/θ' + 1, j + 1)), x = e^{−θt}, θ' = θ/μ
 * (see `erlang-a.ts` for the derivation), and abandons otherwise. With infinitely patient
 * callers the wait is Gamma(j + 1, Nμ).
 *
 * The handle time μ is one rate for every busy agent: pass the mean handle time of the work
 * mix the agents are doing (inbound and outbound together), since any busy agent's completion
 * frees an agent for the queue.
 */

/** Stop summing the queue tail once it is below e^−36 of the largest term. */
const LOG_TAIL_TOLERANCE = 36;
/** Queue states summed at most (a guard: with θ > 0 the tail falls off long before). */
const MAX_QUEUE_STATES = 200_000;

/** Input of {@link thresholdQueue}. Rates per second, times in seconds. */
export interface ThresholdQueueInput {
  /** Agents serving both flows (logged in, not paused, not leaving). A non-negative integer. */
  readonly agents: number;
  /** Agents kept idle for inbound (the threshold r), 0 ≤ reserve ≤ agents. */
  readonly reserve: number;
  /** Inbound arrival rate λ, calls per second. */
  readonly arrivalsPerSecond: number;
  /** Mean handle time (talk + wrap-up) of the work the agents do, seconds (1/μ). */
  readonly handleSeconds: number;
  /** Mean inbound patience, seconds (1/θ); `Infinity` for callers who never hang up. */
  readonly meanPatienceSeconds: number;
  /** The service-level answer time, e.g. 20 for "80% answered in 20 s". */
  readonly targetAnswerSeconds: number;
}

/** What the chain predicts for inbound callers and agents. */
export interface ThresholdQueueMetrics {
  /** Fraction of inbound calls answered within the target time (abandons count as misses). */
  readonly serviceLevel: number;
  /** Fraction of inbound calls that hang up in the queue. */
  readonly abandonProbability: number;
  /** Mean wait of answered inbound calls, seconds (answered at once count 0). */
  readonly asaSeconds: number;
  /** Mean number of agents idle (kept for inbound), ≤ reserve. */
  readonly meanIdleAgents: number;
}

/**
 * The threshold chain's inbound service level, abandons, ASA and idle agents (see the module
 * comment). Exact up to the truncation of the queue tail (below e^−36 of the largest term).
 * Unstable cases (patient callers and λ ≥ Nμ, or no agents) give service level 0.
 *
 * @throws PacelineError `E_INVALID_INPUT` on a negative, non-finite or non-integer input.
 */
export function thresholdQueue(input: ThresholdQueueInput): ThresholdQueueMetrics {
  const fn = 'thresholdQueue';
  if (!Number.isSafeInteger(input.agents) || input.agents < 0) invalid(fn, 'agents', 'a non-negative integer', input.agents);
  if (!Number.isSafeInteger(input.reserve) || input.reserve < 0 || input.reserve > input.agents) {
    invalid(fn, 'reserve', `an integer between 0 and agents (${input.agents})`, input.reserve);
  }
  assertNonNegative(fn, 'arrivalsPerSecond', input.arrivalsPerSecond);
  assertNonNegative(fn, 'handleSeconds', input.handleSeconds, true);
  assertNonNegative(fn, 'targetAnswerSeconds', input.targetAnswerSeconds);
  const patience = input.meanPatienceSeconds;
  if (Number.isNaN(patience) || patience <= 0) invalid(fn, 'meanPatienceSeconds', 'a number > 0 (Infinity: never hang up)', patience);
  return thresholdQueueUnchecked(input);
}

function invalid(fn: string, field: string, expected: string, got: number): never {
  throw new PacelineError('E_INVALID_INPUT', `${fn}: ${field}: expected ${expected}, got ${String(got)}`, {
    issues: [{ path: field, message: `expected ${expected}` }],
  });
}

/** {@link thresholdQueue} without validation. Internal. */
export function thresholdQueueUnchecked(input: ThresholdQueueInput): ThresholdQueueMetrics {
  const n = input.agents;
  const r = input.reserve;
  const lambda = input.arrivalsPerSecond;
  const mu = 1 / input.handleSeconds;
  const theta = Number.isFinite(input.meanPatienceSeconds) ? 1 / input.meanPatienceSeconds : 0;
  const t = input.targetAnswerSeconds;
  if (lambda === 0) return { serviceLevel: 1, abandonProbability: 0, asaSeconds: 0, meanIdleAgents: r };
  if (n === 0) return { serviceLevel: 0, abandonProbability: 1, asaSeconds: Number.POSITIVE_INFINITY, meanIdleAgents: 0 };
  if (theta === 0 && lambda >= n * mu) {
    return { serviceLevel: 0, abandonProbability: 0, asaSeconds: Number.POSITIVE_INFINITY, meanIdleAgents: 0 };
  }
  const logLambda = Math.log(lambda);

  // Idle states k = r … 1, then k = 0 (no idle, no queue): log weights relative to π_r.
  let logWeight = 0;
  let logIdleMass = r >= 1 ? 0 : Number.NEGATIVE_INFINITY; // Σ_{k≥1} π_k
  let logIdleAgents = r >= 1 ? Math.log(r) : Number.NEGATIVE_INFINITY; // Σ_{k≥1} k·π_k
  for (let k = r; k >= 1; k--) {
    logWeight += logLambda - Math.log((n - (k - 1)) * mu); // π_{k−1} from π_k
    if (k - 1 >= 1) {
      logIdleMass = logAddExp(logIdleMass, logWeight);
      logIdleAgents = logAddExp(logIdleAgents, logWeight + Math.log(k - 1));
    }
  }
  // logWeight is now ln(π_0/π_r). Queue states j = 0, 1, …: k = −j, every agent busy.
  const waiting = waitingRoom(n, mu, theta, t);
  let logQueueMass = Number.NEGATIVE_INFINITY;
  let logInTarget = Number.NEGATIVE_INFINITY;
  let logAbandon = Number.NEGATIVE_INFINITY;
  let logAnsweredWait = Number.NEGATIVE_INFINITY;
  let logAnswered = Number.NEGATIVE_INFINITY;
  let maxLogWeight = Math.max(0, logWeight);
  for (let j = 0; ; j++) {
    if (j > 0) logWeight += logLambda - Math.log(n * mu + j * theta); // π_{−j} from π_{−j+1}
    if (logWeight > maxLogWeight) maxLogWeight = logWeight;
    const caller = waiting.next();
    logQueueMass = logAddExp(logQueueMass, logWeight);
    logInTarget = logAddExp(logInTarget, logWeight + caller.logAnsweredInTarget);
    logAbandon = logAddExp(logAbandon, logWeight + caller.logAbandon);
    logAnswered = logAddExp(logAnswered, logWeight + caller.logAnswered);
    logAnsweredWait = logAddExp(logAnsweredWait, logWeight + caller.logAnswered + Math.log(caller.meanWaitIfAnswered));
    const ratio = lambda / (n * mu + (j + 1) * theta);
    if (ratio < 1 && logWeight - Math.log1p(-ratio) < maxLogWeight - LOG_TAIL_TOLERANCE) break;
    if (j >= MAX_QUEUE_STATES) break;
  }
  const logTotal = logAddExp(logIdleMass, logQueueMass);
  const answered = Math.exp(logAddExp(logIdleMass, logAnswered) - logTotal);
  return {
    serviceLevel: Math.min(1, Math.exp(logAddExp(logIdleMass, logInTarget) - logTotal)),
    abandonProbability: Math.exp(logAbandon - logTotal),
    asaSeconds: answered > 0 ? Math.exp(logAnsweredWait - logTotal) / answered : Number.POSITIVE_INFINITY,
    meanIdleAgents: Math.exp(logIdleAgents - logTotal),
  };
}

/** What happens to a caller who finds j callers queued and every agent busy. */
interface QueuedCaller {
  /** ln P(answered within the target time). */
  readonly logAnsweredInTarget: number;
  /** ln P(answered at all). */
  readonly logAnswered: number;
  /** ln P(hangs up first). */
  readonly logAbandon: number;
  /** Mean wait given answered, seconds. */
  readonly meanWaitIfAnswered: number;
}

/**
 * Callers finding j = 0, 1, 2, … queued, in turn. The caller leaves the queue after j + 1
 * "exits" ahead of it (completions at Nμ, hang-ups of those ahead), racing its own patience.
 */
function waitingRoom(n: number, mu: number, theta: number, t: number): { next(): QueuedCaller } {
  const service = n * mu;
  let j = -1;
  let harmonic = 0; // Σ_{k=1..j+1} 1/(Nμ + kθ): mean wait of a caller who stays
  if (theta > 0) {
    // Tilted wait: −θV' ~ ln Beta(α, j + 1), α = Nμ/θ + 1; I_x(α, b) by its positive recursion.
    const alpha = service / theta + 1;
    const logX = -theta * t;
    const logOneMinusX = t > 0 ? Math.log(-Math.expm1(logX)) : Number.NEGATIVE_INFINITY;
    let logIncompleteBeta = alpha * logX;
    let logIncrement = Math.log(alpha) + alpha * logX + logOneMinusX;
    return {
      next() {
        j++;
        if (j > 0) {
          logIncompleteBeta = Math.min(0, logAddExp(logIncompleteBeta, logIncrement));
          logIncrement += logOneMinusX + Math.log((alpha + j) / (j + 1));
        }
        const exit = service + (j + 1) * theta;
        harmonic += 1 / exit;
        const logStay = Math.log(service / exit);
        return {
          logAnsweredInTarget: logStay + Math.log(Math.max(0, -Math.expm1(logIncompleteBeta))),
          logAnswered: logStay,
          logAbandon: Math.log(((j + 1) * theta) / exit),
          meanWaitIfAnswered: harmonic,
        };
      },
    };
  }
  // Patient callers: the wait is Gamma(j + 1, Nμ); P(V ≤ t) = 1 − Σ_{i≤j} e^{−a} aⁱ/i!, a = Nμt.
  const a = service * t;
  let logTerm = -a; // ln(e^{−a} a^j / j!)
  let logCdfComplement = Number.NEGATIVE_INFINITY; // ln Σ_{i≤j} e^{−a} aⁱ/i!
  return {
    next() {
      j++;
      if (j > 0) logTerm += Math.log(a) - Math.log(j);
      logCdfComplement = Math.min(0, logAddExp(logCdfComplement, logTerm));
      harmonic += 1 / service;
      return {
        logAnsweredInTarget: Math.log(Math.max(0, -Math.expm1(logCdfComplement))),
        logAnswered: 0,
        logAbandon: Number.NEGATIVE_INFINITY,
        meanWaitIfAnswered: harmonic,
      };
    },
  };
}

/** Input of {@link reserveForServiceLevel}: the chain's inputs but the reserve, and the goal. */
export interface ReservationInput extends Omit<ThresholdQueueInput, 'reserve'> {
  /** Service level to reach, e.g. 0.85 (aim a little above an 80% target). */
  readonly serviceLevelGoal: number;
}

/** The reservation found by {@link reserveForServiceLevel}. */
export interface Reservation {
  /** Agents to keep idle for inbound (≤ agents). */
  readonly reserve: number;
  /** What the chain predicts with that reserve. */
  readonly metrics: ThresholdQueueMetrics;
  /** False when even reserving every agent misses the goal (then reserve = agents). */
  readonly meetsGoal: boolean;
}

/**
 * The smallest reserve r whose predicted inbound service level reaches the goal: the
 * threshold policy of Bhulai & Koole 2003. The service level grows with r, so r is found by
 * bisection over 0 … agents (O(log N) chain evaluations).
 */
export function reserveForServiceLevel(input: ReservationInput): Reservation {
  const goal = input.serviceLevelGoal;
  if (!(goal >= 0 && goal <= 1)) invalid('reserveForServiceLevel', 'serviceLevelGoal', 'a fraction between 0 and 1', goal);
  const at = (reserve: number) => thresholdQueue({ ...input, reserve });
  const none = at(0);
  if (none.serviceLevel >= goal) return { reserve: 0, metrics: none, meetsGoal: true };
  const all = at(input.agents);
  if (all.serviceLevel < goal) return { reserve: input.agents, metrics: all, meetsGoal: false };
  let lo = 0; // misses
  let hi = input.agents; // meets
  let best = all;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    const m = at(mid);
    if (m.serviceLevel >= goal) {
      hi = mid;
      best = m;
    } else lo = mid;
  }
  return { reserve: hi, metrics: best, meetsGoal: true };
}
