// issue-22 22-start: a `--pacer-module` pacer may carry `benchEstimators`, the options of the
// estimators the bench builds for it (bench/optimum/governor-probe-module.ts uses it to measure an
// estimator change beside the default). Without it the bench's estimators are the defaults.
import { progressivePacer } from '@paceline/pacing';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../scenario';
import { jobPacer } from '../support/pacing-runs';

const scenario = loadScenarios().find((s) => s.name === 'small-team-3');
const job = { scenario: 'small-team-3', pacer: 'probe', seed: 1 };

/** Warm after one live answer and one finished call with these options; the defaults need far more. */
const quickWarm = { warmAttempts: 1, warmLiveAnswers: 1, warmWorkSamples: 1 };

function warmAfterOne(create: () => ReturnType<typeof progressivePacer> & { benchEstimators?: typeof quickWarm }): boolean {
  if (scenario === undefined) throw new Error('scenario small-team-3 missing');
  const pacer = jobPacer(job, scenario, { name: 'probe', create });
  pacer.observeOutcome({ outcome: 'human', answerDelayMs: 10_000, durationMs: 10_000 });
  pacer.observeWork({ talkMs: 60_000, wrapMs: 10_000 });
  return pacer.estimators.estimates().warm;
}

describe('pacer module: benchEstimators (issue 22, 22-start)', () => {
  it("builds the module pacer's estimators with its benchEstimators", () => {
    expect(warmAfterOne(() => ({ ...progressivePacer(), name: 'probe', benchEstimators: quickWarm }))).toBe(true);
  });
  it('keeps the default estimators without them', () => {
    expect(warmAfterOne(() => ({ ...progressivePacer(), name: 'probe' }))).toBe(false);
  });
});
