import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessLaunch,
  type InboundAwarePacerState,
  type InboundDemand,
  type Pacer,
  type PacerState,
  predictivePacer,
  spreadAbandonRate,
  withInboundDemand,
} from '../src/index';
import { stateArb } from './support';

const HOUR = 3_600_000;
const DAY = 8 * HOUR;
const TARGET = 0.03;
const STEERED = TARGET * 0.9;
const window = (liveAnswers: number, abandoned: number) => ({ liveAnswers, abandoned, windowMs: 30 * 86_400_000 });

const hasDemand = (d: InboundDemand) => d.arrivalsPerSecond > 0 || d.queued > 0;

const demandArb: fc.Arbitrary<InboundDemand> = fc.record({
  arrivalsPerSecond: fc.double({ min: 0, max: 0.3, noNaN: true }),
  queued: fc.integer({ min: 0, max: 6 }),
  reserveIdle: fc.integer({ min: 0, max: 3 }),
});

/** A day's counts so far: live answers, abandons (up to ~2× the target's share), and how far into the 8-h day. */
const dayArb = fc.record({
  live: fc.integer({ min: 0, max: 3_000 }),
  abandonShare: fc.double({ min: 0, max: 0.07, noNaN: true }),
  elapsedMs: fc.integer({ min: 0, max: DAY + HOUR }),
  restShare: fc.double({ min: 0, max: 1, noNaN: true }),
});

describe('spreadAbandonRate (the abandon budget over the day)', () => {
  it('early bursts: 9 abandons in the first 300 live answers (3 %, past the fallback point) still leave ~the steered rate', () => {
    // 1 h into an 8-h day at 300 live answers an hour: the rest is counted at 0.8 × 2,100.
    const s = spreadAbandonRate(window(300, 9), TARGET, HOUR, { startMs: 0, endMs: DAY });
    expect(s).toBeDefined();
    expect(s?.restLiveAnswers).toBeCloseTo(1_680, 6);
    expect(s?.allowedRate).toBeCloseTo((STEERED * 1_980 - 9) / 1_680, 12);
    expect(s?.allowedRate).toBeGreaterThan(0.026);
    expect(s?.projectedRate).toBeCloseTo(STEERED, 12);
  });

  it('the same burst in the day’s last minutes leaves nothing to spread; too early, nothing is projected', () => {
    expect(spreadAbandonRate(window(2_300, 69), TARGET, DAY - 60_000, { startMs: 0, endMs: DAY })).toBeUndefined();
    expect(spreadAbandonRate(window(100, 3), TARGET, 20 * 60_000, { startMs: 0, endMs: DAY })).toBeUndefined();
    expect(spreadAbandonRate(window(300, 9), TARGET, DAY, { startMs: 0, endMs: DAY })).toBeUndefined();
  });

  it('fast-check: the allowance is within [0, steered], and running the rest at it ends the day at ≤ the steered rate', () => {
    fc.assert(
      fc.property(dayArb, ({ live, abandonShare, elapsedMs, restShare }) => {
        const abandoned = Math.round(live * abandonShare);
        const s = spreadAbandonRate(window(live, abandoned), TARGET, elapsedMs, { startMs: 0, endMs: DAY, restShare });
        if (s === undefined) return;
        expect(s.allowedRate).toBeGreaterThan(0);
        expect(s.allowedRate).toBeLessThanOrEqual(STEERED);
        const end = (abandoned + s.allowedRate * s.restLiveAnswers) / (live + s.restLiveAnswers);
        expect(end).toBeLessThanOrEqual(STEERED * (1 + 1e-12));
        expect(s.projectedRate).toBeCloseTo(end, 12);
      }),
      { numRuns: 2_000 },
    );
  });

  it('fast-check: small-count noise cannot carry the day over the cap when little of the day is left', () => {
    // Whatever the running counts, the abandons the allowance adds over the rest (R live answers) fit the
    // steered budget of the whole day: A + rate·R ≤ s·(L + R); with R small next to A − s·L there is no allowance.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3_000 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 30 * 60_000 }),
        (live, excess, leftMs) => {
          // A running rate above the steered one by `excess` abandons.
          const abandoned = Math.ceil(STEERED * live) + excess;
          const s = spreadAbandonRate(window(live, abandoned), TARGET, DAY - leftMs, { startMs: 0, endMs: DAY, restShare: 1 });
          const rest = live * (leftMs / (DAY - leftMs));
          if (STEERED * rest <= excess) expect(s).toBeUndefined();
          if (s !== undefined)
            expect(abandoned + s.allowedRate * s.restLiveAnswers).toBeLessThanOrEqual(STEERED * (live + s.restLiveAnswers) + 1e-9);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('rejects a span that ends before it starts and shares outside [0, 1], naming the field', () => {
    expect(() => withInboundDemand(predictivePacer(), () => undefined, { spread: { startMs: 10, endMs: 5 } })).toThrow(
      /withInboundDemand\.spread\.endMs/,
    );
    expect(() => withInboundDemand(predictivePacer(), () => undefined, { spread: { startMs: 0, endMs: DAY, restShare: 2 } })).toThrow(
      /withInboundDemand\.spread\.restShare/,
    );
    expect(() => withInboundDemand(predictivePacer(), () => undefined, { spread: { startMs: 0, endMs: DAY, margin: -1 } })).toThrow(
      /withInboundDemand\.spread\.margin/,
    );
  });
});

describe('withInboundDemand with the spread (the blend’s governor)', () => {
  // A fresh pacer per wrapper: the default's hybrid steps its MDP solve per decision (22-default).
  const plain = (): Pacer => predictivePacer();
  const SHARE = 0.5;
  /** A state `elapsedMs` into an 8-h day, its window pushed to `abandonShare` of its live answers. */
  const scenarioArb = fc.record({
    state: stateArb,
    demand: demandArb,
    live: fc.integer({ min: 0, max: 2_500 }),
    abandonShare: fc.double({ min: 0.02, max: 0.06, noNaN: true }),
    elapsedMs: fc.integer({ min: 0, max: DAY }),
  });
  const setUp = (state: PacerState, live: number, abandonShare: number, elapsedMs: number) => {
    const startMs = state.now - elapsedMs;
    const s: PacerState = {
      ...state,
      options: { ...state.options, abandonTarget: TARGET },
      abandons: window(live, Math.round(live * abandonShare)),
    };
    return { s, spread: { startMs, endMs: startMs + DAY } };
  };

  it('fast-check: once the day projected at the fallback’s pace is over the steered rate, it allows no more than the fallback', () => {
    fc.assert(
      fc.property(scenarioArb, ({ state, demand, live, abandonShare, elapsedMs }) => {
        const { s, spread } = setUp(state, live, abandonShare, elapsedMs);
        const without = withInboundDemand(plain(), () => demand, { fallbackAbandonShare: SHARE }).decide(s);
        const withSpread = withInboundDemand(plain(), () => demand, { fallbackAbandonShare: SHARE, spread }).decide(s);
        const elapsed = elapsedMs;
        const rest = 0.8 * live * ((DAY - elapsed) / Math.max(1, elapsed));
        const projectedAtFallback = (s.abandons.abandoned + SHARE * TARGET * rest) / (live + rest);
        if (without.reason === 'governor-fallback' || without.reason === 'governor-fallback-inbound') {
          if (elapsed < 1_800_000 || !(live > 0) || projectedAtFallback >= STEERED) expect(withSpread).toEqual(without);
        }
        if (withSpread.reason !== 'governor-spread') expect(withSpread).toEqual(without);
      }),
      { numRuns: 400 },
    );
  });

  it('fast-check: a spread launch with inbound demand keeps its expected abandons within the spread rate × expected live', () => {
    let spreadSeen = 0;
    fc.assert(
      fc.property(scenarioArb, ({ state, demand, live, abandonShare, elapsedMs }) => {
        const { s, spread } = setUp(state, live, abandonShare, elapsedMs);
        // The model's own price (a fresh wrapper has learnt no price: its prior would mostly price the spread below the governor).
        const d = withInboundDemand(plain(), () => demand, { spread: { ...spread, learntPrice: false } }).decide(s);
        // With the learnt price (none learnt yet: the prior alone), the launch stays within the priced rate.
        const priced = withInboundDemand(plain(), () => demand, { spread }).decide(s);
        if (priced.reason === 'governor-spread' && priced.launch > 0 && priced.inputs.governor !== 'tight' && hasDemand(demand)) {
          const a = assessLaunch({ ...s, inboundDemand: demand } as InboundAwarePacerState, priced.launch);
          expect(priced.inputs.spreadPrice as number).toBeLessThanOrEqual((priced.inputs.spreadRate as number) * (1 + 1e-12));
          expect(a.expectedAbandons).toBeLessThanOrEqual((priced.inputs.spreadPrice as number) * a.expectedLive + 1e-9);
        }
        if (d.reason !== 'governor-spread') return;
        spreadSeen++;
        const rate = d.inputs.spreadRate as number;
        expect(rate).toBeLessThanOrEqual(STEERED);
        expect(d.inputs.projectedRate as number).toBeLessThanOrEqual(STEERED * (1 + 1e-12));
        if (d.inputs.governor === 'tight' || d.launch === 0) return;
        const a = assessLaunch({ ...s, inboundDemand: demand } as InboundAwarePacerState, d.launch);
        if (hasDemand(demand)) expect(a.expectedAbandons).toBeLessThanOrEqual(rate * a.expectedLive + 1e-9);
      }),
      { numRuns: 400 },
    );
    expect(spreadSeen).toBeGreaterThan(0);
  });
});
