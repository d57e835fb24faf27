import { AgentState } from '@paceline/core';
import { type PacerState, parseBlendPolicyOptions } from '@paceline/pacing';
import { describe, expect, it } from 'vitest';
import { dayGuardRoom } from '../../src/inbound/blended-pacer';
import { HOUR, NY_MIDNIGHT, runBlendDay } from './blend-run';

function state(ready: number, busy: number, calls: number, cap = 0.03): PacerState {
  const agents = [
    ...Array.from({ length: ready }, (_, i) => ({ id: `r${i}`, state: AgentState.Ready, timeInStateMs: 1_000 })),
    ...Array.from({ length: busy }, (_, i) => ({ id: `b${i}`, state: AgentState.OnCall, timeInStateMs: 1_000 })),
  ];
  return {
    now: 0,
    agents,
    calls: Array.from({ length: calls }, (_, i) => ({ id: `x${i}`, ageMs: 0, phase: 'ringing' as const })),
    options: { abandonTarget: cap, maxLinesPerAgent: 3 } as PacerState['options'],
    abandons: { liveAnswers: 0, abandoned: 0, windowMs: 0 },
    estimates: {} as PacerState['estimates'],
  };
}

describe("the blended pacer's day guard (issue 23, 23-wire2)", () => {
  it('lets through only the over-dial the day can absorb were every extra call abandoned', () => {
    // No live answers yet: one line per free agent, less the calls in flight.
    expect(dayGuardRoom(state(3, 2, 1), { liveAnswers: 0, abandoned: 0, windowMs: 0 })).toBe(2);
    // 100 live answers, 1 abandon, cap 3%: (3 − 1) / 0.97 → 2 more abandons absorbed.
    expect(dayGuardRoom(state(3, 2, 1), { liveAnswers: 100, abandoned: 1, windowMs: 0 })).toBe(4);
    // At or over the cap: progressive only; never negative.
    expect(dayGuardRoom(state(3, 2, 1), { liveAnswers: 100, abandoned: 5, windowMs: 0 })).toBe(2);
    expect(dayGuardRoom(state(1, 2, 4), { liveAnswers: 100, abandoned: 5, windowMs: 0 })).toBe(0);
    // The reserve held on busy agents and the callers queued take ready agents first: not free.
    const demand = { arrivalsPerSecond: 0.01, queued: 1, heldBusy: [{ id: 'b0', state: AgentState.OnCall, timeInStateMs: 1_000 }] };
    expect(dayGuardRoom(state(3, 2, 0), { liveAnswers: 0, abandoned: 0, windowMs: 0 }, demand)).toBe(1);
    // The bound holds: with k absorbed, (A + k) / (L + k) ≤ cap.
    for (const [L, A] of [
      [100, 1],
      [1000, 20],
      [34, 0],
    ] as const) {
      const k = dayGuardRoom(state(0, 0, 0), { liveAnswers: L, abandoned: A, windowMs: 0 });
      expect((A + k) / (L + k)).toBeLessThanOrEqual(0.03);
      expect((A + k + 1) / (L + k + 1)).toBeGreaterThan(0.03);
    }
  });
});

// Two hours of a 09:00–11:00 day, 6 agents, on the virtual clock and the sim trunk (typical consumer list).
const open = NY_MIDNIGHT + 9 * HOUR;
const base = {
  seed: 11,
  startAt: open,
  until: open + 2 * HOUR,
  agents: 6,
  hours: { start: '09:00', end: '11:00' },
  contacts: 6_000,
} as const;

describe('the engine runs the blend the bench measures (opt-in `inboundModel: demand`)', () => {
  it('blended: the same agents with 100 inbound calls/h launch fewer outbound calls than without inbound, and the spread runs', async () => {
    const blended = await runBlendDay({ ...base, inboundPerHour: 100, model: 'demand' });
    const alone = await runBlendDay({ ...base, inboundPerHour: 0, model: 'none' });
    const launched = (r: typeof alone) => r.decisions.reduce((sum, d) => sum + d.verdict.launch, 0);
    expect(launched(blended)).toBeLessThan(0.85 * launched(alone));
    expect(blended.inboundAnswered).toBeGreaterThan(100);
    // The blended rounds are decided by the inbound-aware pacer: its demand shows in the inputs.
    expect(
      blended.decisions.some(
        (d) => d.verdict.inputs.inboundQueued !== undefined || d.verdict.inputs.inboundArrivalsPerSecond !== undefined,
      ),
    ).toBe(true);
    expect(
      alone.decisions.some((d) => d.verdict.inputs.inboundQueued !== undefined || d.verdict.inputs.inboundArrivalsPerSecond !== undefined),
    ).toBe(false);
  }, 120_000);

  it('a campaign none of whose agents serves a queue decides exactly as on a dialer without inbound', async () => {
    // No Poisson arrivals: the sim trunk draws them from the outbound calls' random stream.
    const unblended = await runBlendDay({ ...base, inboundPerHour: 0, model: 'demand', unskilled: true });
    const alone = await runBlendDay({ ...base, inboundPerHour: 0, model: 'none' });
    expect(unblended.decisions.length).toBeGreaterThan(1_000);
    expect(unblended.decisions.filter((d) => d.verdict.launch > 0).length).toBeGreaterThan(300);
    // Decision by decision (launch, reason, inputs); the first difference, if any, is reported.
    const first = unblended.decisions.findIndex((d, i) => JSON.stringify(d) !== JSON.stringify(alone.decisions[i]));
    expect(first === -1 ? undefined : [unblended.decisions[first], alone.decisions[first]]).toBeUndefined();
    expect(unblended.decisions.length).toBe(alone.decisions.length);
    expect(unblended.liveAnswers).toBe(alone.liveAnswers);
  }, 120_000);

  it('an 8-hour blended day (8 agents, 60 inbound calls/h) ends within the abandon cap with the inbound service level met', async () => {
    const day = await runBlendDay({
      ...base,
      until: open + 8 * HOUR,
      agents: 8,
      hours: { start: '09:00', end: '17:00' },
      inboundPerHour: 60,
      model: 'demand',
      contacts: 20_000,
    });
    expect(day.liveAnswers).toBe(day.eventLive);
    expect(day.abandoned).toBe(day.eventAbandoned);
    expect(day.liveAnswers).toBeGreaterThan(500);
    expect(day.abandoned / day.liveAnswers).toBeLessThanOrEqual(0.03);
    expect(day.inboundAnsweredInTarget / (day.inboundAnswered + day.inboundAbandoned)).toBeGreaterThanOrEqual(0.8);
  }, 300_000);

  it('the demand defaults apply only when the host opts in', () => {
    expect(parseBlendPolicyOptions({}).inboundModel).toBe('hold');
  });
});
