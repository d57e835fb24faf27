import { AgentState } from '@paceline/core';
import {
  type AbandonSpreadOptions,
  BLEND_CALIBRATION,
  BLEND_DEMAND_DEFAULTS,
  type BlendPolicy,
  type BlendPolicyOptions,
  createBlendPolicy,
  createCampaignPacer,
  createPacer,
  erlangA,
  ForecastCalibration,
  type InboundDemand,
  withInboundDemand,
} from '@paceline/pacing';
import type { SimAgent } from '../agent-roster';
import { createDistribution } from '../model/distribution';
import type { SimPacer } from '../pacing-dialer';
import { type BlendScenario, inboundForecastAt } from './blend-scenario';
import type { InboundObserver, InboundRoutingOrder } from './inbound-queue';

/**
 * The blending policies the simulator compares:
 * - `blend`: ours — the predictive pacer behind `createBlendPolicy` (reserve + queued agents
 *   hidden from outbound, the reserve sized online by the threshold chain);
 * - `inbound-first`: VICIdial-style blended agents — inbound has routing priority and outbound
 *   dials only for agents idle now (one line per ready agent, progressive);
 * - `inbound-first-capped`: inbound-first that keeps the abandon cap — one ready agent fewer is
 *   dialled for while the measured abandon rate is near the target (the fair, compliant baseline);
 * - `static-split`: a fixed set of agents takes only inbound, the rest only outbound (predictive).
 */
export type BlendPolicyName = 'blend' | 'inbound-first' | 'inbound-first-capped' | 'static-split';

/** Every policy name, in report order. */
export const BLEND_POLICY_NAMES: readonly BlendPolicyName[] = ['blend', 'inbound-first', 'inbound-first-capped', 'static-split'];

/**
 * `inbound-first-capped`'s guard: while the campaign's measured abandon rate is at or above
 * this fraction of the target, one ready agent is left undialled for (VICIdial's
 * adaptive "hard limit" idea at dial level 1). Chosen on seeds 101+ of the tuning scenarios as
 * the loosest guard whose daily p95 stays within the cap (docs/blending.md).
 */
export const INBOUND_FIRST_CAP_GUARD = 1;

/**
 * Our blend's settings in the simulator (issue 23, fourth session; docs/blending.md): inbound
 * as demand in the predictive walk (queued callers and Poisson arrivals take the agents freeing
 * up before outbound does), with the reserve's ready agents counted behind them (an outbound
 * caller finding no other agent takes one, as the router allows). The reserve stays sized for
 * goal 0.9. Chosen on seeds 101–104 of `blend-20-heavy`. Sixth session: `heldBusyFree`, the
 * busy agents the hold hides free in the walk behind inbound (seeds 101–120 of `blend-20-heavy`).
 * Options passed to the run override them.
 */
export const SIM_BLEND_DEFAULTS: Readonly<Partial<BlendPolicyOptions>> = BLEND_DEMAND_DEFAULTS; // issue-23 23-wire2: shared with the engine

/**
 * The blend's forecast calibration (fifth session): 10 pseudo-abandons of prior and a
 * 100-abandon half-life instead of the pacing defaults' 100 / 400. A blended campaign on 20
 * agents abandons only ~40 calls a day; with the defaults' prior the scale moves a few percent
 * a day, while the inbound-aware walk with `busy-first` over-predicts its abandons 2–3-fold
 * (docs/blending.md). Chosen on seeds 101–112 of `blend-20-heavy`.
 */
export const SIM_BLEND_CALIBRATION = BLEND_CALIBRATION; // issue-23 23-wire2: shared with the engine

/**
 * issue-23 23-morning4, 23-router (docs/blending.md "Fifteenth session"): the blend's arrival deferral
 * window, ms — the shared default (`BLEND_DEMAND_DEFAULTS.arrivalDeferMs`, 60 s: the rule caps it at the
 * answer target), with the service-level room check (`arrivalDeferRoom` 0). An arriving inbound caller
 * is kept off a ready agent while the live answers about to connect (callers waiting, calls in their
 * greeting) claim every ready agent; the engine's router runs the same rule. `runBlendedSimulation({
 * inboundDeferMs: 0 })` / `bench:blend --defer-ms 0`: off. The baselines never defer.
 */
export const SIM_BLEND_DEFER_MS: number = SIM_BLEND_DEFAULTS.arrivalDeferMs ?? 0;

/** How one policy plugs into the simulator. */
export interface BlendWiring {
  /** The outbound pacer seam the dialer drives. */
  readonly pacer: SimPacer;
  /** What the inbound queue reports (the blend policy learns from it). */
  readonly observer?: InboundObserver;
  /** Agents that may take inbound calls (default all). */
  readonly inboundEligible?: (agent: SimAgent) => boolean;
  /** Agents that may take outbound calls (default all). */
  readonly outboundEligible?: (agent: SimAgent) => boolean;
  /** Who a freeing agent serves first when both flows wait (default `inbound-first`). */
  readonly routing?: InboundRoutingOrder;

  /** A finished inbound call's work (the outbound pacer learns the busy agents' work mix where they share agents). */
  readonly inboundWork: (talkMs: number, wrapMs: number) => void;
  /**
   * Agents held for inbound at each decision, summed (blend only), and decisions; and the
   * ready agents the blend hid from outbound, time-weighted between decisions (agent-ms).
   */
  readonly holdStats: HoldStats;
}

/** What the blend's hold cost: see {@link BlendWiring.holdStats}. */
export interface HoldStats {
  decisions: number;
  reserveSum: number;
  /** Agent-ms ready and flagged `leaving` by the blend (the reserve held idle). */
  heldReadyMs: number;
  lastAt: number;
  lastHeldReady: number;
  /** The outbound pacer's learnt forecast scale (realised ÷ predicted abandons), summed over decisions (blend only). */
  forecastScaleSum: number;
}

/** Options of {@link wirePolicy}. */
export interface WirePolicyOptions {
  readonly scenario: BlendScenario;
  /** Callers waiting in the inbound queue now. */
  readonly queued: () => number;
  /** issue-23 23-peak: how long each queued caller has waited at `now`, ms (the blend's deadline walk). */
  readonly queuedWaitMs?: (now: number) => readonly number[];
  /** The blend policy's tuning (blend only). */
  readonly blend?: Partial<BlendPolicyOptions>;
  /** Inbound-only agents of the static split (default {@link staticSplitAgents} at goal 0.9). */
  readonly staticInboundAgents?: number;
  /** `inbound-first-capped`: its guard (default {@link INBOUND_FIRST_CAP_GUARD}). */
  readonly capGuard?: number;
  /** blend: shape the inbound rate by the scenario's plan (`forecastPerHour`), learning its level (default true). */
  readonly profileForecast?: boolean;
  /** blend: half-life of the plan's learnt level, ms (default the estimator's). */
  readonly levelHalfLifeMs?: number;
  /** blend: spread the abandon budget over the day instead of falling back early (`spreadAbandonRate`; default true). */
  readonly abandonSpread?: boolean;
  /** The day's length, ms (the span the abandon spread steers). */
  readonly dayMs?: number;
  /**
   * blend: route a freeing agent by deadline — an outbound live caller inside its 2-s grace before
   * an inbound caller who still has longer than that to the answer target (default true).
   */
  readonly deadlineRouting?: boolean;
  /** blend: the spread's learnt price and lift (default both on; `AbandonSpreadOptions`). */
  readonly spreadTuning?: SpreadTuning;
  /**
   * issue-23 23-flowtab — blend (opt-in, default false): the outbound pacer's estimators keep a
   * talk/wrap-up table per contact flow and its walk reads each busy agent's own flow's table
   * (`PacingEstimatorsOptions.workByFlow`, `ObservedAgent.flow`).
   */
  readonly workByFlow?: boolean;
}

/** blend: which parts of the abandon spread run (ablations; default all). */
export type SpreadTuning = Partial<Pick<AbandonSpreadOptions, 'learntPrice' | 'liftAlways'>>;

/** Wire a policy: its outbound pacer, routing restrictions and what it observes. */
export function wirePolicy(policy: BlendPolicyName, options: WirePolicyOptions): BlendWiring {
  const holdStats: HoldStats = { decisions: 0, reserveSum: 0, heldReadyMs: 0, lastAt: 0, lastHeldReady: 0, forecastScaleSum: 0 };
  const { scenario } = options;
  switch (policy) {
    case 'blend': {
      // With inboundModel `demand` the predictive walk also sees the inbound callers (set per decision).
      let demand: InboundDemand | undefined;
      const outbound = createCampaignPacer(
        { dialMode: 'predictive' },
        {
          // The abandon budget is spread over the day (eighth session): the daily rate is what the p95 target measures.
          pacer: withInboundDemand(
            createPacer('predictive'),
            () => demand,
            options.abandonSpread === false || options.dayMs === undefined
              ? {}
              : { spread: { startMs: 0, endMs: options.dayMs, ...options.spreadTuning } },
          ),
          calibration: new ForecastCalibration(SIM_BLEND_CALIBRATION.priorAbandons, SIM_BLEND_CALIBRATION.halfLifeAbandons),
          ...(options.workByFlow === true ? { estimators: { workByFlow: true } } : {}), // issue-23 23-flowtab
        },
      );
      const blend: BlendPolicy = createBlendPolicy(
        {
          serviceLevelTarget: scenario.inbound.serviceLevelTarget,
          targetAnswerSeconds: scenario.inbound.targetAnswerSeconds,
          ...SIM_BLEND_DEFAULTS,
          ...options.blend,
        },
        // The day's plan (time-of-day profile) shapes the rate, its level is learnt (seventh session);
        // the plain estimate's prior is the plan's opening hour.
        {
          priorArrivalsPerSecond: inboundForecastAt(scenario.inbound, scenario.startHour) / 3600,
          ...(options.profileForecast === false
            ? {}
            : { forecast: (at: number) => inboundForecastAt(scenario.inbound, scenario.startHour + at / 3_600_000) / 3600 }),
          ...(options.levelHalfLifeMs !== undefined ? { levelHalfLifeMs: options.levelHalfLifeMs } : {}),
        },
      );
      return {
        holdStats,
        routing: options.deadlineRouting === false ? 'inbound-first' : 'deadline',
        pacer: {
          decide(observation) {
            const b = blend.decide({
              now: observation.now,
              agents: observation.agents,
              queuedInbound: options.queued(),
              ...(options.queuedWaitMs !== undefined && blend.options.walkRouting === 'deadline'
                ? { queuedWaitMs: options.queuedWaitMs(observation.now) }
                : {}),
            });
            holdStats.decisions++;
            holdStats.reserveSum += b.reserve;
            holdStats.heldReadyMs += holdStats.lastHeldReady * Math.max(0, observation.now - holdStats.lastAt);
            holdStats.lastAt = observation.now;
            holdStats.lastHeldReady = heldReady(observation.agents, b.outboundAgents);
            demand = b.inboundDemand;
            holdStats.forecastScaleSum += outbound.forecastScale?.() ?? 1;
            return outbound.decide({ ...observation, agents: b.outboundAgents });
          },
          observeOutcome: (outcome) => outbound.observeOutcome(outcome),
          observeWork(work) {
            outbound.observeWork(work);
            blend.observeWork('outbound', (work.talkMs ?? 0) + (work.wrapMs ?? 0));
          },
        },
        // Inbound work teaches the outbound pacer when busy agents free; the blend learns it as inbound, via the observer.
        inboundWork: (talkMs, wrapMs) => outbound.observeWork({ talkMs, wrapMs, flow: 'inbound' }),
        observer: {
          arrival: (at) => blend.observeArrival(at),
          answered: (waitMs) => blend.observeAnswered(waitMs),
          abandoned: (waitMs) => blend.observeAbandon(waitMs),
          work: (handleMs) => blend.observeWork('inbound', handleMs),
        },
      };
    }
    case 'inbound-first': {
      const outbound = createCampaignPacer({ dialMode: 'progressive' });
      return { holdStats, pacer: outbound, inboundWork: (talkMs, wrapMs) => outbound.observeWork({ talkMs, wrapMs }) };
    }
    case 'inbound-first-capped': {
      // inbound-first, kept within the abandon cap: while the measured rate is ≥ guard × target,
      // dial for one ready agent fewer (that agent is left for inbound, which otherwise takes the
      // agent an answered outbound call was dialled for).
      const outbound = createCampaignPacer({ dialMode: 'progressive' });
      const guard = options.capGuard ?? INBOUND_FIRST_CAP_GUARD;
      return {
        holdStats,
        inboundWork: (talkMs, wrapMs) => outbound.observeWork({ talkMs, wrapMs }),
        pacer: {
          decide(observation) {
            const d = outbound.decide(observation);
            const rate = observation.liveAnswers > 0 ? observation.abandoned / observation.liveAnswers : 0;
            if (rate < guard * observation.campaign.pacing.abandonTarget || d.launch === 0) return d;
            let ready = 0;
            for (const a of observation.agents) if (a.state === AgentState.Ready && a.leaving !== true) ready++;
            const launch = Math.max(0, ready - 1 - observation.calls.length);
            return { ...d, launch: Math.min(d.launch, launch), reason: 'abandon-guard' };
          },
          observeOutcome: (outcome) => outbound.observeOutcome(outcome),
          observeWork: (work) => outbound.observeWork(work),
        },
      };
    }
    case 'static-split': {
      const inboundAgents = options.staticInboundAgents ?? staticSplitAgents(scenario, 0.9);
      const isInbound = (agent: SimAgent) => agentNumber(agent) <= inboundAgents;
      const outbound = createCampaignPacer({ dialMode: 'predictive' });
      return {
        holdStats,
        // The outbound agents never take inbound calls: nothing to learn from them.
        inboundWork: () => {},
        inboundEligible: isInbound,
        outboundEligible: (agent) => !isInbound(agent),
        pacer: {
          decide: (observation) => outbound.decide({ ...observation, agents: observation.agents.filter((a) => !isInbound(a as SimAgent)) }),
          observeOutcome: (outcome) => outbound.observeOutcome(outcome),
          observeWork: (work) => outbound.observeWork(work),
        },
      };
    }
  }
}

/** Ready agents the blend flagged `leaving` (not already leaving on their own). */
function heldReady(before: readonly { leaving?: boolean }[], after: readonly { state: AgentState; leaving?: boolean }[]): number {
  let held = 0;
  for (let i = 0; i < after.length; i++)
    if (after[i]?.state === AgentState.Ready && after[i]?.leaving === true && before[i]?.leaving !== true) held++;
  return held;
}

/** The roster names agents a1, a2, … in shift order. */
function agentNumber(agent: SimAgent): number {
  return Number(agent.id.slice(1));
}

/**
 * The static split's inbound agents: the fewest whose Erlang A service level reaches `goal` in
 * the busiest hour of the day outside the spike (a static split is staffed for its peak), with
 * the scenario's mean talk + wrap-up, mean patience and answer time.
 */
export function staticSplitAgents(scenario: BlendScenario, goal: number): number {
  const inbound = scenario.inbound;
  const wrapMs = createDistribution(scenario.shifts[0]?.wrap ?? { kind: 'constant', valueMs: 0 }).meanMs;
  const ahtSeconds = (createDistribution(inbound.talk).meanMs + wrapMs) / 1000;
  const patience = createDistribution(inbound.patience).meanMs / 1000;
  let peak = 0;
  for (let h = scenario.startHour; h < scenario.startHour + scenario.durationHours; h++) {
    peak = Math.max(peak, inbound.arrivalsPerHour[h % 24] ?? 0);
  }
  const load = (peak * ahtSeconds) / 3600;
  const total = scenario.shifts.reduce((a, s) => a + s.count, 0);
  for (let agents = 1; agents < total; agents++) {
    const m = erlangA({
      agents,
      offeredLoadErlangs: load,
      ahtSeconds,
      meanPatienceSeconds: patience,
      targetAnswerSeconds: inbound.targetAnswerSeconds,
    });
    if (m.serviceLevel >= goal) return agents;
  }
  return total - 1;
}
