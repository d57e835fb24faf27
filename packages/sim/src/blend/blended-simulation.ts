import { type PacingOptions, seededRandom, VirtualClock } from '@paceline/core';
import type { BlendPolicyOptions } from '@paceline/pacing';
import { AgentRoster } from '../agent-roster';
import { createDistribution } from '../model/distribution';
import { OutcomeModel } from '../model/outcome-model';
import { PacingDialer } from '../pacing-dialer';
import { simulationOf } from '../scenario';
import {
  type BlendPolicyName,
  SIM_BLEND_DEFAULTS,
  SIM_BLEND_DEFER_MS,
  type SpreadTuning,
  staticSplitAgents,
  wirePolicy,
} from './blend-policies';
import { type BlendScenario, inboundRateAt } from './blend-scenario';
import { INTERVAL_MS, type InboundInterval, InboundQueue } from './inbound-queue';

/** One blended run. */
export interface BlendedRunOptions {
  readonly scenario: BlendScenario;
  /** Same seed, same options → the same result, bit for bit. */
  readonly seed: number;
  readonly policy: BlendPolicyName;
  /** Tuning of our blend policy (policy `blend`). */
  readonly blend?: Partial<BlendPolicyOptions>;
  /** Inbound-only agents of the static split (policy `static-split`). */
  readonly staticInboundAgents?: number;
  /** `inbound-first-capped`'s guard (fraction of the abandon target; default `INBOUND_FIRST_CAP_GUARD`). */
  readonly capGuard?: number;
  /** blend: shape the inbound rate by the scenario's plan, learning its level (default true). */
  readonly profileForecast?: boolean;
  /** blend: spread the abandon budget over the day (default true). */
  readonly abandonSpread?: boolean;
  /** blend: route a freeing agent by deadline, outbound grace against the inbound answer target (default true). */
  readonly deadlineRouting?: boolean;
  /** blend: the spread's learnt price and lift (ablations; default both on). */
  readonly spreadTuning?: SpreadTuning;
  /** blend: half-life of the plan's learnt level, ms (default the estimator's arrival half-life). */
  readonly levelHalfLifeMs?: number;
  /** issue-23 23-flowtab — blend (opt-in, default false): a talk/wrap-up table per contact flow in the outbound walk. */
  readonly workByFlow?: boolean;
  /**
   * issue-23 23-morning4, 23-router — blend (default `SIM_BLEND_DEFER_MS`, the shared `arrivalDeferMs`; 0: off): an arriving inbound
   * caller who finds a ready agent waits up to this long (and the answer target), ms, for the next agent to free while the
   * live answers about to connect claim every ready agent (`ArrivalDefer`; the dialer's `expectedLiveClaims`).
   */
  readonly inboundDeferMs?: number;
  /**
   * issue-23 23-router — blend, with `inboundDeferMs` (default the shared `arrivalDeferRoom`, 0; `'off'`: no room check): defer only while the
   * current interval's service level has room for the caller to miss (`hasRoom` in @paceline/pacing), with this
   * margin × (1 − target) of slack above the target.
   */
  readonly inboundDeferRoomMargin?: number | 'off';
}

/** One 30-minute interval of a blended run. */
export interface BlendedInterval extends InboundInterval {
  /** Start, hours from the run's start. */
  readonly startHour: number;
  /** The interval overlaps the scenario's inbound spike. */
  readonly inSpike: boolean;
  /** answeredInTarget / offered (1 with no calls offered). */
  readonly serviceLevel: number;
}

/** What a blended run measured (DESIGN.md definitions; inbound and outbound kept apart). */
export interface BlendedRunResult {
  readonly seed: number;
  readonly policy: BlendPolicyName;
  readonly intervals: readonly BlendedInterval[];
  readonly inbound: { offered: number; answered: number; answeredInTarget: number; abandoned: number; answeredWaitMs: number };
  /** issue-23 23-morning4: arriving inbound callers kept off a claimed ready agent (blend's deferral; 0 otherwise). */
  readonly inboundDeferred: number;
  readonly outbound: { dials: number; liveAnswers: number; abandoned: number; dailyRates: number[] };
  /** Agent time, ms, summed over agents. */
  readonly loggedInMs: number;
  readonly talkMs: number;
  readonly wrapMs: number;
  readonly inboundTalkMs: number;
  readonly inboundWrapMs: number;
  /** Agent time ready (idle), reserved for a call being connected, and not ready, ms. */
  readonly readyMs: number;
  readonly reservedMs: number;
  readonly notReadyMs: number;
  /** Of the ready time, the agent-ms the blend held idle for inbound (hidden from outbound; blend only). */
  readonly heldReadyMs: number;
  /** Mean agents reserved for inbound per decision (blend only; 0 otherwise). */
  readonly meanReserve: number;
  /** Inbound-only agents (static split only; 0 otherwise). */
  readonly staticInboundAgents: number;
  /** The blend's outbound forecast scale (learnt realised ÷ predicted abandons), mean over decisions (blend only; 1 otherwise). */
  readonly meanForecastScale: number;
}

/**
 * Run one blended day: the outbound campaign (the simulator's `PacingDialer` driving the
 * policy's pacer) and the inbound queue on the same agents and the same virtual clock. The
 * randomness is split per component (agents, trunk, inbound arrivals, inbound callers), so
 * every policy sees the same inbound callers for a seed, and a run replays exactly.
 */
export function runBlendedSimulation(options: BlendedRunOptions): BlendedRunResult {
  const { scenario, seed, policy } = options;
  let queue: InboundQueue | undefined;
  let dialer: PacingDialer | undefined;
  // issue-23 23-morning4, 23-router: the arrival deferral, by default the shared blend defaults' (the engine's router runs the same).
  const deferMs = policy === 'blend' ? (options.inboundDeferMs ?? SIM_BLEND_DEFER_MS) : 0;
  const roomMargin = options.inboundDeferRoomMargin ?? SIM_BLEND_DEFAULTS.arrivalDeferRoom;
  const deferRoom = roomMargin === 'off' ? undefined : roomMargin;
  const staticInboundAgents = policy === 'static-split' ? (options.staticInboundAgents ?? staticSplitAgents(scenario, 0.9)) : 0;
  const wiring = wirePolicy(policy, {
    scenario,
    queued: () => queue?.queued ?? 0,
    queuedWaitMs: (now) => queue?.queuedWaitMs(now) ?? [],
    ...(options.blend ? { blend: options.blend } : {}),
    staticInboundAgents,
    ...(options.capGuard !== undefined ? { capGuard: options.capGuard } : {}),
    ...(options.profileForecast !== undefined ? { profileForecast: options.profileForecast } : {}),
    ...(options.levelHalfLifeMs !== undefined ? { levelHalfLifeMs: options.levelHalfLifeMs } : {}),
    ...(options.abandonSpread !== undefined ? { abandonSpread: options.abandonSpread } : {}),
    ...(options.spreadTuning !== undefined ? { spreadTuning: options.spreadTuning } : {}),
    ...(options.deadlineRouting !== undefined ? { deadlineRouting: options.deadlineRouting } : {}),
    ...(options.workByFlow !== undefined ? { workByFlow: options.workByFlow } : {}),
    dayMs: scenario.durationHours * 3_600_000,
  });
  const sim = simulationOf(scenario, seed, wiring.pacer);
  const startAt = 0;
  const clock = new VirtualClock(startAt);
  const random = seededRandom(seed);
  const roster = new AgentRoster(clock, startAt, sim.shifts, random.split('agents'));
  const dialerRandom = random.split('trunk');
  queue = new InboundQueue({
    clock,
    startAt,
    startHour: scenario.startHour,
    durationMs: sim.durationMs,
    roster,
    arrivalsPerHour: (hour) => inboundRateAt(scenario.inbound, hour),
    patience: createDistribution(scenario.inbound.patience, 'scenario.inbound.patience'),
    talk: createDistribution(scenario.inbound.talk, 'scenario.inbound.talk'),
    targetAnswerMs: scenario.inbound.targetAnswerSeconds * 1000,
    arrivalRandom: random.split('inbound-arrivals'),
    callerRandom: random.split('inbound-callers'),
    ...(wiring.inboundEligible ? { eligible: wiring.inboundEligible } : {}),
    ...(wiring.observer ? { observer: wiring.observer } : {}),
    ...(wiring.routing ? { routing: wiring.routing } : {}),
    onWork: wiring.inboundWork,
    ...(deferMs > 0
      ? {
          defer: {
            maxMs: deferMs,
            claims: () => dialer?.expectedLiveClaims() ?? 0,
            roomMargin: deferRoom, // issue-23 23-router
            targetShare: scenario.inbound.serviceLevelTarget,
          },
        }
      : {}),
  });
  dialer = new PacingDialer({
    clock,
    startAt,
    startHour: scenario.startHour,
    roster,
    model: sim.model instanceof OutcomeModel ? sim.model : new OutcomeModel(sim.model),
    pacer: wiring.pacer,
    pacing: sim.pacing as PacingOptions,
    abandonWindowMs: sim.abandonWindowMs ?? 30 * 86_400_000,
    decisionIntervalMs: 1_000,
    random: dialerRandom,
    inbound: queue,
    ...(wiring.outboundEligible ? { outboundEligible: wiring.outboundEligible } : {}),
  });
  const end = startAt + sim.durationMs;
  dialer.start();
  queue.start();
  clock.advanceTo(end);
  dialer.stop();
  queue.stop();
  roster.close(end);

  const spike = scenario.inbound.spike;
  const intervals = queue.intervals.map((iv, i): BlendedInterval => {
    const from = scenario.startHour + (i * INTERVAL_MS) / 3_600_000;
    const to = from + INTERVAL_MS / 3_600_000;
    return {
      ...iv,
      startHour: (i * INTERVAL_MS) / 3_600_000,
      inSpike: spike !== undefined && from < spike.atHour + spike.hours && to > spike.atHour,
      serviceLevel: iv.offered > 0 ? iv.answeredInTarget / iv.offered : 1,
    };
  });
  const sum = (f: (iv: InboundInterval) => number) => queue.intervals.reduce((a, iv) => a + f(iv), 0);
  const t = roster.time;
  const c = dialer.counters;
  return {
    seed,
    policy,
    intervals,
    inbound: {
      offered: sum((iv) => iv.offered),
      answered: sum((iv) => iv.answered),
      answeredInTarget: sum((iv) => iv.answeredInTarget),
      abandoned: sum((iv) => iv.abandoned),
      answeredWaitMs: sum((iv) => iv.answeredWaitMs),
    },
    inboundDeferred: queue.deferred,
    outbound: {
      dials: c.dials,
      liveAnswers: c.liveAnswers,
      abandoned: c.abandoned,
      dailyRates: c.days.filter((d) => d.liveAnswers > 0).map((d) => d.abandoned / d.liveAnswers),
    },
    loggedInMs: t.ready + t.reserved + t.talk + t.wrap + t.notReady,
    talkMs: t.talk,
    wrapMs: t.wrap,
    inboundTalkMs: queue.work.talkMs,
    inboundWrapMs: queue.work.wrapMs,
    readyMs: t.ready,
    reservedMs: t.reserved,
    notReadyMs: t.notReady,
    heldReadyMs: wiring.holdStats.heldReadyMs + wiring.holdStats.lastHeldReady * Math.max(0, end - wiring.holdStats.lastAt),
    meanReserve: wiring.holdStats.decisions > 0 ? wiring.holdStats.reserveSum / wiring.holdStats.decisions : 0,
    staticInboundAgents,
    meanForecastScale: wiring.holdStats.decisions > 0 ? wiring.holdStats.forecastScaleSum / wiring.holdStats.decisions : 1,
  };
}
