import { PacelineError } from '@paceline/core';
import { DateTime } from 'luxon';
import type { DeliveryRound, WorkingCalendar } from './config-schema';
import { atLocalTime } from './local-time';
import { addWorkingDays, isWorkingDay } from './working-calendar';

/** An interval of time, epoch milliseconds, `[startAt, endAt)`. */
export interface TimeSpan {
  readonly startAt: number;
  readonly endAt: number;
}

/** Where a home-delivery order goes: its round, cut-off, hand-off and delivery day. */
export interface RoundAssignment {
  readonly kind: 'delivery';
  readonly roundId: string;
  /** The zone that matched the address, when zones are configured. */
  readonly zoneId?: string;
  /** The cut-off the order made, epoch ms (the order was taken strictly before it). */
  readonly cutoffAt: number;
  /** When the order is with the delivery team, epoch ms; always after the order was taken, on a working day. */
  readonly handOffAt: number;
  /** When the courier books a delivery slot with the customer. */
  readonly slotBooking: TimeSpan;
  /** The local delivery date, `YYYY-MM-DD` in the centre's zone. */
  readonly deliveryDate: string;
  /** The delivery window that day, when the round has one. */
  readonly deliveryWindow?: TimeSpan;
}

/** What round assignment reads from the configuration. */
export interface RoundRules {
  readonly timeZone: string;
  readonly rounds: readonly DeliveryRound[];
  readonly calendar: WorkingCalendar;
}

/** How far ahead a hand-off is searched for, days (a year of holidays and then some). */
const HORIZON_DAYS = 400;

/**
 * The round an order taken at `orderAtMs` goes out with: among the rounds allowed (all, or a
 * zone's), on working days only, the earliest hand-off whose cut-off the order made. With the
 * default rounds that is the manuals' rule — 11:00–17:00 → 17:30 for next-day delivery,
 * 17:00–11:00 → 11:30 for afternoon delivery — and an order taken on a Friday evening, a
 * weekend or a holiday goes with the first round of the next working day. Local times are
 * read in `rules.timeZone`, so DST changes move the instants, not the wall-clock rules.
 */
export function assignRound(orderAtMs: number, rules: RoundRules, allowed?: readonly string[], zoneId?: string): RoundAssignment {
  const rounds = allowed === undefined ? rules.rounds : rules.rounds.filter((r) => allowed.includes(r.id));
  const taken = DateTime.fromMillis(orderAtMs, { zone: rules.timeZone });
  let best: { round: DeliveryRound; day: DateTime; cutoff: DateTime; handOff: DateTime } | undefined;
  for (let i = 0, day = taken.startOf('day'); i < HORIZON_DAYS; i++, day = day.plus({ days: 1 })) {
    // Every hand-off of a later day is later than this day's start.
    if (best && day.toMillis() > best.handOff.toMillis()) break;
    if (!isWorkingDay(day, rules.calendar)) continue;
    for (const round of rounds) {
      const handOff = atLocalTime(day, round.handOffAt);
      // A cut-off in a DST gap moves forward and could pass the hand-off (01:30 → 02:30 vs 02:00): the hand-off bounds it.
      const cutoff = DateTime.min(atLocalTime(day, round.cutoff), handOff);
      if (orderAtMs >= cutoff.toMillis() || handOff.toMillis() <= orderAtMs) continue;
      if (!best || handOff < best.handOff || (handOff.toMillis() === best.handOff.toMillis() && cutoff < best.cutoff)) {
        best = { round, day, cutoff, handOff };
      }
    }
  }
  if (!best) {
    throw new PacelineError(
      'E_INVALID_CONFIG',
      `no delivery round within ${HORIZON_DAYS} days: check fulfilment.calendar and fulfilment.rounds`,
      {
        orderAtMs,
      },
    );
  }
  const { round, day, cutoff, handOff } = best;
  const deliveryDay = addWorkingDays(
    day.plus({ days: round.deliveryDays === 0 ? 0 : 1 }),
    Math.max(0, round.deliveryDays - 1),
    rules.calendar,
  );
  return {
    kind: 'delivery',
    roundId: round.id,
    ...(zoneId === undefined ? {} : { zoneId }),
    cutoffAt: cutoff.toMillis(),
    handOffAt: handOff.toMillis(),
    slotBooking: {
      startAt: atLocalTime(day, round.slotBooking.start).toMillis(),
      endAt: atLocalTime(day, round.slotBooking.end).toMillis(),
    },
    deliveryDate: deliveryDay.toISODate() ?? '',
    ...(round.deliveryWindow
      ? {
          deliveryWindow: {
            startAt: atLocalTime(deliveryDay, round.deliveryWindow.start).toMillis(),
            endAt: atLocalTime(deliveryDay, round.deliveryWindow.end).toMillis(),
          },
        }
      : {}),
  };
}

interface MemoEntry {
  /** The earliest order time known to get `assignment`. */
  fromMs: number;
  readonly assignment: RoundAssignment;
}

/** Intervals remembered per zone / allowed-rounds combination. */
const MEMO_SIZE = 16;

/**
 * {@link assignRound} with a memo, for a desk handing off thousands of orders: the time-zone
 * arithmetic is the costly part of a hand-off. It is exact, not approximate: as the order
 * time grows, candidates (round, day) only drop out (their cut-off or hand-off passes), so the
 * assignment for an order taken at `t` is also the one for every order taken from `t` up to
 * its cut-off. The memo keeps such intervals (widened down when an earlier order gets the
 * same round) and answers an order inside one with the same, shared, assignment object.
 */
export class RoundAssigner {
  readonly #rules: RoundRules;
  readonly #memo = new Map<string, MemoEntry[]>();

  constructor(rules: RoundRules) {
    this.#rules = rules;
  }

  /** The round of an order taken at `orderAtMs`; see {@link assignRound}. */
  assign(orderAtMs: number, allowed?: readonly string[], zoneId?: string): RoundAssignment {
    const key = `${zoneId ?? ''}\u0000${allowed === undefined ? '*' : allowed.join('\u0000')}`;
    let entries = this.#memo.get(key);
    if (!entries) {
      entries = [];
      this.#memo.set(key, entries);
    }
    for (const entry of entries) {
      if (orderAtMs >= entry.fromMs && orderAtMs < entry.assignment.cutoffAt) return entry.assignment;
    }
    const assignment = assignRound(orderAtMs, this.#rules, allowed, zoneId);
    const same = entries.find((e) => e.assignment.roundId === assignment.roundId && e.assignment.handOffAt === assignment.handOffAt);
    if (same) {
      same.fromMs = Math.min(same.fromMs, orderAtMs);
      return same.assignment;
    }
    entries.push({ fromMs: orderAtMs, assignment });
    if (entries.length > MEMO_SIZE) entries.shift();
    return assignment;
  }
}
