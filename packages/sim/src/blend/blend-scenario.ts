import { createParser } from '@paceline/core';
import Type, { type Static } from 'typebox';
import { DistributionSpecSchema } from '../model/distribution';
import { ScenarioSchema } from '../scenario';

// The blended scenario format: `bench/scenarios/blend/<name>.json` — an outbound scenario plus
// an inbound queue served by the same agents.

/** The inbound half of a blended scenario. */
export const InboundSpecSchema = Type.Object(
  {
    /**
     * Arrivals per hour for each local hour of the day (24 values, index = hour; the rate is
     * constant within an hour). The time-of-day profile of the inbound line.
     */
    arrivalsPerHour: Type.Array(Type.Number({ minimum: 0 }), { minItems: 24, maxItems: 24, expected: '24 hourly rates ≥ 0' }),
    /**
     * The workforce plan's forecast, arrivals per hour for each local hour (24 values), which the
     * blend reads as its time-of-day profile (default `arrivalsPerHour`: the plan is right on
     * average). A different profile here tests a plan that is off; the spike is never in it.
     */
    forecastPerHour: Type.Optional(
      Type.Array(Type.Number({ minimum: 0 }), { minItems: 24, maxItems: 24, expected: '24 hourly rates ≥ 0' }),
    ),
    /** A contingency spike: the rate × `factor` from `atHour` for `hours` (e.g. +50% for an hour: factor 1.5). */
    spike: Type.Optional(
      Type.Object(
        {
          atHour: Type.Integer({ minimum: 0, maximum: 23, expected: 'a whole hour of the day' }),
          hours: Type.Integer({ minimum: 1, expected: 'a whole number of hours' }),
          factor: Type.Number({ exclusiveMinimum: 0 }),
        },
        { additionalProperties: false },
      ),
    ),
    /** Caller patience in the queue (time until they hang up). */
    patience: DistributionSpecSchema,
    /** Inbound talk time (wrap-up is the agent's, as for outbound calls). */
    talk: DistributionSpecSchema,
    /** Service-level target: this fraction answered within `targetAnswerSeconds`. */
    serviceLevelTarget: Type.Number({ minimum: 0, maximum: 1, default: 0.8 }),
    targetAnswerSeconds: Type.Number({ minimum: 0, default: 20 }),
  },
  { additionalProperties: false },
);

/** The inbound half of a blended scenario. */
export type InboundSpec = Static<typeof InboundSpecSchema>;

/** A blended scenario: a campaign day plus an inbound queue on the same agents. */
export const BlendScenarioSchema = Type.Object(
  {
    ...ScenarioSchema.properties,
    inbound: InboundSpecSchema,
    /** Held out from tuning: the benchmark reports it apart. */
    heldOut: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** A blended scenario. */
export type BlendScenario = Static<typeof BlendScenarioSchema>;

/** Parse a blended scenario (defaults applied); problems throw `E_INVALID_CONFIG` naming the field path. */
export const parseBlendScenario = createParser<BlendScenario>(BlendScenarioSchema, {
  code: 'E_INVALID_CONFIG',
  root: 'scenario',
  refine: (s) =>
    s.shifts.flatMap((shift, i) =>
      shift.logoutAtHour > shift.loginAtHour ? [] : [{ path: `scenario.shifts[${i}].logoutAtHour`, message: 'must be after loginAtHour' }],
    ),
});

/** The inbound arrival rate, calls per hour, at a (fractional) local hour of the day, spike included. */
export function inboundRateAt(inbound: InboundSpec, hourOfDay: number): number {
  const base = inbound.arrivalsPerHour[Math.floor(hourOfDay) % 24] ?? 0;
  const spike = inbound.spike;
  return spike !== undefined && hourOfDay >= spike.atHour && hourOfDay < spike.atHour + spike.hours ? base * spike.factor : base;
}

/** The planned inbound rate, calls per hour, at a (fractional) local hour: `forecastPerHour` (else `arrivalsPerHour`), never the spike. */
export function inboundForecastAt(inbound: InboundSpec, hourOfDay: number): number {
  const plan = inbound.forecastPerHour ?? inbound.arrivalsPerHour;
  return plan[Math.floor(hourOfDay) % 24] ?? 0;
}
