import { AgentState, isPacelineError } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessLaunch,
  COLD_ESTIMATES,
  createCampaignPacer,
  createPacer,
  governAbandons,
  type PacerState,
  parseAbandonGovernorOptions,
  powerPacer,
  predictivePacer,
  previewPacer,
  progressiveDecision,
  progressivePacer,
} from '../src/index';
import { count, pacingOptions, stateArb, warmEstimates, working } from './support';

const predictive = predictivePacer();
const governorDefaults = parseAbandonGovernorOptions({});

describe('every pacer', () => {
  it('launches a whole number of calls, never negative, and the same for the same state', () => {
    // The walk alone (markovHybrid false) is pure. The default's gated MDP hybrid (22-default) pays for its
    // solve a bounded piece per decision on a small exponential-looking team, so one instance may answer a
    // repeated state from a further-solved policy: two fresh instances agree instead.
    const pacers = [previewPacer(), progressivePacer(), powerPacer(), predictivePacer({ markovHybrid: false })];
    fc.assert(
      fc.property(stateArb, (state) => {
        for (const pacer of pacers) {
          const a = pacer.decide(state);
          expect(Number.isInteger(a.launch) && a.launch >= 0).toBe(true);
          // Pure: the predictive pacer's reused scratch space must not leak between calls.
          expect(pacer.decide(state)).toEqual(a);
        }
        const d = predictivePacer().decide(state);
        expect(Number.isInteger(d.launch) && d.launch >= 0).toBe(true);
        expect(predictivePacer().decide(state)).toEqual(d);
      }),
    );
  });
});

describe('progressive', () => {
  it('never puts more lines in flight than there are ready agents, and fills up to them', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const ready = count(state, AgentState.Ready);
        const { launch } = progressivePacer().decide(state);
        expect(state.calls.length + launch).toBe(Math.max(state.calls.length, ready));
      }),
    );
  });
});

describe('power', () => {
  it('keeps at most ratio × ready agents lines in flight (the ratio capped by maxLinesPerAgent); none with no ready agent', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const ready = count(state, AgentState.Ready);
        const ratio = Math.min(state.options.powerRatio, state.options.maxLinesPerAgent);
        const { launch } = powerPacer().decide(state);
        expect(state.calls.length + launch).toBeLessThanOrEqual(Math.max(state.calls.length, Math.floor(ratio * ready)));
        if (ready === 0) expect(launch).toBe(0);
      }),
    );
  });

  it('in power mode, dials beyond one line per ready agent only when even all those lines abandoned keep the rate ≤ 90% of the target', () => {
    const governed = createPacer('power');
    fc.assert(
      fc.property(stateArb, (state) => {
        const { launch } = governed.decide(state);
        const progressive = progressiveDecision(state).launch;
        const power = powerPacer().decide(state).launch;
        expect(launch === progressive || launch === power).toBe(true);
        const extra = launch - progressive;
        if (extra > 0) {
          const { liveAnswers, abandoned } = state.abandons;
          expect((abandoned + extra) / (liveAnswers + extra)).toBeLessThanOrEqual(0.9 * state.options.abandonTarget + 1e-12);
        }
      }),
      { numRuns: 2_000 },
    );
    // a cold start is progressive: no live answers yet, so any extra line could be an abandon
    const cold = {
      now: 0,
      agents: Array.from({ length: 5 }, (_, i) => ({ id: `a${i}`, state: AgentState.Ready, timeInStateMs: 0 })),
      calls: [],
      options: pacingOptions(),
      abandons: { liveAnswers: 0, abandoned: 0, windowMs: 86_400_000 },
      estimates: COLD_ESTIMATES,
    };
    expect(governed.decide(cold).launch).toBe(5);
    expect(governed.decide({ ...cold, abandons: { liveAnswers: 1_000, abandoned: 0, windowMs: 86_400_000 } }).launch).toBe(10);
  });
});

describe('preview', () => {
  it('places one call per confirmed ready agent without a call, and names them', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const d = previewPacer().decide(state);
        const ids = d.agentIds ?? [];
        expect(ids.length).toBe(d.launch);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) {
          const agent = state.agents.find((a) => a.id === id);
          expect(agent?.state).toBe(AgentState.Ready);
          expect(agent?.previewConfirmed).toBe(true);
        }
      }),
    );
  });
});

describe('predictive', () => {
  it('never exceeds maxLinesPerAgent × agents at work, and launches nothing with no agent at work', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const { launch } = predictive.decide(state);
        const cap = Math.floor(state.options.maxLinesPerAgent * working(state));
        expect(state.calls.length + launch).toBeLessThanOrEqual(Math.max(state.calls.length, cap));
        if (working(state) === 0) expect(launch).toBe(0);
      }),
    );
  });

  it("keeps the launched calls' expected abandons within the governor's budget, and launches the most that fit", () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const d = predictive.decide(state);
        if (d.reason !== 'model' && d.reason !== 'line-cap') return;
        if (d.launch <= progressiveDecision(state, 'progressive', true).launch) return; // the progressive floor
        const { allowedRate } = governAbandons(state.abandons, state.options.abandonTarget, governorDefaults);
        const now = assessLaunch(state, d.launch);
        expect(now.expectedAbandons).toBeLessThanOrEqual(allowedRate * now.expectedLive + 1e-9);
        if (d.reason === 'model') {
          const more = assessLaunch(state, d.launch + 1);
          expect(more.expectedAbandons).toBeGreaterThan(allowedRate * more.expectedLive);
        }
      }),
    );
  });

  it('acts progressively at a cold start, below the minimum team, and when the governor falls back', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const d = predictive.decide(state);
        // predictive's fallbacks count only agents staying at work (not those about to leave)
        const progressive = progressiveDecision(state, 'progressive', true).launch;
        const w = working(state);
        if (w > 0 && (w < state.options.minAgentsForPredictive || !state.estimates.warm)) expect(d.launch).toBe(progressive);
        if (w > 0 && governAbandons(state.abandons, state.options.abandonTarget, governorDefaults).mode === 'fallback') {
          expect(d.launch).toBe(progressive);
        }
      }),
    );
    const cold: PacerState = {
      now: 0,
      agents: Array.from({ length: 10 }, (_, i) => ({ id: `a${i}`, state: AgentState.Ready, timeInStateMs: 0 })),
      calls: [],
      options: pacingOptions(),
      abandons: { liveAnswers: 0, abandoned: 0, windowMs: 86_400_000 },
      estimates: COLD_ESTIMATES,
    };
    expect(predictive.decide(cold)).toMatchObject({ launch: 10, reason: 'cold-start' });
  });

  const team = (onCallMs: number[], ready: number, calls: PacerState['calls'] = []): PacerState => ({
    now: 0,
    agents: [
      ...onCallMs.map((t, i) => ({ id: `b${i}`, state: AgentState.OnCall, timeInStateMs: t })),
      ...Array.from({ length: ready }, (_, i) => ({ id: `r${i}`, state: AgentState.Ready, timeInStateMs: 0 })),
    ],
    calls,
    options: pacingOptions(),
    abandons: { liveAnswers: 1000, abandoned: 20, windowMs: 86_400_000 },
    estimates: warmEstimates(),
  });

  it('dials ahead of agents about to free up: more lines than ready agents when warm', () => {
    const d = predictive.decide(team(Array(18).fill(60_000), 2));
    expect(d.reason).toBe('model');
    expect(d.launch).toBeGreaterThan(2);
  });

  it('launches nothing when every agent has just started a call and lines are already out', () => {
    const calls = Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, ageMs: 1_000, phase: 'ringing' as const }));
    expect(predictive.decide(team(Array(20).fill(0), 0, calls)).launch).toBe(0);
  });

  it('does not count agents who leave after their call (logout or break)', () => {
    const base = team(Array(18).fill(60_000), 2);
    const leaving: PacerState = { ...base, agents: base.agents.map((a) => ({ ...a, leaving: a.state === AgentState.OnCall })) };
    expect(predictive.decide(base).launch).toBeGreaterThan(2);
    // Two ready agents are all the supply left: the same decision as a team of just those two.
    const onlyReady: PacerState = { ...base, agents: base.agents.filter((a) => a.state === AgentState.Ready) };
    expect(predictive.decide(leaving).launch).toBe(predictive.decide(onlyReady).launch);
    expect(predictive.decide(leaving).launch).toBeLessThan(predictive.decide(base).launch);
  });

  it('never launches fewer calls than progressive would (lines up to the ready agents staying cannot abandon)', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const d = predictive.decide(state);
        expect(d.launch).toBeGreaterThanOrEqual(progressiveDecision(state, 'progressive', true).launch);
      }),
    );
  });

  it('gives the first call beyond the idle agents no phantom risk: one ready agent, nothing in flight → at least one call, free of risk', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 600_000 }), (busy, onCallMs) => {
        const state = team(Array(busy).fill(onCallMs), 1);
        expect(assessLaunch(state, 1).expectedAbandons).toBe(0);
        expect(predictive.decide(state).launch).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it('paces predictively from 2 agents by default, and holds the line cap there', () => {
    const two = team([60_000], 1);
    expect(two.options.minAgentsForPredictive).toBe(2);
    const d = predictive.decide(two);
    expect(d.reason).not.toBe('small-team');
    expect(d.launch).toBeGreaterThanOrEqual(1);
    expect(d.launch).toBeLessThanOrEqual(2 * two.options.maxLinesPerAgent);
  });

  it('dials less as the rolling abandon rate climbs toward the target', () => {
    const at = (abandoned: number) =>
      predictive.decide({ ...team(Array(18).fill(60_000), 2), abandons: { liveAnswers: 1000, abandoned, windowMs: 86_400_000 } }).launch;
    expect(at(0)).toBeGreaterThanOrEqual(at(24));
    expect(at(24)).toBeGreaterThanOrEqual(at(27));
    // At 2.9% the governor has fallen back: one line per ready agent.
    expect(at(29)).toBe(2);
  });
});

describe('createPacer / createCampaignPacer', () => {
  it('refuses agentless campaigns with E_INVALID_CONFIG', () => {
    try {
      createPacer('agentless');
      expect.unreachable();
    } catch (error) {
      expect(isPacelineError(error) && error.code).toBe('E_INVALID_CONFIG');
    }
  });

  it('learns from outcomes and work, and decides through the engine-shaped observation', () => {
    const cp = createCampaignPacer({ dialMode: 'predictive' });
    expect(cp.estimators.estimates().warm).toBe(false);
    for (let i = 0; i < 300; i++) {
      cp.observeOutcome(
        i % 3 === 0 ? { outcome: 'human', answerDelayMs: 9_000, durationMs: 9_000 } : { outcome: 'busy', durationMs: 15_000 },
      );
      if (i % 3 === 0) cp.observeWork({ talkMs: 60_000 + i * 100, wrapMs: 5_000 });
    }
    expect(cp.estimators.estimates().warm).toBe(true);
    const d = cp.decide({
      now: 0,
      campaign: { pacing: pacingOptions() },
      agents: Array.from({ length: 10 }, (_, i) => ({ id: `a${i}`, state: AgentState.OnCall, timeInStateMs: 60_000 })),
      calls: [],
      liveAnswers: 0,
      abandoned: 0,
      windowMs: 86_400_000,
    });
    expect(d.reason).toBe('model');
    expect(d.inputs).toHaveProperty('allowedRate');
  });
});
