// issue-22 22-hybrid6: the bench's calibration column reads, for the two-sided MDP hybrid
// (`markovHybridCut`), the forecast its launches were made on — the decision's own
// (`forecast: 'hybrid'`: the walk's for the walk's lines, the MDP's own for the lines the policy
// adds) — not the walk's re-assessment of the launch, which over-prices the policy's added lines.
import { assessLaunch, type Pacer, predictivePacer } from '@paceline/pacing';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../scenario';
import { runJob } from '../support/pacing-runs';

const found = loadScenarios().find((s) => s.name === 'small-team-3');
if (found === undefined) throw new Error('scenario small-team-3 missing');
/** Two hours of the 3-agent day: warm launches, the policy solved early (3 agents), cheap. */
const scenario = { ...found, durationHours: 2 };

describe("the two-sided hybrid's calibration", () => {
  it('sums the forecasts its launches were made on', async () => {
    const name = 'predictive-hybrid-two-sided-test';
    let own = 0;
    let hybrid = 0;
    const create = (): Pacer => {
      // Ungated (22-default made the gate the default; on this lognormal team it would keep the hybrid shut).
      const pacer = predictivePacer({
        markovHybrid: 'small-teams',
        markovHybridCut: 0,
        markovHybridTolerance: Number.POSITIVE_INFINITY,
        markovHybridGate: false,
      });
      return {
        name,
        decide(state) {
          const d = pacer.decide(state);
          if (d.launch > 0 && d.inputs.forecast === 'hybrid') {
            hybrid++;
            own += d.inputs.expectedAbandons as number;
          } else if (d.launch > 0 && state.estimates.warm)
            // The walk decided (policy not yet paid for, or the governor's fallback): the walk's forecast.
            own += assessLaunch(state, d.launch, { exactAgentTiming: 'small-teams' }).expectedAbandons;
          return d;
        },
      };
    };
    const run = await runJob(
      scenario,
      { scenario: scenario.name, pacer: name, seed: 3 },
      { custom: { name, create, exactAgentTiming: 'small-teams' } },
    );
    expect(hybrid).toBeGreaterThan(0); // the policy decided some launches
    expect(run.predictedAbandons).toBeGreaterThan(0);
    expect(run.predictedAbandons).toBeCloseTo(own, 6);
  });
});
