import { minutesOfDay } from '@paceline/core';
import type { HolidayCalendar } from './holiday-calendar';
import { type LocalFields, zoneClock } from './local-time';
import type { WindowSpan } from './rule-profile';

/** Minutes since local midnight: [start, end). `end` may be 1440 (24:00). */
export type MinuteInterval = readonly [startMinute: number, endMinute: number];

/**
 * A calling window as a set of local-time rules: a moment is inside when it lies in the
 * union of the spans of *every* layer (profile, overlays, campaign narrowing) and is not a
 * holiday of any calendar.
 */
export interface WindowRules {
  /** Each layer is a union of spans; the window is the intersection of the layers. */
  readonly layers: readonly (readonly WindowSpan[])[];
  readonly holidays: readonly HolidayCalendar[];
}

/** Every ISO weekday, 1 = Monday … 7 = Sunday. */
export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/** A daily window (`campaign.callingWindow`, `campaign.schedule.hours`) as a span: every day unless it names its days. */
export function dailySpan(window: { readonly start: string; readonly end: string; readonly days?: number[] }): WindowSpan {
  return { days: window.days ?? EVERY_DAY, start: window.start, end: window.end };
}

/** How far ahead `nextOpenAt` searches before giving up (days). */
const HORIZON_DAYS = 60;
const MINUTE_MS = 60_000;

function layerIntervals(layer: readonly WindowSpan[], weekday: number): MinuteInterval[] {
  const out: MinuteInterval[] = [];
  for (const span of layer) if (span.days.includes(weekday)) out.push([minutesOfDay(span.start), minutesOfDay(span.end)]);
  return normalise(out);
}

function normalise(intervals: MinuteInterval[]): MinuteInterval[] {
  intervals.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of intervals) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function intersect(a: readonly MinuteInterval[], b: readonly MinuteInterval[]): MinuteInterval[] {
  const out: MinuteInterval[] = [];
  for (const [as, ae] of a) {
    for (const [bs, be] of b) {
      const s = Math.max(as, bs);
      const e = Math.min(ae, be);
      if (s < e) out.push([s, e]);
    }
  }
  return normalise(out);
}

const weeks = new WeakMap<WindowRules, MinuteInterval[][]>();

/** The open intervals of local minutes on an ISO weekday (1–7), holidays aside. */
export function intervalsOn(rules: WindowRules, weekday: number): readonly MinuteInterval[] {
  let week = weeks.get(rules);
  if (!week) {
    week = [];
    for (let d = 1; d <= 7; d++) {
      let acc: MinuteInterval[] = [[0, 1440]];
      for (const layer of rules.layers) acc = intersect(acc, layerIntervals(layer, d));
      week.push(acc);
    }
    weeks.set(rules, week);
  }
  return week[weekday - 1] ?? [];
}

function holiday(rules: WindowRules, f: LocalFields): boolean {
  for (const calendar of rules.holidays) if (calendar.isHoliday(f.year, f.month, f.day)) return true;
  return false;
}

/** True when `atMs` is inside the window in `zone` (local wall-clock time, DST-aware). */
export function isOpenInZone(rules: WindowRules, zone: string, atMs: number): boolean {
  const f = zoneClock(zone).fields(atMs);
  if (holiday(rules, f)) return false;
  for (const [s, e] of intervalsOn(rules, f.weekday)) if (f.minute >= s && f.minute < e) return true;
  return false;
}

/** True when the local date of `atMs` in `zone` is a holiday of one of the rules' calendars. */
export function isHolidayInZone(rules: WindowRules, zone: string, atMs: number): boolean {
  return holiday(rules, zoneClock(zone).fields(atMs));
}

/**
 * The earliest moment at or after `fromMs` inside the window in `zone`, or `undefined` when
 * there is none within 60 days. Local wall times are converted with the zone's tz-database
 * offsets, so DST days have 23 or 25 hours and the window still opens at the local time.
 */
export function nextOpenInZone(rules: WindowRules, zone: string, fromMs: number): number | undefined {
  const clock = zoneClock(zone);
  const today = clock.fields(fromMs).epochDay;
  for (let d = 0; d <= HORIZON_DAYS; d++) {
    const epochDay = today + d;
    const f = clock.fields(clock.instant(epochDay, 720));
    if (holiday(rules, f)) continue;
    for (const [s, e] of intervalsOn(rules, f.weekday)) {
      const endMs = clock.instant(epochDay, e);
      if (fromMs < endMs) {
        const candidate = Math.max(fromMs, clock.instant(epochDay, s));
        if (candidate < endMs) return candidate;
      }
    }
  }
  return undefined;
}

/** True when `atMs` is inside the window in every one of `zones`. */
export function isOpenInAll(rules: WindowRules, zones: readonly string[], atMs: number): boolean {
  for (const zone of zones) if (!isOpenInZone(rules, zone, atMs)) return false;
  return true;
}

/**
 * The earliest moment at or after `fromMs` inside the window in every zone (their
 * intersection), or `undefined` when the zones share no open time within 60 days.
 */
export function nextOpenInAll(rules: WindowRules, zones: readonly string[], fromMs: number): number | undefined {
  let t = fromMs;
  const limit = fromMs + HORIZON_DAYS * 86_400_000;
  for (let iteration = 0; iteration < 500 && t <= limit; iteration++) {
    let latest = t;
    for (const zone of zones) {
      const next = nextOpenInZone(rules, zone, t);
      if (next === undefined) return undefined;
      if (next > latest) latest = next;
    }
    if (latest === t) {
      if (isOpenInAll(rules, zones, t)) return t;
      // A local time that does not exist on a DST day: step past it.
      t += MINUTE_MS;
      continue;
    }
    t = latest;
  }
  return undefined;
}
