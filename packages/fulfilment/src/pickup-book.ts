import { PacelineError } from '@paceline/core';
import { DateTime } from 'luxon';
import type { PickupLocation, WorkingCalendar } from './config-schema';
import type { TimeSpan } from './delivery-rounds';
import { atLocalTime } from './local-time';
import { isWorkingDay } from './working-calendar';

/** One bookable pickup slot and how many customers it can still take. */
export interface PickupSlot extends TimeSpan {
  readonly locationId: string;
  readonly remaining: number;
}

/** A booked pickup: where and when the customer collects the order. */
export interface PickupAssignment {
  readonly kind: 'pickup';
  readonly locationId: string;
  readonly locationName: string;
  readonly locationKind: 'store' | 'vip-room';
  /** Where to go, as told to the customer. */
  readonly address: string;
  /** The location's zone (for telling the time). */
  readonly timeZone: string;
  readonly slot: TimeSpan;
  /** True when the customer asked for another slot that was full, closed or too early. */
  readonly requestedSlotUnavailable: boolean;
}

/** What the book reads from the configuration. */
export interface PickupRules {
  readonly timeZone: string;
  readonly calendar: WorkingCalendar;
  readonly locations: readonly PickupLocation[];
  /** How far ahead a free slot is searched for, days. */
  readonly horizonDays: number;
}

/**
 * Bookable pickup slots with a capacity per slot, per store or VIP room. Slots tile each
 * location's opening hours on its open days (local time of the location). In memory: one
 * book per fulfilment desk; a booking is held per order id, so booking an order again
 * returns its existing slot.
 */
export class PickupBook {
  readonly #rules: PickupRules;
  readonly #locations: ReadonlyMap<string, PickupLocation>;
  /** `locationId@startAt` → order ids booked in that slot. */
  readonly #taken = new Map<string, Set<string>>();
  readonly #byOrder = new Map<string, PickupAssignment>();

  constructor(rules: PickupRules) {
    this.#rules = rules;
    this.#locations = new Map(rules.locations.map((l) => [l.id, l]));
  }

  /** The slots of a location that start in `[fromMs, toMs)`, with their remaining capacity (full ones included). */
  slots(locationId: string, fromMs: number, toMs: number): PickupSlot[] {
    const location = this.#location(locationId);
    const zone = location.timeZone ?? this.#rules.timeZone;
    const out: PickupSlot[] = [];
    const last = DateTime.fromMillis(toMs, { zone }).startOf('day');
    for (let day = DateTime.fromMillis(fromMs, { zone }).startOf('day'); day <= last; day = day.plus({ days: 1 })) {
      if (!this.#isOpen(location, day)) continue;
      const close = atLocalTime(day, location.openingHours.end).toMillis();
      for (let start = atLocalTime(day, location.openingHours.start); ; start = start.plus({ minutes: location.slotMinutes })) {
        const end = start.plus({ minutes: location.slotMinutes }).toMillis();
        if (end > close || start.toMillis() >= toMs) break;
        if (start.toMillis() < fromMs) continue;
        const taken = this.#taken.get(key(locationId, start.toMillis()))?.size ?? 0;
        out.push({ locationId, startAt: start.toMillis(), endAt: end, remaining: Math.max(0, location.capacityPerSlot - taken) });
      }
    }
    return out;
  }

  /**
   * Book `orderId` into a slot of `locationId` starting at or after `earliestAt`: the requested
   * slot when it exists, is free and not too early, else the first free one after it. Throws
   * `E_NOT_FOUND` for an unknown location and `E_CONFLICT` when no slot is free within the horizon.
   */
  book(orderId: string, locationId: string, earliestAt: number, requestedAt?: number): PickupAssignment {
    const existing = this.#byOrder.get(orderId);
    if (existing) return existing;
    const location = this.#location(locationId);
    const from = Math.max(earliestAt, requestedAt ?? earliestAt);
    const to = from + this.#rules.horizonDays * 86_400_000;
    const free = this.slots(locationId, from, to).filter((s) => s.remaining > 0);
    const chosen = free.find((s) => s.startAt === requestedAt) ?? free[0];
    if (!chosen) {
      throw new PacelineError('E_CONFLICT', `pickup at "${locationId}": no free slot within ${this.#rules.horizonDays} days`, {
        locationId,
        orderId,
      });
    }
    const k = key(locationId, chosen.startAt);
    let set = this.#taken.get(k);
    if (!set) {
      set = new Set();
      this.#taken.set(k, set);
    }
    set.add(orderId);
    const booking: PickupAssignment = {
      kind: 'pickup',
      locationId,
      locationName: location.name,
      locationKind: location.kind,
      address: location.address,
      timeZone: location.timeZone ?? this.#rules.timeZone,
      slot: { startAt: chosen.startAt, endAt: chosen.endAt },
      requestedSlotUnavailable: requestedAt !== undefined && chosen.startAt !== requestedAt,
    };
    this.#byOrder.set(orderId, booking);
    return booking;
  }

  /** Free an order's slot (cancelled or collected early); false when it had none. */
  release(orderId: string): boolean {
    const booking = this.#byOrder.get(orderId);
    if (!booking) return false;
    this.#byOrder.delete(orderId);
    this.#taken.get(key(booking.locationId, booking.slot.startAt))?.delete(orderId);
    return true;
  }

  /** The booking of an order, if any. */
  bookingOf(orderId: string): PickupAssignment | undefined {
    return this.#byOrder.get(orderId);
  }

  #location(locationId: string): PickupLocation {
    const location = this.#locations.get(locationId);
    if (!location) {
      const known = [...this.#locations.keys()].map((id) => `"${id}"`).join(', ') || 'none configured';
      throw new PacelineError('E_NOT_FOUND', `unknown pickup location "${locationId}" (known: ${known})`, { locationId });
    }
    return location;
  }

  #isOpen(location: PickupLocation, day: DateTime): boolean {
    if (location.openDays) {
      return location.openDays.includes(day.weekday) && isWorkingDay(day, { ...this.#rules.calendar, workingDays: location.openDays });
    }
    return isWorkingDay(day, this.#rules.calendar);
  }
}

function key(locationId: string, startAt: number): string {
  return `${locationId}@${startAt}`;
}
