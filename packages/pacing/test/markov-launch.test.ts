// issue 22 (22-markov): the small team's launch by the online MDP policy (markov-launch.ts).
// The compliance-relevant rules, property-tested: the policy solved at an allowed rate keeps the
// model's long-run abandons within it; the pacer with the option still never exceeds the line
// cap, never launches below progressive, and acts progressively in the governor's fallback.
import { AgentState } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { governAbandons, MarkovDialerMdp, MarkovLaunch, type PacerState, predictivePacer, progressiveDecision } from '../src/index';
import { governorDefaults, pacingOptions, warmEstimates, warmTeamArb, working } from './support';

/** A small team's observed state (≤ 10 agents, so the MDP policy applies to most). */
const smallTeamArb = warmTeamArb({ maxAgents: 10, maxCalls: 24 });

describe('the constrained dialer MDP', () => {
  it("keeps the model's long-run abandons within the target with the policy it returns (any small team, rates and target)", () => {
    fc.assert(
      fc.property(
        fc.record({
          agents: fc.integer({ min: 1, max: 3 }),
          talkS: fc.double({ min: 10, max: 200, noNaN: true }),
          wrapS: fc.oneof(fc.constant(0), fc.double({ min: 2, max: 30, noNaN: true })),
          lineS: fc.double({ min: 3, max: 30, noNaN: true }),
          live: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
          linesPerAgent: fc.integer({ min: 1, max: 3 }),
          target: fc.double({ min: 0.002, max: 0.06, noNaN: true }),
        }),
        (m) => {
          const mdp = new MarkovDialerMdp({
            agents: m.agents,
            talkRate: 1 / m.talkS,
            wrapRate: m.wrapS > 0 ? 1 / m.wrapS : Number.POSITIVE_INFINITY,
            lineRate: 1 / m.lineS,
            liveProbability: m.live,
            abandonRate: 0.5,
            lineCap: m.linesPerAgent * m.agents,
            maxWaiting: 4,
          });
          const o = mdp.optimum(m.target);
          expect(o.policyPerformance.abandonRate).toBeLessThanOrEqual(m.target + 1e-6);
          // The mixed optimum meets the target and is at least the deterministic policy's talk.
          expect(o.abandonRate).toBeLessThanOrEqual(m.target + 1e-6);
          expect(o.talkFraction).toBeGreaterThanOrEqual(o.policyPerformance.talkFraction - 1e-6);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('predictive with markovPolicy', () => {
  // Solved within the decision (no budget), so a state's decision does not depend on earlier calls.
  const pacer = predictivePacer({ markovPolicy: true, markovWorkPerDecision: Number.POSITIVE_INFINITY });
  // issue-22 22-markov: markovPolicy 'small-teams' — the solve stepped a bounded amount per decision
  // (the walk decides until the policy is paid for), one pacer across every case so policies arrive.
  const byDefault = predictivePacer({ markovPolicy: 'small-teams' });

  it('never exceeds maxLinesPerAgent × agents at work, never launches below progressive, and falls back to progressive', () => {
    fc.assert(
      fc.property(smallTeamArb, (state) => {
        for (const p of [pacer, byDefault]) {
          const d = p.decide(state);
          const w = working(state);
          const cap = Math.floor(state.options.maxLinesPerAgent * w);
          const progressive = progressiveDecision(state, 'progressive', true).launch;
          expect(Number.isInteger(d.launch) && d.launch >= 0).toBe(true);
          expect(state.calls.length + d.launch).toBeLessThanOrEqual(Math.max(state.calls.length, cap));
          if (w === 0) expect(d.launch).toBe(0);
          else expect(d.launch).toBeGreaterThanOrEqual(Math.min(progressive, Math.max(0, cap - state.calls.length)));
          if (w > 0 && governAbandons(state.abandons, state.options.abandonTarget, governorDefaults).mode === 'fallback')
            expect(d.launch).toBe(progressive);
        }
        // Solved within the decision: the same state, the same decision (the memo is a pure function's cache).
        expect(pacer.decide(state).launch).toBe(pacer.decide(state).launch);
      }),
      { numRuns: 150 },
    );
  });

  it('launches by the policy on a small team: two idle agents and nothing in flight get lines beyond progressive', () => {
    const state: PacerState = {
      now: 0,
      agents: [
        { id: 'a0', state: AgentState.Ready, timeInStateMs: 0 },
        { id: 'a1', state: AgentState.Ready, timeInStateMs: 0 },
        { id: 'a2', state: AgentState.OnCall, timeInStateMs: 30_000 },
      ],
      calls: [],
      options: pacingOptions(),
      abandons: { liveAnswers: 1_000, abandoned: 10, windowMs: 86_400_000 },
      estimates: warmEstimates(),
    };
    const d = pacer.decide(state);
    expect(d.reason).toBe('markov-policy');
    // One live answer in three: holding only two lines for two idle agents leaves them idle most of the time.
    expect(d.launch).toBeGreaterThan(2);
    // With no abandons allowed (fallback) it is progressive.
    const spent = pacer.decide({ ...state, abandons: { liveAnswers: 1_000, abandoned: 40, windowMs: 86_400_000 } });
    expect(spent.launch).toBe(2);
  });

  it('solves once per team size, rounded estimates and allowed rate (the memo)', () => {
    const launch = new MarkovLaunch(Number.POSITIVE_INFINITY);
    const est = warmEstimates();
    const seen = { talking: 1, wrapping: 0, lines: 1, waiting: 0 };
    const first = launch.launch(seen, 3, est, 0.0271, 9);
    expect(first).toBeDefined();
    expect(launch.solves).toBe(1);
    expect(launch.launch(seen, 3, est, 0.0272, 9)).toBe(first);
    expect(launch.solves).toBe(1);
    // A fresh instance decides the same, without the CPU: the memo's work is paid without doing it again.
    const other = new MarkovLaunch(Number.POSITIVE_INFINITY);
    expect(other.launch(seen, 3, est, 0.0271, 9)).toBe(first);
    expect(other.work).toBe(0);
  });
});
