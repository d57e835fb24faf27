import { AgentState } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessLaunch, createCampaignPacer, ForecastCalibration, predictivePacer, progressiveDecision } from '../src/index';
import { pacingOptions, stateArb, working } from './support';

describe('ForecastCalibration', () => {
  it('is 1 before any evidence, and ignores abandons before the first forecast', () => {
    const c = new ForecastCalibration();
    expect(c.scale).toBe(1);
    c.observe(0, undefined);
    c.observe(50, undefined); // progressive at a cold start: not the model's abandons
    expect(c.scale).toBe(1);
  });

  it('learns realised ÷ predicted: its prior wears away and it reaches a 1.5-fold bias either side, never past it', () => {
    for (const ratio of [1 / 1.5, 1.5, 1]) {
      const c = new ForecastCalibration();
      let ledger = 0;
      let owed = 0;
      for (let i = 0; i < 100_000; i++) {
        // 0.015 forecast per decision; realised abandons arrive as whole counts at `ratio` × that rate.
        owed += 0.015 * ratio;
        const arrived = Math.floor(owed);
        owed -= arrived;
        ledger += arrived;
        c.observe(ledger, 0.015);
      }
      if (ratio === 1) {
        expect(c.scale).toBeCloseTo(1, 1);
        continue;
      }
      // The share of the (log) way from 1 to the truth: the prior's 100 pseudo-abandons decay with
      // the ~1,500 predicted and ~1,000–2,250 realised abandons (half-life 400 on both), so nearly all of it.
      const share = Math.log(c.scale) / Math.log(ratio);
      expect(share).toBeGreaterThan(0.95);
      expect(share).toBeLessThanOrEqual(1.001);
    }
  });

  it('ignores old abandons leaving the window (ledger decreases) and stays within its bounds', () => {
    const c = new ForecastCalibration();
    c.observe(100, 0.5);
    c.observe(40, 0.5); // the window dropped old abandons: not negative realised
    expect(c.scale).toBeLessThanOrEqual(1);
    const high = new ForecastCalibration();
    for (let i = 1; i <= 5_000; i++) high.observe(i, 0.01);
    expect(high.scale).toBe(high.maxScale);
    const low = new ForecastCalibration();
    for (let i = 0; i < 5_000; i++) low.observe(0, 1);
    expect(low.scale).toBe(low.minScale);
  });

  it('is deterministic: the same observations give the same scale', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(5), fc.option(fc.double({ min: 0, max: 2, noNaN: true }))), { maxLength: 200 }), (steps) => {
        const a = new ForecastCalibration();
        const b = new ForecastCalibration();
        let ledger = 0;
        for (const [add, f] of steps) {
          ledger += add;
          a.observe(ledger, f ?? undefined);
          b.observe(ledger, f ?? undefined);
        }
        expect(a.scale).toBe(b.scale);
        expect(a.scale).toBeGreaterThanOrEqual(a.minScale);
        expect(a.scale).toBeLessThanOrEqual(a.maxScale);
      }),
    );
  });
});

describe('the predictive pacer under a learnt forecast scale', () => {
  const predictive = predictivePacer();
  const scaleArb = fc.double({ min: 1 / 3, max: 3, noNaN: true });

  it('holds the line cap and the progressive floor at every scale', () => {
    fc.assert(
      fc.property(stateArb, scaleArb, (state, forecastScale) => {
        const scaled = { ...state, forecastScale };
        const { launch } = predictive.decide(scaled);
        const cap = Math.floor(state.options.maxLinesPerAgent * working(state));
        expect(state.calls.length + launch).toBeLessThanOrEqual(Math.max(state.calls.length, cap));
        expect(launch).toBeGreaterThanOrEqual(progressiveDecision(state, 'progressive', true).launch);
        if (working(state) === 0) expect(launch).toBe(0);
      }),
    );
  });

  it("keeps the scaled forecast within the governor's budget, and dials no less when the model is found to over-predict", () => {
    fc.assert(
      fc.property(stateArb, scaleArb, scaleArb, (state, s1, s2) => {
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        // Fresh pacers, each asked once (the default's hybrid steps its MDP solve per decision, 22-default).
        const atLo = predictivePacer().decide({ ...state, forecastScale: lo });
        const atHi = predictivePacer().decide({ ...state, forecastScale: hi });
        expect(atLo.launch).toBeGreaterThanOrEqual(atHi.launch);
        if (atLo.reason === 'model' && atLo.launch > progressiveDecision(state, 'progressive', true).launch) {
          const a = assessLaunch({ ...state, forecastScale: lo }, atLo.launch);
          expect(a.expectedAbandons).toBeLessThanOrEqual((atLo.inputs.allowedRate as number) * a.expectedLive + 1e-9);
          expect(atLo.inputs.expectedAbandons as number).toBeCloseTo((atLo.inputs.rawAbandons as number) * lo, 9);
        }
      }),
    );
  });

  it('createCampaignPacer passes its learnt scale to the pacer and learns from the ledger', () => {
    const cp = createCampaignPacer({ dialMode: 'predictive' });
    for (let i = 0; i < 300; i++) {
      cp.observeOutcome(
        i % 3 === 0 ? { outcome: 'human', answerDelayMs: 9_000, durationMs: 9_000 } : { outcome: 'busy', durationMs: 15_000 },
      );
      if (i % 3 === 0) cp.observeWork({ talkMs: 60_000 + i * 100, wrapMs: 5_000 });
    }
    const observe = (abandoned: number) =>
      cp.decide({
        now: 0,
        campaign: { pacing: pacingOptions() },
        agents: Array.from({ length: 20 }, (_, i) => ({
          id: `a${i}`,
          state: i < 2 ? AgentState.Ready : AgentState.OnCall,
          timeInStateMs: 60_000,
        })),
        calls: [],
        liveAnswers: 2_000,
        abandoned,
        windowMs: 86_400_000,
      });
    expect(cp.forecastScale?.()).toBe(1);
    const first = observe(10);
    expect(first.inputs.forecastScale).toBe(1);
    expect(first.inputs.rawAbandons as number).toBeGreaterThan(0);
    // Many forecasts, no realised abandon: the scale falls below 1 and reaches the next decision.
    for (let i = 0; i < 200; i++) observe(10);
    const learnt = cp.forecastScale?.() as number;
    expect(learnt).toBeLessThan(1);
    expect(observe(10).inputs.forecastScale).toBe(learnt);
  });
});
