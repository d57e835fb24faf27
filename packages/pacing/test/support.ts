import { AgentState, isPacelineError, type PacingOptions, PacingOptionsSchema } from '@paceline/core';
import fc from 'fast-check';
import Value from 'typebox/value';
import { expect } from 'vitest';
import {
  type AbandonGovernorOptions,
  COLD_ESTIMATES,
  type ModelEstimates,
  type ObservedAgent,
  type ObservedCall,
  type PacerState,
  PacingEstimators,
  parseAbandonGovernorOptions,
} from '../src/index';

/** Core's pacing defaults with overrides. */
export function pacingOptions(overrides: Partial<PacingOptions> = {}): PacingOptions {
  return Value.Default(PacingOptionsSchema, { ...overrides }) as PacingOptions;
}

/** Warm estimates learnt from a synthetic campaign (p live, delays and talk as given). */
export function warmEstimates(p = 1 / 3, talkMs = 90_000, answerMs = 10_000, failedMs = 20_000, n = 2_000): ModelEstimates {
  const est = new PacingEstimators();
  // A deterministic spread around the means (a small LCG keeps the test free of Math.random).
  let x = 12345;
  const u = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  for (let i = 0; i < n; i++) {
    if (u() < p) {
      const d = answerMs * (0.6 + 0.8 * u());
      est.observeAttempt({ outcome: 'human', answerDelayMs: d, liveDelayMs: d, durationMs: d });
      est.observeWork({ talkMs: -talkMs * Math.log(1 - u()), wrapMs: 0 });
    } else est.observeAttempt({ outcome: 'failed', durationMs: failedMs * (0.6 + 0.8 * u()) });
  }
  return est.estimates();
}

const AGENT_STATES = [
  AgentState.Ready,
  AgentState.Reserved,
  AgentState.OnCall,
  AgentState.WrapUp,
  AgentState.NotReady,
  AgentState.LoggedOut,
];

/** An agent as the pacer observes it, id `a<n>`. */
export const observedAgent = (n: number, state: AgentState, timeInStateMs: number): ObservedAgent => ({
  id: `a${n}`,
  state,
  timeInStateMs,
});

/**
 * A small team's state (issue-22 22-small: the walk over each agent): one agent ready 1 s, two on
 * calls 40 s and 150 s in, one 8 s into wrap-up, then `extra`; calls ringing `ringingAgesMs` (ms);
 * 3 lines per agent, a 3 % target, 10 abandons of 500 live answers; the estimates given.
 */
export function smallTeamState(
  estimates: PacerState['estimates'],
  extra: readonly ObservedAgent[] = [],
  ringingAgesMs: readonly number[] = [2_000, 9_000],
): PacerState {
  return {
    now: 1_700_000_000_000,
    agents: [
      observedAgent(1, AgentState.Ready, 1_000),
      observedAgent(2, AgentState.OnCall, 40_000),
      observedAgent(3, AgentState.OnCall, 150_000),
      observedAgent(4, AgentState.WrapUp, 8_000),
      ...extra,
    ],
    calls: ringingAgesMs.map((ageMs, i) => ({ id: `c${i}`, ageMs, phase: 'ringing' as const })),
    options: pacingOptions({ maxLinesPerAgent: 3, abandonTarget: 0.03, minAgentsForPredictive: 2 }),
    abandons: { liveAnswers: 500, abandoned: 10, windowMs: 86_400_000 },
    estimates,
  };
}

/** Any agent. */
export const agentArb: fc.Arbitrary<ObservedAgent> = fc.record({
  id: fc.uuid(),
  state: fc.constantFrom(...AGENT_STATES),
  timeInStateMs: fc.integer({ min: 0, max: 3_600_000 }),
  leaving: fc.boolean(),
  previewConfirmed: fc.boolean(),
});

/** Any call in flight. */
export const callArb: fc.Arbitrary<ObservedCall> = fc.record({
  id: fc.uuid(),
  ageMs: fc.integer({ min: 0, max: 130_000 }),
  phase: fc.constantFrom('dialing', 'ringing', 'analysing', 'waiting'),
});

/** Warm estimates the properties draw from: the default, a long-talk low-contact one, a quick high-contact one. */
/**
 * issue 22 (rb9: the one arbitrary of markov-hybrid and markov-hybrid-two-sided): a convex walk for
 * the hybrid launch rules' properties — 12 marginal abandon prices (0–0.3) sorted (`marginal`), and
 * `total(n)` = A(n), their prefix sums: the walk's `LaunchRisk.totalAbandons`.
 */
export const convexWalkArb: fc.Arbitrary<{ marginal: number[]; total: (n: number) => number }> = fc
  .array(fc.double({ min: 0, max: 0.3, noNaN: true }), { minLength: 12, maxLength: 12 })
  .map((steps) => {
    const marginal = [...steps].sort((a, b) => a - b);
    return { marginal, total: (n: number) => marginal.slice(0, n).reduce((a, b) => a + b, 0) };
  });

export const WARM_ESTIMATES = [warmEstimates(), warmEstimates(0.12, 120_000, 14_000, 8_000), warmEstimates(0.5, 30_000, 5_000, 3_000, 500)];
const WARM = WARM_ESTIMATES;

/** The abandon governor's default options. */
export const governorDefaults: AbandonGovernorOptions = parseAbandonGovernorOptions({});

/**
 * A warm team's observed state for the governed properties (the small-team options and the
 * allowance): `minAgents`–`maxAgents` agents, up to `maxCalls` calls, 1–3 lines an agent, any target
 * ≤ 3%, predictive from 2 agents, a day's abandon window at one of `abandonShares` (the governor in
 * every mode).
 */
export const warmTeamArb = (o: {
  readonly maxAgents: number;
  readonly minAgents?: number;
  readonly maxCalls: number;
  readonly abandonShares?: readonly number[];
}): fc.Arbitrary<PacerState> =>
  fc
    .record({
      agents: fc.array(agentArb, { minLength: o.minAgents ?? 0, maxLength: o.maxAgents }),
      calls: fc.array(callArb, { maxLength: o.maxCalls }),
      maxLinesPerAgent: fc.integer({ min: 1, max: 3 }),
      abandonTarget: fc.double({ min: 0, max: 0.03, noNaN: true }),
      liveAnswers: fc.integer({ min: 0, max: 10_000 }),
      abandonShare: fc.constantFrom(...(o.abandonShares ?? [0, 0.01, 0.02, 0.025, 0.03])),
      estimates: fc.constantFrom(...WARM_ESTIMATES),
    })
    .map((r) => ({
      now: 0,
      agents: r.agents,
      calls: r.calls,
      options: pacingOptions({ maxLinesPerAgent: r.maxLinesPerAgent, abandonTarget: r.abandonTarget, minAgentsForPredictive: 2 }),
      abandons: { liveAnswers: r.liveAnswers, abandoned: Math.floor(r.liveAnswers * r.abandonShare), windowMs: 86_400_000 },
      estimates: r.estimates,
    }));

/** Any observed state: cold or warm estimates, any team, any calls, any abandon window. */
export const stateArb: fc.Arbitrary<PacerState> = fc
  .record({
    agents: fc.array(agentArb, { maxLength: 60 }),
    calls: fc.array(callArb, { maxLength: 120 }),
    maxLinesPerAgent: fc.integer({ min: 1, max: 10 }),
    powerRatio: fc.double({ min: 1, max: 10, noNaN: true }),
    minAgentsForPredictive: fc.integer({ min: 1, max: 10 }),
    abandonTarget: fc.double({ min: 0, max: 0.03, noNaN: true }),
    liveAnswers: fc.integer({ min: 0, max: 10_000 }),
    abandonShare: fc.double({ min: 0, max: 0.1, noNaN: true }),
    estimates: fc.constantFrom(COLD_ESTIMATES, ...WARM),
  })
  .map((r) => ({
    now: 1_700_000_000_000,
    agents: r.agents,
    calls: r.calls,
    options: pacingOptions({
      maxLinesPerAgent: r.maxLinesPerAgent,
      powerRatio: r.powerRatio,
      minAgentsForPredictive: r.minAgentsForPredictive,
      abandonTarget: r.abandonTarget,
    }),
    abandons: { liveAnswers: r.liveAnswers, abandoned: Math.floor(r.liveAnswers * r.abandonShare), windowMs: 30 * 86_400_000 },
    estimates: r.estimates,
  }));

/** Agents in `state`. */
export function count(state: PacerState, ...states: AgentState[]): number {
  return state.agents.filter((a) => states.includes(a.state)).length;
}

/** Agents at work and staying (ready, or reserved / on a call / in wrap-up and not leaving). */
export function working(state: PacerState): number {
  return state.agents.filter(
    (a) =>
      (a.state === AgentState.Ready && a.leaving !== true) ||
      ((a.state === AgentState.Reserved || a.state === AgentState.OnCall || a.state === AgentState.WrapUp) && a.leaving !== true),
  ).length;
}

/** Assert that `run` throws an `E_INVALID_INPUT` PacelineError whose message contains `fragment`. */
export function expectInvalid(run: () => unknown, fragment: string): void {
  try {
    run();
  } catch (error) {
    expect(isPacelineError(error, 'E_INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toContain(fragment);
    return;
  }
  throw new Error('expected a PacelineError');
}

/**
 * One ready agent and two in wrap-up on a 3-agent team, nothing in flight: the state where the
 * walk launches 3 lines and the MDP policy 2 (22-markov's over-launch, 22-hybrid6's cut state;
 * found by enumerating 3-agent states). Shared by the two-sided hybrid's and its gate's tests.
 */
export function oneReadyTwoWrapState(estimates: ModelEstimates): PacerState {
  return {
    now: 0,
    agents: [
      { id: 'a0', state: AgentState.Ready, timeInStateMs: 5_000 },
      { id: 'a1', state: AgentState.WrapUp, timeInStateMs: 30_000 },
      { id: 'a2', state: AgentState.WrapUp, timeInStateMs: 15_000 },
    ],
    calls: [],
    options: pacingOptions({ minAgentsForPredictive: 2 }),
    abandons: { liveAnswers: 1_000, abandoned: 15, windowMs: 86_400_000 },
    estimates,
  };
}

/** A seeded uniform on (0, 1). */
export function uniform(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (x + 0.5) / 2147483648;
  };
}

/** A draw from `u`, ms. */
export type Draw = (u: () => number) => number;
/** Exponential with the given mean. */
export const exponential =
  (meanMs: number): Draw =>
  (u) =>
    -meanMs * Math.log(u());
/** Lognormal with the given mean and coefficient of variation (Box–Muller). */
export const lognormal =
  (meanMs: number, cv: number): Draw =>
  (u) => {
    const s2 = Math.log(1 + cv * cv);
    const z = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    return meanMs * Math.exp(Math.sqrt(s2) * z - s2 / 2);
  };
