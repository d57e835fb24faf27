// issue 22 (22-markov, second session): the MDP policy as the small teams' default, its solve
// stepped a bounded amount per decision so no decision waits for a whole solve (seconds for 5
// agents), and the process-wide memo changing no instance's decisions.
import { AgentState } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MarkovLaunch, type PacerState, predictivePacer } from '../src/index';
import { agentArb, callArb, pacingOptions, warmEstimates } from './support';

/** One sweep of the 2-agent chain at cap 6 (edges). */
const SWEEP_2_AGENTS_CAP_6 = 414;
const seen = { talking: 1, wrapping: 0, lines: 1, waiting: 0 };

describe('the stepped solve', () => {
  it('spends at most the budget (plus one sweep) a decision, and then decides as the whole solve does', () => {
    const est = warmEstimates(0.3, 70_000, 9_000, 16_000);
    const budget = 40_000;
    const stepped = new MarkovLaunch(budget);
    let calls = 0;
    let last = 0;
    let result: number | undefined;
    do {
      result = stepped.launch(seen, 2, est, 0.02, 6);
      calls++;
      // Work per decision is bounded: the budget, overshot by at most one sweep of the chain.
      expect(stepped.work - last).toBeLessThanOrEqual(budget + SWEEP_2_AGENTS_CAP_6);
      last = stepped.work;
    } while (result === undefined && calls < 1_000_000);
    expect(calls).toBeGreaterThan(1); // the solve did not fit one decision: the walk decided meanwhile
    const whole = new MarkovLaunch(Number.POSITIVE_INFINITY);
    expect(result).toBe(whole.launch(seen, 2, est, 0.02, 6));
    expect(stepped.solves).toBe(1);

    // A second instance finds the solve in the process-wide memo: no CPU, yet the policy only after
    // it has paid the same work from its own budget — the same decisions as the first instance.
    const again = new MarkovLaunch(budget);
    let waited = 0;
    let r: number | undefined;
    do {
      r = again.launch(seen, 2, est, 0.02, 6);
      waited++;
    } while (r === undefined && waited < 1_000_000);
    expect(waited).toBe(calls);
    expect(r).toBe(result);
    expect(again.work).toBe(0);
  });

  it('uses the policy at the largest solved allowed rate at or below the one allowed now, never above', () => {
    const est = warmEstimates(0.3, 70_000, 9_000, 16_000);
    const exact = (alpha: number, o: typeof seen) => new MarkovLaunch(Number.POSITIVE_INFINITY).launch(o, 2, est, alpha, 6);
    // A state where the 1 % and the 4 % policies differ.
    const states = [0, 1, 2].flatMap((talking) => [0, 1, 2, 3, 4].map((lines) => ({ talking, wrapping: 0, lines, waiting: 0 })));
    const o = states.find((x) => exact(0.01, x) !== exact(0.04, x));
    if (o === undefined) throw new Error('no state where the 1 % and 4 % policies differ');
    const launch = new MarkovLaunch(2_000);
    let r: number | undefined;
    for (let i = 0; i < 1_000_000 && r === undefined; i++) r = launch.launch(o, 2, est, 0.01, 6);
    expect(r).toBe(exact(0.01, o));
    // 4 % allowed, its solve not paid for: the 1 % policy (the safe side) decides meanwhile, then the 4 % one.
    expect(launch.launch(o, 2, est, 0.04, 6)).toBe(exact(0.01, o));
    let n = 1;
    while (launch.launch(o, 2, est, 0.04, 6) !== exact(0.04, o) && n < 1_000_000) n++;
    expect(n).toBeGreaterThan(1);
    // Back to 1 %: its own policy, never the 4 % one.
    expect(launch.launch(o, 2, est, 0.01, 6)).toBe(exact(0.01, o));
    // Below every solved rate: no policy (the walk decides).
    expect(launch.launch(o, 2, est, 0.005, 6)).toBeUndefined();
  });
});

describe("markovPolicy: 'small-teams'", () => {
  const state = (agents: PacerState['agents']): PacerState => ({
    now: 0,
    agents,
    calls: [],
    options: pacingOptions({ minAgentsForPredictive: 2 }),
    abandons: { liveAnswers: 1_000, abandoned: 10, windowMs: 86_400_000 },
    estimates: warmEstimates(),
  });

  it('launches a small team by the MDP policy once its solve is paid for; the walk decides before', () => {
    const pacer = predictivePacer({ markovPolicy: 'small-teams' });
    const s = state([
      { id: 'a0', state: AgentState.Ready, timeInStateMs: 0 },
      { id: 'a1', state: AgentState.Ready, timeInStateMs: 0 },
      { id: 'a2', state: AgentState.OnCall, timeInStateMs: 30_000 },
    ]);
    const first = pacer.decide(s);
    expect(first.reason).not.toBe('markov-policy');
    let d = first;
    for (let i = 0; i < 100_000 && d.reason !== 'markov-policy'; i++) d = pacer.decide(s);
    expect(d.reason).toBe('markov-policy');
    expect(d.launch).toBeGreaterThan(2);
  });

  it('decides a team of 6 or more logged in exactly as without the MDP policy', () => {
    const plain = predictivePacer({ markovHybrid: false }); // 22-default: the walk alone
    const byDefault = predictivePacer({ markovPolicy: 'small-teams' });
    const arb = fc
      .record({
        agents: fc.array(agentArb, { minLength: 6, maxLength: 10 }),
        calls: fc.array(callArb, { maxLength: 20 }),
        abandoned: fc.integer({ min: 0, max: 30 }),
      })
      .filter((r) => r.agents.filter((a) => a.state !== AgentState.LoggedOut).length >= 6);
    fc.assert(
      fc.property(arb, (r) => {
        const s = { ...state(r.agents), calls: r.calls, abandons: { liveAnswers: 1_000, abandoned: r.abandoned, windowMs: 86_400_000 } };
        expect(byDefault.decide(s)).toEqual(plain.decide(s));
      }),
      { numRuns: 150 },
    );
  });
});
