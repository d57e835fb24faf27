import { describe, expect, it } from 'vitest';
import { dayFromEmpty } from '../optimum/day-transient';
import { optimumFor, withMarkovianVariants } from '../optimum/markovian-variant';
import { loadScenarios } from '../scenario';

// issue-22 22-cold: the day's start, exactly. `dayFromEmpty` propagates the Markovian variant's
// chain from the empty state (every agent idle, no line) under a fixed policy. It must cost talk
// over a short window (agents start idle), vanish over a long one (the stationary average), and
// the stationary end of progressive must be the optimum at α = 0 (progressive is that policy).

const variant = withMarkovianVariants(loadScenarios()).find((s) => s.name === 'small-team-3-markov');

describe('dayFromEmpty (issue-22 22-cold)', () => {
  it('starts below the stationary talk and converges to it', { timeout: 120_000 }, () => {
    if (variant === undefined) throw new Error('no small-team-3-markov');
    const short = dayFromEmpty('small-team-3-markov', 'progressive', 0.5);
    const long = dayFromEmpty('small-team-3-markov', 'progressive', 24);
    expect(short.stationary.talkFraction).toBeCloseTo(optimumFor(variant, 0).talkFraction, 6);
    // From idle agents the first half hour talks ≥ 1% less than the stationary average ...
    expect(short.day.talkFraction).toBeLessThan(short.stationary.talkFraction * 0.99);
    // ... and a 24-h day's start costs that half hour's deficit once, spread over the day.
    const deficitMs = (short.stationary.talkFraction - short.day.talkFraction) * 0.5;
    expect(long.day.talkFraction).toBeLessThan(long.stationary.talkFraction);
    expect(long.stationary.talkFraction - long.day.talkFraction).toBeLessThan((deficitMs / 24) * 1.2);
    expect(short.day.abandonRate).toBe(0);
  });

  it("the optimum's policy loses less of a day to the start than progressive", { timeout: 120_000 }, () => {
    if (variant === undefined) throw new Error('no small-team-3-markov');
    const progressive = dayFromEmpty('small-team-3-markov', 'progressive', 8);
    const optimal = dayFromEmpty('small-team-3-markov', optimumFor(variant, 0.03).policy, 8);
    const loss = (r: typeof progressive) => 1 - r.day.talkFraction / r.stationary.talkFraction;
    expect(loss(optimal)).toBeGreaterThan(0);
    expect(loss(optimal)).toBeLessThan(loss(progressive));
    expect(optimal.day.abandonRate).toBeGreaterThan(0);
  });
});
