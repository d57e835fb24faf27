import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR, MIN, NY_MIDNIGHT, runBlendDay } from './blend-run';

const OPEN = NY_MIDNIGHT + 9 * HOUR;
const WINDOW_MIN = 90;

/**
 * issue 23 (23-wire2): whenever the campaign is started — before its 09:00–10:30 window or
 * within it — and whatever the sim trunk's inbound arrivals, handle times and outbound answer
 * pattern, the blended engine (`inboundModel: 'demand'`) ends the calling day with an outbound
 * abandon rate, counted over the day alone, within the campaign's cap. Small runs on the virtual
 * clock: 3–5 agents, a 90-minute day.
 */
describe('the blended day keeps the abandon cap (property, virtual clock, sim trunk)', () => {
  it('for any start time within or before the window and any arrival/answer pattern, the day ends ≤ the cap', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          startMin: fc.integer({ min: -60, max: WINDOW_MIN - 20 }),
          agents: fc.integer({ min: 3, max: 5 }),
          inboundPerHour: fc.integer({ min: 0, max: 60 }),
          human: fc.double({ min: 0.15, max: 0.5, noNaN: true }),
          patienceMeanMs: fc.integer({ min: 2_000, max: 12_000 }),
          inboundHandleMeanMs: fc.integer({ min: 60_000, max: 300_000 }),
          abandonTarget: fc.constantFrom(0.03, 0.02),
          seed: fc.integer({ min: 1, max: 10_000 }),
        }),
        async (c) => {
          const r = await runBlendDay({
            seed: c.seed,
            startAt: OPEN + c.startMin * MIN,
            until: OPEN + (WINDOW_MIN + 5) * MIN,
            agents: c.agents,
            inboundPerHour: c.inboundPerHour,
            model: 'demand',
            hours: { start: '09:00', end: '10:30' },
            outbound: { human: c.human, patienceMeanMs: c.patienceMeanMs },
            inboundHandleMeanMs: c.inboundHandleMeanMs,
            abandonTarget: c.abandonTarget,
            contacts: 4_000,
          });
          // The store's ledger (what the day's counts read) agrees with the events.
          expect(r.liveAnswers).toBe(r.eventLive);
          expect(r.abandoned).toBe(r.eventAbandoned);
          expect(r.abandoned).toBeLessThanOrEqual(c.abandonTarget * r.liveAnswers);
        },
      ),
      { numRuns: Number(process.env.BLEND_PROPERTY_RUNS ?? 8), seed: Number(process.env.BLEND_PROPERTY_SEED ?? 23) },
    );
  }, 600_000);
});
