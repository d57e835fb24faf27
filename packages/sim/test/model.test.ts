import { isPacelineError, seededRandom } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { createDistribution, OutcomeModel, type OutcomeModelSpec } from '../src/index';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('distributions', () => {
  it('sample with the mean (and, for the lognormal, the CV) they were given', () => {
    const r = seededRandom(1);
    const draw = (spec: Parameters<typeof createDistribution>[0]) => {
      const d = createDistribution(spec);
      return Array.from({ length: 100_000 }, () => d.sample(r));
    };
    expect(mean(draw({ kind: 'exponential', meanMs: 90_000 })) / 90_000).toBeCloseTo(1, 1);
    const ln = draw({ kind: 'lognormal', meanMs: 120_000, cv: 1.5 });
    const m = mean(ln);
    const sd = Math.sqrt(mean(ln.map((x) => (x - m) ** 2)));
    expect(m / 120_000).toBeCloseTo(1, 1);
    expect(sd / m).toBeGreaterThan(1.2);
    expect(sd / m).toBeLessThan(1.8);
    expect(new Set(draw({ kind: 'empirical', valuesMs: [1, 2, 3] }))).toEqual(new Set([1, 2, 3]));
  });
});

const spec: OutcomeModelSpec = {
  base: {
    mix: { live: 0.3, machine: 0.2, busy: 0.1, noAnswer: 0.3, failed: 0.05, invalid: 0.05 },
    answerDelay: { kind: 'constant', valueMs: 8_000 },
    failedDelay: { kind: 'constant', valueMs: 3_000 },
    greeting: { kind: 'constant', valueMs: 2_000 },
    talk: { kind: 'constant', valueMs: 60_000 },
    machineTalk: { kind: 'constant', valueMs: 5_000 },
    amd: { falseMachine: 0.1, falseHuman: 0.2 },
  },
  byHour: [{ hour: 12, mix: { live: 0.1, machine: 0.2, busy: 0.1, noAnswer: 0.5, failed: 0.05, invalid: 0.05 } }],
};

describe('OutcomeModel', () => {
  const model = new OutcomeModel(spec);
  const plans = (hour: number) => {
    const r = seededRandom(9);
    return Array.from({ length: 50_000 }, () => model.plan(hour, 25_000, r));
  };

  it('draws the outcome mix, the ring timeout for no-answer, and AMD errors at their rates', () => {
    const ps = plans(10);
    const share = (f: (p: (typeof ps)[number]) => boolean) => ps.filter(f).length / ps.length;
    expect(share((p) => p.truth === 'live')).toBeCloseTo(0.3, 1);
    expect(share((p) => p.truth === 'no-answer')).toBeCloseTo(0.3, 1);
    expect(ps.filter((p) => p.truth === 'no-answer').every((p) => p.resolveAfterMs === 25_000)).toBe(true);
    const live = ps.filter((p) => p.truth === 'live');
    const machines = ps.filter((p) => p.truth === 'machine');
    expect(live.filter((p) => p.detected === 'machine').length / live.length).toBeCloseTo(0.1, 1);
    expect(machines.filter((p) => p.detected === 'human').length / machines.length).toBeCloseTo(0.2, 1);
    expect(machines.filter((p) => p.detected === 'human').every((p) => p.talkMs === 5_000)).toBe(true);
  });

  it('varies by hour of the day', () => {
    const ps = plans(12.5);
    expect(ps.filter((p) => p.truth === 'live').length / ps.length).toBeCloseTo(0.1, 1);
    expect(model.meansAt(12).mix.live).toBeCloseTo(0.1, 10);
    expect(model.meansAt(11).mix.live).toBeCloseTo(0.3, 10);
  });

  it('turns answers later than the ring timeout into no-answers', () => {
    const r = seededRandom(2);
    const p = model.plan(10, 15_000, r);
    expect(p.resolveAfterMs).toBeLessThanOrEqual(15_000);
    const late = new OutcomeModel({ ...spec, base: { ...spec.base, answerDelay: { kind: 'constant', valueMs: 30_000 } } });
    for (let i = 0; i < 100; i++) expect(late.plan(10, 25_000, r).truth).toMatch(/no-answer|busy|failed|invalid/);
  });

  it('rejects a mix that does not sum to 1, and bad fields by path', () => {
    const bad = (s: unknown) => {
      try {
        new OutcomeModel(s as OutcomeModelSpec);
        return 'accepted';
      } catch (error) {
        return isPacelineError(error) ? `${error.code} ${error.message}` : String(error);
      }
    };
    expect(bad({ ...spec, base: { ...spec.base, mix: { ...spec.base.mix, live: 0.5 } } })).toMatch(/E_INVALID_CONFIG.*sum to 1/);
    expect(bad({ ...spec, base: { ...spec.base, talk: { kind: 'lognormal', meanMs: 1 } } })).toMatch(
      /E_INVALID_CONFIG.*outcomeModel\.base\.talk/,
    );
  });
});
