import { runEngineScenario, runSimulation } from '@paceline/sim';
import { describe, expect, it } from 'vitest';
import { benchPacer } from '../pacers';
import { loadScenarios, simulationOf } from '../scenario';

/**
 * The simulator runs the real engine (engine mode) and the pacer directly; on the same
 * scenario and seeds both must tell the same story, within the noise of a simulated day.
 */
describe('engine mode agrees with the pacer-direct simulator (itc-20)', () => {
  const itc20 = loadScenarios().find((s) => s.name === 'itc-20');
  if (!itc20) throw new Error('bench/scenarios/itc-20.json is missing');
  // Four hours keep the test short; seeds 101–102 are not the benchmark's.
  const scenario = { ...itc20, durationHours: 4 };

  it.each(['progressive', 'predictive'] as const)(
    '%s: talk fraction and abandon rate agree',
    async (pacer) => {
      const direct = { talk: 0, abandoned: 0, live: 0 };
      const engine = { talk: 0, abandoned: 0, live: 0 };
      for (const seed of [101, 102]) {
        const d = runSimulation(simulationOf(scenario, seed, benchPacer(pacer)));
        direct.talk += d.talkFraction / 2;
        direct.abandoned += d.counters.abandoned;
        direct.live += d.counters.liveAnswers;
        const e = await runEngineScenario(simulationOf(scenario, seed, benchPacer(pacer)));
        engine.talk += e.talkFraction / 2;
        engine.abandoned += e.abandoned;
        engine.live += e.liveAnswers;
      }
      expect(Math.abs(engine.talk - direct.talk)).toBeLessThan(0.03);
      expect(Math.abs(engine.abandoned / engine.live - direct.abandoned / direct.live)).toBeLessThan(0.01);
      expect(engine.abandoned / engine.live).toBeLessThanOrEqual(0.03);
      if (pacer === 'progressive') expect(engine.abandoned).toBe(0);
    },
    120_000,
  );
});
