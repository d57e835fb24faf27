// issue-23 23-dist: the blend policy's `arrivalShare` (distributed mode: a node sizes its reserve
// for its share of the pool's learnt arrivals). Without it the policy is unchanged, bit for bit.
import { AgentState, seededRandom } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { createBlendPolicy, type ObservedAgent } from '../src/index';

const T0 = Date.UTC(2026, 10, 23, 15, 0);

/** The same seeded day of observations and decisions for each policy; `share` per decision (undefined: none given). */
function run(share: number | undefined) {
  const policy = createBlendPolicy({ recomputeEveryMs: 0 });
  const random = seededRandom(23);
  const decisions = [];
  let now = T0;
  for (let tick = 0; tick < 400; tick++) {
    now += Math.floor(random.next() * 20_000);
    if (random.next() < 0.6) policy.observeArrival(now);
    if (random.next() < 0.4) policy.observeAnswered(random.next() * 30_000);
    if (random.next() < 0.1) policy.observeAbandon(random.next() * 60_000);
    if (random.next() < 0.5) policy.observeWork(random.next() < 0.5 ? 'inbound' : 'outbound', 60_000 + random.next() * 300_000);
    const n = 3 + Math.floor(random.next() * 10);
    const agents: ObservedAgent[] = Array.from({ length: n }, (_, i) => ({
      id: `a${i}`,
      state: random.next() < 0.5 ? AgentState.Ready : AgentState.OnCall,
      timeInStateMs: Math.floor(random.next() * 60_000),
    }));
    const queuedInbound = Math.floor(random.next() * 3);
    decisions.push(policy.decide({ now, agents, queuedInbound, ...(share === undefined ? {} : { arrivalShare: share }) }));
  }
  return decisions;
}

describe('the blend policy’s arrival share (issue-23 23-dist)', () => {
  it('a share of 1 decides exactly as no share (the single-node path is the same arithmetic)', () => {
    expect(run(1)).toEqual(run(undefined));
  });

  it('a share sizes the reserve for that part of the learnt rate, and never more agents than the whole rate does', () => {
    const whole = run(undefined);
    const half = run(0.5);
    let smaller = 0;
    whole.forEach((w, i) => {
      const h = half[i];
      expect(Number(h?.inputs.arrivalsPerHour)).toBeCloseTo(Number(w.inputs.arrivalsPerHour) / 2, 9);
      expect(h?.reserve).toBeLessThanOrEqual(w.reserve);
      if ((h?.reserve ?? 0) < w.reserve) smaller++;
    });
    expect(smaller).toBeGreaterThan(0);
  });
});
