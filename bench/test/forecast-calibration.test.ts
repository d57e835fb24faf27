import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../scenario';
import { runJob } from '../support/pacing-runs';

// The predictive forecast against the simulator's truth on one recorded day of the textbook
// 20-agent team (seeded: the run replays exactly). The raw walk still over-predicts there (1.27
// over 20 seeds, 1.46 before the exact walk spread its items over the steps); the run-learnt
// scale must pull the forecast the pacer acts on toward the realised abandons, into the issue's
// 0.8–1.25 (1.15 over 20 seeds), with the day's rate still legal.
describe('the predictive forecast on itc-20', { timeout: 120_000 }, () => {
  it('is pulled toward the realised abandons by the run-learnt realised ÷ predicted', async () => {
    const itc20 = loadScenarios().find((s) => s.name === 'itc-20');
    if (itc20 === undefined) throw new Error('bench/scenarios/itc-20.json is missing');
    const r = await runJob(itc20, { scenario: 'itc-20', pacer: 'predictive', seed: 3 });
    expect(r.abandoned).toBeGreaterThanOrEqual(60);
    const scaled = r.predictedAbandons / r.abandoned;
    const raw = r.predictedRawAbandons / r.abandoned;
    expect(raw).toBeGreaterThan(1);
    expect(scaled).toBeGreaterThanOrEqual(0.8);
    expect(scaled).toBeLessThanOrEqual(1.25);
    expect(scaled).toBeLessThan(raw);
    expect(r.abandoned / r.liveAnswers).toBeLessThanOrEqual(0.03);
  });
});
