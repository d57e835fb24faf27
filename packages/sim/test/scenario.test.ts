import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulationOf } from '../src/index';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const pacer = { decide: () => ({ launch: 0, reason: 'test', inputs: {} }), observeOutcome() {}, observeWork() {} };

describe('the scenario format', () => {
  it('parses every bench scenario, and parsing is stable', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const scenario = parseScenario(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      expect(parseScenario(JSON.parse(JSON.stringify(scenario)))).toEqual(scenario);
      const options = simulationOf(scenario, 7, pacer);
      expect(options.durationMs).toBe(scenario.durationHours * 3_600_000);
      expect(options.shifts).toHaveLength(scenario.shifts.length);
      expect(options.abandonWindowMs).toBe(scenario.jurisdiction === 'uk' ? 86_400_000 : 30 * 86_400_000);
    }
  });

  it('repeats the shifts daily over several days', () => {
    const scenario = parseScenario(JSON.parse(readFileSync(join(dir, files[0] as string), 'utf8')));
    const three = simulationOf(scenario, 1, pacer, 3);
    expect(three.shifts).toHaveLength(3 * scenario.shifts.length);
    expect(three.durationMs).toBe(2 * 86_400_000 + scenario.durationHours * 3_600_000);
  });

  it('refuses a bad scenario whole, naming the field', () => {
    expect(() =>
      parseScenario({
        name: 'x',
        description: '',
        startHour: 9,
        durationHours: 8,
        jurisdiction: 'us',
        pacing: {},
        shifts: [{ count: 0, loginAtHour: 2, logoutAtHour: 1 }],
        model: {},
      }),
    ).toThrow(/scenario\.shifts\[0\]\.count/);
  });
});
