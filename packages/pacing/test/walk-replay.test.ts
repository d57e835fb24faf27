import { AgentState } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { assessLaunch, type ObservedAgent, type ObservedCall, type PacerState } from '../src/index';
import { pacingOptions, warmEstimates } from './support';

// The walk's price of a launch against the truth: the same states continued by Monte Carlo under
// the simulator's rules (FIFO callers, a caller lost when no agent is free within the 2-s grace,
// no further launches), with the distributions `warmEstimates` learnt from: live p = 1/3, answer
// delay uniform on 6–14 s, failed attempts uniform on 12–28 s, exponential talk (mean 90 s), no
// wrap-up. itc-20-like states (20 agents, 1–4 ready, 8–17 calls ringing) take the exact walk.
// bench/calibration-replay.ts does the same on the simulator's own states (docs/pacing.md).

const P = 1 / 3;
const TALK_MS = 90_000;
const GRACE_MS = 2_000;
const answerSurvival = (g: number) => Math.min(1, Math.max(0, (14_000 - g) / 8_000));
const failedSurvival = (g: number) => Math.min(1, Math.max(0, (28_000 - g) / 16_000));

/** Small deterministic generator (a test must replay exactly). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

function stateOf(r: () => number): { state: PacerState; ready: number; busy: number; ages: number[] } {
  const ready = 1 + Math.floor(r() * 4);
  const agents: ObservedAgent[] = [];
  for (let i = 0; i < 20; i++)
    agents.push(
      i < ready
        ? { id: `a${i}`, state: AgentState.Ready, timeInStateMs: 1_000 }
        : { id: `a${i}`, state: AgentState.OnCall, timeInStateMs: Math.floor(r() * 200_000) },
    );
  const ages = Array.from({ length: 8 + Math.floor(r() * 10) }, () => Math.floor(r() * 14_000));
  const calls: ObservedCall[] = ages.map((ageMs, i) => ({ id: `c${i}`, ageMs, phase: 'ringing' }));
  const state: PacerState = {
    now: 0,
    agents,
    calls,
    options: pacingOptions(),
    abandons: { liveAnswers: 1_000, abandoned: 25, windowMs: 86_400_000 },
    estimates: warmEstimates(),
  };
  return { state, ready, busy: 20 - ready, ages };
}

/** Expected lost callers with `n` extra calls launched now (n = 0, 1), common random numbers. */
function replay(ready: number, busy: number, ages: readonly number[], reps: number, seed: number): [number, number] {
  const r = lcg(seed);
  const lost = [0, 0];
  for (let rep = 0; rep < reps; rep++) {
    const callers: number[] = [];
    for (const g of ages) {
      const live = P * answerSurvival(g);
      const failed = (1 - P) * failedSurvival(g);
      if (r() * (live + failed) < live) {
        const from = Math.max(g, 6_000);
        callers.push(from + r() * (14_000 - from) - g);
      }
    }
    const free: number[] = [];
    for (let i = 0; i < ready; i++) free.push(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < busy; i++) free.push(-TALK_MS * Math.log(1 - r()));
    const talks = Array.from({ length: 32 }, () => -TALK_MS * Math.log(1 - r()));
    const extra = r() < P ? 6_000 + 8_000 * r() : undefined;
    for (let n = 0; n <= 1; n++) {
      const all = (n === 1 && extra !== undefined ? [...callers, extra] : callers).slice().sort((a, b) => a - b);
      const f = free.slice();
      let t = 0;
      for (const a of all) {
        let best = 0;
        for (let i = 1; i < f.length; i++) if ((f[i] as number) < (f[best] as number)) best = i;
        if ((f[best] as number) <= a + GRACE_MS) f[best] = Math.max(f[best] as number, a) + (talks[t++ % talks.length] as number);
        else lost[n] = (lost[n] as number) + 1;
      }
    }
  }
  return [(lost[0] as number) / reps, (lost[1] as number) / reps];
}

describe("the exact walk's price of a launch, against a Monte-Carlo replay of the same states", () => {
  it('forecasts the abandons of the calls already there within 15%, and prices the next call within 1.5×, summed over 40 states', () => {
    const r = lcg(2026);
    let walkPrice = 0;
    let truePrice = 0;
    let walkBase = 0;
    let trueBase = 0;
    for (let s = 0; s < 40; s++) {
      const { state, ready, busy, ages } = stateOf(r);
      const a = assessLaunch(state, 1);
      const [base, withOne] = replay(ready, busy, ages, 3_000, s + 1);
      walkPrice += a.expectedAbandons;
      walkBase += a.baselineAbandons;
      truePrice += withOne - base;
      trueBase += base;
    }
    // Sums of several abandons: enough replays (3,000 per state) that the comparison is not noise.
    expect(truePrice).toBeGreaterThan(1);
    expect(trueBase).toBeGreaterThan(5);
    // The level: 1.16 here. With the placement before the spread (per-step pieces for the unlikely
    // items, the likely ones at the step where half their chance has passed), 1.29.
    expect(walkBase / trueBase).toBeGreaterThan(0.85);
    expect(walkBase / trueBase).toBeLessThan(1.2);
    // The price of one more call stays ~1.36× the truth in these crowded states (1.40 before):
    // the residual over-charge docs/pacing.md lists as still open (the run-learnt forecast scale
    // takes it out on the campaign's own evidence).
    expect(walkPrice / truePrice).toBeGreaterThan(0.8);
    expect(walkPrice / truePrice).toBeLessThan(1.5);
  });
});
