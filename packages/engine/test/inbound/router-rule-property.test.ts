import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR, MIN, NY_MIDNIGHT, runBlendDay } from './blend-run';

const OPEN = NY_MIDNIGHT + 9 * HOUR;
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** One random calling day of a blended campaign on the `demand` model. */
const day = fc.record({
  /**
   * The calling day's length (its `schedule.hours` from 09:00), minutes: mostly short days, where
   * the day has few live answers and absorbs no abandon for most of it (with a 3% cap the first
   * abandon fits only after 33 live answers), some long ones.
   */
  lengthMin: fc.oneof(
    { arbitrary: fc.integer({ min: 20, max: 60 }), weight: 3 },
    { arbitrary: fc.integer({ min: 61, max: 150 }), weight: 1 },
  ),
  /** When the campaign is started, minutes from 09:00 (before the day, or within it: the span is then shorter). */
  startMin: fc.integer({ min: -20, max: 60 }),
  agents: fc.integer({ min: 2, max: 5 }),
  inboundPerHour: fc.integer({ min: 0, max: 150 }),
  human: fc.double({ min: 0.15, max: 0.6, noNaN: true }),
  patienceMeanMs: fc.integer({ min: 2_000, max: 12_000 }),
  inboundHandleMeanMs: fc.integer({ min: 60_000, max: 300_000 }),
  abandonTarget: fc.constantFrom(0.03, 0.02),
  seed: fc.integer({ min: 1, max: 10_000 }),
});
type Day = typeof day extends fc.Arbitrary<infer T> ? T : never;

/**
 * The class the 23-wire2 exploration found (1 abandon in 11 live answers: an inbound arrival
 * took the ready agent a call in flight counted on, on a short day that absorbed no abandon).
 * Found by this property on the routing without the rule (fc seed 41, after 38 runs, shrunk):
 * a 20-minute day, 2 agents, 80 inbound calls/h — 1 abandon in 2 live answers.
 */
const KEPT: Day[] = [
  {
    lengthMin: 20,
    startMin: 0,
    agents: 2,
    inboundPerHour: 80,
    human: 0.30626752234614385,
    patienceMeanMs: 2000,
    inboundHandleMeanMs: 60000,
    abandonTarget: 0.03,
    seed: 5645,
  },
];

/**
 * issue 23 (23-router): with the router rule (inbound/outbound-commitments.ts), the blended
 * engine on `inboundModel: 'demand'` ends every calling day with abandons ≤ cap × live answers
 * — counted over the day alone, no small-sample allowance (the day guard's definition) —
 * whatever the day's length, the start time, the team, the inbound arrival rate and handle time
 * and the outbound answer pattern. Virtual clock, sim trunk; agents stay logged in (an agent who
 * leaves while calls count on them is outside what the rule can hold).
 */
describe('the router rule keeps the calling day within the abandon cap (property)', () => {
  it('any day length, start, team, arrival rate and answer pattern: abandons ≤ cap × live answers', async () => {
    await fc.assert(
      fc.asyncProperty(day, async (c) => {
        const end = OPEN + c.lengthMin * MIN;
        const r = await runBlendDay({
          seed: c.seed,
          startAt: OPEN + Math.min(c.startMin, c.lengthMin - 10) * MIN,
          until: end + 5 * MIN,
          agents: c.agents,
          inboundPerHour: c.inboundPerHour,
          model: 'demand',
          hours: { start: '09:00', end: hhmm(9 * 60 + c.lengthMin) },
          outbound: { human: c.human, patienceMeanMs: c.patienceMeanMs },
          inboundHandleMeanMs: c.inboundHandleMeanMs,
          abandonTarget: c.abandonTarget,
          contacts: 3_000,
        });
        expect(r.liveAnswers).toBe(r.eventLive);
        expect(r.abandoned).toBe(r.eventAbandoned);
        expect(r.abandoned).toBeLessThanOrEqual(c.abandonTarget * r.liveAnswers);
      }),
      {
        numRuns: Number(process.env.ROUTER_PROPERTY_RUNS ?? 40),
        seed: Number(process.env.ROUTER_PROPERTY_SEED ?? 41),
        examples: KEPT.map((k) => [k]),
      },
    );
  }, 900_000);
});
