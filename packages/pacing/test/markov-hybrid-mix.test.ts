// issue-22 22-lag: the optimum's mix of its two deterministic policies, time-shared inside the gated hybrid.
import { AgentState } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import {
  boldBlock,
  MarkovDialerMdp,
  MIX_BLOCK_MS,
  type ModelEstimates,
  type PacerState,
  PacingEstimators,
  predictivePacer,
} from '../src/index';
import { pacingOptions } from './support';

describe('boldBlock', () => {
  it('runs the bold policy in a 1 − safeShare share of the blocks, evenly', () => {
    for (const share of [0, 0.1, 0.37, 0.5, 0.9, 1]) {
      let bold = 0;
      let firstHalf = 0;
      for (let k = 0; k < 1_000; k++)
        if (boldBlock(k * MIX_BLOCK_MS + 1_000, share)) {
          bold++;
          if (k < 500) firstHalf++;
        }
      expect(Math.abs(bold / 1_000 - (1 - share))).toBeLessThan(0.01);
      expect(Math.abs(firstHalf / 500 - (1 - share))).toBeLessThan(0.01);
    }
    // One verdict for the whole of a block.
    expect(boldBlock(7 * MIX_BLOCK_MS, 0.5)).toBe(boldBlock(8 * MIX_BLOCK_MS - 1, 0.5));
  });
});

describe('MarkovDialerMdp.optimum mix', () => {
  it('gives the safe and the bold policy of the bracket, and the safe one’s share of the mix', () => {
    // A 3-agent team whose deterministic policies jump from 0.46% to 2.46% abandons: at 2% the optimum mixes them.
    const mdp = new MarkovDialerMdp({
      agents: 3,
      talkRate: 1 / 150,
      wrapRate: 1 / 20,
      lineRate: 1 / 20,
      liveProbability: 0.25,
      abandonRate: 0.5,
      lineCap: 9,
      maxWaiting: 4,
    });
    const o = mdp.optimum(0.02);
    expect(o.policyPerformance.abandonRate).toBeLessThan(0.01);
    expect(o.safeShare).toBeGreaterThan(0);
    expect(o.safeShare).toBeLessThan(1);
    // One talking, two ready, two lines: the safe policy holds 2, the bold one the third line.
    expect(o.policy.linesFor(1, 0, 2, 0)).toBe(2);
    expect(o.boldPolicy.linesFor(1, 0, 2, 0)).toBe(3);
    // An optimum its boldest deterministic policy already meets is not mixed (every abandon allowed).
    const loose = mdp.optimum(1);
    expect(loose.safeShare).toBe(1);
    expect(loose.boldPolicy).toBe(loose.policy);
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
function states(estimates: ModelEstimates, seed: number, now: number): PacerState[] {
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
          now,
          agents,
          calls,
          options: pacingOptions({ minAgentsForPredictive: 2 }),
          abandons: { liveAnswers: 1_000, abandoned: 20, windowMs: 86_400_000 },
          estimates,
        });
      }
  return out;
}

describe('predictive with markovHybridMix', () => {
  const solved = { markovHybrid: 'small-teams', markovHybridCut: 0, markovHybridGate: true, markovWorkPerDecision: Number.POSITIVE_INFINITY } as const;
  const walk = predictivePacer();
  const gated = predictivePacer(solved);
  const mixed = predictivePacer({ ...solved, markovHybridMix: true });
  // Blocks the mix runs the safe policy in for any share > 0.2, and the bold one for any share < 0.9.
  let safeNow = 0;
  let boldNow = 0;
  for (let k = 0; k < 100; k++) {
    const now = k * MIX_BLOCK_MS + 1_000;
    if (!boldBlock(now, 0.2) && safeNow === 0) safeNow = now;
    if (boldBlock(now, 0.9) && boldNow === 0) boldNow = now;
  }

  it('decides as the gated hybrid in a safe block, and launches more somewhere in a bold block', () => {
    let more = 0;
    for (const seed of [1, 2, 3]) {
      const estimates = teamEstimates(true, 2200 + seed);
      for (const state of states(estimates, seed, safeNow)) expect(mixed.decide(state)).toEqual(gated.decide(state));
      for (const state of states(estimates, seed, boldNow)) {
        const m = mixed.decide(state).launch;
        const g = gated.decide(state).launch;
        expect(m).toBeGreaterThanOrEqual(g);
        if (m > g) more++;
      }
    }
    expect(more).toBeGreaterThan(0);
  });

  it('decides as the walk on a lognormal team’s estimates (the gate shut), in any block', () => {
    for (const now of [safeNow, boldNow])
      for (const state of states(teamEstimates(false, 2211), 4, now)) expect(mixed.decide(state)).toEqual(walk.decide(state));
  });

  it('checks its option', () => {
    expect(() => predictivePacer({ markovHybrid: 'small-teams', markovHybridCut: 0, markovHybridMix: true })).toThrow(RangeError);
  });
});
