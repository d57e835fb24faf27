import { type Campaign, type CampaignInput, parseCampaign } from '@paceline/core';
import { describe, expect, it } from 'vitest';
import { BlendDayTracker, callingDayAt } from '../../src/inbound/blend-day';

const HOUR = 3_600_000;
/** Monday 2026-11-23 00:00 in New York (EST, UTC−5). */
const NY_MIDNIGHT = Date.UTC(2026, 10, 23, 5, 0);

function campaign(extra: Partial<CampaignInput> = {}): Campaign {
  return parseCampaign({
    id: 'k',
    name: 'k',
    goal: 'retention',
    dialMode: 'predictive',
    complianceProfile: 'us-federal',
    callerId: '+12125550100',
    homeTimeZone: 'America/New_York',
    ...extra,
  } as CampaignInput);
}

describe("the blend's calling day (issue 23, 23-wire2)", () => {
  it("is today's interval of the campaign's hours in its zone, calendar-aligned", () => {
    const c = campaign({ schedule: { hours: { start: '09:00', end: '17:00' } } });
    expect(callingDayAt(c, NY_MIDNIGHT + 14 * HOUR)).toEqual({ startMs: NY_MIDNIGHT + 9 * HOUR, endMs: NY_MIDNIGHT + 17 * HOUR });
    expect(callingDayAt(c, NY_MIDNIGHT + 9 * HOUR)).toEqual({ startMs: NY_MIDNIGHT + 9 * HOUR, endMs: NY_MIDNIGHT + 17 * HOUR });
    // Outside the hours (before, at the end, after): no calling day.
    expect(callingDayAt(c, NY_MIDNIGHT + 8 * HOUR)).toBeUndefined();
    expect(callingDayAt(c, NY_MIDNIGHT + 17 * HOUR)).toBeUndefined();
    // Another zone, the same wall-clock hours.
    const la = campaign({ homeTimeZone: 'America/Los_Angeles', schedule: { hours: { start: '09:00', end: '17:00' } } });
    expect(callingDayAt(la, NY_MIDNIGHT + 14 * HOUR)).toEqual({ startMs: NY_MIDNIGHT + 12 * HOUR, endMs: NY_MIDNIGHT + 20 * HOUR });
  });

  it('is the calendar day in the zone without hours (25 h on the day DST ends), cut at schedule.endAt', () => {
    expect(callingDayAt(campaign(), NY_MIDNIGHT + 14 * HOUR)).toEqual({ startMs: NY_MIDNIGHT, endMs: NY_MIDNIGHT + 24 * HOUR });
    // Sunday 2026-11-01: EDT → EST at 02:00; midnight EDT is 04:00 UTC.
    const dstEnd = Date.UTC(2026, 10, 1, 4, 0);
    expect(callingDayAt(campaign(), dstEnd + 12 * HOUR)).toEqual({ startMs: dstEnd, endMs: dstEnd + 25 * HOUR });
    const ending = campaign({ schedule: { hours: { start: '09:00', end: '17:00' }, endAt: NY_MIDNIGHT + 15 * HOUR } });
    expect(callingDayAt(ending, NY_MIDNIGHT + 14 * HOUR)).toEqual({ startMs: NY_MIDNIGHT + 9 * HOUR, endMs: NY_MIDNIGHT + 15 * HOUR });
  });

  it('a campaign started at 14:00 steers only the rest of the day; a new day starts a new span', () => {
    const c = campaign({ schedule: { hours: { start: '09:00', end: '17:00' } } });
    const tracker = new BlendDayTracker(() => c);
    const first = tracker.spanAt(NY_MIDNIGHT + 14 * HOUR);
    expect(first).toEqual({ startMs: NY_MIDNIGHT + 14 * HOUR, endMs: NY_MIDNIGHT + 17 * HOUR });
    expect(tracker.spanAt(NY_MIDNIGHT + 16 * HOUR)).toBe(first);
    expect(tracker.spanAt(NY_MIDNIGHT + 18 * HOUR)).toBeUndefined();
    const next = tracker.spanAt(NY_MIDNIGHT + 33 * HOUR); // the next day, 09:00
    expect(next).toEqual({ startMs: NY_MIDNIGHT + 33 * HOUR, endMs: NY_MIDNIGHT + 41 * HOUR });
    // Started before the window: the span is the whole window from its first round.
    const early = new BlendDayTracker(() => c);
    expect(early.spanAt(NY_MIDNIGHT + 9 * HOUR + 500)).toEqual({ startMs: NY_MIDNIGHT + 9 * HOUR + 500, endMs: NY_MIDNIGHT + 17 * HOUR });
  });
});
