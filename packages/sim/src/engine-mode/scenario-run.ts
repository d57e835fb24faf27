import { type Contact, PacelineError } from '@paceline/core';
import type { ComplianceGate } from '@paceline/engine';
import type { SimCallPlan, SimOutcomeModel } from '@paceline/trunk-sim';
import { createDistribution } from '../model/distribution';
import { OutcomeModel, type TrueOutcome } from '../model/outcome-model';
import type { SimulationOptions } from '../simulation';
import { EngineSimulation } from './engine-simulation';
import type { SimulatedShift } from './simulated-agents';

/** The sums of one engine-mode run, in the pacer-direct simulator's terms. */
export interface EngineScenarioResult {
  readonly seed: number;
  readonly talkMs: number;
  readonly wrapMs: number;
  readonly loggedInMs: number;
  readonly dials: number;
  readonly liveAnswers: number;
  readonly connected: number;
  readonly abandoned: number;
  /** Agent wait periods (ready between two calls): count and total, ms. */
  readonly waits: number;
  readonly waitMs: number;
  /** Live answers and abandons per day of the run. */
  readonly days: ReadonlyArray<{ liveAnswers: number; abandoned: number }>;
  readonly talkFraction: number;
  readonly occupancy: number;
  readonly abandonRate: number;
}

const HOUR_MS = 3_600_000;
const TRUTH_TO_OUTCOME: Record<TrueOutcome, SimCallPlan['outcome']> = {
  live: 'human',
  machine: 'machine',
  busy: 'busy',
  'no-answer': 'no-answer',
  failed: 'failed',
  invalid: 'invalid-number',
};

/**
 * A compliance gate that allows every dial: the benchmark measures pacing alone, as the
 * pacer-direct simulator does (no calling windows, caps or DNC). Never use it in production.
 */
function benchmarkGate(abandonWindowMs: number): ComplianceGate {
  return {
    assertCampaign: () => {},
    prepareContact: (contact) => contact,
    check: () => ({ allowed: true, reasons: [], permanent: false }),
    record: () => {},
    addInternalDnc: () => {},
    abandonWindowMs: () => abandonWindowMs,
  };
}

/**
 * Run the same scenario as `runSimulation` — same options, same outcome model, shifts and
 * pacer — through the real engine (trunk-sim, simulated agents, in-memory store) on virtual
 * time. Talk times come from the model's plan of each call; the agent who takes it talks
 * that long. `bench:pacing --engine` uses it; results agree with the pacer-direct run within noise.
 */
export async function runEngineScenario(options: SimulationOptions): Promise<EngineScenarioResult> {
  const startAt = options.startAt ?? 0;
  const startHour = options.startHour ?? 9;
  const model = options.model instanceof OutcomeModel ? options.model : new OutcomeModel(options.model);
  const talkByCall = new Map<string, number>();
  const outcomeModel: SimOutcomeModel = {
    plan(request, now, random) {
      const plan = model.plan(startHour + (now - startAt) / HOUR_MS, request.ringTimeoutMs, random);
      talkByCall.set(request.callId, plan.talkMs);
      const outcome = TRUTH_TO_OUTCOME[plan.truth];
      const answered = outcome === 'human' || outcome === 'machine';
      return {
        outcome,
        ringingAfterMs: Math.min(1_000, plan.resolveAfterMs),
        resolveAfterMs: outcome === 'no-answer' ? Number.POSITIVE_INFINITY : plan.resolveAfterMs,
        ...(answered ? { analysisAfterMs: plan.greetingMs, detected: plan.detected ?? 'human' } : {}),
      };
    },
  };

  const shifts: SimulatedShift[] = [];
  const wrapOf = new Map<string, ReturnType<typeof createDistribution>>();
  let n = 0;
  for (const [s, shift] of options.shifts.entries()) {
    const wrap = shift.wrap ? createDistribution(shift.wrap, `shifts[${s}].wrap`) : undefined;
    for (let i = 0; i < shift.count; i++) {
      const id = `agent-${++n}`;
      const offset = shift.count > 1 ? ((shift.staggerMs ?? 0) * i) / (shift.count - 1) : 0;
      if (wrap) wrapOf.set(id, wrap);
      shifts.push({
        id,
        name: id,
        campaignIds: ['bench'],
        loginAt: startAt + shift.loginAtMs + offset,
        logoutAt: startAt + shift.logoutAtMs + offset,
        breaks: (shift.breaks ?? []).map((b) => ({ at: startAt + b.atMs + offset, durationMs: b.durationMs, reason: 'break' })),
      });
    }
  }
  // Enough fresh numbers for the day: nobody is called twice (retries are a day away).
  const agentHours = options.shifts.reduce((sum, s) => sum + (s.count * (s.logoutAtMs - s.loginAtMs)) / HOUR_MS, 0);
  const contactCount = Math.ceil(agentHours * 400) + 100;
  const contacts: Contact[] = Array.from({ length: contactCount }, (_, i) => ({
    id: `k${i}`,
    phones: [{ number: `+1${String(2_002_000_000 + i)}`, type: 'unknown', priority: 0 }],
    profile: {},
    consents: [],
    priority: 0,
  }));
  const day = 24 * HOUR_MS;
  const campaign: Record<string, unknown> = {
    id: 'bench',
    name: 'engine-mode benchmark',
    goal: 'sales',
    dialMode: 'predictive',
    complianceProfile: 'us-federal',
    callerId: '+12025550100',
    homeTimeZone: 'UTC',
    pacing: options.pacing ?? {},
    recycle: {
      busy: { retryAfterMs: day },
      'no-answer': { retryAfterMs: day },
      machine: { retryAfterMs: day },
      failed: { retryAfterMs: day },
    },
  };
  if (contactCount > 2_000_000)
    throw new PacelineError('E_INVALID_CONFIG', 'runEngineScenario: the scenario needs more than 2 million numbers; shorten it');

  const sim = await EngineSimulation.create({
    seed: options.seed,
    startAt,
    campaign,
    contacts,
    shifts,
    createPacer: () => options.pacer,
    compliance: benchmarkGate(options.abandonWindowMs ?? 30 * day),
    behaviour: {
      talkMs: (offer) => talkByCall.get(offer.callId) ?? 0,
      wrapMs: (offer, random) => wrapOf.get(offer.agentId)?.sample(random) ?? 0,
      disposition: () => ({ code: 'NO_DECISION' }),
    },
    outcomeModel,
  });
  const days: Array<{ liveAnswers: number; abandoned: number }> = [];
  const dayOf = (at: number) => {
    const d = Math.floor((at - startAt) / day);
    while (days.length <= d) days.push({ liveAnswers: 0, abandoned: 0 });
    return days[d] as { liveAnswers: number; abandoned: number };
  };
  sim.dialer.on('connected', () => dayOf(sim.clock.now()).liveAnswers++);
  sim.dialer.on('abandoned', (e) => {
    const d = dayOf(e.at);
    d.liveAnswers++;
    d.abandoned++;
  });
  let waits = 0;
  let waitMs = 0;
  const readySince = new Map<string, number>();
  sim.dialer.on('agentStateChanged', (e) => {
    if (e.to === 'ready') readySince.set(e.agentId, e.at);
    else if (e.from === 'ready' && e.to === 'reserved') {
      waits++;
      waitMs += e.at - (readySince.get(e.agentId) ?? e.at);
    }
  });
  const endAt = startAt + options.durationMs;
  await sim.runUntil(endAt);
  const t = sim.agents.timeByState(endAt);
  await sim.close();
  const loggedInMs = t.ready + t.reserved + t['on-call'] + t['wrap-up'] + t['not-ready'];
  const c = sim.counters;
  return {
    seed: options.seed,
    talkMs: t['on-call'],
    wrapMs: t['wrap-up'],
    loggedInMs,
    dials: c.dials,
    liveAnswers: c.liveAnswers,
    connected: c.connected,
    abandoned: c.abandoned,
    waits,
    waitMs,
    days,
    talkFraction: loggedInMs === 0 ? 0 : t['on-call'] / loggedInMs,
    occupancy: loggedInMs === 0 ? 0 : (t['on-call'] + t['wrap-up']) / loggedInMs,
    abandonRate: c.liveAnswers === 0 ? 0 : c.abandoned / c.liveAnswers,
  };
}
