/**
 * A fixed-offset IANA zone where the local time at `now` is 12:00–13:00, so every dial is
 * inside any calling window whenever a real-time test or bench runs.
 */
export function middayZone(now: number): string {
  const offset = ((12 - new Date(now).getUTCHours() + 36) % 24) - 12; // −12 … +11
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}
