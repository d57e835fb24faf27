// issue-23 23-speed: the launch-risk walks keep their complete totals per sealed picture (walk-memo.ts) and the
// budget test stops a walk once its running total is over. Both must give, bit for bit, what a fresh walk
// gives: a reused walk (and a reused pacer) over a random sequence of pictures (states), each the last
// one again or the last one with one number moved — by as little as one part in 10¹², which no tolerance
// or hash of a tolerance would see — agrees with a fresh one on every total, budget test and decision.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type InboundAwarePacerState, type InboundDemand, InboundLaunchRisk, type PacerState, predictivePacer } from '../src/index';
import { LaunchRisk } from '../src/launch-risk';
import { stateArb } from './support';
import { fillRisk, type Picture, pictureOf } from './walk-picture';

interface Step {
  readonly picture: Picture;
  readonly exact: boolean;
  readonly demand: InboundDemand;
  readonly horizonMs: readonly number[];
}

const tiny = (x: number) => (x === 0 ? 1e-12 : x * (1 + 1e-12));

/** The next picture: the same, or one of its numbers (a term, a new call's chance, the ready or waiting count, the inbound demand, the horizons, the lattice) moved, or two terms rebalanced. */
const nextStep = (step: Step, move: number, at: number): Step => {
  const p = step.picture;
  const terms = [...p.terms];
  const newLive = [...p.newLive];
  switch (move) {
    case 0:
      return step;
    case 1: {
      const i = at % Math.max(1, terms.length);
      const t = terms[i];
      if (t === undefined) return { ...step, picture: { ...p, terms: [{ k: 0, q: 0.5, sign: 1 }] } };
      terms[i] = { ...t, q: tiny(t.q) };
      return { ...step, picture: { ...p, terms } };
    }
    case 2: {
      const k = at % p.K;
      newLive[k] = tiny(newLive[k] as number);
      return { ...step, picture: { ...p, newLive } };
    }
    case 3:
      return { ...step, picture: { ...p, ready: (p.ready + 1) % 4 } };
    case 4:
      return { ...step, picture: { ...p, waiting: (p.waiting + 1) % 3 } };
    case 5:
      return { ...step, demand: { ...step.demand, arrivalsPerSecond: tiny(step.demand.arrivalsPerSecond) } };
    case 6:
      return { ...step, demand: { ...step.demand, queued: (step.demand.queued + 1) % 4 } };
    case 7:
      return { ...step, demand: { ...step.demand, reserveIdle: ((step.demand.reserveIdle ?? 0) + 1) % 3 } };
    case 8:
      return { ...step, horizonMs: step.horizonMs.map((h, k) => (k === at % p.K ? tiny(h) : h)) };
    case 9: {
      const i = at % Math.max(1, terms.length);
      if (terms.length > 0) terms.splice(i, 1);
      return { ...step, picture: { ...p, terms } };
    }
    case 10: {
      // Two terms of one step and side rebalanced: their mean kept (often to the bit), their spread moved.
      for (let i = 0; i < terms.length; i++)
        for (let j = i + 1; j < terms.length; j++) {
          const a = terms[i] as Picture['terms'][number];
          const b = terms[j] as Picture['terms'][number];
          if (a.k !== b.k || a.sign !== b.sign) continue;
          const d = 2 ** -5;
          if (a.q + d >= 1 || b.q - d <= 0) continue;
          terms[i] = { ...a, q: a.q + d };
          terms[j] = { ...b, q: b.q - d };
          return { ...step, picture: { ...p, terms } };
        }
      return step;
    }
    default:
      return { ...step, exact: !step.exact };
  }
};

const stepArb: fc.Arbitrary<Step> = fc.integer({ min: 1, max: 5 }).chain((K) =>
  fc.record({
    picture: pictureOf(K, 7),
    exact: fc.boolean(),
    demand: fc.record({
      arrivalsPerSecond: fc.double({ min: 0, max: 0.3, noNaN: true }),
      queued: fc.integer({ min: 0, max: 3 }),
      reserveIdle: fc.integer({ min: 0, max: 2 }),
      // issue-23 23-peak: the deadline-ordered walk's inputs (a 5-s target puts some steps past it).
      routing: fc.constantFrom('inbound-first' as const, 'deadline' as const),
      answerTargetMs: fc.constantFrom(5_000, 20_000),
      queuedWaitMs: fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 3 }),
    }),
    horizonMs: fc
      .array(fc.integer({ min: 200, max: 4_000 }), { minLength: K, maxLength: K })
      .map((gaps) => gaps.map((_, k) => gaps.slice(0, k + 1).reduce((a, b) => a + b, 0))),
  }),
);

/** A sequence of pictures: a first one, then moves (0: the same again), each with the launches and budgets asked of it. */
const sequenceArb = fc.record({
  first: stepArb,
  moves: fc.array(
    fc.record({
      move: fc.integer({ min: 0, max: 11 }),
      at: fc.nat(),
      asks: fc.array(fc.record({ n: fc.integer({ min: 0, max: 6 }), slack: fc.constantFrom(-1e-3, -1e-15, 0, 1e-15, 1e-3) }), {
        minLength: 1,
        maxLength: 6,
      }),
    }),
    { minLength: 1, maxLength: 12 },
  ),
});

function fill(risk: LaunchRisk, step: Step): LaunchRisk {
  if (risk instanceof InboundLaunchRisk) {
    risk.demand = step.demand;
    risk.horizonMs = Float64Array.from(step.horizonMs);
    risk.heldSupply = [];
  }
  return fillRisk(risk, step.picture, step.exact);
}

describe('the walks’ memo and early stop (issue 23, 23-speed)', () => {
  for (const [name, make] of [
    ['plain', () => new LaunchRisk()],
    ['inbound', () => new InboundLaunchRisk()],
  ] as const) {
    it(`a reused ${name} walk gives a fresh walk's totals and budget tests, bit for bit, over random picture sequences`, () => {
      fc.assert(
        fc.property(sequenceArb, ({ first, moves }) => {
          const reused = make();
          let step = first;
          for (const { move, at, asks } of moves) {
            step = nextStep(step, move, at);
            fill(reused, step);
            for (const { n, slack } of asks) {
              const fresh = fill(make(), step);
              const base = fresh.totalAbandons(0);
              const total = fresh.totalAbandons(n);
              // A budget on either side of the exact one, and at it.
              const budget = total - base + slack;
              expect(reused.withinBudget(n, base, budget)).toBe(total - base <= budget);
              expect(Object.is(reused.totalAbandons(n), total)).toBe(true);
              expect(reused.withinBudget(n, base, budget)).toBe(total - base <= budget);
              expect(Object.is(reused.launchAbandons(n), fresh.launchAbandons(n))).toBe(true);
            }
          }
        }),
        { numRuns: 300, seed: 23 },
      );
    });
  }

  it('a reused predictive pacer decides as a fresh one on every state of a random sequence (states again, aged, at another forecast scale, with inbound demand moved)', () => {
    const demandArb = fc.record({
      arrivalsPerSecond: fc.double({ min: 0, max: 0.3, noNaN: true }),
      queued: fc.integer({ min: 0, max: 4 }),
      reserveIdle: fc.integer({ min: 0, max: 2 }),
    });
    const moveArb = fc.record({ move: fc.integer({ min: 0, max: 4 }), ms: fc.integer({ min: 0, max: 3_000 }) });
    fc.assert(
      fc.property(
        stateArb,
        fc.option(demandArb, { nil: undefined }),
        fc.array(moveArb, { minLength: 1, maxLength: 8 }),
        (s0, d0, moves) => {
          // The walk's memo (markovHybrid false): the default's hybrid steps its MDP solve per decision (22-default).
          const reused = predictivePacer({ markovHybrid: false });
          let state: InboundAwarePacerState = d0 === undefined ? s0 : { ...s0, inboundDemand: d0 };
          for (const { move, ms } of moves) {
            if (move === 1) state = aged(state, ms);
            else if (move === 2) state = { ...state, forecastScale: 0.5 + ms / 1_000 };
            else if (move === 3 && state.inboundDemand !== undefined)
              state = {
                ...state,
                inboundDemand: { ...state.inboundDemand, arrivalsPerSecond: tiny(state.inboundDemand.arrivalsPerSecond) },
              };
            else if (move === 4 && state.inboundDemand !== undefined)
              state = { ...state, inboundDemand: { ...state.inboundDemand, queued: state.inboundDemand.queued + 1 } };
            expect(reused.decide(state)).toEqual(predictivePacer({ markovHybrid: false }).decide(state));
          }
        },
      ),
      { numRuns: 300, seed: 23 },
    );
  });
});

/** The state `ms` later: every agent's time in state and every call's age grown. */
function aged<S extends PacerState>(state: S, ms: number): S {
  return {
    ...state,
    now: state.now + ms,
    agents: state.agents.map((a) => ({ ...a, timeInStateMs: a.timeInStateMs + ms })),
    calls: state.calls.map((c) => ({ ...c, ageMs: c.ageMs + ms })),
  };
}
