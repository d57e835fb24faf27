// issue-22 22-itc20: the cold start's censored-sample test (cold-start.ts).
import { AgentState } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CENSORED_TALK_SHARE, censoredTalkShare } from '../src/cold-start';
import { type ObservedAgent, type PacerState, PacingEstimators, predictivePacer } from '../src/index';
import { pacingOptions, stateArb, warmEstimates } from './support';

const agent = (state: AgentState, timeInStateMs: number, i: number): ObservedAgent => ({ id: `a${i}`, state, timeInStateMs });

/** A team that started together: `onCall` agents `ageMs` into their call, the rest ready. */
function team(onCall: number, ready: number, ageMs: number, estimates: PacerState['estimates']): PacerState {
  const agents = [
    ...Array.from({ length: onCall }, (_, i) => agent(AgentState.OnCall, ageMs, i)),
    ...Array.from({ length: ready }, (_, i) => agent(AgentState.Ready, 0, onCall + i)),
  ];
  return {
    now: 1_700_000_000_000,
    agents,
    calls: [],
    options: pacingOptions(),
    abandons: { liveAnswers: 0, abandoned: 0, windowMs: 30 * 86_400_000 },
    estimates,
  };
}

/** Estimates warm on exactly `n` finished calls of `talkMs` each (a team's first, short calls). */
function firstCalls(n: number, talkMs: number): PacerState['estimates'] {
  const est = new PacingEstimators();
  for (let i = 0; i < 90; i++)
    est.observeAttempt(
      i % 3 === 0
        ? { outcome: 'human', answerDelayMs: 10_000, liveDelayMs: 10_000, durationMs: 10_000 }
        : { outcome: 'failed', durationMs: 20_000 },
    );
  for (let i = 0; i < n; i++) est.observeWork({ talkMs, wrapMs: 0 });
  return est.estimates();
}

describe('censoredTalkShare', () => {
  it('is the calls in progress’ talk beyond the finished mean over the finished calls’ talk', () => {
    const est = firstCalls(15, 30_000);
    expect(est.warm).toBe(true);
    // 10 agents 45 s into their calls against 15 finished calls of ~30 s.
    const m = est.meanTalkMs;
    expect(censoredTalkShare(team(10, 5, 45_000, est), est)).toBeCloseTo((10 * (45_000 - m)) / (15 * m), 9);
    expect(censoredTalkShare(team(0, 5, 45_000, est), est)).toBe(0);
    // A staggered team's newcomers: calls younger than the finished mean hold no evidence against it.
    expect(censoredTalkShare(team(10, 5, m - 1, est), est)).toBe(0);
    // Only agents on a call count: a wrap-up or a break holds no talk.
    const s = team(2, 0, 45_000, est);
    const others = { ...s, agents: [...s.agents, agent(AgentState.WrapUp, 600_000, 7), agent(AgentState.NotReady, 600_000, 8)] };
    expect(censoredTalkShare(others, est)).toBeCloseTo(censoredTalkShare(s, est), 12);
  });
});

describe('the predictive pacer’s cold start on a censored sample', () => {
  it('by default, stays progressive while a team that started together has finished only its short first calls', () => {
    // itc-20-markov two minutes in: 15 finished calls of ~30 s, 14 agents 60 s into theirs, 6 ready.
    const early = firstCalls(15, 30_000);
    const state = team(14, 6, 60_000, early);
    expect(censoredTalkShare(state, early)).toBeGreaterThan(CENSORED_TALK_SHARE);
    const d = predictivePacer().decide(state);
    expect(d.reason).toBe('cold-start');
    expect(d.launch).toBe(6);
    // The test off (`false`, or `Infinity`): the walk decides on the short sample (and launches beyond progressive).
    const off = predictivePacer({ censoredTalkShare: false }).decide(state);
    expect(off.reason).not.toBe('cold-start');
    expect(off.launch).toBeGreaterThan(6);
    expect(predictivePacer({ censoredTalkShare: Number.POSITIVE_INFINITY }).decide(state)).toEqual(off);
    // A looser bound than the share: the walk decides.
    expect(predictivePacer({ censoredTalkShare: censoredTalkShare(state, early) * 1.01 }).decide(state)).toEqual(off);
    // A fair sample (2,000 calls, a day's): the same team decides by the model.
    const warm = warmEstimates();
    expect(predictivePacer().decide({ ...state, estimates: warm }).reason).not.toBe('cold-start');
  });

  it('decides as with the test off whenever the share is within the bound (any state)', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        // Fresh pacers per state: the default's hybrid steps its MDP solve per decision (22-default).
        const on = predictivePacer();
        const explicit = predictivePacer({ censoredTalkShare: CENSORED_TALK_SHARE });
        const off = predictivePacer({ censoredTalkShare: false });
        const d = on.decide(state);
        // The default is the measured bound.
        expect(explicit.decide(state)).toEqual(d);
        if (!state.estimates.warm || censoredTalkShare(state, state.estimates) <= CENSORED_TALK_SHARE) {
          expect(d).toEqual(off.decide(state));
        } else if (d.reason === 'cold-start') {
          // Beyond it the pacer is progressive: never more lines than ready agents.
          expect(d.launch).toBeLessThanOrEqual(state.agents.filter((a) => a.state === AgentState.Ready).length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a bound that is not positive (off is `false` or `Infinity`)', () => {
    expect(() => predictivePacer({ censoredTalkShare: 0 })).toThrow(RangeError);
    expect(() => predictivePacer({ censoredTalkShare: -0.5 })).toThrow(RangeError);
    expect(() => predictivePacer({ censoredTalkShare: Number.NaN })).toThrow(RangeError);
    expect(() => predictivePacer({ censoredTalkShare: false })).not.toThrow();
    expect(() => predictivePacer({ censoredTalkShare: Number.POSITIVE_INFINITY })).not.toThrow();
  });
});
