import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createParser, type PacingOptions, PacingOptionsSchema } from '@paceline/core';
import { type AgentShift, DistributionSpecSchema, OutcomeModelSpecSchema, type SimulationOptions } from '@paceline/sim';
import Type, { type Static } from 'typebox';

/** One group of agents on a shift; hours from the start of the day. */
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

/** A benchmark scenario: one campaign day (`bench/scenarios/<name>.json`). */
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

/** A benchmark scenario. */
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

/** Directory of the scenario files. */
export const SCENARIO_DIR = join(import.meta.dirname, 'scenarios');

/** Load and validate every scenario file, in name order. */
export function loadScenarios(dir = SCENARIO_DIR): Scenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const scenario = parseScenario(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      if (`${scenario.name}.json` !== f) throw new Error(`${f}: scenario.name is "${scenario.name}"; name the file after it`);
      return scenario;
    });
}

const HOUR_MS = 3_600_000;

/** The simulation options of a scenario, for one seed and pacer. */
export function simulationOf(scenario: Scenario, seed: number, pacer: SimulationOptions['pacer']): SimulationOptions {
  const shifts: AgentShift[] = scenario.shifts.map((s) => ({
    count: s.count,
    loginAtMs: s.loginAtHour * HOUR_MS,
    logoutAtMs: s.logoutAtHour * HOUR_MS,
    breaks: (s.breaks ?? []).map((b) => ({ atMs: b.atHour * HOUR_MS, durationMs: b.minutes * 60_000 })),
    ...(s.wrap ? { wrap: s.wrap } : {}),
    staggerMs: (s.staggerMinutes ?? 0) * 60_000,
  }));
  return {
    seed,
    durationMs: scenario.durationHours * HOUR_MS,
    startHour: scenario.startHour,
    shifts,
    model: scenario.model,
    pacer,
    pacing: scenario.pacing as PacingOptions,
    abandonWindowMs: scenario.jurisdiction === 'uk' ? 24 * HOUR_MS : 30 * 24 * HOUR_MS,
  };
}
