import { AgentState, createParser } from '@paceline/core';
import Type, { type Static } from 'typebox';
import type { ObservedAgent } from '../pacer';
import { InboundEstimator, type InboundEstimatorOptions } from './inbound-estimator';
import type { InboundDemand } from './inbound-launch-risk';
import { agentsAtWork, type HoldOrder, outboundView } from './outbound-view';
import { type Reservation, reserveForServiceLevel, type ThresholdQueueMetrics } from './threshold-queue';

/** Tuning of the blend policy; every field has a default. */
export const BlendPolicyOptionsSchema = Type.Object(
  {
    /** The inbound service-level target: this fraction answered within `targetAnswerSeconds`. */
    serviceLevelTarget: Type.Number({ minimum: 0, maximum: 1, default: 0.8, expected: 'a fraction between 0 and 1' }),
    /** The answer time of the service level, s (e.g. 20 for "80% in 20 s"). */
    targetAnswerSeconds: Type.Number({ minimum: 0, default: 20, expected: 'a number of seconds ≥ 0' }),
    /**
     * The service level the reserve is sized for, above the target: a 30-minute interval holds
     * only a few dozen calls, so its measured level scatters around the mean by several points.
     */
    serviceLevelGoal: Type.Number({ minimum: 0, maximum: 1, default: 0.9, expected: 'a fraction between 0 and 1' }),
    /** Plan on the arrival rate's upper bound λ̂ + z·√(λ̂/exposure): z standard errors (0: the mean). */
    rateConfidenceZ: Type.Number({ minimum: 0, maximum: 5, default: 1, expected: 'a number between 0 and 5' }),
    /** Patience estimates are capped here, s (a queue that never abandons is planned as if callers wait this long). */
    maxPatienceSeconds: Type.Number({ exclusiveMinimum: 0, default: 1800, expected: 'a positive number of seconds' }),
    /**
     * Re-size the reserve at most this often, ms, unless the agents at work changed (the engine
     * may ask after every event; the estimates barely move within a second). 0: every call.
     */
    recomputeEveryMs: Type.Number({ minimum: 0, default: 1000, expected: 'a number of ms ≥ 0' }),
    /**
     * Which agents carry the hold in the outbound pacer's view (see {@link HoldOrder}):
     * `ready-first` hides the idle agents (the reserve stays idle), `busy-first` the agents
     * freeing soonest (the idle ones are dialled for and double as the inbound reserve).
     */
    holdOrder: Type.Union([Type.Literal('ready-first'), Type.Literal('busy-first')], {
      default: 'ready-first',
      expected: '"ready-first" or "busy-first"',
    }),
    /**
     * How the outbound pacer sees inbound (issue 23). `hold`: r + (callers queued) agents are
     * flagged `leaving` (certain demand, never supply). `demand`: only the reserve r is flagged;
     * the callers queued and the Poisson arrivals at the estimated rate over the look-ahead
     * go into the predictive walk as demand that takes the agents freeing up before outbound
     * live answers do (`InboundLaunchRisk`), so outbound may launch into agents about to free.
     * Use `demand` only where the outbound pacer gets `decision.inboundDemand` (wrap it with
     * `withInboundDemand`): a host that passes `outboundAgents` alone (the engine's inbound
     * blend today) would then hold no agents for the callers queued.
     */
    inboundModel: Type.Union([Type.Literal('hold'), Type.Literal('demand')], {
      default: 'hold',
      expected: '"hold" or "demand"',
    }),
    /**
     * `demand` only: the reserve's ready agents count in the walk as idle behind the inbound
     * callers (`InboundDemand.reserveIdle`): an outbound live caller who finds no other agent
     * takes one, as the router allows. False: the walk leaves them out (conservative).
     */
    reserveCatchesOverflow: Type.Boolean({ default: false, expected: 'true or false' }),
    /**
     * `demand` only: the busy agents held for inbound (`holdOrder` `busy-first`) free up in the
     * walk as supply behind the inbound callers (`InboundDemand.heldBusy`), at the model's
     * completion law for their state. They are what serves the inbound arrivals the walk already counts as demand; left
     * out, inbound is counted twice (the agents hidden and the callers taking other agents).
     * False: the walk leaves them out (conservative).
     */
    heldBusyFree: Type.Boolean({ default: false, expected: 'true or false' }),
    /**
     * issue-23 23-peak — `demand` only: the order the walk gives a freeing agent between the
     * waiting inbound callers and the step's outbound live answers (`InboundDemand.routing`).
     * `inbound-first`: inbound always (conservative). `deadline`: the router's deadline rule —
     * inbound first only in the steps where a waiting caller's answer target may come before the
     * outbound caller's grace ends (`inboundFirstSteps`); pass `queuedWaitMs` in the observation,
     * or every step stays inbound first while callers are queued. For a router that routes by deadline.
     */
    walkRouting: Type.Union([Type.Literal('inbound-first'), Type.Literal('deadline')], {
      default: 'inbound-first',
      expected: '"inbound-first" or "deadline"',
    }),
    /**
     * issue-23 23-router — the router's arrival deferral (`arrivalDeferMs`, arrival-defer.ts): an
     * arriving inbound caller is kept off a ready agent while the outbound live answers in their
     * greeting (and those waiting) claim every ready agent, at most this long, ms. 0: off.
     */
    arrivalDeferMs: Type.Number({ minimum: 0, default: 0, expected: 'a number of ms ≥ 0' }),
    /**
     * issue-23 23-router — with `arrivalDeferMs`: defer only while the queue's current 30-minute
     * interval has service-level room for the caller to miss (`hasRoom`), this share of
     * (1 − target) above the target. Absent or `'off'`: no room check.
     */
    arrivalDeferRoom: Type.Optional(
      Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Literal('off')], { expected: 'a fraction between 0 and 1, or "off"' }),
    ),
  },
  { additionalProperties: false, default: {} },
);

/** Tuning of the blend policy. */
export type BlendPolicyOptions = Static<typeof BlendPolicyOptionsSchema>;

/** Parse blend options (defaults applied); throws `E_INVALID_CONFIG` naming the field. */
export const parseBlendPolicyOptions = createParser<BlendPolicyOptions>(BlendPolicyOptionsSchema, {
  code: 'E_INVALID_CONFIG',
  root: 'blend',
});

/** What the blend observes at one pacing tick. */
export interface BlendObservation {
  /** Epoch ms. */
  readonly now: number;
  /** Every agent serving the blend (the same list the outbound pacer would get). */
  readonly agents: readonly ObservedAgent[];
  /** Inbound callers waiting in the queue now (not yet offered to an agent). */
  readonly queuedInbound: number;
  /**
   * issue-23 23-dist: this node's share of the queue's serving agents (0–1), when the estimator
   * learns the whole pool's arrivals (distributed mode): the reserve is sized for that share of
   * the arrival rate. Absent: the whole rate (one node; unchanged).
   */
  readonly arrivalShare?: number;
  /** issue-23 23-peak: how long each queued caller has waited, ms (`walkRouting` `deadline`). */
  readonly queuedWaitMs?: readonly number[];
}

/** The blend's decision for one tick. */
export interface BlendDecision {
  /** Agents kept idle for inbound (the threshold r). */
  readonly reserve: number;
  /**
   * Agents flagged `leaving` for the outbound pacer: reserve + queued callers (`inboundModel`
   * `hold`) or the reserve alone (`demand`), capped at the agents at work.
   */
  readonly hold: number;
  /**
   * `inboundModel` `demand` only: the inbound demand to hand the outbound pacer with the agents
   * (`withInboundDemand`), the queued callers and the estimated arrival rate.
   */
  readonly inboundDemand?: InboundDemand;
  /** The agents to pass to the outbound pacer: `hold` of them flagged `leaving`. */
  readonly outboundAgents: readonly ObservedAgent[];
  /** What the threshold chain predicts with this reserve. */
  readonly predicted: ThresholdQueueMetrics;
  /** The inputs, for the engine's pacing-decision event and dashboards. */
  readonly inputs: Readonly<Record<string, number | string | boolean>>;
}

/**
 * The blend policy of one pool of agents serving an inbound queue and outbound campaigns.
 * Feed it what the queue and the agents do (`observe*`), call `decide` at every pacing tick,
 * and pass `decision.outboundAgents` to the outbound pacer instead of the agents.
 */
export interface BlendPolicy {
  readonly options: BlendPolicyOptions;
  readonly estimator: InboundEstimator;
  /** An inbound call arrived (epoch ms). */
  observeArrival(at: number): void;
  /** A queued inbound caller reached an agent after `waitMs`. */
  observeAnswered(waitMs: number): void;
  /** A queued inbound caller hung up after `waitMs`. */
  observeAbandon(waitMs: number): void;
  /** A piece of agent work finished: talk + wrap-up, ms. */
  observeWork(kind: 'inbound' | 'outbound', handleMs: number): void;
  /** How many agents to keep for inbound now, and the agents the outbound pacer should see. */
  decide(observation: BlendObservation): BlendDecision;
}

/**
 * The blend policy (see `docs/blending.md`): a threshold (reservation) policy in the style of
 * Bhulai & Koole 2003, recomputed every tick from the online estimates. It keeps the smallest
 * number r of agents idle whose predicted inbound service level — the threshold chain of
 * {@link thresholdQueue}, with impatient callers (Erlang A) — reaches `serviceLevelGoal` at the
 * upper bound of the estimated arrival rate. The outbound pacer then sees r + (queued callers)
 * agents as not available, so it dials only for the others and its abandon bound accounts for
 * the agents inbound is about to take.
 */
export function createBlendPolicy(
  options: Partial<BlendPolicyOptions> = {},
  estimatorOptions: Partial<InboundEstimatorOptions> = {},
): BlendPolicy {
  const o = parseBlendPolicyOptions(options);
  const estimator = new InboundEstimator(estimatorOptions);
  let sized:
    | { at: number; agents: number; reservation: Reservation; arrivalsPerSecond: number; inputs: Record<string, number | boolean> }
    | undefined;
  let sizedShare: number | undefined; // issue-23 23-dist: the share the cached size was computed for
  const size = (now: number, agents: number, share?: number) => {
    if (sized !== undefined && sized.agents === agents && sizedShare === share && now >= sized.at && now - sized.at < o.recomputeEveryMs)
      return sized;
    sizedShare = share;
    const learnt = estimator.arrivalRate(now, o.rateConfidenceZ);
    // issue-23 23-dist: with a share, this node's part of the pool's rate (no arithmetic without one).
    const rate = share === undefined ? learnt : { mean: learnt.mean * share, upper: learnt.upper * share };
    const lambda = rate.upper;
    const inboundHandle = estimator.inboundHandleSeconds;
    const handle = mixedHandleSeconds(agents, lambda, inboundHandle, estimator.outboundHandleSeconds);
    const patience = Math.min(o.maxPatienceSeconds, estimator.meanPatienceSeconds);
    const reservation = reserveForServiceLevel({
      agents,
      arrivalsPerSecond: lambda,
      handleSeconds: handle,
      meanPatienceSeconds: patience,
      targetAnswerSeconds: o.targetAnswerSeconds,
      serviceLevelGoal: o.serviceLevelGoal,
    });
    sized = {
      at: now,
      agents,
      reservation,
      arrivalsPerSecond: rate.mean,
      inputs: {
        arrivalsPerHour: rate.mean * 3600,
        plannedArrivalsPerHour: lambda * 3600,
        inboundHandleSeconds: inboundHandle,
        handleSeconds: handle,
        meanPatienceSeconds: patience,
        predictedServiceLevel: reservation.metrics.serviceLevel,
        meetsGoal: reservation.meetsGoal,
      },
    };
    return sized;
  };
  return {
    options: o,
    estimator,
    observeArrival: (at) => estimator.observeArrival(at),
    observeAnswered: (waitMs) => estimator.observeAnswered(waitMs),
    observeAbandon: (waitMs) => estimator.observeAbandon(waitMs),
    observeWork: (kind, handleMs) => estimator.observeWork(kind, handleMs),
    decide(observation) {
      const agents = agentsAtWork(observation.agents);
      const { reservation, inputs, arrivalsPerSecond } = size(observation.now, agents, observation.arrivalShare);
      const queued = Math.max(0, Math.floor(observation.queuedInbound));
      const asDemand = o.inboundModel === 'demand';
      const hold = Math.min(agents, reservation.reserve + (asDemand ? 0 : queued));
      const view = outboundView(observation.agents, hold, o.holdOrder as HoldOrder);
      return {
        reserve: reservation.reserve,
        hold,
        ...(asDemand
          ? {
              inboundDemand: {
                arrivalsPerSecond,
                queued,
                ...(o.reserveCatchesOverflow ? { reserveIdle: heldReady(observation.agents, view) } : {}),
                ...(o.heldBusyFree ? { heldBusy: heldBusy(observation.agents, view) } : {}),
                ...(o.walkRouting === 'deadline'
                  ? {
                      routing: 'deadline' as const,
                      answerTargetMs: o.targetAnswerSeconds * 1000,
                      ...(observation.queuedWaitMs !== undefined ? { queuedWaitMs: observation.queuedWaitMs } : {}),
                    }
                  : {}),
              },
            }
          : {}),
        outboundAgents: view,
        predicted: reservation.metrics,
        inputs: {
          agents,
          queuedInbound: queued,
          reserve: reservation.reserve,
          hold,
          ...inputs,
        },
      };
    },
  };
}

/**
 * The mean handle time of a busy agent in the mix: inbound keeps about λ·h_in agents busy (at
 * most all of them), outbound the rest; completions come at (busy_in/h_in + busy_out/h_out).
 */
export function mixedHandleSeconds(agents: number, arrivalsPerSecond: number, inboundSeconds: number, outboundSeconds: number): number {
  if (agents <= 0) return inboundSeconds;
  const inboundBusy = Math.min(agents, arrivalsPerSecond * inboundSeconds);
  const outboundBusy = agents - inboundBusy;
  return agents / (inboundBusy / inboundSeconds + outboundBusy / outboundSeconds);
}

/** Ready agents the view flags `leaving` that were not leaving on their own (the reserve held idle). */
function heldReady(agents: readonly ObservedAgent[], view: readonly ObservedAgent[]): number {
  let held = 0;
  for (let i = 0; i < view.length; i++)
    if (view[i]?.state === AgentState.Ready && view[i]?.leaving === true && agents[i]?.leaving !== true) held++;
  return held;
}

/** Busy agents (reserved, on a call, in wrap-up) the view flags `leaving` that were not leaving on their own, as they are. */
function heldBusy(agents: readonly ObservedAgent[], view: readonly ObservedAgent[]): ObservedAgent[] {
  const held: ObservedAgent[] = [];
  for (let i = 0; i < view.length; i++) {
    const state = view[i]?.state;
    const busy = state === AgentState.OnCall || state === AgentState.WrapUp || state === AgentState.Reserved;
    const agent = agents[i];
    if (busy && agent !== undefined && view[i]?.leaving === true && agent.leaving !== true) held.push(agent);
  }
  return held;
}
