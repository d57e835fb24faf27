import { describe, expect, it } from 'vitest';
import { simulationOf as benchSimulationOf, loadScenarios } from '../../../bench/scenario';
import { parseScenario, simulationOf } from '../src/scenario';

// The CLI repeats bench/scenario.ts's schema (packages may not import bench/): keep them equal.
describe('the CLI scenario format', () => {
  it('parses every bench scenario to the same value and the same one-day simulation', () => {
    const pacer = { decide: () => ({ launch: 0, reason: 'test', inputs: {} }), observeOutcome() {}, observeWork() {} };
    for (const scenario of loadScenarios()) {
      expect(parseScenario(JSON.parse(JSON.stringify(scenario)))).toEqual(scenario);
      expect(simulationOf(scenario, 7, pacer)).toEqual(benchSimulationOf(scenario, 7, pacer));
    }
  });

  it('repeats the shifts daily over several days', () => {
    const [scenario] = loadScenarios();
    if (!scenario) throw new Error('no bench scenarios');
    const pacer = { decide: () => ({ launch: 0, reason: 'test', inputs: {} }), observeOutcome() {}, observeWork() {} };
    const three = simulationOf(scenario, 1, pacer, 3);
    expect(three.shifts).toHaveLength(3 * scenario.shifts.length);
    expect(three.durationMs).toBe(2 * 86_400_000 + scenario.durationHours * 3_600_000);
  });
});
