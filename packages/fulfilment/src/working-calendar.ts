import type { DateTime } from 'luxon';
import type { WorkingCalendar } from './config-schema';

/** True when the local date of `day` is a working day: a working weekday and no holiday. */
export function isWorkingDay(day: DateTime, calendar: WorkingCalendar): boolean {
  if (!calendar.workingDays.includes(day.weekday)) return false;
  const iso = day.toISODate() ?? '';
  return !calendar.holidays.includes(iso) && !calendar.annualHolidays.includes(iso.slice(5));
}

/** The local date `count` working days after `day` (0 = `day` itself when it is a working day). */
export function addWorkingDays(day: DateTime, count: number, calendar: WorkingCalendar): DateTime {
  let d = day.startOf('day');
  // A calendar has at least one working weekday, so 7 × (count + 1) days plus a year of holidays always suffice.
  const limit = 7 * (count + 1) + 366;
  let left = count;
  for (let i = 0; i < limit; i++) {
    if (isWorkingDay(d, calendar)) {
      if (left === 0) return d;
      left--;
    }
    d = d.plus({ days: 1 });
  }
  return d;
}
