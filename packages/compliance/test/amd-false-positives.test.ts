import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbandonLedger, BUILTIN_PROFILES, Compliance, estimateAmdFalsePositives, withAmdFalsePositives } from '../src/index';

const HOUR = 3_600_000;
const uk = BUILTIN_PROFILES.find((p) => p.id === 'uk-ofcom');
const us = BUILTIN_PROFILES.find((p) => p.id === 'us-federal');

describe('AMD false positives in the abandon rate (Ofcom)', () => {
  it('the UK profile counts them and the US one does not', () => {
    expect(uk?.abandon.includeAmdFalsePositives).toBe(true);
    expect(us?.abandon.includeAmdFalsePositives).toBeUndefined();
    const compliance = new Compliance();
    expect(compliance.abandonIncludesAmdFalsePositives({ complianceProfile: 'uk-ofcom' })).toBe(true);
    expect(compliance.abandonIncludesAmdFalsePositives({ complianceProfile: 'us-federal' })).toBe(false);
  });

  it('a UK campaign ledger adds the estimated people among machine decisions to live answers and abandons, in the 24 h window', () => {
    const ledger = new AbandonLedger();
    const t0 = 10 * 24 * HOUR;
    for (let i = 0; i < 100; i++) ledger.recordLiveAnswer('uk', t0 + i * 60_000, i < 2);
    for (let i = 0; i < 60; i++) ledger.recordMachineDecision('uk', t0 + i * 60_000);
    // A machine decision from two days ago is outside Ofcom's 24 h window.
    ledger.recordMachineDecision('uk', t0 - 48 * HOUR);
    const now = t0 + 100 * 60_000;
    const window = uk?.abandon.windowMs ?? 0;
    expect(ledger.counts('uk', now, window)).toEqual({ liveAnswers: 100, abandoned: 2, rate: 0.02, estimatedFalsePositives: 0 });

    const estimate = estimateAmdFalsePositives({ reviewed: 0, reviewedPeople: 0, benchRate: 0.03 });
    expect(estimate.method).toBe('bench-default');
    ledger.setAmdFalsePositiveEstimate('uk', estimate);
    const counts = ledger.counts('uk', now, window);
    expect(counts.estimatedFalsePositives).toBeCloseTo(60 * 0.03, 10);
    expect(counts.liveAnswers).toBeCloseTo(101.8, 10);
    expect(counts.abandoned).toBeCloseTo(3.8, 10);
    // 2% measured becomes 3.7%: over the 3% cap, so the governor throttles.
    expect(counts.rate).toBeGreaterThan(uk?.abandon.maxRate ?? 1);
  });

  it('listen-back reviews move the estimate away from the bench rate, and say how', () => {
    const bench = estimateAmdFalsePositives({ reviewed: 0, reviewedPeople: 0, benchRate: 0.03 });
    const reviewed = estimateAmdFalsePositives({ reviewed: 200, reviewedPeople: 16, benchRate: 0.03 });
    expect(bench.rate).toBeCloseTo(0.03, 10);
    expect(reviewed.method).toBe('listen-back');
    expect(reviewed.rate).toBeCloseTo((0.03 * 50 + 16) / 250, 10);
    expect(reviewed.low).toBeLessThan(reviewed.rate);
    expect(reviewed.high).toBeGreaterThan(reviewed.rate);
    expect(reviewed.explanation).toMatch(/16 people in 200 machine decisions listened back/);
  });

  it('refuses impossible evidence with a clear error', () => {
    expect(() => estimateAmdFalsePositives({ reviewed: 3, reviewedPeople: 4, benchRate: 0.03 })).toThrow(/reviewedPeople/);
    expect(() => estimateAmdFalsePositives({ reviewed: 0, reviewedPeople: 0, benchRate: 1.5 })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_INPUT' }),
    );
  });

  it('property: adding false positives never lowers the abandon rate, never exceeds 1, and adds exactly machineDecisions × rate', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.nat(10_000),
        fc.nat(10_000),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (live, abandonedRaw, machines, rate) => {
          const abandoned = Math.min(live, abandonedRaw);
          const measuredRate = live === 0 ? 0 : abandoned / live;
          const adjusted = withAmdFalsePositives({ liveAnswers: live, abandoned }, machines, { rate });
          expect(adjusted.rate).toBeGreaterThanOrEqual(measuredRate - 1e-12);
          expect(adjusted.rate).toBeLessThanOrEqual(1 + 1e-12);
          expect(adjusted.abandoned - abandoned).toBeCloseTo(machines * rate, 6);
          expect(adjusted.liveAnswers - live).toBeCloseTo(machines * rate, 6);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
