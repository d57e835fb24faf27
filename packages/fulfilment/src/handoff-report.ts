import { DateTime } from 'luxon';
import type { DeliveryResultKind } from './config-schema';
import type { Escalation } from './escalation-desk';
import type { OrderRecord } from './order-record';
import { OrderStatus } from './order-status';

/** The daily hand-off report: what went out on a local date and what became of it. */
export interface HandOffReport {
  /** The local date, `YYYY-MM-DD` in the centre's zone. */
  readonly date: string;
  readonly timeZone: string;
  /** Orders handed off that day per round id; pickup orders under `pickup`. */
  readonly perRound: Readonly<Record<string, number>>;
  readonly handedOff: number;
  readonly delivered: number;
  /** Orders whose latest result is a failure, per reason. */
  readonly failed: Readonly<Partial<Record<DeliveryResultKind, number>>>;
  /** Handed off, no result yet. */
  readonly pending: number;
  /** Orders received that day and rejected. */
  readonly rejected: number;
  /** Escalations due that day whose department missed its agreed response time. */
  readonly breaches: readonly Escalation[];
}

function localDate(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate() ?? '';
}

/**
 * Build the report for local `date`. An order counts on the day of its hand-off to the
 * delivery team (the round's hand-off time), a pickup order on the day it was booked.
 */
export function buildHandOffReport(
  date: string,
  timeZone: string,
  records: Iterable<OrderRecord>,
  escalations: Iterable<Escalation>,
): HandOffReport {
  const perRound: Record<string, number> = {};
  const failed: Partial<Record<DeliveryResultKind, number>> = {};
  let handedOff = 0;
  let delivered = 0;
  let pending = 0;
  let rejected = 0;
  for (const record of records) {
    if (record.status === OrderStatus.Rejected) {
      if (localDate(record.receivedAt, timeZone) === date) rejected++;
      continue;
    }
    const assignment = record.assignment;
    if (!assignment || record.handedOffAt === undefined) continue;
    const at = assignment.kind === 'delivery' ? assignment.handOffAt : record.handedOffAt;
    if (localDate(at, timeZone) !== date) continue;
    const round = assignment.kind === 'delivery' ? assignment.roundId : 'pickup';
    perRound[round] = (perRound[round] ?? 0) + 1;
    handedOff++;
    if (record.status === OrderStatus.Delivered) delivered++;
    else if (record.status === OrderStatus.HandedOff) pending++;
    else if (record.status === OrderStatus.Failed) {
      const last = record.results[record.results.length - 1];
      if (last) failed[last.result] = (failed[last.result] ?? 0) + 1;
    }
  }
  const breaches = [...escalations].filter((e) => e.breached && localDate(e.dueAt, timeZone) === date);
  return { date, timeZone, perRound, handedOff, delivered, failed, pending, rejected, breaches };
}
