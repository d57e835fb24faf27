// issue-22 22-mdpcal: the bench's calibration reads a launch's own forecast when the decision says it
// is the MDP policy's (`forecast: 'markov'`), and the walk's assessment (`assessLaunch`) otherwise.
import { type Pacer, progressivePacer } from '@paceline/pacing';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../scenario';
import { runJob } from '../support/pacing-runs';

const found = loadScenarios().find((s) => s.name === 'small-team-3');
if (found === undefined) throw new Error('scenario small-team-3 missing');
/** One hour of the 3-agent day: enough launches with warm estimates, cheap. */
const scenario = { ...found, durationHours: 1 };

/** Progressive launches, each reporting `perCall` expected abandons a call (tagged as the MDP's when `tagged`). */
function reporting(perCall: number, tagged: boolean, launches: { n: number }): () => Pacer {
  return () => {
    const base = progressivePacer();
    return {
      name: 'probe',
      decide(state) {
        const d = base.decide(state);
        launches.n += d.launch;
        const inputs = { ...d.inputs, expectedAbandons: perCall * d.launch, rawAbandons: perCall * d.launch };
        return { ...d, inputs: tagged ? { ...inputs, forecast: 'markov' } : inputs };
      },
    };
  };
}

describe("the bench's calibration and the MDP policy's own forecast (issue 22, 22-mdpcal)", () => {
  it("sums a tagged launch's own forecast, and assesses an untagged one by the walk", async () => {
    const job = { scenario: 'small-team-3', pacer: 'probe', seed: 1 };
    const tagged = { n: 0 };
    const own = await runJob(scenario, job, { custom: { name: 'probe', create: reporting(0.25, true, tagged) } });
    expect(tagged.n).toBeGreaterThan(0);
    expect(own.predictedAbandons).toBeCloseTo(0.25 * tagged.n, 9);
    const plain = await runJob(scenario, job, { custom: { name: 'probe', create: reporting(0.25, false, { n: 0 }) } });
    // The same launches (the seeded day replays), priced by the walk: only warm launches, never 0.25 a call.
    expect(plain.predictedAbandons).not.toBeCloseTo(own.predictedAbandons, 3);
  });
});
