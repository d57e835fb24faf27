// issue 22 (22-hybrid5): the walk raised towards the MDP policy's lines, each added line priced
// on the walk (markov-hybrid.ts, predictivePacer's `markovHybrid`). Property-tested: never above
// the line cap, never below progressive while progressive cannot abandon, progressive in the
// governor's fallback, deterministic for the same state; between the walk's and the policy's
// launch; and the price rule itself against its definition.
import { AgentState } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { governAbandons, hybridLaunch, type PacerState, predictivePacer, progressiveDecision } from '../src/index';
import type { LaunchRisk } from '../src/launch-risk';
import { agentArb, callArb, convexWalkArb, governorDefaults, pacingOptions, warmEstimates, warmTeamArb, working } from './support';

/** A small team's observed state (≤ 5 agents: always a small team for `'small-teams'`). */
const smallTeamArb = warmTeamArb({ maxAgents: 5, maxCalls: 12 });

// 22-markov's `t1 w0 r2 l2`: one talking, two ready, two young lines in flight.
const underLaunchState: PacerState = {
  now: 0,
  agents: [
    { id: 'a0', state: AgentState.Ready, timeInStateMs: 5_000 },
    { id: 'a1', state: AgentState.Ready, timeInStateMs: 5_000 },
    { id: 'a2', state: AgentState.OnCall, timeInStateMs: 30_000 },
  ],
  calls: [
    { id: 'c0', phase: 'ringing', ageMs: 1_000 },
    { id: 'c1', phase: 'ringing', ageMs: 1_000 },
  ],
  options: pacingOptions(),
  abandons: { liveAnswers: 1_000, abandoned: 10, windowMs: 86_400_000 },
  estimates: warmEstimates(),
};

// Solved within the decision (no work budget): a state's decision does not depend on earlier calls.
// issue-22 22-default: the one-sided, ungated hybrid this file tests (the default is two-sided and gated).
const SOLVED = { markovWorkPerDecision: Number.POSITIVE_INFINITY, markovHybridCut: false, markovHybridGate: false } as const;

describe('predictive with markovHybrid', () => {
  const hybrid = predictivePacer({ markovHybrid: 'small-teams', ...SOLVED });
  const unpriced = predictivePacer({ markovHybrid: 'small-teams', markovHybridTolerance: Number.POSITIVE_INFINITY, ...SOLVED });
  const walk = predictivePacer({ markovHybrid: false });
  const policy = predictivePacer({ markovPolicy: 'small-teams', markovWorkPerDecision: Number.POSITIVE_INFINITY });

  it('never exceeds the line cap, never launches below progressive, falls back to progressive, decides the same for the same state', () => {
    fc.assert(
      fc.property(smallTeamArb, (state) => {
        const w = working(state);
        const cap = Math.floor(state.options.maxLinesPerAgent * w);
        const progressive = progressiveDecision(state, 'progressive', true).launch;
        const d = hybrid.decide(state);
        expect(Number.isInteger(d.launch) && d.launch >= 0).toBe(true);
        expect(state.calls.length + d.launch).toBeLessThanOrEqual(Math.max(state.calls.length, cap));
        if (w === 0) expect(d.launch).toBe(0);
        else expect(d.launch).toBeGreaterThanOrEqual(Math.min(progressive, Math.max(0, cap - state.calls.length)));
        if (w > 0 && governAbandons(state.abandons, state.options.abandonTarget, governorDefaults).mode === 'fallback')
          expect(d.launch).toBe(progressive);
        // Deterministic: the same state twice, and a fresh pacer, decide the same.
        expect(hybrid.decide(state)).toEqual(d);
        expect(predictivePacer({ markovHybrid: 'small-teams', ...SOLVED }).decide(state)).toEqual(d);
      }),
      { numRuns: 150, seed: 2206 },
    );
  });

  it("launches at least the walk's lines and at most the larger of the walk's and the policy's; unpriced, exactly that larger", () => {
    fc.assert(
      fc.property(smallTeamArb, (state) => {
        const byWalk = walk.decide(state).launch;
        const byPolicy = policy.decide(state).launch;
        const n = hybrid.decide(state).launch;
        expect(n).toBeGreaterThanOrEqual(byWalk);
        expect(n).toBeLessThanOrEqual(Math.max(byWalk, byPolicy));
        expect(unpriced.decide(state).launch).toBe(Math.max(byWalk, byPolicy));
      }),
      { numRuns: 150, seed: 2207 },
    );
  });

  it('adds the policy’s line where two agents are idle with two lines out (the walk’s under-launch state)', () => {
    const state = underLaunchState;
    const byWalk = walk.decide(state).launch;
    const byPolicy = policy.decide(state).launch;
    expect(byPolicy).toBeGreaterThan(byWalk);
    expect(hybrid.decide(state).launch).toBeGreaterThan(byWalk);
    // With no room for abandons in the price, the walk's lines stand (the 3-agent team's own tolerance, Infinity since 22-early, set too).
    const tight = { markovHybrid: 'small-teams', markovHybridTolerance: 0.01, markovHybridTinyTolerance: 0.01, ...SOLVED } as const;
    expect(predictivePacer(tight).decide(state).launch).toBe(byWalk);
  });

  it('decides as the default on teams of 6 or more logged in (the option does not act)', () => {
    const largeTeamArb = fc
      .record({ agents: fc.array(agentArb, { minLength: 6, maxLength: 12 }), calls: fc.array(callArb, { maxLength: 24 }) })
      .map(
        (r): PacerState => ({
          now: 0,
          // The first six logged in (a logged-out one made ready), so the team is never "small".
          agents: r.agents.map((a, i) => (i < 6 && a.state === AgentState.LoggedOut ? { ...a, state: AgentState.Ready } : a)),
          calls: r.calls,
          options: pacingOptions({ minAgentsForPredictive: 2 }),
          abandons: { liveAnswers: 1_000, abandoned: 10, windowMs: 86_400_000 },
          estimates: warmEstimates(),
        }),
      );
    fc.assert(
      fc.property(largeTeamArb, (state) => {
        expect(hybrid.decide(state)).toEqual(walk.decide(state));
      }),
      { numRuns: 100, seed: 2209 },
    );
    // The under-launch state with three more agents logged in on a break: 3 at work, 6 logged in —
    // `'small-teams'` leaves it to the walk, `true` (≤ 8 at work) raises it.
    const onBreak = (id: string) => ({ id, state: AgentState.NotReady, timeInStateMs: 60_000 });
    const state: PacerState = { ...underLaunchState, agents: [...underLaunchState.agents, onBreak('b0'), onBreak('b1'), onBreak('b2')] };
    expect(hybrid.decide(state)).toEqual(walk.decide(state));
    expect(predictivePacer({ markovHybrid: true, ...SOLVED }).decide(state).launch).toBeGreaterThan(walk.decide(state).launch);
  });

  it('prices the added lines by markovHybridTinyTolerance (default Infinity) only while fewer than 4 are logged in (22-st3m2, 22-early)', () => {
    const tight = { markovHybrid: 'small-teams', markovHybridTolerance: 0.01, markovHybridTinyTolerance: 0.01, ...SOLVED } as const;
    const state = underLaunchState;
    const byWalk = walk.decide(state).launch;
    const loose = predictivePacer({ ...tight, markovHybridTinyTolerance: Number.POSITIVE_INFINITY });
    // 3 logged in: the tiny team's tolerance (unpriced) adds the policy's line the tight one vetoes.
    expect(predictivePacer(tight).decide(state).launch).toBe(byWalk);
    // The default tiny tolerance is the unpriced one: markovHybridTolerance alone does not price a 3-agent team.
    const { markovHybridTinyTolerance: _, ...tightDefaultTiny } = tight;
    expect(predictivePacer(tightDefaultTiny).decide(state).launch).toBe(loose.decide(state).launch);
    expect(loose.decide(state).launch).toBe(Math.max(byWalk, policy.decide(state).launch));
    expect(loose.decide(state).launch).toBeGreaterThan(byWalk);
    // One more logged in (on a break): 4, so `markovHybridTolerance` prices again.
    const four: PacerState = { ...state, agents: [...state.agents, { id: 'b0', state: AgentState.NotReady, timeInStateMs: 60_000 }] };
    expect(loose.decide(four).launch).toBe(predictivePacer(tight).decide(four).launch);
    expect(() => predictivePacer({ markovHybrid: true, markovHybridTinyTolerance: -1 })).toThrow(RangeError);
  });

  it('is exclusive with markovPolicy and checks its tolerance', () => {
    expect(() => predictivePacer({ markovHybrid: true, markovPolicy: true })).toThrow(RangeError);
    expect(() => predictivePacer({ markovHybrid: true, markovHybridTolerance: -1 })).toThrow(RangeError);
    expect(() => predictivePacer({ markovHybrid: true, markovHybridTolerance: Number.NaN })).toThrow(RangeError);
  });
});

describe('hybridLaunch', () => {
  it('adds lines from the walk’s launch while each one’s marginal abandons are within tolerance × allowed × P(live)', () => {
    fc.assert(
      fc.property(
        convexWalkArb,
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 11 }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        fc.double({ min: 0, max: 4, noNaN: true }),
        ({ total }, walkLaunch, policyLaunch, allowed, tolerance) => {
          const risk = { totalAbandons: total } as unknown as LaunchRisk;
          const pLive = 0.3;
          const n = hybridLaunch(risk, walkLaunch, policyLaunch, pLive, allowed, tolerance);
          // The definition, line by line.
          let expected = walkLaunch;
          while (expected < policyLaunch && total(expected + 1) - total(expected) <= tolerance * allowed * pLive) expected++;
          expect(n).toBe(expected);
          expect(n).toBeGreaterThanOrEqual(walkLaunch);
          expect(n).toBeLessThanOrEqual(Math.max(walkLaunch, policyLaunch));
          expect(hybridLaunch(risk, walkLaunch, policyLaunch, pLive, allowed, Number.POSITIVE_INFINITY)).toBe(
            Math.max(walkLaunch, policyLaunch),
          );
        },
      ),
      { numRuns: 300, seed: 2208 },
    );
  });
});
