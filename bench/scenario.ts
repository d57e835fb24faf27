import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, type Scenario } from '@paceline/sim';

// The scenario format lives in @paceline/sim (the CLI's `paceline simulate` reads it too).
export type { Scenario } from '@paceline/sim';
export { parseScenario, simulationOf } from '@paceline/sim';

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
