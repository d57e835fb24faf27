// issue-23 23-flowtab: a talk/wrap-up table per contact flow (inbound, outbound) in the estimators,
// and the predictive walk reading each busy agent's own flow's table.
import { AgentState, seededRandom } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { busyAgentTable } from '../src/flow-work';
import {
  assessLaunch,
  type ContactFlow,
  type InboundAwarePacerState,
  type ModelEstimates,
  type ObservedAgent,
  type PacerState,
  PacingEstimators,
  type PacingEstimatorsOptions,
  predictivePacer,
} from '../src/index';
import { agentArb, pacingOptions, WARM_ESTIMATES, warmTeamArb } from './support';

/** Estimators fed a seeded campaign: outbound calls (talk ~`outboundTalkMs`) and, `inboundShare` of the work, inbound ones. */
function trained(
  options: Partial<PacingEstimatorsOptions>,
  o: { inboundShare: number; calls?: number; inboundCalls?: number; seed?: number },
) {
  const est = new PacingEstimators(options);
  const random = seededRandom(o.seed ?? 7);
  const u = () => random.next();
  let inbound = 0;
  for (let i = 0; i < (o.calls ?? 1_500); i++) {
    if (u() < 0.35) {
      const d = 8_000 + 8_000 * u();
      est.observeAttempt({ outcome: 'human', answerDelayMs: d, liveDelayMs: d + 2_000, durationMs: d });
      est.observeWork({ talkMs: -100_000 * Math.log(1 - u()), wrapMs: 15_000 * (0.5 + u()), flow: 'outbound' });
    } else est.observeAttempt({ outcome: 'no-answer', durationMs: 25_000 });
    const more = o.inboundCalls === undefined || inbound < o.inboundCalls;
    if (more && u() < o.inboundShare) {
      est.observeWork({ talkMs: -180_000 * Math.log(1 - u()), wrapMs: 15_000 * (0.5 + u()), flow: 'inbound' });
      inbound++;
    }
  }
  return est;
}

/** The estimates `est` with both flows' tables equal to the pooled ones (copies, not the same arrays). */
function equalFlowTables(est: ModelEstimates): ModelEstimates {
  const tables = () => ({
    workSamples: est.workSamples,
    meanTalkMs: est.meanTalkMs,
    meanWrapMs: est.meanWrapMs,
    handleFree: Float64Array.from(est.handleFree),
    wrapFree: Float64Array.from(est.wrapFree),
  });
  return { ...est, flowWork: { inbound: tables(), outbound: tables() } };
}

const flowArb = fc.constantFrom<ContactFlow | undefined>('inbound', 'outbound', undefined);
const withFlows = (agents: readonly ObservedAgent[], flows: readonly (ContactFlow | undefined)[]) =>
  agents.map((a, i) => ({ ...a, flow: flows[i % Math.max(1, flows.length)] }));

/** A warm team whose agents carry any flow (or none). */
const flowTeamArb = (maxAgents: number) =>
  fc
    .tuple(warmTeamArb({ maxAgents, minAgents: 2, maxCalls: 30 }), fc.array(flowArb, { minLength: 1, maxLength: 8 }))
    .map(([state, flows]) => ({ ...state, agents: withFlows(state.agents, flows) }));

describe('per-flow work tables (estimators)', () => {
  it('keeps a table per flow once both flows are warm; inbound agents free slower than outbound ones at every age and horizon', () => {
    const e = trained({ workByFlow: true }, { inboundShare: 0.3 }).estimates();
    const work = e.flowWork;
    expect(work?.inbound).toBeDefined();
    expect(work?.outbound).toBeDefined();
    const inbound = work?.inbound;
    const outbound = work?.outbound;
    if (inbound === undefined || outbound === undefined) return;
    expect(inbound.meanTalkMs).toBeGreaterThan(150_000);
    expect(outbound.meanTalkMs).toBeLessThan(120_000);
    expect(inbound.handleFree.length).toBe(e.handleFree.length);
    expect(outbound.wrapFree.length).toBe(e.wrapFree.length);
    const K = e.horizons;
    // Exponential talks: free by the last horizon ≈ 1 − e^{−τ/mean} at every age; the pooled table lies between.
    for (const row of [0, 30, 120]) {
      const k = K - 1;
      const i = row * K + k;
      expect(inbound.handleFree[i] as number).toBeLessThan(outbound.handleFree[i] as number);
      expect(e.handleFree[i] as number).toBeGreaterThan((inbound.handleFree[i] as number) * 0.95);
      expect(e.handleFree[i] as number).toBeLessThan((outbound.handleFree[i] as number) * 1.05);
    }
  });

  it('falls back to the pooled table while a flow is thin, and has no flow tables with the option off', () => {
    const thin = trained({ workByFlow: true, flowWarmWorkSamples: 30 }, { inboundShare: 0.3, inboundCalls: 10 }).estimates();
    expect(thin.flowWork?.outbound).toBeDefined();
    expect(thin.flowWork?.inbound).toBeUndefined();
    const agent: ObservedAgent = { id: 'a', state: AgentState.OnCall, timeInStateMs: 40_000, flow: 'inbound' };
    expect(busyAgentTable(agent, thin.flowWork, thin.handleFree, thin.wrapFree)).toBe(thin.handleFree);
    expect(busyAgentTable({ ...agent, flow: 'outbound' }, thin.flowWork, thin.handleFree, thin.wrapFree)).toBe(
      thin.flowWork?.outbound?.handleFree,
    );
    // A reserved agent's call has not connected: its flow (the last call's) says nothing; pooled.
    expect(busyAgentTable({ ...agent, state: AgentState.Reserved, flow: 'outbound' }, thin.flowWork, thin.handleFree, thin.wrapFree)).toBe(
      thin.handleFree,
    );
    expect(busyAgentTable({ ...agent, state: AgentState.Ready }, thin.flowWork, thin.handleFree, thin.wrapFree)).toBeUndefined();
    const off = trained({}, { inboundShare: 0.3 }).estimates();
    expect(off.flowWork).toBeUndefined();
  });

  it('builds no flow tables for a campaign of one flow: the pooled table is that flow’s', () => {
    const e = trained({ workByFlow: true }, { inboundShare: 0 }).estimates();
    expect(e.warm).toBe(true);
    expect(e.flowWork).toBeUndefined();
  });
});

describe('the walk on per-flow tables', () => {
  it('with both flows’ tables equal to the pooled one, decides and prices as the pooled walk (any team, any flows)', () => {
    fc.assert(
      fc.property(flowTeamArb(40), fc.integer({ min: 1, max: 6 }), (state, n) => {
        const flowState: PacerState = { ...state, estimates: equalFlowTables(state.estimates) };
        // A fresh pacer each (issue-22 22-default): the default's MDP hybrid steps its solve across calls.
        expect(predictivePacer().decide(flowState)).toEqual(predictivePacer().decide(state));
        expect(assessLaunch(flowState, n)).toEqual(assessLaunch(state, n));
      }),
      { numRuns: 150, seed: 2323 },
    );
  });

  it('the same with inbound demand and busy agents held for inbound (the blend’s walk)', () => {
    fc.assert(
      fc.property(
        flowTeamArb(30),
        fc.double({ min: 0, max: 0.08, noNaN: true }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.tuple(agentArb, flowArb), { maxLength: 6 }),
        fc.integer({ min: 1, max: 5 }),
        (state, perSecond, queued, held, n) => {
          const heldBusy = held.map(([a, flow]) => ({ ...a, flow, leaving: false }));
          const demand = { arrivalsPerSecond: perSecond, queued, heldBusy };
          const plain: InboundAwarePacerState = { ...state, inboundDemand: demand };
          const flows: InboundAwarePacerState = { ...plain, estimates: equalFlowTables(state.estimates) };
          // Fresh pacers, each asked once (the default's hybrid steps its MDP solve per decision, 22-default).
          expect(predictivePacer().decide(flows)).toEqual(predictivePacer().decide(plain));
          expect(assessLaunch(flows, n)).toEqual(assessLaunch(plain, n));
        },
      ),
      { numRuns: 120, seed: 2324 },
    );
  });

  it('reads each busy agent’s own flow’s table: agents on slow inbound calls free less, so a launch costs more', () => {
    const est = WARM_ESTIMATES[0] as ModelEstimates;
    const slow = {
      workSamples: 100,
      meanTalkMs: 1e9,
      meanWrapMs: 0,
      handleFree: new Float64Array(est.handleFree.length),
      wrapFree: est.wrapFree,
    };
    const flowEst: ModelEstimates = { ...est, flowWork: { inbound: slow } };
    const agents = (flow: ContactFlow | undefined): ObservedAgent[] => [
      { id: 'r', state: AgentState.Ready, timeInStateMs: 1_000 },
      ...Array.from({ length: 8 }, (_, i) => ({ id: `b${i}`, state: AgentState.OnCall, timeInStateMs: 60_000 + i * 7_000, flow })),
    ];
    const state = (flow: ContactFlow | undefined, estimates: ModelEstimates): PacerState => ({
      now: 0,
      agents: agents(flow),
      calls: [],
      options: pacingOptions({ maxLinesPerAgent: 3, abandonTarget: 0.03, minAgentsForPredictive: 2 }),
      abandons: { liveAnswers: 1_000, abandoned: 10, windowMs: 86_400_000 },
      estimates,
    });
    const pooled = assessLaunch(state('inbound', est), 4).expectedAbandons;
    // Inbound agents read the never-freeing inbound table; outbound and unknown ones the pooled table.
    expect(assessLaunch(state('inbound', flowEst), 4).expectedAbandons).toBeGreaterThan(pooled * 1.2);
    expect(assessLaunch(state('outbound', flowEst), 4).expectedAbandons).toBe(pooled);
    expect(assessLaunch(state(undefined, flowEst), 4).expectedAbandons).toBe(pooled);
    const pacer = predictivePacer();
    expect(pacer.decide(state('inbound', flowEst)).launch).toBeLessThan(pacer.decide(state('inbound', est)).launch);
    // The busy agents held for inbound (the blend's walk) read their flow's table too.
    const held = (flow: ContactFlow, estimates: ModelEstimates): InboundAwarePacerState => {
      const base = state('outbound', estimates);
      const heldBusy = base.agents.slice(1, 5).map((a) => ({ ...a, flow }));
      return {
        ...base,
        agents: base.agents.slice(0, 1).concat(base.agents.slice(5)),
        inboundDemand: { arrivalsPerSecond: 0.05, queued: 1, heldBusy },
      };
    };
    const heldPooled = assessLaunch(held('inbound', est), 3).expectedAbandons;
    expect(assessLaunch(held('inbound', flowEst), 3).expectedAbandons).toBeGreaterThan(heldPooled * 1.05);
    expect(assessLaunch(held('outbound', flowEst), 3).expectedAbandons).toBe(heldPooled);
  });

  it('outbound-only pacing is untouched: with the option on and no inbound flow, every decision is the option-off one', () => {
    const on = trained({ workByFlow: true }, { inboundShare: 0, seed: 9 }).estimates();
    const off = trained({}, { inboundShare: 0, seed: 9 }).estimates();
    fc.assert(
      fc.property(flowTeamArb(40), (state) => {
        const outboundOnly = {
          ...state,
          agents: state.agents.map((a) => ({ ...a, flow: a.flow === undefined ? undefined : ('outbound' as const) })),
        };
        // Fresh pacers, each asked once (the default's hybrid steps its MDP solve per decision, 22-default).
        expect(predictivePacer().decide({ ...outboundOnly, estimates: on })).toEqual(
          predictivePacer().decide({ ...outboundOnly, estimates: off }),
        );
      }),
      { numRuns: 100, seed: 2325 },
    );
  });
});
