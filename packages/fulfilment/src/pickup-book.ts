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
 * location's opening hours on its open days (local time of the location). This is one desk's
 * view: the places themselves are taken in the desk's `FulfilmentStore` (atomically, shared by
 * every worker), and the view is refreshed from it on each booking and on restore.
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
        const taken = this.#taken.get(slotKey(locationId, start.toMillis()))?.size ?? 0;
        out.push({ locationId, startAt: start.toMillis(), endAt: end, remaining: Math.max(0, location.capacityPerSlot - taken) });
      }
    }
    return out;
  }

  /**
   * The slots `orderId` may be booked into at `locationId`, best first: the requested slot
   * (when it exists and is not too early), then every slot from `earliestAt` on within the
   * horizon, with this book's view of their remaining places. The desk claims them in this
   * order in its `FulfilmentStore` (which holds the true counts) and records the first one
   * it gets with {@link hold}. Throws `E_NOT_FOUND` for an unknown location.
   */
  candidates(locationId: string, earliestAt: number, requestedAt?: number): PickupSlot[] {
    this.#location(locationId);
    const from = Math.max(earliestAt, requestedAt ?? earliestAt);
    const all = this.slots(locationId, from, from + this.#rules.horizonDays * 86_400_000);
    const requested = all.find((s) => s.startAt === requestedAt);
    return requested ? [requested, ...all.filter((s) => s !== requested)] : all;
  }

  /** How many orders one slot of a location takes. */
  capacity(locationId: string): number {
    return this.#location(locationId).capacityPerSlot;
  }

  /** Record `orderId`'s place in `slot` (taken in the store) and return its assignment. */
  hold(orderId: string, slot: PickupSlot, requestedAt?: number): PickupAssignment {
    const location = this.#location(slot.locationId);
    const booking: PickupAssignment = {
      kind: 'pickup',
      locationId: slot.locationId,
      locationName: location.name,
      locationKind: location.kind,
      address: location.address,
      timeZone: location.timeZone ?? this.#rules.timeZone,
      slot: { startAt: slot.startAt, endAt: slot.endAt },
      requestedSlotUnavailable: requestedAt !== undefined && slot.startAt !== requestedAt,
    };
    this.restore(orderId, booking);
    return booking;
  }

  /** Put a booking known from the store back into this book's view (after a restart). */
  restore(orderId: string, booking: PickupAssignment): void {
    const k = slotKey(booking.locationId, booking.slot.startAt);
    let set = this.#taken.get(k);
    if (!set) {
      set = new Set();
      this.#taken.set(k, set);
    }
    set.add(orderId);
    this.#byOrder.set(orderId, booking);
  }

  /** Set this book's view of how many places a slot has taken (read from the store). */
  noteTaken(slot: string, orderIds: number): void {
    const set = this.#taken.get(slot) ?? new Set<string>();
    // Unknown holders (other workers' orders) are counted under placeholder ids.
    for (let i = set.size; i < orderIds; i++) set.add(`\u0000other-${i}`);
    this.#taken.set(slot, set);
  }

  /** Free an order's slot (cancelled or collected early); false when it had none. */
  release(orderId: string): boolean {
    const booking = this.#byOrder.get(orderId);
    if (!booking) return false;
    this.#byOrder.delete(orderId);
    this.#taken.get(slotKey(booking.locationId, booking.slot.startAt))?.delete(orderId);
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

/** A slot's name in the book and in the `FulfilmentStore`: `<locationId>@<startAt>`. */
export function slotKey(locationId: string, startAt: number): string {
  return `${locationId}@${startAt}`;
}
