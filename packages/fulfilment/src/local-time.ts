import { minutesOfDay } from '@paceline/core';
import { DateTime } from 'luxon';

/**
 * The instant of local wall-clock `time` (`HH:mm`, `24:00` = next midnight) on the local date
 * of `day`. A time skipped by a DST change lands after the gap (02:30 → 03:30), an ambiguous
 * one on its first occurrence — luxon's rules, applied the same way to every cut-off.
 */
export function atLocalTime(day: DateTime, time: string): DateTime {
  const minutes = minutesOfDay(time);
  const date = day.startOf('day');
  return DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour: Math.floor(minutes / 60) % 24, minute: minutes % 60 },
    { zone: day.zone },
  ).plus({ days: minutes >= 1440 ? 1 : 0 });
}
