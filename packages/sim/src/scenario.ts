import { createParser, type PacingOptions, PacingOptionsSchema } from '@paceline/core';
import Type, { type Static } from 'typebox';
import type { AgentShift } from './agent-roster';
import { DistributionSpecSchema } from './model/distribution';
import { OutcomeModelSpecSchema } from './model/outcome-model';
import type { SimulationOptions } from './simulation';

// The scenario file format: `bench/scenarios/*.json`, `paceline simulate <scenario.json>`.

const ShiftSchema = Type.Object(
  {
    count: Type.Integer({ minimum: 1, expected: 'a whole number of agents, at least 1' }),
    loginAtHour: Type.Number({ minimum: 0, maximum: 24 }),
    logoutAtHour: Type.Number({ minimum: 0, maximum: 24 }),
    breaks: Type.Optional(
      Type.Array(
        Type.Object(
          { atHour: Type.Number({ minimum: 0 }), minutes: Type.Number({ exclusiveMinimum: 0 }) },
          { additionalProperties: false },
        ),
      ),
    ),
    wrap: Type.Optional(DistributionSpecSchema),
    /** Logins and breaks spread uniformly over this many minutes. */
    staggerMinutes: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/** A simulation scenario: one campaign day (the format of `bench/scenarios/<name>.json`). */
export const ScenarioSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9-]+$', expected: 'kebab-case, like the file name' }),
    description: Type.String(),
    /** Local hour of the day the run starts. */
    startHour: Type.Integer({ minimum: 0, maximum: 23 }),
    durationHours: Type.Number({ exclusiveMinimum: 0, maximum: 24 }),
    /** The abandon ledger's window: US TSR 30 days or UK Ofcom 24 h. */
    jurisdiction: Type.Union([Type.Literal('us'), Type.Literal('uk')]),
    pacing: PacingOptionsSchema,
    shifts: Type.Array(ShiftSchema, { minItems: 1 }),
    model: OutcomeModelSpecSchema,
  },
  { additionalProperties: false },
);

/** A simulation scenario. */
export type Scenario = Static<typeof ScenarioSchema>;

/** Parse a scenario (defaults applied); problems throw `E_INVALID_CONFIG` naming the field path. */
export const parseScenario = createParser<Scenario>(ScenarioSchema, {
  code: 'E_INVALID_CONFIG',
  root: 'scenario',
  refine: (s) =>
    s.shifts.flatMap((shift, i) =>
      shift.logoutAtHour > shift.loginAtHour ? [] : [{ path: `scenario.shifts[${i}].logoutAtHour`, message: 'must be after loginAtHour' }],
    ),
});

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The simulation options of a scenario for one seed and pacer, over `days` consecutive days:
 * the shifts repeat every 24 h and the run ends at the last day's end (`days = 1` is what
 * the benchmark runs).
 */
export function simulationOf(scenario: Scenario, seed: number, pacer: SimulationOptions['pacer'], days = 1): SimulationOptions {
  const shifts: AgentShift[] = [];
  for (let day = 0; day < days; day++) {
    for (const s of scenario.shifts) {
      const offset = day * DAY_MS;
      shifts.push({
        count: s.count,
        loginAtMs: offset + s.loginAtHour * HOUR_MS,
        logoutAtMs: offset + s.logoutAtHour * HOUR_MS,
        breaks: (s.breaks ?? []).map((b) => ({ atMs: offset + b.atHour * HOUR_MS, durationMs: b.minutes * 60_000 })),
        ...(s.wrap ? { wrap: s.wrap } : {}),
        staggerMs: (s.staggerMinutes ?? 0) * 60_000,
      });
    }
  }
  return {
    seed,
    durationMs: (days - 1) * DAY_MS + scenario.durationHours * HOUR_MS,
    startHour: scenario.startHour,
    shifts,
    model: scenario.model,
    pacer,
    pacing: scenario.pacing as PacingOptions,
    abandonWindowMs: scenario.jurisdiction === 'uk' ? DAY_MS : 30 * DAY_MS,
  };
}
