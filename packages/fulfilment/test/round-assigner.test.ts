import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { RoundAssigner } from '../src/delivery-rounds';
import { assignRound, type DeliveryRound, parseFulfilmentConfig } from '../src/index';

const ZONES = ['Europe/Madrid', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'];
const HOUR = 3_600_000;
/** The spring and autumn changes of 2025 in Madrid, New York and Sydney, and a plain week. */
const BASES = [
  Date.UTC(2025, 2, 30, 1),
  Date.UTC(2025, 9, 26, 1),
  Date.UTC(2025, 2, 9, 7),
  Date.UTC(2025, 10, 2, 6),
  Date.UTC(2025, 3, 5, 16),
  Date.UTC(2025, 5, 4, 12),
];
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const roundsArb = fc
  .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 1_400 }), fc.integer({ min: 0, max: 30 })), {
    minLength: 1,
    maxLength: 3,
    selector: ([cutoff]) => cutoff,
  })
  .map((specs) =>
    specs.map(([cutoff, lag], i): DeliveryRound => {
      const handOff = Math.min(cutoff + lag, 1_438);
      return {
        id: `r${i}`,
        name: `Round ${i}`,
        cutoff: hhmm(cutoff),
        handOffAt: hhmm(handOff),
        slotBooking: { start: hhmm(handOff), end: hhmm(handOff + 1) },
        deliveryDays: i % 2,
      };
    }),
  );

describe('RoundAssigner (the desk memo of assignRound)', () => {
  it('gives exactly what assignRound gives, for order times in any order, across DST changes, weekends and holidays', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        fc.boolean(),
        roundsArb,
        fc.constantFrom(...BASES),
        fc.array(fc.integer({ min: -72 * HOUR, max: 72 * HOUR }), { minLength: 1, maxLength: 60 }),
        (zone, workingDays, holiday, rounds, base, offsets) => {
          const holidays = holiday ? [DateTime.fromMillis(base, { zone }).toISODate() ?? ''] : [];
          const config = parseFulfilmentConfig({ timeZone: zone, calendar: { workingDays, holidays }, rounds });
          const assigner = new RoundAssigner(config);
          const allowed = rounds.length > 1 ? [rounds[0]?.id ?? ''] : undefined;
          for (const offset of offsets) {
            const t = base + offset;
            expect(assigner.assign(t)).toEqual(assignRound(t, config));
            expect(assigner.assign(t, allowed, 'z1')).toEqual(assignRound(t, config, allowed, 'z1'));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('shares one assignment object among the orders of a round', () => {
    const assigner = new RoundAssigner(parseFulfilmentConfig({ timeZone: 'Europe/Madrid' }));
    const noon = DateTime.fromISO('2025-06-04T12:00', { zone: 'Europe/Madrid' }).toMillis();
    const a = assigner.assign(noon + 60_000);
    expect(assigner.assign(noon)).toBe(a);
    expect(assigner.assign(noon + 4 * HOUR)).toBe(a);
    expect(assigner.assign(noon + 5 * HOUR).roundId).toBe('afternoon'); // 17:00, past the cut-off
  });
});
