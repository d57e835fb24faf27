// issue-22 22-mdpcal: the MDP policy's own forecast (markov-forecast.ts) — the frozen chain's
// expected remaining abandons, checked against a closed form, a seeded Monte-Carlo run of the same
// chain, its pathwise bounds (fast-check, seeded), and the pacer's report of a policy launch.
import { AgentState, seededRandom } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frozenAbandons, type MarkovDialer, MarkovLaunch, observeMarkov, type PacerState, predictivePacer } from '../src/index';
import { pacingOptions, warmEstimates } from './support';

const model = (o: Partial<MarkovDialer> = {}): MarkovDialer => ({
  agents: 3,
  talkRate: 1 / 60,
  wrapRate: 1 / 10,
  lineRate: 1 / 12,
  liveProbability: 0.35,
  abandonRate: 0.5,
  lineCap: 9,
  maxWaiting: 4,
  ...o,
});

/** A seeded uniform in [0, 1) (core's `seededRandom`). */
function rng(seed: number): () => number {
  const random = seededRandom(seed);
  return () => random.next();
}

/** One path of the frozen chain by its event rules (written from the model's description, not the DP). */
function simulate(m: MarkovDialer, start: { t: number; w: number; l: number; q: number }, random: () => number): number {
  let { t, w, l, q } = start;
  const wrap = Number.isFinite(m.wrapRate);
  let abandons = 0;
  while (l > 0 || q > 0) {
    const rLine = l * m.lineRate;
    const rTalk = t * m.talkRate;
    const rWrap = wrap ? w * m.wrapRate : 0;
    const rLeave = q * m.abandonRate;
    const u = random() * (rLine + rTalk + rWrap + rLeave);
    if (u < rLine) {
      l--;
      if (random() < m.liveProbability) {
        if (m.agents - t - w > 0) t++;
        else if (q < m.maxWaiting) q++;
        else abandons++;
      }
    } else if (u < rLine + rTalk) {
      t--;
      if (wrap) w++;
      else if (q > 0) {
        q--;
        t++;
      }
    } else if (u < rLine + rTalk + rWrap) {
      w--;
      if (q > 0) {
        q--;
        t++;
      }
    } else {
      q--;
      abandons++;
    }
  }
  return abandons;
}

describe('the MDP policy’s own forecast (frozen chain)', () => {
  it('matches the closed form of one busy agent, one line', () => {
    // Talk ends (μ) before the line resolves (r): no abandon; else live (p) and the caller waits:
    // abandons (θ) before the talk ends (μ).
    const m = model({ agents: 1, talkRate: 1 / 40, wrapRate: Number.POSITIVE_INFINITY, lineRate: 1 / 8, liveProbability: 0.3 });
    const [mu, r, p, th] = [1 / 40, 1 / 8, 0.3, 0.5];
    const f = frozenAbandons(m);
    expect(f.at(1, 0, 1, 0)).toBeCloseTo((r / (r + mu)) * p * (th / (th + mu)), 12);
    expect(f.launch(1, 0, 0, 0, 1)).toBeCloseTo((r / (r + mu)) * p * (th / (th + mu)), 12);
    // A waiting caller alone: abandons before the talk ends.
    expect(f.at(1, 0, 0, 1)).toBeCloseTo(th / (th + mu), 12);
  });

  it('agrees with a seeded Monte-Carlo run of the same chain (with wrap-up, a full queue, several agents)', () => {
    const random = rng(22);
    for (const [m, s] of [
      [model(), { t: 2, w: 1, l: 6, q: 0 }],
      [model({ agents: 5, lineCap: 15, wrapRate: Number.POSITIVE_INFINITY, liveProbability: 0.6 }), { t: 4, w: 0, l: 9, q: 0 }],
      [model({ agents: 2, maxWaiting: 1, liveProbability: 0.8, lineRate: 1 / 3 }), { t: 1, w: 1, l: 5, q: 1 }],
    ] as const) {
      const n = 20_000;
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const a = simulate(m, s, random);
        sum += a;
        sq += a * a;
      }
      const mean = sum / n;
      const se = Math.sqrt((sq / n - mean * mean) / n);
      expect(mean).toBeGreaterThan(0.05);
      expect(Math.abs(frozenAbandons(m).at(s.t, s.w, s.l, s.q) - mean)).toBeLessThan(4 * se);
    }
  });

  it('is 0 with as many idle agents as lines, within [0, lines + waiting], and a launch adds at most its lines', () => {
    fc.assert(
      fc.property(
        fc.record({
          agents: fc.integer({ min: 1, max: 5 }),
          talkS: fc.double({ min: 5, max: 300, noNaN: true }),
          wrapS: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 60, noNaN: true })),
          lineS: fc.double({ min: 1, max: 40, noNaN: true }),
          live: fc.double({ min: 0, max: 1, noNaN: true }),
          linesPerAgent: fc.integer({ min: 1, max: 3 }),
          t: fc.nat(5),
          w: fc.nat(5),
          l: fc.nat(15),
          q: fc.nat(4),
          n: fc.nat(6),
        }),
        (r) => {
          const m = model({
            agents: r.agents,
            talkRate: 1 / r.talkS,
            wrapRate: r.wrapS > 0 ? 1 / r.wrapS : Number.POSITIVE_INFINITY,
            lineRate: 1 / r.lineS,
            liveProbability: r.live,
            lineCap: r.linesPerAgent * r.agents,
          });
          const f = frozenAbandons(m);
          const t = Math.min(r.t, r.agents);
          const w = r.wrapS > 0 ? Math.min(r.w, r.agents - t) : 0;
          const q = t + w === r.agents ? Math.min(r.q, m.lineCap) : 0;
          const l = Math.min(r.l, m.lineCap - q);
          const a = f.at(t, w, l, q);
          expect(a).toBeGreaterThanOrEqual(0);
          expect(a).toBeLessThanOrEqual(l + q + 1e-9);
          if (q === 0 && r.agents - t - w >= l) expect(a).toBe(0);
          const n = Math.min(r.n, m.lineCap - q - l);
          const launch = f.launch(t, w, l, q, n);
          expect(launch).toBeGreaterThanOrEqual(0);
          // Only a live line can wait; each live line adds at most one abandon in expectation bound n·p.
          expect(launch).toBeLessThanOrEqual(n * r.live + 1e-9);
        },
      ),
      { numRuns: 300, seed: 2206 },
    );
  });

  it('is what the pacer reports for a launch the policy decides (raw, tagged markov)', () => {
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
      forecastScale: 1.5,
    };
    const d = predictivePacer({ markovPolicy: true, markovWorkPerDecision: Number.POSITIVE_INFINITY }).decide(state);
    expect(d.reason).toBe('markov-policy');
    expect(d.inputs.forecast).toBe('markov');
    const raw = d.inputs.rawAbandons as number;
    expect(raw).toBeGreaterThan(0);
    expect(raw).toBeLessThanOrEqual(d.launch * warmEstimates().liveProbability);
    expect(d.inputs.expectedAbandons).toBeCloseTo(raw * 1.5, 12);
    // It is the policy's model's forecast of this launch (not the walk's).
    const launch = new MarkovLaunch(Number.POSITIVE_INFINITY);
    expect(launch.forecast(observeMarkov(state), d.launch)).toBe(0); // no policy yet: no model
    const lines = launch.launch(observeMarkov(state), 3, state.estimates, d.inputs.allowedRate as number, d.inputs.cap as number);
    expect(lines).toBe(d.launch);
    expect(raw).toBe(launch.forecast(observeMarkov(state), d.launch));
    // The walk's forecast of the same launch (what was reported before) is another number.
    const walk = predictivePacer({ markovHybrid: false }).decide(state); // 22-default: the walk alone
    expect(walk.inputs.forecast).toBeUndefined();
  });
});
