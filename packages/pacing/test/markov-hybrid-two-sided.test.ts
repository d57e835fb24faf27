// issue 22 (22-hybrid6): the two-sided hybrid (markov-hybrid.ts `twoSidedLaunch`, predictivePacer's
// `markovHybridCut`). Property-tested: the cut rule never launches below progressive while
// progressive cannot abandon, never above the line cap, progressive in the governor's fallback,
// deterministic; between the walk's and the policy's launch, and with every cut followed and the
// added lines unpriced exactly the policy's; its forecast the walk's for the walk's lines and the
// MDP's own for the lines it adds; the rule itself against its definition.
import { AgentState } from '@paceline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessLaunch,
  governAbandons,
  MarkovLaunch,
  type ModelEstimates,
  observeMarkov,
  type PacerState,
  PacingEstimators,
  predictivePacer,
  progressiveDecision,
  twoSidedLaunch,
} from '../src/index';
import { convexWalkArb, governorDefaults, oneReadyTwoWrapState, pacingOptions, WARM_ESTIMATES, warmTeamArb, working } from './support';

/** A small team's observed state (≤ 5 agents: always a small team for `'small-teams'`). */
const smallTeamArb = warmTeamArb({ maxAgents: 5, maxCalls: 12 });

/**
 * A governed small team at work (2–5 agents ready, talking or in wrap-up, 0–6 young lines, the
 * window under the target): the states where the policy decides, so its cuts and additions and
 * their forecasts are exercised (the general arb above lands mostly in the fallback or the cap).
 */
const workingTeamArb: fc.Arbitrary<PacerState> = fc
  .record({
    agents: fc.array(
      fc.record({
        state: fc.constantFrom(AgentState.Ready, AgentState.OnCall, AgentState.WrapUp),
        timeInStateMs: fc.integer({ min: 0, max: 300_000 }),
      }),
      { minLength: 2, maxLength: 5 },
    ),
    lines: fc.array(
      fc.record({ ageMs: fc.integer({ min: 0, max: 20_000 }), phase: fc.constantFrom('dialing' as const, 'ringing' as const) }),
      {
        maxLength: 6,
      },
    ),
    abandoned: fc.integer({ min: 0, max: 25 }),
    estimates: fc.constantFrom(...WARM_ESTIMATES, wrapEstimates()),
  })
  .map((r) => ({
    now: 0,
    agents: r.agents.map((a, i) => ({ id: `a${i}`, ...a })),
    calls: r.lines.map((c, i) => ({ id: `c${i}`, ...c })),
    options: pacingOptions({ minAgentsForPredictive: 2 }),
    abandons: { liveAnswers: 1_000, abandoned: r.abandoned, windowMs: 86_400_000 },
    estimates: r.estimates,
  }));

// Solved within the decision (no work budget): a state's decision does not depend on earlier calls.
const SOLVED = { markovWorkPerDecision: Number.POSITIVE_INFINITY } as const;
/** issue-22 22-default: the two-sided hybrid as 22-hybrid6 measured it, without the gate (the default has it). */
const UNGATED = { ...SOLVED, markovHybridGate: false } as const;
const UNPRICED = Number.POSITIVE_INFINITY;

/** Warm estimates of small-team-3's traffic, Markovian (P(live) 0.25, answer ~12 s, exponential talk 150 s and wrap-up 20 s). */
function wrapEstimates(): ModelEstimates {
  const est = new PacingEstimators();
  let x = 2211;
  const u = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  for (let i = 0; i < 2_000; i++) {
    if (u() < 0.25) {
      const d = 12_000 * (0.6 + 0.8 * u());
      est.observeAttempt({ outcome: 'human', answerDelayMs: d, liveDelayMs: d, durationMs: d });
      est.observeWork({ talkMs: -150_000 * Math.log(1 - u()), wrapMs: -20_000 * Math.log(1 - u()) });
    } else est.observeAttempt({ outcome: 'failed', durationMs: 20_000 * (0.6 + 0.8 * u()) });
  }
  return est.estimates();
}

// An over-launch state of 22-markov's kind on a 3-agent team: the walk launches three lines, the policy two.
const overLaunchState: PacerState = oneReadyTwoWrapState(wrapEstimates());

describe('predictive with markovHybridCut (the two-sided hybrid)', () => {
  const twoSided = predictivePacer({ markovHybrid: 'small-teams', markovHybridCut: 0, ...UNGATED });
  const followPolicy = predictivePacer({ markovHybrid: 'small-teams', markovHybridCut: 0, markovHybridTolerance: UNPRICED, ...UNGATED });
  const walk = predictivePacer({ markovHybrid: false });
  const policy = predictivePacer({ markovPolicy: 'small-teams', ...SOLVED });

  it('never exceeds the line cap, never launches below progressive, falls back to progressive, decides the same for the same state', () => {
    fc.assert(
      fc.property(fc.oneof(smallTeamArb, workingTeamArb), fc.constantFrom(0, 0.5, 1), (state, keep) => {
        const pacer = predictivePacer({ markovHybrid: 'small-teams', markovHybridCut: keep, ...UNGATED });
        const w = working(state);
        const cap = Math.floor(state.options.maxLinesPerAgent * w);
        const progressive = progressiveDecision(state, 'progressive', true).launch;
        const d = pacer.decide(state);
        expect(Number.isInteger(d.launch) && d.launch >= 0).toBe(true);
        expect(state.calls.length + d.launch).toBeLessThanOrEqual(Math.max(state.calls.length, cap));
        if (w === 0) expect(d.launch).toBe(0);
        else expect(d.launch).toBeGreaterThanOrEqual(Math.min(progressive, Math.max(0, cap - state.calls.length)));
        if (w > 0 && governAbandons(state.abandons, state.options.abandonTarget, governorDefaults).mode === 'fallback')
          expect(d.launch).toBe(progressive);
        expect(pacer.decide(state)).toEqual(d);
        expect(predictivePacer({ markovHybrid: 'small-teams', markovHybridCut: keep, ...UNGATED }).decide(state)).toEqual(d);
      }),
      { numRuns: 150, seed: 2261 },
    );
  });

  it("launches between the walk's and the policy's lines; every cut followed and the added lines unpriced, exactly the policy's", () => {
    fc.assert(
      fc.property(fc.oneof(smallTeamArb, workingTeamArb), (state) => {
        const byWalk = walk.decide(state).launch;
        const byPolicy = policy.decide(state).launch;
        const n = twoSided.decide(state).launch;
        expect(n).toBeGreaterThanOrEqual(Math.min(byWalk, byPolicy));
        expect(n).toBeLessThanOrEqual(Math.max(byWalk, byPolicy));
        expect(followPolicy.decide(state).launch).toBe(byPolicy);
      }),
      { numRuns: 150, seed: 2262 },
    );
  });

  it('reports the forecast its launch was made on: the walk’s for the walk’s lines, the MDP’s own for the added ones', () => {
    fc.assert(
      fc.property(workingTeamArb, fc.constantFrom(2, UNPRICED), (state, tolerance) => {
        const d = predictivePacer({ markovHybrid: 'small-teams', markovHybridCut: 0, markovHybridTolerance: tolerance, ...UNGATED }).decide(
          state,
        );
        if (d.inputs.forecast !== 'hybrid') return; // the walk decided (no policy for this state): the walk's forecast
        const byWalk = Math.min(d.launch, walk.decide(state).launch);
        // The MDP's own forecast in the same model (the policy's solve for this state).
        const mdp = new MarkovLaunch(Number.POSITIVE_INFINITY);
        const w = working(state);
        const allowed = governAbandons(state.abandons, state.options.abandonTarget, governorDefaults).allowedRate;
        const observed = observeMarkov(state);
        const cap = Math.floor(state.options.maxLinesPerAgent * w);
        const m = mdp.launch(observed, w, state.estimates, allowed, cap);
        expect(m).toBeDefined();
        const expected = assessLaunch(state, byWalk).expectedAbandons + mdp.forecast(observed, d.launch) - mdp.forecast(observed, byWalk);
        expect(d.inputs.rawAbandons as number).toBeCloseTo(expected, 12);
        expect(d.inputs.expectedAbandons).toBe(d.inputs.rawAbandons); // no learnt scale in these states
        // issue-22 22-hybrid7: the two decisions it was made from, and each model's forecast of the whole launch.
        expect(d.inputs.walkLaunch).toBe(walk.decide(state).launch);
        expect(d.inputs.policyLaunch).toBe(Math.min(cap - state.calls.length, m as number));
        expect(d.inputs.mdpForecast as number).toBeCloseTo(mdp.forecast(observed, d.launch), 12);
        expect(d.inputs.walkForecast as number).toBeCloseTo(assessLaunch(state, d.launch).expectedAbandons, 12);
      }),
      { numRuns: 150, seed: 2263 },
    );
  });

  it('follows the policy’s cut where one agent is ready and two in wrap-up (a walk’s over-launch state)', () => {
    const state = overLaunchState;
    const byWalk = walk.decide(state).launch;
    const byPolicy = policy.decide(state).launch;
    expect(byPolicy).toBeLessThan(byWalk);
    expect(byPolicy).toBeGreaterThanOrEqual(progressiveDecision(state, 'progressive', true).launch);
    const d = twoSided.decide(state);
    expect(d.launch).toBe(byPolicy);
    expect(d.inputs.forecast).toBe('hybrid');
    // The one-sided hybrid (22-hybrid5) keeps the walk's lines; a large `keep` keeps the cut line.
    expect(predictivePacer({ markovHybrid: 'small-teams', markovHybridCut: false, ...UNGATED }).decide(state).launch).toBe(byWalk);
    expect(predictivePacer({ markovHybrid: 'small-teams', markovHybridCut: 1e9, ...UNGATED }).decide(state).launch).toBe(byWalk);
  });

  it('checks its option', () => {
    expect(() => predictivePacer({ markovHybrid: false, markovHybridCut: 0 })).toThrow(RangeError);
    expect(() => predictivePacer({ markovPolicy: 'small-teams', markovHybridCut: 0 })).toThrow(RangeError); // no hybrid with the policy
    expect(() => predictivePacer({ markovHybrid: true, markovHybridCut: -1 })).toThrow(RangeError);
    expect(() => predictivePacer({ markovHybrid: true, markovHybridCut: Number.NaN })).toThrow(RangeError);
  });
});

describe('twoSidedLaunch', () => {
  it('cuts to the policy’s lines (never below the floor) while each cut line’s price is at least keep × allowed × P(live); adds as hybridLaunch', () => {
    fc.assert(
      fc.property(
        convexWalkArb,
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 0, max: 10 }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        fc.constantFrom(0, 0.5, 1, 2, UNPRICED),
        fc.constantFrom(0, 0.5, 1, 3),
        ({ total }, walkRaw, policyLaunch, floorRaw, allowed, tolerance, keep) => {
          const risk = { totalAbandons: total };
          const pLive = 0.3;
          const floor = Math.min(floorRaw, walkRaw);
          const walkLaunch = Math.max(walkRaw, floor); // the walk never launches below the floor
          const n = twoSidedLaunch(risk, walkLaunch, policyLaunch, floor, pLive, allowed, tolerance, keep);
          // The definition, line by line.
          let expected = walkLaunch;
          if (policyLaunch > walkLaunch)
            while (expected < policyLaunch && total(expected + 1) - total(expected) <= tolerance * allowed * pLive) expected++;
          else
            while (
              expected > Math.max(floor, policyLaunch) &&
              (keep === 0 || total(expected) - total(expected - 1) >= keep * allowed * pLive)
            )
              expected--;
          expect(n).toBe(expected);
          // Never below the floor (progressive: lines that cannot abandon), never above the larger launch.
          expect(n).toBeGreaterThanOrEqual(floor);
          expect(n).toBeGreaterThanOrEqual(Math.min(walkLaunch, Math.max(floor, policyLaunch)));
          expect(n).toBeLessThanOrEqual(Math.max(walkLaunch, policyLaunch));
          if (keep === 0 && tolerance === UNPRICED) expect(n).toBe(Math.max(floor, policyLaunch));
        },
      ),
      { numRuns: 400, seed: 2264 },
    );
  });
});
