// bench:engine-blend (issue 23, 23-bench): one of bench:blend's scenarios (bench/scenarios/blend/) as one engine day —
// createDialer over trunk-sim on the virtual clock (packages/engine/test/inbound/blend-run.ts) — and what the day
// measured, counted from the dialer's events with bench:blend's definitions (bench/blend.ts `aggregate`).
import type { BlendScenario } from '@paceline/sim';
import { staticSplitAgents } from '@paceline/sim';
import { type BlendRunOptions, HOUR, NY_MIDNIGHT, runBlendDay } from '../../packages/engine/test/inbound/blend-run';

/**
 * The engine's policies: `demand` (the engine's default blend, ours), `hold` (its older model),
 * `inbound-first` (outbound only for idle agents: a progressive campaign, no reserve, queued callers
 * held — VICIdial-style), `static-split` (bench:blend's inbound-only group, sized by Erlang A at goal
 * 0.9, the rest on a predictive campaign without the queue's skill).
 */
export type EnginePolicy = 'demand' | 'hold' | 'inbound-first' | 'static-split';
export const ENGINE_POLICIES: readonly EnginePolicy[] = ['demand', 'hold', 'inbound-first', 'static-split'];

/** The service-level interval, ms (bench:blend's and the manuals' 30 minutes). */
export const INTERVAL_MS = 30 * 60_000;

type Duration = NonNullable<BlendRunOptions['inboundHandle']>;
type ScenarioDistribution = BlendScenario['inbound']['talk'];

/** A scenario distribution as the sim trunk's law (lognormal by mean and cv → median and σ). */
export function simDuration(d: ScenarioDistribution, where: string): Duration {
  const spec = d as { kind: string; meanMs?: number; cv?: number; valueMs?: number };
  if (spec.kind === 'exponential' && spec.meanMs !== undefined) return { kind: 'exponential', meanMs: spec.meanMs };
  if (spec.kind === 'constant' && spec.valueMs !== undefined) return { kind: 'fixed', ms: spec.valueMs };
  if (spec.kind === 'lognormal' && spec.meanMs !== undefined && spec.cv !== undefined) {
    const s2 = Math.log(1 + spec.cv * spec.cv);
    return { kind: 'lognormal', medianMs: spec.meanMs / Math.exp(s2 / 2), sigma: Math.sqrt(s2) };
  }
  throw new Error(`bench:engine-blend: ${where}: the engine bench cannot express a ${spec.kind} distribution`);
}

const meanOf = (d: ScenarioDistribution | undefined, fallback: number): number => {
  const spec = d as { kind: string; meanMs?: number; valueMs?: number } | undefined;
  return spec?.meanMs ?? spec?.valueMs ?? fallback;
};

/** One 30-minute interval's inbound counts, by the caller's queue entry. */
export interface EngineInterval {
  offered: number;
  answered: number;
  answeredInTarget: number;
  abandoned: number;
  answeredWaitMs: number;
  inSpike: boolean;
  /** Time some caller waited in the queue, ms, and of it the time some agent with the queue's skill was ready (kept from the caller: the router rule). */
  waitingMs: number;
  waitingWithReadyMs: number;
}

/** What one engine day measured. */
export interface EngineDay {
  readonly scenario: string;
  readonly policy: EnginePolicy;
  readonly seed: number;
  readonly intervals: readonly EngineInterval[];
  readonly outbound: { dials: number; liveAnswers: number; abandoned: number };
  /** Agent time by state, ms summed over agents, from `agentStateChanged` (on-call and wrap-up split by flow). */
  readonly time: {
    loggedIn: number;
    ready: number;
    reserved: number;
    notReady: number;
    outboundTalk: number;
    outboundWrap: number;
    inboundTalk: number;
    inboundWrap: number;
  };
  readonly staticInboundAgents: number;
  /** Pacing decisions by reason (e.g. `day-guard`). */
  readonly reasons: Record<string, number>;
  /** Wall-clock time of the run, ms (cost; not a result). */
  readonly wallMs: number;
}

/** Run `scenario` through the engine for one day with `policy`. `hours` shortens the day (smoke test). */
export async function runEngineBlendDay(
  scenario: BlendScenario,
  policy: EnginePolicy,
  seed: number,
  options: { hours?: number; contacts?: number } = {},
): Promise<EngineDay> {
  const wall = performance.now();
  const hours = options.hours ?? scenario.durationHours;
  const open = NY_MIDNIGHT + scenario.startHour * HOUR;
  const until = open + hours * HOUR;
  const agents = scenario.shifts.reduce((a, s) => a + s.count, 0);
  const inbound = scenario.inbound;
  const spike = inbound.spike;
  const rates = Array.from({ length: 24 }, (_, h) => {
    const base = inbound.arrivalsPerHour[h] ?? 0;
    return spike && h >= spike.atHour && h < spike.atHour + spike.hours ? base * spike.factor : base;
  });
  const base = scenario.model.base;
  const mix = base.mix;
  const staticInboundAgents = policy === 'static-split' ? staticSplitAgents(scenario, 0.9) : 0;
  const end = (h: number) => `${String(h).padStart(2, '0')}:00`;

  const intervals: EngineInterval[] = Array.from({ length: Math.ceil((hours * HOUR) / INTERVAL_MS) }, (_, i) => {
    const from = scenario.startHour + (i * INTERVAL_MS) / HOUR;
    const to = from + INTERVAL_MS / HOUR;
    return {
      offered: 0,
      answered: 0,
      answeredInTarget: 0,
      abandoned: 0,
      answeredWaitMs: 0,
      waitingMs: 0,
      waitingWithReadyMs: 0,
      inSpike: spike !== undefined && from < spike.atHour + spike.hours && to > spike.atHour,
    };
  });
  const targetMs = inbound.targetAnswerSeconds * 1000;
  const queuedAt = new Map<string, number>();
  const intervalOf = (callId: string): EngineInterval | undefined => {
    const at = queuedAt.get(callId);
    return at === undefined ? undefined : intervals[Math.floor((at - open) / INTERVAL_MS)];
  };
  const time = { loggedIn: 0, ready: 0, reserved: 0, notReady: 0, outboundTalk: 0, outboundWrap: 0, inboundTalk: 0, inboundWrap: 0 };
  const agentState = new Map<string, { state: string; since: number }>();
  const flow = new Map<string, 'out' | 'in'>();
  const spend = (agentId: string, state: string, from: number, to: number) => {
    const ms = Math.max(0, Math.min(to, until) - Math.max(from, open));
    if (ms === 0 || state === 'logged-out') return;
    time.loggedIn += ms;
    const inbound = flow.get(agentId) === 'in';
    if (state === 'ready') time.ready += ms;
    else if (state === 'reserved') time.reserved += ms;
    else if (state === 'not-ready') time.notReady += ms;
    else if (state === 'on-call') time[inbound ? 'inboundTalk' : 'outboundTalk'] += ms;
    else if (state === 'wrap-up') time[inbound ? 'inboundWrap' : 'outboundWrap'] += ms;
  };

  // Who waits and who is ready, integrated over time per interval (split at the interval boundaries).
  const waiting = new Set<string>();
  const readyForInbound = new Set<string>();
  const servesInbound = (agentId: string) => policy !== 'static-split' || Number(agentId.slice(1)) < staticInboundAgents;
  let last = open;
  const advance = (now: number) => {
    let t = Math.max(last, open);
    const to = Math.min(now, until);
    while (t < to) {
      const i = Math.floor((t - open) / INTERVAL_MS);
      const next = Math.min(to, open + (i + 1) * INTERVAL_MS);
      const iv = intervals[i];
      if (iv && waiting.size > 0) {
        iv.waitingMs += next - t;
        if (readyForInbound.size > 0) iv.waitingWithReadyMs += next - t;
      }
      t = next;
    }
    last = Math.max(last, now);
  };

  const r = await runBlendDay({
    seed,
    startAt: open,
    until,
    agents,
    inboundPerHour: 0,
    inboundRatesByHour: rates,
    model: policy === 'hold' || policy === 'inbound-first' ? 'hold' : 'demand',
    hours: { start: end(scenario.startHour), end: end(scenario.startHour + scenario.durationHours) },
    inboundPatience: simDuration(inbound.patience, 'inbound.patience'),
    inboundHandle: simDuration(inbound.talk, 'inbound.talk'),
    outboundTalk: simDuration(base.talk, 'model.base.talk'),
    ...(scenario.shifts[0]?.wrap ? { wrap: simDuration(scenario.shifts[0].wrap, 'shifts[0].wrap') } : {}),
    outbound: {
      human: mix.live,
      machine: mix.machine,
      busy: mix.busy,
      failed: mix.failed,
      invalid: mix.invalid,
      answerDelayMeanMs: meanOf(base.answerDelay, 9_000),
      failureDelayMeanMs: meanOf(base.failedDelay, 4_000),
      analysisMs: meanOf(base.greeting, 1_500),
      amdFalseMachine: base.amd?.falseMachine ?? 0.04,
      amdFalseHuman: base.amd?.falseHuman ?? 0.08,
    },
    pacing: { ...(scenario.pacing as Record<string, number>) },
    abandonTarget: scenario.pacing.abandonTarget ?? 0.03,
    contacts: options.contacts ?? 40 * agents * hours,
    ...(policy === 'inbound-first' ? { dialMode: 'progressive', blend: { serviceLevelGoal: 0 } } : {}),
    ...(policy === 'static-split' ? { inboundOnlyAgents: staticInboundAgents } : {}),
    observe: (dialer) => {
      dialer.on('inbound.queued', (e) => {
        advance(e.at);
        waiting.add(e.callId);
        if (queuedAt.has(e.callId)) return;
        queuedAt.set(e.callId, e.at);
        const iv = intervalOf(e.callId);
        if (iv) iv.offered++;
      });
      dialer.on('inbound.offered', (e) => {
        advance(e.at);
        waiting.delete(e.callId);
      });
      dialer.on('inbound.connected', (e) => {
        advance(e.at);
        waiting.delete(e.callId);
        flow.set(e.agentId, 'in');
        const iv = intervalOf(e.callId);
        if (!iv) return;
        iv.answered++;
        iv.answeredWaitMs += e.waitMs;
        if (e.waitMs <= targetMs) iv.answeredInTarget++;
      });
      dialer.on('inbound.abandoned', (e) => {
        advance(e.at);
        waiting.delete(e.callId);
        const iv = intervalOf(e.callId);
        if (iv) iv.abandoned++;
      });
      dialer.on('connected', (offer) => flow.set(offer.agentId, 'out'));
      dialer.on('agentStateChanged', (e) => {
        advance(e.at);
        if (e.to === 'ready' && servesInbound(e.agentId)) readyForInbound.add(e.agentId);
        else readyForInbound.delete(e.agentId);
        const was = agentState.get(e.agentId);
        if (was) spend(e.agentId, was.state, was.since, e.at);
        agentState.set(e.agentId, { state: e.to, since: e.at });
      });
    },
  });
  for (const [agentId, s] of agentState) spend(agentId, s.state, s.since, until);
  advance(until);
  return {
    scenario: scenario.name,
    policy,
    seed,
    intervals,
    outbound: { dials: r.dials, liveAnswers: r.liveAnswers, abandoned: r.abandoned },
    time,
    staticInboundAgents,
    reasons: Object.fromEntries(r.reasons),
    wallMs: performance.now() - wall,
  };
}
