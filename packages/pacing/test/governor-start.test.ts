// issue 22 (22-start): the abandon governor's `startBoost` — the ratio controller's boost on an
// empty window. Property-tested: the fallback and the tight read are the window's own (a start
// boost never lets a window at or above the fallback point launch, nor loosens the tight taper
// beyond the boost), the boost on an empty window is startBoost (capped at maxBoost), the default
// (1) is the controller as before, and the window's evidence wears the start away.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AbandonGovernorOptions, governAbandons, parseAbandonGovernorOptions } from '../src/index';

const defaults: AbandonGovernorOptions = parseAbandonGovernorOptions({});
const withStart = (startBoost: number): AbandonGovernorOptions => parseAbandonGovernorOptions({ startBoost });
const TARGET = 0.03;
const STEERED = TARGET * (1 - defaults.margin);

describe('abandon governor: startBoost (issue 22, 22-start)', () => {
  it('starts an empty window at startBoost × the steered rate; the default starts at the steered rate', () => {
    const empty = { liveAnswers: 0, abandoned: 0, windowMs: 86_400_000 };
    expect(governAbandons(empty, TARGET, defaults).allowedRate).toBeCloseTo(STEERED, 12);
    expect(governAbandons(empty, TARGET, withStart(2)).allowedRate).toBeCloseTo(2 * STEERED, 12);
    expect(governAbandons(empty, TARGET, withStart(3)).allowedRate).toBeCloseTo(defaults.maxBoost * STEERED, 12);
  });

  it('falls back exactly where the default does, and never allows less than the default', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.double({ min: 0, max: 0.06, noNaN: true }),
        fc.double({ min: 1, max: 3, noNaN: true }),
        fc.double({ min: 0.001, max: 0.03, noNaN: true }),
        (live, share, start, target) => {
          const window = { liveAnswers: live, abandoned: Math.round(live * share), windowMs: 86_400_000 };
          const base = governAbandons(window, target, defaults);
          const boosted = governAbandons(window, target, withStart(start));
          expect(boosted.mode).toBe(base.mode);
          expect(boosted.measuredRate).toBe(base.measuredRate);
          if (base.mode === 'fallback') expect(boosted.allowedRate).toBe(0);
          else {
            expect(boosted.allowedRate).toBeGreaterThanOrEqual(base.allowedRate - 1e-15);
            // At most start × the default, and never above the controller's ceiling (maxBoost ×
            // steered): with start > maxBoost and a default below steered, the ceiling binds first.
            const ceiling = defaults.maxBoost * target * (1 - defaults.margin);
            expect(boosted.allowedRate).toBeLessThanOrEqual(Math.min(start * base.allowedRate, ceiling) * (1 + 1e-12));
          }
        },
      ),
      { numRuns: 2_000, seed: 22 },
    );
  });

  it("wears away with the window's evidence", () => {
    // At the steered rate over many live answers the controller settles at boost 1 whatever the start.
    const window = (live: number) => ({ liveAnswers: live, abandoned: live * STEERED, windowMs: 86_400_000 });
    const early = governAbandons(window(100), TARGET, withStart(2)).allowedRate / STEERED;
    const late = governAbandons(window(100_000), TARGET, withStart(2)).allowedRate / STEERED;
    expect(early).toBeGreaterThan(1.3);
    expect(late).toBeLessThan(1.01);
    expect(late).toBeGreaterThanOrEqual(1);
  });
});
