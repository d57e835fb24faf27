import { createParser, PacelineError, type Random } from '@paceline/core';
import Type, { type Static } from 'typebox';
import { createDistribution, type Distribution, DistributionSpecSchema } from './distribution';

const Probability = Type.Number({ minimum: 0, maximum: 1, expected: 'a probability between 0 and 1' });

/** Outcome probabilities of one attempt (the truth, before call analysis). They sum to 1. */
export const OutcomeMixSchema = Type.Object(
  { live: Probability, machine: Probability, busy: Probability, noAnswer: Probability, failed: Probability, invalid: Probability },
  { additionalProperties: false },
);
/** Outcome probabilities of one attempt. */
export type OutcomeMix = Static<typeof OutcomeMixSchema>;

/** Everything that may vary by hour of the day. */
const hourFields = {
  mix: OutcomeMixSchema,
  /** Originate → answer (live and machine), ms. Answers later than the ring timeout become no-answer. */
  answerDelay: DistributionSpecSchema,
  /** Originate → the network's final response for busy, failed and invalid, ms. */
  failedDelay: DistributionSpecSchema,
  /** Answer → the greeting's end, when call analysis gives its verdict, ms. */
  greeting: DistributionSpecSchema,
  /** Talk time of a live answer connected to an agent, ms. */
  talk: DistributionSpecSchema,
  /** Talk time when a machine was passed to an agent as human (the agent hangs up), ms. */
  machineTalk: DistributionSpecSchema,
  /** AMD error rates: a human reported as machine (false positive), a machine reported as human (false negative). */
  amd: Type.Object({ falseMachine: Probability, falseHuman: Probability }, { additionalProperties: false }),
};

/** Parameters of one hour of the day. */
export const HourParamsSchema = Type.Object(hourFields, { additionalProperties: false });
/** Parameters of one hour of the day. */
export type HourParams = Static<typeof HourParamsSchema>;

/**
 * The trunk outcome model: `base` parameters, and `byHour` overrides that apply from
 * `hour` (0–23, local) until the next entry's hour.
 */
export const OutcomeModelSpecSchema = Type.Object(
  {
    base: HourParamsSchema,
    byHour: Type.Optional(
      Type.Array(
        Type.Object({ hour: Type.Integer({ minimum: 0, maximum: 23 }), ...mapOptional(hourFields) }, { additionalProperties: false }),
      ),
    ),
  },
  { additionalProperties: false },
);
/** The trunk outcome model as data. */
export type OutcomeModelSpec = Static<typeof OutcomeModelSpecSchema>;

function mapOptional<T extends Record<string, Parameters<typeof Type.Optional>[0]>>(fields: T) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = Type.Optional(v);
  return out as { [K in keyof T]: ReturnType<typeof Type.Optional<T[K]>> };
}

/** What really happens on the far end (call analysis may report otherwise). */
export type TrueOutcome = 'live' | 'machine' | 'busy' | 'no-answer' | 'failed' | 'invalid';

/** One attempt's fate, decided when it is placed. */
export interface CallPlan {
  readonly truth: TrueOutcome;
  /** Call analysis' verdict at the greeting's end (answered calls only). */
  readonly detected?: 'human' | 'machine';
  /** Originate → answer (answered) or → the final response (unanswered; the ring timeout for no-answer), ms. */
  readonly resolveAfterMs: number;
  /** Answer → the greeting's end, ms (answered calls). */
  readonly greetingMs: number;
  /** Talk time if connected to an agent, ms. */
  readonly talkMs: number;
}

interface CompiledHour {
  readonly cumulative: readonly [number, number, number, number, number];
  readonly answerDelay: Distribution;
  readonly failedDelay: Distribution;
  readonly greeting: Distribution;
  readonly talk: Distribution;
  readonly machineTalk: Distribution;
  readonly falseMachine: number;
  readonly falseHuman: number;
}

const parseSpec = createParser<OutcomeModelSpec>(OutcomeModelSpecSchema, { code: 'E_INVALID_CONFIG', root: 'outcomeModel' });

/**
 * The trunk outcome model: outcome mix, answer delays, failure delays, greeting (AMD) time,
 * talk time and AMD errors, by hour of the day. Depends on nothing but `@paceline/core`;
 * draws only from the `Random` it is given.
 */
export class OutcomeModel {
  readonly #hours: CompiledHour[];

  /** @param spec validated here; problems throw `E_INVALID_CONFIG` naming the field. */
  constructor(spec: OutcomeModelSpec) {
    const parsed = parseSpec(spec);
    const overrides = [...(parsed.byHour ?? [])].sort((a, b) => a.hour - b.hour);
    this.#hours = [];
    let current: HourParams = parsed.base;
    for (let h = 0; h < 24; h++) {
      for (const o of overrides) if (o.hour === h) current = { ...current, ...(o as Partial<HourParams>) };
      this.#hours.push(compile(current, h));
    }
  }

  /** Plan one attempt placed at `hourOfDay` (fractional hours, wrapped to 0–24). */
  plan(hourOfDay: number, ringTimeoutMs: number, random: Random): CallPlan {
    const hour = this.#hours[Math.floor(((hourOfDay % 24) + 24) % 24)] ?? (this.#hours[0] as CompiledHour);
    const u = random.next();
    const c = hour.cumulative;
    if (u < c[1]) {
      const truth: TrueOutcome = u < c[0] ? 'live' : 'machine';
      const answerMs = hour.answerDelay.sample(random);
      if (answerMs >= ringTimeoutMs) return { truth: 'no-answer', resolveAfterMs: ringTimeoutMs, greetingMs: 0, talkMs: 0 };
      const greetingMs = hour.greeting.sample(random);
      const wrong = random.next() < (truth === 'live' ? hour.falseMachine : hour.falseHuman);
      const detected = (truth === 'live') !== wrong ? 'human' : 'machine';
      const talkMs = truth === 'live' ? hour.talk.sample(random) : hour.machineTalk.sample(random);
      return { truth, detected, resolveAfterMs: answerMs, greetingMs, talkMs };
    }
    if (u < c[2]) return { truth: 'busy', resolveAfterMs: hour.failedDelay.sample(random), greetingMs: 0, talkMs: 0 };
    if (u < c[3]) return { truth: 'failed', resolveAfterMs: hour.failedDelay.sample(random), greetingMs: 0, talkMs: 0 };
    if (u < c[4]) return { truth: 'invalid', resolveAfterMs: hour.failedDelay.sample(random), greetingMs: 0, talkMs: 0 };
    return { truth: 'no-answer', resolveAfterMs: ringTimeoutMs, greetingMs: 0, talkMs: 0 };
  }

  /** The parameters' means at `hourOfDay` (for closed forms and docs). */
  meansAt(hourOfDay: number): { mix: OutcomeMix; answerDelayMs: number; failedDelayMs: number; greetingMs: number; talkMs: number } {
    const hour = this.#hours[Math.floor(((hourOfDay % 24) + 24) % 24)] ?? (this.#hours[0] as CompiledHour);
    const c = hour.cumulative;
    return {
      mix: { live: c[0], machine: c[1] - c[0], busy: c[2] - c[1], failed: c[3] - c[2], invalid: c[4] - c[3], noAnswer: 1 - c[4] },
      answerDelayMs: hour.answerDelay.meanMs,
      failedDelayMs: hour.failedDelay.meanMs,
      greetingMs: hour.greeting.meanMs,
      talkMs: hour.talk.meanMs,
    };
  }
}

function compile(p: HourParams, hour: number): CompiledHour {
  const m = p.mix;
  const sum = m.live + m.machine + m.busy + m.noAnswer + m.failed + m.invalid;
  if (Math.abs(sum - 1) > 1e-6) {
    throw new PacelineError(
      'E_INVALID_CONFIG',
      `outcomeModel.mix (hour ${hour}): probabilities sum to ${sum.toFixed(6)}; make them sum to 1`,
    );
  }
  const path = `outcomeModel (hour ${hour})`;
  return {
    cumulative: [m.live, m.live + m.machine, m.live + m.machine + m.busy, m.live + m.machine + m.busy + m.failed, 1 - m.noAnswer],
    answerDelay: createDistribution(p.answerDelay, `${path}.answerDelay`),
    failedDelay: createDistribution(p.failedDelay, `${path}.failedDelay`),
    greeting: createDistribution(p.greeting, `${path}.greeting`),
    talk: createDistribution(p.talk, `${path}.talk`),
    machineTalk: createDistribution(p.machineTalk, `${path}.machineTalk`),
    falseMachine: p.amd.falseMachine,
    falseHuman: p.amd.falseHuman,
  };
}
