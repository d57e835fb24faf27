import { isValidTimeZone, PacelineError } from '@paceline/core';

const HOUR_MS = 3_600_000;

/** Calendar days in one time zone: the key of an instant and the boundaries between days. */
export interface LocalDays {
  /** `YYYY-MM-DD` of the instant in the zone. */
  key(atMs: number): string;
  /** The local midnight at or before `atMs`, epoch ms. */
  startOf(atMs: number): number;
  /** The next local midnight after `atMs`, epoch ms. */
  nextStart(atMs: number): number;
}

/**
 * Day arithmetic in `timeZone` with `Intl` only (no `Date`): reports group by the centre's
 * local day, not by UTC. On a day with a DST change the midnight is found from the offset at
 * the instant, so it may be off by the change (an hour) on that day only.
 */
export function localDays(timeZone: string): LocalDays {
  if (!isValidTimeZone(timeZone)) {
    throw new PacelineError('E_INVALID_CONFIG', `scorecard: timeZone: expected an IANA time zone such as Europe/London, got "${timeZone}"`);
  }
  const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const timeFormat = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const startOf = (atMs: number) => {
    const parts = Object.fromEntries(timeFormat.formatToParts(atMs).map((p) => [p.type, p.value]));
    const intoDayMs =
      ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000 + (((atMs % 1000) + 1000) % 1000);
    return atMs - intoDayMs;
  };
  return {
    key: (atMs) => dateFormat.format(atMs),
    startOf,
    // 30 h past a midnight is inside the next day whether that day has 23, 24 or 25 hours.
    nextStart: (atMs) => startOf(startOf(atMs) + 30 * HOUR_MS),
  };
}
