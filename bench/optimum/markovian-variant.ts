// Markovian variants of the bench scenarios (`<name>-markov`): the same team, live rate, mean
// answer delay, talk and wrap-up, but every duration exponential, non-live lines lasting as long
// as live ones, no breaks, no stagger, no AMD — the model `@paceline/pacing`'s `markov-dialer-mdp.ts` solves exactly.
import { AgentState } from '@paceline/core';
import { type MarkovDialer, MarkovDialerMdp, type Optimum, type Pacer, type PacerState } from '@paceline/pacing';
import { parseScenario, type Scenario } from '../scenario';

/**
 * The scenarios with a Markovian variant: small enough for the exact MDP within the bench's
 * time (states ≈ agents² × lines with a wrap-up, agents × lines without). team-10 (3,300 states
 * with its wrap-up) solves too, but ~1 min per target: `markovianVariant` works for it.
 * small-team-4-quick is held out (issue 22): the pacer was never tuned on it or its variant.
 */
export const MARKOV_BASES = ['small-team-3', 'small-team-5', 'itc-20', 'small-team-4-quick'] as const;

/** The abandon grace (DESIGN.md: 2 s); in the MDP a waiting caller's patience is exponential with this mean. */
const GRACE_MS = 2_000;
/** Callers waiting at once in the MDP (more are abandoned at once; the grace makes 4 rare). */
const MAX_WAITING = 4;

type Spec = Scenario['model']['base']['talk'];

function meanOf(spec: Spec | undefined): number {
  if (spec === undefined) return 0;
  switch (spec.kind) {
    case 'constant':
      return spec.valueMs;
    case 'exponential':
    case 'lognormal':
      return spec.meanMs;
    case 'empirical':
      return spec.valuesMs.reduce((a, b) => a + b, 0) / spec.valuesMs.length;
  }
}

/** The Markovian variant of `base`. */
export function markovianVariant(base: Scenario): Scenario {
  const m = base.model.base;
  const shift = base.shifts[0];
  if (shift === undefined) throw new Error(`${base.name}: no shift`);
  const agents = base.shifts.reduce((a, s) => a + s.count, 0);
  const live = m.mix.live;
  const delayMs = meanOf(m.answerDelay) + meanOf(m.greeting);
  const wrapMs = meanOf(shift.wrap);
  return parseScenario({
    name: `${base.name}-markov`,
    description: `Markovian variant of ${base.name} (exponential durations, non-live lines as long as live ones, no breaks, no AMD): the exact optimum is computed for it.`,
    startHour: base.startHour,
    durationHours: base.durationHours,
    jurisdiction: base.jurisdiction,
    pacing: { ...base.pacing, ringTimeoutMs: 120_000 },
    shifts: [
      {
        count: agents,
        loginAtHour: 0,
        logoutAtHour: base.durationHours,
        ...(wrapMs > 0 ? { wrap: { kind: 'exponential', meanMs: wrapMs } } : {}),
      },
    ],
    model: {
      base: {
        mix: { live, machine: 0, busy: 0, noAnswer: 0, failed: 1 - live, invalid: 0 },
        answerDelay: { kind: 'exponential', meanMs: delayMs },
        failedDelay: { kind: 'exponential', meanMs: delayMs },
        greeting: { kind: 'constant', valueMs: 0 },
        talk: { kind: 'exponential', meanMs: meanOf(m.talk) },
        machineTalk: { kind: 'constant', valueMs: 0 },
        amd: { falseMachine: 0, falseHuman: 0 },
      },
    },
  });
}

/** The MDP of a Markovian variant (rates per second). */
export function markovModel(variant: Scenario, fullInformation = false): MarkovDialer {
  const m = variant.model.base;
  const shift = variant.shifts[0];
  const agents = variant.shifts.reduce((a, s) => a + s.count, 0);
  const wrapMs = meanOf(shift?.wrap);
  return {
    agents,
    talkRate: 1_000 / meanOf(m.talk),
    wrapRate: wrapMs > 0 ? 1_000 / wrapMs : Number.POSITIVE_INFINITY,
    lineRate: 1_000 / meanOf(m.answerDelay),
    liveProbability: m.mix.live,
    abandonRate: 1_000 / GRACE_MS,
    lineCap: Math.floor(variant.pacing.maxLinesPerAgent * agents),
    maxWaiting: MAX_WAITING,
    fullInformation,
  };
}

/** Solvers per variant and information, built once per process. */
const solvers = new Map<string, MarkovDialerMdp>();
export function solverFor(variant: Scenario, fullInformation = false): MarkovDialerMdp {
  const key = `${variant.name}/${fullInformation}`;
  let solver = solvers.get(key);
  if (solver === undefined) {
    solver = new MarkovDialerMdp(markovModel(variant, fullInformation));
    solvers.set(key, solver);
  }
  return solver;
}

const optima = new Map<string, Optimum>();
/** The optimum of `variant` at abandon target `target` (memoised per process). */
export function optimumFor(variant: Scenario, rawTarget: number, fullInformation = false): Optimum {
  // Targets within a twentieth of a percent share one solve, rounded up (a pacer is compared with
  // an optimum allowed at least its own abandon rate).
  const target = Math.ceil(rawTarget * 2_000 - 1e-9) / 2_000;
  const key = `${variant.name}/${fullInformation}/${target}`;
  let o = optima.get(key);
  if (o === undefined) {
    o = solverFor(variant, fullInformation).optimum(target);
    optima.set(key, o);
  }
  return o;
}

/** The Markovian variants of those of `scenarios` that have one, after them. */
export function withMarkovianVariants(scenarios: readonly Scenario[]): Scenario[] {
  const variants = scenarios.filter((s) => (MARKOV_BASES as readonly string[]).includes(s.name)).map(markovianVariant);
  return [...scenarios, ...variants];
}

/** Whether `name` is a Markovian variant. */
export const isMarkovian = (name: string): boolean => name.endsWith('-markov');

/**
 * The optimal policy at the campaign's abandon target, as a pacer (the benchmark's
 * `optimum-policy`): it reads talking, wrap-up, lines and waiting callers from the state and
 * holds the lines the MDP says. Validates the MDP against the simulator.
 */
export function optimumPolicyPacer(variant: Scenario): Pacer {
  const policy = optimumFor(variant, variant.pacing.abandonTarget).policy;
  return {
    name: 'optimum-policy',
    decide(state: PacerState) {
      let talking = 0;
      let wrapping = 0;
      for (const a of state.agents) {
        if (a.state === AgentState.OnCall || a.state === AgentState.Reserved) talking++;
        else if (a.state === AgentState.WrapUp) wrapping++;
      }
      let waiting = 0;
      for (const c of state.calls) if (c.phase === 'waiting') waiting++;
      const lines = state.calls.length - waiting;
      const hold = policy.linesFor(talking, wrapping, lines, waiting);
      return { launch: Math.max(0, hold - lines), reason: 'optimum-policy', inputs: { talking, wrapping, lines, waiting } };
    },
  };
}
