import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { assignRound, type DeliveryRound, parseFulfilmentConfig, type RoundAssignment } from '../src/index';

const MADRID = 'Europe/Madrid';
const ms = (iso: string, zone = MADRID) => DateTime.fromISO(iso, { zone }).toMillis();
const local = (t: number, zone = MADRID) => DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM-dd HH:mm');
const utc = (t: number) => DateTime.fromMillis(t, { zone: 'UTC' }).toFormat("yyyy-MM-dd'T'HH:mm'Z'");

function summary(a: RoundAssignment, zone = MADRID) {
  return { round: a.roundId, handOff: local(a.handOffAt, zone), delivery: a.deliveryDate };
}

describe('default rounds (the manuals): at and around every cut-off', () => {
  const config = parseFulfilmentConfig({ timeZone: MADRID });
  const cases: [string, string, string, string][] = [
    // order taken (local)       round         hand-off (local)     delivery date
    ['2025-06-04T10:59:59.999', 'afternoon', '2025-06-04 11:30', '2025-06-04'],
    ['2025-06-04T11:00', 'next-day', '2025-06-04 17:30', '2025-06-05'],
    ['2025-06-04T14:00', 'next-day', '2025-06-04 17:30', '2025-06-05'],
    ['2025-06-04T16:59:59.999', 'next-day', '2025-06-04 17:30', '2025-06-05'],
    ['2025-06-04T17:00', 'afternoon', '2025-06-05 11:30', '2025-06-05'],
    ['2025-06-04T17:29', 'afternoon', '2025-06-05 11:30', '2025-06-05'],
    ['2025-06-04T17:30', 'afternoon', '2025-06-05 11:30', '2025-06-05'],
    ['2025-06-04T23:59', 'afternoon', '2025-06-05 11:30', '2025-06-05'],
    ['2025-06-05T00:00', 'afternoon', '2025-06-05 11:30', '2025-06-05'],
    ['2025-06-05T11:29', 'next-day', '2025-06-05 17:30', '2025-06-06'],
  ];
  it.each(cases)('an order taken %s goes with the %s round, handed off %s, delivered %s', (taken, round, handOff, delivery) => {
    expect(summary(assignRound(ms(taken), config))).toEqual({ round, handOff, delivery });
  });

  it('gives the courier 17:30–18:00 / 11:30–12:00 to book a slot, and an afternoon window for the afternoon round', () => {
    const nextDay = assignRound(ms('2025-06-04T12:00'), config);
    expect([local(nextDay.slotBooking.startAt), local(nextDay.slotBooking.endAt)]).toEqual(['2025-06-04 17:30', '2025-06-04 18:00']);
    expect(nextDay.cutoffAt).toBe(ms('2025-06-04T17:00'));
    expect(nextDay.deliveryWindow).toBeUndefined();
    const afternoon = assignRound(ms('2025-06-04T20:00'), config);
    expect([local(afternoon.slotBooking.startAt), local(afternoon.slotBooking.endAt)]).toEqual(['2025-06-05 11:30', '2025-06-05 12:00']);
    expect(afternoon.deliveryWindow && [local(afternoon.deliveryWindow.startAt), local(afternoon.deliveryWindow.endAt)]).toEqual([
      '2025-06-05 12:00',
      '2025-06-05 18:00',
    ]);
  });
});

describe('weekends and holidays', () => {
  const config = parseFulfilmentConfig({ timeZone: MADRID, calendar: { holidays: ['2025-06-16'], annualHolidays: ['12-25'] } });
  it.each([
    // Friday before the cut-off: handed off Friday, delivered the next working day (Monday)
    ['2025-06-06T16:59', 'next-day', '2025-06-06 17:30', '2025-06-09'],
    // Friday evening, the weekend: the first round of Monday
    ['2025-06-06T17:00', 'afternoon', '2025-06-09 11:30', '2025-06-09'],
    ['2025-06-07T14:00', 'afternoon', '2025-06-09 11:30', '2025-06-09'],
    ['2025-06-08T23:00', 'afternoon', '2025-06-09 11:30', '2025-06-09'],
    // Friday evening before a Monday holiday: Tuesday
    ['2025-06-13T18:00', 'afternoon', '2025-06-17 11:30', '2025-06-17'],
    ['2025-06-16T12:00', 'afternoon', '2025-06-17 11:30', '2025-06-17'],
    // Christmas Eve (Wednesday): next-day delivery skips Christmas Day (an annual holiday)
    ['2025-12-24T12:00', 'next-day', '2025-12-24 17:30', '2025-12-26'],
    ['2025-12-24T18:00', 'afternoon', '2025-12-26 11:30', '2025-12-26'],
  ])('an order taken %s goes with the %s round, handed off %s, delivered %s', (taken, round, handOff, delivery) => {
    expect(summary(assignRound(ms(taken), config))).toEqual({ round, handOff, delivery });
  });
});

describe('DST changes', () => {
  const everyDay = parseFulfilmentConfig({ timeZone: MADRID, calendar: { workingDays: [1, 2, 3, 4, 5, 6, 7] } });
  it('keeps the wall-clock rules on the spring-forward day (Madrid, 30 March 2025: 02:00 → 03:00)', () => {
    const evening = assignRound(ms('2025-03-29T17:00'), everyDay);
    expect(summary(evening)).toEqual({ round: 'afternoon', handOff: '2025-03-30 11:30', delivery: '2025-03-30' });
    expect(utc(evening.handOffAt)).toBe('2025-03-30T09:30Z'); // CEST, UTC+2
    const morning = assignRound(ms('2025-03-29T10:00'), everyDay);
    expect(utc(morning.handOffAt)).toBe('2025-03-29T10:30Z'); // still CET, UTC+1
    // taken in the night of the change, after it: same day 11:30 CEST
    expect(summary(assignRound(ms('2025-03-30T03:15'), everyDay))).toEqual({
      round: 'afternoon',
      handOff: '2025-03-30 11:30',
      delivery: '2025-03-30',
    });
  });

  it('keeps the wall-clock rules on the fall-back day (Madrid, 26 October 2025: 03:00 → 02:00)', () => {
    const evening = assignRound(ms('2025-10-25T18:00'), everyDay);
    expect(utc(evening.handOffAt)).toBe('2025-10-26T10:30Z'); // CET, UTC+1
    // both 02:30s of the repeated hour go to the same 11:30 hand-off
    const first = ms('2025-10-26T02:30+02:00');
    const second = ms('2025-10-26T02:30+01:00');
    expect(second - first).toBe(3_600_000);
    expect(assignRound(first, everyDay).handOffAt).toBe(assignRound(second, everyDay).handOffAt);
  });

  it('crosses a DST change over a weekend with the default Monday–Friday calendar', () => {
    const config = parseFulfilmentConfig({ timeZone: MADRID });
    const friday = assignRound(ms('2025-03-28T18:00'), config); // CET
    expect(summary(friday)).toEqual({ round: 'afternoon', handOff: '2025-03-31 11:30', delivery: '2025-03-31' });
    expect(utc(friday.handOffAt)).toBe('2025-03-31T09:30Z'); // CEST
    const ny = parseFulfilmentConfig({ timeZone: 'America/New_York' });
    const nyFriday = assignRound(ms('2025-03-07T16:00', 'America/New_York'), ny); // EST, before the 9 March change
    expect(summary(nyFriday, 'America/New_York')).toEqual({ round: 'next-day', handOff: '2025-03-07 17:30', delivery: '2025-03-10' });
    expect(utc(nyFriday.handOffAt)).toBe('2025-03-07T22:30Z');
    expect(utc(assignRound(ms('2025-03-07T19:00', 'America/New_York'), ny).handOffAt)).toBe('2025-03-10T15:30Z'); // EDT
  });

  it('handles cut-offs configured inside the skipped hour', () => {
    const config = parseFulfilmentConfig({
      timeZone: MADRID,
      calendar: { workingDays: [1, 2, 3, 4, 5, 6, 7] },
      rounds: [
        { id: 'night', name: 'Night', cutoff: '02:15', handOffAt: '02:45', slotBooking: { start: '02:45', end: '03:30' }, deliveryDays: 1 },
      ],
    });
    const a = assignRound(ms('2025-03-30T01:59'), config);
    expect(local(a.cutoffAt)).toBe('2025-03-30 03:15'); // 02:15 does not exist that night
    expect(local(a.handOffAt)).toBe('2025-03-30 03:45');
    // taken after the (shifted) cut-off: the next night
    expect(local(assignRound(ms('2025-03-30T03:20'), config).handOffAt)).toBe('2025-03-31 02:45');
  });
});

describe('zones', () => {
  it('serves a zone only with its rounds', () => {
    const config = parseFulfilmentConfig({
      timeZone: MADRID,
      zones: [
        { id: 'city', postalCodePrefixes: ['28'] },
        { id: 'islands', postalCodePrefixes: ['07', '35', '38'], rounds: ['next-day'] },
      ],
    });
    // 18:00 Wednesday: the city goes with Thursday's afternoon round; the islands wait for Thursday's 17:30
    expect(assignRound(ms('2025-06-04T18:00'), config).roundId).toBe('afternoon');
    const islands = assignRound(ms('2025-06-04T18:00'), config, ['next-day'], 'islands');
    expect(summary(islands)).toEqual({ round: 'next-day', handOff: '2025-06-05 17:30', delivery: '2025-06-06' });
    expect(islands.zoneId).toBe('islands');
  });
});

// ── properties ──────────────────────────────────────────────────────────────────────────────

const ZONES = ['Europe/Madrid', 'America/New_York', 'Australia/Sydney', 'Europe/London', 'Asia/Kolkata'];
const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2027, 0, 1);

/** Moments within three days of a DST change in `zone` (or any moment for zones without DST). */
function dstMoments(zone: string): number[] {
  const out: number[] = [];
  for (let t = FROM; t < TO; t += 3_600_000) {
    if (DateTime.fromMillis(t, { zone }).offset !== DateTime.fromMillis(t + 3_600_000, { zone }).offset) out.push(t);
  }
  return out;
}
const DST = new Map(ZONES.map((z) => [z, dstMoments(z)]));

const calendarArb = fc.record({
  workingDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
  holidays: fc.uniqueArray(
    fc.date({ min: new Date(FROM), max: new Date(TO), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    { maxLength: 40 },
  ),
});

const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => h * 60 + m);
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
/** One to three rounds with distinct cut-offs, hand-off at or after the cut-off, all within the day. */
const roundsArb = fc
  .uniqueArray(fc.tuple(time, fc.integer({ min: 0, max: 120 })), { minLength: 1, maxLength: 3, selector: ([cutoff]) => cutoff })
  .map((specs) =>
    specs.map(([cutoff, lag], i): DeliveryRound => {
      const handOff = Math.min(cutoff + lag, 1439);
      return {
        id: `r${i}`,
        name: `Round ${i}`,
        cutoff: hhmm(cutoff),
        handOffAt: hhmm(handOff),
        slotBooking: {
          start: hhmm(handOff),
          end: hhmm(Math.min(handOff + 30, 1440)) === '24:00' ? '24:00' : hhmm(Math.min(handOff + 30, 1439)),
        },
        deliveryDays: i % 2,
      };
    }),
  )
  .filter((rounds) => rounds.every((r) => r.slotBooking.start < r.slotBooking.end));

const momentArb = fc.oneof(
  fc.integer({ min: FROM, max: TO }),
  // DST days, weighted in: a change ± 3 days
  fc.tuple(fc.constantFrom(...ZONES), fc.nat(), fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 })).map(([zone, i, delta]) => {
    const list = DST.get(zone) ?? [];
    return list.length === 0 ? FROM + delta + 3 * 86_400_000 : (list[i % list.length] as number) + delta;
  }),
);

describe('round assignment properties (fast-check)', () => {
  it('maps every order time to exactly one round whose hand-off is after it, on a working day, the earliest it made', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), calendarArb, roundsArb, momentArb, (zone, calendar, rounds, t) => {
        const config = parseFulfilmentConfig({ timeZone: zone, calendar, rounds });
        const a = assignRound(t, config);
        expect(rounds.filter((r) => r.id === a.roundId)).toHaveLength(1);
        expect(a.handOffAt).toBeGreaterThan(t);
        expect(t).toBeLessThan(a.cutoffAt);
        expect(a.cutoffAt).toBeLessThanOrEqual(a.handOffAt);
        const handOffDay = DateTime.fromMillis(a.handOffAt, { zone });
        const iso = handOffDay.toISODate() ?? '';
        // A hand-off moved past midnight by a DST gap belongs to the day before; cut-offs here end by 23:59.
        expect(calendar.workingDays).toContain(handOffDay.weekday);
        expect(calendar.holidays).not.toContain(iso);
        // Earliest: no (round, working day) between the order and the assigned hand-off would have taken it.
        for (let day = DateTime.fromMillis(t, { zone }).startOf('day'); day <= handOffDay; day = day.plus({ days: 1 })) {
          if (!calendar.workingDays.includes(day.weekday) || calendar.holidays.includes(day.toISODate() ?? '')) continue;
          for (const r of rounds) {
            const handOff = DateTime.fromISO(`${day.toISODate()}T${r.handOffAt}`, { zone }).toMillis();
            const cutoff = Math.min(DateTime.fromISO(`${day.toISODate()}T${r.cutoff}`, { zone }).toMillis(), handOff);
            if (t < cutoff && handOff > t) expect(handOff).toBeGreaterThanOrEqual(a.handOffAt);
          }
        }
        const deliveryDay = DateTime.fromISO(a.deliveryDate, { zone });
        expect(calendar.workingDays).toContain(deliveryDay.weekday);
        expect(a.deliveryDate >= iso).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('follows the manuals with the default rounds on consecutive working days, DST days included', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), momentArb, (zone, t) => {
        const config = parseFulfilmentConfig({ timeZone: zone, calendar: { workingDays: [1, 2, 3, 4, 5, 6, 7] } });
        const a = assignRound(t, config);
        const taken = DateTime.fromMillis(t, { zone });
        const minutes = taken.hour * 60 + taken.minute;
        const day = taken.toISODate();
        const next = taken.plus({ days: 1 }).toISODate();
        const handOff = DateTime.fromMillis(a.handOffAt, { zone });
        if (minutes >= 11 * 60 && minutes < 17 * 60) {
          expect([a.roundId, handOff.toISODate(), handOff.toFormat('HH:mm'), a.deliveryDate]).toEqual(['next-day', day, '17:30', next]);
        } else {
          const handOffDate = minutes < 11 * 60 ? day : next;
          expect([a.roundId, handOff.toISODate(), handOff.toFormat('HH:mm'), a.deliveryDate]).toEqual([
            'afternoon',
            handOffDate,
            '11:30',
            handOffDate,
          ]);
        }
      }),
      { numRuns: 500 },
    );
  });
});
