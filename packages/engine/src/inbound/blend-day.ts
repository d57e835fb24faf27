import { dailySpan, intervalsOn, type WindowRules, zoneClock } from '@paceline/compliance';
import type { Campaign } from '@paceline/core';

/** A calling day of a campaign: epoch ms, [startMs, endMs). */
export interface CallingDay {
  readonly startMs: number;
  readonly endMs: number;
}

const rulesOf = new WeakMap<Campaign, WindowRules>();

/**
 * The campaign's calling day at `now`, calendar-aligned in its home time zone (the zone its
 * `schedule.hours` are read in, as the pacing gate reads them): with hours, today's open
 * interval of the hours that contains `now` (undefined outside them: the campaign dials
 * nothing then); without hours, the local calendar day (midnight to midnight, 23 or 25 h on
 * DST days). Cut at `schedule.endAt` when the campaign ends earlier. A campaign started at 14:00
 * on a 09:00–17:00 day gets 14:00… 17:00 from its first round (see `BlendDayTracker`), never a
 * fresh eight hours.
 */
export function callingDayAt(campaign: Campaign, now: number): CallingDay | undefined {
  const clock = zoneClock(campaign.homeTimeZone);
  const f = clock.fields(now);
  const hours = campaign.schedule?.hours;
  let day: CallingDay | undefined;
  if (!hours) {
    day = { startMs: clock.instant(f.epochDay, 0), endMs: clock.instant(f.epochDay + 1, 0) };
  } else {
    let rules = rulesOf.get(campaign);
    if (!rules) {
      rules = { layers: [[dailySpan(hours)]], holidays: [] };
      rulesOf.set(campaign, rules);
    }
    for (const [s, e] of intervalsOn(rules, f.weekday)) {
      if (f.minute >= s && f.minute < e) day = { startMs: clock.instant(f.epochDay, s), endMs: clock.instant(f.epochDay, e) };
    }
  }
  if (day === undefined) return undefined;
  const endAt = campaign.schedule?.endAt;
  const endMs = endAt === undefined ? day.endMs : Math.min(day.endMs, endAt);
  return endMs > now ? { startMs: day.startMs, endMs } : undefined;
}

/**
 * The span a blended campaign's abandon spread steers, day by day: its calling day
 * ({@link callingDayAt}), from the later of the day's start and the campaign's first pacing
 * round in it. A new calling day starts a new span. The span's abandon counts are read from
 * its start, so a campaign started (or restarted) mid-day steers the rest of the day on the
 * rest of the day's counts and pace.
 */
export class BlendDayTracker {
  #span: CallingDay | undefined;

  constructor(readonly campaign: () => Campaign) {}

  /** The span at `now` (a pacing round), or undefined outside the campaign's calling day. */
  spanAt(now: number): CallingDay | undefined {
    const day = callingDayAt(this.campaign(), now);
    if (day === undefined) return undefined;
    const current = this.#span;
    // The same calling day (its end unchanged, its start at or after the day's start): keep the span.
    if (current !== undefined && current.endMs === day.endMs && current.startMs >= day.startMs && now >= current.startMs) return current;
    this.#span = { startMs: Math.max(day.startMs, now), endMs: day.endMs };
    return this.#span;
  }
}
