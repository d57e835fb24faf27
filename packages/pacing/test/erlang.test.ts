import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangA, erlangB, erlangC, erlangCMetrics, offeredLoadErlangs } from '../src/index';
import { expectInvalid } from './support';

// ---------------------------------------------------------------------------------------
// Independent references
// ---------------------------------------------------------------------------------------

/** a / b for BigInts as a double, keeping ~17 significant digits whatever the magnitude. */
function ratio(a: bigint, b: bigint): number {
  if (a === 0n) return 0;
  const shift = b.toString().length - a.toString().length + 20;
  const scaled = shift >= 0 ? (a * 10n ** BigInt(shift)) / b : a / (b * 10n ** BigInt(-shift));
  return Number(scaled) * 10 ** -shift;
}

/**
 * Erlang B and C by exact rational arithmetic from the textbook definitions, for a load
 * A = p/q: B = (Aᴺ/N!) / Σₖ Aᵏ/k!, C = N·B / (N − A(1 − B)). Multiplying through by N!·qᴺ
 * makes every term an integer: t_k = pᵏ·q^{N−k}·N!/k!.
 */
function exactErlang(agents: number, p: number, q: number): { b: number; c: number } {
  const P = BigInt(p);
  const Q = BigInt(q);
  const N = BigInt(agents);
  let sum = 0n;
  let term = 0n;
  for (let k = 0; k <= agents; k++) {
    let fallingFactorial = 1n; // N!/k!
    for (let i = BigInt(k) + 1n; i <= N; i++) fallingFactorial *= i;
    term = P ** BigInt(k) * Q ** BigInt(agents - k) * fallingFactorial;
    sum += term;
  }
  // B = term / sum; C = N·term·q / (N·sum·q − p·(sum − term)) when p/q < N.
  const b = ratio(term, sum);
  const c = P < N * Q ? ratio(N * term * Q, N * sum * Q - P * (sum - term)) : 1;
  return { b, c };
}

/**
 * Erlang A the long way, in linear space for small N (μ = 1): the truncated birth–death
 * distribution; P(ab) = θ·Lq/λ (flow balance); occupancy = E[busy]/N; ASA by first-step
 * analysis of a tagged caller; service level by uniformisation of the tagged caller's chain.
 * Shares no formula with the implementation's incomplete-Beta route.
 */
function referenceErlangA(agents: number, load: number, theta: number, targetAht: number) {
  const pi: number[] = [1];
  for (let n = 1; n < 4000; n++) {
    const prev = pi[n - 1] ?? 0;
    pi.push((prev * load) / (n <= agents ? n : agents + (n - agents) * theta));
    if (n > agents + 5 && (pi[n] ?? 0) < 1e-300) break;
  }
  const total = pi.reduce((s, x) => s + x, 0);
  const prob = pi.map((x) => x / total);
  const maxQueue = prob.length - agents;
  let wait = 0;
  let queueLength = 0;
  let busy = 0;
  prob.forEach((x, n) => {
    if (n >= agents) wait += x;
    queueLength += Math.max(0, n - agents) * x;
    busy += Math.min(n, agents) * x;
  });
  // Tagged caller who finds k ahead: s_k = P(answered), m_k = E[wait; answered].
  const served: number[] = [];
  const meanWaitServed: number[] = [];
  for (let k = 0; k < maxQueue; k++) {
    const out = agents + (k + 1) * theta;
    const advance = (agents + k * theta) / out;
    const s = advance * (k === 0 ? 1 : (served[k - 1] ?? 0));
    served.push(s);
    meanWaitServed.push(s / out + advance * (k === 0 ? 0 : (meanWaitServed[k - 1] ?? 0)));
  }
  // Uniformisation: u_m(k) = P(answered within m jumps | k ahead).
  const rate = agents + (maxQueue + 1) * theta;
  const lambdaT = rate * targetAht;
  let u = new Array<number>(maxQueue).fill(0);
  const within = new Array<number>(maxQueue).fill(0);
  let poisson = Math.exp(-lambdaT);
  for (let m = 0; m < lambdaT + 40 * Math.sqrt(lambdaT + 1) + 50; m++) {
    if (m > 0) poisson *= lambdaT / m;
    for (let k = 0; k < maxQueue; k++) within[k] = (within[k] ?? 0) + poisson * (u[k] ?? 0);
    u = u.map((value, k) => {
      const advance = (agents + k * theta) / rate;
      const stay = 1 - (agents + (k + 1) * theta) / rate;
      return advance * (k === 0 ? 1 : (u[k - 1] ?? 0)) + stay * value;
    });
  }
  let answered = 0;
  let answeredWait = 0;
  let answeredInTarget = 0;
  prob.forEach((x, n) => {
    if (n < agents) {
      answered += x;
      answeredInTarget += x;
    } else {
      answered += x * (served[n - agents] ?? 0);
      answeredWait += x * (meanWaitServed[n - agents] ?? 0);
      answeredInTarget += x * (within[n - agents] ?? 0);
    }
  });
  return {
    waitProbability: wait,
    abandonProbability: (theta * queueLength) / load,
    serviceLevel: answeredInTarget,
    asaAht: answeredWait / answered,
    meanWaitAht: queueLength / load,
    occupancy: busy / agents,
  };
}

// ---------------------------------------------------------------------------------------

describe('offeredLoadErlangs', () => {
  it('is calls × AHT / interval (30 minutes by default)', () => {
    expect(offeredLoadErlangs(100, 180)).toBe(10);
    expect(offeredLoadErlangs(100, 180, 3600)).toBe(5);
  });
});

describe('Erlang C: the issue 3 reference example (100 calls / 30 min, AHT 180 s, 20 s target)', () => {
  const load = offeredLoadErlangs(100, 180);
  it('N = 12 → P(wait) 0.4494, SL 64.02%, ASA 40.4 s', () => {
    const m = erlangCMetrics({ agents: 12, offeredLoadErlangs: load, ahtSeconds: 180, targetAnswerSeconds: 20 });
    expect(m.waitProbability).toBeCloseTo(0.4494, 4);
    expect(m.serviceLevel).toBeCloseTo(0.6402, 4);
    expect(m.asaSeconds).toBeCloseTo(40.4, 1);
    expect(m.occupancy).toBeCloseTo(10 / 12, 12);
  });
  it('N = 14 → P(wait) 0.1741, SL 88.84%', () => {
    const m = erlangCMetrics({ agents: 14, offeredLoadErlangs: load, ahtSeconds: 180, targetAnswerSeconds: 20 });
    expect(m.waitProbability).toBeCloseTo(0.1741, 4);
    expect(m.serviceLevel).toBeCloseTo(0.8884, 4);
    expect(m.asaSeconds).toBeCloseTo(7.84, 2);
  });
  it('N = 11 → P(wait) 0.6821, SL 38.96%, ASA 122.8 s (the same worked example, one agent short)', () => {
    const m = erlangCMetrics({ agents: 11, offeredLoadErlangs: load, ahtSeconds: 180, targetAnswerSeconds: 20 });
    expect(m.waitProbability).toBeCloseTo(0.6821, 4);
    expect(m.serviceLevel).toBeCloseTo(0.3896, 4);
    expect(m.asaSeconds).toBeCloseTo(122.8, 1);
  });
  it('N = 13 falls short of 80/20 (SL 79.56%), which is why 14 agents are needed', () => {
    const m = erlangCMetrics({ agents: 13, offeredLoadErlangs: load, ahtSeconds: 180, targetAnswerSeconds: 20 });
    expect(m.waitProbability).toBeCloseTo(0.2853, 4);
    expect(m.serviceLevel).toBeCloseTo(0.7956, 4);
  });
});

describe('Erlang B and C against exact rational arithmetic', () => {
  const cases: Array<[agents: number, p: number, q: number]> = [
    [1, 1, 2],
    [2, 1, 1],
    [5, 2, 1],
    [10, 5, 1],
    [11, 10, 1],
    [12, 10, 1],
    [14, 10, 1],
    [20, 31, 2],
    [50, 45, 1],
    [100, 843, 10],
    [171, 160, 1], // 171! overflows a double
    [300, 290, 1],
    [300, 2001, 10],
    [250, 100, 1], // B ≈ 1e−38: deep tail
  ];
  it.each(cases)('N = %i, A = %i/%i', (agents, p, q) => {
    const exact = exactErlang(agents, p, q);
    const load = p / q;
    expect(erlangB(agents, load) / exact.b).toBeCloseTo(1, 10);
    expect(erlangC(agents, load) / exact.c).toBeCloseTo(1, 10);
  });

  it('matches closed forms: B(1, A) = A/(1+A), and M/M/1: C = ρ, ASA = ρ·AHT/(1 − ρ)', () => {
    expect(erlangB(1, 3)).toBeCloseTo(0.75, 14);
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 14);
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 14);
    const m = erlangCMetrics({ agents: 1, offeredLoadErlangs: 0.5, ahtSeconds: 60, targetAnswerSeconds: 30 });
    expect(m.asaSeconds).toBeCloseTo(60, 12);
    expect(m.serviceLevel).toBeCloseTo(1 - 0.5 * Math.exp(-0.25), 14);
  });

  it('matches published Erlang B tables (1% grade of service: 10 trunks carry 4.46 E, 100 trunks 84.06 E)', () => {
    expect(erlangB(10, 4.46)).toBeCloseTo(0.01, 3);
    expect(erlangB(100, 84.06)).toBeCloseTo(0.01, 3);
  });

  it('stays accurate in the large-N asymptotic regime: B(N, N)·√(πN/2) → 1 (Jagerman)', () => {
    const n = 1_000_000;
    expect(erlangB(n, n) * (Math.sqrt((Math.PI * n) / 2) + 2 / 3)).toBeCloseTo(1, 4);
  });

  it('treats A ≥ N as an unstable queue: everyone waits, nobody is answered within target', () => {
    expect(erlangC(10, 10)).toBe(1);
    const m = erlangCMetrics({ agents: 10, offeredLoadErlangs: 12, ahtSeconds: 180, targetAnswerSeconds: 20 });
    expect(m).toEqual({ waitProbability: 1, serviceLevel: 0, asaSeconds: Number.POSITIVE_INFINITY, occupancy: 1 });
  });

  it('gives 0 for no load', () => {
    expect(erlangB(5, 0)).toBe(0);
    expect(erlangC(5, 0)).toBe(0);
  });

  it('rejects bad input with a message naming the parameter', () => {
    expectInvalid(() => erlangC(0, 1), 'erlangC: agents: expected a positive integer');
    expectInvalid(() => erlangB(2.5, 1), 'erlangB: agents');
    expectInvalid(() => erlangC(3, -1), 'erlangC: offeredLoadErlangs');
    expectInvalid(() => erlangC(3, Number.NaN), 'offeredLoadErlangs');
    expectInvalid(
      () => erlangCMetrics({ agents: 3, offeredLoadErlangs: 1, ahtSeconds: 0, targetAnswerSeconds: 20 }),
      'erlangCMetrics: ahtSeconds: expected a finite number > 0, got 0',
    );
  });
});

describe('Erlang A (M/M/N+M)', () => {
  const base = { agents: 12, offeredLoadErlangs: 10, ahtSeconds: 180, targetAnswerSeconds: 20 };

  it.each([
    [12, 10, 180, 120, 20],
    [12, 10, 180, 600, 20],
    [10, 14, 180, 60, 20], // overloaded: more load than agents
    [5, 3, 300, 30, 10],
    [20, 18, 240, 90, 0],
    [3, 8, 120, 45, 60],
  ])('N = %i, A = %i, AHT %i s, patience %i s, target %i s matches the birth–death reference', (agents, load, aht, patience, target) => {
    const m = erlangA({ agents, offeredLoadErlangs: load, ahtSeconds: aht, meanPatienceSeconds: patience, targetAnswerSeconds: target });
    const ref = referenceErlangA(agents, load, aht / patience, target / aht);
    expect(m.waitProbability).toBeCloseTo(ref.waitProbability, 10);
    expect(m.abandonProbability).toBeCloseTo(ref.abandonProbability, 10);
    expect(m.serviceLevel).toBeCloseTo(ref.serviceLevel, 8);
    expect(m.asaSeconds / aht).toBeCloseTo(ref.asaAht, 10);
    expect(m.meanWaitSeconds / aht).toBeCloseTo(ref.meanWaitAht, 10);
    expect(m.occupancy).toBeCloseTo(ref.occupancy, 10);
  });

  it('tends to Erlang C as patience tends to infinity', () => {
    const c = erlangCMetrics(base);
    const a = erlangA({ ...base, meanPatienceSeconds: 1e12 });
    expect(a.waitProbability).toBeCloseTo(c.waitProbability, 8);
    expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 8);
    expect(a.asaSeconds).toBeCloseTo(c.asaSeconds, 5);
    expect(a.abandonProbability).toBeLessThan(1e-9);
    expect(erlangA({ ...base, meanPatienceSeconds: Number.POSITIVE_INFINITY })).toEqual({
      ...c,
      abandonProbability: 0,
      meanWaitSeconds: c.asaSeconds,
    });
  });

  it('tends to Erlang B as patience tends to zero (a caller who must wait hangs up)', () => {
    const a = erlangA({ ...base, meanPatienceSeconds: 1e-6 });
    const b = erlangB(12, 10);
    expect(a.abandonProbability).toBeCloseTo(b, 6);
    expect(a.waitProbability).toBeCloseTo(b, 6);
    expect(a.serviceLevel).toBeCloseTo(1 - b, 6);
  });

  it('with patient-enough callers, abandonment lowers the wait and raises the service level versus Erlang C', () => {
    const c = erlangCMetrics(base);
    const a = erlangA({ ...base, meanPatienceSeconds: 120 });
    expect(a.waitProbability).toBeLessThan(c.waitProbability);
    expect(a.asaSeconds).toBeLessThan(c.asaSeconds);
    expect(a.serviceLevel).toBeGreaterThan(c.serviceLevel);
    expect(a.abandonProbability).toBeCloseTo(0.0616, 4);
  });

  it('keeps an overloaded queue finite: abandonment absorbs the excess load, (A − N)/A in the limit', () => {
    const a = erlangA({ agents: 1000, offeredLoadErlangs: 1200, ahtSeconds: 180, meanPatienceSeconds: 60, targetAnswerSeconds: 20 });
    expect(a.abandonProbability).toBeCloseTo(200 / 1200, 3);
    expect(a.occupancy).toBeCloseTo(1, 4);
    expect(Number.isFinite(a.asaSeconds)).toBe(true);
  });

  it('rejects a missing or non-positive patience', () => {
    expectInvalid(() => erlangA({ ...base, meanPatienceSeconds: 0 }), 'erlangA: meanPatienceSeconds');
    expectInvalid(() => erlangA({ ...base, meanPatienceSeconds: Number.NaN }), 'meanPatienceSeconds');
  });
});

describe('properties', () => {
  const agentsArb = fc.integer({ min: 1, max: 5000 });
  const loadFactor = fc.double({ min: 0.01, max: 1.5, noNaN: true });

  it('Erlang B and C are probabilities, finite up to 5,000 agents, and fall as agents are added', () => {
    fc.assert(
      fc.property(agentsArb, loadFactor, (agents, factor) => {
        const load = agents * factor;
        const b = erlangB(agents, load);
        const c = erlangC(agents, load);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(1);
        expect(c).toBeGreaterThanOrEqual(b); // waiting is more likely than blocking
        expect(c).toBeLessThanOrEqual(1);
        expect(erlangB(agents + 1, load)).toBeLessThanOrEqual(b);
        expect(erlangC(agents + 1, load)).toBeLessThanOrEqual(c);
      }),
      { numRuns: 200 },
    );
  });

  it('Erlang C service level rises and ASA falls with agents; both finite when stable', () => {
    fc.assert(
      fc.property(
        agentsArb,
        loadFactor,
        fc.integer({ min: 10, max: 900 }),
        fc.integer({ min: 0, max: 120 }),
        (agents, factor, aht, target) => {
          const input = { agents, offeredLoadErlangs: agents * factor, ahtSeconds: aht, targetAnswerSeconds: target };
          const m = erlangCMetrics(input);
          const more = erlangCMetrics({ ...input, agents: agents + 1 });
          expect(m.serviceLevel).toBeGreaterThanOrEqual(0);
          expect(m.serviceLevel).toBeLessThanOrEqual(1);
          expect(more.serviceLevel).toBeGreaterThanOrEqual(m.serviceLevel);
          expect(more.asaSeconds).toBeLessThanOrEqual(m.asaSeconds);
          if (factor < 1) expect(Number.isFinite(m.asaSeconds)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('Erlang A: probabilities in [0, 1], abandonment ≤ wait, finite up to 5,000 agents, monotone in agents', () => {
    fc.assert(
      fc.property(
        agentsArb,
        fc.double({ min: 0.05, max: 1.4, noNaN: true }),
        fc.integer({ min: 30, max: 600 }),
        fc.integer({ min: 10, max: 1800 }),
        fc.integer({ min: 0, max: 60 }),
        (agents, factor, aht, patience, target) => {
          const input = {
            agents,
            offeredLoadErlangs: agents * factor,
            ahtSeconds: aht,
            meanPatienceSeconds: patience,
            targetAnswerSeconds: target,
          };
          const m = erlangA(input);
          const more = erlangA({ ...input, agents: agents + 1 });
          for (const p of [m.waitProbability, m.abandonProbability, m.serviceLevel, m.occupancy]) {
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(1 + 1e-12);
          }
          expect(Number.isFinite(m.asaSeconds) && Number.isFinite(m.meanWaitSeconds)).toBe(true);
          expect(m.abandonProbability).toBeLessThanOrEqual(m.waitProbability + 1e-12);
          // Flow balance: abandons per second θ·Lq = λ·P(ab), and Lq/λ is the mean wait (Little).
          expect(m.abandonProbability).toBeCloseTo(m.meanWaitSeconds / patience, 8);
          const slack = 1e-9;
          expect(more.waitProbability).toBeLessThanOrEqual(m.waitProbability + slack);
          expect(more.abandonProbability).toBeLessThanOrEqual(m.abandonProbability + slack);
          expect(more.serviceLevel).toBeGreaterThanOrEqual(m.serviceLevel - slack);
          expect(more.asaSeconds).toBeLessThanOrEqual(m.asaSeconds + slack * aht);
        },
      ),
      { numRuns: 100 },
    );
  });
});
