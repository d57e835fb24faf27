import type { Random } from '@paceline/core';

/** 24 hours in ms: the profile repeats every day. */
export const DAY_MS = 86_400_000;

/**
 * Inbound calls per hour through the day, piecewise constant: `ratesPerHour[i]` holds from
 * `dayStartMs + i·intervalMs` to the next boundary, every day (the rest of the day has none).
 */
export interface ArrivalProfile {
  /** Clock time (ms) where a day of the profile starts, e.g. midnight local time of some day. */
  readonly dayStartMs: number;
  /** Length of each interval, ms (e.g. 1 800 000 for 30 minutes). */
  readonly intervalMs: number;
  /** Arrival rate in each interval, calls per hour; covers at most one day. */
  readonly ratesPerHour: readonly number[];
}

/** The rate multiplied by `multiplier` from `startMs` to `endMs` (clock times), e.g. +50% for an hour. */
export interface ArrivalSpike {
  readonly startMs: number;
  readonly endMs: number;
  /** 1.5 for "+50%"; 0 closes the line. */
  readonly multiplier: number;
}

const HOUR_MS = 3_600_000;

/** The arrival rate at clock time `at`, calls per hour (profile times every spike covering `at`). */
export function rateAt(profile: ArrivalProfile, spikes: readonly ArrivalSpike[], at: number): number {
  const intoDay = (((at - profile.dayStartMs) % DAY_MS) + DAY_MS) % DAY_MS;
  const base = profile.ratesPerHour[Math.floor(intoDay / profile.intervalMs)] ?? 0;
  let rate = base;
  for (const spike of spikes) if (at >= spike.startMs && at < spike.endMs) rate *= spike.multiplier;
  return rate;
}

/** The first time after `at` where the rate may change (an interval, day or spike boundary). */
export function nextBoundary(profile: ArrivalProfile, spikes: readonly ArrivalSpike[], at: number): number {
  const intoDay = (((at - profile.dayStartMs) % DAY_MS) + DAY_MS) % DAY_MS;
  const dayStart = at - intoDay;
  const covered = profile.ratesPerHour.length * profile.intervalMs;
  let next = intoDay < covered ? dayStart + (Math.floor(intoDay / profile.intervalMs) + 1) * profile.intervalMs : dayStart + DAY_MS;
  for (const spike of spikes) {
    if (spike.startMs > at) next = Math.min(next, spike.startMs);
    if (spike.endMs > at) next = Math.min(next, spike.endMs);
  }
  return next;
}

/**
 * The next arrival of a non-homogeneous Poisson process with a piecewise-constant rate, after
 * `from`: one unit-exponential draw spent across the pieces (the time-change theorem), so the
 * process is exact, needs one random number per arrival, and replays bit for bit with the seed.
 * `Infinity` when no call arrives before `horizonMs`.
 */
export function nextArrival(
  profile: ArrivalProfile,
  spikes: readonly ArrivalSpike[],
  from: number,
  random: Random,
  horizonMs = from + 366 * DAY_MS,
): number {
  let work = -Math.log(1 - random.next()); // Exp(1): the integrated rate to the next arrival
  let at = from;
  while (at < horizonMs) {
    const perMs = rateAt(profile, spikes, at) / HOUR_MS;
    const end = nextBoundary(profile, spikes, at);
    if (perMs > 0 && at + work / perMs < end) return at + work / perMs;
    if (perMs > 0) work -= perMs * (end - at);
    at = end;
  }
  return Number.POSITIVE_INFINITY;
}

/** Expected arrivals between `from` and `to` (the integral of the rate), for checks and dashboards. */
export function expectedArrivals(profile: ArrivalProfile, spikes: readonly ArrivalSpike[], from: number, to: number): number {
  let total = 0;
  for (let at = from; at < to; ) {
    const end = Math.min(to, nextBoundary(profile, spikes, at));
    total += (rateAt(profile, spikes, at) / HOUR_MS) * (end - at);
    at = end;
  }
  return total;
}
