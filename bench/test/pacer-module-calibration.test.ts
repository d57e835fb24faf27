// A `--pacer-module` pacer's calibration is assessed by its own walk (`benchExactAgentTiming`): the
// probe module of the default predictive pacer (bench/optimum/governor-probe-module.ts, no options)
// decides and is assessed exactly as the built-in `predictive`. Before, every module's launches
// were assessed by the placement walk: a probe of the default read 1.53 where the default read 1.09
// (small-team-3, seeds 101–104), and two table changes were judged out of range on that reading.
import { describe, expect, it } from 'vitest';
import createProbe from '../optimum/governor-probe-module';
import { loadScenarios } from '../scenario';
import { runJob } from '../support/pacing-runs';

const found = loadScenarios().find((s) => s.name === 'small-team-3');
if (found === undefined) throw new Error('scenario small-team-3 missing');
/** Two hours of the 3-agent day: warm launches on a team the small-team walk decides, cheap. */
const scenario = { ...found, durationHours: 2 };

describe("a pacer module's calibration walk", () => {
  it('assesses a probe of the default predictive pacer as the built-in predictive', async () => {
    const name = createProbe().name;
    const seed = 3;
    const builtIn = await runJob(scenario, { scenario: scenario.name, pacer: 'predictive', seed });
    const probe = await runJob(
      scenario,
      { scenario: scenario.name, pacer: name, seed },
      { custom: { name, create: createProbe, exactAgentTiming: 'small-teams' } },
    );
    expect(probe.dials).toBe(builtIn.dials); // the same decisions (the seeded day replays)
    expect(builtIn.predictedAbandons).toBeGreaterThan(0);
    expect(probe.predictedAbandons).toBe(builtIn.predictedAbandons);
  });

  it("takes the walk from the module's pacer (loadPacerModule)", async () => {
    const { loadPacerModule } = await import('../support/pacer-module');
    const loaded = await loadPacerModule(new URL('../optimum/governor-probe-module.ts', import.meta.url).pathname, []);
    expect(loaded.exactAgentTiming).toBe('small-teams');
  });
});
