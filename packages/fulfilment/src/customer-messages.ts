import { DateTime } from 'luxon';
import type { RoundAssigner, RoundAssignment } from './delivery-rounds';
import type { PickupAssignment } from './pickup-book';

function day(ms: number, zone: string, locale: string): string {
  return DateTime.fromMillis(ms, { zone }).setLocale(locale).toFormat('cccc d LLLL');
}

function time(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat('HH:mm');
}

/** The text that tells the customer where and when to collect a pickup order (location's local time). */
export function pickupConfirmation(orderId: string, booking: PickupAssignment, locale: string): string {
  const place = booking.locationKind === 'vip-room' ? `the VIP room at ${booking.locationName}` : booking.locationName;
  const zone = booking.timeZone;
  return (
    `Your order ${orderId} is booked for pickup at ${place}, ${booking.address}, on ${day(booking.slot.startAt, zone, locale)} ` +
    `between ${time(booking.slot.startAt, zone)} and ${time(booking.slot.endAt, zone)}. Please bring your order number.`
  );
}

/**
 * The date and time phrases of a delivery message, per assignment object and zone / locale:
 * a desk's {@link RoundAssigner} shares one assignment object among the orders of a round, so
 * the formatting (the costly part) runs once per round, not once per order.
 */
const deliveryPhrases = new WeakMap<RoundAssignment, Map<string, { date: string; window: string; call: string }>>();

/** The text that tells the customer when a home delivery comes and when the courier will call (centre's local time). */
export function deliveryConfirmation(orderId: string, assignment: RoundAssignment, timeZone: string, locale: string): string {
  let byZone = deliveryPhrases.get(assignment);
  if (!byZone) {
    byZone = new Map();
    deliveryPhrases.set(assignment, byZone);
  }
  const key = `${timeZone}\u0000${locale}`;
  let phrases = byZone.get(key);
  if (!phrases) {
    const booking = assignment.slotBooking;
    phrases = {
      date: DateTime.fromISO(assignment.deliveryDate, { zone: timeZone }).setLocale(locale).toFormat('cccc d LLLL'),
      window: assignment.deliveryWindow
        ? ` between ${time(assignment.deliveryWindow.startAt, timeZone)} and ${time(assignment.deliveryWindow.endAt, timeZone)}`
        : '',
      call: `${day(booking.startAt, timeZone, locale)} between ${time(booking.startAt, timeZone)} and ${time(booking.endAt, timeZone)}`,
    };
    byZone.set(key, phrases);
  }
  return (
    `Your order ${orderId} will be delivered on ${phrases.date}${phrases.window}. The courier will call you on ${phrases.call} ` +
    'to agree a time.'
  );
}
