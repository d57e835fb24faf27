import { AgentState, isPacelineError, seededRandom } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agentsAtWork,
  createBlendPolicy,
  erlangA,
  erlangCMetrics,
  InboundEstimator,
  type ObservedAgent,
  outboundView,
  reserveForServiceLevel,
  thresholdQueue,
} from '../src/index';
import { expectInvalid } from './support';

/**
 * The threshold chain the long way, in linear space for small N: the stationary law by the
 * birth–death products, and each queued caller's chance to be answered within t by
 * uniformisation of its own absorbing chain (k ahead → k − 1 at Nμ + kθ, abandon at θ).
 * Shares no formula with the implementation's log-space incomplete-Beta route.
 */
function referenceThreshold(agents: number, reserve: number, lambda: number, handle: number, patience: number, t: number) {
  const mu = 1 / handle;
  const theta = Number.isFinite(patience) ? 1 / patience : 0;
  const up = (k: number) => (k >= 0 ? (agents - k) * mu : agents * mu + -k * theta);
  const weights = new Map<number, number>([[reserve, 1]]);
  let lowest = reserve;
  for (let k = reserve; k > -3000; k--) {
    const w = ((weights.get(k) as number) * lambda) / up(k - 1);
    weights.set(k - 1, w);
    lowest = k - 1;
    if (k < -5 && w < 1e-300) break;
  }
  let total = 0;
  for (const w of weights.values()) total += w;
  const maxAhead = -lowest + 1;
  // u_m(j) = P(answered within m uniformised jumps | j ahead).
  const rate = agents * mu + (maxAhead + 1) * theta;
  const lambdaT = rate * t;
  let u = new Array<number>(maxAhead).fill(0);
  const within = new Array<number>(maxAhead).fill(0);
  let poisson = Math.exp(-lambdaT);
  for (let m = 0; m < lambdaT + 40 * Math.sqrt(lambdaT + 1) + 50; m++) {
    if (m > 0) poisson *= lambdaT / m;
    for (let j = 0; j < maxAhead; j++) within[j] = (within[j] ?? 0) + poisson * (u[j] ?? 0);
    u = u.map((value, j) => {
      const advance = (agents * mu + j * theta) / rate;
      const stay = 1 - (agents * mu + (j + 1) * theta) / rate;
      return advance * (j === 0 ? 1 : (u[j - 1] ?? 0)) + stay * value;
    });
  }
  let sl = 0;
  let idle = 0;
  for (const [k, w] of weights) {
    const p = w / total;
    if (k >= 1) {
      sl += p;
      idle += k * p;
    } else sl += p * (within[-k] ?? 0);
  }
  return { serviceLevel: sl, meanIdleAgents: idle };
}

describe('thresholdQueue (the blended centre under a reservation policy)', () => {
  it('is Erlang A when every agent is reserved (outbound only ever gets an all-idle centre)', () => {
    for (const [agents, load, aht, patience] of [
      [12, 10, 180, 120],
      [5, 4.5, 240, 60],
      [40, 36, 300, 90],
    ] as const) {
      const chain = thresholdQueue({
        agents,
        reserve: agents,
        arrivalsPerSecond: load / aht,
        handleSeconds: aht,
        meanPatienceSeconds: patience,
        targetAnswerSeconds: 20,
      });
      const a = erlangA({ agents, offeredLoadErlangs: load, ahtSeconds: aht, meanPatienceSeconds: patience, targetAnswerSeconds: 20 });
      expect(chain.serviceLevel).toBeCloseTo(a.serviceLevel, 10);
      expect(chain.abandonProbability).toBeCloseTo(a.abandonProbability, 10);
      expect(chain.asaSeconds).toBeCloseTo(a.asaSeconds, 8);
    }
  });

  it('is Erlang C with patient callers: the textbook 12 agents, 10 Erlangs, 180 s → SL(20 s) 64.0%, ASA 40.44 s', () => {
    const chain = thresholdQueue({
      agents: 12,
      reserve: 12,
      arrivalsPerSecond: 10 / 180,
      handleSeconds: 180,
      meanPatienceSeconds: Number.POSITIVE_INFINITY,
      targetAnswerSeconds: 20,
    });
    const c = erlangCMetrics({ agents: 12, offeredLoadErlangs: 10, ahtSeconds: 180, targetAnswerSeconds: 20 });
    expect(chain.serviceLevel).toBeCloseTo(0.6402, 4);
    expect(chain.asaSeconds).toBeCloseTo(40.445, 2);
    expect(chain.serviceLevel).toBeCloseTo(c.serviceLevel, 10);
    expect(chain.abandonProbability).toBe(0);
  });

  it('agrees with the chain solved the long way for every reserve (impatient and patient callers)', () => {
    for (const patience of [45, 120, Number.POSITIVE_INFINITY]) {
      for (let reserve = 0; reserve <= 8; reserve++) {
        const input = {
          agents: 8,
          reserve,
          arrivalsPerSecond: 0.03,
          handleSeconds: 200,
          meanPatienceSeconds: patience,
          targetAnswerSeconds: 20,
        };
        const ref = referenceThreshold(8, reserve, 0.03, 200, patience, 20);
        const got = thresholdQueue(input);
        expect(got.serviceLevel).toBeCloseTo(ref.serviceLevel, 8);
        expect(got.meanIdleAgents).toBeCloseTo(ref.meanIdleAgents, 8);
      }
    }
  });

  it('stays finite and in [0, 1] for thousands of agents and a tiny patience', () => {
    const big = thresholdQueue({
      agents: 3000,
      reserve: 40,
      arrivalsPerSecond: 5,
      handleSeconds: 300,
      meanPatienceSeconds: 30,
      targetAnswerSeconds: 20,
    });
    expect(big.serviceLevel).toBeGreaterThan(0.9);
    expect(big.serviceLevel).toBeLessThanOrEqual(1);
    const overloaded = thresholdQueue({
      agents: 10,
      reserve: 10,
      arrivalsPerSecond: 1,
      handleSeconds: 300,
      meanPatienceSeconds: 1,
      targetAnswerSeconds: 20,
    });
    expect(overloaded.abandonProbability).toBeGreaterThan(0.9);
    expect(Number.isFinite(overloaded.asaSeconds)).toBe(true);
  });

  it('refuses bad input with a clear E_INVALID_INPUT naming the field', () => {
    const ok = { agents: 5, reserve: 1, arrivalsPerSecond: 0.01, handleSeconds: 200, meanPatienceSeconds: 60, targetAnswerSeconds: 20 };
    expectInvalid(() => thresholdQueue({ ...ok, reserve: 6 }), 'reserve');
    expectInvalid(() => thresholdQueue({ ...ok, agents: 2.5 }), 'agents');
    expectInvalid(() => thresholdQueue({ ...ok, handleSeconds: 0 }), 'handleSeconds');
    expectInvalid(() => thresholdQueue({ ...ok, meanPatienceSeconds: 0 }), 'meanPatienceSeconds');
    expectInvalid(() => reserveForServiceLevel({ ...ok, serviceLevelGoal: 1.5 }), 'serviceLevelGoal');
  });
});

describe('reserveForServiceLevel', () => {
  it('finds the smallest reserve reaching the goal (one fewer misses it)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0.001, max: 0.2, noNaN: true }),
        fc.double({ min: 30, max: 600, noNaN: true }),
        fc.double({ min: 10, max: 600, noNaN: true }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        (agents, lambda, handle, patience, goal) => {
          const input = {
            agents,
            arrivalsPerSecond: lambda,
            handleSeconds: handle,
            meanPatienceSeconds: patience,
            targetAnswerSeconds: 20,
          };
          const r = reserveForServiceLevel({ ...input, serviceLevelGoal: goal });
          expect(r.reserve).toBeGreaterThanOrEqual(0);
          expect(r.reserve).toBeLessThanOrEqual(agents);
          if (r.meetsGoal) {
            expect(r.metrics.serviceLevel).toBeGreaterThanOrEqual(goal);
            if (r.reserve > 0) expect(thresholdQueue({ ...input, reserve: r.reserve - 1 }).serviceLevel).toBeLessThan(goal);
          } else expect(r.reserve).toBe(agents);
        },
      ),
      { numRuns: 150 },
    );
  });
});

const STATES = [AgentState.Ready, AgentState.Reserved, AgentState.OnCall, AgentState.WrapUp, AgentState.NotReady, AgentState.LoggedOut];
const agentArb = fc.record({
  state: fc.constantFrom(...STATES),
  timeInStateMs: fc.integer({ min: 0, max: 600_000 }),
  leaving: fc.boolean(),
});
const agentsArb = fc
  .array(agentArb, { maxLength: 60 })
  .map((xs) => xs.map((a, i): ObservedAgent => ({ id: `a${i}`, state: a.state, timeInStateMs: a.timeInStateMs, leaving: a.leaving })));

describe('outboundView and the blend policy (invariants)', () => {
  it('holds exactly min(hold, agents at work) agents, ready ones first, and never changes its input', () => {
    fc.assert(
      fc.property(agentsArb, fc.integer({ min: -3, max: 80 }), (agents, hold) => {
        const before = JSON.stringify(agents);
        const view = outboundView(agents, hold);
        expect(JSON.stringify(agents)).toBe(before);
        expect(view.length).toBe(agents.length);
        const newlyHeld = view.filter((a, i) => a.leaving === true && agents[i]?.leaving !== true);
        expect(newlyHeld.length).toBe(Math.min(Math.max(0, hold), agentsAtWork(agents)));
        // Nobody is held while a ready agent at work is left for outbound.
        const readyLeft = view.filter((a) => a.state === AgentState.Ready && a.leaving !== true).length;
        if (readyLeft > 0) expect(newlyHeld.every((a) => a.state === AgentState.Ready)).toBe(true);
        view.forEach((a, i) => {
          expect({ ...a, leaving: undefined }).toEqual({ ...agents[i], leaving: undefined });
        });
      }),
      { numRuns: 300 },
    );
  });

  it('busy-first holds the agents freeing soonest before any ready agent (ready ones stay visible to outbound)', () => {
    fc.assert(
      fc.property(agentsArb, fc.integer({ min: 0, max: 80 }), (agents, hold) => {
        const view = outboundView(agents, hold, 'busy-first');
        const newlyHeld = view.filter((a, i) => a.leaving === true && agents[i]?.leaving !== true);
        expect(newlyHeld.length).toBe(Math.min(hold, agentsAtWork(agents)));
        const busyLeft = view.filter((a) => a.state !== AgentState.Ready && a.leaving !== true && agentsAtWork([a]) === 1).length;
        if (busyLeft > 0) expect(newlyHeld.every((a) => a.state !== AgentState.Ready)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never reserves or holds more agents than exist, whatever it has observed', () => {
    fc.assert(
      fc.property(
        agentsArb,
        fc.array(fc.integer({ min: 1, max: 120_000 }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 500 }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        (agents, gaps, queued, goal) => {
          const blend = createBlendPolicy({ serviceLevelGoal: goal, recomputeEveryMs: 0 });
          let now = 1_700_000_000_000;
          for (const gap of gaps) {
            now += gap;
            blend.observeArrival(now);
            if (gap % 3 === 0) blend.observeAbandon(gap % 60_000);
            else blend.observeAnswered(gap % 30_000);
            blend.observeWork(gap % 2 === 0 ? 'inbound' : 'outbound', gap);
          }
          const d = blend.decide({ now, agents, queuedInbound: queued });
          const atWork = agentsAtWork(agents);
          expect(d.reserve).toBeGreaterThanOrEqual(0);
          expect(d.reserve).toBeLessThanOrEqual(atWork);
          expect(d.hold).toBeLessThanOrEqual(atWork);
          expect(d.hold).toBe(Math.min(atWork, d.reserve + queued));
          const heldForInbound = d.outboundAgents.filter((a, i) => a.leaving === true && agents[i]?.leaving !== true).length;
          expect(heldForInbound).toBe(d.hold);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('with a time-of-day plan: the reserve is never negative and never more than the agents at work', () => {
    fc.assert(
      fc.property(
        agentsArb,
        fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 24, maxLength: 24 }),
        fc.array(fc.integer({ min: 1, max: 900_000 }), { maxLength: 120 }),
        fc.integer({ min: 0, max: 200 }),
        (agents, perHour, gaps, queued) => {
          const plan = (at: number) => (perHour[Math.floor(at / 3_600_000) % 24] ?? 0) / 3600;
          const blend = createBlendPolicy({ recomputeEveryMs: 0, inboundModel: 'demand', holdOrder: 'busy-first' }, { forecast: plan });
          let now = 0;
          for (const gap of gaps) {
            now += gap;
            blend.observeArrival(now);
            blend.observeWork('inbound', gap);
          }
          const d = blend.decide({ now, agents, queuedInbound: queued });
          const atWork = agentsAtWork(agents);
          expect(d.reserve).toBeGreaterThanOrEqual(0);
          expect(d.reserve).toBeLessThanOrEqual(atWork);
          expect(d.hold).toBe(Math.min(atWork, d.reserve));
          expect(d.inboundDemand?.arrivalsPerSecond ?? 0).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps agents for inbound when calls arrive and none when the line is silent', () => {
    const agents: ObservedAgent[] = Array.from({ length: 30 }, (_, i) => ({
      id: `a${i}`,
      state: i < 3 ? AgentState.Ready : AgentState.OnCall,
      timeInStateMs: 10_000,
    }));
    const busy = createBlendPolicy();
    const random = seededRandom(7);
    let now = 0;
    for (let i = 0; i < 600; i++) {
      now += -Math.log(1 - random.next()) * 20_000; // 180 calls per hour
      busy.observeArrival(now);
      busy.observeWork('inbound', 220_000);
    }
    const d = busy.decide({ now, agents, queuedInbound: 2 });
    expect(d.reserve).toBeGreaterThan(0);
    expect(d.hold).toBe(d.reserve + 2);
    expect(d.predicted.serviceLevel).toBeGreaterThanOrEqual(0.9);
    const silent = createBlendPolicy();
    silent.observeWork('outbound', 120_000);
    expect(silent.decide({ now: 3_600_000, agents, queuedInbound: 0 }).reserve).toBe(0);
    expect(d.inboundDemand).toBeUndefined();
    // inboundModel demand: only the reserve is held; the queued callers and the rate go to the walk.
    const asDemand = createBlendPolicy({ inboundModel: 'demand' });
    now = 0;
    const again = seededRandom(7);
    for (let i = 0; i < 600; i++) {
      now += -Math.log(1 - again.next()) * 20_000;
      asDemand.observeArrival(now);
      asDemand.observeWork('inbound', 220_000);
    }
    const e = asDemand.decide({ now, agents, queuedInbound: 2 });
    expect(e.reserve).toBe(d.reserve);
    expect(e.hold).toBe(e.reserve);
    expect(e.outboundAgents.filter((a) => a.leaving === true)).toHaveLength(e.reserve);
    expect(e.inboundDemand?.queued).toBe(2);
    expect(e.inboundDemand?.arrivalsPerSecond).toBeGreaterThan(150 / 3600);
    expect(e.inboundDemand?.arrivalsPerSecond).toBeLessThan(210 / 3600);
    expect(e.inboundDemand?.reserveIdle).toBeUndefined();
    // reserveCatchesOverflow: the walk also gets the ready agents the view holds.
    const overflow = createBlendPolicy({ inboundModel: 'demand', reserveCatchesOverflow: true });
    now = 0;
    const third = seededRandom(7);
    for (let i = 0; i < 600; i++) {
      now += -Math.log(1 - third.next()) * 20_000;
      overflow.observeArrival(now);
      overflow.observeWork('inbound', 220_000);
    }
    const f = overflow.decide({ now, agents, queuedInbound: 0 });
    const heldReady = f.outboundAgents.filter((a, i) => a.state === AgentState.Ready && a.leaving === true && agents[i]?.leaving !== true);
    expect(f.inboundDemand?.reserveIdle).toBe(heldReady.length);
    expect(f.inboundDemand?.reserveIdle).toBe(Math.min(3, f.reserve));
  });

  it('refuses bad options naming the field', () => {
    expect(() => createBlendPolicy({ serviceLevelGoal: 2 })).toThrow(/blend\.serviceLevelGoal/);
    expect(() => createBlendPolicy({ inboundModel: 'reserve' as 'demand' })).toThrow(/blend\.inboundModel/);
    expect(() => createBlendPolicy({ holdOrder: 'idle-first' as 'busy-first' })).toThrow(/blend\.holdOrder/);
    try {
      createBlendPolicy({ serviceLevelGoal: 2 });
    } catch (error) {
      expect(isPacelineError(error, 'E_INVALID_CONFIG')).toBe(true);
    }
  });
});

describe('InboundEstimator', () => {
  it('learns a Poisson rate, follows a change within a few half-lives, and bounds it from above', () => {
    const est = new InboundEstimator({ arrivalHalfLifeMs: 600_000 });
    const random = seededRandom(3);
    let now = 0;
    const arrive = (perHour: number, untilMs: number) => {
      for (;;) {
        const next = now + (-Math.log(1 - random.next()) * 3_600_000) / perHour;
        if (next > untilMs) break;
        now = next;
        est.observeArrival(now);
      }
    };
    arrive(120, 3 * 3_600_000);
    const early = est.arrivalRate(3 * 3_600_000);
    expect(early.mean * 3600).toBeGreaterThan(95);
    expect(early.mean * 3600).toBeLessThan(145);
    expect(early.upper).toBeGreaterThan(early.mean);
    arrive(240, 4 * 3_600_000);
    const later = est.arrivalRate(4 * 3_600_000);
    expect(later.mean * 3600).toBeGreaterThan(200);
  });

  it('with a plan, follows the day’s steps at once and learns a plan that is off by a factor', () => {
    // The plan: 120/h for two hours, then 240/h; the callers come at 1.25 × the plan.
    const plan = (at: number) => (at < 2 * 3_600_000 ? 120 : 240) / 3600;
    const planned = new InboundEstimator({ forecast: plan });
    const plain = new InboundEstimator();
    const random = seededRandom(11);
    let now = 0;
    planned.open(0);
    plain.open(0);
    const until = 2 * 3_600_000 + 120_000;
    for (;;) {
      const next = now + (-Math.log(1 - random.next()) * 3_600_000) / (1.25 * plan(now) * 3600);
      if (next > until) break;
      now = next;
      planned.observeArrival(now);
      plain.observeArrival(now);
    }
    const before = planned.arrivalRate(2 * 3_600_000 - 1);
    expect(before.mean * 3600).toBeGreaterThan(115);
    expect(before.mean * 3600).toBeLessThan(190);
    // Two minutes after the step the plain decayed rate still trails it; the planned one has the new hour’s shape.
    const after = planned.arrivalRate(until);
    expect(after.mean * 3600).toBeGreaterThan(230);
    expect(after.mean * 3600).toBeLessThan(380);
    expect(after.upper).toBeGreaterThan(after.mean);
    expect(plain.arrivalRate(until).mean * 3600).toBeLessThan(200);
  });

  it('with any plan: the rate is finite, never negative, its upper bound above it, and the plain rate where the plan is 0', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 24, maxLength: 24 }),
        fc.array(fc.integer({ min: 1, max: 600_000 }), { maxLength: 150 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (perHour, gaps, extra, z) => {
          const plan = (at: number) => (perHour[Math.floor(at / 3_600_000) % 24] ?? 0) / 3600;
          const planned = new InboundEstimator({ forecast: plan, priorArrivalsPerSecond: 0.01 });
          const plain = new InboundEstimator({ priorArrivalsPerSecond: 0.01 });
          let now = 0;
          planned.open(0);
          plain.open(0);
          for (const gap of gaps) {
            now += gap;
            planned.observeArrival(now);
            plain.observeArrival(now);
          }
          const at = now + extra;
          const rate = planned.arrivalRate(at, z);
          expect(Number.isFinite(rate.mean) && Number.isFinite(rate.upper)).toBe(true);
          expect(rate.mean).toBeGreaterThanOrEqual(0);
          expect(rate.upper).toBeGreaterThanOrEqual(rate.mean);
          if (plan(at) === 0) expect(rate).toEqual(plain.arrivalRate(at, z));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('estimates patience as time waited ÷ abandons (the exponential MLE)', () => {
    const est = new InboundEstimator({ priorPatienceSeconds: 1000, halfLifeObservations: 1e9 });
    const random = seededRandom(5);
    for (let i = 0; i < 20_000; i++) {
      const patience = -Math.log(1 - random.next()) * 60_000;
      const service = -Math.log(1 - random.next()) * 30_000;
      if (patience < service) est.observeAbandon(patience);
      else est.observeAnswered(service);
    }
    expect(est.meanPatienceSeconds).toBeGreaterThan(55);
    expect(est.meanPatienceSeconds).toBeLessThan(65);
  });
});
