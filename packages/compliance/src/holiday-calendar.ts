import { PacelineError } from '@paceline/core';

/**
 * A set of days on which a profile forbids calls (ACMA: national public holidays; France:
 * jours fériés). Calendars are data: a host may replace or extend them.
 */
export interface HolidayCalendar {
  /** Stable id a profile refers to, e.g. `au-national`. */
  readonly id: string;
  /** True when the local date (year, month 1–12, day) is a holiday. */
  isHoliday(year: number, month: number, day: number): boolean;
}

/** How a host describes a calendar: fixed dates, Easter-relative days, one-off dates. */
export interface HolidayCalendarSpec {
  /** Stable id. */
  readonly id: string;
  /** Every year on these days, `MM-DD` (e.g. `12-25`). */
  readonly fixed?: readonly string[];
  /** Days relative to Western Easter Sunday (e.g. `-2` Good Friday, `1` Easter Monday). */
  readonly easterOffsetsDays?: readonly number[];
  /** Rules such as "second Monday of June": `{ month: 6, weekday: 1, nth: 2 }` (`nth: -1` = last). */
  readonly nthWeekdays?: readonly { readonly month: number; readonly weekday: number; readonly nth: number }[];
  /** One-off dates, `YYYY-MM-DD` (substitute days, proclaimed holidays). */
  readonly dates?: readonly string[];
}

/** Western Easter Sunday of `year` (anonymous Gregorian computus), as [month, day]. */
export function easterSunday(year: number): [month: number, day: number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

const DAY_MS = 86_400_000;

function ordinalUtc(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** Build a calendar from a spec. Throws `E_INVALID_CONFIG` naming the bad entry. */
export function createHolidayCalendar(spec: HolidayCalendarSpec): HolidayCalendar {
  const fixed = new Set<string>();
  for (const [i, md] of (spec.fixed ?? []).entries()) {
    if (!/^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/.test(md)) {
      throw configError(`holidayCalendar.${spec.id}.fixed[${i}]`, `expected MM-DD, got ${JSON.stringify(md)}`);
    }
    fixed.add(md);
  }
  const dates = new Set<string>();
  for (const [i, date] of (spec.dates ?? []).entries()) {
    if (!/^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/.test(date)) {
      throw configError(`holidayCalendar.${spec.id}.dates[${i}]`, `expected YYYY-MM-DD, got ${JSON.stringify(date)}`);
    }
    dates.add(date);
  }
  const easter = [...(spec.easterOffsetsDays ?? [])];
  const nth = [...(spec.nthWeekdays ?? [])];
  const easterCache = new Map<number, number>();
  return {
    id: spec.id,
    isHoliday(year, month, day) {
      const mm = String(month).padStart(2, '0');
      const dd = String(day).padStart(2, '0');
      if (fixed.has(`${mm}-${dd}`) || dates.has(`${year}-${mm}-${dd}`)) return true;
      if (easter.length > 0) {
        let sunday = easterCache.get(year);
        if (sunday === undefined) {
          const [em, ed] = easterSunday(year);
          sunday = ordinalUtc(year, em, ed);
          easterCache.set(year, sunday);
        }
        const offset = ordinalUtc(year, month, day) - sunday;
        if (easter.includes(offset)) return true;
      }
      for (const rule of nth) {
        if (rule.month !== month) continue;
        // 1970-01-01 (ordinal 0) was a Thursday, ISO weekday 4.
        const weekday = ((((ordinalUtc(year, month, day) + 3) % 7) + 7) % 7) + 1;
        if (weekday !== rule.weekday) continue;
        const index = Math.floor((day - 1) / 7) + 1;
        const daysInMonth = ordinalUtc(year, month + 1, 1) - ordinalUtc(year, month, 1);
        const isLast = day + 7 > daysInMonth;
        if (rule.nth === index || (rule.nth === -1 && isLast)) return true;
      }
      return false;
    },
  };
}

function configError(path: string, message: string): PacelineError {
  return new PacelineError('E_INVALID_CONFIG', `${path}: ${message}`, { issues: [{ path, message }] });
}

/**
 * Australian national public holidays (ACMA Industry Standard 2017, s. 5: no calls on a
 * national public holiday): New Year's Day, Australia Day, Good Friday, Easter Saturday,
 * Easter Monday, Anzac Day, Christmas Day, Boxing Day. State holidays (King's Birthday, Labour
 * Day) differ by state; add them with a host calendar.
 */
export const AU_NATIONAL_HOLIDAYS: HolidayCalendarSpec = {
  id: 'au-national',
  fixed: ['01-01', '01-26', '04-25', '12-25', '12-26'],
  easterOffsetsDays: [-2, -1, 1],
};

/**
 * French public holidays (Code du travail L3133-1; décret 2022-1313: no canvassing calls on
 * jours fériés): 1 Jan, Easter Monday, 1 May, 8 May, Ascension, Whit Monday, 14 Jul, 15 Aug,
 * 1 Nov, 11 Nov, 25 Dec.
 */
export const FR_PUBLIC_HOLIDAYS: HolidayCalendarSpec = {
  id: 'fr-public',
  fixed: ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'],
  easterOffsetsDays: [1, 39, 50],
};
