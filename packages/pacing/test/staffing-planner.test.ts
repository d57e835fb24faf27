import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erlangA, erlangCMetrics, planIntervalStaffing, planOutboundStaffing } from '../src/index';
import { expectInvalid } from './support';

describe('planOutboundStaffing', () => {
  // `paceline plan --contacts 50000 --contact-rate 0.2 --talk 180 --wrap 30 --hours 8`
  const cli = { contacts: 50_000, contactRate: 0.2, talkSeconds: 180, wrapSeconds: 30, hoursPerDay: 8 };

  it('works a 50,000 list in a day with 86 agents at 85% occupancy', () => {
    const plan = planOutboundStaffing(cli);
    // 10,000 live contacts × 210 s = 583.3 h of work; / 0.85 = 686.3 agent-hours; / 8 h = 85.8 → 86.
    expect(plan.expectedLiveContacts).toBeCloseTo(10_000, 9);
    expect(plan.expectedAttempts).toBeCloseTo(50_000, 9);
    expect(plan.handleHours).toBeCloseTo(583.333, 3);
    expect(plan.agentHours).toBeCloseTo(686.275, 3);
    expect(plan.agentsNeeded).toBe(86);
    expect(plan.daysToComplete).toBeCloseTo(0.9975, 4);
    expect(plan.hoursToComplete).toBeCloseTo(7.98, 2);
    expect(plan.expectedOccupancy).toBe(0.85);
    expect(plan.attemptsPerAgentHour).toBeCloseTo(72.86, 2);
  });

  it('reports the days a given team needs, and retries follow the truncated geometric series', () => {
    const plan = planOutboundStaffing({ ...cli, agents: 40, maxAttemptsPerContact: 3 });
    const reached = 1 - 0.8 ** 3; // 0.488
    expect(plan.agentsNeeded).toBe(40);
    expect(plan.expectedLiveContacts).toBeCloseTo(50_000 * reached, 6);
    expect(plan.expectedAttempts).toBeCloseTo((50_000 * reached) / 0.2, 6); // 122,000
    expect(plan.daysToComplete).toBeCloseTo((50_000 * reached * 210) / 3600 / 0.85 / (40 * 8), 9);
  });

  it('finishes sooner with more target days spread over fewer agents', () => {
    const week = planOutboundStaffing({ ...cli, targetDays: 5 });
    expect(week.agentsNeeded).toBe(18); // 686.3 / 40 = 17.2
    expect(week.daysToComplete).toBeLessThanOrEqual(5);
  });

  it('progressive: occupancy is the dial-cycle closed form S/(S + W + R + ((1 − p)/p)·F)', () => {
    // itc-20 parameters: p = 1/3, talk 90 s, no wrap, answer delay 10 s, failed 20 s → 90/140.
    const plan = planOutboundStaffing({
      contacts: 30_000,
      contactRate: 1 / 3,
      talkSeconds: 90,
      hoursPerDay: 8,
      targetOccupancy: 1,
      dialMode: 'progressive',
      answerDelaySeconds: 10,
      nonContactAttemptSeconds: 20,
    });
    expect(plan.expectedOccupancy).toBeCloseTo(90 / 140, 12);
    const predictive = planOutboundStaffing({ contacts: 30_000, contactRate: 1 / 3, talkSeconds: 90, hoursPerDay: 8, targetOccupancy: 1 });
    expect(plan.agentsNeeded).toBeGreaterThan(predictive.agentsNeeded);
  });

  it('plans nothing for an empty list', () => {
    const plan = planOutboundStaffing({ ...cli, contacts: 0 });
    expect(plan.agentsNeeded).toBe(0);
    expect(plan.daysToComplete).toBe(0);
  });

  it('rejects bad input naming the field', () => {
    expectInvalid(
      () => planOutboundStaffing({ ...cli, contactRate: 0 }),
      'planOutboundStaffing: contactRate: expected a fraction in (0, 1]',
    );
    expectInvalid(() => planOutboundStaffing({ ...cli, contactRate: 20 }), 'contactRate');
    expectInvalid(() => planOutboundStaffing({ ...cli, contacts: -1 }), 'contacts');
    expectInvalid(() => planOutboundStaffing({ ...cli, hoursPerDay: 25 }), 'hoursPerDay');
    expectInvalid(() => planOutboundStaffing({ ...cli, targetOccupancy: 1.2 }), 'targetOccupancy');
    expectInvalid(() => planOutboundStaffing({ ...cli, talkSeconds: 0 }), 'talkSeconds');
    expectInvalid(() => planOutboundStaffing({ ...cli, maxAttemptsPerContact: 0 }), 'maxAttemptsPerContact');
    expectInvalid(() => planOutboundStaffing({ ...cli, agents: 10, targetDays: 2 }), 'not both');
    expectInvalid(() => planOutboundStaffing({ ...cli, agents: 0 }), 'agents');
  });

  it('property: the team finishes within the target days, and one agent fewer would not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.integer({ min: 10, max: 900 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 30 }),
        (contacts, contactRate, talkSeconds, wrapSeconds, hoursPerDay, targetDays) => {
          const plan = planOutboundStaffing({ contacts, contactRate, talkSeconds, wrapSeconds, hoursPerDay, targetDays });
          expect(plan.agentsNeeded).toBeGreaterThanOrEqual(1);
          expect(plan.daysToComplete).toBeLessThanOrEqual(targetDays * (1 + 1e-9));
          if (plan.agentsNeeded > 1) {
            const fewer = planOutboundStaffing({
              contacts,
              contactRate,
              talkSeconds,
              wrapSeconds,
              hoursPerDay,
              agents: plan.agentsNeeded - 1,
            });
            expect(fewer.daysToComplete).toBeGreaterThan(targetDays * (1 - 1e-9));
          }
        },
      ),
    );
  });
});

describe('planIntervalStaffing', () => {
  it('staffs the reference interval (100 calls / 30 min, AHT 180 s) at 80/20 with 14 agents, 20 scheduled at 30% shrinkage', () => {
    const plan = planIntervalStaffing({
      intervals: [{ calls: 100, ahtSeconds: 180, label: '09:00' }],
      targetServiceLevel: 0.8,
      targetAnswerSeconds: 20,
      shrinkage: 0.3,
    });
    const [first] = plan.intervals;
    expect(plan.model).toBe('erlang-c');
    expect(first).toMatchObject({ label: '09:00', offeredLoadErlangs: 10, agents: 14, scheduledAgents: 20, abandonProbability: 0 });
    expect(first?.serviceLevel).toBeCloseTo(0.8884, 4);
    expect(first?.waitProbability).toBeCloseTo(0.1741, 4);
  });

  it('handles a day of intervals: quiet ones need nobody, totals and peaks add up', () => {
    const plan = planIntervalStaffing({
      intervals: [
        { calls: 0, ahtSeconds: 180 },
        { calls: 100, ahtSeconds: 180 },
        { calls: 2000, ahtSeconds: 300 },
      ],
      targetServiceLevel: 0.8,
      shrinkage: 0.3,
    });
    expect(plan.intervals.map((s) => s.agents)).toEqual([0, 14, 345]);
    expect(plan.intervals.map((s) => s.scheduledAgents)).toEqual([0, 20, 493]);
    expect(plan.intervals[0]).not.toHaveProperty('label');
    expect(plan.peakAgents).toBe(345);
    expect(plan.peakScheduledAgents).toBe(493);
    expect(plan.agentHours).toBeCloseTo((14 + 345) / 2, 12);
    expect(plan.scheduledAgentHours).toBeCloseTo((20 + 493) / 2, 12);
  });

  it('meets an ASA target with the fewest agents', () => {
    const plan = planIntervalStaffing({ intervals: [{ calls: 100, ahtSeconds: 180 }], maxAsaSeconds: 20, shrinkage: 0 });
    // ASA: N = 12 → 40.4 s, N = 13 → 17.1 s.
    expect(plan.intervals[0]?.agents).toBe(13);
    expect(plan.intervals[0]?.scheduledAgents).toBe(13);
  });

  it('caps occupancy when asked', () => {
    const plan = planIntervalStaffing({
      intervals: [{ calls: 2000, ahtSeconds: 300 }],
      targetServiceLevel: 0.8,
      maxOccupancy: 0.9,
      shrinkage: 0,
    });
    expect(plan.intervals[0]?.agents).toBe(Math.ceil(333.3334 / 0.9));
  });

  it('uses Erlang A with patience: fewer agents than Erlang C for the same service level, and an abandonment cap', () => {
    const intervals = [{ calls: 2000, ahtSeconds: 300 }];
    const c = planIntervalStaffing({ intervals, targetServiceLevel: 0.8, shrinkage: 0 });
    const a = planIntervalStaffing({ intervals, targetServiceLevel: 0.8, meanPatienceSeconds: 120, shrinkage: 0 });
    expect(a.model).toBe('erlang-a');
    expect(a.intervals[0]?.agents ?? 0).toBeLessThan(c.intervals[0]?.agents ?? 0);
    const capped = planIntervalStaffing({
      intervals,
      targetServiceLevel: 0.8,
      maxAbandonFraction: 0.01,
      meanPatienceSeconds: 120,
      shrinkage: 0,
    });
    const agents = capped.intervals[0]?.agents ?? 0;
    expect(capped.intervals[0]?.abandonProbability).toBeLessThanOrEqual(0.01);
    const fewer = erlangA({
      agents: agents - 1,
      offeredLoadErlangs: 2000 / 6,
      ahtSeconds: 300,
      meanPatienceSeconds: 120,
      targetAnswerSeconds: 20,
    });
    expect(fewer.abandonProbability > 0.01 || fewer.serviceLevel < 0.8).toBe(true);
  });

  it('property: the staffing is minimal (one agent fewer misses the target) for Erlang C', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 5000, noNaN: true }),
        fc.integer({ min: 30, max: 900 }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        fc.integer({ min: 0, max: 60 }),
        (calls, ahtSeconds, targetServiceLevel, targetAnswerSeconds) => {
          const plan = planIntervalStaffing({
            intervals: [{ calls, ahtSeconds }],
            targetServiceLevel,
            targetAnswerSeconds,
            shrinkage: 0.25,
          });
          const s = plan.intervals[0];
          if (s === undefined) throw new Error('one interval expected');
          expect(s.serviceLevel).toBeGreaterThanOrEqual(targetServiceLevel);
          expect(s.scheduledAgents).toBe(Math.ceil(s.agents / 0.75 - 1e-9));
          if (s.agents > 1) {
            const fewer = erlangCMetrics({
              agents: s.agents - 1,
              offeredLoadErlangs: s.offeredLoadErlangs,
              ahtSeconds,
              targetAnswerSeconds,
            });
            expect(fewer.serviceLevel).toBeLessThan(targetServiceLevel);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects bad input naming the field', () => {
    const ok = { intervals: [{ calls: 100, ahtSeconds: 180 }], targetServiceLevel: 0.8, shrinkage: 0.3 };
    expectInvalid(() => planIntervalStaffing({ ...ok, intervals: [] }), 'intervals');
    expectInvalid(
      () =>
        planIntervalStaffing({
          ...ok,
          intervals: [
            { calls: 100, ahtSeconds: 180 },
            { calls: 5, ahtSeconds: 0 },
          ],
        }),
      'intervals[1].ahtSeconds',
    );
    expectInvalid(() => planIntervalStaffing({ ...ok, intervals: [{ calls: -1, ahtSeconds: 180 }] }), 'intervals[0].calls');
    expectInvalid(() => planIntervalStaffing({ ...ok, shrinkage: 1 }), 'shrinkage: expected a fraction in [0, 1)');
    expectInvalid(() => planIntervalStaffing({ ...ok, targetServiceLevel: 1 }), 'targetServiceLevel');
    expectInvalid(() => planIntervalStaffing({ intervals: ok.intervals, shrinkage: 0 }), 'give at least one target');
    expectInvalid(() => planIntervalStaffing({ ...ok, maxAbandonFraction: 0.05 }), 'maxAbandonFraction needs meanPatienceSeconds');
    expectInvalid(() => planIntervalStaffing({ ...ok, meanPatienceSeconds: -5 }), 'meanPatienceSeconds');
  });
});
