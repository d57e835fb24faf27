import { AgentState, type PacingOptions, PacingOptionsSchema } from '@paceline/core';
import { COLD_ESTIMATES, type PacerState } from '@paceline/pacing';
import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { vicidialAdaptivePacer } from '../vicidial-adaptive';

const options = Value.Default(PacingOptionsSchema, {}) as PacingOptions;
const state = (now: number, ready: number, talking: number, abandoned = 0): PacerState => ({
  now,
  agents: [
    ...Array.from({ length: ready }, (_, i) => ({ id: `r${i}`, state: AgentState.Ready, timeInStateMs: 0 })),
    ...Array.from({ length: talking }, (_, i) => ({ id: `t${i}`, state: AgentState.OnCall, timeInStateMs: 0 })),
  ],
  calls: [],
  options,
  abandons: { liveAnswers: 1000, abandoned, windowMs: 86_400_000 },
  estimates: COLD_ESTIMATES,
});

describe('vicidial-adaptive baseline', () => {
  it('starts at one line per counted agent, raises the level every 15 s while agents wait, and halves it over the drop limit', () => {
    const p = vicidialAdaptivePacer();
    expect(p.decide(state(0, 5, 5)).launch).toBe(5);
    let launch = 0;
    for (let t = 15_000; t <= 150_000; t += 15_000) launch = p.decide(state(t, 5, 5)).launch;
    expect(launch).toBeGreaterThan(5);
    const level = Number(p.decide(state(165_000, 5, 5)).inputs.level);
    expect(level).toBeLessThanOrEqual(3);
    const after = Number(p.decide(state(180_000, 0, 10, 40)).inputs.level);
    expect(after).toBeLessThan(level);
  });
});
