import { createCampaignPacer } from '@paceline/pacing';
import { describe, expect, it } from 'vitest';
import { type OutcomeModelSpec, runSimulation } from '../src/index';

const HOUR = 3_600_000;

function model(mix: OutcomeModelSpec['base']['mix'], amd: OutcomeModelSpec['base']['amd']): OutcomeModelSpec {
  return {
    base: {
      mix,
      answerDelay: { kind: 'lognormal', meanMs: 8_000, cv: 0.4 },
      failedDelay: { kind: 'lognormal', meanMs: 15_000, cv: 0.3 },
      greeting: { kind: 'lognormal', meanMs: 2_000, cv: 0.5 },
      talk: { kind: 'lognormal', meanMs: 60_000, cv: 0.6 },
      machineTalk: { kind: 'constant', valueMs: 4_000 },
      amd,
    },
  };
}

const run = (m: OutcomeModelSpec, seed: number) =>
  runSimulation({
    seed,
    durationMs: 3 * HOUR,
    shifts: [{ count: 8, loginAtMs: 0, logoutAtMs: 3 * HOUR }],
    model: m,
    pacer: createCampaignPacer({ dialMode: 'predictive' }),
  }).counters;

describe('call analysis against the simulated truth (issue 17)', () => {
  it('every answer is one verdict: people are live answers or false positives, machines are hung up on or passed as people', () => {
    for (const seed of [1, 2, 3]) {
      const c = run(
        model(
          { live: 0.3, machine: 0.25, busy: 0.1, noAnswer: 0.25, failed: 0.07, invalid: 0.03 },
          { falseMachine: 0.08, falseHuman: 0.2 },
        ),
        seed,
      );
      const a = c.amd;
      const peopleAsPeople = c.liveAnswers - a.machinesAsPeople;
      const machinesAsMachines = a.machineDecisions - a.peopleAsMachines;
      expect(peopleAsPeople + a.peopleAsMachines).toBe(c.outcomes.live);
      expect(machinesAsMachines + a.machinesAsPeople).toBe(c.outcomes.machine);
      expect(a.peopleAsMachines).toBeGreaterThan(0);
      expect(a.machinesAsPeople).toBeGreaterThan(0);
    }
  });

  it('counts the false-positive share the model was given (binomial, ±4 σ)', () => {
    const c = run(
      model({ live: 0.5, machine: 0, busy: 0, noAnswer: 0.3, failed: 0.2, invalid: 0 }, { falseMachine: 0.15, falseHuman: 0 }),
      9,
    );
    const n = c.outcomes.live;
    const p = c.amd.peopleAsMachines / n;
    expect(n).toBeGreaterThan(300);
    expect(Math.abs(p - 0.15)).toBeLessThan(4 * Math.sqrt((0.15 * 0.85) / n));
    expect(c.amd.machineDecisions).toBe(c.amd.peopleAsMachines);
    expect(c.amd.machinesAsPeople).toBe(0);
  });

  it('a perfect detector makes no errors', () => {
    const c = run(
      model({ live: 0.3, machine: 0.3, busy: 0, noAnswer: 0.2, failed: 0.2, invalid: 0 }, { falseMachine: 0, falseHuman: 0 }),
      4,
    );
    expect(c.amd).toEqual({ machineDecisions: c.outcomes.machine, peopleAsMachines: 0, machinesAsPeople: 0 });
  });
});
