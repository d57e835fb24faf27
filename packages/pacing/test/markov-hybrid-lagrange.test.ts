// issue-22 22-lag: the Lagrangian hybrid — inside the gated two-sided hybrid, the count between the
// walk's and the policy's chosen by the MDP's value at the policy's λ with the walk's abandon forecast.
import { AgentState } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import {
  lagrangianLaunch,
  MarkovDialerMdp,
  type ModelEstimates,
  type PacerState,
  PacingEstimators,
  predictivePacer,
} from '../src/index';
import { pacingOptions } from './support';

describe('lagrangianLaunch', () => {
  const value = (n: number) => [0, 5, 7, 7.5, 7.6][n] as number; // concave: lines worth less and less
  const model = (n: number) => [0, 0.01, 0.03, 0.07, 0.15][n] as number;

  it('is the values’ own choice where the walk forecasts as the model does', () => {
    expect(lagrangianLaunch(value, 10, model, model, 0, 4)).toBe(4);
    expect(lagrangianLaunch(value, 10, model, model, 1, 2)).toBe(2);
  });

  it('charges a line the walk prices dearer its excess at λ, and takes a line it prices cheaper', () => {
    // The walk sees the third line 0.05 dearer: 7.5 − 10 × 0.05 = 7 ties the second line — the fewer.
    const dearer = (n: number) => model(n) + (n >= 3 ? 0.05 : 0);
    expect(lagrangianLaunch(value, 10, dearer, model, 0, 3)).toBe(2);
    // At a smaller λ the same excess costs less than the line's talk.
    expect(lagrangianLaunch(value, 5, dearer, model, 0, 3)).toBe(3);
    // A walk that sees every line far dearer keeps the lowest count.
    expect(lagrangianLaunch(value, 10, (n) => n, model, 1, 4)).toBe(1);
    // One that sees the first two lines free of abandons takes them over the values' 0.
    const flat = (n: number) => [10, 9, 8][n] as number;
    expect(lagrangianLaunch(flat, 100, (n) => 0 * n, (n) => 0.02 * n, 0, 2)).toBe(2);
  });

  it('skips counts with no value, and returns lo when none has one', () => {
    expect(lagrangianLaunch((n) => (n === 2 ? Number.NaN : n), 1, model, model, 0, 2)).toBe(1);
    expect(lagrangianLaunch(() => Number.NaN, 1, model, model, 1, 3)).toBe(1);
  });
});

describe('MarkovDialerMdp.optimumValueSteps', () => {
  it('gives values whose best count is the safe policy’s in every state', () => {
    const mdp = new MarkovDialerMdp({
      agents: 3,
      talkRate: 1 / 150,
      wrapRate: 1 / 20,
      lineRate: 1 / 15,
      liveProbability: 0.25,
      abandonRate: 0.5,
      lineCap: 9,
      maxWaiting: 4,
    });
    const steps = mdp.optimumValueSteps(0.027);
    let r = steps.next();
    while (r.done !== true) r = steps.next();
    const { optimum, values } = r.value;
    expect(values.lambda).toBe(optimum.lambda);
    let states = 0;
    for (let t = 0; t <= 3; t++)
      for (let w = 0; t + w <= 3; w++)
        for (let l = 0; l <= 9; l++) {
          let best = l;
          for (let h = l + 1; h <= 9; h++) if (values.valueOf(t, w, h, 0) > values.valueOf(t, w, best, 0) + 1e-9) best = h;
          expect(best).toBe(optimum.policy.linesFor(t, w, l, 0));
          states++;
        }
    expect(states).toBe(100);
    expect(values.valueOf(1, 0, 10, 0)).toBeNaN();
  });
});

/** A seeded uniform on (0, 1). */
function uniform(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (x + 0.5) / 2147483648;
  };
}

/** Warm estimates of small-team-3's traffic; exponential or lognormal (cv 0.8 / 0.5) work. */
function teamEstimates(exponentialWork: boolean, seed: number): ModelEstimates {
  const est = new PacingEstimators();
  const u = uniform(seed);
  const lognormal = (mean: number, cv: number) => {
    const s2 = Math.log(1 + cv * cv);
    const z = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    return mean * Math.exp(Math.sqrt(s2) * z - s2 / 2);
  };
  for (let i = 0; i < 2_000; i++) {
    if (u() < 0.25) {
      const d = 12_000 * (0.6 + 0.8 * u());
      est.observeAttempt({ outcome: 'human', answerDelayMs: d, liveDelayMs: d, durationMs: d });
      est.observeWork(
        exponentialWork
          ? { talkMs: -150_000 * Math.log(u()), wrapMs: -20_000 * Math.log(u()) }
          : { talkMs: lognormal(150_000, 0.8), wrapMs: lognormal(20_000, 0.5) },
      );
    } else est.observeAttempt({ outcome: 'failed', durationMs: 20_000 * (0.6 + 0.8 * u()) });
  }
  return est.estimates();
}

/** Every (talking, wrap-up, ready) split of 3 agents with 0–3 lines in flight, the agents' ages drawn from `seed`. */
function states(estimates: ModelEstimates, seed: number): PacerState[] {
  const u = uniform(seed);
  const out: PacerState[] = [];
  for (let t = 0; t <= 3; t++)
    for (let w = 0; t + w <= 3; w++)
      for (let l = 0; l <= 3; l++) {
        const agents = [0, 1, 2].map((i) => ({
          id: `a${i}`,
          state: i < t ? AgentState.OnCall : i < t + w ? AgentState.WrapUp : AgentState.Ready,
          timeInStateMs: Math.floor(u() * 200_000),
        }));
        const calls = Array.from({ length: l }, (_, i) => ({ id: `c${i}`, phase: 'dialing' as const, ageMs: Math.floor(u() * 15_000) }));
        out.push({
          now: 0,
          agents,
          calls,
          options: pacingOptions({ minAgentsForPredictive: 2 }),
          abandons: { liveAnswers: 1_000, abandoned: 20, windowMs: 86_400_000 },
          estimates,
        });
      }
  return out;
}

describe('predictive with markovHybridLagrange', () => {
  const solved = { markovHybrid: 'small-teams', markovHybridCut: 0, markovHybridGate: true, markovWorkPerDecision: Number.POSITIVE_INFINITY } as const;
  const walk = predictivePacer();
  const twoSided = predictivePacer(solved);
  const lagrange = predictivePacer({ ...solved, markovHybridLagrange: true });

  it('launches between the walk’s count and the policy’s while the work is exponential, and differs from the tolerance somewhere', () => {
    let differs = 0;
    for (const seed of [1, 2, 3]) {
      for (const state of states(teamEstimates(true, 2200 + seed), seed)) {
        const d2 = twoSided.decide(state);
        const dl = lagrange.decide(state);
        const w = d2.inputs.walkLaunch as number | undefined;
        const p = d2.inputs.policyLaunch as number | undefined;
        if (w === undefined || p === undefined) {
          expect(dl).toEqual(d2);
          continue;
        }
        const floor = Math.max(0, state.agents.filter((a) => a.state === AgentState.Ready).length - state.calls.length);
        expect(dl.launch).toBeGreaterThanOrEqual(Math.min(w, Math.max(floor, p)));
        expect(dl.launch).toBeLessThanOrEqual(Math.max(w, p));
        expect(dl.inputs.forecast).toBe('hybrid');
        if (dl.launch !== d2.launch) differs++;
      }
    }
    expect(differs).toBeGreaterThan(0);
  });

  it('decides as the walk on a lognormal team’s estimates (the gate shut)', () => {
    for (const state of states(teamEstimates(false, 2211), 4)) expect(lagrange.decide(state)).toEqual(walk.decide(state));
  });

  it('checks its option', () => {
    expect(() => predictivePacer({ markovHybrid: 'small-teams', markovHybridCut: 0, markovHybridLagrange: true })).toThrow(RangeError);
    expect(() => predictivePacer({ markovHybrid: 'small-teams', markovHybridGate: true, markovHybridLagrange: true })).toThrow(RangeError);
  });
});
